"""Appraisal over time, to the Green Book and the GM CBA model: pure functions, exact Decimals.

Chain per outcome (``../shared/reference/appraisal-method.md``): volume by year
(measured change, cohort x engagement x success, or given by year; with lag,
duration and drop-off) x unit cost brought to the price base x (1 - deadweight)
x (1 - attribution) x (1 - displacement) x (1 - optimism bias) = benefit in year t;
PV = sum of benefit_t x DF_t with DF_0 = 1 and DF_t = DF_{t-1} / (1 + r_t).
Costs by year are brought to the price base (real terms) with the same deflator as the
benefits, uplifted by their optimism bias where they are a forecast, and discounted the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from cba.model.growth import RealGrowth
from cba.model.record import record
from cba.model.reference import Deflator, DiscountSchedule, Grades
from cba.model.scenario import SpreadOver
from cba.model.unit_cost import UnitCost

if TYPE_CHECKING:
    from cba.engine.evidence import EvidenceDerivation

ZERO = Decimal(0)
ONE = Decimal(1)
CASHABILITY = {True: "cashable", False: "non-cashable", None: "cashability not stated"}


def discount_rates(
    years: int,
    schedule: DiscountSchedule | None,
    column: str,
    discount_rate: Decimal | None,
    per_year: int,
    health_rate: Decimal | None = None,
) -> list[Decimal]:
    """r_t for t = 0 .. years-1: a flat rate, the schedule's band, or 0 (undiscounted). With periods shorter
    than a year (``per_year`` of them in a year), period t ends in year ceil(t / per_year), and takes its rate.

    The health column is the standard rate without its wealth effect (Green Book A6), so a flat standard
    rate keeps the schedule's differential there (3.5% - 1.5% = 2 points in years 0-30), never below 0;
    ``health_rate`` replaces the health column on its own."""
    year = [-(-t // per_year) for t in range(years)]
    if column == "health" and health_rate is not None:
        return [health_rate] * years
    if discount_rate is not None:
        if column == "standard" or schedule is None:
            return [discount_rate] * years
        return [max(discount_rate - wealth_effect(schedule, y), ZERO) for y in year]
    if schedule is not None:
        return [schedule.rate(y, column) for y in year]
    return [ZERO] * years


def wealth_effect(schedule: DiscountSchedule, year: int) -> Decimal:
    """The schedule's standard rate less its health rate in ``year``: what a flat standard rate keeps off
    the health rate."""
    return schedule.rate(year, "standard") - schedule.rate(year, "health")


def discount_factors(
    years: int,
    schedule: DiscountSchedule | None,
    column: str = "standard",
    discount_rate: Decimal | None = None,
    per_year: int = 1,
    health_rate: Decimal | None = None,
) -> list[Decimal]:
    """DF_0 = 1; DF_t = DF_{t-1} / (1 + r_t), by elapsed time: over a period that is 1/per_year of a year,
    DF_t = DF_{t-1} / (1 + r_t)^(1/per_year). No schedule and no rate: all 1 (undiscounted)."""
    factors = [ONE]
    for rate in discount_rates(years, schedule, column, discount_rate, per_year, health_rate)[1:]:
        factors.append(factors[-1] / (ONE + rate) ** (ONE / per_year))  # a whole power (exact) for years
    return factors[:years]


def cohort_volume(size: Decimal, engagement: Decimal, success: Decimal) -> Decimal:
    return size * engagement * success


def timed_volumes(volume: Decimal, start_year: int, duration: int, drop_off: Decimal) -> dict[int, Decimal]:
    """Volume in each year it falls: volume x (1 - drop_off)^(years since the first benefit year)."""
    volumes, remaining = {}, ONE
    for k in range(duration):
        volumes[start_year + k] = volume * remaining
        remaining *= ONE - drop_off  # repeated product: Decimal refuses 0 ** 0 for a 100% drop-off
    return volumes


@record
class BenefitStream:
    """One outcome's benefit, year by year, with every adjustment kept visible."""

    outcome: str
    measure: str
    unit_cost: UnitCost | None
    attributable: bool
    volumes: dict[int, Decimal]
    uprate_factor: Decimal = ONE
    conversion: Decimal = ONE  # e.g. 52.14 weeks for a weekly cost, stated in the scenario
    conversion_reason: str | None = None
    unit_cost_ref: str = ""  # the reference as written in the scenario (ID or TABLE/ID)
    deflator_base: Decimal | None = None  # the deflator indices behind uprate_factor, when uprated
    deflator_year: Decimal | None = None
    volume_kind: str = "change"  # change (baseline - follow_up), cohort, or volumes (given by year)
    volume: Decimal = ZERO  # the volume as written: the fall, or the cohort's achievers (1 for volumes)
    baseline: Decimal | None = None  # a measured change's baseline: what a percentage change is of
    profile: dict[int, Decimal] = field(default_factory=dict)  # timing of one unit of volume by year
    deadweight: Decimal = ZERO
    attribution: Decimal = ZERO
    displacement: Decimal = ZERO
    optimism_bias: Decimal = ZERO  # a share, 0.10 for 10%
    optimism_bias_basis: str = "none"
    optimism_grade: int | None = None  # the grade it was looked up by, when it came from the grade table
    evidence: EvidenceDerivation | None = None  # how its evidence grades gave the optimism bias, when they did
    #: real price growth over the GDP deflator (a relative price effect: a rate a year, or rates by year), from
    #: the unit cost's price year (its start, growth_price_year); None: none. With it, year t's unit value is x
    #: the growth over (growth_origin + t x period_months) // 12 whole financial years from the price year to
    #: year t's (growth_origin: months from the price year's April to the first period's start)
    growth: RealGrowth | None = None
    growth_origin: int = 0
    growth_price_year: int = 0
    period_months: int = 12
    discount_column: str = "standard"
    beyond_horizon: dict[int, Decimal] = field(default_factory=dict)  # volumes cut off by the horizon, by year
    cohort: tuple[Decimal, Decimal, Decimal] = (ZERO, ZERO, ZERO)  # size, engagement, success (cohort volumes)
    start_year: int = 0  # the timing as written: lag, duration, drop-off (not for volumes by year)
    duration: int = 1
    drop_off: Decimal = ZERO
    spread: tuple[Decimal, ...] = ()  # each year's share of a value that is a total over several years
    intake: dict[int, Decimal] = field(default_factory=dict)  # a cohort's intakes by appraisal year (none: a size)
    cashable_share: Decimal | None = None  # the outcome's own cashable share (None: as the unit cost says)
    cashable_from: int = 0  # the appraisal year from which that share is cashable
    #: when the scenario does not say when the benefit falls: the default cba took and why, for every face
    timing_note: str | None = None
    part: int | None = None  # which of the outcome's several values this stream is (None: it has one)
    part_label: str = ""  # that value's label, as written or its payer and value type
    share: Decimal = ONE  # the share of the unit cost this value counts (one of several payers)
    volume_spread: SpreadShape | None = None  # volumes given as a total over several periods, spread over them

    @property
    def key(self) -> str:
        """Unique among the streams: the outcome's id, with the value's number when it has several."""
        return self.outcome if self.part is None else f"{self.outcome}#{self.part + 1}"

    @property
    def label(self) -> str:
        """The outcome's id, and which of its values this is when it has several."""
        return self.outcome if self.part is None else f"{self.outcome} ({self.part_label})"

    @property
    def unit_value(self) -> Decimal:
        """The unit cost at the price base, times any stated conversion and the value's share."""
        if self.unit_cost is None:
            return ZERO
        return self.unit_cost.value * self.uprate_factor * self.conversion * self.share

    @property
    def additionality(self) -> Decimal:
        return (ONE - self.deadweight) * (ONE - self.attribution) * (ONE - self.displacement)

    @property
    def counted(self) -> bool:
        """Only attributable, priced outcomes are benefits of the programme."""
        return self.attributable and self.unit_cost is not None

    def growth_years(self, year: int) -> int:
        """Whole financial years from the price year the growth runs from to year t's (negative before it)."""
        return (self.growth_origin + year * self.period_months) // 12

    def growth_at(self, year: int) -> Decimal:
        """The real price growth factor in year t: 1 without growth."""
        if self.growth is None:
            return ONE
        return self.growth.factor(self.growth_price_year, self.growth_years(year))

    def gross(self, year: int) -> Decimal:
        volume = self.volumes.get(year, ZERO)
        if self.growth is None:
            return volume * self.unit_value
        return volume * self.unit_value * self.growth_at(year)

    def value(self, year: int) -> Decimal:
        """Benefit in one year after additionality and optimism bias (undiscounted)."""
        return self.gross(year) * self.additionality * (ONE - self.optimism_bias)

    def counted_value(self, year: int) -> Decimal:
        return self.value(year) if self.counted else ZERO

    @property
    def fiscal(self) -> bool:
        return self.unit_cost is not None and self.unit_cost.value_type.value == "fiscal"

    def cashable_fraction(self, year: int) -> Decimal:
        """The share of a fiscal benefit in a year that is cashable: the outcome's own share from its year, or
        all or none as the unit cost says (none where it does not say)."""
        if not self.fiscal:
            return ZERO
        if self.cashable_share is not None:
            return self.cashable_share if year >= self.cashable_from else ZERO
        return ONE if self.unit_cost.cashable is True else ZERO  # type: ignore[union-attr]


@record
class CostFlow:
    """One cost line by appraisal year: as written, in real terms at the price base, and with optimism bias.

    Green Book 5.11: an appraisal is in real base-year prices. Outturn spend is cash in its own year's
    prices, so each year has its own factor (deflator at the price base / deflator in that year); a
    line stated in one year's prices has one factor. Optimism bias corrects forecasts (a budget, or
    committed spend), never outturn.
    """

    line: str
    #: the line's id, or its position among the cost lines when it has none: its key (costs.ID, costs.N) is made
    #: when asked for, not kept (a string a line: at 100,000 lines, a tenth of a byte of peak for each byte of file)
    line_ref: str | int
    agency: str
    amounts: list[Decimal]  # as written, by appraisal year
    factors: list[Decimal]  # real-terms factor by year: deflator at the price base / deflator in the line's prices
    price_basis: str  # outturn, or the financial year whose prices the amounts are in
    forecast: bool
    optimism_bias: Decimal = ZERO  # a share; applied only when the flow is a forecast
    optimism_bias_basis: str = "none"
    optimism_bias_from: str = "none"  # line, category or appraisal: which setting gave it
    optimism_grade: int | None = None  # the grade it was looked up by, when it came from the grade table
    #: the --set path of the setting that gave it: cost_lines.N.optimism_bias, appraisal.category_optimism_bias.C,
    #: or appraisal.cost_optimism_bias ("" for none)
    optimism_key: str = ""
    real_growth: RealGrowth | None = None  # real price growth from the line's price basis, within factors
    growth: tuple[Decimal, ...] = ()  # that growth's factor by year (in ``factors`` already), for every face

    @property
    def key(self) -> str:
        """costs.ID (or costs.N): how --set, --vary and uncertainty name the line."""
        return f"costs.{self.line_ref}"

    # A factor of exactly one and no uplift give the same list back, not a copy: a × 1 and r + r × 0 are a and r,
    # exponent and all, and at 100,000 lines the copies were a million Decimals. Lists are never changed.
    @cached_property
    def real(self) -> list[Decimal]:
        if all(f is ONE for f in self.factors):
            return self.amounts
        return [a * f for a, f in zip(self.amounts, self.factors)]

    @property
    def uplift(self) -> Decimal:
        return self.optimism_bias if self.forecast else ZERO

    @cached_property
    def adjusted(self) -> list[Decimal]:
        uplift = self.uplift
        if not uplift:
            return self.real
        return [r + r * uplift for r in self.real]


@record
class AgencyFlow:
    agency: str
    pv_costs: Decimal
    pv_fiscal_benefits: Decimal
    pv_paid: Decimal = ZERO  # transfers paid to another party
    pv_received: Decimal = ZERO  # transfers received

    @property
    def net(self) -> Decimal:
        return self.pv_fiscal_benefits - self.pv_costs - self.pv_paid + self.pv_received


@record
class SpreadShape:
    """How figures published as a total over several periods were spread over them (``spread:``,
    ``volume_spread:``), so that every face can say how they were set."""

    start: str  # the first period covered
    periods: int  # how many periods it covers
    shares: tuple[Decimal, ...] | None  # each period's share, as written; None: evenly
    #: (what was spread, its total): budget and actual for a cost line, total for a transfer, volume for an outcome.
    #: Summed from the amounts by period, so a what-if that changes them changes these too.
    totals: tuple[tuple[str, Decimal], ...]


def spread_shape(spread: SpreadOver | None, first: str, totals: Iterable[tuple[str, Decimal]]) -> SpreadShape | None:
    if spread is None:
        return None
    shares = None if spread.profile == "even" else tuple(spread.profile)
    return SpreadShape(spread.start or first, spread.years, shares, tuple(totals))


@record
class TransferFlow:
    """Money moved from one party to another by year (capped), and its present value at the standard rate."""

    name: str
    payer: str
    payee: str
    gross: list[Decimal]  # before the cap, by appraisal year
    paid: list[Decimal]  # after the cap
    cap: Decimal | None
    pv: Decimal
    #: +1 when it leaves the public sector (to a party such as investors), -1 when it comes in from one, 0 when it
    #: moves between public agencies: what the public purse as a whole pays out
    leaves: int
    per_outcome: tuple[str, Decimal] | None = None  # (outcome id, amount per unit)
    multiple_of: tuple[str, Decimal, int] | None = None  # (the other transfer, times its total, the year paid)
    spread: SpreadShape | None = None  # a total published over several periods, spread over them

    @property
    def total(self) -> Decimal:
        return sum(self.paid, ZERO)

    @property
    def capped(self) -> bool:
        return self.total < sum(self.gross, ZERO)


def capped_payments(gross: list[Decimal], cap: Decimal | None) -> list[Decimal]:
    """Each year's payment, until the cap is reached."""
    paid, so_far = [], ZERO
    for amount in gross:
        pay = amount if cap is None else max(ZERO, min(amount, cap - so_far))
        paid.append(pay)
        so_far += pay
    return paid


def no_payback(years: int | Decimal) -> str:
    """How every face says there is no payback period."""
    return f"does not pay back within {Decimal(years).normalize():f} year{'s' if years != 1 else ''}"


def payback_period(pv_costs: list[Decimal], pv_benefits: list[Decimal]) -> Decimal | None:
    """The first point after which cumulative discounted net benefit stays at or above zero.

    HM Treasury / New Economy (2014) give a payback period only where the return is positive,
    and a crossing that later costs undo is not payback: so the crossing counted is the one
    after which the cumulative never falls below zero again, and there is none when it ends
    below zero (the return is then negative too). Within a year, cba's convention (the guidance
    interpolates within the year without saying how): **a year's costs fall at its start and its
    benefits evenly through it**, so a year's spend is committed before its savings accrue. The
    crossing in year t is then t + (shortfall after paying year t's costs) / (year t's benefits):
    £145,000 spent and £174,000 saved in year 0 pays back at 145/174 = 0.83 years, not at 0.
    Benefits before any cost is spent are not payback. None: it does not pay back within the
    appraisal period.
    """
    candidate: Decimal | None = None
    spent = cumulative = ZERO
    for t, (cost, benefit) in enumerate(zip(pv_costs, pv_benefits)):
        spent += cost
        start = cumulative - cost  # the year's costs paid at its start
        cumulative = start + benefit
        if cumulative < 0:
            candidate = None  # undone: any earlier crossing was not payback
        elif start < 0 and spent > 0:  # below zero at the year's start: it crosses during the year
            candidate = t + (-start) / benefit
        elif candidate is None and spent > 0:
            candidate = Decimal(t)
    return candidate


@record
class Timeline:
    """Costs and benefits by appraisal year, and every Green Book / GM CBA result over them.

    Cost sums are cached (``cached_property``): a timeline never changes, and a scenario of thousands
    of lines would otherwise be summed again on every access.
    """

    years: list[str]
    cost_flows: list[CostFlow]
    factors: dict[str, list[Decimal]]  # discount factors by schedule column
    rates: dict[str, list[Decimal]]  # the discount rate r_t behind each factor (0 when undiscounted)
    streams: list[BenefitStream]
    discounted: bool
    real_terms: bool = False  # costs and unit costs brought to the price base with one deflator
    price_base: str = ""
    deflator_indices: dict[str, Decimal] = field(default_factory=dict)  # year -> GDP deflator index used (real terms)
    deflator: Deflator | None = None  # the whole series as used (smoothed where asked), for the workbook's table
    horizon_years: int | None = None  # as given: nothing after it counts; None: the timeline runs to the last flow
    discount_bands: tuple[tuple[int, int, Decimal, Decimal], ...] = ()  # the schedule used (from, to, standard, health)
    #: the reference tables as read, whether or not the run used them: the workbook holds them, so that switching
    #: discounting on or changing a grade recomputes there as ``cba run --set`` does
    schedule: DiscountSchedule | None = None
    grades: Grades | None = None
    #: the appraisal's flat standard and health rates as written, used or not (discounting none uses neither)
    written_rates: tuple[Decimal | None, Decimal | None] = (None, None)
    discount_rate: Decimal | None = None  # a flat rate used instead of the schedule
    health_discount_rate: Decimal | None = None  # a flat rate for health values instead of the schedule's
    notes: list[str] = field(default_factory=list)
    transfers: list[TransferFlow] = field(default_factory=list)
    per_year: int = 1  # periods in a year: 1 (financial years), 4 (quarters) or 12 (months)
    lead_agency: str = ""  # the agency that bears the costs unless a line says otherwise (cost_agency)
    #: parties outside the public sector (``parties:``): a cost one of them bears is in the public value, not in the
    #: fiscal case (budget impact, financial and cashable ROI, paybacks), which is the public purse's
    outside: frozenset[str] = frozenset()

    @property
    def length_in_years(self) -> Decimal:
        """How long the appraisal runs, in years (periods / periods in a year)."""
        return Decimal(len(self.years)) / self.per_year

    def _total(self, rows: list[list[Decimal]]) -> list[Decimal]:
        return [sum(column, ZERO) for column in zip(*rows)] if rows else [ZERO] * len(self.years)

    @cached_property
    def costs(self) -> list[Decimal]:
        """Costs as written (outturn cash, or a line's stated prices), before optimism bias."""
        return self._total([f.amounts for f in self.cost_flows])

    @cached_property
    def costs_real(self) -> list[Decimal]:
        """Costs at the price base (equal to ``costs`` when the appraisal is not in real terms)."""
        return self._total([f.real for f in self.cost_flows])

    @cached_property
    def costs_adjusted(self) -> list[Decimal]:
        """Real costs with the optimism-bias uplift on their forecast part (never on outturn)."""
        return self._total([f.adjusted for f in self.cost_flows])

    @cached_property
    def cost_bias_applied(self) -> bool:
        return any(f.uplift for f in self.cost_flows)

    @cached_property
    def pv_cost_by_year(self) -> list[Decimal]:
        return [c * df for c, df in zip(self.costs_adjusted, self.factors["standard"])]

    @cached_property
    def pv_costs(self) -> Decimal:
        return sum(self.pv_cost_by_year, ZERO)

    @cached_property
    def pv_public_cost_by_year(self) -> list[Decimal]:
        """PV by year of the costs the public sector bears: every line but those borne by a party outside it."""
        if not any(f.agency in self.outside for f in self.cost_flows):
            return self.pv_cost_by_year
        public = self._total([f.adjusted for f in self.cost_flows if f.agency not in self.outside])
        return [c * df for c, df in zip(public, self.factors["standard"])]

    @cached_property
    def pv_public_costs(self) -> Decimal:
        """The fiscal case's cost: PV of the costs the public sector bears."""
        return sum(self.pv_public_cost_by_year, ZERO)

    @property
    def pv_costs_outside(self) -> Decimal:
        """PV of costs borne by parties outside the public sector: public value, not the fiscal case."""
        return self.pv_costs - self.pv_public_costs

    def pv_stream_by_year(self, stream: BenefitStream) -> list[Decimal]:
        factors = self.factors[stream.discount_column]
        return [stream.counted_value(t) * factors[t] for t in range(len(self.years))]

    def pv_stream(self, stream: BenefitStream) -> Decimal:
        return sum(self.pv_stream_by_year(stream), ZERO)

    def benefits_by_year(self, *, discounted: bool, value_type: str | None = None) -> list[Decimal]:
        totals = [ZERO] * len(self.years)
        for s in self.streams:
            if not s.counted or (value_type and s.unit_cost.value_type.value != value_type):  # type: ignore[union-attr]
                continue
            flows = self.pv_stream_by_year(s) if discounted else [s.counted_value(t) for t in range(len(self.years))]
            totals = [a + b for a, b in zip(totals, flows)]
        return totals

    def cumulative(self) -> tuple[list[Decimal], list[Decimal], list[Decimal]]:
        """Cumulative PV of costs (after optimism bias), of fiscal benefits and of all counted benefits,
        at the end of each year.

        Undiscounted appraisals have factors of 1, so these are then plain running totals. Payback is
        where the fiscal line overtakes the costs for good.
        """

        def running(flows: list[Decimal]) -> list[Decimal]:
            out: list[Decimal] = []
            for flow in flows:
                out.append((out[-1] if out else ZERO) + flow)
            return out

        return (
            running(self.pv_cost_by_year),
            running(self.benefits_by_year(discounted=True, value_type="fiscal")),
            running(self.benefits_by_year(discounted=True)),
        )

    def pv_by_value_type(self) -> dict[str, Decimal]:
        return {
            vt: sum(self.benefits_by_year(discounted=True, value_type=vt), ZERO)
            for vt in ("fiscal", "economic", "social")
        }

    @property
    def pv_benefits(self) -> Decimal:
        return sum(self.pv_by_value_type().values(), ZERO)

    def pv_fiscal_by(self, key: str) -> dict[str, Decimal]:
        """PV of fiscal benefits grouped by 'agency' or 'cashable' (an outcome's own cashable share splits it)."""
        out: dict[str, Decimal] = {}
        for s in self.streams:
            if not (s.counted and s.fiscal):
                continue
            if key == "agency":
                out[s.unit_cost.agency] = out.get(s.unit_cost.agency, ZERO) + self.pv_stream(s)  # type: ignore[union-attr]
                continue
            if s.cashable_share is None:  # all or none, as the unit cost says
                parts = {CASHABILITY[s.unit_cost.cashable]: self.pv_stream(s)}  # type: ignore[union-attr]
            else:
                cash = self.pv_cashable_stream(s)
                parts = {CASHABILITY[True]: cash, CASHABILITY[False]: self.pv_stream(s) - cash}
            for name, amount in parts.items():
                out[name] = out.get(name, ZERO) + amount
        return out

    def pv_cashable_by_year(self, stream: BenefitStream) -> list[Decimal]:
        return [pv * stream.cashable_fraction(t) for t, pv in enumerate(self.pv_stream_by_year(stream))]

    def pv_cashable_stream(self, stream: BenefitStream) -> Decimal:
        return sum(self.pv_cashable_by_year(stream), ZERO)

    @cached_property
    def pv_cashable(self) -> Decimal:
        """PV of the fiscal benefits that can be taken out of a budget."""
        return sum((self.pv_cashable_stream(s) for s in self.streams), ZERO)

    @property
    def cashability_stated(self) -> bool:
        """Whether any fiscal benefit says if it is cashable (its unit cost, or its own share); with fiscal
        benefits and none saying, the cashable figures are not known rather than 0. With no fiscal benefit, there
        is nothing to cash: 0 is then the answer."""
        fiscal = [s for s in self.streams if s.unit_cost is not None and s.unit_cost.value_type.value == "fiscal"]
        return not fiscal or any(s.cashable_share is not None or s.unit_cost.cashable is not None for s in fiscal)  # type: ignore[union-attr]

    @property
    def cashable_roi(self) -> Decimal | None:
        if self.pv_public_costs == 0 or not self.cashability_stated:
            return None
        return (self.pv_cashable - self.pv_paid_out) / self.pv_public_costs  # payments out are cash too

    @property
    def cashable_payback(self) -> Decimal | None:
        """Payback on cashable savings alone (None too when no fiscal benefit says whether it is cashable)."""
        if not self.cashability_stated:
            return None
        return self._payback_years(self._total([self.pv_cashable_by_year(s) for s in self.streams]))

    def _payback_years(self, pv_benefits: list[Decimal]) -> Decimal | None:
        """Payback against these benefits by period, in years whatever the periods (6 months is 0.5)."""
        # what is paid outside the public sector counts as spent, at the start of its year as costs are
        spent = [c + out for c, out in zip(self.pv_public_cost_by_year, self.pv_paid_out_by_year)]
        periods = payback_period(spent, pv_benefits)
        return None if periods is None else periods / self.per_year  # exact for years (/ 1)

    @cached_property
    def pv_paid_out_by_year(self) -> list[Decimal]:
        """PV by year of what the public sector pays to parties outside it (outcome payments to investors, less
        any it receives from them): in the fiscal case as much as a cost is, and never in the NPV, where
        what one party pays another receives."""
        df = self.factors["standard"]
        return self._total([[f.leaves * p * d for p, d in zip(f.paid, df)] for f in self.transfers if f.leaves])

    @cached_property
    def pv_paid_out(self) -> Decimal:
        return sum(self.pv_paid_out_by_year, ZERO)

    @property
    def net_present_budget_impact(self) -> Decimal:
        """Fiscal benefits less the public sector's costs and less what it pays outside it, all agencies together."""
        return self.pv_by_value_type()["fiscal"] - self.pv_public_costs - self.pv_paid_out

    @property
    def net_present_public_value(self) -> Decimal:
        return self.pv_benefits - self.pv_costs

    @property
    def financial_roi(self) -> Decimal | None:
        if self.pv_public_costs == 0:
            return None
        return (self.pv_by_value_type()["fiscal"] - self.pv_paid_out) / self.pv_public_costs

    @property
    def benefit_cost_ratio(self) -> Decimal | None:
        return None if self.pv_costs == 0 else self.pv_benefits / self.pv_costs

    @property
    def payback(self) -> Decimal | None:
        return self._payback_years(self.benefits_by_year(discounted=True, value_type="fiscal"))

    @property
    def lead_budget_impact(self) -> Decimal:
        """The lead agency's own net present budget impact: its fiscal benefits less its costs and what it pays
        (its row of who pays and who benefits), beside the figure for all public agencies together."""
        return next((f.net for f in self.who_pays_and_benefits() if f.agency == self.lead_agency), ZERO)

    def who_pays_and_benefits(self) -> list[AgencyFlow]:
        df = self.factors["standard"]
        costs: dict[str, Decimal] = {}
        for flow in self.cost_flows:
            costs[flow.agency] = costs.get(flow.agency, ZERO) + sum((c * d for c, d in zip(flow.adjusted, df)), ZERO)
        benefits = self.pv_fiscal_by("agency")
        paid: dict[str, Decimal] = {}
        received: dict[str, Decimal] = {}
        for t in self.transfers:
            paid[t.payer] = paid.get(t.payer, ZERO) + t.pv
            received[t.payee] = received.get(t.payee, ZERO) + t.pv
        parties = sorted(set(costs) | set(benefits) | set(paid) | set(received))
        return [
            AgencyFlow(a, costs.get(a, ZERO), benefits.get(a, ZERO), paid.get(a, ZERO), received.get(a, ZERO))
            for a in parties
        ]
