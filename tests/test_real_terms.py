"""Real terms, and optimism bias by line and category: every expected figure worked by hand below.

Green Book (2022) 5.11: an appraisal is in real base-year prices. Outturn spend is cash in its own
year's prices; a line can instead state the one year whose prices it is in. Both are brought to the
price base with the same GDP deflator as the unit costs, so moving the price base rescales every
amount by one factor and leaves every ratio where it was.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from .conftest import cli
from .test_green_book import DEFLATOR, EXAMPLE, pennies

# Financial-year GDP deflator (2022 = 100) by hand from the ONS YBGB quarters April-March:
# 2023/24 = (106.8 + 107.8 + 108.0 + 109.3) / 4 = 107.975
FY = DEFLATOR | {"2023/24": D("107.975")}


def run_json(path, *extra: str) -> dict:
    result = cli("run", path, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["appraisal"]


@pytest.mark.parametrize("other", ["2020/21", "2023/24"])
def test_bcr_and_npv_do_not_move_with_the_price_base_alone(other):
    base = run_json(EXAMPLE)
    moved = run_json(EXAMPLE, "--set", f"price_base={other}")
    assert moved["price_base"] == other
    # Every cost and every benefit is rescaled by the same factor, deflator(other) / deflator(2022/23) ...
    scale = FY[other] / FY["2022/23"]
    for key in ("pv_costs", "net_present_public_value", "net_present_budget_impact"):
        assert abs(D(moved[key]) - D(base[key]) * scale) <= D("0.01"), key
    # ... so the ratios do not move at all (to the six places JSON gives them).
    for key in ("benefit_cost_ratio", "financial_roi", "payback_years"):
        assert moved[key] == base[key], key


def test_the_invariance_holds_exactly_inside_the_engine():
    # The figures above are rounded; the engine's own are not: the same check on exact Decimals.
    from cba.engine.appraisal import appraise
    from cba.io.load import load

    def timeline(base: str):
        loaded = load(EXAMPLE, None, sets=[f"price_base={base}"])
        used = loaded.costs.entries_for(sorted({o.unit_cost for o in loaded.scenario.outcomes if o.unit_cost}))
        return appraise(loaded.scenario, used, reference=loaded.reference).timeline

    a, b = timeline("2022/23"), timeline("2020/21")
    assert abs(a.benefit_cost_ratio / b.benefit_cost_ratio - 1) < D("1e-20")
    assert abs(b.net_present_public_value / a.net_present_public_value - FY["2020/21"] / FY["2022/23"]) < D("1e-20")


SCENARIO = """\
name: Real terms check
organisation: Anytown Council
price_base: 2022/23
periods: [2020/21, 2021/22, 2022/23]
unit_costs: edge-of-care-example
net_position_basis: {basis}
appraisal:
  discounting: none
  uprate: {uprate}
  cost_optimism_bias: {{percent: 10}}
  category_optimism_bias:
    Staff: {{grade: 4}}
funding:
  - {{name: Grant, amount: 1}}
cost_lines:
  - name: Team
    category: Staff
    budget: {{2020/21: 100000, 2021/22: 100000}}
    actual: {{2020/21: 100000, 2021/22: 100000}}
  - name: Licence
    price_basis: 2019/20
    budget: {{2020/21: 10000, 2021/22: 10000}}
    actual: {{2020/21: 10000, 2021/22: 10000}}
  - name: Venue
    optimism_bias: {{percent: 50}}
    category: Staff
    budget: {{2022/23: 2000}}
    actual: {{2022/23: 2000}}
outcomes:
  - id: placements
    measure: Placements avoided
    volumes: {{2022/23: 1}}
    unit_cost: eoc-placement
    attributable: true
"""


def test_each_line_has_its_price_basis_and_its_optimism_bias(write_scenario):
    a = run_json(write_scenario(SCENARIO.format(basis="budget", uprate="true")))
    lines = {line["line"]: line for line in a["cost_lines"]}
    # Team: outturn, so 2020/21 money x 102.0 / 95.825 and 2021/22 money x 102.0 / 95.25; a budget is a
    # forecast, and its category Staff is grade 4 = 15% (the bundled grade table).
    team = [D(100000) * D("102.0") / D("95.825"), D(100000) * D("102.0") / D("95.25"), D(0)]
    assert [pennies(x) for x in lines["Team"]["real"]] == [pennies(x) for x in team]
    assert lines["Team"]["optimism_bias_applied"] == "0.150000"
    assert lines["Team"]["optimism_bias_basis"] == "grade 4, category Staff"
    # Licence: in 2019/20 prices in both years, so one factor, 102.0 / 90.95; the appraisal's +10% applies.
    assert lines["Licence"]["price_basis"] == "2019/20"
    assert lines["Licence"]["real_terms_factors"][:2] == [str(round(D("102.0") / D("90.95"), 6))] * 2
    licence = D(10000) * D("102.0") / D("90.95")
    # Venue: its own +50% comes before its category's grade; 2022/23 is the price base, factor 1.
    assert lines["Venue"]["optimism_bias_applied"] == "0.500000"
    expected = [team[0] * D("1.15") + licence * D("1.10"), team[1] * D("1.15") + licence * D("1.10"), D(3000)]
    assert [pennies(x) for x in a["costs_after_optimism_bias"]] == [pennies(x) for x in expected]
    assert pennies(a["pv_costs"]) == pennies(sum(expected, D(0)))  # discounting: none


def test_without_uprating_nothing_is_converted_and_the_output_says_so(write_scenario):
    path = write_scenario(SCENARIO.format(basis="budget", uprate="false"))
    a = run_json(path)
    assert a["real_terms"] is False
    assert a["costs_real"] == a["costs"] == ["110000.00", "110000.00", "2000.00"]
    out = cli("run", path).stdout
    assert "Not in real terms (uprate is off)" in out and "as written, each in its own prices" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        # outturn actual spend carries its own optimism bias: refused at that line
        ("net_position_basis: {basis}", "net_position_basis: actual",
         ":25:20: optimism bias corrects forecasts, but cost line 'Venue' is outturn"),
        ("    Staff: {{grade: 4}}", "    Staf: {{grade: 4}}", ":12:5: no cost line has category 'Staf' (did you mean 'Staff'?)"),
        ("    Staff: {{grade: 4}}", "    Staff: {{grade: 4, percent: 3}}", "give either grade or percent"),
        ("    price_basis: 2019/20", "    price_basis: 1970/71", "no deflator value for 1970/71"),
    ],
)
def test_bad_line_settings_are_errors_at_their_place(write_scenario, old, new, message):
    text = SCENARIO.replace(old, new).format(basis="budget", uprate="true")
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_the_workbook_traces_each_line_to_the_price_base(tmp_path, write_scenario):
    import openpyxl

    path = write_scenario(SCENARIO.format(basis="budget", uprate="true"))
    out = tmp_path / "r.xlsx"
    assert cli("export", path, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)["Appraisal"]
    labels = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    base = labels["GDP deflator at the price base (Assumptions' price_base, from the Deflators sheet)"][1]
    assert base.value.startswith("=SUMIF('Deflators'!") and '"="&price_base' in base.value  # looked up
    stated = labels["GDP deflator for figures stated in the prices of (column C)"]
    assert stated[2].value == "2019/20" and stated[1].value.endswith("\"=\"&C%d,'Deflators'!$B$2:$B$71)" % stated[1].row)
    licence = labels["Licence (2019/20 prices)"][2]
    assert licence.data_type == "f" and licence.value.endswith(f"/$B${stated[1].row}")
    values = openpyxl.load_workbook(out, data_only=True)["Appraisal"]
    assert values[base.coordinate].value == 102  # the series' 2022/23 index, as stored
    assert values[stated[1].coordinate].value == pytest.approx(90.95)  # the line's one price year, its index once
    a = run_json(path)
    stored = [values.cell(10, c).value for c in range(3, 6)]
    assert [pennies(str(v)) for v in stored] == [D(x) for x in a["costs_after_optimism_bias"]]


def test_thousands_of_lines_in_real_terms_export_with_plain_sums(tmp_path, write_scenario):
    # 3,000 lines: each year's real cost is a SUM over one contiguous range (no formula past Excel's 8,192
    # characters), and the stored results are the engine's own figures (row 10: costs after optimism bias).
    import openpyxl

    from .test_export import _many_lines_scenario

    text = _many_lines_scenario(3000, 3).replace(
        "net_position_basis: actual\n",
        "net_position_basis: actual\nappraisal: {discounting: green_book, uprate: true, cost_optimism_bias: {grade: 3}}\n")
    path = write_scenario(text)
    out = tmp_path / "many.xlsx"
    done = cli("export", path, "-o", out)
    assert done.exit_code == 0, done.stderr
    a = run_json(path)
    sheet = openpyxl.load_workbook(out)["Appraisal"]
    assert all(len(str(c.value)) < 8192 for row in sheet.iter_rows() for c in row if c.data_type == "f")
    assert sheet["C10"].value.startswith("=SUM(C")
    values = openpyxl.load_workbook(out, data_only=True)["Appraisal"]
    assert [pennies(str(values.cell(10, c).value)) for c in range(3, 6)] == [D(x) for x in a["costs_after_optimism_bias"]]
    # committed lines (every fourth) are forecasts: +10% on them alone, in 2012/13 prices
    committed = [line for line in a["cost_lines"] if line["forecast"]]
    assert len(committed) == 750 and all(line["optimism_bias_applied"] == "0.100000" for line in committed)
