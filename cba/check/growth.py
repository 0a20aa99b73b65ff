"""Rules on real price growth (relative price effects): only on figures in real terms, never on outturn."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.problem import Problem
from cba.model.scenario import Scenario


def growth_problems(scenario: Scenario) -> Iterator[Problem]:
    """Real growth moves a real-terms figure away from the GDP deflator: a run not in real terms has no such
    figure, and outturn spend already happened at its own prices."""
    real = scenario.in_real_terms
    for i, line in enumerate(scenario.cost_lines):
        if line.real_growth is None:
            continue
        if not real:
            yield Problem(("cost_lines", i, "real_growth"), True, _not_real(f"cost line '{line.name}'"))
        elif line.price_basis == "outturn":
            yield Problem(
                ("cost_lines", i, "real_growth"),
                True,
                f"cost line '{line.name}' is outturn, spent at its own year's prices: real growth applies to a "
                "forecast in one year's prices (give price_basis: the year its amounts are priced in)",
            )
    for i, o in enumerate(scenario.outcomes):
        if o.real_growth is not None and not real:
            yield Problem(("outcomes", i, "real_growth"), True, _not_real(f"outcome '{o.id}'"))


def _not_real(what: str) -> str:
    return (
        f"{what} gives real_growth, but the scenario is not in real terms (real_terms: false, no price base, or "
        "years of the programme): there is no real price for it to grow from"
    )
