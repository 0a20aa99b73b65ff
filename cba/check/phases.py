"""The rules in the order the loader runs them, one named list a phase.

A phase runs only when the one before found nothing, because its rules rely on what the earlier
ones guarantee (a reference can be resolved only once the table loads; a price year can be read
only once every reference resolves). Within a phase every rule runs, so a file's problems are
reported together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from cba.check.arms import arm_problems, counterfactual_problems
from cba.check.cost_lines import cost_line_id_problems, cost_line_problems
from cba.check.financial_case import financial_case_problems
from cba.check.growth import growth_problems, growth_year_problems
from cba.check.outcomes import evidence_problems, outcome_problems
from cba.check.parties import agency_problems, transfer_problems
from cba.check.periods import period_problems
from cba.check.problem import Problem
from cba.check.reference import reference_problems
from cba.check.results import claim_problems, published_result_problems, published_total_problems
from cba.check.savings import saving_period_problems, saving_size_problems
from cba.check.settings import (
    cost_bias_problems,
    funding_basis_problems,
    horizon_problems,
    outturn_problems,
    price_base_problems,
    real_terms_problems,
)
from cba.check.spreads import spread_problems
from cba.check.uncertainty import range_warnings, uncertainty_problems
from cba.check.unit_costs import price_year_problems, unit_cost_problems
from cba.check.unmonetised import unmonetised_problems
from cba.model.cost_book import CostBook
from cba.model.reference import ReferenceData
from cba.model.scenario import Scenario

#: As written: the scenario on its own, before any table is read (also every --set is checked by these).
AS_WRITTEN: tuple[Callable[[Scenario], Iterable[Problem]], ...] = (
    period_problems,
    cost_line_problems,
    spread_problems,
    saving_period_problems,
    published_total_problems,
    transfer_problems,
    published_result_problems,
    claim_problems,
    unmonetised_problems,
    financial_case_problems,
    growth_problems,
    outcome_problems,
    evidence_problems,
    arm_problems,
    counterfactual_problems,
    horizon_problems,
    cost_bias_problems,
    cost_line_id_problems,
    outturn_problems,
    agency_problems,
    funding_basis_problems,
    real_terms_problems,
    price_base_problems,
)

#: With its unit-cost tables: every reference resolves; every range names an input the scenario has.
WITH_COSTS: tuple[Callable[[Scenario, CostBook], Iterable[Problem]], ...] = (
    unit_cost_problems,
    uncertainty_problems,
)

#: Warnings, with the tables, once nothing is wrong: a run goes ahead, and the reader is told (file:line).
WARNINGS: tuple[Callable[[Scenario, CostBook], Iterable[Problem]], ...] = (range_warnings,)

#: After desugaring (arms, units x price): prices no later than the price base without a deflator; no saving
#: netted against a line larger than the line's cost.
PRICED: tuple[Callable[[Scenario, CostBook, str], Iterable[Problem]], ...] = (
    price_year_problems,
    saving_size_problems,
    growth_year_problems,
)

#: With the reference series: grades and deflator years for everything the appraisal uses.
WITH_REFERENCE: tuple[Callable[[Scenario, CostBook, ReferenceData, str], Iterable[Problem]], ...] = (
    reference_problems,
)


def as_written(scenario: Scenario) -> list[Problem]:
    return [p for rule in AS_WRITTEN for p in rule(scenario)]


def with_costs(scenario: Scenario, costs: CostBook) -> list[Problem]:
    return [p for rule in WITH_COSTS for p in rule(scenario, costs)]


def warnings(scenario: Scenario, costs: CostBook) -> list[Problem]:
    return [p for rule in WARNINGS for p in rule(scenario, costs)]


def priced(scenario: Scenario, costs: CostBook, scenario_name: str) -> list[Problem]:
    return [p for rule in PRICED for p in rule(scenario, costs, scenario_name)]


def with_reference(scenario: Scenario, costs: CostBook, reference: ReferenceData, scenario_name: str) -> list[Problem]:
    return [p for rule in WITH_REFERENCE for p in rule(scenario, costs, reference, scenario_name)]
