"""The appraisal as plain JSON-ready data: the documented machine-readable result.

Money is written as strings of exact decimals in pounds (e.g. "1849537" or
"1234.50"), never as binary floats. Ratios and percentages are strings rounded
half-up to 6 decimal places. ``null`` means "not applicable" (a percentage of a
zero budget, an unpriced outcome).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from cba import __version__
from cba.engine.appraisal import Appraisal, Figures, LineFigures
from cba.engine.timeline import Timeline
from cba.io.load import Loaded

SCHEMA_VERSION = 1
_RATIO_PLACES = Decimal("0.000001")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_RATIO_PLACES, rounding=ROUND_HALF_UP, context=Context(prec=60)))


def figures(f: Figures) -> dict[str, Any]:
    out: dict[str, Any] = {"label": f.label}
    if isinstance(f, LineFigures):
        out.update(kind=f.kind.value, quantified=f.quantified, budgeted=f.budgeted)
    out.update(
        budget={p: money(v) for p, v in f.budget.items()},
        actual={p: money(v) for p, v in f.actual.items()},
        budget_total=money(f.budget_total),
        actual_total=money(f.actual_total),
        variance=money(f.variance),
        variance_pct=ratio(f.variance_pct),
    )
    return out


def provenance(loaded: Loaded) -> dict[str, Any]:
    s = loaded.scenario
    return {
        "cba_version": __version__,
        "scenario": {
            "name": s.name,
            "organisation": s.organisation,
            "currency": s.currency,
            "price_base": s.price_base,
            "periods": list(s.periods),
            "file": loaded.source.name,
            "sha256": loaded.source.sha256,
        },
        "unit_costs": [{"name": name, "file": table.source.name, "sha256": table.source.sha256}
                       for name, table in loaded.costs.tables],
        "reference_data": None if loaded.reference is None else [
            {"file": source.name, "sha256": source.sha256} for source in loaded.reference.sources
        ],
    }


def to_json(loaded: Loaded, result: Appraisal) -> dict[str, Any]:
    """The whole result of ``cba run --format json``."""
    s = loaded.scenario
    return {
        "schema_version": SCHEMA_VERSION,
        **provenance(loaded),
        "costs": {
            "lines": [figures(f) for f in result.lines if f.quantified],
            "unquantified": result.unquantified,
            "by_kind": {k.value: figures(f) for k, f in result.by_kind.items()},
            "total": figures(result.total),
        },
        "funding": {
            "sources": [{"name": f.name, "amount": money(f.amount)} for f in s.funding],
            "total": money(result.funding_total),
            "less_actual": money(result.funding_total - result.total.actual_total),
        },
        "reconciliation": {
            "checks": [
                {"label": c.label, "published": money(c.published), "computed": money(c.computed),
                 "difference": money(c.difference), "agrees": c.agrees}
                for c in result.checks
            ],
            "disagreements": len(result.disagreements),
            "identical_lines": [
                {"measure": w.measure, "lines": list(w.lines), "amounts": [money(a) for a in w.amounts]}
                for w in result.identical
            ],
        },
        "outcomes": [
            {
                "id": o.id,
                "measure": o.measure,
                "baseline": None if o.baseline is None else str(o.baseline),
                "follow_up": None if o.follow_up is None else str(o.follow_up),
                "change": None if o.change is None else str(o.change),
                "unit_cost": None if o.unit_cost is None else {
                    "id": o.unit_cost.id, "value": money(o.unit_cost.value), "unit": o.unit_cost.unit,
                    "price_year": o.unit_cost.price_year, "confidence": o.unit_cost.confidence,
                    "source": o.unit_cost.source,
                },
                "conversion": None if o.stream.conversion == 1 else str(o.stream.conversion),
                "value": money(o.value),
                "attributable": o.attributable,
                "attributable_value": money(o.attributable_value),
            }
            for o in result.outcomes
        ],
        "net_position": {
            "basis": result.net.basis.value,
            "cost": money(result.net.cost),
            "attributable_benefits": money(result.net.benefits),
            "net": money(result.net.net),
            "benefit_cost_ratio": ratio(result.net.benefit_cost_ratio),
        },
        "break_even": [
            {"outcome": b.outcome, "unit_cost": b.unit_cost.id, "units_needed": ratio(b.units_needed)}
            for b in result.break_even
        ],
        "appraisal": None if s.appraisal is None else appraisal(result.timeline),
    }


def appraisal(t: Timeline) -> dict[str, Any]:
    """The Green Book / GM CBA results (present when the scenario has ``appraisal`` settings)."""
    pv = t.pv_by_value_type()
    payback = t.payback
    return {
        "discounted": t.discounted,
        "notes": t.notes,
        "years": t.years,
        "discount_factors": {k: [ratio(f) for f in v] for k, v in t.factors.items()},
        "cost_optimism_bias": ratio(t.cost_optimism_bias),
        "costs": [money(c) for c in t.costs],
        "costs_after_optimism_bias": [money(c) for c in t.costs_adjusted],
        "pv_costs_by_year": [money(c) for c in t.pv_cost_by_year],
        "benefits": [
            {
                "outcome": st.outcome,
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
                "discount": st.discount_column,
                "volumes": [str(st.volumes.get(i, 0)) for i in range(len(t.years))],
                "values": [money(st.value(i)) for i in range(len(t.years))],
                "pv": money(t.pv_stream(st)),
            }
            for st in t.streams
        ],
        "pv_costs": money(t.pv_costs),
        "pv_benefits": {k: money(v) for k, v in pv.items()},
        "pv_fiscal_by_agency": {k: money(v) for k, v in t.pv_fiscal_by("agency").items()},
        "pv_fiscal_by_cashable": {k: money(v) for k, v in t.pv_fiscal_by("cashable").items()},
        "net_present_budget_impact": money(t.net_present_budget_impact),
        "net_present_public_value": money(t.net_present_public_value),
        "financial_roi": ratio(t.financial_roi),
        "benefit_cost_ratio": ratio(t.benefit_cost_ratio),
        "payback_years": ratio(payback),
        "who_pays_and_benefits": [
            {"agency": f.agency, "pv_costs": money(f.pv_costs), "pv_fiscal_benefits": money(f.pv_fiscal_benefits),
             "net": money(f.net)}
            for f in t.who_pays_and_benefits()
        ],
    }


def headlines(loaded: Loaded, result: Appraisal) -> dict[str, Decimal | None]:
    """The figures `cba compare` sets side by side (exact; None where they do not apply)."""
    by_type = {vt: Decimal(0) for vt in ("fiscal", "economic", "social")}
    for o in result.outcomes:
        if o.unit_cost is not None:
            by_type[o.unit_cost.value_type.value] += o.attributable_value
    figures: dict[str, Decimal | None] = {
        "Budget": result.total.budget_total,
        "Actual spend": result.total.actual_total,
        "Funding": result.funding_total,
        "Cost set against benefits (per net_position_basis)": result.net.cost,
        "Attributable benefits, fiscal": by_type["fiscal"],
        "Attributable benefits, economic": by_type["economic"],
        "Attributable benefits, social": by_type["social"],
        "Attributable benefits, total": result.net.benefits,
        "Net position": result.net.net,
        "Benefit-cost ratio": result.net.benefit_cost_ratio,
    }
    if loaded.scenario.appraisal is not None:
        t = result.timeline
        figures.update({
            "PV of costs": t.pv_costs,
            "PV of benefits": t.pv_benefits,
            "Net present value (public value)": t.net_present_public_value,
            "Net present budget impact": t.net_present_budget_impact,
            "Financial ROI": t.financial_roi,
            "Public value ROI (BCR)": t.benefit_cost_ratio,
            "Payback period (years)": t.payback,
        })
    return figures
