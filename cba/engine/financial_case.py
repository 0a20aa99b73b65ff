"""The financial case: the public budget holders' cash, year by year, and how it ties to the economic case.

Green Book business cases set affordability in cash (nominal) terms beside the economic case in real terms
(``../shared/reference/appraisal-method.md``, "Business case"). Pure functions over the appraisal's timeline,
exact Decimals:

- **Cash costs**: a line of outturn spend is cash as written; a line in one year's prices (Y) is inflated to
  each year t by the deflator, amount x D_t / D_Y (x its real price growth from Y, where it has one). No optimism bias: it is the economic case's adjustment for
  systematic optimism, not cash anyone budgets, and the reconciliation shows it.
- **Cashable savings**: each fiscal benefit's cashable part before its optimism bias (volume x unit value at the
  price base x additionality x cashable share), inflated from the price base, x D_t / D_base.
- **Transfers** (outcome payments) as written: what a budget holder receives less what it pays.
- Years past the deflator series: D_t grows from the series' last year at ``deflator_forecast.growth`` when the
  scenario gives it (with its source), and a cash figure there is otherwise not known (never 0).

Only public budget holders are shown: a cost borne by a party outside the public sector (``parties:``) is no
budget's cash, and the reconciliation takes it apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from cba.engine.timeline import ONE, ZERO, BenefitStream, CostFlow, Timeline
from cba.model.periods import financial_year
from cba.model.record import record
from cba.model.reference import Deflator
from cba.model.scenario import BudgetEnvelope, DeflatorForecast

ALL = "All public budget holders"


@record
class CashRow:
    """One budget holder's cash in one year (None: not known, and why is in the case's notes)."""

    year: str
    holder: str
    costs: Decimal | None
    savings: Decimal | None
    transfers: Decimal  # received less paid, as written
    net: Decimal | None
    cumulative: Decimal | None


@record
class EnvelopeRow:
    year: str
    envelope: Decimal
    costs: Decimal | None  # the holder's cash costs that year (None: not known, or outside the appraisal)
    headroom: Decimal | None
    cumulative: Decimal | None


@record
class FinancialCase:
    years: tuple[str, ...]
    price_base: str
    inflation: tuple[Decimal | None, ...]  # by year: D_t / D_base, what a base-price pound is in cash
    indices: tuple[Decimal | None, ...]  # by year: the deflator index used (series, or forecast)
    forecast_from: int | None  # the first year whose index is a forecast (None: none is)
    lead: str
    holders: tuple[str, ...]  # the public budget holders, the lead first
    rows: tuple[CashRow, ...]  # by year, each holder then all together
    envelope: BudgetEnvelope | None
    envelope_holder: str
    envelope_rows: tuple[EnvelopeRow, ...]
    reconciliation: tuple[tuple[str, str, Decimal | None], ...]  # (key, label, amount)
    notes: tuple[str, ...]
    idle: tuple[str, ...] = ()  # public agencies with no cash in any year, left out of the rows

    @property
    def with_totals(self) -> tuple[CashRow, ...]:
        """The rows by year, then each holder's and all together's over the whole appraisal."""
        return (*self.rows, *(self.total(h) for h in (*self.holders, ALL)))

    def total(self, holder: str = ALL) -> CashRow:
        """The holder's whole-appraisal row: the last year's cumulative, with the sums of the rest."""
        rows = [r for r in self.rows if r.holder == holder]

        def add(values: list[Decimal | None]) -> Decimal | None:
            return None if any(v is None for v in values) else sum(values, ZERO)  # type: ignore[type-var]

        return CashRow(
            "whole appraisal",
            holder,
            add([r.costs for r in rows]),
            add([r.savings for r in rows]),
            sum((r.transfers for r in rows), ZERO),
            add([r.net for r in rows]),
            rows[-1].cumulative if rows else ZERO,
        )


def last_year(deflator: Deflator) -> str:
    """The series' last year (a financial year after the calendar year it starts in)."""
    return max(deflator.index, key=lambda key: (int(key[:4]), "/" in key))


def year_indices(
    years: list[str], deflator: Deflator | None, forecast: DeflatorForecast | None
) -> tuple[list[Decimal | None], int | None]:
    """The deflator index for each appraisal year's financial year: the series', else grown from its last year
    at the forecast rate (compounded a year at a time), else None. Also the first year that is a forecast."""
    if deflator is None:
        return [None] * len(years), None
    latest = last_year(deflator)
    out: list[Decimal | None] = []
    first_forecast = None
    for t, label in enumerate(years):
        year = financial_year(label)
        key = deflator.key_for(year)
        if key is not None:
            out.append(deflator.index[key])
            continue
        past = int(year[:4]) - int(latest[:4])
        if forecast is None or past <= 0:
            out.append(None)
            continue
        out.append(deflator.index[latest] * (ONE + forecast.growth) ** past)
        if first_forecast is None:
            first_forecast = t
    return out, first_forecast


def cashable_before_bias(s: BenefitStream, t: int) -> Decimal:
    """A fiscal benefit's cashable part in year t at the price base, before its optimism bias."""
    if not s.counted or not s.fiscal:
        return ZERO
    return s.gross(t) * s.additionality * s.cashable_fraction(t)


def financial_case(
    timeline: Timeline,
    *,
    envelope: BudgetEnvelope | None = None,
    forecast: DeflatorForecast | None = None,
    costs_known: bool,
) -> FinancialCase:
    """``costs_known``: False when no cost is quantified (the run's cost is not known): every cash cost, and
    every figure that needs one, is then not known rather than 0."""
    t = timeline
    n = len(t.years)
    indices, forecast_from = year_indices(t.years, t.deflator if t.real_terms else None, forecast)
    base = t.deflator_indices.get(t.price_base) if t.real_terms else None
    inflation = [None if (d is None or base is None) else d / base for d in indices]
    public = [f for f in t.cost_flows if f.agency not in t.outside]
    lead = t.lead_agency
    holders_set = {f.agency for f in public} | {lead}
    holders_set |= {s.unit_cost.agency for s in t.streams if s.counted and s.fiscal}  # type: ignore[union-attr]
    holders_set |= {x.payer for x in t.transfers} | {x.payee for x in t.transfers}
    holders = tuple([lead, *sorted(holders_set - {lead} - t.outside)])
    cash_known = t.cashability_stated

    # one pass over the lines (a scenario may have 100,000): each holder's cash costs by year, None once any part
    # of them is not known
    spent: dict[str, list[Decimal | None]] = {h: [ZERO if costs_known else None] * n for h in holders}
    for f in public:
        into = spent[f.agency]
        stated = (
            None if f.price_basis == "outturn" else (t.deflator_indices.get(f.price_basis) if t.real_terms else None)
        )
        for year, amount in enumerate(f.amounts):
            if not amount or into[year] is None:
                continue
            if f.price_basis == "outturn":
                into[year] += amount  # type: ignore[operator]  # cash as spent
            elif stated is None or indices[year] is None:
                into[year] = None
            else:
                grown = f.growth[year] if f.growth else ONE  # its real price growth from its prices, as in real terms
                into[year] += amount * indices[year] / stated * grown  # type: ignore[operator]

    def cost_cash(agency: str, year: int) -> Decimal | None:
        return spent[agency][year]

    def savings_cash(agency: str, year: int) -> Decimal | None:
        if not cash_known and any(
            s.counted and s.fiscal and s.gross(year) and s.unit_cost.agency == agency  # type: ignore[union-attr]
            for s in t.streams
        ):  # a fiscal saving falls here, and nothing says whether any of it is cashable
            return None
        real = sum(
            (cashable_before_bias(s, year) for s in t.streams if s.fiscal and s.unit_cost.agency == agency),  # type: ignore[union-attr]
            ZERO,
        )
        if not real:
            return ZERO
        if not cash_known or inflation[year] is None:
            return None
        return real * inflation[year]  # type: ignore[operator]

    def transfers_cash(agency: str, year: int) -> Decimal:
        received = sum((x.paid[year] for x in t.transfers if x.payee == agency), ZERO)
        return received - sum((x.paid[year] for x in t.transfers if x.payer == agency), ZERO)

    rows: list[CashRow] = []
    running: dict[str, Decimal | None] = dict.fromkeys((*holders, ALL), ZERO)
    for year in range(n):
        together: list[CashRow] = []
        for holder in holders:
            costs, savings, moved = cost_cash(holder, year), savings_cash(holder, year), transfers_cash(holder, year)
            net = None if costs is None or savings is None else savings + moved - costs
            before = running[holder]
            running[holder] = None if net is None or before is None else before + net
            together.append(CashRow(t.years[year], holder, costs, savings, moved, net, running[holder]))
        rows += together

        def add(values: list[Decimal | None]) -> Decimal | None:
            return None if any(v is None for v in values) else sum(values, ZERO)  # type: ignore[type-var]

        costs_all, savings_all = add([r.costs for r in together]), add([r.savings for r in together])
        moved_all = sum((r.transfers for r in together), ZERO)  # between public holders, these cancel
        net_all = add([r.net for r in together])
        before = running[ALL]
        running[ALL] = None if net_all is None or before is None else before + net_all
        rows.append(CashRow(t.years[year], ALL, costs_all, savings_all, moved_all, net_all, running[ALL]))

    # a holder with no cash in any year (its fiscal benefits all non-cashable, say) is left out, and named in a note
    idle = {
        h
        for h in holders
        if h != lead and all(r.costs == 0 and r.savings == 0 and r.transfers == 0 for r in rows if r.holder == h)
    }
    holders = tuple(h for h in holders if h not in idle)
    rows = [r for r in rows if r.holder not in idle]
    holder = (envelope.holder if envelope is not None and envelope.holder else None) or lead
    envelope_rows: list[EnvelopeRow] = []
    if envelope is not None:
        by_year = {r.year: r for r in rows if r.holder == holder}
        left: Decimal | None = ZERO
        for period, amount in envelope.amounts.items():
            row = by_year.get(period)
            costs = row.costs if row is not None else None
            headroom = None if costs is None else amount - costs
            left = None if headroom is None or left is None else left + headroom
            envelope_rows.append(EnvelopeRow(period, amount, costs, headroom, left))

    case = FinancialCase(
        years=tuple(t.years),
        price_base=t.price_base,
        inflation=tuple(inflation),
        indices=tuple(indices),
        forecast_from=forecast_from,
        lead=lead,
        holders=holders,
        rows=tuple(rows),
        envelope=envelope,
        envelope_holder=holder,
        envelope_rows=tuple(envelope_rows),
        reconciliation=(),
        notes=(),
        idle=tuple(sorted(idle)),
    )
    return _with_reconciliation(case, t, forecast, costs_known)


def _with_reconciliation(
    case: FinancialCase, t: Timeline, forecast: DeflatorForecast | None, costs_known: bool
) -> FinancialCase:
    """The bridge from the whole appraisal's net cash position to the economic case, a step at a time; each step
    is exact, so the steps add up to the net public value to the last digit (a test holds them to it)."""
    n = len(t.years)
    public = [f for f in t.cost_flows if f.agency not in t.outside]
    outside = [f for f in t.cost_flows if f.agency in t.outside]
    counted = [s for s in t.streams if s.counted]
    totals = {id(f): _totals(f) for f in t.cost_flows}  # one pass over each line's years: (real, after bias)
    real_costs = sum((totals[id(f)][0] for f in public), ZERO)
    uplift = sum((totals[id(f)][1] - totals[id(f)][0] for f in public), ZERO)
    cash_pre_bias = sum((cashable_before_bias(s, y) for s in counted for y in range(n)), ZERO)
    cash_bias = sum((cashable_before_bias(s, y) * s.optimism_bias for s in counted for y in range(n)), ZERO)
    non_cashable = sum(
        (s.counted_value(y) * (ONE - s.cashable_fraction(y)) for s in counted if s.fiscal for y in range(n)), ZERO
    )
    other = sum((s.counted_value(y) for s in counted if not s.fiscal for y in range(n)), ZERO)
    borne_outside = sum((totals[id(f)][1] for f in outside), ZERO)
    paid_out = sum((x.leaves * p for x in t.transfers for p in x.paid), ZERO)
    cash_total = case.total().net
    real_net = cash_pre_bias - real_costs - paid_out  # the same cash, at the price base
    undiscounted = sum(t.benefits_by_year(discounted=False), ZERO) - sum((a for _, a in totals.values()), ZERO)
    known = t.cashability_stated
    steps: list[tuple[str, str, Decimal | None]] = [
        ("net_cash", "Net cash position of the public budget holders, whole appraisal (money of the day)", cash_total),
        (
            "inflation",
            f"Less inflation: the same cash in {t.price_base} prices" if t.real_terms else "Less inflation",
            None if cash_total is None else real_net - cash_total,
        ),
        ("cost_optimism_bias", "Less optimism bias on costs (the economic case's uplift on forecasts)", -uplift),
        (
            "benefit_optimism_bias",
            "Less optimism bias on the cashable savings",
            -cash_bias if known else None,
        ),
        (
            "non_cashable",
            "Add fiscal benefits that are not cashable (after their optimism bias)",
            non_cashable if known else None,
        ),
        ("economic_and_social", "Add economic and social benefits (after their optimism bias)", other),
        ("borne_outside", "Less costs borne by parties outside the public sector", -borne_outside),
        (
            "transfers_out",
            "Add back payments to parties outside the public sector (transfers: not in the net public value)",
            paid_out,
        ),
        ("net_public_value", f"Net public value, undiscounted ({_prices(t)})", undiscounted),
    ]
    if not costs_known:  # no cost is quantified: no step that counts one is known
        costed = {"net_cash", "inflation", "cost_optimism_bias", "borne_outside", "net_public_value"}
        steps = [(key, label, None if key in costed else amount) for key, label, amount in steps]
    if t.discounted:
        steps += [
            ("discounting", "Less discounting", t.net_present_public_value - undiscounted if costs_known else None),
            (
                "npv",
                "Net present social value (the economic case)",
                t.net_present_public_value if costs_known else None,
            ),
        ]
    return replace(case, reconciliation=tuple(steps), notes=tuple(_notes(case, t, forecast)))


def _real(f: CostFlow) -> Iterable[Decimal]:
    """A line's amounts at the price base, year by year: its cached list when a face has made it, else made as
    summed and let go (a run of 100,000 lines would otherwise keep a million Decimals for one total)."""
    made = f.__dict__.get("real")
    if made is not None:
        return made
    return (a * x for a, x in zip(f.amounts, f.factors))


def _totals(f: CostFlow) -> tuple[Decimal, Decimal]:
    """The line's total at the price base, and after its optimism bias year by year as ``CostFlow.adjusted``
    adds it (r + r x uplift)."""
    uplift = f.uplift
    real = adjusted = ZERO
    for r in _real(f):
        real += r
        if uplift:
            adjusted += r + r * uplift
    return real, (adjusted if uplift else real)


def _prices(t: Timeline) -> str:
    return f"{t.price_base} prices" if t.real_terms else "as written, in mixed price years"


def _notes(case: FinancialCase, t: Timeline, forecast: DeflatorForecast | None) -> list[str]:
    notes = [
        "Cash (money of the day): outturn spend as spent; costs and savings in real terms inflated from their "
        "prices by the GDP deflator. No optimism bias is in the cash figures; the reconciliation shows it.",
    ]
    unknown_years = {r.year for r in case.rows if r.costs is None or r.savings is None}
    if not t.real_terms and unknown_years:
        notes.append(
            "Not in real terms: the savings are at the unit costs' own price years, so their cash in each year is "
            "not known (real_terms: true brings them to a price base, from which cba inflates them)."
        )
    missing = [y for y, d in zip(case.years, case.indices) if d is None and y in unknown_years]
    if t.real_terms and missing:
        last = last_year(t.deflator) if t.deflator else "?"
        notes.append(
            f"Not known in cash: {', '.join(missing)}, past the deflator series (its last year is {last}); give "
            "deflator_forecast: {growth, source} to inflate them at a stated rate."
        )
    if forecast is not None and case.forecast_from is not None:
        notes.append(
            f"From {case.years[case.forecast_from]} the deflator is a forecast: grown "
            f"{(forecast.growth * 100).normalize():f}% a year from the series' last year (deflator_forecast; "
            f"source: {forecast.source})."
        )
    if not t.cashability_stated and unknown_years:
        notes.append(
            "Cashable savings not known: no fiscal benefit says whether it is cashable (a unit cost's cashable, or "
            "an outcome's cashable: share)."
        )
    if case.idle:
        notes.append(f"Not shown, having no cost, cashable saving or transfer in any year: {', '.join(case.idle)}.")
    if any(x.transfers for x in case.rows):
        notes.append("Transfers are as written: what a budget holder receives less what it pays.")
    if case.envelope is not None:
        source = f" (source: {case.envelope.source})" if case.envelope.source else ""
        notes.append(
            f"Budget envelope{source}: {case.envelope_holder}'s cash costs set against the cash it has each period; "
            "headroom is the envelope less those costs (before any savings)."
        )
        outside = [r.year for r in case.envelope_rows if r.year not in case.years]
        if outside:
            notes.append(
                f"Envelope periods outside the appraisal: {', '.join(outside)} (no costs to set against them)."
            )
    return notes
