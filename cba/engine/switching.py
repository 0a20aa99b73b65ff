"""Switching values (Green Book): how far an input must move for the decision to change."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cba.engine.appraisal import ZERO, Appraisal
from cba.engine.timeline import timed_volumes
from cba.model.scenario import Scenario


@dataclass(frozen=True)
class Switching:
    """Switching values (Green Book): how far an input must move for the net position to reach zero."""

    outcome_changes: dict[str, Decimal | None]  # outcome -> change (follow_up - baseline) at break-even
    unit_cost_pct: dict[str, Decimal | None]  # unit cost -> % change that flips the sign
    total_cost_pct: Decimal | None
    measure: str  # "net position" or "NPV"


def switching_values(scenario: Scenario, result: Appraisal, *, present_value: bool = False) -> Switching:
    """Exact switching values over the undiscounted net position, or over the NPV.

    An outcome is treated as attributable for its own switching value; the others count
    as the scenario says.
    """
    t = result.timeline
    outcomes = {o.id: o for o in scenario.outcomes}
    if present_value:
        cost, total = t.pv_costs, t.pv_benefits
        contribution = {s.outcome: t.pv_stream(s) for s in t.streams}
    else:
        cost, total = result.net.cost, result.net.benefits
        contribution = {o.id: o.attributable_value for o in result.outcomes}
    changes: dict[str, Decimal | None] = {}
    for s in t.streams:
        o = outcomes[s.outcome]
        if s.unit_cost is None or o.volumes is not None:
            continue
        profile = timed_volumes(Decimal(1), o.timing.start_year, o.timing.duration, o.timing.drop_off)
        factors = t.factors[s.discount_column] if present_value else None
        years = sum((v * (factors[y] if factors else 1) for y, v in profile.items()), ZERO)
        per_unit = s.unit_value * s.additionality * (1 - s.optimism_bias) * years
        others = total - contribution[s.outcome]
        changes[s.outcome] = None if per_unit == 0 else -(cost - others) / per_unit
    by_unit: dict[str, Decimal] = {}
    for s in t.streams:
        ref = outcomes[s.outcome].unit_cost
        if ref is not None and s.counted:
            by_unit[ref] = by_unit.get(ref, ZERO) + contribution[s.outcome]
    net = total - cost
    unit_pct = {u: (None if c == 0 else -net / c * 100) for u, c in by_unit.items()}
    for o in scenario.outcomes:
        if o.unit_cost is not None:
            unit_pct.setdefault(o.unit_cost, None)
    return Switching(changes, unit_pct, None if cost == 0 else net / cost * 100,
                     "NPV" if present_value else "net position")


def describe_change(change: Decimal | None, measure: str) -> str:
    if change is None:
        return "no value: the outcome is not priced"
    if change < 0:
        return f"a fall of {abs(change):,.1f} in {measure.lower()}"
    return f"a rise of {change:,.1f} in {measure.lower()} (the other benefits already exceed the cost)"
