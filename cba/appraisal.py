"""The appraisal arithmetic: pure functions from a scenario and its unit costs to figures.

Nothing here reads files, prints or rounds. Every amount is an exact Decimal;
ratios are exact Decimal quotients (28 significant digits) and are rounded only
by whoever displays them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from .scenario import CostKind, CostLine, NetPositionBasis, Scenario
from .unit_costs import UnitCost

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == 0 else numerator / denominator


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else part * HUNDRED / whole


@dataclass(frozen=True)
class Figures:
    """Budget against actual for one line or a group of lines, by period and in total."""

    label: str
    budget: dict[str, Decimal]
    actual: dict[str, Decimal]

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget.values(), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum(self.actual.values(), ZERO)

    @property
    def variance(self) -> Decimal:
        """Actual less budget: positive is an overspend."""
        return self.actual_total - self.budget_total

    @property
    def variance_pct(self) -> Decimal | None:
        return percent(self.variance, self.budget_total)

    def period_variance(self, period: str) -> Decimal:
        return self.actual[period] - self.budget[period]


@dataclass(frozen=True)
class LineFigures(Figures):
    kind: CostKind = CostKind.direct
    quantified: bool = True
    budgeted: bool = True  # whether the line had a budget at all (unplanned spend has none)


def line_figures(line: CostLine, periods: Iterable[str]) -> LineFigures:
    periods = list(periods)
    return LineFigures(
        label=line.name,
        budget={p: line.budget.get(p, ZERO) for p in periods},
        actual={p: line.actual.get(p, ZERO) for p in periods},
        kind=line.kind,
        quantified=line.quantified,
        budgeted=bool(line.budget),
    )


def sum_figures(label: str, items: Iterable[Figures], periods: Iterable[str]) -> Figures:
    items = list(items)
    periods = list(periods)
    return Figures(
        label=label,
        budget={p: sum((f.budget[p] for f in items), ZERO) for p in periods},
        actual={p: sum((f.actual[p] for f in items), ZERO) for p in periods},
    )


KIND_LABELS = {
    CostKind.direct: "Planned (direct) spend",
    CostKind.unplanned: "Unplanned spend",
    CostKind.committed: "Committed spend",
    CostKind.in_kind: "In-kind costs",
}


@dataclass(frozen=True)
class Check:
    """A published total against the sum cba computes from the same table's cells."""

    label: str
    published: Decimal
    computed: Decimal

    @property
    def difference(self) -> Decimal:
        """Published less computed."""
        return self.published - self.computed

    @property
    def agrees(self) -> bool:
        return self.difference == 0


def reconcile(scenario: Scenario, lines: list[LineFigures]) -> list[Check]:
    """Every published figure in the scenario, checked against the computed sum."""
    checks: list[Check] = []
    for line, figures in zip(scenario.cost_lines, lines):
        if line.published is None:
            continue
        if line.published.budget is not None:
            checks.append(Check(f"{line.name} ({line.kind.value}): budget total", line.published.budget, figures.budget_total))
        if line.published.actual is not None:
            checks.append(Check(f"{line.name} ({line.kind.value}): actual total", line.published.actual, figures.actual_total))
    for total in scenario.published_totals:
        kinds = set(total.kinds) if total.kinds is not None else set(CostKind)
        chosen = [f for f in lines if f.kind in kinds and f.quantified]
        measure = "budget" if total.measure == "budget" else "actual"
        if total.period is None:
            computed = sum((getattr(f, f"{measure}_total") for f in chosen), ZERO)
        else:
            computed = sum((getattr(f, measure)[total.period] for f in chosen), ZERO)
        checks.append(Check(total.label, total.value, computed))
    return checks


@dataclass(frozen=True)
class IdenticalLines:
    """Two or more lines with the same non-zero figure in every period: often a copy error."""

    measure: str
    lines: tuple[str, ...]
    amounts: tuple[Decimal, ...]


def identical_lines(lines: list[LineFigures], periods: list[str]) -> list[IdenticalLines]:
    found = []
    for measure in ("budget", "actual"):
        groups: dict[tuple[Decimal, ...], list[str]] = {}
        for figures in lines:
            amounts = tuple(getattr(figures, measure)[p] for p in periods)
            if any(amounts):
                groups.setdefault(amounts, []).append(figures.label)
        for amounts, names in groups.items():
            if len(names) > 1:
                found.append(IdenticalLines(measure, tuple(names), amounts))
    return found


@dataclass(frozen=True)
class OutcomeValue:
    id: str
    measure: str
    baseline: Decimal
    follow_up: Decimal
    unit_cost: UnitCost | None
    attributable: bool

    @property
    def change(self) -> Decimal:
        return self.follow_up - self.baseline

    @property
    def value(self) -> Decimal | None:
        """Saving at the unit cost: a fall in demand saves, a rise costs."""
        if self.unit_cost is None:
            return None
        return -self.change * self.unit_cost.value

    @property
    def attributable_value(self) -> Decimal:
        return self.value if (self.attributable and self.value is not None) else ZERO


def value_outcomes(
    scenario: Scenario, unit_costs: Mapping[str, UnitCost], attributable: Iterable[str] = ()
) -> list[OutcomeValue]:
    """Price each outcome; ids in ``attributable`` are treated as attributable whatever the file says."""
    forced = set(attributable)
    return [
        OutcomeValue(
            id=o.id,
            measure=o.measure,
            baseline=o.baseline,
            follow_up=o.follow_up,
            unit_cost=unit_costs[o.unit_cost] if o.unit_cost else None,
            attributable=o.attributable or o.id in forced,
        )
        for o in scenario.outcomes
    ]


@dataclass(frozen=True)
class NetPosition:
    basis: NetPositionBasis
    cost: Decimal
    benefits: Decimal

    @property
    def net(self) -> Decimal:
        """Attributable benefits less cost: negative is a net cost."""
        return self.benefits - self.cost

    @property
    def benefit_cost_ratio(self) -> Decimal | None:
        return ratio(self.benefits, self.cost)


@dataclass(frozen=True)
class BreakEven:
    """How far one outcome must fall, for one year, for benefits to cover the cost."""

    outcome: str
    unit_cost: UnitCost
    other_benefits: Decimal
    cost: Decimal

    @property
    def units_needed(self) -> Decimal:
        return (self.cost - self.other_benefits) / self.unit_cost.value


def break_even(outcomes: list[OutcomeValue], cost: Decimal) -> list[BreakEven]:
    result = []
    for o in outcomes:
        if o.unit_cost is None or o.unit_cost.value == 0:
            continue
        others = sum((x.attributable_value for x in outcomes if x is not o), ZERO)
        result.append(BreakEven(o.id, o.unit_cost, others, cost))
    return result


@dataclass(frozen=True)
class Appraisal:
    """Everything ``cba run`` reports, computed once."""

    periods: list[str]
    lines: list[LineFigures]
    by_kind: dict[CostKind, Figures]
    total: Figures
    funding_total: Decimal
    checks: list[Check]
    identical: list[IdenticalLines]
    outcomes: list[OutcomeValue]
    net: NetPosition
    break_even: list[BreakEven]
    unquantified: list[str] = field(default_factory=list)

    @property
    def disagreements(self) -> list[Check]:
        return [c for c in self.checks if not c.agrees]


def basis_cost(basis: NetPositionBasis, funding_total: Decimal, total: Figures) -> Decimal:
    if basis is NetPositionBasis.funding:
        return funding_total
    if basis is NetPositionBasis.actual:
        return total.actual_total
    return total.budget_total


def appraise(
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    *,
    attributable: Iterable[str] = (),
    basis: NetPositionBasis | None = None,
) -> Appraisal:
    """Compute the whole appraisal of a validated scenario."""
    periods = list(scenario.periods)
    lines = [line_figures(line, periods) for line in scenario.cost_lines]
    quantified = [f for f in lines if f.quantified]
    by_kind = {
        kind: sum_figures(KIND_LABELS[kind], (f for f in quantified if f.kind is kind), periods)
        for kind in CostKind
        if any(f.kind is kind for f in quantified)
    }
    total = sum_figures("Total", quantified, periods)
    funding_total = sum((f.amount for f in scenario.funding), ZERO)
    outcomes = value_outcomes(scenario, unit_costs, attributable)
    basis = basis or scenario.net_position_basis
    cost = basis_cost(basis, funding_total, total)
    benefits = sum((o.attributable_value for o in outcomes), ZERO)
    return Appraisal(
        periods=periods,
        lines=lines,
        by_kind=by_kind,
        total=total,
        funding_total=funding_total,
        checks=reconcile(scenario, lines),
        identical=identical_lines(quantified, periods),
        outcomes=outcomes,
        net=NetPosition(basis, cost, benefits),
        break_even=break_even(outcomes, cost),
        unquantified=[f.label for f in lines if not f.quantified],
    )
