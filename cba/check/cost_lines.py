"""Rules on cost lines: each written once, one way, in the scenario's periods."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.arms import NEEDS_ARMS
from cba.check.periods import not_a_period
from cba.check.problem import Problem
from cba.model.scenario import Scenario


def cost_line_problems(scenario: Scenario) -> Iterator[Problem]:
    """A line named twice; amounts in periods the scenario lacks; amounts given two ways (amounts, units x a
    price, arms' means); negative units; amounts on a line marked unquantified."""
    periods = set(scenario.periods)
    seen_lines: dict[tuple[str, str], int] = {}
    for i, line in enumerate(scenario.cost_lines):
        ident = (line.name, line.kind.value)
        if ident in seen_lines:
            yield Problem(
                ("cost_lines", i, "name"),
                False,
                f"cost line '{line.name}' ({line.kind.value}) appears twice (first is cost_lines[{seen_lines[ident]}])",
            )
        seen_lines.setdefault(ident, i)
        for measure in ("budget", "actual"):
            for period in getattr(line, measure):
                if period not in periods:
                    yield not_a_period(scenario, ("cost_lines", i, measure, period), True, period)
        if line.arms is not None:
            if scenario.arms is None:
                yield Problem(("cost_lines", i, "arms"), True, NEEDS_ARMS)
            if line.budget or line.actual or line.units:
                yield Problem(
                    ("cost_lines", i, "arms"),
                    True,
                    "give the line's amounts one way: amounts, units, or means per participant in each arm",
                )
            if line.arms.period is not None and line.arms.period not in periods:
                yield not_a_period(scenario, ("cost_lines", i, "arms", "period"), False, line.arms.period)
        if line.units is not None:
            u = line.units
            if line.budget or line.actual:
                yield Problem(
                    ("cost_lines", i, "units"),
                    True,
                    "give the line's amounts one way: budget and actual amounts, or units times a price, not both",
                )
            if (u.price is None) == (u.unit_cost is None):
                yield Problem(
                    ("cost_lines", i, "units"),
                    False,
                    "give the price of one unit: price (pounds) or unit_cost (a table's entry), one of them",
                )
            for measure in ("budget", "actual"):
                for period, count in getattr(u, measure).items():
                    if period not in periods:
                        yield not_a_period(scenario, ("cost_lines", i, "units", measure, period), True, period)
                    elif count < 0:
                        yield Problem(
                            ("cost_lines", i, "units", measure, period),
                            False,
                            f"{count} units: a number of units cannot be negative",
                        )
        if not line.quantified and (line.budget or line.actual or line.units or line.spread or line.saving):
            yield Problem(
                ("cost_lines", i, "quantified"),
                False,
                "a line marked quantified: false cannot carry amounts; remove them or the flag",
            )


def cost_line_id_problems(scenario: Scenario) -> Iterator[Problem]:
    """A line's id names it in --set, --vary and uncertainty: one line an id."""
    seen: dict[str, int] = {}
    for i, line in enumerate(scenario.cost_lines):
        if line.id is not None and line.id in seen:
            yield Problem(
                ("cost_lines", i, "id"),
                False,
                f"cost line id '{line.id}' is used twice (first is cost_lines[{seen[line.id]}])",
            )
        seen.setdefault(line.id or "", i)
