"""Issue 28, item 1: the reference tables are sheets of the workbook, looked up by formula.

The GDP deflator series (Deflators): every deflator the Appraisal sheet uses is looked up there by the price
base on the Assumptions sheet and by each year, so choosing another price base recomputes every real-terms
figure as ``cba run --set price_base=...`` does. The discount schedule (Discount schedule): each period's rate
is the band holding its year, unless the Assumptions sheet's flat rate is set or its discounting switch is
none. The optimism-bias grades (Optimism bias grades): every uplift or haircut given by a grade is looked up
there by the grade, each an input. Editing a table's figure in the workbook is running cba with the edited
table. (tests/test_perturbation.py also changes the price base, the switch, the flat rates and the grades of
every workbook that has them.)"""

from __future__ import annotations

import json

import openpyxl
from tests.conftest import DORSET, ROOT, cli
from tests.test_export import check_headlines, recalculated, recalculated_all

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


EDGE = ROOT / "scenarios" / "edge-of-care-example.yaml"
QUARTERLY = ROOT / "scenarios" / "quarterly-follow-up-example.yaml"


def test_every_discount_rate_is_the_schedules_band_for_its_year(tmp_path):
    wb = openpyxl.load_workbook(exported(QUARTERLY, tmp_path))
    schedule = [r for r in wb["Discount schedule"].iter_rows(min_row=2, max_col=4, values_only=True) if r[3]]
    # the bundled Green Book schedule (unit_costs/green-book-discount-schedule.csv): 3.5% to year 30, then 3%
    assert schedule[0] == (0, 30, 0.035, 0.015) and schedule[1] == (31, 75, 0.03, 0.0129)
    appraisal = wb["Appraisal"]
    assert appraisal["B2"].value == 4  # quarters: a period's year is t / 4 rounded up
    standard, health = appraisal["D3"].value, appraisal["D4"].value
    assert standard.startswith('=IF(discounting="green_book",IF(discount_rate="",SUMIFS(')
    assert "ROUNDUP(D$2/$B$2,0)" in standard and "'Discount schedule'!$C$2:$C$" in standard
    assert "'Discount schedule'!$D$2:$D$" in health and "MAX(discount_rate-(" in health
    assumptions = {r[0].value: r[1] for r in wb["Assumptions"].iter_rows(min_row=2)}
    assert assumptions["discounting"].value == "green_book" and assumptions["discount_rate"].value is None
    (rule,) = [v for v in wb["Assumptions"].data_validations.dataValidation
               if str(v.sqref) == assumptions["discounting"].coordinate]
    assert rule.formula1 == '"green_book,none"'


def _edit(book, tmp_path, name, sheet, cell, value):
    wb = openpyxl.load_workbook(book)
    wb[sheet][cell] = value
    path = tmp_path / f"{name}.xlsx"
    wb.save(path)
    return path


def test_switching_editing_a_band_and_a_grade_in_the_workbook_are_cba_run_with_the_change(tmp_path):
    """Recalculated in LibreOffice (forced): discounting off, a flat rate, the first band at 4%, grade 3 at 12%,
    and the appraisal's cost grade 3 -> 5; each against cba run with the same change (--set, or an edited
    table's CSV)."""
    book = exported(EDGE, tmp_path)
    wb = openpyxl.load_workbook(book)
    at = {r[0].value: r[1].coordinate for r in wb["Assumptions"].iter_rows(min_row=2)}
    grades = wb["Optimism bias grades"]
    (setting,) = [r[1].coordinate for r in grades.iter_rows(min_row=9) if r[0].value and "Costs:" in r[0].value]
    assert grades[setting].value == 3 and "cost_optimism_bias" in grades[setting.replace("B", "A")].value
    schedule_csv = tmp_path / "schedule.csv"
    schedule_csv.write_text((ROOT / "unit_costs" / "green-book-discount-schedule.csv").read_text()
                            .replace("0,30,0.035,", "0,30,0.04,"))
    grades_csv = tmp_path / "grades.csv"
    grades_csv.write_text((ROOT / "unit_costs" / "optimism-bias-grades.csv").read_text().replace("3,10,", "3,12,"))
    edits = [
        ("off", "Assumptions", at["discounting"], "none", ["--set", "appraisal.discounting=none"]),
        ("flat", "Assumptions", at["discount_rate"], 0.05, ["--set", "appraisal.discount_rate=0.05"]),
        ("band", "Discount schedule", "C2", 0.04, ["--set", f"appraisal.discount_schedule={schedule_csv}"]),
        ("percent", "Optimism bias grades", "B4", 12, ["--set", f"appraisal.optimism_bias_grades={grades_csv}"]),
        ("grade", "Optimism bias grades", setting, 5, ["--set", "appraisal.cost_optimism_bias.grade=5"]),
    ]
    paths = [_edit(book, tmp_path, name, sheet, cell, value) for name, sheet, cell, value, _ in edits]
    before = json.loads(cli("run", EDGE, "--format", "json").stdout)["headlines"]["npv"]["value"]
    npvs = set()
    for (name, *_, options), recalc in zip(edits, recalculated_all(paths, tmp_path)):
        result = cli("run", EDGE, *options, "--format", "json")
        assert result.exit_code == 0, result.stderr
        document = json.loads(result.stdout)
        check_headlines(recalc, document)
        npvs.add(document["headlines"]["npv"]["value"])
        if name == "band":  # by hand: year 1's standard factor is 1 / 1.04
            assert abs(recalc["Appraisal"]["D5"].value - 1 / 1.04) < 1e-12
        if name == "off":  # no discounting: every factor is 1
            assert all(c.value == 1 for c in recalc["Appraisal"][5][2:] if c.value is not None)
    assert len(npvs) == len(edits) and before not in npvs  # each edit moved the NPV, each its own way
