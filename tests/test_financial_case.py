"""The financial case (issue 29, item 2): the public budget holders' cash by year, the budget envelope, and the
reconciliation to the economic case, worked out by hand on a two-year scenario.

Deflator (unit_costs/gdp-deflator-financial-year-2022eq100.csv): 2022/23 102.0, 2023/24 107.975, 2024/25
112.375; price base 2022/23; discounting at 3.5% (DF_1 = 1/1.035).

- Team: outturn, £100,000 spent in 2022/23 (Local Authority): cash £100,000 as spent; real £100,000.
- Committed: a forecast in 2022/23 prices, £60,000 in 2023/24 (NHS), optimism bias 10%: cash
  60,000 x 107.975 / 102 = £63,514.705882...; real £60,000, uplifted £66,000.
- Children kept out of care: 2 in 2023/24 at £50,000 (2022/23 prices), half cashable from year 1, optimism bias
  20%: the cashable part before optimism bias is £50,000 real, 50,000 x 107.975 / 102 = £52,928.921568... cash;
  the benefit counted is 2 x 50,000 x 0.8 = £80,000.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal

import openpyxl
import pytest

from .conftest import cli, only_problem, run_json

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

SCENARIO = """\
name: Cash test
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2022/23: 100000}}
  - {name: Committed, kind: committed, price_basis: 2022/23, agency: NHS, actual: {2023/24: 60000},
     optimism_bias: {percent: 10}}
outcomes:
  - id: lac
    measure: Children kept out of care
    volumes: {2023/24: 2}
    value: {amount: 50000, unit: per child-year, price_year: 2022/23, source: Illustrative}
    attributable: true
    cashable: {share: 0.5, from_year: 1}
    optimism_bias: {percent: 20}
budget_envelope: {amounts: {2022/23: 90000, 2023/24: 10000}, source: Medium-term financial plan}
"""

D22, D23 = Decimal("102.0"), Decimal("107.975")


def pounds(x: Decimal) -> str:
    return f"{x.quantize(Decimal('0.01')):.2f}"


def by(rows, year, holder):
    return next(r for r in rows if r["year"] == year and r["holder"] == holder)


def test_cash_by_year_and_holder_by_hand(write_scenario):
    fc = run_json(write_scenario(SCENARIO))["financial_case"]
    committed = Decimal(60000) * D23 / D22
    saving = Decimal(50000) * D23 / D22
    assert fc["lead_holder"] == "Local Authority"
    assert [y["inflation"] for y in fc["years"]] == ["1.000000", "1.058578"]  # 107.975 / 102
    rows = fc["rows"]
    assert by(rows, "2022/23", "Local Authority")["cash_costs"] == "100000.00"
    assert by(rows, "2023/24", "NHS")["cash_costs"] == pounds(committed) == "63514.71"
    assert by(rows, "2023/24", "Local Authority")["cashable_savings"] == pounds(saving) == "52928.92"
    assert by(rows, "2023/24", "Local Authority")["cumulative_net_cash"] == pounds(saving - 100000) == "-47071.08"
    whole = by(rows, "2023/24", "All public budget holders")
    assert whole["net_cash"] == pounds(saving - committed) == "-10585.78"
    assert whole["cumulative_net_cash"] == pounds(saving - committed - 100000) == "-110585.78"


def test_the_envelope_by_hand(write_scenario):
    envelope = run_json(write_scenario(SCENARIO))["financial_case"]["budget_envelope"]
    assert envelope["holder"] == "Local Authority" and envelope["source"] == "Medium-term financial plan"
    assert [(r["year"], r["envelope"], r["cash_costs"], r["headroom"], r["cumulative_headroom"]) for r in envelope["rows"]] == [
        ("2022/23", "90000.00", "100000.00", "-10000.00", "-10000.00"),
        ("2023/24", "10000.00", "0.00", "10000.00", "0.00"),
    ]


def test_the_reconciliation_ties_cash_to_the_economic_case_by_hand(write_scenario):
    data = run_json(write_scenario(SCENARIO))
    steps = {s["step"]: s["amount"] for s in data["financial_case"]["reconciliation"]}
    cash = Decimal(50000) * D23 / D22 - Decimal(60000) * D23 / D22 - 100000
    npv = Decimal(-100000) + Decimal(14000) / Decimal("1.035")  # 80,000 - 66,000 in year 1, -100,000 in year 0
    assert steps == {
        "net_cash": pounds(cash),  # -110,585.78
        "inflation": pounds(Decimal(-110000) - cash),  # back to 2022/23 prices: +585.78
        "cost_optimism_bias": "-6000.00",
        "benefit_optimism_bias": "-10000.00",  # 20% of the £50,000 cashable
        "non_cashable": "40000.00",  # the other half of the £80,000 counted
        "economic_and_social": "0.00",
        "borne_outside": "0.00",
        "transfers_out": "0.00",
        "net_public_value": "-86000.00",  # 80,000 - 100,000 - 66,000
        "discounting": pounds(npv + 86000),
        "npv": pounds(npv),  # -86,473.43
    }
    assert data["headlines"]["npv"]["value"] == steps["npv"]


def test_years_past_the_deflator_series_are_not_known_unless_a_forecast_is_given(write_scenario):
    text = """\
name: Past the series
organisation: Anytown Council
price_base: 2024/25
periods: [2024/25, 2025/26]
net_position_basis: actual
cost_lines:
  - {name: Plan, kind: committed, price_basis: 2024/25, actual: {2024/25: 1000, 2025/26: 1000}}
"""
    fc = run_json(write_scenario(text), "--green-book")["financial_case"]  # appraised: the business case's faces
    later = by(fc["rows"], "2025/26", "Local Authority")
    assert later["cash_costs"] is None and later["cumulative_net_cash"] is None
    assert any("Not known in cash: 2025/26, past the deflator series (its last year is 2024/25)" in n for n in fc["notes"])
    shown = " ".join(cli("run", write_scenario(text, "t.yaml"), "--detail", "--green-book").stdout.split())
    assert "│ 2025/26 │ Local Authority (lead) │ not known │" in shown
    forecast = text + "deflator_forecast: {growth: 0.02, source: OBR EFO (assumed)}\n"
    fc = run_json(write_scenario(forecast, "f.yaml"), "--green-book")["financial_case"]
    # 112.375 x 1.02 / 112.375: each pound of 2024/25 prices is £1.02 in 2025/26
    assert by(fc["rows"], "2025/26", "Local Authority")["cash_costs"] == "1020.00"
    assert fc["years"][1] == {"year": "2025/26", "deflator_index": "114.6225", "inflation": "1.020000", "forecast": True}
    assert any("OBR EFO (assumed)" in n for n in fc["notes"])


def test_the_faces_carry_the_same_figures(write_scenario, tmp_path):
    """Consistency between faces: CSV and the terminal give what JSON gives."""
    path = write_scenario(SCENARIO)
    rows = list(csv.reader(io.StringIO(cli("run", path, "--format", "csv").stdout)))
    assert ["financial_case", "NHS", "money", "cash_costs", "2023/24", "63514.71"] in rows
    assert ["budget_envelope", "Local Authority", "money", "headroom", "2022/23", "-10000.00"] in rows
    assert ["financial_case_reconciliation", "npv", "money", "amount", "", "-86473.43"] in rows
    shown = " ".join(cli("run", path, "--detail").stdout.split())
    assert "Financial case: cash by year" in shown and "-£110,585.78" in shown and "-£86,473.43" in shown
    page = tmp_path / "r.html"
    assert cli("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert 'id="financial-case"' in html and "-£110,585.78" in html and "Medium-term financial plan" in html


def test_envelope_rules(write_scenario):
    text = SCENARIO.replace("2022/23: 90000", "2022/23 Q1: 90000")
    assert "is a quarter" in only_problem(write_scenario(text))
    outside = SCENARIO.replace("budget_envelope: {", "parties: [Investors]\nbudget_envelope: {holder: Investors, ")
    assert "is a party outside the public sector" in only_problem(write_scenario(outside, "o.yaml"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is needed (.ci/run installs it)")
def test_the_workbook_sheet_is_live_in_libreoffice(write_scenario, tmp_path):
    """Every formula of the Financial case sheet, recalculated by LibreOffice, gives cba's stored figure; an
    envelope edited in the workbook moves the headroom as cba run --set does."""
    from .test_export import check_formula_results, recalculated_all

    path = write_scenario(SCENARIO)
    book = tmp_path / "cash.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Financial case"]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "2022/23" and ws.cell(r, 2).data_type == "n")
    ws.cell(row, 2).value = 120000
    edited = tmp_path / "cash-edited.xlsx"
    wb.save(edited)
    as_written, moved = recalculated_all([book, edited], tmp_path)
    stored = openpyxl.load_workbook(book, data_only=True)
    formulas = openpyxl.load_workbook(book)
    assert check_formula_results(formulas, stored, lambda sheet, cell: as_written[sheet][cell].value) > 100
    expected = run_json(path, "--set", "budget_envelope.amounts.2022/23=120000")["financial_case"]["budget_envelope"]
    assert moved["Financial case"].cell(row, 4).value == pytest.approx(float(expected["rows"][0]["headroom"]))
    assert expected["rows"][0]["headroom"] == "20000.00"
    checks = [r for r in as_written["Financial case"].iter_rows() if str(r[0].value).startswith("The steps add up")]
    assert checks and checks[0][1].value is True


def test_rules_point_at_the_place(write_scenario):
    """Each rule's line names the key or value it is about (file:line:column)."""
    text = SCENARIO.replace("2022/23: 90000", "2022/23 Q1: 90000")
    path = write_scenario(text)
    line = only_problem(path)
    row = text.splitlines().index(next(t for t in text.splitlines() if t.startswith("budget_envelope"))) + 1
    column = text.splitlines()[row - 1].index("2022/23 Q1") + 1
    assert line.startswith(f"{path}:{row}:{column}: period 2022/23 Q1 is a quarter")
    outside = SCENARIO.replace("budget_envelope: {", "parties: [Investors]\nbudget_envelope: {holder: Investors, ")
    line = only_problem(write_scenario(outside, "o.yaml"))
    row = outside.splitlines().index(next(t for t in outside.splitlines() if t.startswith("budget_envelope"))) + 1
    assert f":{row}:{outside.splitlines()[row - 1].index('Investors') + 1}: 'Investors' is a party outside" in line
    nominal = SCENARIO + "real_terms: false\ndeflator_forecast: {growth: 0.02, source: OBR}\n"
    line = only_problem(write_scenario(nominal, "n.yaml"))
    assert f":{len(nominal.splitlines())}:1: a deflator forecast inflates real-terms figures to cash" in line


WIDER = """\
name: Cash test two
organisation: Anytown Council
price_base: 2023/24
periods: [2023/24, 2024/25, 2025/26, 2026/27]
net_position_basis: actual
parties: [Investors, Provider]
cost_lines:
  - {name: Team A, actual: {2023/24: 1000}}
  - {name: Team B, actual: {2023/24: 500}}
  - {name: Plan, kind: committed, price_basis: 2023/24, actual: {2024/25: 2000, 2026/27: 1000}}
  - {name: Plan B, kind: committed, price_basis: 2023/24, actual: {2024/25: 1000}}
  - {name: Provider time, agency: Provider, actual: {2023/24: 300}}
outcomes:
  - id: sav
    measure: Saving
    volumes: {2024/25: 2}
    value: {amount: 4000, price_year: 2023/24, agency: NHS, cashable: true, source: Test}
    deadweight: 0.5
    attributable: true
  - id: econ
    measure: Earnings
    volumes: {2024/25: 1}
    value: {amount: 700, price_year: 2023/24, value_type: economic, source: Test}
    attributable: true
transfers:
  - {name: Payment, from: Local Authority, to: Investors, amounts: {2024/25: 600}}
  - {name: Grant, from: NHS, to: Local Authority, amounts: {2023/24: 100}}
budget_envelope: {amounts: {2023/24: 2000, 2025/26: 10, 2027/28: 5}}
deflator_forecast: {growth: 0.03, source: Test rate}
"""


def test_several_lines_holders_transfers_and_a_forecast_by_hand(write_scenario):
    """Two lines of one holder in a year add; a grant between public holders moves cash between them and
    cancels in all together; a payment to investors is cash out; the provider's cost is no budget's; the
    deflator two years past the series is 112.375 x 1.03^2."""
    fc = run_json(write_scenario(WIDER))["financial_case"]
    k1 = Decimal("112.375") / Decimal("107.975")
    k3 = Decimal("112.375") * Decimal("1.03") ** 2 / Decimal("107.975")
    rows = fc["rows"]
    la = {y: by(rows, y, "Local Authority") for y in ("2023/24", "2024/25", "2026/27")}
    assert (la["2023/24"]["cash_costs"], la["2023/24"]["transfers"], la["2023/24"]["net_cash"]) == ("1500.00", "100.00", "-1400.00")
    assert la["2024/25"]["cash_costs"] == pounds(3000 * k1) and la["2024/25"]["transfers"] == "-600.00"
    assert la["2024/25"]["net_cash"] == pounds(-600 - 3000 * k1)
    assert la["2026/27"]["cash_costs"] == pounds(1000 * k3)
    nhs = {y: by(rows, y, "NHS") for y in ("2023/24", "2024/25")}
    assert nhs["2023/24"]["transfers"] == "-100.00" and nhs["2024/25"]["cashable_savings"] == pounds(4000 * k1)
    assert by(rows, "2023/24", "All public budget holders")["transfers"] == "0.00"
    assert {r["holder"] for r in rows} == {"Local Authority", "NHS", "All public budget holders"}
    assert [(y["deflator_index"], y["forecast"]) for y in fc["years"]] == [
        ("107.975", False), ("112.375", False), ("115.74625", True), ("119.218638", True)]
    totals = {r["holder"]: r for r in fc["totals"]}
    cash = 4000 * k1 - 600 - 1500 - 3000 * k1 - 1000 * k3
    assert totals["All public budget holders"]["net_cash"] == pounds(cash)
    assert totals["Local Authority"]["cumulative_net_cash"] == by(rows, "2026/27", "Local Authority")["cumulative_net_cash"]
    steps = {s["step"]: s["amount"] for s in fc["reconciliation"]}
    assert steps == {
        "net_cash": pounds(cash),
        "inflation": pounds(Decimal(4000 - 5500 - 600) - cash),
        "cost_optimism_bias": "0.00",
        "benefit_optimism_bias": "0.00",
        "non_cashable": "0.00",
        "economic_and_social": "700.00",
        "borne_outside": "-300.00",
        "transfers_out": "600.00",
        "net_public_value": "-1100.00",  # 4,000 + 700 - 5,500 - 300
    }
    envelope = [(r["year"], r["cash_costs"], r["headroom"], r["cumulative_headroom"]) for r in fc["budget_envelope"]["rows"]]
    assert envelope == [("2023/24", "1500.00", "500.00", "500.00"), ("2025/26", "0.00", "10.00", "510.00"),
                        ("2027/28", None, None, None)]
    notes = " ".join(fc["notes"])
    assert "From 2025/26 the deflator is a forecast: grown 3% a year from the series' last year" in notes
    assert "source: Test rate" in notes and "Envelope periods outside the appraisal: 2027/28" in notes
    assert "Transfers are as written" in notes
    assert "Not known in cash" not in notes and "Not in real terms" not in notes and "Cashable savings not known" not in notes


def test_what_is_not_known_is_said(write_scenario):
    """Not in real terms: outturn is cash, a line at stated prices and the savings are not known; no
    cashability stated: savings not known; no cost quantified: no cost, nor any step counting one."""
    nominal = WIDER.replace("deflator_forecast: {growth: 0.03, source: Test rate}\n", "real_terms: false\n")
    fc = run_json(write_scenario(nominal))["financial_case"]
    la = by(fc["rows"], "2024/25", "Local Authority")
    assert by(fc["rows"], "2023/24", "Local Authority")["cash_costs"] == "1500.00"
    assert la["cash_costs"] is None and by(fc["rows"], "2024/25", "NHS")["cashable_savings"] is None
    assert any(n.startswith("Not in real terms: the savings are at the unit costs' own price years") for n in fc["notes"])
    assert not any(n.startswith("Not known in cash") for n in fc["notes"])
    unstated = WIDER.replace("agency: NHS, cashable: true, source: Test", "agency: NHS, source: Test")
    fc = run_json(write_scenario(unstated, "u.yaml"))["financial_case"]
    assert by(fc["rows"], "2024/25", "NHS")["cashable_savings"] is None
    assert by(fc["rows"], "2023/24", "NHS")["cashable_savings"] == "0.00"
    steps = {s["step"]: s["amount"] for s in fc["reconciliation"]}
    assert steps["benefit_optimism_bias"] is None and steps["non_cashable"] is None and steps["net_cash"] is None
    assert any(n.startswith("Cashable savings not known") for n in fc["notes"])
    costless = SCENARIO.replace("- {name: Team, actual: {2022/23: 100000}}", "- {name: Team, quantified: false}")
    costless = costless.replace("""  - {name: Committed, kind: committed, price_basis: 2022/23, agency: NHS, actual: {2023/24: 60000},
     optimism_bias: {percent: 10}}
""", "")
    data = run_json(write_scenario(costless, "c.yaml"))
    steps = {s["step"]: s["amount"] for s in data["financial_case"]["reconciliation"]}
    assert [k for k, v in steps.items() if v is None] == [
        "net_cash", "inflation", "cost_optimism_bias", "borne_outside", "net_public_value", "discounting", "npv"]
    assert steps["benefit_optimism_bias"] == "-10000.00"
    assert by(data["financial_case"]["rows"], "2022/23", "Local Authority")["cash_costs"] is None


def test_an_agency_may_hold_the_envelope(write_scenario):
    fc = run_json(write_scenario(WIDER.replace("budget_envelope: {", "budget_envelope: {holder: NHS, ")))["financial_case"]
    assert fc["budget_envelope"]["holder"] == "NHS"
    assert fc["budget_envelope"]["rows"][0]["cash_costs"] == "0.00"


def test_a_holder_with_no_cash_is_left_out_and_named():
    """Edge of care: the police's fiscal benefits are not cashable and it bears no cost: no cash in any year."""
    from .conftest import ROOT

    fc = run_json(ROOT / "scenarios" / "edge-of-care-example.yaml")["financial_case"]
    assert {r["holder"] for r in fc["rows"]} == {"Local Authority", "NHS", "All public budget holders"}
    assert "Not shown, having no cost, cashable saving or transfer in any year: Police." in fc["notes"]


def test_notes_say_only_what_is_so(write_scenario):
    """Each note appears exactly when its case arises (the mutation gate found notes that could appear wrongly)."""
    from .conftest import ROOT

    edge = run_json(ROOT / "scenarios" / "edge-of-care-example.yaml")["financial_case"]["notes"]
    # 2025/26 is past the deflator, but nothing falls in it: nothing is unknown, so nothing is said
    assert not any(n.startswith(("Not known in cash", "Not in real terms", "Cashable savings not known")) for n in edge)
    past = """\
name: Past the series
organisation: Anytown Council
price_base: 2024/25
periods: [2024/25, 2025/26, 2026/27]
net_position_basis: actual
cost_lines:
  - {name: Plan, kind: committed, price_basis: 2024/25, actual: {2024/25: 1000, 2026/27: 1000}}
"""
    fc = run_json(write_scenario(past), "--green-book")["financial_case"]
    assert [by(fc["rows"], y, "Local Authority")["cash_costs"] for y in ("2024/25", "2025/26", "2026/27")] == [
        "1000.00", "0.00", None]
    assert fc["notes"][1].startswith("Not known in cash: 2026/27, past the deflator series")
    assert not any(n.startswith(("Not in real terms", "Cashable savings not known")) for n in fc["notes"])
    unused = run_json(write_scenario(SCENARIO + "deflator_forecast: {growth: 0.02, source: Unused}\n", "u.yaml"))
    assert not any("is a forecast" in n for n in unused["financial_case"]["notes"])
    assert [y["forecast"] for y in unused["financial_case"]["years"]] == [False, False]


def test_an_unattributed_saving_is_no_cash(write_scenario):
    text = SCENARIO.replace("outcomes:\n", """outcomes:
  - id: other
    measure: Not the programme's
    volumes: {2023/24: 5}
    value: {amount: 1000, price_year: 2022/23, source: Illustrative, cashable: true}
    attributable: false
""")
    fc = run_json(write_scenario(text))["financial_case"]
    assert by(fc["rows"], "2023/24", "Local Authority")["cashable_savings"] == pounds(Decimal(50000) * D23 / D22)


def test_an_evaluation_without_an_envelope_carries_no_financial_case():
    """Dorset is an evaluation (not appraised, no envelope): no face gives a financial case, JSON says null."""
    from .conftest import ROOT

    dorset = ROOT / "scenarios" / "dorset-rsw.yaml"
    assert run_json(dorset)["financial_case"] is None
    assert "financial_case" not in cli("run", dorset, "--format", "csv").stdout
    assert "Financial case" not in cli("run", dorset, "--detail").stdout
    assert run_json(dorset, "--green-book")["financial_case"] is not None


def test_the_reconciliation_of_an_unappraised_run_with_an_envelope_by_hand(write_scenario):
    """No appraisal, so no face has made the lines' real-terms lists: the reconciliation sums them itself.
    Outturn £1,000 spent in 2024/25 is 1,000 x 107.975 / 112.375 in 2023/24 prices; a plan of £100 a year in
    2023/24 prices, uplifted 10% in both years, is £103.75... cash in 2024/25 and £20 of optimism bias."""
    text = """\
name: Unappraised
organisation: Anytown Council
price_base: 2023/24
periods: [2023/24, 2024/25]
net_position_basis: actual
cost_lines:
  - {name: Spend, actual: {2024/25: 1000}}
  - {name: Plan, kind: committed, price_basis: 2023/24, optimism_bias: {percent: 10}, actual: {2023/24: 100, 2024/25: 100}}
budget_envelope: {amounts: {2023/24: 500}}
"""
    fc = run_json(write_scenario(text))["financial_case"]
    d23, d24 = Decimal("107.975"), Decimal("112.375")
    cash = -(1000 + 100 + 100 * d24 / d23)
    real = 1000 * d23 / d24 + 200
    steps = {s["step"]: s["amount"] for s in fc["reconciliation"]}
    assert steps["net_cash"] == pounds(cash)
    assert steps["inflation"] == pounds(-real - cash)
    assert steps["cost_optimism_bias"] == "-20.00"
    assert steps["net_public_value"] == pounds(-real - 20)
