"""Rules on real price growth (relative price effects): only on figures in real terms, never on outturn."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.problem import Problem
from cba.model.cost_book import CostBook
from cba.model.growth import RealGrowth, growth_origin, year_name, year_start
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


def growth_year_problems(scenario: Scenario, costs: CostBook, scenario_name: str) -> Iterator[Problem]:
    """Rates by year must start no later than the first year a growth needs: the year after its price year, or
    earlier when the appraisal starts before it. A year before the first listed has no rate, and cba gives
    none it was not told (not 0%)."""
    if not scenario.in_real_terms:  # (nor years of the programme) any real growth is refused as written
        return
    first = scenario.periods[0]
    for i, line in enumerate(scenario.cost_lines):
        growth = RealGrowth.of(line.real_growth)
        if growth is not None and growth.by_year and line.price_basis != "outturn":
            problem = _starts_late(growth, line.price_basis, first, f"{line.price_basis} prices")
            if problem:
                yield Problem(("cost_lines", i, "real_growth"), True, f"cost line '{line.name}': {problem}")
    for i, o in enumerate(scenario.outcomes):
        growth = RealGrowth.of(o.real_growth)
        if growth is None or not growth.by_year:
            continue
        for _, ref in o.priced_by():
            entry = costs.get(ref)
            assert entry is not None  # every reference resolved in the phase before
            year = scenario.price_base if entry.price_year == "not stated" else entry.price_year
            whose = "its value" if entry.id == f"{o.id}.value" else f"'{entry.id}'"
            problem = _starts_late(growth, year, first, f"{year} (the price year of {whose})")
            if problem:
                yield Problem(("outcomes", i, "real_growth"), True, f"outcome '{o.id}': {problem}")
                break


def _starts_late(growth: RealGrowth, price_year: str, first: str, prices: str) -> str | None:
    """Why a schedule by year leaves a year the growth needs without a rate, or None."""
    needed = growth.needed_from(year_start(price_year), growth_origin(price_year, first) // 12)
    listed = growth.first_listed
    if listed is None or listed <= needed:
        return None
    return (
        f"real growth by year starts at {year_name(listed)}, but its growth from {prices} needs a rate from "
        f"{year_name(needed)}: list {year_name(needed)} (0 if prices did not grow then), or start from an earlier year"
    )
