"""Rules on the appraisal's settings: the horizon, optimism bias, and the basis benefits are set against."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cba.check.problem import Problem
from cba.model.errors import suggest
from cba.model.periods import MONTHS, month_number, period_kind
from cba.model.scenario import CostKind, NetPositionBasis, OptimismBias, Scenario


def horizon_problems(scenario: Scenario) -> Iterator[Problem]:
    """A horizon no shorter than the periods: spend after it would be dropped."""
    settings = scenario.appraisal
    if settings is not None and settings.horizon_years is not None:
        # the periods' span in years, rounded up: a horizon is in whole years
        months = (
            month_number(max(scenario.periods, key=month_number))
            - month_number(scenario.periods[0])
            + MONTHS[period_kind(scenario.periods[0]) or "year"]
        )
        span = -(-months // 12)
        if settings.horizon_years < span:
            yield Problem(
                ("appraisal", "horizon_years"),
                False,
                f"horizon_years {settings.horizon_years} is shorter than the scenario's periods ({span} years, "
                f"{scenario.periods[0]} to {scenario.periods[-1]}), so spend after it would be dropped; "
                f"give at least {span}",
            )


def _cost_biases(scenario: Scenario) -> list[tuple[tuple[Any, ...], OptimismBias | None]]:
    settings = scenario.appraisal
    settings_biases: list[tuple[tuple[Any, ...], OptimismBias | None]] = (
        []
        if settings is None
        else (
            [(("appraisal", "cost_optimism_bias"), settings.cost_optimism_bias)]
            + [(("appraisal", "category_optimism_bias", c), b) for c, b in settings.category_optimism_bias.items()]
        )
    )
    return settings_biases + [
        (("cost_lines", i, "optimism_bias"), line.optimism_bias) for i, line in enumerate(scenario.cost_lines)
    ]


def _malformed(bias: OptimismBias | None) -> bool:
    return bias is not None and (bias.grade is None) == (bias.percent is None)


def cost_bias_problems(scenario: Scenario) -> Iterator[Problem]:
    """Each cost optimism bias a grade or a percentage; each category named has a line."""
    for path, bias in _cost_biases(scenario):
        if _malformed(bias):
            yield Problem(path, False, "give either grade or percent")
    categories = {line.category for line in scenario.cost_lines if line.category is not None}
    for category in scenario.appraisal.category_optimism_bias if scenario.appraisal is not None else {}:
        if category not in categories:
            yield Problem(
                ("appraisal", "category_optimism_bias", category),
                True,
                f"no cost line has category '{category}'{suggest(category, sorted(categories))}",
            )


def outturn_problems(scenario: Scenario) -> Iterator[Problem]:
    """Optimism bias asked for on outturn (once every bias is well formed)."""
    if not any(_malformed(bias) for _, bias in _cost_biases(scenario)):
        yield from outturn_bias_problems(scenario)


def outturn_bias_problems(scenario: Scenario, basis: NetPositionBasis | None = None) -> list[Problem]:
    """Where optimism bias is asked for on outturn, with why not: it corrects forecasts, and outturn is known.

    It applies to a budget (the budget basis) and to committed spend. A line's own setting on an outturn
    line, a category whose lines are all outturn, or an appraisal-wide setting when every cost set against
    the benefits is outturn would uplift nothing it may uplift: each is an error, at its place in the file.
    """
    settings = scenario.appraisal
    basis = basis or scenario.net_position_basis
    if basis is NetPositionBasis.budget:
        return []
    why = (
        f"optimism bias corrects forecasts, but {{what}} outturn (actual spend, as net_position_basis is "
        f"{basis.value}), which is known; {{fix}}"
    )
    found: list[Problem] = []
    quantified = [
        (i, line)
        for i, line in enumerate(scenario.cost_lines)
        if line.quantified and (line.actual or (line.spread is not None and line.spread.actual is not None))
    ]
    for i, line in quantified:
        if line.optimism_bias is not None and line.optimism_bias.percent != 0 and line.kind is not CostKind.committed:
            found.append(
                Problem(
                    ("cost_lines", i, "optimism_bias"),
                    False,
                    why.format(
                        what=f"cost line '{line.name}' is",
                        fix="remove it, or give the line kind: committed if it is not yet spent",
                    ),
                )
            )
    if settings is None:
        return found
    for category, bias in settings.category_optimism_bias.items():
        members = [line for _, line in quantified if line.category == category and line.optimism_bias is None]
        if bias.percent != 0 and members and not any(line.kind is CostKind.committed for line in members):
            found.append(
                Problem(
                    ("appraisal", "category_optimism_bias", category),
                    True,
                    why.format(
                        what=f"every line of category '{category}' is",
                        fix="remove it, or mark the lines not yet spent committed",
                    ),
                )
            )
    overall = settings.cost_optimism_bias
    if (
        overall is not None
        and overall.percent != 0
        and not any(line.kind is CostKind.committed for _, line in quantified)
    ):
        found.append(
            Problem(
                ("appraisal", "cost_optimism_bias"),
                False,
                why.format(
                    what="every cost set against the benefits here is",
                    fix="remove it, add the committed (not yet spent) lines it should apply to, or appraise the budget as a "
                    "forecast with net_position_basis: budget",
                ),
            )
        )
    return found


def funding_basis_problems(scenario: Scenario) -> Iterator[Problem]:
    """Benefits set against funding need funding listed."""
    if scenario.net_position_basis is NetPositionBasis.funding and not scenario.funding:
        yield Problem(
            ("net_position_basis",),
            False,
            "net_position_basis is 'funding' but no funding is listed; add funding or use 'actual' or 'budget'",
        )


def real_terms_problems(scenario: Scenario) -> Iterator[Problem]:
    """real_terms and its older spelling appraisal.uprate, both written and saying different things."""
    appraisal = scenario.appraisal
    if (
        "real_terms" in scenario.model_fields_set
        and appraisal is not None
        and "uprate" in appraisal.model_fields_set
        and appraisal.uprate != scenario.real_terms
    ):
        yield Problem(
            ("appraisal", "uprate"),
            False,
            f"appraisal.uprate: {str(appraisal.uprate).lower()} says the opposite of real_terms: "
            f"{str(scenario.real_terms).lower()}; write real_terms alone",
        )


def price_base_problems(scenario: Scenario) -> Iterator[Problem]:
    """What a price base not stated, or years of the programme (Year 1), cannot support, each with why: real terms
    (there is no year to bring figures to, or none to deflate a period's spend from) and, with no price base,
    discounting (the Green Book's rate is real: discounting figures in unknown prices would discount inflation)."""
    appraisal = scenario.appraisal
    asked: list[tuple[str, ...]] = (
        [("real_terms",)] if "real_terms" in scenario.model_fields_set and scenario.real_terms else []
    )
    if appraisal is not None and "uprate" in appraisal.model_fields_set and appraisal.uprate:
        asked.append(("appraisal", "uprate"))
    if scenario.price_base == "not stated":
        for loc in asked:
            yield Problem(
                loc,
                False,
                "real terms bring every figure to the price base, and price_base is not stated; remove it (the "
                "figures then stay in the prices they were published in, and every face says so), or state the "
                "price base",
            )
        if appraisal is not None and (appraisal.discounting == "green_book" or appraisal.discount_rate is not None):
            where = "discount_rate" if appraisal.discount_rate is not None else "discounting"
            yield Problem(
                ("appraisal", where),
                False,
                "discounting needs figures in one stated price base: the discount rate is a real rate, and with "
                "price_base: not stated the figures' prices are unknown, so inflation would be discounted as "
                "time preference; state the price base, or leave the figures undiscounted",
            )
    elif scenario.relative_periods:
        for loc in asked:
            yield Problem(
                loc,
                False,
                "real terms deflate each period's spend from its own financial year, and years of the programme "
                "(Year 1, ...) name none; give the periods as financial years, or remove it",
            )
