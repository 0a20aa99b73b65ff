"""Rules on the scenario's periods, and on any period it names elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cba.check.problem import Problem
from cba.model.periods import EXAMPLES, NAMES, month_number, period_kind
from cba.model.scenario import Scenario

#: "a financial year", "a quarter", "a month": what a period is, in a sentence.
PERIOD_NOUN = {
    "year": "a financial year",
    "quarter": "a quarter",
    "month": "a month",
    "relative": "a year of the programme",
    None: "not a period",
}


def not_a_period(scenario: Scenario, loc: tuple[Any, ...], key: bool, period: str) -> Problem:
    """A period named somewhere that is not one of the scenario's periods."""
    return Problem(loc, key, f"period {period} is not one of the scenario's periods ({', '.join(scenario.periods)})")


def period_problems(scenario: Scenario) -> Iterator[Problem]:
    """Each period listed once, all of one kind (the appraisal steps by one of them), in time order."""
    periods = list(scenario.periods)
    seen: set[str] = set()
    for i, period in enumerate(periods):
        if period in seen:
            yield Problem(("periods", i), False, f"period {period} is listed twice")
        seen.add(period)
    kind = period_kind(periods[0])
    assert kind is not None  # the model accepts only periods
    for i, period in enumerate(periods):
        if period_kind(period) != kind:
            yield Problem(
                ("periods", i),
                False,
                f"period {period} is {PERIOD_NOUN[period_kind(period)]}, but the "
                f"scenario's first period {periods[0]} is {PERIOD_NOUN[kind]}; "
                f"give every period as {NAMES[kind]} ({EXAMPLES[kind]})",
            )
    starts = [month_number(p) for p in periods]
    if starts != sorted(starts):
        yield Problem(("periods",), False, "periods must be listed in time order")


def later_period_problems(period: str, first: str) -> list[str]:
    """A period an outcome names (volumes or intakes may run past the scenario's periods): of the periods'
    kind, and not before the first."""
    kind = period_kind(first)
    assert kind is not None  # the model accepts only periods
    if period_kind(period) != kind:
        return [
            f"period {period} is {PERIOD_NOUN[period_kind(period)]}, but the scenario's periods are "
            f"{NAMES[kind]} ({EXAMPLES[kind]})"
        ]
    if month_number(period) < month_number(first):
        return [f"period {period} is before the first appraisal period"]
    return []
