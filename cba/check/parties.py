"""Rules on who pays and who benefits: agencies, the scenario's own parties, and transfers between them."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.periods import not_a_period
from cba.check.problem import Problem
from cba.model.errors import suggest
from cba.model.scenario import Scenario
from cba.model.unit_cost import KNOWN_AGENCIES


def transfer_problems(scenario: Scenario) -> Iterator[Problem]:
    """A transfer moves money one way between two known parties, in the scenario's periods."""
    parties = list(KNOWN_AGENCIES) + list(scenario.parties)
    outcome_ids = [o.id for o in scenario.outcomes]
    for i, transfer in enumerate(scenario.transfers):
        for field_name, alias in (("payer", "from"), ("payee", "to")):
            party = getattr(transfer, field_name)
            if party not in parties:
                yield Problem(
                    ("transfers", i, alias),
                    False,
                    f"unknown party '{party}'{suggest(party, parties)}; use an agency or add it to parties: [{party}]",
                )
        if transfer.payer == transfer.payee:
            yield Problem(
                ("transfers", i, "to"), False, "a transfer moves money between two parties; from and to are the same"
            )
        if (transfer.amounts is None) == (transfer.per_outcome is None):
            yield Problem(("transfers", i), False, "give the transfer one way: amounts by period, or per_outcome")
        for period in transfer.amounts or {}:
            if period not in scenario.periods:
                yield not_a_period(scenario, ("transfers", i, "amounts", period), True, period)
        if transfer.per_outcome is not None and transfer.per_outcome.outcome not in outcome_ids:
            yield Problem(
                ("transfers", i, "per_outcome", "outcome"),
                False,
                f"no outcome '{transfer.per_outcome.outcome}'{suggest(transfer.per_outcome.outcome, outcome_ids)}",
            )


def agency_problems(scenario: Scenario) -> Iterator[Problem]:
    """Every agency named (who bears a cost, whose value an outcome is) is one cba knows."""
    for loc, agency in (
        [(("cost_agency",), scenario.cost_agency)]
        + [(("cost_lines", i, "agency"), line.agency) for i, line in enumerate(scenario.cost_lines) if line.agency]
        + [(("outcomes", i, "value", "agency"), o.value.agency) for i, o in enumerate(scenario.outcomes) if o.value]
        + [
            (("outcomes", i, "values", k, "value", "agency"), p.value.agency)
            for i, o in enumerate(scenario.outcomes)
            for k, p in enumerate(o.values or ())
            if p.value
        ]
    ):
        if agency not in KNOWN_AGENCIES:
            yield Problem(
                loc,
                False,
                f"unknown agency '{agency}'{suggest(agency, KNOWN_AGENCIES)}; use one of: {', '.join(KNOWN_AGENCIES)}",
            )
