"""Rules on the unit costs a scenario uses: each reference resolves, is priced per unit of its outcome,
and (without a deflator) is priced no later than the price base."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.problem import Problem
from cba.model.cost_book import CostBook, CostRefError
from cba.model.periods import NAMES, period_kind
from cba.model.scenario import Scenario
from cba.model.unit_cost import price_year_start

TIME_RATES = ("per week", "per month", "per day", "per hour", "weekly", "monthly", "daily", "hourly")
#: A yearly cost prices a year: in a scenario by quarters or months, a unit of the outcome is shorter.
YEAR_RATES = ("per year", "per annum", "annual", "yearly", "a year")
SHORT = {"quarter": ("1/4", "a quarter of a yearly cost"), "month": ("1/12", "a month of a yearly cost")}
#: The conversion to suggest for a cost priced per a span of time.
_EXAMPLE = {
    "per week": "52.14, reason: weeks in a year",
    "weekly": "52.14, reason: weeks in a year",
    "per month": "12, reason: months in a year",
    "monthly": "12, reason: months in a year",
    "per day": "365.25, reason: days in a year",
    "daily": "365.25, reason: days in a year",
}


def unit_cost_problems(scenario: Scenario, costs: CostBook) -> Iterator[Problem]:
    """References that resolve to nothing or to several tables, and time-rate costs used without a conversion."""
    kind = period_kind(scenario.periods[0])
    for i, outcome in enumerate(scenario.outcomes):
        for where, ref in outcome.priced_by():
            try:
                _, _, entry = costs.resolve(ref)
            except CostRefError as exc:
                yield Problem(("outcomes", i, *where), False, str(exc))
                continue
            unit = entry.unit.strip().lower()
            if outcome.conversion is None and any(unit.startswith(rate) for rate in TIME_RATES):
                hint = next(
                    (v for k, v in _EXAMPLE.items() if unit.startswith(k)), "the hours one unit takes, reason: ..."
                )
                yield Problem(
                    ("outcomes", i, *where),
                    False,
                    f"'{ref}' is priced {entry.unit.lower()} but outcome '{outcome.id}' needs a cost per unit "
                    f"of the outcome; add conversion: {{factor: {hint}}} (or the factor that fits)",
                )
            elif outcome.conversion is None and kind in SHORT and unit.startswith(YEAR_RATES):
                factor, part = SHORT[kind]
                yield Problem(
                    ("outcomes", i, *where),
                    False,
                    f"'{ref}' is priced {entry.unit.lower()} but the scenario's periods are {NAMES[kind]}: "
                    f"add conversion: {{factor: {factor}, reason: {part}}} if the volume counts {kind}s, or "
                    f"{{factor: 1, reason: the volume counts years}} if it counts years",
                )
    for i, line in enumerate(scenario.cost_lines):
        if line.units is not None and line.units.unit_cost:
            try:
                costs.resolve(line.units.unit_cost)
            except CostRefError as exc:
                yield Problem(("cost_lines", i, "units", "unit_cost"), False, str(exc))


def price_year_problems(scenario: Scenario, costs: CostBook, scenario_name: str) -> Iterator[Problem]:
    """Unit costs priced after the scenario's price base, when no deflator is in use to bring them back."""
    if scenario.in_real_terms or scenario.price_base == "not stated":
        return  # the deflator handles any year it holds (checked in reference_problems); no base, nothing is after it
    base = int(scenario.price_base[:4])
    for ref in [ref for outcome in scenario.outcomes for _, ref in outcome.priced_by()]:
        entry = costs.get(ref)
        start = price_year_start(entry.price_year) if entry else None
        if entry and start is not None and start > base:
            yield Problem.in_file(
                *costs.location(ref, "price_year"),
                f"price year {entry.price_year} of '{entry.id}' is later than the price base {scenario.price_base} "
                f"of {scenario_name}; give a cost at or before the price base, or leave real_terms on to deflate it",
            )
