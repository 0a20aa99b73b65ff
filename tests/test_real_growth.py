"""Real price growth (issue 29, item 3): a relative price effect on a cost line in one year's prices and on an
outcome's value, over the appraisal in real terms, worked out by hand.

Price base 2022/23; deflator 2022/23 102.0, 2023/24 107.975; discounting at 3.5%.
- Care pay: committed, in 2022/23 prices, £1,000 a year, growing 1% a year in real terms: £1,000, £1,010,
  £1,020.10 at the price base.
- Children kept out of care: one a year in 2023/24 and 2024/25 at £2,000 (2022/23 prices), growing 3%: £2,060
  and £2,121.80.
"""

from __future__ import annotations

import shutil
from decimal import Decimal

import openpyxl
import pytest

from .conftest import cli, only_problem, run_json

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SCENARIO = """\
name: Growth lines
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24, 2024/25]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Care pay, kind: committed, price_basis: 2022/23, real_growth: 0.01,
     actual: {2022/23: 1000, 2023/24: 1000, 2024/25: 1000}}
outcomes:
  - id: kept
    measure: Children kept out of care
    volumes: {2023/24: 1, 2024/25: 1}
    value: {amount: 2000, unit: per child-year, price_year: 2022/23, source: Illustrative, cashable: true}
    attributable: true
    real_growth: 0.03
"""
D = Decimal("1.035")


def pounds(x: Decimal) -> str:
    return f"{x.quantize(Decimal('0.01')):.2f}"


def test_growth_by_hand(write_scenario):
    data = run_json(write_scenario(SCENARIO))
    line, benefit = data["appraisal"]["cost_lines"][0], data["appraisal"]["benefits"][0]
    assert line["real"] == ["1000.00", "1010.00", "1020.10"] and line["real_growth"] == "0.010000"
    assert benefit["values"] == ["0.00", "2060.00", "2121.80"]
    assert benefit["real_growth"] == {"rate": "0.030000", "by_year": None, "from": "2022/23",
                                      "factors": ["1.000000", "1.030000", "1.060900"]}
    npv = (Decimal(2060) - 1010) / D + (Decimal("2121.80") - Decimal("1020.10")) / D**2 - 1000
    assert data["headlines"]["npv"]["value"] == pounds(npv) == "1042.94"


def test_switching_values_count_one_unit_at_its_grown_price(write_scenario):
    """One unit falls half in each year: 0.5 x 1.03 + 0.5 x 1.0609 = 1.04545 years undiscounted, and
    0.5 x 1.03 / 1.035 + 0.5 x 1.0609 / 1.035^2 discounted."""
    switches = {s["basis"]: s for s in run_json(write_scenario(SCENARIO))["switching_values"]}
    assert switches["net_position"]["divisor"]["timing"] == "1.045450"
    timing = Decimal("0.5") * Decimal("1.03") / D + Decimal("0.5") * Decimal("1.0609") / D**2
    assert switches["npv"]["divisor"]["timing"] == f"{timing.quantize(Decimal('0.000001')):.6f}"
    pv_costs = 1000 + Decimal(1010) / D + Decimal("1020.10") / D**2
    assert switches["npv"]["units_needed"] == f"{(pv_costs / (2000 * timing)).quantize(Decimal('0.000001')):.6f}"


def test_the_financial_case_grows_the_cash_too(write_scenario):
    rows = run_json(write_scenario(SCENARIO))["financial_case"]["rows"]
    row = next(r for r in rows if r["year"] == "2023/24" and r["holder"] == "Local Authority")
    inflation = Decimal("107.975") / Decimal("102.0")
    assert row["cash_costs"] == pounds(1010 * inflation) and row["cashable_savings"] == pounds(2060 * inflation)


def test_the_sweep_agrees_with_the_exact_engine(write_scenario):
    """Consistency between the numpy sweep (whatif) and the exact engine (run --set) with growth: a year's
    volume, and the written value."""
    import json

    path = write_scenario(SCENARIO)
    for vary, setting in (("kept.volumes.2024/25=3", "kept.volumes.2024/25=3"),
                          ("scenario/kept.value=2500", "outcomes.kept.value.amount=2500")):
        swept = cli("whatif", path, "--vary", vary, "-f", "json")
        assert swept.exit_code == 0, swept.stderr
        row = json.loads(swept.stdout)["tables"]["whatif"]["rows"][0]
        assert row["npv"] == run_json(path, "--set", setting)["headlines"]["npv"]["value"]


def test_rules(write_scenario):
    outturn = SCENARIO.replace("kind: committed, price_basis: 2022/23, real_growth: 0.01", "real_growth: 0.01")
    assert "is outturn, spent at its own year's prices" in only_problem(write_scenario(outturn))
    nominal = SCENARIO + "real_terms: false\n"
    found = cli("validate", write_scenario(nominal, "n.yaml"))
    assert found.exit_code == 1 and found.stderr.count("not in real terms") == 2
    big = SCENARIO.replace("real_growth: 0.03", "real_growth: 60%")
    assert "must be between -0.5 and 0.5" in only_problem(write_scenario(big, "b.yaml"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is needed (.ci/run installs it)")
def test_the_workbook_grows_by_formula_in_libreoffice(write_scenario, tmp_path):
    """LibreOffice's recalculation gives every stored figure; the outcome's rate edited to 5% in the workbook
    gives the NPV cba run --set gives."""
    from .test_export import check_formula_results, recalculated_all

    path = write_scenario(SCENARIO)
    book = tmp_path / "growth.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Appraisal"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Real price growth factor"))
    assert ws[f"B{row}"].value == pytest.approx(0.03) and ws[f"D{row}"].value == f"=(1+$B${row})^1"
    ws[f"B{row}"].value = 0.05
    edited = tmp_path / "growth-5.xlsx"
    wb.save(edited)
    as_written, moved = recalculated_all([book, edited], tmp_path)
    assert check_formula_results(openpyxl.load_workbook(book), openpyxl.load_workbook(book, data_only=True),
                                 lambda s, c: as_written[s][c].value) > 100
    sheet, cell = wb.defined_names["npv"].attr_text.split("!")
    expected = run_json(path, "--set", "outcomes.kept.real_growth=0.05")["headlines"]["npv"]["value"]
    assert moved[sheet.strip("'")][cell.replace("$", "")].value == pytest.approx(float(expected), abs=0.01)


def test_the_sweep_grows_drawn_timings_too(tmp_path):
    """Consistency: a cohort outcome with growth, its drop-off and lag moved by whatif (the sweep's timing
    path), against run --set."""
    import json

    from .conftest import ROOT

    (tmp_path / "unit_costs").mkdir()
    (tmp_path / "unit_costs" / "edge-of-care-example.csv").write_bytes(
        (ROOT / "unit_costs" / "edge-of-care-example.csv").read_bytes())
    text = (ROOT / "scenarios" / "edge-of-care-example.yaml").read_text(encoding="utf-8")
    path = tmp_path / "g.yaml"
    path.write_text(text.replace("    attribution: 0.1\n", "    attribution: 0.1\n    real_growth: 0.02\n", 1),
                    encoding="utf-8")
    grown = next(b for b in run_json(path)["appraisal"]["benefits"] if b["outcome"] == "placements")["real_growth"]
    # eoc-placement is in 2020 prices: the first appraisal year, 2020/21, is its year; 2% a year from there
    assert grown["factors"][:3] == ["1.000000", "1.020000", "1.040400"]
    for key, value in (("placements.timing.drop_off", "0.2"), ("placements.timing.start_year", "2")):
        swept = cli("whatif", path, "--vary", f"{key}={value}", "-f", "json")
        assert swept.exit_code == 0, swept.stderr
        row = json.loads(swept.stdout)["tables"]["whatif"]["rows"][0]
        assert row["npv"] == run_json(path, "--set", f"{key}={value}")["headlines"]["npv"]["value"]


def test_rules_point_at_the_real_growth_key(write_scenario):
    """Each refusal points at the real_growth key itself (file:line:column), on any line, not only the first."""
    outturn = SCENARIO.replace(
        "cost_lines:\n", "cost_lines:\n  - {name: Team, actual: {2022/23: 10}}\n").replace(
        "kind: committed, price_basis: 2022/23, real_growth: 0.01", "real_growth: 0.01")
    lines = outturn.splitlines()
    row = next(i for i, t in enumerate(lines, 1) if "Care pay" in t)
    assert only_problem(write_scenario(outturn)).endswith(
        f":{row}:{lines[row - 1].index('real_growth') + 1}: cost line 'Care pay' is outturn, spent at its own year's "
        "prices: real growth applies to a forecast in one year's prices (give price_basis: the year its amounts "
        "are priced in)")
    nominal = SCENARIO.replace("real_growth: 0.01,", "") + "real_terms: false\n"
    lines = nominal.splitlines()
    row = next(i for i, t in enumerate(lines, 1) if "real_growth: 0.03" in t)
    assert f":{row}:5: outcome 'kept' gives real_growth, but the scenario is not in real terms" in only_problem(
        write_scenario(nominal, "n.yaml"))
    line_only = SCENARIO.replace("    real_growth: 0.03\n", "") + "real_terms: false\n"
    lines = line_only.splitlines()
    row = next(i for i, t in enumerate(lines, 1) if "Care pay" in t)
    assert f":{row}:{lines[row - 1].index('real_growth') + 1}: cost line 'Care pay' gives real_growth" in only_problem(
        write_scenario(line_only, "l.yaml"))


def test_growth_runs_from_the_price_year_by_whole_financial_years(write_scenario):
    """Quarters: a line in 2022/23 prices growing 10% is 1 in 2022/23 Q4 and 1.1 in every quarter of 2023/24."""
    text = """\
name: Quarterly growth
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23 Q4, 2023/24 Q1, 2023/24 Q2, 2023/24 Q3]
net_position_basis: actual
cost_lines:
  - {name: Pay, kind: committed, price_basis: 2022/23, real_growth: 0.1,
     actual: {2022/23 Q4: 100, 2023/24 Q1: 100, 2023/24 Q2: 100, 2023/24 Q3: 100}}
"""
    line = run_json(write_scenario(text), "--green-book")["appraisal"]["cost_lines"][0]
    assert line["real"][:4] == ["100.00", "110.00", "110.00", "110.00"]
    # an outcome priced in 2022/23 growing 10%, one a quarter: the sweep counts the quarters as the engine does
    import json

    text += """outcomes:
  - id: kept
    measure: Kept out of care
    volumes: {2022/23 Q4: 1, 2023/24 Q1: 1, 2023/24 Q2: 1, 2023/24 Q3: 1}
    value: {amount: 100, price_year: 2022/23, source: Illustrative}
    attributable: true
    real_growth: 0.1
"""
    path = write_scenario(text, "q.yaml")
    benefit = run_json(path, "--green-book")["appraisal"]["benefits"][0]
    assert benefit["values"][:4] == ["100.00", "110.00", "110.00", "110.00"]
    swept = cli("whatif", path, "--green-book", "--vary", "kept.volumes.2023/24 Q3=2", "-f", "json")
    assert swept.exit_code == 0, swept.stderr
    exact = run_json(path, "--green-book", "--set", "kept.volumes.2023/24 Q3=2")["headlines"]["npv"]["value"]
    assert json.loads(swept.stdout)["tables"]["whatif"]["rows"][0]["npv"] == exact


def test_twelve_years_on_is_twelve_years_of_growth(write_scenario):
    periods = ", ".join(f"{y}/{(y + 1) % 100:02d}" for y in range(2022, 2035))
    text = f"""\
name: Long
organisation: Anytown Council
price_base: 2022/23
periods: [{periods}]
net_position_basis: actual
cost_lines:
  - {{name: Pay, kind: committed, price_basis: 2022/23, real_growth: 0.01, actual: {{2034/35: 1000}}}}
"""
    text += """outcomes:
  - id: kept
    measure: Kept out of care
    volumes: {2034/35: 1}
    value: {amount: 1000, price_year: 2022/23, source: Illustrative}
    attributable: true
    real_growth: 0.01
"""
    data = run_json(write_scenario(text), "--green-book")["appraisal"]
    assert data["cost_lines"][0]["real"][12] == pounds(1000 * Decimal("1.01") ** 12) == "1126.83"
    assert data["benefits"][0]["values"][12] == "1126.83"  # the value grows by the same twelve years
