"""JSON Schemas (draft-07) of cba's JSON outputs: ``cba schema run`` and ``cba schema tables``.

The committed copies live in ``schema/``; tests check every command's output against them
and that the copies match what this module builds.
"""

from __future__ import annotations

from typing import Any

from cba.render.envelope import SCHEMA_VERSION

MONEY = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "pounds, two decimal places, half-up"}
RATIO = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{6}$", "description": "six decimal places, half-up"}
COUNT = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]{1,6})?$", "description": "exact, at most six places"}
TEXT = {"type": "string"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def obj(properties: dict[str, Any], *, optional: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": properties,
        "required": [k for k in properties if k not in optional],
    }


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def mapping(values: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": values}


#: real growth rates by financial year as the scenario gives them; each year after the last listed takes its rate
GROWTH_BY_YEAR = array(obj({"year": TEXT, "rate": RATIO}))
VALUE = {"anyOf": [MONEY, RATIO, COUNT, TEXT, {"type": "boolean"}, {"type": "null"}]}
KIND = {"enum": ["text", "money", "ratio", "count", "percent", "share", "years", "flag", "input"]}
FIGURE = obj({"label": TEXT, "value": VALUE, "kind": KIND})

PROVENANCE = obj(
    {
        "cba_version": TEXT,
        "command": TEXT,
        "scenario": obj(
            {
                "name": TEXT,
                "organisation": TEXT,
                "currency": TEXT,
                "price_base": TEXT,
                "periods": array(TEXT),
                "file": TEXT,
                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            }
        ),
        "inputs": array(
            obj({"role": TEXT, "name": TEXT, "file": TEXT, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}})
        ),
    }
)

#: A total published over several periods and spread over them (spread:, volume_spread:).
SPREAD = nullable(
    obj(
        {
            "from": TEXT,
            "periods": {"type": "integer", "minimum": 1},
            "profile": {"anyOf": [{"const": "even"}, array(RATIO)]},
            "totals": obj(
                {"budget": MONEY, "actual": MONEY, "total": MONEY, "volume": COUNT},
                optional=("budget", "actual", "total", "volume"),
            ),
        }
    )
)

FIGURES = obj(
    {
        "label": TEXT,
        "kind": TEXT,
        "quantified": {"type": "boolean"},
        "budgeted": {"type": "boolean"},
        "agency": TEXT,
        "budget": mapping(MONEY),
        "actual": mapping(MONEY),
        "budget_total": MONEY,
        "actual_total": MONEY,
        "variance": nullable(MONEY),
        "variance_pct": nullable(RATIO),
        "units": nullable(
            obj(
                {
                    "unit": TEXT,
                    "price": MONEY,
                    "price_from": nullable(TEXT),
                    "budget": mapping(COUNT),
                    "actual": mapping(COUNT),
                }
            )
        ),
        "spread": SPREAD,
        "netted": nullable(
            obj(
                {
                    "label": TEXT,
                    "source": nullable(TEXT),
                    "gross": obj({"budget": mapping(MONEY), "actual": mapping(MONEY)}),
                    "saving": obj({"budget": mapping(MONEY), "actual": mapping(MONEY)}),
                    "gross_total": obj({"budget": MONEY, "actual": MONEY}),
                    "saving_total": obj({"budget": MONEY, "actual": MONEY}),
                }
            )
        ),
        "source": nullable(TEXT),
        "note": nullable(TEXT),
    },
    optional=("kind", "quantified", "budgeted", "agency", "units", "spread", "netted", "source", "note"),
)

SWITCH = obj(
    {
        "outcome": TEXT,
        "measure": TEXT,
        "basis": {"enum": ["net_position", "npv"]},
        "volume_kind": {"enum": ["change", "cohort", "volumes"]},
        "units_needed": nullable(RATIO),
        "switching_value": nullable(RATIO),
        "written_value": COUNT,
        "volume_as_written": COUNT,
        "cost": MONEY,
        "other_benefits": MONEY,
        "per_unit": MONEY,
        "divisor": obj(
            {
                "unit_cost": MONEY,
                "uprating": RATIO,
                "conversion": COUNT,
                "additionality": RATIO,
                "optimism_bias": RATIO,
                "timing": RATIO,
                "values": {"type": "integer", "minimum": 1},
            }
        ),
    }
)

PART = nullable(obj({"number": {"type": "integer", "minimum": 1}, "label": TEXT, "share": RATIO}))

APPRAISAL = obj(
    {
        "discounted": {"type": "boolean"},
        "years": array(TEXT),
        "periods_per_year": {"enum": [1, 4, 12]},
        "discount_rates": mapping(array(RATIO)),
        "discount_factors": mapping(array(RATIO)),
        "real_terms": {"type": "boolean"},
        "price_base": TEXT,
        "cost_lines": array(
            obj(
                {
                    "line": TEXT,
                    "key": TEXT,
                    "agency": TEXT,
                    "price_basis": TEXT,
                    "real_growth": nullable(RATIO),
                    "real_growth_by_year": nullable(GROWTH_BY_YEAR),
                    "forecast": {"type": "boolean"},
                    "optimism_bias": RATIO,
                    "optimism_bias_basis": TEXT,
                    "optimism_bias_applied": RATIO,
                    "amounts": array(MONEY),
                    "real_terms_factors": array(RATIO),
                    "real": array(MONEY),
                    "after_optimism_bias": array(MONEY),
                }
            )
        ),
        "costs": array(MONEY),
        "costs_real": array(MONEY),
        "costs_after_optimism_bias": array(MONEY),
        "pv_costs_by_year": array(MONEY),
        "benefits": array(
            obj(
                {
                    "outcome": TEXT,
                    "part": PART,
                    "counted": {"type": "boolean"},
                    "unit_cost": nullable(TEXT),
                    "uprating_factor": RATIO,
                    "unit_value_at_price_base": MONEY,
                    "deadweight": RATIO,
                    "attribution": RATIO,
                    "displacement": RATIO,
                    "additionality": RATIO,
                    "optimism_bias": RATIO,
                    "optimism_bias_basis": TEXT,
                    "evidence": nullable(
                        obj(
                            {
                                "graded": mapping({"type": "integer", "minimum": 1, "maximum": 6}),
                                "ranged": array({"enum": ["impact", "deadweight", "cohort", "unit cost"]}),
                                "grade": nullable({"type": "integer", "minimum": 1, "maximum": 6}),
                                "optimism_bias": RATIO,
                                "source": nullable(TEXT),
                            }
                        )
                    ),
                    "real_growth": nullable(
                        obj(
                            {
                                "rate": nullable(RATIO),
                                "by_year": nullable(GROWTH_BY_YEAR),
                                "from": TEXT,
                                "factors": array(RATIO),
                            }
                        )
                    ),
                    "discount": {"enum": ["standard", "health"]},
                    "volumes": array(COUNT),
                    "values": array(MONEY),
                    "pv": MONEY,
                }
            )
        ),
        "pv_costs": MONEY,
        "pv_costs_outside_public_sector": MONEY,
        "pv_benefits": obj({"fiscal": MONEY, "economic": MONEY, "social": MONEY}),
        "pv_fiscal_by_agency": mapping(MONEY),
        "pv_fiscal_by_cashable": obj(
            {"cashable": MONEY, "non_cashable": MONEY, "cashability_not_stated": MONEY},
            optional=("cashable", "non_cashable", "cashability_not_stated"),
        ),
        "pv_paid_outside_public_sector": MONEY,
        "net_present_budget_impact": MONEY,
        "net_present_public_value": MONEY,
        "financial_roi": nullable(RATIO),
        "benefit_cost_ratio": nullable(RATIO),
        "payback_years": nullable(RATIO),
        "who_pays_and_benefits": array(
            obj(
                {
                    "agency": TEXT,
                    "pv_costs": MONEY,
                    "pv_fiscal_benefits": MONEY,
                    "pv_transfers_paid": MONEY,
                    "pv_transfers_received": MONEY,
                    "net": MONEY,
                }
            )
        ),
    }
)


CASH_ROW = obj(
    {
        "year": TEXT,
        "holder": TEXT,
        "cash_costs": nullable(MONEY),  # null: not known (the notes say why), never 0
        "cashable_savings": nullable(MONEY),
        "transfers": MONEY,
        "net_cash": nullable(MONEY),
        "cumulative_net_cash": nullable(MONEY),
    }
)
FINANCIAL_CASE = obj(
    {
        "price_base": TEXT,
        "lead_holder": TEXT,
        "years": array(
            obj(
                {
                    "year": TEXT,
                    "deflator_index": nullable(COUNT),
                    "inflation": nullable(RATIO),
                    "forecast": {"type": "boolean"},
                }
            )
        ),
        "rows": array(CASH_ROW),
        "totals": array(CASH_ROW),
        "budget_envelope": nullable(
            obj(
                {
                    "holder": TEXT,
                    "source": nullable(TEXT),
                    "rows": array(
                        obj(
                            {
                                "year": TEXT,
                                "envelope": MONEY,
                                "cash_costs": nullable(MONEY),
                                "headroom": nullable(MONEY),
                                "cumulative_headroom": nullable(MONEY),
                            }
                        )
                    ),
                }
            )
        ),
        "reconciliation": array(obj({"step": TEXT, "label": TEXT, "amount": nullable(MONEY)})),
        "notes": array(TEXT),
    }
)


def _document(command: dict[str, Any], title: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": title,
        **obj({"schema_version": {"const": SCHEMA_VERSION}, "command": command, **properties}),
    }


def run_schema() -> dict[str, Any]:
    """``cba run --format json``."""
    return _document(
        {"const": "run"},
        "cba run --format json",
        {
            "provenance": PROVENANCE,
            "settings": obj(
                {
                    "basis": {"enum": ["funding", "actual", "budget"]},
                    "basis_label": TEXT,
                    "attributable_forced": array(TEXT),
                    "what_if": array(TEXT),
                    "appraised": {"type": "boolean"},
                    "discounted": {"type": "boolean"},
                    "uprated": {"type": "boolean"},
                    "prices": TEXT,
                }
            ),
            "headline": {"enum": ["net_position", "npv"]},
            "headlines": mapping(FIGURE),
            "costs": obj(
                {"lines": array(FIGURES), "unquantified": array(TEXT), "by_kind": mapping(FIGURES), "total": FIGURES}
            ),
            "funding": obj(
                {
                    "sources": array(
                        obj(
                            {
                                "name": TEXT,
                                "funder": nullable(TEXT),
                                "amount": MONEY,
                                "source": nullable(TEXT),
                                "note": nullable(TEXT),
                            }
                        )
                    ),
                    "total": MONEY,
                    "less_actual": MONEY,
                }
            ),
            "reconciliation": obj(
                {
                    "checks": array(
                        obj(
                            {
                                "label": TEXT,
                                "published": MONEY,
                                "computed": MONEY,
                                "difference": MONEY,
                                "agrees": {"type": "boolean"},
                            }
                        )
                    ),
                    "disagreements": {"type": "integer", "minimum": 0},
                    "results": array(
                        obj(
                            {
                                "label": TEXT,
                                "figure": TEXT,
                                "test": {"enum": ["equals", "at most", "at least", "more than", "less than"]},
                                "published": VALUE,
                                "to": nullable(COUNT),
                                "computed": VALUE,
                                "computed_as_published": VALUE,
                                "agrees": {"type": "boolean"},
                                "why_not_computed": nullable(TEXT),
                            }
                        )
                    ),
                    "identical_lines": array(obj({"measure": TEXT, "lines": array(TEXT), "amounts": array(MONEY)})),
                }
            ),
            "outcomes": array(
                obj(
                    {
                        "id": TEXT,
                        "measure": TEXT,
                        "part": PART,
                        "baseline": nullable(COUNT),
                        "follow_up": nullable(COUNT),
                        "change": nullable(COUNT),
                        "unit_cost": nullable(
                            obj(
                                {
                                    "id": TEXT,
                                    "reference": TEXT,
                                    "value": MONEY,
                                    "unit": TEXT,
                                    "price_year": TEXT,
                                    "confidence": nullable({"type": "integer"}),
                                    "source": TEXT,
                                }
                            )
                        ),
                        "conversion": nullable(obj({"factor": COUNT, "reason": TEXT})),
                        "value": nullable(MONEY),
                        "attributable": {"type": "boolean"},
                        "attributable_value": MONEY,
                        "timing_note": nullable(TEXT),
                        "volume_spread": SPREAD,
                        "source": nullable(TEXT),
                        "note": nullable(TEXT),
                    }
                )
            ),
            "net_position": obj(
                {
                    "basis": TEXT,
                    "cost_known": {"type": "boolean"},
                    "cost": nullable(MONEY),
                    "attributable_benefits": MONEY,
                    "net": nullable(MONEY),
                    "benefit_cost_ratio": nullable(RATIO),
                }
            ),
            "arms": nullable(
                obj(
                    {
                        "programme": obj({"label": TEXT, "n": COUNT}),
                        # null: only the comparison arm's mean was published (nothing divides by its size)
                        # the whole arm null: a single-arm study, whose items' comparison means are null
                        "comparison": nullable(obj({"label": TEXT, "n": nullable(COUNT)})),
                        "items": array(
                            obj(
                                {
                                    "key": TEXT,
                                    "label": TEXT,
                                    "kind": {"enum": ["cost", "outcome"]},
                                    "programme": VALUE,
                                    "comparison": VALUE,
                                    "difference": VALUE,
                                    "total": VALUE,
                                }
                            )
                        ),
                    }
                )
            ),
            "transfers": array(
                obj(
                    {
                        "name": TEXT,
                        "from": TEXT,
                        "to": TEXT,
                        "per_outcome": nullable(obj({"outcome": TEXT, "amount": MONEY})),
                        "multiple_of": nullable(obj({"transfer": TEXT, "times": RATIO, "period": TEXT})),
                        "spread": SPREAD,
                        "cap": nullable(MONEY),
                        "gross": array(MONEY),
                        "paid": array(MONEY),
                        "total": MONEY,
                        "capped": {"type": "boolean"},
                        "pv": MONEY,
                    }
                )
            ),
            "cost_per_outcome": array(
                obj(
                    {
                        "outcome": TEXT,
                        "measure": TEXT,
                        "attributable": {"type": "boolean"},
                        "achieved": COUNT,
                        "cost": MONEY,
                        "per_outcome": nullable(MONEY),
                        "participants": nullable(COUNT),
                        "per_participant": nullable(MONEY),
                    }
                )
            ),
            "claims": array(
                obj(
                    {
                        "label": TEXT,
                        "period": nullable(TEXT),
                        "claimed": MONEY,
                        "base_label": nullable(TEXT),
                        "base": nullable(MONEY),
                        "claimed_share_pct": nullable(RATIO),
                        "realised": nullable(MONEY),  # null: not published (realised_note says so)
                        "realised_note": nullable({"enum": ["not published"]}),
                        "difference": nullable(MONEY),
                        "realised_pct_of_claim": nullable(RATIO),
                        "source": nullable(TEXT),
                    }
                )
            ),
            "unmonetised": array(
                obj(
                    {
                        "impact": TEXT,
                        "direction": {"enum": ["positive", "negative", "uncertain"]},
                        "scale": {"enum": ["small", "moderate", "large", "not known"]},
                        "affects": nullable(TEXT),
                        "source": nullable(TEXT),
                        "note": nullable(TEXT),
                    }
                )
            ),
            "value_for_money": nullable(
                obj(
                    {
                        "category": nullable({"enum": ["poor", "low", "medium", "high", "very high"]}),
                        "scale": TEXT,
                        "before_unmonetised": TEXT,
                    }
                )
            ),
            "financial_case": nullable(FINANCIAL_CASE),  # null: not appraised and no budget envelope
            "switching_values": array(SWITCH),
            "cost_switching_values": array(
                obj(
                    {
                        "input": TEXT,
                        "kind": {"enum": ["unit cost", "total cost"]},
                        "basis": {"enum": ["net_position", "npv"]},
                        "percent": nullable(RATIO),
                        "why_none": TEXT,
                    }
                )
            ),
            "appraisal": nullable(APPRAISAL),
            "unit_costs_used": array(
                obj(
                    {
                        "table": TEXT,
                        "id": TEXT,
                        "references": array(TEXT),
                        "used_by": array(TEXT),
                        "value": MONEY,
                        "unit": TEXT,
                        "price_year": TEXT,
                        "agency": TEXT,
                        "value_type": {"enum": ["fiscal", "economic", "social"]},
                        "cashable": TEXT,
                        "confidence": TEXT,
                        "source": TEXT,
                    }
                )
            ),
            "notes": array(TEXT),
        },
    )


def tables_schema() -> dict[str, Any]:
    """``cba whatif``, ``breakeven``, ``solve``, ``compare``, ``simulate`` and ``portfolio`` with ``--format json``."""
    column = obj({"key": {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}, "label": TEXT, "kind": KIND})
    table = obj({"title": TEXT, "columns": array(column), "rows": array(mapping(VALUE)), "notes": array(TEXT)})
    return _document(
        {"enum": ["whatif", "breakeven", "solve", "compare", "options", "sensitivity", "simulate", "portfolio"]},
        "cba whatif / breakeven / solve / compare / options / sensitivity / simulate / portfolio --format json",
        {
            "provenance": array(PROVENANCE),
            "facts": mapping(FIGURE),
            "tables": mapping(table),
            "notes": array(TEXT),
        },
    )


def costs_schema() -> dict[str, Any]:
    """``cba costs``, ``costs search``, ``costs show`` and ``costs --list-tables`` with ``--format json``:
    the common envelope; the entries are unit-cost table rows (see docs/unit-costs.md for the columns)."""
    inputs = array(
        obj({"role": TEXT, "name": TEXT, "file": TEXT, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}})
    )
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "cba costs / costs search / costs show / costs --list-tables --format json",
        "type": "object",
        "required": ["schema_version", "command", "provenance"],
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "command": {"enum": ["costs", "costs search", "costs show", "costs --list-tables"]},
            "provenance": obj({"cba_version": TEXT, "command": TEXT, "inputs": inputs}),
            "entries": array({"type": "object"}),
            "matches": array(mapping(TEXT)),
            "tables": array(
                obj(
                    {
                        "name": TEXT,
                        "entries": {"type": "integer"},
                        "file": TEXT,
                        "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                        "sources": array(TEXT),
                    }
                )
            ),
        },
    }


SCHEMAS = {"run": run_schema, "tables": tables_schema, "costs": costs_schema}


def figure_path_patterns() -> list[str]:
    """Every figure's path in ``cba run --format json``, as a published result names it, with a list's item
    and a key of a mapping as placeholders: ``outcomes[<id>].attributable_value``. Read from the run's schema,
    so a figure the JSON gains is nameable at once."""
    found: list[str] = []

    def is_figure(schema: dict[str, Any]) -> bool:
        if schema.get("pattern") in (MONEY["pattern"], RATIO["pattern"], COUNT["pattern"]):
            return True
        return any(is_figure(s) for s in schema.get("anyOf", ()))

    def walk(schema: dict[str, Any], at: str, key: str) -> None:
        if is_figure(schema):
            found.append(at)
            return
        for choice in schema.get("anyOf", ()):  # nullable: the figures of the non-null choice
            if choice.get("type") in ("object", "array"):
                walk(choice, at, key)
        if schema.get("type") == "array":
            items = schema["items"]
            name = next((n for n in FIGURE_NAMES if n in items.get("properties", {})), "period")
            walk(items, f"{at}[<{name}>]", key)
        elif schema.get("type") == "object" and "properties" in schema:
            for k, sub in schema["properties"].items():
                walk(sub, f"{at}.{k}" if at else k, k)
        elif schema.get("type") == "object" and isinstance(schema.get("additionalProperties"), dict):
            placeholder = "period" if key in ("budget", "actual") else "key"
            walk(schema["additionalProperties"], f"{at}.<{placeholder}>", key)

    walk(run_schema(), "", "")
    return list(dict.fromkeys(found))


#: The fields that name a list's item in a figure's path: an item answers to any of them; the first it has is
#: the name cba writes (a cost line by its label, a party by its agency, an arm's item by its label).
FIGURE_NAMES = ("id", "outcome", "input", "name", "line", "label", "key", "agency")


def figure_path_regex() -> str:
    """One regular expression for every path of figure_path_patterns, placeholders matching any name."""
    import re

    def one(pattern: str) -> str:
        out = ""
        for part in re.split(r"(\[<[a-z_]+>\]|\.<[a-z_]+>)", pattern):
            if part.startswith("[<"):
                out += r"\[[^\]]+\]"
            elif part.startswith(".<"):
                out += r"(\.[^.\[\]]+|\[[^\]]+\])"
            else:
                out += re.escape(part)
        return out

    return "^(" + "|".join(one(p) for p in figure_path_patterns()) + ")$"


def scenario_schema() -> dict[str, Any]:
    """The scenario format's schema (from its pydantic models), a published result's figure listed: a headline's
    key or a figure's path in the run's JSON (every path pattern given in ``examples``)."""
    from cba.engine.run import FIGURE_KEYS
    from cba.model.scenario import Scenario

    document = Scenario.model_json_schema()
    figure = document["$defs"]["PublishedResult"]["properties"]["figure"]
    figure["anyOf"] = [{"enum": list(FIGURE_KEYS)}, {"pattern": figure_path_regex()}]
    figure["examples"] = list(FIGURE_KEYS) + figure_path_patterns()
    return document
