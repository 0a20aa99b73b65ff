"""The appraisal arithmetic: pure functions from a scenario and its unit costs to figures.

Nothing here reads files, prints or rounds. Every amount is an exact Decimal;
ratios are exact Decimal quotients (28 significant digits) and are rounded only
by whoever displays them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from cba.engine.evidence import derive, ranged_aspects
from cba.engine.timeline import (
    ONE,
    BenefitStream,
    CostFlow,
    SpreadShape,
    Timeline,
    TransferFlow,
    capped_payments,
    cohort_volume,
    discount_factors,
    discount_rates,
    spread_shape,
    timed_volumes,
    wealth_effect,
)
from cba.model import periods
from cba.model.growth import RealGrowth, growth_origin, year_start
from cba.model.record import record
from cba.model.reference import Deflator, DiscountSchedule, Grades, ReferenceData
from cba.model.scenario import (
    CostKind,
    CostLine,
    NetPositionBasis,
    OptimismBias,
    Outcome,
    Scenario,
    Timing,
)
from cba.model.unit_cost import UnitCost

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    return None if denominator == 0 else numerator / denominator


def _rate_text(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole == 0 else part * HUNDRED / whole


@record
class Evidence:
    """Where an input's figures come from and what a reader should know, as the scenario writes them: shown
    beside the input in the workbook, listed in the report, carried in the JSON."""

    source: str | None = None
    note: str | None = None


NO_EVIDENCE = Evidence()


#: The outside_budget of every line with no contributed resources: one empty dict, never changed (figures are
#: not changed once made), not one a line (64 bytes each: at 100,000 lines, a fifth of a byte of peak memory
#: for each byte of the file; issue 32).
NO_CONTRIBUTIONS: dict[str, Decimal] = {}


@record
class Figures:
    """Budget against actual for one line or a group of lines, by period and in total."""

    label: str
    budget: dict[str, Decimal]
    actual: dict[str, Decimal]
    budgeted: bool = True  # whether anything in it had a budget at all (unplanned spend has none)
    # contributed resources (in-kind costs without a budget) by period: in the actual, not in the variance
    outside_budget: dict[str, Decimal] = field(default_factory=lambda: NO_CONTRIBUTIONS)

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget.values(), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum(self.actual.values(), ZERO)

    @property
    def variance(self) -> Decimal | None:
        """Spend less budget: positive is an overspend. None where nothing was budgeted; in-kind
        contributions without a budget are not spend against it."""
        if not self.budgeted:
            return None
        return self.actual_total - sum(self.outside_budget.values(), ZERO) - self.budget_total

    @property
    def variance_pct(self) -> Decimal | None:
        return None if self.variance is None else percent(self.variance, self.budget_total)

    def period_variance(self, period: str) -> Decimal | None:
        if not self.budgeted:
            return None
        return self.actual[period] - self.outside_budget.get(period, ZERO) - self.budget[period]

    def period_variance_pct(self, period: str) -> Decimal | None:
        variance = self.period_variance(period)
        return None if variance is None else percent(variance, self.budget[period])


@record
class ArmResult:
    """An outcome or a cost as a study with two arms reports it: the mean per participant in each, and the
    programme arm's total difference (the difference x its n)."""

    key: str  # the outcome's id, or the cost line's key
    label: str
    kind: str  # "outcome" or "cost"
    programme: Decimal
    comparison: Decimal | None  # None: a single arm's mean, itself the change (or extra cost) per participant
    n: Decimal
    index: int = 0  # the cost line's or the outcome's position in the scenario
    in_pounds: bool = False  # an outcome whose means are money (its value has no amount: each unit is £1)

    @property
    def money(self) -> bool:
        """Whether the means are pounds: a cost's always, an outcome's when it says so."""
        return self.kind == "cost" or self.in_pounds

    @property
    def difference(self) -> Decimal:
        """Programme less comparison, per participant (a single arm's mean is the difference itself)."""
        return self.programme if self.comparison is None else self.programme - self.comparison

    @property
    def total(self) -> Decimal:
        return self.difference * self.n


def arm_results(scenario: Scenario) -> list[ArmResult]:
    if scenario.arms is None:
        return []
    n = scenario.arms.programme.n
    found = [
        ArmResult(line_key(line, i), line.name, "cost", line.arms.programme, line.arms.comparison, n, i)
        for i, line in enumerate(scenario.cost_lines)
        if line.arms is not None
    ]
    found += [
        ArmResult(
            o.id,
            o.measure,
            "outcome",
            o.arms.programme,
            o.arms.comparison,
            n,
            i,
            in_pounds=o.value is not None and o.value.amount is None,
        )
        for i, o in enumerate(scenario.outcomes)
        if o.arms is not None
    ]
    return found


@record
class LineUnits:
    """A line costed as units x price: the units by period and the price of one."""

    unit: str
    price: Decimal
    price_ref: str | None  # the unit-cost entry the price came from, if any
    budget: dict[str, Decimal]
    actual: dict[str, Decimal]


@record
class LineNetting:
    """A saving netted against a line (``saving:``): the line's figures are the net; these are the gross and the
    saving beside them, by measure (budget, actual) and period."""

    label: str
    source: str | None
    gross: dict[str, dict[str, Decimal]]
    saving: dict[str, dict[str, Decimal]]

    def total(self, which: str, measure: str) -> Decimal:
        """The gross or the saving over every period, for one measure."""
        return sum(getattr(self, which)[measure].values(), ZERO)


@record
class LineFigures(Figures):
    kind: CostKind = CostKind.direct
    quantified: bool = True
    agency: str = ""
    units: LineUnits | None = None
    evidence: Evidence = NO_EVIDENCE
    spread: SpreadShape | None = None  # budget or actual given as totals over several periods, spread over them
    netted: LineNetting | None = None  # a saving netted against the line: the gross and the saving beside the net


def by_period(given: dict[str, Decimal], periods: list[str], zeros: dict[str, Decimal]) -> dict[str, Decimal]:
    """``given`` with a zero for each period it leaves out, in the periods' order. A dict already complete and
    in order is returned as it is, and nothing given as ``zeros`` (one dict for all lines): figures are never
    changed once made, and at 10,000 lines the copies were a tenth of a run's memory."""
    if not given:
        return zeros
    if len(given) == len(periods) and all(a == b for a, b in zip(given, periods)):
        return given
    return {p: given.get(p, ZERO) for p in periods}


def line_netting(line: CostLine, periods: list[str], zeros: dict[str, Decimal]) -> LineNetting | None:
    """The gross and the saving beside a netted line's figures (its amounts are already the net)."""
    if line.saving is None:
        return None
    saving = {m: by_period(getattr(line.saving, m), periods, zeros) for m in ("budget", "actual")}
    gross = {m: {p: getattr(line, m).get(p, ZERO) + saving[m][p] for p in periods} for m in ("budget", "actual")}
    return LineNetting(line.saving.label, line.saving.source, gross, saving)


def line_figures(line: CostLine, periods: Iterable[str], agency: str, zeros: dict[str, Decimal]) -> LineFigures:
    """One line's figures by period; ``zeros`` is one all-zero dict shared by every line that leaves a measure out."""
    periods = list(periods)
    return LineFigures(
        netted=line_netting(line, periods, zeros),
        # the default Evidence() (one object) when the line names neither: a large scenario's lines mostly don't
        evidence=NO_EVIDENCE if line.source is None and line.note is None else Evidence(line.source, line.note),
        label=line.name,
        budget=by_period(line.budget, periods, zeros),
        actual=by_period(line.actual, periods, zeros),
        kind=line.kind,
        quantified=line.quantified,
        budgeted=bool(line.budget),
        agency=agency or line.agency or "",
        units=None
        if line.units is None or line.units.price is None
        else LineUnits(
            line.units.unit,
            line.units.price,
            line.units.unit_cost,
            {p: line.units.budget.get(p, ZERO) for p in periods},
            {p: line.units.actual.get(p, ZERO) for p in periods},
        ),
        spread=None
        if line.spread is None
        else spread_shape(
            line.spread,
            periods[0],
            [
                (m, sum(getattr(line, m).values(), ZERO))
                for m in ("budget", "actual")
                if getattr(line.spread, m) is not None
            ],
        ),
    )


def sum_figures(label: str, items: Iterable[Figures], periods: Iterable[str]) -> Figures:
    items = list(items)
    periods = list(periods)
    contributed = [f for f in items if isinstance(f, LineFigures) and f.kind is CostKind.in_kind and not f.budgeted]
    return Figures(
        label=label,
        budget={p: sum((f.budget[p] for f in items), ZERO) for p in periods},
        actual={p: sum((f.actual[p] for f in items), ZERO) for p in periods},
        budgeted=any(f.budgeted for f in items),
        outside_budget={p: sum((f.actual[p] for f in contributed), ZERO) for p in periods} if contributed else {},
    )


KIND_LABELS = {
    CostKind.direct: "Planned (direct) spend",
    CostKind.unplanned: "Unplanned spend",
    CostKind.committed: "Committed spend",
    CostKind.in_kind: "In-kind costs",
}


@record
class Check:
    """A published total against the sum cba computes from the same table's cells.

    The scope says which cells: one line's total (``line``), or the lines of some kinds
    (``kinds``; None for every kind) in one period (``period``; None for all).
    """

    label: str
    published: Decimal
    computed: Decimal
    measure: str = "actual"  # budget or actual
    line: int | None = None  # index into Appraisal.lines
    kinds: tuple[CostKind, ...] | None = None
    period: str | None = None

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
        index = lines.index(figures)
        if line.published.budget is not None:
            checks.append(
                Check(
                    f"{line.name} ({line.kind.value}): budget total",
                    line.published.budget,
                    figures.budget_total,
                    "budget",
                    index,
                )
            )
        if line.published.actual is not None:
            checks.append(
                Check(
                    f"{line.name} ({line.kind.value}): actual total",
                    line.published.actual,
                    figures.actual_total,
                    "actual",
                    index,
                )
            )
    for total in scenario.published_totals:
        kinds = set(total.kinds) if total.kinds is not None else set(CostKind)
        chosen = [f for f in lines if f.kind in kinds and f.quantified]
        measure = "budget" if total.measure == "budget" else "actual"
        if total.period is None:
            computed = sum((getattr(f, f"{measure}_total") for f in chosen), ZERO)
        else:
            computed = sum((getattr(f, measure)[total.period] for f in chosen), ZERO)
        checks.append(
            Check(
                total.label,
                total.value,
                computed,
                measure,
                None,
                None if total.kinds is None else tuple(total.kinds),
                total.period,
            )
        )
    return checks


@record
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


@record
class OutcomeValue:
    """An outcome as the report table shows it, with its benefit stream over the appraisal."""

    id: str
    measure: str
    baseline: Decimal | None
    follow_up: Decimal | None
    stream: BenefitStream
    evidence: Evidence = NO_EVIDENCE

    @property
    def unit_cost(self) -> UnitCost | None:
        return self.stream.unit_cost

    @property
    def label(self) -> str:
        """The measure, and which of its values this row is when the outcome has several."""
        return self.measure if self.stream.part is None else f"{self.measure}: {self.stream.part_label}"

    @property
    def attributable(self) -> bool:
        return self.stream.attributable

    @property
    def change(self) -> Decimal | None:
        if self.baseline is None or self.follow_up is None:
            return None
        return self.follow_up - self.baseline

    @property
    def value(self) -> Decimal | None:
        """Worth over the appraisal, undiscounted, after any adjustments: a fall in demand saves."""
        if self.unit_cost is None:
            return None
        return sum((self.stream.value(t) for t in self.stream.volumes), ZERO)

    @property
    def attributable_value(self) -> Decimal:
        return self.value if (self.attributable and self.value is not None) else ZERO


@record
class OutcomeCost:
    """The cost set against benefits per outcome achieved, and per participant where a cohort is given."""

    id: str
    measure: str
    attributable: bool
    count: Decimal  # outcomes achieved: the fall, the cohort's achievers, or the volumes given, in the horizon
    participants: Decimal | None  # the cohort's size, where the outcome has one
    cost: Decimal

    @property
    def per_outcome(self) -> Decimal:
        return self.cost / self.count  # outcome_costs keeps only counts above zero

    @property
    def per_participant(self) -> Decimal | None:
        return ratio(self.cost, self.participants) if self.participants else None


def outcome_costs(outcomes: list[OutcomeValue], cost: Decimal) -> list[OutcomeCost]:
    """Cost per outcome for each outcome with a count: a rise in demand, or nothing achieved, has none."""
    found = []
    for o in outcomes:
        s = o.stream
        if s.part:  # an outcome's second and later values: its count is the first's
            continue
        if s.volume_kind == "volumes":
            count = sum(s.volumes.values(), ZERO)
        else:
            count = s.volume
        participants = s.cohort[0] if s.volume_kind == "cohort" else None
        if count > 0:
            found.append(OutcomeCost(o.id, o.measure, o.attributable, count, participants, cost))
    return found


@record
class NetPosition:
    basis: NetPositionBasis
    cost: Decimal
    benefits: Decimal
    cost_known: bool  # False: no cost line is quantified, so the cost is not known (not £0)

    @property
    def net(self) -> Decimal:
        """Attributable benefits less cost: negative is a net cost."""
        return self.benefits - self.cost

    @property
    def benefit_cost_ratio(self) -> Decimal | None:
        return ratio(self.benefits, self.cost)


@record
class ClaimCheck:
    """A benefit claimed before the programme beside the attributable benefit realised on the same footing:
    in one year (``period``) or over the appraisal (``period`` None), undiscounted, after adjustments."""

    label: str
    claimed: Decimal
    realised: Decimal | None  # None: the scenario says the realised value was not published
    period: str | None
    base_label: str | None = None
    base: Decimal | None = None
    source: str | None = None

    @property
    def difference(self) -> Decimal | None:
        """Realised less claimed: negative is a shortfall (None when nothing realised was published)."""
        return None if self.realised is None else self.realised - self.claimed

    @property
    def claimed_share(self) -> Decimal | None:
        """The claim as a percentage of its base (None without one)."""
        return None if self.base is None else percent(self.claimed, self.base)

    @property
    def realised_share(self) -> Decimal | None:
        """The realised benefit as a percentage of the claim."""
        return None if self.realised is None else percent(self.realised, self.claimed)


def periods_covered(period: str, years: list[str]) -> list[int]:
    """The appraisal periods a claim's period covers: the period itself, or each quarter or month of a
    financial year (a yearly claim in a scenario by quarters or months)."""
    if period in years:
        return [years.index(period)]
    return [t for t, label in enumerate(years) if periods.financial_year(label) == period]


def claim_checks(scenario: Scenario, outcomes: list[OutcomeValue], timeline: Timeline) -> list[ClaimCheck]:
    """Each claim beside the attributable benefits realised in its year, or in all years."""
    by_year = timeline.benefits_by_year(discounted=False)
    checks = []
    for claim in scenario.claimed:
        realised: Decimal | None
        if claim.per == "total":
            period, realised = None, sum((o.attributable_value for o in outcomes), ZERO)
        else:
            period = claim.period or scenario.periods[-1]
            # a horizon never ends inside the periods, so every period a claim covers is on the timeline
            realised = sum((by_year[t] for t in periods_covered(period, timeline.years)), ZERO)
        if claim.realised == "not published":  # the claim alone: nothing on its footing to set against it
            realised = None
        base = claim.share_of
        checks.append(
            ClaimCheck(
                claim.label,
                claim.amount,
                realised,
                period,
                base.label if base else None,
                base.amount if base else None,
                claim.source,
            )
        )
    return checks


@record
class FundingLine:
    name: str
    funder: str | None
    amount: Decimal
    evidence: Evidence = NO_EVIDENCE


@record
class Appraisal:
    """Everything ``cba run`` reports, computed once."""

    periods: list[str]
    lines: list[LineFigures]
    by_kind: dict[CostKind, Figures]
    total: Figures
    funding: list[FundingLine]
    funding_total: Decimal
    checks: list[Check]
    identical: list[IdenticalLines]
    outcomes: list[OutcomeValue]
    net: NetPosition
    timeline: Timeline
    unquantified: list[str] = field(default_factory=list)
    claims: list[ClaimCheck] = field(default_factory=list)
    outcome_costs: list[OutcomeCost] = field(default_factory=list)
    report_per: tuple[str, Decimal] | None = None  # (unit, how many): results per family
    # (label, n) of programme, comparison; the comparison's n is None when only its mean is published, and the
    # comparison itself None in a single-arm study
    arms: tuple[tuple[str, Decimal], tuple[str, Decimal | None] | None] | None = None
    arm_results: list[ArmResult] = field(default_factory=list)

    @property
    def cost_notes(self) -> list[str]:
        """What a reader must know about the costs before reading a net figure."""
        notes = []
        if not self.net.cost_known:
            notes.append(
                "No cost is quantified, so the cost is not known: there is no net position, benefit-cost ratio, "
                "break-even or cost per outcome; the benefits stand alone."
            )
        if any(f.variance is None and f.quantified for f in self.lines):
            notes.append(
                "Lines without a budget show no variance; in-kind contributions without a budget are "
                "counted in actual costs but not as spend against the budget."
            )
        return notes

    @property
    def spreads(self) -> list[tuple[tuple[str, object], str, str, SpreadShape]]:
        """Each item given as a total published over several periods and spread over them: (its key: the kind
        and the line's index, the transfer's name or the outcome's id; what it is; its name; the spread), for
        every face to list in one place and the workbook to link its cells."""
        found: list[tuple[tuple[str, object], str, str, SpreadShape]] = [
            (("cost line", i), "cost line", f.label, f.spread) for i, f in enumerate(self.lines) if f.spread is not None
        ]
        found += [
            (("transfer", t.name), "transfer", t.name, t.spread)
            for t in self.timeline.transfers
            if t.spread is not None
        ]
        found += [
            (("outcome volume", s.outcome), "outcome volume", s.measure, s.volume_spread)
            for s in self.timeline.streams
            if s.volume_spread is not None and not s.part  # an outcome's several values share its volume
        ]
        return found

    @property
    def disagreements(self) -> list[Check]:
        return [c for c in self.checks if not c.agrees]


def year_index(period: str, first: str) -> int:
    """Appraisal period of a label: 0 for the first (a year, quarter or month, as the scenario's periods are)."""
    return periods.index(period, first)


def year_label(first: str, index: int) -> str:
    return periods.label(first, index)


def optimism_share(setting: OptimismBias | None, grades: Mapping[int, Decimal] | None) -> tuple[Decimal, str]:
    """(share, how it was set) for an optimism-bias setting: a grade from the table, or a percentage."""
    if setting is None:
        return ZERO, "none"
    if setting.percent is not None:
        return setting.percent / HUNDRED, f"{setting.percent}% given"
    assert grades is not None and setting.grade is not None
    return grades[setting.grade] / HUNDRED, f"grade {setting.grade}"


def benefit_streams(
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    *,
    attributable: Iterable[str] = (),
    deflate: Callable[[UnitCost], tuple[Decimal, Decimal] | None] | None = None,
    grades: Mapping[int, Decimal] | None = None,
) -> list[BenefitStream]:
    """Each outcome's volumes by appraisal year and its adjustments; ids in ``attributable`` count whatever the file says.

    ``deflate`` gives a unit cost's (deflator at the price base, deflator at its price year),
    or None to leave it as written.
    """
    forced = set(attributable)
    settings = scenario.appraisal
    first = scenario.periods[0]
    horizon = settings.horizon_years * periods.per_year(first) if settings and settings.horizon_years else None
    streams = []
    for o in scenario.outcomes:
        if o.volumes is not None:
            kind, volume, profile = "volumes", Decimal(1), {}
            volumes = {year_index(p, first): v for p, v in o.volumes.items()}
            timing, timing_note = o.timing, None
        else:
            if o.cohort is not None:
                kind, volume = "cohort", cohort_volume(o.cohort.people, o.cohort.engagement, o.cohort.success)
            else:
                kind, volume = "change", (o.baseline or ZERO) - (o.follow_up or ZERO)
            timing, timing_note = stated_timing(o, scenario.periods)
            shares = timing.shares()
            if shares is not None:  # a total over several years, spread over them
                profile = {timing.start_year + k: share for k, share in enumerate(shares)}
            else:
                profile = timed_volumes(Decimal(1), timing.start_year, timing.duration, timing.drop_off)
            volumes = {year: volume * share for year, share in profile.items()}
            if o.cohort is not None and o.cohort.intake:  # each intake's benefit from its own year
                volumes = {}
                for period, taken in o.cohort.intake.items():
                    achievers = cohort_volume(taken, o.cohort.engagement, o.cohort.success)
                    for year, share in profile.items():
                        at = year + year_index(period, first)
                        volumes[at] = volumes.get(at, ZERO) + achievers * share
                volumes = dict(sorted(volumes.items()))
                profile = {year: v / volume for year, v in volumes.items()} if volume else {}
        beyond: dict[int, Decimal] = {}
        if horizon is not None:  # a horizon is a horizon: what falls after it is not counted anywhere
            beyond = {y: v for y, v in volumes.items() if y >= horizon}
            volumes = {y: v for y, v in volumes.items() if y < horizon}
            profile = {y: v for y, v in profile.items() if y < horizon}
        timed = dict(
            outcome=o.id,
            measure=o.measure,
            attributable=o.attributable or o.id in forced,
            volumes=volumes,
            conversion=o.conversion.factor if o.conversion else Decimal(1),
            conversion_reason=o.conversion.reason if o.conversion else None,
            volume_kind=kind,
            volume=volume,
            baseline=o.baseline if kind == "change" else None,
            profile=profile,
            deadweight=o.deadweight,
            attribution=o.attribution,
            displacement=o.displacement,
            beyond_horizon=beyond,
            cohort=(o.cohort.people, o.cohort.engagement, o.cohort.success) if o.cohort else (ZERO, ZERO, ZERO),
            start_year=timing.start_year,
            duration=timing.duration if timing.spread is None else timing.spread.years,
            drop_off=timing.drop_off,
            timing_note=timing_note,
            spread=_fixed_profile(o, profile),
            intake=_intakes(o, first),
            volume_spread=spread_shape(o.volume_spread, first, [("volume", sum((o.volumes or {}).values(), ZERO))]),
            cashable_share=o.cashable.share if o.cashable else None,
            cashable_from=o.cashable.from_year if o.cashable else 0,
        )
        # one stream per value of one unit: an outcome with several values (payers, value types) has several
        parts: list[tuple[int | None, str, Decimal, str | None]] = [(None, "", Decimal(1), o.unit_cost)]
        if o.values is not None:
            parts = [(k, p.label or "", p.share, p.unit_cost) for k, p in enumerate(o.values)]
        for part, label, share, ref in parts:
            unit = unit_costs[ref] if ref else None
            if part is not None and not label and unit is not None:
                label = f"{unit.agency}, {unit.value_type.value}"
            indices = deflate(unit) if (deflate and unit) else None
            grade = None
            derivation = None
            by_confidence = settings is not None and settings.benefit_optimism_bias == "by_confidence"
            if o.optimism_bias is not None:
                bias, basis = optimism_share(o.optimism_bias, grades)
                grade = o.optimism_bias.grade if o.optimism_bias.percent is None else None
            elif o.evidence is not None:  # from the grades of its evidence, its explicitly ranged risks left out
                assert grades is not None  # the grade table is read whenever an outcome gives evidence
                derivation = derive(o, unit, grades, ranged_aspects(scenario, o, ref), by_confidence)
                bias, basis, grade = derivation.share, derivation.basis, derivation.grade
            elif settings is not None and settings.benefit_optimism_bias == "by_confidence" and unit is not None:
                bias, basis = optimism_share(OptimismBias(grade=unit.confidence), grades)
                basis += ", the unit cost's confidence"
                grade = unit.confidence
            else:
                bias, basis = ZERO, "none"
            streams.append(
                BenefitStream(
                    **timed,  # type: ignore[arg-type]
                    unit_cost=unit,
                    unit_cost_ref=ref or "",
                    uprate_factor=indices[0] / indices[1] if indices else Decimal(1),
                    deflator_base=indices[0] if indices else None,
                    deflator_year=indices[1] if indices else None,
                    optimism_bias=bias,
                    optimism_bias_basis=basis,
                    optimism_grade=grade,
                    evidence=derivation,
                    **growth_from(o.real_growth, unit, scenario) if (deflate and unit) else {},
                    discount_column=discount_column(o, unit),
                    part=part,
                    part_label=label,
                    share=share,
                )
            )
    return streams


#: Units whose values the Green Book discounts at the health rate: health (QALYs) and wellbeing (WELLBYs, as HM
#: Treasury's wellbeing guidance of 2021 advises).
HEALTH_UNITS = re.compile(r"\b(QALYs?|WELLBYs?)\b", re.IGNORECASE)


def line_growth(growth: RealGrowth, price_basis: str, first: str, horizon: int) -> list[Decimal]:
    """A cost line's real price growth factor by appraisal year, from the year of its price basis."""
    origin, months, start = growth_origin(price_basis, first), 12 // periods.per_year(first), year_start(price_basis)
    return [growth.factor(start, (origin + t * months) // 12) for t in range(horizon)]


def growth_price_year(unit: UnitCost, scenario: Scenario) -> str:
    """The year a benefit's real growth runs from: its unit cost's price year (the price base when it states none)."""
    return scenario.price_base if unit.price_year == "not stated" else unit.price_year


def growth_from(written: Decimal | dict[str, Decimal] | None, unit: UnitCost, scenario: Scenario) -> dict[str, Any]:
    """A benefit stream's real growth, from its unit cost's price year."""
    growth = RealGrowth.of(written)
    if growth is None:
        return {}
    year = growth_price_year(unit, scenario)
    first = scenario.periods[0]
    return {
        "growth": growth,
        "growth_origin": growth_origin(year, first),
        "growth_price_year": year_start(year),
        "period_months": 12 // periods.per_year(first),
    }


def discount_column(o: Outcome, unit: UnitCost | None) -> str:
    """The discount schedule column of one value of an outcome: as the scenario writes it; else health for a value
    in QALYs or WELLBYs (its unit names one), standard for the rest."""
    if "discount" in o.model_fields_set or unit is None:
        return o.discount
    return "health" if HEALTH_UNITS.search(unit.unit) else o.discount


def stated_timing(o: Outcome, given: list[str]) -> tuple[Timing, str | None]:
    """When an outcome's benefit falls, and, when the scenario does not say (no ``timing:``), the default taken
    and why. A change between a baseline and a follow-up is first realised when the follow-up measures it: in
    the follow_up_period when that is one of the periods, else in the last period, for one year. A cohort is
    taken from the first period (its intakes, if any, from their own). Every face shows the note."""
    if "timing" in o.model_fields_set:
        return o.timing, None
    first = given[0]
    if o.cohort is None:
        period = o.follow_up_period if o.follow_up_period in given else None
        start = year_index(period or given[-1], first)
        why = "the follow-up period" if period else "the last period"
        return Timing(start_year=start), f"not stated: {period or given[-1]} (year {start}), {why}, for one year"
    if o.cohort.intake:
        return o.timing, "not stated: each intake's benefit in its own period, for one year"
    return o.timing, f"not stated: from the first period, {first} (year 0), for one year"


def _intakes(o: Outcome, first: str) -> dict[int, Decimal]:
    """A cohort's intakes by appraisal year, for the workbook's live volume. A spread value over intakes is
    left out: its volume is then the fixed shares ``_fixed_profile`` keeps, times the achievers."""
    if o.cohort is None or not o.cohort.intake or o.timing.spread is not None:
        return {}
    return {year_index(p, first): n for p, n in o.cohort.intake.items()}


def _fixed_profile(o, profile: dict[int, Decimal]) -> tuple[Decimal, ...]:
    """The shares a sweep must keep as they are, from the lag on: a spread value's, or the pattern of a cohort's
    intakes (varying the lag moves them all; duration and drop-off are then fixed)."""
    if o.cohort is not None and o.cohort.intake and profile:
        start = o.timing.start_year
        return tuple(profile.get(start + k, ZERO) for k in range(max(profile) - start + 1))
    return tuple(o.timing.shares() or ())


def deflated_years(scenario: Scenario) -> list[str]:
    """The years whose deflator real terms needs for the costs: each outturn line's periods with spend, and
    each stated price basis. A forecast in the price base's prices needs none for future years."""
    years: list[str] = []
    for line in scenario.cost_lines:
        if line.price_basis != "outturn":
            years.append(line.price_basis)
        else:
            years += [periods.financial_year(p) for p in scenario.periods if line.budget.get(p) or line.actual.get(p)]
    return years


def line_ref(line: CostLine, index: int) -> str | int:
    """A cost line's id, or its position among the cost lines when it has none."""
    return line.id if line.id is not None else index


def line_key(line: CostLine, index: int) -> str:
    """How --set, --vary and uncertainty name a cost line: costs.ID, or costs.N by position."""
    return f"costs.{line_ref(line, index)}"


def line_optimism_bias(scenario: Scenario, line: CostLine) -> OptimismBias | None:
    """The optimism-bias setting for a line: its own, else its category's, else the appraisal's."""
    settings = scenario.appraisal
    if line.optimism_bias is not None:
        return line.optimism_bias
    if settings is None:
        return None
    if line.category is not None and line.category in settings.category_optimism_bias:
        return settings.category_optimism_bias[line.category]
    return settings.cost_optimism_bias


def is_forecast(line: CostLine, basis: NetPositionBasis) -> bool:
    """Optimism bias corrects forecasts: a budget, or spend committed but not yet made. Outturn is known."""
    return basis is NetPositionBasis.budget or line.kind is CostKind.committed


def build_timeline(
    scenario: Scenario,
    lines: list[LineFigures],
    streams: list[BenefitStream],
    basis: NetPositionBasis,
    *,
    schedule: DiscountSchedule | None = None,
    grades: Mapping[int, Decimal] | None = None,
    deflator: Deflator | None = None,
    grade_table: Grades | None = None,
) -> Timeline:
    """Costs and benefits by appraisal year, with discount factors.

    Costs by year are the budget when the basis is the budget, otherwise actual
    spend: a grant is a transfer, and the Green Book counts the resources it bought.
    With a ``deflator`` every cost is brought to the price base (real terms): value x deflator at the
    price base / deflator in its prices. None: costs stay as written, as the unit costs then do.
    """
    settings = scenario.appraisal
    first = scenario.periods[0]
    last_period = max(year_index(p, first) for p in scenario.periods)
    last_benefit = max((max(s.volumes) for s in streams if s.volumes), default=0)
    given = settings.horizon_years if settings is not None else None
    per_year = periods.per_year(first)
    # Without a horizon, the appraisal runs until the last cost or benefit; with one, exactly that long
    # (benefit_streams has already cut what falls after it; validation refuses one shorter than the periods).
    horizon = given * per_year if given is not None else max(last_period + 1, last_benefit + 1)
    measure = "budget" if basis is NetPositionBasis.budget else "actual"
    flows: list[CostFlow] = []
    indices: dict[str, Decimal] = {}
    if deflator is not None:
        indices = {
            year: deflator.index[deflator.key_for(year)]  # type: ignore[index]
            for year in [scenario.price_base, *deflated_years(scenario)]
        }
    # Each period's place and financial year (spend in a quarter or month is in its financial year's prices),
    # and each (year, prices) factor to the price base, worked out once: not once per line.
    slots = [(period, year_index(period, first), periods.financial_year(period)) for period in scenario.periods]
    by_prices: dict[tuple[str, RealGrowth | None], list[Decimal]] = {}  # each year's factor, by prices and growth
    for index, (line, figures) in enumerate(zip(scenario.cost_lines, lines)):
        if not figures.quantified:
            continue
        amounts = [ZERO] * horizon
        given_amounts = getattr(figures, measure)
        for period, t, _ in slots:
            amounts[t] = given_amounts[period]
        growth = RealGrowth.of(line.real_growth)
        prices = (line.price_basis, growth)
        real = by_prices.get(prices)
        if real is None:  # one list for all lines in the same prices (never changed once made)
            real = by_prices[prices] = [ONE] * horizon
            for _, t, year in slots:
                if deflator is not None and (year in indices or line.price_basis != "outturn"):
                    real[t] = (
                        indices[scenario.price_base]
                        / indices[year if line.price_basis == "outturn" else line.price_basis]
                    )
            if growth is not None:  # a forecast in one year's prices, its real price growing from then
                grown = line_growth(growth, line.price_basis, first, horizon)
                real[:] = [f * g for f, g in zip(real, grown)]
        setting = line_optimism_bias(scenario, line)
        bias, how = optimism_share(setting, grades)
        source = "none" if setting is None else "appraisal"
        key = "" if setting is None else "appraisal.cost_optimism_bias"
        if line.optimism_bias is not None:
            how, source, key = how + ", this line's", "line", f"cost_lines.{index}.optimism_bias"
        elif settings is not None and line.category in settings.category_optimism_bias:
            how, source = how + f", category {line.category}", "category"
            key = f"appraisal.category_optimism_bias.{line.category}"
        flows.append(
            CostFlow(
                line.name,
                line_ref(line, index),
                line.agency or scenario.cost_agency,
                amounts,
                real,
                line.price_basis,
                is_forecast(line, basis),
                bias,
                how,
                source,
                setting.grade if setting is not None and setting.percent is None else None,
                key,
                growth,
                () if growth is None else tuple(line_growth(growth, line.price_basis, first, horizon)),
            )
        )
    discounting = settings is not None and settings.discounting == "green_book"
    discount_rate = settings.discount_rate if settings is not None and discounting else None
    health_rate = settings.health_discount_rate if settings is not None and discounting else None
    used = schedule if discounting else None
    rates = {
        column: discount_rates(horizon, used, column, discount_rate, per_year, health_rate)
        for column in ("standard", "health")
    }
    factors = {
        column: discount_factors(horizon, used, column, discount_rate, per_year, health_rate)
        for column in ("standard", "health")
    }
    notes = [f"Costs by year: {measure} spend."]
    if deflator is not None:
        notes.append(
            f"Real terms: every cost and unit cost is in {scenario.price_base} prices, brought there with "
            "one GDP deflator (outturn spend from its own year; a line with a stated price basis from that year)."
        )
    elif scenario.price_base == "not stated":
        notes.append("Not in real terms (the price base is not stated): every figure as the source published it.")
    elif scenario.relative_periods:
        notes.append(
            "Not in real terms (years of the programme name no financial year to deflate from): costs and unit "
            "costs are as written, in their own years' prices."
        )
    else:
        notes.append(
            "Not in real terms (uprate is off): costs and unit costs are as written, in their own years' prices."
        )
    biased = [f for f in flows if f.uplift]
    if biased:
        notes.append(
            "Optimism bias on costs: "
            + "; ".join(f"+{(f.uplift * 100).normalize():f}% on {f.line} ({f.optimism_bias_basis})" for f in biased)
            + (
                ", the budget being a forecast."
                if measure == "budget"
                else ", committed (forecast) spend; outturn actual spend is known and is not uplifted."
            )
        )
    if discounting:
        rate = f"a flat {_rate_text(discount_rate)}" if discount_rate is not None else "the Green Book schedule"
        if health_rate is not None:
            rate += f"; health values at a flat {_rate_text(health_rate)}"
        elif discount_rate is not None and any(s.discount_column == "health" for s in streams):
            gap = _rate_text(wealth_effect(schedule, 1)) if schedule is not None else "0%"
            rate += (
                "; health values at that rate less the schedule's differential between its standard and health "
                f"rates (the wealth effect: {gap} in year 1), never below 0"
            )
        if per_year == 1:
            notes.append(f"Discounted at {rate}; year 0 ({first}) is undiscounted.")
        else:
            notes.append(
                f"Discounted at {rate} by elapsed time: period t is t/{per_year} of a year after the first "
                f"({first}), which is undiscounted; DF_t = DF_t-1 / (1 + r)^(1/{per_year})."
            )
    if given is not None:
        notes.append(
            f"Horizon: {given} years, {first} to {year_label(first, horizon - 1)}; nothing after it is counted."
        )
        for s in streams:
            if s.beyond_horizon and s.counted:
                volume = sum(s.beyond_horizon.values(), ZERO)
                at_growth = sum((v * s.growth_at(y) for y, v in s.beyond_horizon.items()), ZERO)  # real growth too
                value = at_growth * s.unit_value * s.additionality * (Decimal(1) - s.optimism_bias)
                pounds = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                notes.append(
                    f"Cut off by the horizon: {s.outcome}, {volume.normalize():f} units after "
                    f"{year_label(first, horizon - 1)}, worth £{pounds:,} undiscounted after adjustments."
                )
    return Timeline(
        years=[year_label(first, t) for t in range(horizon)],
        cost_flows=flows,
        factors=factors,
        rates=rates,
        streams=streams,
        discounted=discounting,
        real_terms=deflator is not None,
        deflator_indices=indices,
        deflator=deflator,
        horizon_years=given,
        discount_bands=tuple(schedule.bands) if (discounting and schedule is not None) else (),
        schedule=schedule,
        grades=grade_table,
        written_rates=(settings.discount_rate, settings.health_discount_rate) if settings else (None, None),
        discount_rate=discount_rate,
        health_discount_rate=health_rate,
        price_base=scenario.price_base,
        notes=notes,
        per_year=per_year,
        lead_agency=scenario.cost_agency,
        outside=frozenset(scenario.parties),
    )


def transfer_flows(scenario: Scenario, timeline: Timeline) -> list[TransferFlow]:
    """Each transfer by appraisal year: amounts as given, or the outcome's volume (as measured, before
    additionality) x the amount per unit; capped; with its present value at the standard rate."""
    n = len(timeline.years)
    streams = {s.outcome: s for s in timeline.streams if not s.part}  # every value of an outcome has its volumes
    df = timeline.factors["standard"]
    outside = set(scenario.parties)
    flows: list[TransferFlow] = []
    for t in scenario.transfers:
        multiple = None
        if t.per_outcome is not None:
            stream = streams[t.per_outcome.outcome]
            gross = [stream.volumes.get(y, ZERO) * t.per_outcome.amount for y in range(n)]
            per = (t.per_outcome.outcome, t.per_outcome.amount)
        elif t.multiple_of is not None:  # so many times what an earlier transfer paid in all, in one year
            of = next(f for f in flows if f.name == t.multiple_of.transfer)
            year = year_index(t.multiple_of.period or scenario.periods[-1], scenario.periods[0])
            gross, per = [ZERO] * n, None
            gross[year] = of.total * t.multiple_of.times
            multiple = (of.name, t.multiple_of.times, year)
        else:
            given = {year_index(p, scenario.periods[0]): a for p, a in (t.amounts or {}).items()}
            gross, per = [given.get(y, ZERO) for y in range(n)], None
        paid = capped_payments(gross, t.cap)
        flows.append(
            TransferFlow(
                t.name,
                t.payer,
                t.payee,
                gross,
                paid,
                t.cap,
                sum((p * d for p, d in zip(paid, df)), ZERO),
                (t.payee in outside) - (t.payer in outside),
                per,
                multiple,
                spread_shape(t.spread, scenario.periods[0], [("total", sum(gross, ZERO))]),
            )
        )
    return flows


def basis_cost(basis: NetPositionBasis, funding_total: Decimal, total: Figures) -> Decimal:
    if basis is NetPositionBasis.funding:
        return funding_total
    if basis is NetPositionBasis.actual:
        return total.actual_total
    return total.budget_total


def deflator_notes(deflator: Deflator, years: Iterable[str]) -> list[str]:
    """What the reader must know of the deflator years used: the pandemic years, smoothed or as published."""
    keys = {key for key in map(deflator.key_for, years) if key is not None}
    if deflator.replaced:
        return [
            f"Deflator smoothed (deflator_smoothing: two_year_average): {year} is {used:.3f}, the geometric mean "
            f"of the years either side, in place of {published} as published, so that {year} and the next year "
            "each grow at their average rate."
            for year, (published, used) in deflator.replaced.items()
            if year in keys
        ]
    distorted = sorted(keys & {"2020", "2020/21"})
    if not distorted:
        return []
    return [
        f"Deflator as published for {', '.join(distorted)} (deflator_smoothing: none): measured government output "
        "pushed its growth up in 2020 and back down in 2021; deflator_smoothing: two_year_average averages the two "
        "years' growth instead."
    ]


def appraise(
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    *,
    attributable: Iterable[str] = (),
    basis: NetPositionBasis | None = None,
    reference: ReferenceData | None = None,
) -> Appraisal:
    """Compute the whole appraisal of a validated scenario.

    ``reference`` (deflator, discount schedule, grade table) is needed only when
    the scenario's appraisal settings or its outcomes use them.
    """
    periods = list(scenario.periods)
    zeros = {p: ZERO for p in periods}
    lines = [line_figures(line, periods, line.agency or scenario.cost_agency, zeros) for line in scenario.cost_lines]
    quantified = [f for f in lines if f.quantified]
    by_kind = {
        kind: sum_figures(KIND_LABELS[kind], (f for f in quantified if f.kind is kind), periods)
        for kind in CostKind
        if any(f.kind is kind for f in quantified)
    }
    total = sum_figures("Total", quantified, periods)
    funding_total = sum((f.amount for f in scenario.funding), ZERO)
    basis = basis or scenario.net_position_basis
    grades = reference.grades.percent if reference else None
    deflate: Callable[[UnitCost], tuple[Decimal, Decimal] | None] | None = None
    deflator = None
    if scenario.in_real_terms and reference is not None:
        deflator = reference.deflator
        if scenario.appraisal is not None and scenario.appraisal.deflator_smoothing == "two_year_average":
            deflator = deflator.smoothed()

        def indices(unit: UnitCost) -> tuple[Decimal, Decimal] | None:
            if unit.price_year == "not stated":
                return None  # shown with a warning in the unit-cost table of the report
            return deflator.indices(unit.price_year, scenario.price_base)

        deflate = indices
    streams = benefit_streams(scenario, unit_costs, attributable=attributable, deflate=deflate, grades=grades)
    written = {o.id: o for o in scenario.outcomes}
    outcomes = [
        OutcomeValue(
            s.outcome,
            s.measure,
            written[s.outcome].baseline,
            written[s.outcome].follow_up,
            s,
            Evidence(written[s.outcome].source, written[s.outcome].note),
        )
        for s in streams
    ]  # one row per value: an outcome with several values has several rows
    cost = basis_cost(basis, funding_total, total)
    benefits = sum((o.attributable_value for o in outcomes), ZERO)
    timeline = build_timeline(
        scenario,
        lines,
        streams,
        basis,
        schedule=reference.schedule if reference else None,
        grades=grades,
        deflator=deflator,
        grade_table=reference.grades if reference else None,
    )
    if scenario.appraisal is not None and basis is not NetPositionBasis.funding and quantified:
        # with an appraisal, the undiscounted summary sets the benefits against the same costs the appraisal does:
        # in real terms when it is, forecasts with their optimism bias (benefits are so already)
        cost = sum(timeline.costs_adjusted, ZERO)
    if deflator is not None:
        used = [scenario.price_base, *deflated_years(scenario)] + [
            unit.price_year for unit in unit_costs.values() if unit.price_year != "not stated"
        ]
        timeline = replace(timeline, notes=[*timeline.notes, *deflator_notes(deflator, used)])
    if scenario.transfers:
        timeline = replace(timeline, transfers=transfer_flows(scenario, timeline))
    # the grant is the cost on the funding basis (listed, so known, even at £0); the lines' total on the actual
    # and budget bases: with no line quantified, that is not known
    cost_known = basis is NetPositionBasis.funding or any(f.quantified for f in lines)
    return Appraisal(
        periods=periods,
        lines=lines,
        by_kind=by_kind,
        total=total,
        funding=[FundingLine(f.name, f.funder, f.amount, Evidence(f.source, f.note)) for f in scenario.funding],
        funding_total=funding_total,
        checks=reconcile(scenario, lines),
        identical=identical_lines(quantified, periods),
        outcomes=outcomes,
        net=NetPosition(basis, cost, benefits, cost_known),
        timeline=timeline,
        unquantified=[f.label for f in lines if not f.quantified],
        claims=claim_checks(scenario, outcomes, timeline),
        outcome_costs=outcome_costs(outcomes, cost) if cost_known else [],  # no cost per outcome of an unknown
        report_per=(scenario.report_per.label, scenario.report_per.count) if scenario.report_per else None,
        arms=None
        if scenario.arms is None
        else (
            (scenario.arms.programme.label, scenario.arms.programme.n),
            None if scenario.arms.comparison is None else (scenario.arms.comparison.label, scenario.arms.comparison.n),
        ),
        arm_results=arm_results(scenario),
    )
