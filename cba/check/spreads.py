"""Rules on totals published over several periods and spread over them (``spread:``, ``volume_spread:``)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from cba.check.periods import later_period_problems, not_a_period
from cba.check.problem import Problem
from cba.model.scenario import Scenario, SpreadOver


def profile_problems(loc: tuple[Any, ...], years: int, profile: object) -> Iterator[Problem]:
    """A profile gives one share a period, and its shares sum to exactly 1 (nothing is lost or made up)."""
    if not isinstance(profile, list):
        return
    if len(profile) != years:
        yield Problem(
            (*loc, "profile"), False, f"the profile gives {len(profile)} shares for {years} years; give one a year"
        )
    elif (total := sum(profile, Decimal(0))) != 1:
        yield Problem((*loc, "profile"), False, f"the shares sum to {total}; they must sum to exactly 1")


def _within_periods(scenario: Scenario, loc: tuple[Any, ...], spread: SpreadOver) -> Iterator[Problem]:
    """A spread of money paid or spent falls in the scenario's own periods, as amounts by period must."""
    if spread.start is not None and spread.start not in scenario.periods:
        yield not_a_period(scenario, (*loc, "from"), False, spread.start)
        return
    covered = spread.periods(scenario.periods[0])
    outside = [p for p in covered if p not in scenario.periods]
    if outside:
        yield Problem(
            (*loc, "years"),
            False,
            f"{spread.years} periods from {covered[0]} run to {covered[-1]}, but {outside[0]} is not one of the "
            f"scenario's periods ({', '.join(scenario.periods)}); spread over the periods it covers",
        )


def spread_problems(scenario: Scenario) -> Iterator[Problem]:
    """Each spread is the only way its figures are given, covers periods the scenario can hold, and its
    profile shares out exactly the total."""
    for i, line in enumerate(scenario.cost_lines):
        spread = line.spread
        if spread is None:
            continue
        loc = ("cost_lines", i, "spread")
        if line.budget or line.actual or line.units is not None or line.arms is not None:
            yield Problem(
                loc,
                True,
                "give the line's amounts one way: budget and actual by period, a spread of totals, units times "
                "a price, or means per participant in each arm",
            )
        if spread.budget is None and spread.actual is None:
            yield Problem(loc, False, "a cost line's spread gives its total budget, its total actual, or both")
        yield from _within_periods(scenario, loc, spread)
        yield from profile_problems(loc, spread.years, spread.profile)
    for i, transfer in enumerate(scenario.transfers):
        if transfer.spread is not None:
            yield from _within_periods(scenario, ("transfers", i, "spread"), transfer.spread)
            yield from profile_problems(("transfers", i, "spread"), transfer.spread.years, transfer.spread.profile)
    first = scenario.periods[0]
    for i, outcome in enumerate(scenario.outcomes):
        volume = outcome.volume_spread
        if volume is None:
            continue
        loc = ("outcomes", i, "volume_spread")
        if volume.start is not None:  # volumes may fall after the scenario's periods, not before them
            yield from (Problem((*loc, "from"), False, m) for m in later_period_problems(volume.start, first))
        yield from profile_problems(loc, volume.years, volume.profile)
