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
        ways = [
            transfer.amounts is not None,
            transfer.per_outcome is not None,
            transfer.multiple_of is not None,
            transfer.spread is not None,
        ]
        if sum(ways) != 1:
            yield Problem(
                ("transfers", i),
                False,
                "give the transfer one way: amounts by period, per_outcome, multiple_of, or spread",
            )
        multiple = transfer.multiple_of
        if multiple is not None:
            earlier = [t.name for t in scenario.transfers[:i]]
            if multiple.transfer not in earlier:
                if multiple.transfer == transfer.name:
                    where = "that is this transfer"
                elif multiple.transfer in {t.name for t in scenario.transfers}:
                    where = "it is listed later"
                else:
                    where = f"no transfer of that name{suggest(multiple.transfer, earlier)}"
                yield Problem(
                    ("transfers", i, "multiple_of", "transfer"),
                    False,
                    f"multiple_of names '{multiple.transfer}': {where}; name a transfer listed before this one",
                )
            if multiple.times < 0:
                yield Problem(("transfers", i, "multiple_of", "times"), False, "times must not be negative")
            if multiple.period is not None and multiple.period not in scenario.periods:
                yield not_a_period(scenario, ("transfers", i, "multiple_of", "period"), False, multiple.period)
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
        + [
            (("cost_lines", i, "agency"), line.agency)
            for i, line in enumerate(scenario.cost_lines)
            if line.agency and line.agency not in scenario.parties  # a party outside the public sector may bear one
        ]
        + [(("outcomes", i, "value", "agency"), o.value.agency) for i, o in enumerate(scenario.outcomes) if o.value]
        + [
            (("outcomes", i, "values", k, "value", "agency"), p.value.agency)
            for i, o in enumerate(scenario.outcomes)
            for k, p in enumerate(o.values or ())
            if p.value
        ]
    ):
        if agency not in KNOWN_AGENCIES:
            # a cost may be borne outside the public sector (a provider); a value is always an agency's
            line = loc[0] == "cost_lines"
            party = f", or add it to parties: [{agency}] if it is outside the public sector" if line else ""
            near = suggest(agency, [*KNOWN_AGENCIES, *scenario.parties] if line else KNOWN_AGENCIES)
            yield Problem(
                loc, False, f"unknown agency '{agency}'{near}; use one of: {', '.join(KNOWN_AGENCIES)}" + party
            )
