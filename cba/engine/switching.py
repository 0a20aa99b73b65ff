"""Switching values (Green Book): how far an input must move for the decision to change.

One definition, used by ``cba run`` and ``cba breakeven`` alike. For an outcome, the
switching value is the volume at which benefits cover the cost, on a stated basis:

* ``net_position``: undiscounted, against the cost the scenario's basis names (the
  grant, actual spend or the budget), as the source report's net position;
* ``npv``: over the appraisal, discounted, against the PV of costs (NPV = 0).

units needed = (cost - other attributable benefits) / value of one unit, where the
value of one unit is the unit cost x uprating x conversion x additionality
x (1 - optimism bias) x the outcome's timing (its years, discounted on the NPV
basis). The outcome itself is treated as attributable; the others count as written.
A unit is one unit of the outcome's volume: one fewer (a measured change), one person
achieving it (a cohort), or one in total over the years in the pattern given (volumes).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from cba.engine.timeline import BenefitStream, Timeline
from cba.model.record import record

ZERO = Decimal(0)
Basis = Literal["net_position", "npv"]


@record
class OutcomeSwitch:
    """The volume of one outcome at which its basis reaches zero, with the divisor spelt out."""

    outcome: str
    measure: str
    basis: Basis
    volume_kind: Literal["change", "cohort", "volumes"]
    cost: Decimal  # the cost on this basis (funding, actual, budget, or PV of costs)
    other_benefits: Decimal  # the other outcomes' attributable benefits on this basis
    unit_cost: Decimal  # the unit cost as written
    uprating: Decimal
    conversion: Decimal
    additionality: Decimal
    optimism_bias: Decimal
    timing: Decimal  # years the benefit of one unit falls in (discounted on the NPV basis)
    volume_as_written: Decimal  # the outcome's volume in the scenario (a fall or achievers), for comparison
    values: int  # how many values price one unit: with several, unit_cost is their sum at the price base
    per_year: int  # timing counts periods: years, or quarters (4 a year) or months (12)

    @property
    def per_unit(self) -> Decimal:
        """What one unit of the outcome is worth on this basis: the divisor."""
        return (
            self.unit_cost
            * self.uprating
            * self.conversion
            * self.additionality
            * (1 - self.optimism_bias)
            * self.timing
        )

    @property
    def units_needed(self) -> Decimal | None:
        """Volume that covers the cost; None when one unit is worth nothing (e.g. 100% deadweight)."""
        per_unit = self.per_unit
        return None if per_unit == 0 else (self.cost - self.other_benefits) / per_unit

    @property
    def switching_value(self) -> Decimal | None:
        """The outcome's own input at break-even as ``--vary``, ``--set`` and ``uncertainty:`` write it: for an
        outcome given by baseline and follow-up, its change (follow-up - baseline: 31.5 fewer is -31.5); else
        the number achieving it, or the total in the pattern given."""
        needed = self.units_needed
        return None if needed is None else (-needed if self.volume_kind == "change" else needed)

    @property
    def written_value(self) -> Decimal:
        """That input as the scenario writes it (a fall of 60 is -60)."""
        return -self.volume_as_written if self.volume_kind == "change" else self.volume_as_written


@record
class CostSwitch:
    """The % change in a unit cost, or in total cost, at which the basis reaches zero."""

    input: str
    kind: Literal["unit cost", "total cost"]
    basis: Basis
    percent: Decimal | None  # None: why_none says why
    why_none: str = ""  # in words every face uses: nothing uses it, no cost, or outside the feasible range


#: Neither a unit cost nor a total cost can fall below nothing: -100% is the end of the feasible range.
FLOOR = Decimal(-100)
#: A change of more than a billion per cent (ten million times the figure) is no switching value anyone could use:
#: it comes of benefits that nearly cancel (a volume that rises and falls back), and would print fifty digits.
CEILING = Decimal(1_000_000_000)


def _switch(ref: str, kind: Literal["unit cost", "total cost"], basis: Basis, percent: Decimal | None) -> CostSwitch:
    if percent is None:
        why = "nothing attributable uses it" if kind == "unit cost" else "no cost"
        return CostSwitch(ref, kind, basis, None, why)
    if percent < FLOOR:  # e.g. -2,117%: the unit cost would have to be negative
        return CostSwitch(
            ref, kind, basis, None, f"no switching value in the feasible range (it would be {percent:,.1f}%)"
        )
    if percent > CEILING:
        return CostSwitch(
            ref,
            kind,
            basis,
            None,
            "no switching value within reach (it would be a rise of more than a billion per cent)",
        )
    return CostSwitch(ref, kind, basis, percent)


def _profile(stream: BenefitStream, volume_kind: str) -> tuple[dict[int, Decimal], Decimal]:
    """(the timing of one unit by year, the volume as written)."""
    total = sum(stream.volumes.values(), ZERO)
    if volume_kind == "volumes":
        if total == 0:  # no pattern to follow: one unit spread evenly over the years given (one year: in it)
            return {t: Decimal(1) / len(stream.volumes) for t in stream.volumes}, total
        return {t: v / total for t, v in stream.volumes.items()}, total
    return stream.profile, stream.volume


def outcome_switches(timeline: Timeline, cost: Decimal, basis: Basis) -> list[OutcomeSwitch]:
    """Each priced outcome's switching value on one basis (``cost`` is the basis's cost).

    An outcome with several values moves them all together: its unit cost is then the sum of its values at
    the price base (each x its share and uprating, and x its own optimism bias where theirs differ), and the
    uprating shown is 1 (and the optimism bias 0 where theirs differ).
    """
    present = basis == "npv"
    if present:
        contribution = [(s.outcome, timeline.pv_stream(s)) for s in timeline.streams]
    else:
        contribution = [(s.outcome, sum((s.counted_value(t) for t in s.volumes), ZERO)) for s in timeline.streams]
    total = sum((c for _, c in contribution), ZERO)
    found = []
    for s in timeline.streams:
        if s.unit_cost is None or s.part:  # an outcome's later values are counted with its first
            continue
        profile, written = _profile(s, s.volume_kind)
        factors = timeline.factors[s.discount_column]
        # one unit's years, discounted on NPV and grown at its real price growth (all 1 without)
        timing = sum((share * (factors[t] if present else 1) * s.growth_at(t) for t, share in profile.items()), ZERO)
        own = sum((c for o, c in contribution if o == s.outcome), ZERO)
        unit_cost, uprating, bias = s.unit_cost.value, s.uprate_factor, s.optimism_bias
        parts = [s]
        if s.part is not None:
            parts = [p for p in timeline.streams if p.outcome == s.outcome]  # every value has its unit cost
            alike = len({p.optimism_bias for p in parts}) == 1
            unit_cost = sum(
                (
                    p.unit_cost.value  # type: ignore[union-attr]  # every value of a priced outcome has its unit cost
                    * p.uprate_factor
                    * p.share
                    * (1 if alike else 1 - p.optimism_bias)
                    for p in parts
                ),
                ZERO,
            )
            uprating, bias = Decimal(1), (s.optimism_bias if alike else ZERO)
        found.append(
            OutcomeSwitch(
                outcome=s.outcome,
                measure=s.measure,
                basis=basis,
                volume_kind=s.volume_kind,  # type: ignore[arg-type]
                cost=cost,
                other_benefits=total - own,
                unit_cost=unit_cost,
                uprating=uprating,
                conversion=s.conversion,
                additionality=s.additionality,
                optimism_bias=bias,
                timing=timing,
                volume_as_written=written,
                values=len(parts),
                per_year=timeline.per_year,
            )
        )
    return found


def cost_switches(timeline: Timeline, cost: Decimal, benefits: Decimal, basis: Basis) -> list[CostSwitch]:
    """% change in each unit cost (its counted benefits scale with it) and in total cost that brings the basis to zero."""
    present = basis == "npv"
    by_unit: dict[str, Decimal] = {}
    for s in timeline.streams:
        if s.unit_cost is None:
            continue
        value = timeline.pv_stream(s) if present else sum((s.counted_value(t) for t in s.volumes), ZERO)
        by_unit[s.unit_cost_ref] = by_unit.get(s.unit_cost_ref, ZERO) + value
    net = benefits - cost
    found = [_switch(ref, "unit cost", basis, None if c == 0 else -net / c * 100) for ref, c in by_unit.items()]
    found.append(_switch("total cost", "total cost", basis, None if cost == 0 else net / cost * 100))
    return found
