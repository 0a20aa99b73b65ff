"""The appraisal as plain JSON-ready data: the documented machine-readable result.

Money is written as strings of exact decimals in pounds (e.g. "1849537" or
"1234.50"), never as binary floats. Ratios and percentages are strings rounded
half-up to 6 decimal places. ``null`` means "not applicable" (a percentage of a
zero budget, an unpriced outcome).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from . import __version__
from .appraisal import Appraisal, Figures, LineFigures
from .load import Loaded

SCHEMA_VERSION = 1
_RATIO_PLACES = Decimal("0.000001")


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def ratio(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(_RATIO_PLACES, rounding=ROUND_HALF_UP))


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
        "unit_costs": {"file": loaded.table.source.name, "sha256": loaded.table.source.sha256},
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
                "baseline": str(o.baseline),
                "follow_up": str(o.follow_up),
                "change": str(o.change),
                "unit_cost": None if o.unit_cost is None else {
                    "id": o.unit_cost.id, "value": money(o.unit_cost.value), "unit": o.unit_cost.unit,
                    "price_year": o.unit_cost.price_year, "confidence": o.unit_cost.confidence,
                    "source": o.unit_cost.source,
                },
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
    }
