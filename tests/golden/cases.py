"""The commands whose output must not change while the code behind them is reorganised.

Each case is a name and the arguments given to the installed ``cba`` script, run from the
repository root with a fixed terminal width. ``record.py`` writes what they print (stdout,
stderr, exit code; the HTML page and a cell-by-cell dump of each workbook) to ``outputs/``;
``tests/test_golden.py`` runs them again and asks for the same bytes. Re-record only for a
change that is meant to alter output, and say so in the commit.
"""

from __future__ import annotations

SCENARIOS = ["care-proceedings-example", "court-arms-example", "dorset-rsw-uncertain", "dorset-rsw",
             "edge-of-care-example", "family-support-example", "impact-bond-example",
             "quarterly-follow-up-example"]


def cases() -> list[tuple[str, list[str]]]:
    found: list[tuple[str, list[str]]] = []
    for name in SCENARIOS:
        s = f"scenarios/{name}.yaml"
        found += [
            (f"{name}.run", ["run", s]),
            (f"{name}.run-detail", ["run", s, "--detail"]),
            (f"{name}.run-json", ["run", s, "-f", "json"]),
            (f"{name}.run-csv", ["run", s, "-f", "csv"]),
            (f"{name}.run-green-book", ["run", s, "--green-book"]),
            (f"{name}.run-green-book-json", ["run", s, "--green-book", "-f", "json"]),
            (f"{name}.run-budget", ["run", s, "--basis", "budget", "-f", "json"]),
            (f"{name}.breakeven", ["breakeven", s, "--green-book"]),
            (f"{name}.breakeven-json", ["breakeven", s, "-f", "json"]),
            (f"{name}.validate", ["validate", s]),
            (f"{name}.export", ["export", s, "--green-book", "-o", "{out}/book.xlsx"]),
            (f"{name}.report", ["report", s, "-o", "{out}/page.html", "-n", "200", "--seed", "3"]),
        ]
    d = "scenarios/dorset-rsw.yaml"
    u = "scenarios/dorset-rsw-uncertain.yaml"
    found += [
        ("dorset.attributable", ["run", d, "-a", "lac", "--green-book"]),
        ("dorset.attributable-csv", ["run", d, "-a", "lac", "-f", "csv"]),
        ("dorset.set", ["run", d, "-a", "lac", "--set", "outcomes.lac.deadweight=0.2", "--set",
                        "appraisal.discount_rate=0.05", "-f", "json"]),
        ("dorset.whatif", ["whatif", d, "--vary", "lac=-10,-30,-60"]),
        ("dorset.whatif-json", ["whatif", d, "-a", "lac", "--vary", "lac=-10,-30,-60", "-f", "json"]),
        ("dorset.whatif-grid", ["whatif", d, "-a", "lac", "--green-book", "--vary", "lac=-60:0:20",
                                "--vary", "lac.deadweight=0,0.2", "-f", "csv"]),
        ("dorset.whatif-cost", ["whatif", d, "-a", "lac", "--basis", "actual", "--vary", "costs.0=0,-10%,-50%"]),
        ("dorset.whatif-xlsx", ["whatif", d, "-a", "lac", "--vary", "lac=-10,-30", "--xlsx", "{out}/book.xlsx"]),
        ("dorset.breakeven-a", ["breakeven", d, "-a", "lac", "-f", "json"]),
        ("uncertain.simulate", ["simulate", u, "-n", "500", "--seed", "7"]),
        ("uncertain.simulate-json", ["simulate", u, "-n", "500", "--seed", "7", "-f", "json"]),
        ("uncertain.simulate-csv", ["simulate", u, "-n", "300", "--seed", "1", "-f", "csv"]),
        ("uncertain.simulate-xlsx", ["simulate", u, "-n", "300", "--seed", "1", "--xlsx", "{out}/book.xlsx"]),
        ("compare", ["compare", d, "scenarios/edge-of-care-example.yaml", "scenarios/family-support-example.yaml"]),
        ("compare-json", ["compare", d, "scenarios/edge-of-care-example.yaml", "-f", "json"]),
        ("portfolio", ["portfolio", "scenarios/"]),
        ("portfolio-json", ["portfolio", "scenarios/", "--sort", "npv", "-f", "json"]),
        ("portfolio-csv", ["portfolio", "scenarios/", "--where", "npv>0", "-f", "csv"]),
        ("costs.list", ["costs"]),
        ("costs.list-json", ["costs", "-f", "json"]),
        ("costs.tables", ["costs", "--list-tables"]),
        ("costs.search", ["costs", "search", "looked after"]),
        ("costs.search-json", ["costs", "search", "foster", "-f", "json"]),
        ("costs.show", ["costs", "show", "SS1.0"]),
        ("costs.show-json", ["costs", "show", "SS2.0", "--price-base", "2024/25", "-f", "json"]),
        ("schema", ["schema"]),
        ("validate-all", ["validate", *[f"scenarios/{n}.yaml" for n in SCENARIOS]]),
    ]
    return found


#: Scenarios that break a rule, written as (name, YAML text); each is run with ``validate`` and ``run``.
BAD = {
    "periods": """name: x
organisation: o
price_base: 2019/20
periods: [2019/20, 2018/19, 2019/20, 2020-05]
cost_lines:
  - {name: A, kind: direct, budget: {2019/20: 10, 2021/22: 4}, actual: {2019/20: 5}}
  - {name: A, kind: direct, budget: {2019/20: 10}}
funding: [{name: g, amount: 10}]
""",
    "outcomes": """name: x
organisation: o
price_base: 2019/20
periods: [2019/20, 2020/21]
net_position_basis: funding
cost_lines:
  - {name: A, kind: direct, budget: {2019/20: 10}, actual: {2019/20: 5}, agency: Nobody}
outcomes:
  - {id: lac, measure: m, unit_cost: SS1.0, baseline: 10}
  - {id: lac, measure: m, unit_cost: SS1.9x, baseline: 10, follow_up: 8, cohort: {size: 3, engagement: 0.5, success: 0.5}}
  - {id: cin, measure: m, unit_cost: SS2.0, baseline: 10, follow_up: 8}
  - {id: v, measure: m, volumes: {2018/19: 3, 2019-05: 2}, unit_cost: SS1.0, timing: {duration: 2}}
transfers:
  - {name: t, from: council, to: council, amounts: {2030/31: 5}}
published_results:
  - {label: l, figure: npvv, value: 3, at_most: 4}
uncertainty:
  outcomes:
    nope: {change: {distribution: uniform, low: 1, high: 0}}
    lac: {deadweight: {distribution: triangular, low: 0, mode: 2, high: 1}}
  unit_costs:
    SS7.0: {distribution: normal, mean: 1}
  cost_lines:
    B: {change: {distribution: uniform, low: -0.1, high: 0.1}}
""",
    "settings": """name: x
organisation: o
price_base: 2019/20
periods: [2019/20, 2020/21]
net_position_basis: actual
cost_lines:
  - {id: a, name: A, kind: direct, budget: {2019/20: 10}, actual: {2019/20: 5}, optimism_bias: {percent: 0.2}}
  - {id: a, name: B, kind: direct, budget: {2019/20: 10}, actual: {2019/20: 5}, category: staff}
outcomes:
  - {id: lac, measure: m, unit_cost: SS1.0, baseline: 10, follow_up: 8, optimism_bias: {grade: 1, percent: 0.1}}
appraisal:
  horizon_years: 1
  cost_optimism_bias: {percent: 0.1}
  category_optimism_bias: {staf: {percent: 0.1}, staff: {percent: 0.2}}
""",
    "shapes": """name: x
organisation: o
price_base: 2019/20
periods: [2019/20, 2020/21]
cost_lines:
  - {name: A, kind: direct, units: {budget: {2019/20: -2}}, actual: {2019/20: 5}}
  - {name: B, kind: direct, quantified: false, budget: {2019/20: 10}}
  - {name: C, kind: direct, arms: {programme: 5, comparison: 3}}
outcomes:
  - {id: lac, measure: m, unit_cost: SS1.0, value: {amount: 5, unit: u, price_year: 2019/20, source: s}, baseline: 10, follow_up: 8, cashable: {share: 1}}
  - {id: w, measure: m, values: [{unit_cost: SS1.0, share: 0}, {label: z}], baseline: 10, follow_up: 8, timing: {duration: 2, spread: {years: 3, profile: [0.5, 0.2]}}}
  - {id: r, measure: m, unit_cost: SS5.0, baseline: 10, follow_up: 8}
claimed:
  - {label: c, amount: 5, per: total, period: 2019/20}
""",
    "prices": """name: x
organisation: o
price_base: 2005/06
periods: [1960/61, 1961/62]
net_position_basis: actual
cost_lines:
  - {name: A, kind: direct, budget: {1960/61: 10}, actual: {1960/61: 5}}
outcomes:
  - {id: lac, measure: m, unit_cost: SS1.0, baseline: 10, follow_up: 8, optimism_bias: {grade: 6}}
""",
    "values": """name: x
organisation: o
price_base: 2019/20
periods: [2019/20]
net_position_basis: actual
cost_lines:
  - {name: A, kind: direct, budget: {2019/20: 10}, actual: {2019/20: 5}}
outcomes:
  - {id: m, measure: m, baseline: 10, follow_up: 8, cashable: {share: 1}, timing: {spread: {years: 2, profile: [0.5, 0.6]}},
     value: {amount: 5, price_year: 2019/20, source: s, value_type: social}}
""",
}
