"""The discount schedule and the optimism-bias grade table as sheets, which the Appraisal sheet's rates and
uplifts look up by formula (issue 28, item 1: reference tables in the workbook, looked up from the year and
the grade).

Discount schedule: one band a row (from year, to year, standard rate, health rate), as the table cba read
has them. Each period's rate on the Appraisal sheet is the band holding its year (SUMIFS on the band's
bounds), or the Assumptions sheet's flat rate where one is set, or 0 where its discounting switch is none:
so switching discounting, setting a flat rate or editing a band recomputes as ``cba run --set`` (or the
edited table) does.

Optimism bias grades: grade and percent, as read; below them, each cost setting given by a grade (the
appraisal's, a category's, a line's) with its grade as an input, which each forecast line's uplift looks up.
A benefit's grade sits beside its optimism bias on the Appraisal sheet.

The rates, bounds and percents are reference data: an auditor may try others, but no scenario field holds
one (``cba diff`` says so; the scenario names its own table with ``discount_schedule:`` or
``optimism_bias_grades:``).
"""

from __future__ import annotations

from openpyxl.worksheet.datavalidation import DataValidation

from cba.engine.run import RunResult
from cba.render.xlsx_cells import Book, choices, put_header, put_input, set_widths, text_cell
from cba.render.xlsx_deflators import source_rows
from cba.render.xlsx_places import GradeTable, ScheduleTable


def schedule_sheet(book: Book, result: RunResult) -> ScheduleTable | None:
    """The Discount schedule sheet, whenever the run is appraised (discounting on or off: the switch is live)."""
    schedule = result.figures.timeline.schedule
    if not result.settings.appraised or schedule is None:
        return None
    ws = book.wb.create_sheet("Discount schedule")
    put_header(ws, 1, ["From year", "To year", "Standard rate", "Health rate"])
    r = 2
    for year_from, year_to, standard, health in schedule.bands:
        put_input(ws.cell(r, 1), year_from, "0")
        put_input(ws.cell(r, 2), year_to, "0")
        put_input(ws.cell(r, 3), float(standard), "0.00%")
        put_input(ws.cell(r, 4), float(health), "0.00%")
        r += 1
    text_cell(
        ws,
        r + 1,
        1,
        "Year t of the appraisal takes the band holding it (a period of a quarter or a month: the year it ends in). "
        "Health values are discounted at the health rate (Green Book A6: the standard rate without its wealth "
        "effect).",
    )
    source_rows(result, ws, r + 3, "discount schedule", schedule.source.name)
    set_widths(ws, {"A": 12, "B": 12, "C": 14, "D": 14})
    return ScheduleTable(2, r - 1)


#: what each cost setting given by a grade is, in words, by the start of its --set path
_SETTING = {
    "appraisal.cost_optimism_bias": "Costs: the appraisal's cost_optimism_bias",
    "appraisal.category_optimism_bias": "Costs in category",
    "cost_lines": "Cost line",
}


def grades_sheet(book: Book, result: RunResult) -> GradeTable | None:
    """The Optimism bias grades sheet, when some optimism bias comes from a grade."""
    t = result.figures.timeline
    grades = t.grades
    graded_flows = [f for f in t.cost_flows if f.forecast and f.optimism_grade is not None]
    if grades is None or not (graded_flows or any(s.optimism_grade is not None for s in t.streams)):
        return None
    ws = book.wb.create_sheet("Optimism bias grades")
    put_header(ws, 1, ["Grade", "Optimism bias (%)"])
    r = 2
    for grade, percent in sorted(grades.percent.items()):
        ws.cell(r, 1, grade)
        put_input(ws.cell(r, 2), float(percent), "0.0")
        r += 1
    table = GradeTable(2, r - 1, {})
    names = {f.optimism_key: f for f in graded_flows}  # each setting once, however many lines share it
    r += 1
    if names:
        put_header(ws, r, ["Cost setting given by a grade", "Grade"])
        choices = grade_choices(table)
        ws.add_data_validation(choices)
    for key, flow in names.items():
        r += 1
        prefix = next(p for p in _SETTING if key.startswith(p))
        what = _SETTING[prefix]
        if prefix == "cost_lines":
            what += f": {flow.line}"
        elif prefix != "appraisal.cost_optimism_bias":
            what += " " + key.removeprefix(prefix + ".")
        text_cell(ws, r, 1, what)
        put_input(ws.cell(r, 2), flow.optimism_grade, "0", f"{key}.grade")
        choices.add(ws.cell(r, 2))
        table.settings[key] = f"'Optimism bias grades'!$B${r}"
    source_rows(result, ws, r + 2, "optimism-bias grades", grades.source.name)
    set_widths(ws, {"A": 48, "B": 18})
    return table


def grade_choices(table: GradeTable) -> DataValidation:
    """A grade's drop-down: the grades of the table."""
    return choices(table.grades, "grade", "A grade of the Optimism bias grades sheet: 1 (strongest) to 6 (weakest).")
