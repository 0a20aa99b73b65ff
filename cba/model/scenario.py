"""The scenario: what a programme cost, what it was funded with, and what changed.

These models hold a scenario exactly as written; the arithmetic over them lives
in ``appraisal``. Unknown keys are errors everywhere, so a typo never silently
drops a figure.
"""

# No `from __future__ import annotations` here: pydantic would then evaluate every field's
# annotation from its string (a compile apiece, some 4 ms of each run's start; issue 32).
from decimal import Decimal
from enum import Enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from cba.model.periods import label as period_label
from cba.model.periods import period_kind
from cba.model.types import (
    Count,
    Factor,
    FinancialYear,
    Fraction,
    GrowthSchedule,
    Identifier,
    Money,
    Period,
    PriceBase,
    Quantity,
    Result,
    Text,
)
from cba.model.unit_cost import PriceYear


class _Strict(BaseModel):
    # defer_build: a model is built when first validated, not when its class is made. Scenario then builds
    # its nested models' schemas once, inline, instead of each of ~45 models compiling its own validator and
    # serializer at import that the scenario's validator does not use (7 ms of a plain run; issue 32).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class UnitCostSource(_Strict):
    """One of several unit-cost tables: ids in it can be written NAME/ID."""

    name: Identifier = Field(description="the table's name, used as NAME/ID")
    path: Text = Field(description="CSV file relative to this scenario, or a bundled table's name")
    overrides: list[Identifier] = Field(
        default_factory=list, description="tables whose same-id entries this one replaces"
    )


CostRef = Annotated[str, Field(pattern=r"^([A-Za-z][A-Za-z0-9_.\-]*/)?[A-Za-z][A-Za-z0-9_.\-]*$", max_length=130)]


class Conversion(_Strict):
    """An explicit unit conversion, e.g. a weekly cost for a year: factor 52.14, reason 'weeks in a year'."""

    factor: Factor = Field(description="what the unit cost is multiplied by: a number, or a fraction such as 1/12")
    reason: Text = Field(description="why, in words (shown in every output)")


class CostKind(str, Enum):
    """How a cost line relates to the plan: the sub-totals a finance officer reports."""

    direct = "direct"  # planned programme spend
    unplanned = "unplanned"
    committed = "committed"  # earmarked for a future period, not yet spent
    in_kind = "in_kind"  # contributed resources (staff time, offices)


class NetPositionBasis(str, Enum):
    """Which cost the benefits are set against in the net position."""

    funding = "funding"  # the grant(s) received: what the Dorset report used
    actual = "actual"
    budget = "budget"


class FundingSource(_Strict):
    name: Text = Field(description="the grant or budget, as reports name it")
    amount: Money = Field(description="total received over the periods")
    funder: str | None = Field(None, description="who paid it (an agency, for who pays / who benefits)")
    source: str | None = Field(None, description="where the amount comes from (the evidence an auditor checks)")
    note: str | None = Field(None, description="anything a reader should know")


class PublishedLineTotals(_Strict):
    """A line's totals as printed in the source document, to reconcile against."""

    budget: Money | None = Field(None, description="the line's budget total as printed")
    actual: Money | None = Field(None, description="the line's actual total as printed")


class OptimismBias(_Strict):
    """An optimism-bias adjustment: a confidence grade looked up in the grade table, or a percentage."""

    grade: int | None = Field(None, ge=1, le=6, description="confidence grade, 1 (strongest) to 6 (weakest)")
    percent: Quantity | None = Field(None, description="explicit percentage, e.g. 15")


class Arm(_Strict):
    """One arm of a trial or comparison study."""

    label: Text = Field(description="the arm, as the study names it")
    n: Count = Field(description="participants in the arm (families, children)")


class ComparisonArm(Arm):
    """The arm a programme is set against; its size may be unpublished (a national mean, a matched group's mean)."""

    n: Count | None = Field(  # type: ignore[assignment]  # an Arm whose size may be unknown
        None,
        description="participants in the arm; omit when only the arm's mean is published (nothing divides by it: "
        "totals are the difference of means x the programme arm's n)",
    )


class Arms(_Strict):
    """A programme arm against a comparison arm (a trial, a matched comparison): results per participant."""

    programme: Arm = Field(description="those who had the programme")
    comparison: ComparisonArm | None = Field(
        None,
        description="those who did not; omit for a single-arm study, whose means are each the change per "
        "participant in the programme arm",
    )


class ArmMeans(_Strict):
    """An outcome's mean per participant in each arm (a count or a rate: 0.25 of children back in care)."""

    programme: Quantity = Field(
        description="the mean per participant in the programme arm; without comparison, the mean change per "
        "participant (negative for a fall)"
    )
    comparison: Quantity | None = Field(
        None, description="the mean per participant in the comparison arm; omit for a single arm's mean change"
    )


class CostArms(_Strict):
    """A cost's mean per participant in each arm; the programme's extra cost is the difference x its n."""

    programme: Money = Field(
        description="mean cost per participant in the programme arm; without comparison, the whole extra cost "
        "per participant"
    )
    comparison: Money | None = Field(
        None, description="mean cost per participant in the comparison arm; omit for a single arm"
    )
    period: Period | None = Field(None, description="the period the cost falls in; default: the first")


class SpreadOver(_Strict):
    """The periods a published total covers (£300,000 over three years), and how it falls over them. Each
    period takes the total x its share; the last takes what is left, so the periods sum to the total exactly."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    start: Period | None = Field(None, alias="from", description="the first period it covers; default: the first")
    years: int = Field(
        ge=1, le=500, description="how many periods it covers: years (quarters or months, with those periods)"
    )
    profile: Literal["even"] | list[Fraction] = Field(
        "even", description="even (the same share each period), or each period's share, summing to 1"
    )

    def split(self, total: Decimal, first: str) -> dict[str, Decimal]:
        """The total by period, from ``start`` (or ``first``): total x each share, the last taking the rest."""
        if self.profile == "even":
            amounts = [total / self.years] * (self.years - 1)
        else:
            amounts = [total * share for share in self.profile[:-1]]
        amounts.append(total - sum(amounts, Decimal(0)))
        begin = self.start or first
        return {period_label(begin, k): amount for k, amount in enumerate(amounts)}

    def periods(self, first: str) -> list[str]:
        """The periods it covers, from ``start`` (or ``first``)."""
        return [period_label(self.start or first, k) for k in range(self.years)]


class CostSpread(SpreadOver):
    """A cost line's budget or actual published as a total over several periods, spread over them."""

    budget: Money | None = Field(None, description="the budget over all of them, in pounds")
    actual: Money | None = Field(None, description="the actual spend over all of them, in pounds")


class TransferSpread(SpreadOver):
    """A transfer published as a total over several periods, spread over them."""

    total: Money = Field(description="paid over all of them, in pounds")


class VolumeSpread(SpreadOver):
    """An outcome's volume published as a total over several periods, spread over them."""

    total: Quantity = Field(description="the volume saved over all of them")


class UnitsTimesPrice(_Strict):
    """A cost line as units x price: caseload x cost per case, FTE x salary. The line's budget and actual
    amounts are the units by period times the price."""

    unit: Text = Field("unit", description="what one unit is, e.g. FTE or case")
    price: Money | None = Field(None, description="the price of one unit, in pounds")
    unit_cost: CostRef | None = Field(None, description="instead of price: a unit-cost table entry's value")
    budget: dict[Period, Quantity] = Field(default_factory=dict, description="units budgeted by period")
    actual: dict[Period, Quantity] = Field(default_factory=dict, description="units used by period")


class NettedSaving(_Strict):
    """A saving the line's own spend makes in the same period (placements avoided while a service runs), netted
    against it as the source does for a "net cost per case": the line counts gross less the saving, and every
    face shows the gross, the saving and the net. Not counted again as a benefit."""

    label: Text = Field(description="what the saving is, as the source names it")
    budget: dict[Period, Money] = Field(default_factory=dict, description="saving budgeted, by period")
    actual: dict[Period, Money] = Field(default_factory=dict, description="saving made, by period")
    source: str | None = Field(None, description="where the saving's figures come from")


class CostLine(_Strict):
    id: Identifier | None = Field(
        None,
        description="short name for --set, --vary and uncertainty (costs.ID); "
        "default: the line's position, costs.0 for the first",
    )
    name: Text = Field(description="the budget line, as the source names it")
    kind: CostKind = Field(
        CostKind.direct,
        description="direct (planned), unplanned, committed (earmarked, not yet "
        "spent) or in_kind (contributed resources)",
    )
    category: str | None = Field(None, description="free grouping for your own reports")
    budget: dict[Period, Money] = Field(default_factory=dict, description="budgeted amount by period")
    actual: dict[Period, Money] = Field(default_factory=dict, description="actual amount by period")
    arms: CostArms | None = Field(
        None,
        description="instead of amounts: mean cost per participant in each arm; the "
        "line is the programme arm's extra cost (difference x n)",
    )
    units: UnitsTimesPrice | None = Field(
        None,
        description="instead of budget and actual amounts: units by period "
        "times a price (caseload x cost per case, FTE x salary)",
    )
    spread: CostSpread | None = Field(
        None,
        description="instead of budget and actual by period: totals published over several periods, spread "
        "over them (evenly, or by a profile)",
    )
    saving: NettedSaving | None = Field(
        None,
        description="an in-period saving netted against the line (a net cost per case): the line counts its "
        "budget and actual less the saving in each period",
    )
    quantified: bool = Field(True, description="false for costs known to exist but not measured (e.g. in-kind time)")
    agency: str | None = Field(
        None,
        description="who bears the cost: an agency, or one of the scenario's parties outside the public sector (a "
        "provider: in the public value, not in the fiscal case); default: the scenario's cost_agency",
    )
    published: PublishedLineTotals | None = None
    price_basis: Literal["outturn"] | FinancialYear = Field(
        "outturn",
        description="outturn: cash in each period's own prices (the default, as spent); or the financial "
        "year whose prices the figures are in. Uprating brings either to the price base",
    )
    real_growth: GrowthSchedule | None = Field(
        None,
        description="the real price growth of this line's costs over the GDP deflator (a relative price effect): "
        "a rate a year (care pay at 0.01), or rates by financial year ({2025/26: 2%, 2027/28: 1%}, each year after "
        "the last listed at its rate), from the year of its price_basis; not for outturn, which is spent at its "
        "own prices",
    )
    optimism_bias: OptimismBias | None = Field(
        None,
        description="this line's uplift when it is a forecast (budget or committed); default: its category's, "
        "then the appraisal's cost_optimism_bias",
    )
    source: str | None = Field(None, description="where the figures come from (the evidence an auditor checks)")
    note: str | None = Field(None, description="anything a reader should know")


class PublishedTotal(_Strict):
    """A total printed in the source (a sub-total row, a column total) to check."""

    label: Text = Field(description="where the total is printed, e.g. 'Table 4 Sub total, 2016/17'")
    measure: Literal["budget", "actual"] = Field(description="which figures it totals")
    kinds: list[CostKind] | None = Field(None, description="cost kinds summed; omit for all kinds")
    period: Period | None = Field(None, description="one period; omit for all periods")
    value: Money = Field(description="the total as printed")


class PublishedResult(_Strict):
    """A result printed in the source (a BCR, an NPV, a saving per family, "pays back within two years"),
    checked against cba's own figure at the precision it was printed to."""

    label: Text = Field(description="where the result is printed, e.g. 'Table 6, benefit-cost ratio'")
    figure: str = Field(
        min_length=1,
        max_length=300,
        description="the figure it states: a headline by its key (bcr, npv, net_position, benefit_cost_ratio, "
        "financial_roi, payback_years, net_position_per_unit, ...), or any figure of cba run --format json "
        "by its path there, a list's item picked in brackets by its name: outcomes[lac].attributable_value, "
        "appraisal.who_pays_and_benefits[Local Authority].net, switching_values[lac, npv].units_needed",
    )
    value: Result | None = Field(None, description="the figure as printed (with to: its precision)")
    to: Quantity | None = Field(
        None,
        gt=0,
        description="the precision it was printed to: 0.01 for a BCR of 1.87, "
        "100000 for '£1.8 million'; default: exactly",
    )
    at_most: Result | None = Field(
        None,
        description="instead of value: the figure is at most this "
        "('pays back within two years': payback_years, at_most: 2)",
    )
    at_least: Result | None = Field(None, description="instead of value: the figure is at least this")
    more_than: Result | None = Field(
        None, description="instead of value: the figure is more than this ('more than doubles': bcr, more_than: 2)"
    )
    less_than: Result | None = Field(None, description="instead of value: the figure is less than this")


class PerOutcome(_Strict):
    """A payment for each unit of an outcome achieved (its volume as measured, before additionality)."""

    outcome: Identifier = Field(description="the outcome paid for, by its id")
    amount: Money = Field(description="paid per unit of the outcome")


class MultipleOf(_Strict):
    """A transfer worth so many times what another transfer paid in all (investors' proceeds as 1.45 x their
    capital), paid in one period."""

    transfer: Text = Field(description="the other transfer, by its name; it must be listed before this one")
    times: Factor = Field(description="how many times its total, e.g. 1.45")
    period: Period | None = Field(None, description="the period it is paid in; default: the last")


class Transfer(_Strict):
    """Money moved from one party to another, such as a social impact bond's outcome payments to investors.
    What one pays the other receives: shown in who pays and who benefits, never in the public-sector net."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)

    name: Text = Field(description="the transfer, as the source names it")
    payer: Text = Field(alias="from", description="who pays: an agency, or one of the scenario's parties")
    payee: Text = Field(alias="to", description="who receives: an agency, or one of the scenario's parties")
    amounts: dict[Period, Money] | None = Field(None, description="amounts paid by period")
    per_outcome: PerOutcome | None = Field(None, description="instead of amounts: so much per unit of an outcome")
    multiple_of: MultipleOf | None = Field(
        None, description="instead of amounts: so many times what an earlier transfer paid in all, in one period"
    )
    spread: TransferSpread | None = Field(
        None, description="instead of amounts: a total published over several periods, spread over them"
    )
    cap: Money | None = Field(None, description="the most that is paid in all (outcome payments are often capped)")


class ClaimBase(_Strict):
    """What a claimed saving was measured against: the budget or spend it is a share of."""

    label: Text = Field(
        description="what the base is, as the source names it, e.g. 'annual expenditure at application'"
    )
    amount: Money = Field(description="the base, as printed")


class Claim(_Strict):
    """A benefit claimed before the programme ran (a proposal or business case), set beside the realised one."""

    label: Text = Field(description="the claim, as the source words it")
    amount: Money = Field(description="the benefit claimed, as printed")
    per: Literal["year", "total"] = Field(
        "year",
        description="year: a benefit in one period (set beside the attributable benefit in that period); "
        "total: over the whole appraisal",
    )
    period: Period | None = Field(
        None,
        description="per: year, the period the claim is for (with quarters or months, "
        "a financial year sums its periods); default: the last",
    )
    share_of: ClaimBase | None = Field(None, description="what the claim is a share of, to show it as a percentage")
    source: str | None = Field(None, description="where the claim is printed")
    realised: Literal["not published"] | None = Field(
        None,
        description="'not published': the source gives nothing realised on the claim's footing (its outcomes are "
        "not in the scenario), so the claim is shown alone, not set against the benefits",
    )


class UnmonetisedImpact(_Strict):
    """An impact the appraisal does not value in money, listed beside the headline so the reader weighs it: the
    Green Book's value-for-money judgement counts unmonetised costs and benefits as well as the NPV."""

    impact: Text = Field(description="the impact, as the source describes it")
    direction: Literal["positive", "negative", "uncertain"] = Field(
        description="positive: it adds to the case; negative: it takes from it; uncertain: it could go either way"
    )
    scale: Literal["small", "moderate", "large", "not known"] = Field(
        "not known", description="how large the source judges it; default: not known"
    )
    affects: Text | None = Field(None, description="who it falls on: children and families, the workforce, an agency")
    source: str | None = Field(None, description="the evidence: where the source says so")
    note: str | None = Field(None, description="what a reader should know about it")


class EvidenceGrades(_Strict):
    """How strong the evidence behind a benefit is, graded as the GMCA method grades confidence: 1 (independently
    audited, current, local) to 6 (uncorroborated or old)."""

    impact: int | None = Field(None, ge=1, le=6, description="the evidence that the programme caused the change")
    deadweight: int | None = Field(None, ge=1, le=6, description="the evidence for the deadweight assumption")
    cohort: int | None = Field(None, ge=1, le=6, description="the data on the cohort (its size and engagement)")
    source: str | None = Field(None, description="where the grading is argued (an evaluation, a review)")


class BudgetEnvelope(_Strict):
    """The cash a budget holder has for the programme, by period: the financial case's test of affordability."""

    holder: Text | None = Field(
        None,
        description="the budget holder whose cash costs it covers (an agency); default: the scenario's cost_agency",
    )
    amounts: dict[Period, Money] = Field(
        min_length=1, description="cash available by period, in money of the day (nominal), not in real terms"
    )
    source: str | None = Field(None, description="where the envelope is set, e.g. the medium-term financial plan")


class DeflatorForecast(_Strict):
    """How the GDP deflator is taken to grow past the last year of the bundled series, for the financial case's
    cash figures: cba ships no forecast, so a cash figure past the series is not known unless this says."""

    growth: Fraction = Field(description="the deflator's growth a year past the series, e.g. 0.02 for 2%")
    source: Text = Field(
        description="where the rate comes from, e.g. the OBR's Economic and fiscal outlook, with its date"
    )


class ReportPer(_Strict):
    """Results per family, per child, per participant: the unit evaluations publish savings in."""

    label: Text = Field(description="the unit, singular, e.g. family")
    count: Quantity = Field(gt=0, description="how many of them the results cover, e.g. 120 families")


class Spread(_Strict):
    """A value published as a total over several years (a saving per case over five years), spread over them."""

    years: int = Field(
        ge=1, le=100, description="the years (or periods, with quarters or months) the total covers, from start_year"
    )
    profile: Literal["even"] | list[Fraction] = Field(
        "even", description="even (the same share each year), or each year's share, summing to 1"
    )


class Timing(_Strict):
    """When a benefit falls: from ``start_year`` (0 = the first period) for ``duration`` years."""

    start_year: int = Field(
        0,
        ge=0,
        le=500,
        description="appraisal year of the first benefit (the lag); with quarters or months, the period",
    )
    duration: int = Field(
        1, ge=1, le=500, description="years the benefit lasts (1 = one-off); with quarters or months, periods"
    )
    drop_off: Fraction = Field(
        Decimal(0), description="share of the benefit lost each year (or period) after the first"
    )
    spread: Spread | None = Field(
        None,
        description="instead of duration and drop_off: the unit's value is a total "
        "over several years, spread over them",
    )

    def shares(self) -> list[Decimal] | None:
        """Each year's share of a spread value, from start_year (None when the value is not spread)."""
        if self.spread is None:
            return None
        if self.spread.profile == "even":
            return [Decimal(1) / self.spread.years] * self.spread.years
        return list(self.spread.profile)


class Cohort(_Strict):
    """Volume as cohort x engagement rate x success rate (the GM CBA model's outcome volume)."""

    size: Count | None = Field(None, description="people or families reached (per year, or in all)")
    intake: dict[Period, Count] | None = Field(
        None,
        description="instead of size: the people or families taken on in each period; each intake's "
        "benefit starts from its own year",
    )
    engagement: Fraction = Field(description="share who engage")
    success: Fraction = Field(description="share of those engaged who achieve the outcome")

    @property
    def people(self) -> Decimal:
        """Everyone reached: the size, or the intakes summed."""
        return self.size if self.size is not None else sum((self.intake or {}).values(), Decimal(0))


class MoneyValue(_Strict):
    """An outcome already in money: the value of one unit written in the scenario (a mean cost of crime, a court
    cost per case), with the provenance a unit-cost table would carry."""

    amount: Money | None = Field(
        None,
        description="the value of one unit, in pounds (required, unless the outcome is already money: amounts, "
        "or arms means in pounds)",
    )
    unit: Text = Field("per unit", description="what one unit is, e.g. per case")
    price_year: PriceYear = Field(description="the year whose prices the amount is in, or 'not stated'")
    agency: Text = Field("Local Authority", description="who bears the cost (or gains the saving)")
    value_type: Literal["fiscal", "economic", "social"] = Field(
        "fiscal", description="fiscal, economic or social value"
    )
    cashable: bool | None = Field(None, description="true: a saving can leave a budget; false: capacity freed")
    confidence: int | None = Field(None, ge=1, le=6, description="confidence grade, 1 (strongest) to 6 (weakest)")
    source: Text = Field(description="where the figure comes from")


class Cashable(_Strict):
    """How much of a fiscal saving can be taken out of a budget, and from when (cashable now or later)."""

    share: Fraction = Field(description="the share of the fiscal saving that is cashable")
    from_year: int = Field(
        0, ge=0, le=500, description="appraisal year (or period) from which it is cashable (0: at once)"
    )


class ValuePart(_Strict):
    """One of several values of one outcome: what one unit is worth to one payer, or as one kind of value
    (a care order's cost to the council, to the courts and to legal aid; a fiscal and a social value)."""

    id: Identifier | None = Field(
        None,
        description="short name of this value within its outcome: with ids on every value, a scenario that "
        "extends this one changes or adds values by id rather than replacing the list",
    )
    label: Text | None = Field(
        None, description="what this value is, e.g. court costs (default: its payer and value type)"
    )
    unit_cost: CostRef | None = Field(None, description="a unit-cost table entry: ID or TABLE/ID")
    value: MoneyValue | None = Field(None, description="instead of unit_cost: the value, written here with its source")
    share: Fraction = Field(
        Decimal(1),
        description="the share of that value this part counts (e.g. 0.25 of a cost "
        "shared between payers); 1 = all of it",
    )


class Outcome(_Strict):
    """A change in demand, priced at a unit cost of that demand.

    The volume saved is ``baseline - follow_up`` (a fall saves, a rise costs), or
    ``cohort.size x engagement x success``, or given year by year in ``volumes``.
    """

    id: Identifier = Field(description="short name used by --attributable, --vary and uncertainty")
    measure: Text = Field(description="what is counted, for people")
    baseline: Count | None = Field(None, description="the count before the programme (with follow_up)")
    follow_up: Count | None = Field(None, description="the count after; the change is follow_up - baseline")
    cohort: Cohort | None = None
    arms: ArmMeans | None = Field(
        None,
        description="the mean per participant in each arm (with the scenario's arms): "
        "the change is (programme - comparison) x the programme's n",
    )
    volumes: dict[Period, Quantity] | None = Field(None, description="volume saved by period")
    volume_spread: VolumeSpread | None = Field(
        None, description="instead of volumes by period: a total volume published over several periods, spread"
    )
    amounts: dict[Period, Money] | None = Field(
        None,
        description="instead of a volume and a value per unit: the benefit in pounds by period, as a source "
        "publishes it, with value: giving its price year, agency, value type and source (and no amount)",
    )
    baseline_period: str | None = Field(None, description="when the baseline was measured (for the record)")
    follow_up_period: str | None = Field(None, description="when the follow-up was measured (for the record)")
    unit_cost: CostRef | None = Field(None, description="unit cost that prices one unit of the measure: ID or TABLE/ID")
    value: MoneyValue | None = Field(
        None, description="instead of unit_cost: the value of one unit, in money, written here with its source"
    )
    values: list[ValuePart] | None = Field(
        None,
        min_length=1,
        description="instead of unit_cost or value: several "
        "values of one unit, each with its payer and value type (and a share)",
    )
    conversion: Conversion | None = Field(None, description="multiplies the unit cost, e.g. 52.14 weeks in a year")
    attributable: bool = Field(False, description="whether the change is attributed to the programme")
    cashable: Cashable | None = Field(
        None,
        description="the share of a fiscal saving that is cashable, and from "
        "when; default: all or none, as its unit cost says",
    )
    timing: Timing = Field(
        default_factory=Timing,
        description="when the benefit falls; not written, a change is first realised in its follow_up_period "
        "(else the last period) for one year, a cohort from the first period, and every face says so",
    )
    deadweight: Fraction = Field(Decimal(0), description="share that would have happened anyway")
    deadweight_reason: Text | None = Field(
        None,
        description="why deadweight applies on top of a comparison arm, which already is the counterfactual "
        "(needed with arms and a deadweight)",
    )
    attribution: Fraction = Field(Decimal(0), description="share due to other people or programmes")
    displacement: Fraction = Field(Decimal(0), description="share moved from elsewhere rather than created")
    optimism_bias: OptimismBias | None = Field(
        None, description="reduction for optimism; default per appraisal settings"
    )
    real_growth: GrowthSchedule | None = Field(
        None,
        description="the real price growth of the outcome's unit cost or value over the GDP deflator (a relative "
        "price effect): a rate a year (placements at 0.02), or rates by financial year ({2025/26: 3%, 2027/28: "
        "2%}, each year after the last listed at its rate), from its price year, over the appraisal in real terms",
    )
    evidence: EvidenceGrades | None = Field(
        None,
        description="GMCA-style grades of the evidence behind the benefit: the optimism bias is the grade table's "
        "percentage for the weakest grade, leaving out any risk the scenario ranges explicitly (instead of "
        "optimism_bias)",
    )
    discount: Literal["standard", "health"] = Field(
        "standard",
        description="discount schedule column: health for health and wellbeing values; when not written, health "
        "for a value in QALYs or WELLBYs (its unit names one) and standard for the rest",
    )
    source: str | None = Field(None, description="where the figures come from")
    note: str | None = Field(None, description="anything a reader should know")

    def priced_by(self) -> list[tuple[tuple[str | int, ...], str]]:
        """(where in the outcome, the unit-cost reference) for each table entry that prices one unit."""
        if self.values is not None:
            return [(("values", k, "unit_cost"), p.unit_cost) for k, p in enumerate(self.values) if p.unit_cost]
        return [(("unit_cost",), self.unit_cost)] if self.unit_cost else []


class Distribution(_Strict):
    """A range for an uncertain input: uniform(low, high), triangular(low, mode, high), or
    normal(mean, sd) optionally truncated to [low, high]."""

    distribution: Literal["uniform", "triangular", "normal"]
    low: Quantity | None = Field(None, description="lowest value (uniform, triangular; optional bound for normal)")
    high: Quantity | None = Field(None, description="highest value (uniform, triangular; optional bound for normal)")
    mode: Quantity | None = Field(None, description="most likely value (triangular)")
    mean: Quantity | None = Field(None, description="mean (normal)")
    sd: Quantity | None = Field(None, description="standard deviation (normal)")


class CohortUncertainty(_Strict):
    """Ranges for a cohort's size, engagement and success."""

    size: Distribution | None = Field(None, description="a range for the cohort size")
    engagement: Distribution | None = Field(None, description="a range for the share who engage")
    success: Distribution | None = Field(None, description="a range for the share of those engaged who succeed")


class TimingUncertainty(_Strict):
    """Ranges for when a benefit falls; a lag or duration drawn between whole years is rounded to the nearest."""

    start_year: Distribution | None = Field(None, description="a range for the lag: the first benefit year")
    duration: Distribution | None = Field(None, description="a range for the years the benefit lasts")
    drop_off: Distribution | None = Field(None, description="a range for the share lost each year after the first")


class OutcomeUncertainty(_Strict):
    change: Distribution | None = Field(None, description="follow_up - baseline (negative: a fall)")
    deadweight: Distribution | None = Field(None, description="a range for the outcome's deadweight")
    attribution: Distribution | None = Field(None, description="a range for the outcome's attribution")
    displacement: Distribution | None = Field(None, description="a range for the outcome's displacement")
    optimism_bias: Distribution | None = Field(
        None, description="a range for the outcome's optimism bias, as a share (0.1 for 10%)"
    )
    cohort: CohortUncertainty | None = Field(None, description="ranges for the cohort's size, engagement and success")
    timing: TimingUncertainty | None = Field(None, description="ranges for the lag, duration and drop-off")
    volumes: dict[Period, Distribution] = Field(
        default_factory=dict, description="a range for a year's volume, by financial year"
    )


class CostLineUncertainty(_Strict):
    """Ranges for a cost line: how far its spend may differ, and its optimism bias."""

    change: Distribution | None = Field(
        None,
        description="a share by which the line's spend may differ, every year "
        "alike: -0.1 is 10% less, 0.25 a quarter more",
    )
    optimism_bias: Distribution | None = Field(
        None, description="a range for this line's uplift on forecasts, as a share"
    )


class AppraisalUncertainty(_Strict):
    discount_rate: Distribution | None = Field(
        None,
        description="a flat discount rate for every year, as a share (health values keep the schedule's differential)",
    )
    health_discount_rate: Distribution | None = Field(
        None, description="a flat discount rate for health values on its own, as a share"
    )
    cost_optimism_bias: Distribution | None = Field(
        None,
        description="the appraisal-wide uplift on forecast costs, as a share (lines with their own or their "
        "category's grade keep it)",
    )


class RankCorrelation(_Strict):
    """Two ranged inputs that move together: their rank (Spearman) correlation, from -1 to 1. Engagement and
    success, or a unit cost and the volume it prices, are rarely independent."""

    between: tuple[Text, Text] = Field(
        description="the two inputs, named as --set and --vary name them (lac, lac-year, lac.deadweight, costs.0)"
    )
    rank: Quantity = Field(description="their rank correlation: 0 independent, 1 in step, -1 opposed")


class Uncertainty(_Strict):
    """Ranges for `cba simulate` and the tornado: unit costs by id, outcomes by id, cost lines by id (or
    position, 0 for the first), and the appraisal's discount rate and optimism bias."""

    unit_costs: dict[CostRef, Distribution] = Field(
        default_factory=dict, description="a range for each unit cost, by id"
    )
    outcomes: dict[Identifier, OutcomeUncertainty] = Field(
        default_factory=dict, description="ranges for an outcome, by its id"
    )
    cost_lines: dict[str, CostLineUncertainty] = Field(
        default_factory=dict, description="ranges for a cost line, by its id or position"
    )
    appraisal: AppraisalUncertainty | None = Field(
        None, description="ranges for the discount rate and optimism bias on costs"
    )
    correlations: list[RankCorrelation] = Field(
        default_factory=list,
        description="rank correlations between ranged inputs, each pair once; drawn together by Iman and "
        "Conover's method (each input keeps its own range)",
    )


class AppraisalSettings(_Strict):
    """Green Book / GM CBA appraisal. Absent: the undiscounted sums of the source report."""

    discounting: Literal["none", "green_book"] = Field(
        "none", description="green_book: discount at the Green Book schedule (3.5%, falling after year 30)"
    )
    discount_rate: Fraction | None = Field(
        None,
        description="flat rate for every year instead of the schedule (sensitivity); health values keep the "
        "schedule's differential below it (the wealth effect: 2 points in years 0-30), never below 0",
    )
    health_discount_rate: Fraction | None = Field(
        None, description="flat rate for health values instead of the schedule's health column (sensitivity)"
    )
    uprate: bool = Field(
        True,
        description="the older spelling of the scenario's real_terms, for the appraisal: write one of the two",
    )
    horizon_years: int | None = Field(None, ge=1, le=500, description="years appraised, counted from the first period")
    cost_optimism_bias: OptimismBias | None = Field(
        None, description="uplift on forecast costs only: a budget, or committed spend (never on outturn actuals)"
    )
    category_optimism_bias: dict[Text, OptimismBias] = Field(
        default_factory=dict,
        description="uplift on the forecast costs of each cost-line category, by category; "
        "a line's own optimism_bias comes first",
    )
    benefit_optimism_bias: Literal["none", "by_confidence"] = Field(
        "none", description="by_confidence: reduce each benefit by its unit cost's confidence grade"
    )
    deflator: str | None = Field(
        None,
        description="GDP deflator: financial-year (the default: ONS YBGB by financial year), "
        "calendar (the bundled calendar-year series), or a CSV (year,index) "
        "relative to this file",
    )
    deflator_smoothing: Literal["none", "two_year_average"] = Field(
        "none",
        description="two_year_average: 2020/21 (and calendar 2020) take the average growth of that year and the "
        "next, smoothing out the pandemic spike in measured government output; none: the series as published",
    )
    discount_schedule: str | None = Field(None, description="discount schedule CSV, relative to this file")
    optimism_bias_grades: str | None = Field(None, description="grade table CSV (grade,percent), relative to this file")


class Scenario(_Strict):
    """One programme's costs, funding and outcomes over its appraisal periods."""

    extends: str | None = Field(
        None,
        description="another scenario this one builds on, relative to this file: its "
        "keys are laid under this file's (lists of items with an id merge "
        "by id; other lists are replaced)",
    )
    remove: list[Identifier] | dict[str, list[Identifier]] | None = Field(
        None,
        description="with extends: items of the scenario this one extends to leave out, by id "
        "([old-line, lac]), or by list ({cost_lines: [old-line]}) where an id names items of several lists",
    )
    name: Text = Field(description="the programme, as reports should name it")
    organisation: Text = Field(description="who ran it")
    currency: Literal["GBP"] = Field("GBP", description="pounds sterling (the only currency)")
    price_base: PriceBase = Field(
        description="the financial year whose prices the appraisal is in; 'not stated' when the source never says "
        "(then nothing can be brought to it or discounted: every face says the prices are not stated)"
    )
    periods: list[Period] = Field(
        min_length=1,
        description="the periods the programme ran, in order: financial "
        "years (2024/25), quarters of them (2024/25 Q1) or months (2024-04), all of one kind; or years of the "
        "programme (Year 1, Year 2, ...) when the source never says which",
    )
    description: str | None = Field(None, description="a sentence or two for reports")
    source: str | None = Field(None, description="the document the figures come from")
    unit_costs: str | list[UnitCostSource] | None = Field(
        None, description="unit-cost table (a path relative to this file), or several named tables"
    )
    net_position_basis: NetPositionBasis = NetPositionBasis.funding
    cost_agency: str = Field("Local Authority", description="agency that bears the costs, for who pays / who benefits")
    funding: list[FundingSource] = Field(default_factory=list, description="grants and budgets received")
    arms: Arms | None = Field(
        None,
        description="a programme arm against a comparison arm, with their sizes: outcomes "
        "and cost lines then give means per participant",
    )
    cost_lines: list[CostLine] = Field(
        default_factory=list, description="spend by budget line and period (none: the costs are not known)"
    )
    published_totals: list[PublishedTotal] = Field(default_factory=list)
    parties: list[Text] = Field(
        default_factory=list,
        description="parties outside the public sector that transfers or cost lines name (e.g. Social investors, "
        "a provider that bears a cost)",
    )
    transfers: list[Transfer] = Field(
        default_factory=list,
        description="money moved between parties (outcome payments): in who pays and who benefits, and, when it "
        "leaves the public sector, in the fiscal case; never in the NPV",
    )
    published_results: list[PublishedResult] = Field(
        default_factory=list, description="results printed in the source (BCR, NPV, net, per unit, payback) to check"
    )
    strict: bool = Field(
        False,
        description="fail (exit 1, one line each) when a published result does not agree with cba's figure or "
        "cannot be checked, as --strict does; the report is still written first",
    )
    claimed: list[Claim] = Field(
        default_factory=list,
        description="benefits claimed before the programme, shown beside the attributable benefits realised",
    )
    outcomes: list[Outcome] = Field(default_factory=list)
    unmonetised: list[UnmonetisedImpact] = Field(
        default_factory=list,
        description="impacts not valued in money (direction, scale, evidence), shown beside the headline on every "
        "face; the conclusion is then said to be before them",
    )
    budget_envelope: BudgetEnvelope | None = Field(
        None,
        description="the cash a budget holder has for the programme by period: the financial case sets its cash "
        "costs against it, year by year",
    )
    deflator_forecast: DeflatorForecast | None = Field(
        None,
        description="the GDP deflator's growth a year past the bundled series, for cash figures in those years "
        "(none: they are not known)",
    )
    report_per: ReportPer | None = Field(
        None,
        description="also give the results per family (or per child, per participant): cost, benefits, net and NPV",
    )
    real_terms: bool = Field(
        True,
        description="bring every unit cost, written value and cost line to the price base with the GDP deflator; "
        "false: use them as published, in mixed price years, which every face then says where the headline is",
    )
    appraisal: AppraisalSettings | None = None
    uncertainty: Uncertainty | None = None

    @property
    def in_real_terms(self) -> bool:
        """Whether values are brought to the price base: real_terms as written, else appraisal.uprate as written
        (its older spelling), else yes. A scenario that writes both, differently, is refused (check.settings)."""
        if "real_terms" in self.model_fields_set:
            return self.real_terms
        if self.appraisal is not None and "uprate" in self.appraisal.model_fields_set:
            return self.appraisal.uprate
        # nothing can be brought to a price base not stated, nor deflated from years of the programme (Year 1):
        # written as true, either is refused (check.settings)
        return self.price_base != "not stated" and not self.relative_periods

    @property
    def relative_periods(self) -> bool:
        """Years counted from the programme's start (Year 1, Year 2, ...), not financial years."""
        return period_kind(self.periods[0]) == "relative"
