"""Results as JSON: one contract for every command (``schema/*.schema.json``).

* every document has ``schema_version``, ``command`` and ``provenance``;
* keys are snake_case;
* money is a string of pounds with exactly two decimal places, rounded half-up
  ("1849537.00", "-121872.50"): no exponent, never a binary float;
* ratios (BCR, ROI, discount factors, shares) are strings with exactly six decimal
  places, rounded half-up; percentages likewise, in percent ("12.500000");
* counts and volumes are strings of the exact decimal, at most six decimal places,
  without trailing zeros ("480", "52.5");
* ``null`` means "does not apply" (a percentage of a zero budget, an unpriced outcome).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING, Any

from cba.engine.appraisal import Figures, IdenticalLines, LineFigures
from cba.engine.result import Figure, Kind, Table, TableResult
from cba.engine.run import RunResult
from cba.engine.switching import CostSwitch, OutcomeSwitch
from cba.engine.timeline import BenefitStream, SpreadShape, Timeline
from cba.engine.value_for_money import BANDS_SOURCE
from cba.model.growth import RealGrowth, year_name
from cba.model.provenance import Provenance
from cba.render.envelope import SCHEMA_VERSION
from cba.render.json_write import Rows

if TYPE_CHECKING:  # the financial case's module loads only for a run that shows it
    from cba.engine.financial_case import CashRow, FinancialCase

_EXACT = Context(prec=60)
_PENNY = Decimal("0.01")
_SIX = Decimal("0.000001")


class Exact(str):
    """A figure as the JSON writes it that also keeps the exact Decimal behind it and its kind: made only while
    ``exact_run_document`` builds a document for published results to read (json.dumps writes it as the str)."""

    exact: Decimal
    kind: Kind


#: True only inside exact_run_document: every money, ratio and count is then an Exact.
_keep_exact = False


def _shown(text: str, v: Decimal, kind: Kind) -> str:
    if not _keep_exact:
        return text
    found = Exact(text)
    found.exact, found.kind = v, kind
    return found


def money(value: Decimal | None) -> str | None:
    if value is None:
        return None
    shown = value.quantize(_PENNY, rounding=ROUND_HALF_UP, context=_EXACT)
    return _shown(f"{shown + 0:.2f}", value, "money")  # + 0 turns -0.00 into 0.00


def ratio(value: Decimal | None, kind: Kind = "ratio") -> str | None:
    if value is None:
        return None
    shown = value.quantize(_SIX, rounding=ROUND_HALF_UP, context=_EXACT)
    return _shown(f"{shown + 0:.6f}", value, kind)


def count(value: Decimal | None) -> str | None:
    if value is None:
        return None
    shown = value.quantize(_SIX, rounding=ROUND_HALF_UP, context=_EXACT).normalize(_EXACT) + 0
    return _shown(f"{shown:f}", value, "count")


def value(v: object, kind: Kind) -> object:
    """A typed value as JSON: money, ratios and counts as strings per the contract; text and flags as they are."""
    if v is None or isinstance(v, (str, bool)) or kind in ("text", "flag"):
        return v
    assert isinstance(v, Decimal), f"{kind} value {v!r} is not a Decimal"
    if kind == "money":
        return money(v)
    if kind == "count":
        return count(v)
    return ratio(v, kind)  # ratio, percent, share, years


def provenance(p: Provenance) -> dict[str, Any]:
    return {
        "cba_version": p.cba_version,
        "command": p.command,
        "scenario": {
            "name": p.scenario,
            "organisation": p.organisation,
            "currency": p.currency,
            "price_base": p.price_base,
            "periods": list(p.periods),
            "file": p.scenario_file.file,
            "sha256": p.scenario_file.sha256,
        },
        "inputs": [{"role": f.role, "name": f.name, "file": f.file, "sha256": f.sha256} for f in p.files],
    }


def by_measure(amounts: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, str | None]]:
    """Budget and actual amounts by period, as money."""
    return {m: {p: money(v) for p, v in amounts[m].items()} for m in ("budget", "actual")}


def spread(shape: SpreadShape | None) -> dict[str, Any] | None:
    """How a total published over several periods was spread: its periods, its shares, and the totals."""
    if shape is None:
        return None
    return {
        "from": shape.start,
        "periods": shape.periods,
        "profile": "even" if shape.shares is None else [ratio(x) for x in shape.shares],
        "totals": {what: count(x) if what == "volume" else money(x) for what, x in shape.totals},
    }


def figures(f: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {"label": f.label}
    if isinstance(f, LineFigures):
        out.update(kind=f.kind.value, quantified=f.quantified, budgeted=f.budgeted, agency=f.agency)
        u = f.units
        out["units"] = (
            None
            if u is None
            else {
                "unit": u.unit,
                "price": money(u.price),
                "price_from": u.price_ref,
                "budget": {p: count(v) for p, v in u.budget.items()},
                "actual": {p: count(v) for p, v in u.actual.items()},
            }
        )
        out["spread"] = spread(f.spread)
        n = f.netted
        out["netted"] = (
            None
            if n is None
            else {
                "label": n.label,
                "source": n.source,
                **{which: by_measure(getattr(n, which)) for which in ("gross", "saving")},
                **{
                    f"{which}_total": {m: money(n.total(which, m)) for m in ("budget", "actual")}
                    for which in ("gross", "saving")
                },
            }
        )
    out.update(
        budget={p: money(v) for p, v in f.budget.items()},
        actual={p: money(v) for p, v in f.actual.items()},
        budget_total=money(f.budget_total),
        actual_total=money(f.actual_total),
        variance=money(f.variance),
        variance_pct=ratio(f.variance_pct, "percent"),
    )
    if isinstance(f, LineFigures):  # where the line's figures come from, as the scenario says
        out.update(source=f.evidence.source, note=f.evidence.note)
    return out


def identical(w: IdenticalLines) -> dict[str, Any]:
    return {"measure": w.measure, "lines": list(w.lines), "amounts": [money(x) for x in w.amounts]}


def headlines(items: tuple[Figure, ...]) -> dict[str, Any]:
    return {f.key: {"label": f.label, "value": value(f.value, f.kind), "kind": f.kind} for f in items}


def switch(s: OutcomeSwitch) -> dict[str, Any]:
    return {
        "outcome": s.outcome,
        "measure": s.measure,
        "basis": s.basis,
        "volume_kind": s.volume_kind,
        "units_needed": ratio(s.units_needed),
        "switching_value": ratio(s.switching_value),  # the input as --vary writes it: a fall is negative
        "written_value": count(s.written_value),
        "volume_as_written": count(s.volume_as_written),
        "cost": money(s.cost),
        "other_benefits": money(s.other_benefits),
        "per_unit": money(s.per_unit),
        "divisor": {
            "unit_cost": money(s.unit_cost),
            "uprating": ratio(s.uprating),
            "conversion": count(s.conversion),
            "additionality": ratio(s.additionality),
            "optimism_bias": ratio(s.optimism_bias),
            "timing": ratio(s.timing),
            "values": s.values,
        },
    }


def part(s: BenefitStream) -> dict[str, Any] | None:
    """Which of an outcome's several values a row is (None when it has one)."""
    return None if s.part is None else {"number": s.part + 1, "label": s.part_label, "share": ratio(s.share)}


def cost_switch(s: CostSwitch) -> dict[str, Any]:
    return {
        "input": s.input,
        "kind": s.kind,
        "basis": s.basis,
        "percent": ratio(s.percent, "percent"),
        "why_none": s.why_none,
    }


def run_document(result: RunResult, stream: bool = False) -> dict[str, Any]:
    """The whole result of ``cba run --format json`` (schema/run.schema.json).

    With ``stream``, the cost lines are a ``Rows``: each line's dict is made as ``json_write`` writes it."""
    a = result.figures
    s = result.settings
    quantified = [f for f in a.lines if f.quantified]
    return {
        "schema_version": SCHEMA_VERSION,
        "command": "run",
        "provenance": provenance(result.provenance),
        "settings": {
            "basis": s.basis.value,
            "basis_label": s.basis_label,
            "attributable_forced": list(s.attributable_forced),
            "what_if": list(s.what_if),
            "appraised": s.appraised,
            "discounted": s.discounted,
            "uprated": s.uprated,
            "prices": s.prices,
        },
        "headline": result.headline.key,
        "headlines": headlines(result.headlines),
        "costs": {
            "lines": Rows(quantified, figures) if stream else [figures(f) for f in quantified],
            "unquantified": [f.label for f in a.lines if not f.quantified],
            "by_kind": {k.value: figures(f) for k, f in a.by_kind.items()},
            "total": figures(a.total),
        },
        "funding": {
            "sources": [
                {
                    "name": f.name,
                    "funder": f.funder,
                    "amount": money(f.amount),
                    "source": f.evidence.source,
                    "note": f.evidence.note,
                }
                for f in a.funding
            ],
            "total": money(a.funding_total),
            "less_actual": money(a.funding_total - a.total.actual_total),
        },
        "reconciliation": {
            "checks": [
                {
                    "label": c.label,
                    "published": money(c.published),
                    "computed": money(c.computed),
                    "difference": money(c.difference),
                    "agrees": c.agrees,
                }
                for c in a.checks
            ],
            "disagreements": result.findings,  # totals and published results alike
            "results": [
                {
                    "label": c.label,
                    "figure": c.figure,
                    "test": c.test,
                    "published": value(c.published, c.kind),
                    "to": None if c.to is None else count(c.to),
                    "computed": value(c.computed, c.kind),
                    "computed_as_published": value(c.rounded, c.kind),
                    "agrees": c.agrees,
                    "why_not_computed": c.why_none or None,
                }
                for c in result.result_checks
            ],
            # streamed as the lines are: a file of copied lines has a warning for nearly every line
            "identical_lines": Rows(a.identical, identical) if stream else [identical(w) for w in a.identical],
        },
        "outcomes": [
            {
                "id": o.id,
                "measure": o.measure,
                "part": part(o.stream),
                "baseline": count(o.baseline),
                "follow_up": count(o.follow_up),
                "change": count(o.change),
                "unit_cost": None
                if o.unit_cost is None
                else {
                    "id": o.unit_cost.id,
                    "reference": o.stream.unit_cost_ref,
                    "value": money(o.unit_cost.value),
                    "unit": o.unit_cost.unit,
                    "price_year": o.unit_cost.price_year,
                    "confidence": o.unit_cost.confidence,
                    "source": o.unit_cost.source,
                },
                "conversion": None
                if o.stream.conversion_reason is None
                else {"factor": count(o.stream.conversion), "reason": o.stream.conversion_reason},
                "value": money(o.value),
                "attributable": o.attributable,
                "attributable_value": money(o.attributable_value),
                "timing_note": o.stream.timing_note,
                "volume_spread": spread(o.stream.volume_spread),
                "source": o.evidence.source,
                "note": o.evidence.note,
            }
            for o in a.outcomes
        ],
        "net_position": {
            "basis": a.net.basis.value,
            "cost_known": a.net.cost_known,  # false: no cost line is quantified; cost and net are null
            "cost": money(a.net.cost) if a.net.cost_known else None,
            "attributable_benefits": money(a.net.benefits),
            "net": money(a.net.net) if a.net.cost_known else None,
            "benefit_cost_ratio": ratio(a.net.benefit_cost_ratio) if a.net.cost_known else None,
        },
        "arms": None
        if a.arms is None
        else {
            "programme": {"label": a.arms[0][0], "n": count(a.arms[0][1])},
            "comparison": None if a.arms[1] is None else {"label": a.arms[1][0], "n": count(a.arms[1][1])},
            "items": [
                {
                    "key": r.key,
                    "label": r.label,
                    "kind": r.kind,
                    "programme": value(r.programme, "money" if r.money else "count"),
                    "comparison": value(r.comparison, "money" if r.money else "count"),
                    "difference": value(r.difference, "money" if r.money else "count"),
                    "total": value(r.total, "money" if r.money else "count"),
                }
                for r in a.arm_results
            ],
        },
        "transfers": [
            {
                "name": f.name,
                "from": f.payer,
                "to": f.payee,
                "per_outcome": None
                if f.per_outcome is None
                else {"outcome": f.per_outcome[0], "amount": money(f.per_outcome[1])},
                "multiple_of": None
                if f.multiple_of is None
                else {
                    "transfer": f.multiple_of[0],
                    "times": ratio(f.multiple_of[1]),
                    "period": a.timeline.years[f.multiple_of[2]],
                },
                "spread": spread(f.spread),
                "cap": money(f.cap),
                "gross": [money(x) for x in f.gross],
                "paid": [money(x) for x in f.paid],
                "total": money(f.total),
                "capped": f.capped,
                "pv": money(f.pv),
            }
            for f in a.timeline.transfers
        ],
        "cost_per_outcome": [
            {
                "outcome": c.id,
                "measure": c.measure,
                "attributable": c.attributable,
                "achieved": count(c.count),
                "cost": money(c.cost),
                "per_outcome": money(c.per_outcome),
                "participants": count(c.participants),
                "per_participant": money(c.per_participant),
            }
            for c in a.outcome_costs
        ],
        "claims": [
            {
                "label": c.label,
                "period": c.period,
                "claimed": money(c.claimed),
                "base_label": c.base_label,
                "base": money(c.base),
                "claimed_share_pct": ratio(c.claimed_share, "percent"),
                "realised": money(c.realised),  # null: not published, said by realised_note
                "realised_note": "not published" if c.realised is None else None,
                "difference": money(c.difference),
                "realised_pct_of_claim": ratio(c.realised_share, "percent"),
                "source": c.source,
            }
            for c in a.claims
        ],
        # impacts not valued in money: beside the headline, never a figure (no value, so never read as nought)
        "unmonetised": [
            {
                "impact": u.impact,
                "direction": u.direction,
                "scale": u.scale,
                "affects": u.affects,
                "source": u.source,
                "note": u.note,
            }
            for u in result.unmonetised
        ],
        # the value-for-money statement: the BCR's category on a stated scale, before the impacts above
        "value_for_money": None
        if not s.appraised
        else {
            "category": result.value_for_money,
            "scale": BANDS_SOURCE,
            "before_unmonetised": result.unmonetised_tally or "none listed",
        },
        "financial_case": financial_case(result.financial_case) if result.shows_financial_case else None,
        "switching_values": [switch(x) for x in result.switches],
        "cost_switching_values": [cost_switch(x) for x in result.cost_switches],
        "appraisal": appraisal(a.timeline) if s.appraised else None,
        "unit_costs_used": [
            {
                "table": u.table,
                "id": u.entry.id,
                "references": list(u.refs),
                "used_by": list(u.used_by),
                "value": money(u.entry.value),
                "unit": u.entry.unit,
                "price_year": u.entry.price_year,
                "agency": u.entry.agency,
                "value_type": u.entry.value_type.value,
                "cashable": u.entry.cashable_text,
                "confidence": u.entry.confidence_text,
                "source": u.entry.source,
            }
            for u in result.unit_costs
            if u.used_by
        ],
        "notes": a.cost_notes + list(a.timeline.notes),
    }


def evidence(st: BenefitStream) -> dict[str, Any] | None:
    """How the stream's evidence grades gave its optimism bias (null: they did not)."""
    e = st.evidence
    if e is None:
        return None
    return {
        "graded": dict(e.graded),
        "ranged": list(e.ranged),
        "grade": e.grade,
        "optimism_bias": ratio(e.share),
        "source": e.source,
    }


def financial_case(fc: FinancialCase) -> dict[str, Any]:
    """The public budget holders' cash by year (null where not known) and its reconciliation to the economic case."""

    def cash(r: CashRow) -> dict[str, Any]:
        return {
            "year": r.year,
            "holder": r.holder,
            "cash_costs": money(r.costs),
            "cashable_savings": money(r.savings),
            "transfers": money(r.transfers),
            "net_cash": money(r.net),
            "cumulative_net_cash": money(r.cumulative),
        }

    envelope = fc.envelope
    return {
        "price_base": fc.price_base,
        "lead_holder": fc.lead,
        "years": [
            {
                "year": y,
                "deflator_index": count(d),
                "inflation": ratio(i),
                "forecast": fc.forecast_from is not None and k >= fc.forecast_from,
            }
            for k, (y, d, i) in enumerate(zip(fc.years, fc.indices, fc.inflation))
        ],
        "rows": [cash(r) for r in fc.rows],
        "totals": [cash(r) for r in fc.with_totals[len(fc.rows) :]],
        "budget_envelope": None
        if envelope is None
        else {
            "holder": fc.envelope_holder,
            "source": envelope.source,
            "rows": [
                {
                    "year": r.year,
                    "envelope": money(r.envelope),
                    "cash_costs": money(r.costs),
                    "headroom": money(r.headroom),
                    "cumulative_headroom": money(r.cumulative),
                }
                for r in fc.envelope_rows
            ],
        },
        "reconciliation": [{"step": k, "label": label, "amount": money(v)} for k, label, v in fc.reconciliation],
        "notes": list(fc.notes),
    }


def exact_run_document(result: RunResult) -> dict[str, Any]:
    """The run's JSON document with every figure an ``Exact``: what published results name by path read here,
    so a path means what it means in the JSON, and the figure compared is exact, not as rounded for the JSON."""
    global _keep_exact
    _keep_exact = True
    try:
        return run_document(result)
    finally:
        _keep_exact = False


def appraisal(t: Timeline) -> dict[str, Any]:
    """The Green Book / GM CBA results (present when the scenario is appraised)."""
    pv = t.pv_by_value_type()
    return {
        "discounted": t.discounted,
        "years": t.years,  # the appraisal's periods: financial years, or quarters or months (periods_per_year)
        "periods_per_year": t.per_year,
        "discount_rates": {k: [ratio(r) for r in v] for k, v in t.rates.items()},
        "discount_factors": {k: [ratio(f) for f in v] for k, v in t.factors.items()},
        "real_terms": t.real_terms,
        "price_base": t.price_base,
        "cost_lines": [
            {
                "line": f.line,
                "key": f.key,
                "agency": f.agency,
                "price_basis": f.price_basis,
                # one rate a year, within the real-terms factors; null: none, or rates by year (the next key)
                "real_growth": None if f.real_growth is None else ratio(f.real_growth.rate),
                "real_growth_by_year": None if f.real_growth is None else growth_by_year(f.real_growth),
                "forecast": f.forecast,
                "optimism_bias": ratio(f.optimism_bias),
                "optimism_bias_basis": f.optimism_bias_basis,
                "optimism_bias_applied": ratio(f.uplift),
                "amounts": [money(a) for a in f.amounts],
                "real_terms_factors": [ratio(x) for x in f.factors],
                "real": [money(r) for r in f.real],
                "after_optimism_bias": [money(a) for a in f.adjusted],
            }
            for f in t.cost_flows
        ],
        "costs": [money(c) for c in t.costs],
        "costs_real": [money(c) for c in t.costs_real],
        "costs_after_optimism_bias": [money(c) for c in t.costs_adjusted],
        "pv_costs_by_year": [money(c) for c in t.pv_cost_by_year],
        "benefits": [
            {
                "outcome": st.outcome,
                "part": part(st),
                "counted": st.counted,
                "unit_cost": None if st.unit_cost is None else st.unit_cost.id,
                "uprating_factor": ratio(st.uprate_factor),
                "unit_value_at_price_base": money(st.unit_value),
                "deadweight": ratio(st.deadweight),
                "attribution": ratio(st.attribution),
                "displacement": ratio(st.displacement),
                "additionality": ratio(st.additionality),
                "optimism_bias": ratio(st.optimism_bias),
                "optimism_bias_basis": st.optimism_bias_basis,
                "evidence": evidence(st),
                "real_growth": None
                if st.growth is None
                else {
                    "rate": ratio(st.growth.rate),
                    "by_year": growth_by_year(st.growth),
                    "from": year_name(st.growth_price_year),
                    "factors": [ratio(st.growth_at(i)) for i in range(len(t.years))],
                },
                "discount": st.discount_column,
                "volumes": [count(st.volumes.get(i, Decimal(0))) for i in range(len(t.years))],
                "values": [money(st.value(i)) for i in range(len(t.years))],
                "pv": money(t.pv_stream(st)),
            }
            for st in t.streams
        ],
        "pv_costs": money(t.pv_costs),
        "pv_costs_outside_public_sector": money(t.pv_costs_outside),
        "pv_benefits": {k: money(v) for k, v in pv.items()},
        "pv_fiscal_by_agency": {k: money(v) for k, v in t.pv_fiscal_by("agency").items()},
        "pv_fiscal_by_cashable": {
            k.replace(" ", "_").replace("-", "_"): money(v) for k, v in t.pv_fiscal_by("cashable").items()
        },
        "pv_paid_outside_public_sector": money(t.pv_paid_out),
        "net_present_budget_impact": money(t.net_present_budget_impact),
        "net_present_public_value": money(t.net_present_public_value),
        "financial_roi": ratio(t.financial_roi),
        "benefit_cost_ratio": ratio(t.benefit_cost_ratio),
        "payback_years": ratio(t.payback, "years"),
        "who_pays_and_benefits": [
            {
                "agency": f.agency,
                "pv_costs": money(f.pv_costs),
                "pv_fiscal_benefits": money(f.pv_fiscal_benefits),
                "pv_transfers_paid": money(f.pv_paid),
                "pv_transfers_received": money(f.pv_received),
                "net": money(f.net),
            }
            for f in t.who_pays_and_benefits()
        ],
    }


def table(t: Table) -> dict[str, Any]:
    return {
        "title": t.title,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in t.columns],
        "rows": [
            {c.key: value(v, t.kind_at(row, i)) for i, (c, v) in enumerate(zip(t.columns, row))} for row in t.rows
        ],
        "notes": list(t.notes),
    }


def table_document(result: TableResult) -> dict[str, Any]:
    """``whatif``, ``breakeven``, ``compare`` and ``simulate`` as JSON (schema/tables.schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "command": result.command,
        "provenance": [provenance(p) for p in result.provenance],
        "facts": {f.key: {"label": f.label, "value": value(f.value, f.kind), "kind": f.kind} for f in result.facts},
        "tables": {t.key: table(t) for t in result.tables},
        "notes": list(result.notes),
    }


def growth_by_year(growth: RealGrowth) -> list[dict[str, str | None]] | None:
    """Rates by financial year as given (each later year at the last); None for one rate a year."""
    if not growth.by_year:
        return None
    return [{"year": year, "rate": ratio(rate)} for year, rate in growth.by_year]
