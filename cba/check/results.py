"""Rules on what a source printed: published totals and results, and benefits claimed beforehand."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.periods import not_a_period
from cba.check.problem import Problem
from cba.engine.run import FIGURE_KEYS
from cba.model.errors import suggest
from cba.model.figure_path import is_path, steps
from cba.model.periods import financial_year, period_kind
from cba.model.scenario import Scenario


def published_total_problems(scenario: Scenario) -> Iterator[Problem]:
    """A published total for one period names a period of the scenario."""
    for i, total in enumerate(scenario.published_totals):
        if total.period is not None and total.period not in scenario.periods:
            yield not_a_period(scenario, ("published_totals", i, "period"), False, total.period)


#: The ways a published result can be stated: a value as printed, or one bound.
TESTS = ("value", "at_most", "at_least", "more_than", "less_than")


def published_result_problems(scenario: Scenario) -> Iterator[Problem]:
    """A published result states one bound on a figure cba computes (per unit only with a unit)."""
    for i, result in enumerate(scenario.published_results):
        stated = [k for k in TESTS if getattr(result, k) is not None]
        if len(stated) != 1:
            yield Problem(
                ("published_results", i),
                False,
                f"give exactly one of value, at_most, at_least, more_than or less_than (got {', '.join(stated) or 'none'})",
            )
        if is_path(result.figure):
            try:
                steps(result.figure)
            except ValueError as exc:
                yield Problem(("published_results", i, "figure"), False, f"cannot read the path: {exc}")
        elif result.figure not in FIGURE_KEYS:
            yield Problem(
                ("published_results", i, "figure"),
                False,
                f"unknown figure '{result.figure}'{suggest(result.figure, FIGURE_KEYS)}; "
                f"use one of: {', '.join(FIGURE_KEYS)}; or a path in cba run --format json, e.g. "
                "outcomes[lac].attributable_value",
            )
        elif result.figure.endswith("_per_unit") or result.figure == "cost_per_unit":
            if scenario.report_per is None and scenario.arms is None:  # arms report per participant
                yield Problem(
                    ("published_results", i, "figure"),
                    False,
                    f"'{result.figure}' is a result per unit; add report_per: {{label: family, count: N}}",
                )


def claim_problems(scenario: Scenario) -> Iterator[Problem]:
    """A claim for one year names a period (or, with quarters or months, a financial year) of the scenario."""
    periods = list(scenario.periods)
    kind = period_kind(periods[0])
    for i, claim in enumerate(scenario.claimed):
        if claim.period is not None and claim.per == "total":
            yield Problem(
                ("claimed", i, "period"),
                True,
                "a claim per: total covers the whole appraisal; remove period or use per: year",
            )
        elif (
            claim.period is not None
            and claim.period not in periods
            and not (
                kind != "year"
                and period_kind(claim.period) == "year"
                and any(financial_year(p) == claim.period for p in periods)
            )
        ):  # a year of quarters or months
            yield not_a_period(scenario, ("claimed", i, "period"), False, claim.period)
