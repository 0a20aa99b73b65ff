"""Rules on the reference series an appraisal uses: a grade for every optimism bias, a deflator year for
everything brought to the price base. Errors, never guesses."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.problem import Problem
from cba.engine.appraisal import deflated_years
from cba.model.cost_book import CostBook
from cba.model.reference import ReferenceData
from cba.model.scenario import Scenario


def needs_reference(scenario: Scenario) -> bool:
    """Whether the appraisal uses the deflator, discount schedule or grade table."""
    return (
        scenario.appraisal is not None
        or (scenario.in_real_terms and bool(scenario.outcomes or scenario.cost_lines))
        or any(o.optimism_bias is not None or o.evidence is not None for o in scenario.outcomes)
        or any(line.optimism_bias is not None for line in scenario.cost_lines)
    )


def reference_problems(
    scenario: Scenario, costs: CostBook, reference: ReferenceData, scenario_name: str
) -> Iterator[Problem]:
    """Grades the table lacks, and deflator years missing for uprating."""
    grades = reference.grades
    wanted = [o.optimism_bias.grade for o in scenario.outcomes if o.optimism_bias and o.optimism_bias.grade]
    wanted += [
        g
        for o in scenario.outcomes
        if o.evidence
        for g in (o.evidence.impact, o.evidence.deadweight, o.evidence.cohort)
        if g
    ]
    settings = scenario.appraisal
    cost_biases = [line.optimism_bias for line in scenario.cost_lines] + (
        [settings.cost_optimism_bias, *settings.category_optimism_bias.values()] if settings else []
    )
    wanted += [b.grade for b in cost_biases if b is not None and b.grade]
    if settings and settings.benefit_optimism_bias == "by_confidence":
        graded = [(o, ref) for o in scenario.outcomes if not o.optimism_bias for _, ref in o.priced_by()]
        for outcome, ref in graded:
            entry = costs.resolve(ref)[2]  # every reference resolves by this phase
            if entry.confidence is None:
                yield Problem.in_file(
                    *costs.location(ref, "confidence"),
                    f"'{entry.id}' has no confidence grade, so benefit_optimism_bias: by_confidence "
                    f"cannot price outcome '{outcome.id}'; grade it or give the outcome an optimism_bias",
                )
            else:
                wanted.append(entry.confidence)
    for grade in sorted(set(wanted) - set(grades.percent)):
        yield Problem.of_file(grades.source.name, f"no optimism-bias percentage for grade {grade}")
    if scenario.in_real_terms:
        deflator = reference.deflator
        if deflator.key_for(scenario.price_base) is None:
            yield Problem.of_file(
                deflator.source.name,
                f"no deflator value for the price base {scenario.price_base} of {scenario_name}",
            )
        # real terms: outturn spend is deflated from its own period, a line with a stated price basis from that year
        for year in dict.fromkeys(deflated_years(scenario)):
            if deflator.key_for(year) is None:
                yield Problem.of_file(
                    deflator.source.name,
                    f"no deflator value for {year}, needed to bring the costs of {scenario_name} "
                    f"to {scenario.price_base} prices; add it or supply another series",
                )
        for ref in [ref for o in scenario.outcomes for _, ref in o.priced_by()]:
            priced = costs.resolve(ref)[2]
            if priced.price_year != "not stated" and deflator.key_for(priced.price_year) is None:
                yield Problem.in_file(
                    *costs.location(ref, "price_year"),
                    f"price year {priced.price_year} of '{priced.id}' is not in the deflator series "
                    f"{deflator.source.name}; "
                    "add it or supply another series",
                )
