"""Issue 28, item 1: the GDP deflator series is a sheet of the workbook (Deflators), and every deflator the
Appraisal sheet uses is looked up there by the price base on the Assumptions sheet and by each year, so that
choosing another price base in the workbook recomputes every real-terms figure as ``cba run --set
price_base=...`` does. (tests/test_perturbation.py also changes the price base of every real-terms workbook.)"""

from __future__ import annotations

import json

import openpyxl
from tests.conftest import DORSET, cli
from tests.test_export import check_headlines, recalculated

LAC = ("-a", "lac", "--green-book")


def exported(scenario, tmp_path, *options):
    book = tmp_path / "book.xlsx"
    assert cli("export", scenario, "-o", book, *options).exit_code == 0
    return book


def test_every_deflator_is_looked_up_on_the_deflators_sheet_and_none_is_typed(tmp_path):
    wb = openpyxl.load_workbook(exported(DORSET, tmp_path, *LAC))
    series = {r[0]: r[1] for r in wb["Deflators"].iter_rows(min_row=2, max_col=2, values_only=True) if r[0]}
    # the bundled ONS series as published (financial and calendar years): 2019/20 is 90.95, 2018/19 88.825
    assert series["2019/20"] == 90.95 and series["2018/19"] == 88.825 and series["2019"] == 90.3
    appraisal = wb["Appraisal"]
    lookups = [c for row in appraisal.iter_rows() for c in row if isinstance(c.value, str) and "'Deflators'!" in c.value]
    assert len(lookups) == 1 + 4 + 2 * 2  # the price base, each year with spend, each stream's two
    assert all(c.value.startswith("=SUMIF('Deflators'!$A$2:$A$") for c in lookups)
    labels = [str(appraisal.cell(r, 1).value) for r in range(1, appraisal.max_row + 1)]
    assert not any(label.startswith("Deflator") and appraisal.cell(i + 1, 2).fill.fgColor.rgb == "00FFF8DC"
                   for i, label in enumerate(labels))  # no deflator is a typed input any more
    assumptions = wb["Assumptions"]
    assert assumptions["A3"].value == "price_base" and assumptions["B3"].fill.fgColor.rgb == "00FFF8DC"
    (rule,) = [v for v in assumptions.data_validations.dataValidation if str(v.sqref) == "B3"]
    assert rule.type == "list" and rule.formula1.startswith("'Deflators'!$D$2:$D$")


def test_choosing_another_price_base_in_the_workbook_is_cba_run_set_price_base(tmp_path):
    book = exported(DORSET, tmp_path, *LAC)
    wb = openpyxl.load_workbook(book)
    wb["Assumptions"]["B3"] = "2018/19"
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    recalc = recalculated(edited, tmp_path)
    document = json.loads(cli("run", DORSET, *LAC, "--set", "price_base=2018/19", "--format", "json").stdout)
    check_headlines(recalc, document)  # every headline, to the penny
    appraisal = recalc["Appraisal"]
    assert appraisal["B14"].value == 88.825  # the 2018/19 index, looked up
    assert appraisal["A13"].value == "Cost lines in real terms (2018/19 prices)"  # the labels follow it
    assert recalc["Summary"]["B6"].value == "2018/19"
    # by hand: 2016/17 outturn spend of £42,812.87 in 2019/20 prices is 42,812.87 x 88.825 / 90.95 in 2018/19's
    before = json.loads(cli("run", DORSET, *LAC, "--format", "json").stdout)["appraisal"]["costs_real"][0]
    after = document["appraisal"]["costs_real"][0]
    assert abs(float(after) - float(before) * 88.825 / 90.95) < 0.01


def test_a_calendar_series_looks_up_a_financial_year_at_its_first_calendar_year(write_scenario, tmp_path):
    path = write_scenario(
        "name: Calendar deflator\norganisation: Anytown\nperiods: [2022/23, 2023/24]\nprice_base: 2023/24\n"
        "net_position_basis: actual\nappraisal: {discounting: green_book, deflator: calendar}\n"
        "cost_lines:\n  - {name: Team, actual: {2022/23: 1000, 2023/24: 1000}}\n"
    )
    book = exported(path, tmp_path)
    wb = openpyxl.load_workbook(book)
    rows = {r[0].value: r for r in wb["Deflators"].iter_rows(min_row=2) if r[0].value}
    assert "2023/24" not in [r for r in rows if rows[r][1].value and not str(rows[r][1].value).startswith("=")]
    assert rows["2023/24"][1].value == f"=B{rows['2023'][0].row}"  # the financial year at its calendar year
    recalc = recalculated(book, tmp_path)
    check_headlines(recalc, json.loads(cli("run", path, "--format", "json").stdout))


def test_without_real_terms_there_is_no_table_and_the_price_base_is_the_record(tmp_path):
    # Dorset as written: real_terms: false (the report's own tables are in cash), so nothing is deflated
    wb = openpyxl.load_workbook(exported(DORSET, tmp_path))
    assert "Deflators" not in wb.sheetnames
    assert wb["Assumptions"]["B3"].value == "2019/20" and wb["Assumptions"]["B3"].fill.fgColor.rgb != "00FFF8DC"
