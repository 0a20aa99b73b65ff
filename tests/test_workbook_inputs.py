"""The workbook's inputs (issue 28, items 2, 4 and Why 6): the one setting a formula reads is an input with
its allowed values; the others are the run's record, not styled as inputs; a variance needs a budget."""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import ROOT, cli, run_json
from tests.test_export import recalculated

DORSET = ROOT / "scenarios" / "dorset-rsw.yaml"
COURT = ROOT / "scenarios" / "court-arms-example.yaml"
INPUT_FILL = "00FFF8DC"  # the workbook's input colour (cba.render.xlsx_cells.INPUT_FILL)


def exported(scenario, tmp_path, *args):
    book = tmp_path / f"{scenario.stem}.xlsx"
    assert cli("export", scenario, "-o", book, *args).exit_code == 0
    return book


def test_cost_basis_is_the_only_input_on_assumptions_and_takes_three_values(tmp_path):
    ws = openpyxl.load_workbook(exported(DORSET, tmp_path))["Assumptions"]
    inputs = [r[0].value for r in ws.iter_rows(min_row=2) if r[1].fill.fgColor.rgb == INPUT_FILL]
    assert inputs == ["cost_basis"]
    (rule,) = ws.data_validations.dataValidation
    assert str(rule.sqref) == "B2" and rule.type == "list" and rule.formula1 == '"funding,actual,budget"'
    assert rule.errorStyle == "stop" and rule.showErrorMessage  # Excel and LibreOffice refuse anything else


@pytest.mark.parametrize(
    ("basis", "expected"),
    [("actual", Decimal("1833165")), ("budget", Decimal("1955037")), ("actuals", "#N/A")],  # Tables 4 and 5
)
def test_cost_basis_drives_the_cost_and_a_typo_is_an_error_not_the_budget(tmp_path, basis, expected):
    book = exported(DORSET, tmp_path)
    wb = openpyxl.load_workbook(book)
    wb["Assumptions"]["B2"] = basis  # as an auditor would type it (openpyxl does not apply the validation)
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    summary = recalculated(edited, tmp_path)["Summary"]
    cost = next(r[1].value for r in summary.iter_rows() if str(r[0].value).startswith("Cost set against benefits"))
    if isinstance(expected, Decimal):
        assert Decimal(str(cost)) == expected
        figure = json.loads(cli("run", DORSET, "--basis", basis, "--format", "json").stdout)["headlines"]["cost"]
        assert Decimal(figure["value"]) == expected  # the same figure cba gives
    else:
        assert cost == expected


def test_years_shows_no_variance_where_nothing_was_budgeted(tmp_path):
    # court-arms has no budget: its £426,600 is spend, not an overspend (the Summary shows no variance either)
    book = exported(COURT, tmp_path)
    years = recalculated(book, tmp_path)["Years"]
    assert [r[3].value for r in years.iter_rows(min_row=2, max_col=4)] == [None]
    (tmp_path / "d").mkdir()
    dorset = recalculated(exported(DORSET, tmp_path / "d"), tmp_path / "d")["Years"]
    assert [r[3].value for r in dorset.iter_rows(min_row=2, max_row=5, max_col=4)] == [
        -404400,
        -430593,
        279970,
        433151,  # actual - budget by year, Dorset Tables 4 and 5
    ]


@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_formula_carries_a_placeholder_constant_and_every_category_is_labelled(scenario, tmp_path):
    """Issue 28, Why 6: first-period formulas read '=0+(C28+C47)-C11' and 'IF(""<>"","",...)'; the Summary's
    bar chart labelled every other line."""
    wb = openpyxl.load_workbook(exported(scenario, tmp_path, "--green-book"))
    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert not cell.value.startswith("=0+") and '""<>""' not in cell.value, (ws.title, cell.coordinate)
        for chart in ws._charts:
            assert chart.x_axis.tickLblSkip == 1, (ws.title, chart.title)


GBP = '"£"#,##0;[Red]-"£"#,##0'
GBP_PENCE = '"£"#,##0.00;[Red]-"£"#,##0.00'


def _mixed_rows(book) -> list[tuple[str, int]]:
    mixed = []
    for ws in openpyxl.load_workbook(book).worksheets:
        rows: dict[int, set[str]] = {}
        for row in ws.iter_rows():
            for c in row:
                if c.number_format in (GBP, GBP_PENCE):
                    rows.setdefault(c.row, set()).add(c.number_format)
        mixed += [(ws.title, r) for r, formats in rows.items() if len(formats) > 1]
    return mixed


@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_no_row_mixes_whole_pounds_with_pence(scenario, tmp_path):
    # Why 6: "pound formats mix within a row". Before: Dorset appraised had 36 such rows (Benefits, Appraisal).
    args = () if "not" in scenario.stem else ("--green-book",)
    assert _mixed_rows(exported(scenario, tmp_path, *args)) == []


def test_a_line_with_pence_anywhere_shows_pence_across_its_row(write_scenario, tmp_path):
    path = write_scenario(
        "name: p\norganisation: o\nprice_base: 2019/20\nperiods: [2018/19, 2019/20]\n"
        "funding: [{name: g, amount: 300000}]\n"
        "cost_lines:\n"
        "  - {name: Workers, kind: direct, budget: {2018/19: 100000, 2019/20: 120000},\n"
        "     actual: {2018/19: 95000, 2019/20: 125500.50}}\n"
        "  - {name: Rent, kind: direct, budget: {2018/19: 1000, 2019/20: 1000}, actual: {2018/19: 1000, 2019/20: 900}}\n"
    )
    ws = openpyxl.load_workbook(exported(path, tmp_path))["Costs"]
    workers, rent = ws[2], ws[3]
    assert workers[0].value == "Workers" and rent[0].value == "Rent"
    # Workers: £95,000 and £125,500.50 in one row, so every figure in it shows pence (£220,500.50 in all)
    assert {c.number_format for c in workers[2:9] if c.value is not None} == {GBP_PENCE}  # to the variance £
    assert {c.number_format for c in rent[2:9] if c.value is not None} == {GBP}  # whole pounds: no pence


@pytest.mark.parametrize("scenario", [DORSET, COURT], ids=lambda p: p.stem)
def test_every_yes_no_input_takes_only_true_or_false_and_libreoffice_keeps_the_rule(scenario, tmp_path):
    # Item 4: the attributable flags are inputs the benefit formulas read (IF(H2, ...)); a typed "yes" must be
    # refused, not read. Every input-styled TRUE/FALSE cell in the workbook carries a list rule, error style stop.
    book = exported(scenario, tmp_path, "--green-book")
    wb = openpyxl.load_workbook(book)
    flags = [
        (ws.title, c.coordinate)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, bool) and c.fill.fgColor.rgb == INPUT_FILL
    ]
    assert flags  # Dorset has seven outcomes' flags, court-arms its own

    def ruled(workbook):
        out = set()
        for ws in workbook.worksheets:
            for rule in ws.data_validations.dataValidation:
                if rule.type == "list" and rule.formula1 == '"TRUE,FALSE"' and rule.errorStyle in ("stop", None):
                    out |= {(ws.title, c) for rng in str(rule.sqref).split() for c in _cells(rng)}
        return out

    assert set(flags) <= ruled(wb)
    assert set(flags) <= ruled(recalculated(book, tmp_path))  # LibreOffice reads the rule and writes it back


def _cells(rng: str) -> list[str]:
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    low_col, low_row, high_col, high_row = range_boundaries(rng)
    return [f"{get_column_letter(c)}{r}" for r in range(low_row, high_row + 1) for c in range(low_col, high_col + 1)]


APPRAISAL_NAMES = {"npv", "bcr", "pv_costs", "pv_fiscal", "financial_roi", "cashable_roi", "payback_years",
                   "cashable_payback_years", "net_present_budget_impact"}


def test_a_workbook_without_an_appraisal_names_no_npv_and_shows_no_present_value(tmp_path):
    # Why 6: 'npv/bcr names exist in workbooks without an appraisal'. cba run on Dorset as written reports no
    # NPV, BCR or payback (its JSON's appraisal is null), so its workbook derives none either.
    assert run_json(DORSET)["appraisal"] is None
    wb = openpyxl.load_workbook(exported(DORSET, tmp_path))
    assert APPRAISAL_NAMES.isdisjoint(wb.defined_names.keys())
    labels = [str(r[0].value) for r in wb["Appraisal"].iter_rows(max_col=1) if r[0].value is not None]
    assert not [label for label in labels if label.startswith(("PV", "Net present", "Payback", "Financial ROI"))]
    assert any(label.startswith("Not appraised: no present values") for label in labels)
    # appraised, every one is there, and the Summary's headlines read them
    (tmp_path / "g").mkdir()
    appraised = openpyxl.load_workbook(exported(DORSET, tmp_path / "g", "--green-book"))
    assert APPRAISAL_NAMES <= set(appraised.defined_names.keys())


def _cells_read(wb) -> set[tuple[str, int, int]]:
    """Every cell some formula reads: its references and ranges, and the cells its defined names stand for."""
    from openpyxl.formula.tokenizer import Tokenizer
    from openpyxl.utils import range_boundaries

    names = {name: d.attr_text for name, d in wb.defined_names.items()}
    read: set[tuple[str, int, int]] = set()

    def add(sheet: str, text: str) -> None:
        text = text.replace("$", "")
        if text in names:
            return add(sheet, names[text])
        if "!" in text:
            sheet, text = text.rsplit("!", 1)
            sheet = sheet.strip("'").replace("''", "'")
        low_col, low_row, high_col, high_row = range_boundaries(text)
        read.update((sheet, r, c) for r in range(low_row, high_row + 1) for c in range(low_col, high_col + 1))

    for ws in wb:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    for token in Tokenizer(cell.value).items:
                        if token.type == "OPERAND" and token.subtype == "RANGE":
                            add(ws.title, token.value)
    return read


@pytest.mark.parametrize("options", [(), ("--green-book",), ("-a", "lac")], ids=["as-written", "green-book", "lac"])
@pytest.mark.parametrize("scenario", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_cell_styled_as_an_input_is_read_by_a_formula(scenario, options, tmp_path):
    """Issue 28, item 1: "a value that no formula reads is not styled as an input". Before: every unit cost of
    the bundled tables (Dorset: 88), the attributable flags of outcomes with no price, the first year's
    discount rates (DF_0 = 1 whatever they are), the Benefits sheet's unit conversion (the Appraisal sheet
    had its own), cost_basis where the appraisal's costs follow the lines' basis, and the Monte Carlo's
    median and chance on the Summary were all coloured as inputs and drove nothing. The colour key's own
    sample cells are the only exception."""
    if options == ("-a", "lac") and not scenario.stem.startswith("dorset"):
        pytest.skip("Dorset's looked-after children, counted as the report's Table 6 counts them")
    wb = openpyxl.load_workbook(exported(scenario, tmp_path, *options))
    read = _cells_read(wb)
    dead = [
        f"{ws.title}!{cell.coordinate} ({ws.cell(cell.row, 1).value})"
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if cell.fill.fgColor.rgb == INPUT_FILL
        and cell.value is not None
        and (ws.title, cell.row, cell.column) not in read
        and not str(cell.value).startswith("Blue on yellow")  # the colour key
    ]
    assert dead == []


def test_the_precision_printed_and_the_periods_a_year_are_cells_not_constants_in_formulas(tmp_path):
    """Issue 28, Why 6: the rounding precisions and the quarterly ^(1/4) were typed into formulas. The precision
    is now an input (published_results.N.to) and the periods a year a cell the discount factors read."""
    quarterly = exported(ROOT / "scenarios" / "quarterly-follow-up-example.yaml", tmp_path, "--green-book")
    appraisal = openpyxl.load_workbook(quarterly)["Appraisal"]
    assert appraisal["B2"].value == 4 and appraisal["D5"].value == "=C5/(1+D3)^(1/$B$2)"
    formulas = [c.value for row in appraisal.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] == "="]
    assert not any("^(1/4)" in f for f in formulas)
    (tmp_path / "court").mkdir()
    book = exported(COURT, tmp_path / "court")
    ws = openpyxl.load_workbook(book)["Reconciliation"]
    row = next(r[0].row for r in ws.iter_rows() if r[0].value == "'£2.10 saved for every £1 spent'")
    assert ws[f"G{row}"].value == 0.1 and ws[f"G{row}"].fill.fgColor.rgb == INPUT_FILL
    assert "0.1" not in ws[f"D{row}"].value and f"G{row}" in ws[f"D{row}"].value
    # printed to the penny instead: 2.131594 is 2.13, which is not 2.10; cba says the same
    ws[f"G{row}"] = 0.01
    edited = tmp_path / "court" / "edited.xlsx"
    ws.parent.save(edited)
    status = recalculated(edited, tmp_path / "court")["Reconciliation"][f"E{row}"].value
    figure = json.loads(cli("run", COURT, "--set", "published_results.0.to=0.01", "--format", "json").stdout)
    result = figure["reconciliation"]["results"][0]
    assert status == "DOES NOT AGREE" and result["agrees"] is False and result["computed_as_published"] == "2.130000"
