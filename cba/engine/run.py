"""``cba run``'s result: the appraisal, its headline figures and switching values, computed once.

Every face (text, JSON, CSV, the workbook) renders a ``RunResult`` and nothing else,
so a figure two faces show is the same figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from cba.engine.appraisal import Appraisal, appraise, line_key
from cba.engine.result import Figure, Kind
from cba.engine.switching import (
    CostSwitch,
    OutcomeSwitch,
    cost_switches,
    outcome_switches,
)
from cba.engine.timeline import Timeline
from cba.model.cost_book import CostBook
from cba.model.figure_path import is_path
from cba.model.inputs import InputNames, input_key
from cba.model.provenance import Provenance
from cba.model.record import record
from cba.model.reference import ReferenceData
from cba.model.scenario import BudgetEnvelope, DeflatorForecast, NetPositionBasis, Scenario, UnmonetisedImpact
from cba.model.unit_cost import UnitCost

if TYPE_CHECKING:
    from cba.engine.financial_case import FinancialCase

BASIS_LABELS = {
    NetPositionBasis.funding: "funding received",
    NetPositionBasis.actual: "total actual spend",
    NetPositionBasis.budget: "total budget",
}


@record
class Settings:
    """How the appraisal was run: the choices a reader needs to interpret every figure."""

    basis: NetPositionBasis
    attributable_forced: tuple[str, ...]
    appraised: bool  # Green Book / GM CBA appraisal (the scenario's appraisal block, or --green-book)
    discounted: bool
    uprated: bool
    cost_measure: str  # which spend the appraisal's costs by year are: actual or budget
    what_if: tuple[str, ...] = ()  # how this run departs from the scenario as written, each in words; () if not
    price_base: str = ""
    #: --green-book: discounting and uprating fixed by the command, whatever the scenario says (not its inputs)
    green_book: bool = False

    @property
    def prices(self) -> str:
        """What prices the figures are in, in the words every face puts beside the headline."""
        if self.uprated:
            return f"In {self.price_base} prices: unit costs and written values brought there with the GDP deflator"
        if self.price_base == "not stated":
            return "Prices not stated: every figure as the source published it, in prices it does not name"
        return f"Mixed price years: unit costs as published, not in {self.price_base} prices"

    @property
    def is_what_if(self) -> bool:
        return bool(self.what_if)

    @property
    def basis_label(self) -> str:
        if self.appraised and self.basis is not NetPositionBasis.funding:  # the appraisal's costs (appraise)
            prices = f"in {self.price_base} prices, " if self.uprated else ""
            return f"{BASIS_LABELS[self.basis]}, {prices}after any optimism bias"
        return BASIS_LABELS[self.basis]


@record
class UnitCostUse:
    """One entry of a unit-cost table, with the outcomes that use it (empty: listed for reference)."""

    table: str
    entry: UnitCost
    refs: tuple[str, ...]  # references in the scenario that resolve to it
    used_by: tuple[str, ...]  # outcome ids


#: What the fiscal case's labels take off when money leaves the public sector (every face words it so).
PAID_OUT = " - PV paid outside the public sector"


def less(what: str, out: str) -> str:
    """``what`` less ``out`` in a label, bracketed only when there is something to take off."""
    return f"({what}{out})" if out else what


#: Every headline key, for published_results to name (which ones a run has depends on its settings).
FIGURE_KEYS = (
    "budget_total",
    "actual_total",
    "variance",
    "variance_pct",
    "funding_total",
    "funding_less_actual",
    "cost",
    "attributable_benefits",
    "net_position",
    "benefit_cost_ratio",
    "pv_costs",
    "pv_benefits",
    "npv",
    "net_present_budget_impact",
    "lead_agency_budget_impact",
    "bcr",
    "financial_roi",
    "payback_years",
    "cashable_roi",
    "cashable_payback_years",
    "cost_per_unit",
    "benefits_per_unit",
    "net_position_per_unit",
    "npv_per_unit",
)
NEEDS_APPRAISAL = FIGURE_KEYS[10:20] + ("npv_per_unit",)

#: Headlines over spend, and over the cost set against benefits: not known when what they are over is not.
OVER_SPEND = ("budget_total", "actual_total", "variance", "variance_pct", "funding_less_actual")
#: Every headline but those of funding and of benefits alone.
OVER_COST = tuple(
    k
    for k in FIGURE_KEYS
    if k not in (*OVER_SPEND, "funding_total", "attributable_benefits", "pv_benefits", "benefits_per_unit")
)
#: Headlines a run with ranges adds from its draws: not formulas, and not for published_results to name.
SIMULATED = ("simulated_median", "chance_below_zero")
#: Headlines over the cashable part of fiscal benefits: not known when no fiscal benefit says what is cashable.
CASHABLE = ("cashable_roi", "cashable_payback_years")


def unknown_reason(a: Appraisal, appraised: bool, key: str) -> str | None:
    """Why a headline figure is not known, in the words every face shows in its place; None if it is known
    (or absent for another reason: no payback, no ratio of nothing). The one place that decides it."""
    if key in OVER_SPEND and not any(f.quantified for f in a.lines):
        return "not known (no cost line is quantified)"
    if key in OVER_COST and not a.net.cost_known:
        return "not known (no cost is quantified)"
    if key in CASHABLE and appraised and not a.timeline.cashability_stated:
        return "not known (cashability not stated)"
    return None


PENNY = Decimal("0.01")


@record
class PathFigure:
    """What a published result's path finds in the run's JSON: a figure (None, with why, where the JSON has
    null), or, in ``unknown``, why the path names nothing in this run."""

    value: Decimal | None
    kind: Kind
    why_none: str = ""
    unknown: str = ""


#: Reads published results' paths from a finished run (``cba.render.figure_paths.read_paths``): given by the
#: caller, as the paths are the JSON's and the JSON is a face.
PathReader = Callable[["RunResult", Sequence[str]], Mapping[str, PathFigure]]


@record
class ResultCheck:
    """A published result against cba's figure: equal once cba's is rounded (half-up) to the precision
    printed, or within the bound stated ("pays back within two years")."""

    label: str
    figure: str
    test: str  # "equals", "at most", "at least", "more than" or "less than"
    published: Decimal
    computed: Decimal | None  # None: cba has no such figure here (no payback; no appraisal)
    to: Decimal | None = None
    why_none: str = ""
    kind: Kind = "ratio"  # the headline's kind: money, ratio, percent or years
    unknown: str = ""  # the figure's path names nothing in this run: why, for an error at the result

    @property
    def precision(self) -> Decimal | None:
        """The precision the result was printed to; money with none stated, the penny (no source prints a
        fraction of a penny, and cba's exact figure can carry several places past it); else exactly (None)."""
        return self.to if self.to is not None else PENNY if self.kind == "money" else None

    @property
    def rounded(self) -> Decimal | None:
        """cba's figure at the published precision."""
        to = self.precision
        if self.computed is None or to is None:
            return self.computed
        return (self.computed / to).quantize(Decimal(1), rounding=ROUND_HALF_UP) * to

    @property
    def disagrees(self) -> bool:
        """cba computes the figure and it is not the one published: a finding, as a table that does not add up."""
        return self.rounded is not None and not self.agrees

    @property
    def agrees(self) -> bool:
        if self.rounded is None:
            return False
        if self.test == "at most":
            return self.rounded <= self.published
        if self.test == "at least":
            return self.rounded >= self.published
        if self.test == "more than":
            return self.rounded > self.published
        if self.test == "less than":
            return self.rounded < self.published
        return self.rounded == self.published


def result_checks(
    scenario: Scenario, headlines: Sequence[Figure], paths: Mapping[str, PathFigure] | None = None
) -> list[ResultCheck]:
    """Each published result of the scenario against the headline it names, or the figure its path finds
    (``paths``, read from the run's JSON; without them a path is not checked)."""
    figures = {f.key: f for f in headlines}
    checks = []
    for given in scenario.published_results:
        test, published = next(
            (t, v)
            for t, v in (
                ("equals", given.value),
                ("at most", given.at_most),
                ("at least", given.at_least),
                ("more than", given.more_than),
                ("less than", given.less_than),
            )
            if v is not None
        )
        if is_path(given.figure):  # read from the run's JSON (or not read, without a reader)
            found = (paths or {}).get(given.figure, PathFigure(None, "ratio", "not read in this run"))
            computed, kind, unknown = found.value, found.kind, found.unknown
            why = found.why_none or ("" if computed is not None else "cba computes none")
        else:
            figure = figures.get(given.figure)
            computed = figure.value if figure is not None and isinstance(figure.value, Decimal) else None
            kind, unknown, why = figure.kind if figure is not None else "ratio", "", ""
            if figure is None:
                why = (
                    "needs an appraisal (an appraisal: block, or --green-book)"
                    if given.figure in NEEDS_APPRAISAL
                    else "needs report_per"
                )
            elif computed is None:
                why = "cba computes none (no payback within the horizon, or nothing to divide by)"
        checks.append(ResultCheck(given.label, given.figure, test, published, computed, given.to, why, kind, unknown))
    return checks


@record
class RunResult:
    provenance: Provenance
    settings: Settings
    figures: Appraisal
    headlines: tuple[Figure, ...]
    switches: tuple[OutcomeSwitch, ...]  # on the net position basis, then (appraised) on NPV
    cost_switches: tuple[CostSwitch, ...]
    unit_costs: tuple[UnitCostUse, ...]  # the ones the outcomes use first, then every other entry
    result_checks: tuple[ResultCheck, ...] = ()  # published results against cba's figures
    drawn: tuple[int, int] | None = None  # (draws, seed) behind the simulated headlines, when the run drew them
    #: impacts not valued in money, as the scenario lists them: every face shows them beside the headline
    unmonetised: tuple[UnmonetisedImpact, ...] = ()
    #: unit costs the scenario names outside its outcomes (a range in uncertainty:): an outcome cannot be given
    #: another in their place, as the range would then name a unit cost no outcome uses
    named_unit_costs: frozenset[str] = frozenset()
    #: the financial case's inputs as the scenario gives them (none: no envelope; years past the deflator not known)
    budget_envelope: BudgetEnvelope | None = None
    deflator_forecast: DeflatorForecast | None = None

    @property
    def shows_financial_case(self) -> bool:
        """The financial case belongs to a business case: every face gives it when the run is appraised or the
        scenario sets a budget envelope, and none does otherwise (an evaluation's JSON does not carry it)."""
        return self.settings.appraised or self.budget_envelope is not None

    @cached_property
    def financial_case(self) -> FinancialCase:
        """The public budget holders' cash by year, and its reconciliation to the economic case: worked out once,
        when a face first asks (a plain ``cba run`` table does not)."""
        from cba.engine.financial_case import financial_case

        return financial_case(
            self.figures.timeline,
            envelope=self.budget_envelope,
            forecast=self.deflator_forecast,
            costs_known=self.figures.net.cost_known,
        )

    @property
    def unmonetised_tally(self) -> str | None:
        """What the conclusion is before, e.g. '2 listed (1 positive, 1 uncertain)' (positive, negative, uncertain;
        a direction with none left out); None when nothing is listed."""
        if not self.unmonetised:
            return None
        counts = {
            d: sum(1 for u in self.unmonetised if u.direction == d) for d in ("positive", "negative", "uncertain")
        }
        parts = ", ".join(f"{n} {d}" for d, n in counts.items() if n)
        return f"{len(self.unmonetised)} listed ({parts})"

    @property
    def value_for_money(self) -> str | None:
        """The BCR's value-for-money category on the DfT scale (``value_for_money.BANDS_SOURCE``), before
        unmonetised impacts; None when not appraised (a category needs present values) or when there is no BCR
        (no cost to divide by)."""
        if not self.settings.appraised:
            return None
        from cba.engine.value_for_money import category

        bcr = self.figure("bcr").number
        return None if bcr is None else category(bcr)

    @property
    def headline(self) -> Figure:
        """The figure the report leads with: NPV when appraised, else the undiscounted net position."""
        return self.figure("npv" if self.settings.appraised else "net_position")

    def figure(self, key: str) -> Figure:
        return next(f for f in self.headlines if f.key == key)

    @property
    def findings(self) -> int:
        """Published figures cba finds otherwise: totals that are not the sum of their cells, and published
        results cba computes differently (the JSON's reconciliation.disagreements, portfolio's findings)."""
        return len(self.figures.disagreements) + sum(1 for c in self.result_checks if c.disagrees)

    @property
    def unfunded_spend(self) -> Decimal | None:
        """Spend above the funding that the funding basis leaves out of the net position (None when the basis is
        not funding, or nothing was spent above it): every face puts it beside the net position."""
        a = self.figures
        if self.settings.basis is not NetPositionBasis.funding or not any(f.quantified for f in a.lines):
            return None
        above = a.total.actual_total - a.funding_total
        return above if above > 0 else None

    def with_uncertainty(self, figures: tuple[Figure, ...], draws: int, seed: int) -> RunResult:
        """The result with its ranges' simulated headline beside the figures as written (every face shows it)."""
        return replace(self, headlines=self.headlines + figures, drawn=(draws, seed))

    @property
    def simulated(self) -> tuple[Figure, Figure] | None:
        """(median, chance below zero) of the headline measure over the ranges, when the run drew them."""
        found = {f.key: f for f in self.headlines if f.key in SIMULATED}
        return (found["simulated_median"], found["chance_below_zero"]) if found else None

    def unknown(self, key: str) -> str | None:
        """Why a headline figure is not known, in the words every face shows in its place (``unknown_reason``)."""
        return unknown_reason(self.figures, self.settings.appraised, key)

    @property
    def input_names(self) -> InputNames:
        """Each input's name in words, for the headers of what-ifs, break-evens and tornados."""
        names: dict[str, str] = {}
        for use in self.unit_costs:
            for ref in use.refs:
                names[ref] = f"unit cost, {use.entry.unit}"  # its description is a sentence
        timeline = self.figures.timeline
        streams = timeline.streams if timeline is not None else []
        for s in streams:
            names[s.outcome] = s.measure
        for f in timeline.cost_flows if timeline is not None else []:
            names[f.key] = f.line
        return InputNames(names, frozenset(s.outcome for s in streams if s.volume_kind == "change"))


def fiscal_cost(t: Timeline) -> str:
    """What the fiscal case divides by: the cost PV, or only the public sector's part when a party outside it
    (a provider) bears some of the costs."""
    return "public cost PV" if t.pv_costs_outside else "cost PV"


def pv_costs_label(t: Timeline) -> str:
    """Says optimism bias only where some was applied: a reviewer reads "after optimism bias" as "uplifted"."""
    return "PV of costs (after optimism bias)" if t.cost_bias_applied else "PV of costs (no optimism bias applied)"


def headline_figures(a: Appraisal, settings: Settings) -> list[Figure]:
    """The headline list: every face shows these, under these keys, and nowhere else are they defined."""
    basis = settings.basis_label
    total = a.total
    figures = [
        Figure("budget_total", "Budget (total)", total.budget_total, "money"),
        Figure("actual_total", "Actual spend (total)", total.actual_total, "money"),
        Figure("variance", "Variance (actual - budget)", total.variance, "money"),
        Figure("variance_pct", "Variance % (of budget)", total.variance_pct, "percent"),
        Figure("funding_total", "Funding", a.funding_total, "money"),
        Figure(
            "funding_less_actual",
            "Funding less actual spend",
            a.funding_total - total.actual_total,
            "money",
        ),
        Figure("cost", f"Cost set against benefits ({basis})", a.net.cost, "money"),
        Figure("attributable_benefits", "Attributable benefits (undiscounted)", a.net.benefits, "money"),
        Figure("net_position", f"Net position, undiscounted (benefits - {basis})", a.net.net, "money"),
        Figure(
            "benefit_cost_ratio",
            f"Benefit-cost ratio, undiscounted (benefits / {basis})",
            a.net.benefit_cost_ratio,
            "ratio",
        ),
    ]
    if settings.appraised:
        t = a.timeline
        # payments to parties outside the public sector (investors) are the public purse's as much as a cost is
        out = PAID_OUT if t.pv_paid_out else ""
        figures += [
            Figure("pv_costs", pv_costs_label(t), t.pv_costs, "money"),
            Figure("pv_benefits", "PV of benefits (all counted)", t.pv_benefits, "money"),
            Figure("npv", "Net present value (public value)", t.net_present_public_value, "money"),
            Figure(
                "net_present_budget_impact",
                f"Net present budget impact (fiscal{out}, all public agencies together)",
                t.net_present_budget_impact,
                "money",
            ),
            Figure(
                "lead_agency_budget_impact",
                f"Net present budget impact to {t.lead_agency} alone (the lead agency)",
                t.lead_budget_impact,
                "money",
            ),
            Figure("bcr", "Benefit-cost ratio (public value ROI)", t.benefit_cost_ratio, "ratio"),
            Figure(
                "financial_roi",
                f"Financial ROI ({less('fiscal PV', out)} / {fiscal_cost(t)})",
                t.financial_roi,
                "ratio",
            ),
            Figure("payback_years", "Payback period (years)", t.payback, "years"),
            Figure(
                "cashable_roi",
                f"Cashable ROI ({less('cashable fiscal PV', out)} / {fiscal_cost(t)})",
                t.cashable_roi,
                "ratio",
            ),
            Figure(
                "cashable_payback_years",
                "Payback on cashable savings alone (years)",
                t.cashable_payback,
                "years",
            ),
        ]
    if a.report_per is not None:
        unit, count = a.report_per
        figures += [
            Figure("cost_per_unit", f"Cost per {unit} ({basis})", a.net.cost / count, "money"),
            Figure(
                "benefits_per_unit", f"Attributable benefits per {unit} (undiscounted)", a.net.benefits / count, "money"
            ),
            Figure("net_position_per_unit", f"Net position per {unit}, undiscounted", a.net.net / count, "money"),
        ]
        if settings.appraised:
            figures.append(
                Figure(
                    "npv_per_unit",
                    f"Net present value per {unit}",
                    a.timeline.net_present_public_value / count,
                    "money",
                )
            )
    # a figure over something not known is not known either, never a £0 (unknown_reason says which and why)
    return [replace(f, value=None) if unknown_reason(a, settings.appraised, f.key) else f for f in figures]


def unit_cost_uses(scenario: Scenario, costs: CostBook) -> list[UnitCostUse]:
    refs: dict[int, list[str]] = {}
    users: dict[int, list[str]] = {}
    used = [(ref, o.id) for o in scenario.outcomes for _, ref in o.priced_by()]
    used += [
        (line.units.unit_cost, line_key(line, i))
        for i, line in enumerate(scenario.cost_lines)
        if line.units is not None and line.units.unit_cost
    ]  # a cost line priced from the table
    for ref, user in used:
        entry = costs.resolve(ref)[2]
        if ref not in refs.setdefault(id(entry), []):
            refs[id(entry)].append(ref)
        users.setdefault(id(entry), []).append(user)
    listing = [(name, entry) for name, table in costs.tables for entry in table.entries.values()]
    listing.sort(key=lambda item: id(item[1]) not in users)  # stable: used entries first, each table in order
    return [
        UnitCostUse(name, entry, tuple(refs.get(id(entry), ())), tuple(users.get(id(entry), ())))
        for name, entry in listing
    ]


def what_if(
    scenario: Scenario, forced: tuple[str, ...], overrides: tuple[str, ...], unit_costs_from: str | None
) -> tuple[str, ...]:
    """How a run departs from its scenario as written, each in words a board member can read."""
    written = {o.id for o in scenario.outcomes if o.attributable}
    found = [
        f"{o} counted as attributable (--attributable)"
        + ("" if o in written else ", where the scenario does not count it")
        for o in forced
    ]
    found += [f"--set {input_key(key.strip())}={value}" for key, _, value in (a.partition("=") for a in overrides)]
    if unit_costs_from is not None:
        found.append(f"unit costs from {unit_costs_from} (--unit-costs), in place of the scenario's")
    return tuple(found)


def run(
    scenario: Scenario,
    costs: CostBook,
    provenance: Provenance,
    *,
    reference: ReferenceData | None = None,
    attributable: Iterable[str] = (),
    basis: NetPositionBasis | None = None,
    overrides: Iterable[str] = (),
    unit_costs_from: str | None = None,
    read_paths: PathReader | None = None,
    green_book: bool = False,
) -> RunResult:
    """Appraise a validated scenario and gather everything every face of ``cba run`` shows.

    ``attributable``, ``overrides`` (``--set`` as written) and ``unit_costs_from`` (a table given in place of
    the scenario's) make the run a what-if; every face says so, from ``Settings.what_if``."""
    forced = tuple(dict.fromkeys(attributable))
    unit_costs = costs.entries_for(sorted({ref for o in scenario.outcomes for _, ref in o.priced_by()}))
    figures = appraise(scenario, unit_costs, attributable=forced, basis=basis, reference=reference)
    appraisal = scenario.appraisal
    settings = Settings(
        basis=figures.net.basis,
        attributable_forced=forced,
        appraised=appraisal is not None,
        discounted=figures.timeline.discounted,
        uprated=scenario.in_real_terms,
        price_base=scenario.price_base,
        cost_measure="budget" if figures.net.basis is NetPositionBasis.budget else "actual",
        what_if=what_if(scenario, forced, tuple(overrides), unit_costs_from),
        green_book=green_book,
    )
    t = figures.timeline
    switches, others = [], []
    if figures.net.cost_known:  # no break-even against a cost that is not known
        switches = outcome_switches(t, figures.net.cost, "net_position")
        others = cost_switches(t, figures.net.cost, figures.net.benefits, "net_position")
    if settings.appraised and figures.net.cost_known:
        switches += outcome_switches(t, t.pv_costs, "npv")
        others += cost_switches(t, t.pv_costs, t.pv_benefits, "npv")
    headlines = headline_figures(figures, settings)
    result = RunResult(
        provenance=provenance,
        settings=settings,
        figures=figures,
        headlines=tuple(headlines),
        result_checks=tuple(result_checks(scenario, headlines)),
        switches=tuple(switches),
        cost_switches=tuple(others),
        unit_costs=tuple(unit_cost_uses(scenario, costs)),
        unmonetised=tuple(scenario.unmonetised),
        named_unit_costs=frozenset(scenario.uncertainty.unit_costs) if scenario.uncertainty else frozenset(),
        budget_envelope=scenario.budget_envelope,
        deflator_forecast=scenario.deflator_forecast,
    )
    paths = [r.figure for r in scenario.published_results if is_path(r.figure)]
    if paths and read_paths is not None:  # read from the finished run, then checked like any other result
        found = read_paths(result, paths)
        result = replace(result, result_checks=tuple(result_checks(scenario, headlines, found)))
    return result
