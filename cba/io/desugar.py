"""Desugaring: shapes a scenario may be written in, rewritten as the plain shape the engine appraises.

Runs after the rules that read the shapes as written, so that every problem is reported where it was
written: arms' means per participant become totals, units x a price become amounts, and values written
in the scenario become entries of a table named ``scenario`` (so every face lists them with the unit costs).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from cba.io.positions import Positions
from cba.io.validation import diagnostics
from cba.model.cost_book import CostBook
from cba.model.errors import InputError
from cba.model.scenario import MoneyValue, ReportPer, Scenario, SpreadOver
from cba.model.source import Source
from cba.model.unit_cost import UnitCost, WrittenValues

#: The table that holds the values outcomes write themselves (``value:``); its entries are OUTCOME.value.
SCENARIO_TABLE = "scenario"


def with_spreads(scenario: Scenario) -> Scenario:
    """Totals published over several periods, as amounts (or volumes) by period: each period takes the total x
    its share, the last what is left, so the periods sum to the total exactly. The spread stays on the item,
    so that every face can say how its figures were set."""
    lines, transfers, outcomes = scenario.cost_lines, scenario.transfers, scenario.outcomes
    spreads = [x.spread for x in lines] + [t.spread for t in transfers] + [o.volume_spread for o in outcomes]
    if not any(spreads):
        return scenario
    first = scenario.periods[0]

    def split(spread: SpreadOver, total: Decimal | None) -> dict[str, Decimal]:
        return {} if total is None else spread.split(total, first)

    return scenario.model_copy(
        update={
            "cost_lines": [
                line
                if line.spread is None
                else line.model_copy(
                    update={
                        "budget": split(line.spread, line.spread.budget),
                        "actual": split(line.spread, line.spread.actual),
                    }
                )
                for line in lines
            ],
            "transfers": [
                t if t.spread is None else t.model_copy(update={"amounts": split(t.spread, t.spread.total)})
                for t in transfers
            ],
            "outcomes": [
                o
                if o.volume_spread is None
                else o.model_copy(update={"volumes": split(o.volume_spread, o.volume_spread.total)})
                for o in outcomes
            ],
        }
    )


def with_netted_savings(scenario: Scenario) -> Scenario:
    """Savings netted against their lines: each line's budget and actual become gross less the saving, period by
    period (the saving stays on the line, so that every face shows gross, saving and net). Runs last, once every
    line's gross amounts are known, and after the rule that no saving exceeds its line."""
    if not any(line.saving for line in scenario.cost_lines):
        return scenario

    def net(gross: dict[str, Decimal], saving: dict[str, Decimal]) -> dict[str, Decimal]:
        return {p: amount - saving.get(p, Decimal(0)) for p, amount in gross.items()}

    lines = [
        line
        if line.saving is None
        else line.model_copy(
            update={"budget": net(line.budget, line.saving.budget), "actual": net(line.actual, line.saving.actual)}
        )
        for line in scenario.cost_lines
    ]
    return scenario.model_copy(update={"cost_lines": lines})


def with_arms(scenario: Scenario) -> Scenario:
    """Means per participant as the programme arm's totals: an outcome's change is (programme - comparison) x n,
    a cost line's actual is the same difference of costs x n; results are given per participant too."""
    arms = scenario.arms
    if arms is None:
        return scenario
    n = arms.programme.n
    zero = Decimal(0)  # no comparison mean: a single arm's mean is the change per participant itself
    outcomes = [
        o.model_copy(update={"baseline": (o.arms.comparison or zero) * n, "follow_up": o.arms.programme * n})
        if o.arms is not None
        else o
        for o in scenario.outcomes
    ]
    lines = [
        line.model_copy(
            update={
                "actual": {
                    line.arms.period or scenario.periods[0]: (line.arms.programme - (line.arms.comparison or zero)) * n
                }
            }
        )
        if line.arms is not None
        else line
        for line in scenario.cost_lines
    ]
    update: dict[str, Any] = {"outcomes": outcomes, "cost_lines": lines}
    if scenario.report_per is None:
        update["report_per"] = ReportPer(label="participant", count=n)
    return scenario.model_copy(update=update)


def with_unit_prices(scenario: Scenario, costs: CostBook) -> Scenario:
    """Cost lines given as units x price, with their budget and actual amounts computed exactly."""
    if not any(line.units for line in scenario.cost_lines):
        return scenario
    lines = []
    for line in scenario.cost_lines:
        u = line.units
        if u is not None:
            price = u.price if u.price is not None else costs.resolve(u.unit_cost)[2].value  # type: ignore[arg-type]
            line = line.model_copy(
                update={
                    "budget": {p: n * price for p, n in u.budget.items()},
                    "actual": {p: n * price for p, n in u.actual.items()},
                    "units": u.model_copy(update={"price": price}),
                }
            )  # the price used
        lines.append(line)
    return scenario.model_copy(update={"cost_lines": lines})


def with_written_values(
    scenario: Scenario, costs: CostBook, source: Source, position: Positions
) -> tuple[Scenario, CostBook]:
    """Outcomes priced by a ``value:`` written in the scenario, as entries of a table named ``scenario`` (its
    file is the scenario), so that every face lists them with the unit costs, with their source and price year."""

    written = [
        (i, o)
        for i, o in enumerate(scenario.outcomes)
        if o.value is not None or any(p.value is not None for p in o.values or ())
    ]
    if not written:
        return scenario, costs
    if any(name == SCENARIO_TABLE for name, _ in costs.tables):
        raise InputError(
            [
                position.at(
                    ("unit_costs",),
                    False,
                    f"a unit-cost table may not be named '{SCENARIO_TABLE}': outcomes' own values use it",
                )
            ]
        )
    entries, lines, outcomes = {}, {}, list(scenario.outcomes)
    positions: dict[tuple[str, str], tuple[int, int]] = {}

    def entry(i: int, where: tuple[Any, ...], entry_id: str, v: MoneyValue, description: str) -> str:
        try:
            entries[entry_id] = UnitCost(
                id=entry_id,
                description=description,
                unit=v.unit,
                value=v.amount,
                price_year=v.price_year,
                agency=v.agency,
                value_type=v.value_type,
                cashable=v.cashable,
                confidence=v.confidence,
                source=v.source,
            )
        except ValidationError as exc:  # the scenario's model checks the same fields; this is a backstop
            raise InputError(
                diagnostics(exc, source.name, lambda loc, key: position(("outcomes", i, *where), False))
            ) from None
        lines[entry_id] = position(("outcomes", i, *where), False)[0]
        for name in ("amount", "price_year", "confidence", "agency"):
            positions[(entry_id, name)] = position(("outcomes", i, *where, name), False)
        return f"{SCENARIO_TABLE}/{entry_id}"

    for i, o in written:
        if o.value is not None and o.amounts is not None:  # money by period: so many pounds, each worth £1
            pound = o.value.model_copy(update={"amount": Decimal(1), "unit": "£1 (the outcome is given in pounds)"})
            ref = entry(
                i, ("value",), f"{o.id}.value", pound, f"{o.measure} (amounts in pounds written in the scenario)"
            )
            outcomes[i] = o.model_copy(update={"unit_cost": ref, "volumes": dict(o.amounts), "amounts": None})
            continue
        if o.value is not None and o.value.amount is None and o.arms is not None:  # arm means in pounds, £1 each
            pound = o.value.model_copy(update={"amount": Decimal(1), "unit": "£1 (the arm means are in pounds)"})
            ref = entry(
                i, ("value",), f"{o.id}.value", pound, f"{o.measure} (arm means in pounds written in the scenario)"
            )
            outcomes[i] = o.model_copy(update={"unit_cost": ref})
            continue
        if o.value is not None:
            ref = entry(i, ("value",), f"{o.id}.value", o.value, f"{o.measure} (the value written in the scenario)")
            outcomes[i] = o.model_copy(update={"unit_cost": ref})
            continue
        parts = list(o.values or ())
        for k, part in enumerate(parts):
            if part.value is not None:
                ref = entry(
                    i,
                    ("values", k, "value"),
                    f"{o.id}.value{k + 1}",
                    part.value,
                    f"{o.measure}, {part.label or part.value.agency} (a value written in the scenario)",
                )
                parts[k] = part.model_copy(update={"unit_cost": ref})
        outcomes[i] = o.model_copy(update={"values": parts})
    table = WrittenValues(source, entries, lines, positions=positions)
    return (
        scenario.model_copy(update={"outcomes": outcomes}),
        CostBook([*costs.tables, (SCENARIO_TABLE, table)], costs.overrides),
    )
