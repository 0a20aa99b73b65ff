"""The workbook's first sheet: what each sheet holds, the colour key, and how to trace a headline.

An auditor opening the file cold should not need the README: every sheet is listed with a
link to it, every headline with a link to its cell, its formula, and links to the named
cells that formula reads; then where the figures came from (files and their hashes) and the
command that reproduces the workbook.
"""

from __future__ import annotations

import re

from openpyxl.styles import Alignment
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.run import RunResult
from cba.render.xlsx_cells import BOLD, TITLE_FONT, Book, colour_key, set_widths, text_cell

#: Sheet -> what it holds, in the order the workbook shows them.
SHEETS = {
    "Dashboard": "One page: the headline figures, who pays and who benefits by agency (cashable too) and by year, "
    "and two charts, every figure a formula over the sheets below.",
    "Summary": "The headline figures (each a formula over the named cells below), the scenario and its provenance.",
    "Costs": "Every cost line: budget and actual by period (inputs), totals and variances (formulas), by kind.",
    "Arms": "A programme arm against a comparison arm: means per participant (inputs), their difference and the "
    "programme arm's total (formulas), which the Costs and Benefits sheets use.",
    "Units": "Lines costed as units x price: the units by period and the price (inputs, or the Unit costs "
    "sheet's entry); the Costs sheet's amounts for them are units x price.",
    "Spreads": "Totals published over several periods: each total and share (inputs) and each period's amount "
    "(total x share, the last period what is left), which the Costs, Transfers and Appraisal sheets read.",
    "Savings": "Savings netted against cost lines: the gross (an input, or another sheet's formula), the saving "
    "(inputs) and the net (formulas), which the Costs sheet's amounts for those lines read.",
    "Years": "Budget against actual by period, with cumulative spend and its chart.",
    "Funding": "Grants and budgets received (inputs) and their total.",
    "Unit costs": "Each unit cost used: value, unit, price year, agency, value type, cashability, confidence, source.",
    "Benefits": "Each outcome: baseline, follow-up, change, unit cost and its value; attributable ones summed.",
    "Appraisal": "Year by year: discount factors, costs with optimism bias, benefit streams, present values, "
    "payback and the results (NPV, BCR, ROI); the cumulative chart.",
    "Financial case": "Cash by year and budget holder (money of the day, no optimism bias): costs, cashable "
    "savings, net and cumulative; the budget envelope's headroom; the reconciliation to the economic case.",
    "Real growth": "Real price growth given by financial year: each listed rate an input (a year not listed takes "
    "the year before's), and each item's real price index, which the Appraisal sheet multiplies by.",
    "Assumptions": "Every setting and adjustment the appraisal used (basis, discounting, uprating, shares).",
    "Deflators": "The GDP deflator series the run used (its source and SHA-256 below it); every deflator on the "
    "Appraisal sheet is looked up here by the Assumptions sheet's price_base and by each year.",
    "Discount schedule": "The discount rates by band of years the run read (source and SHA-256 below); each "
    "period's rate on the Appraisal sheet is looked up here, unless the Assumptions sheet sets a flat rate or "
    "switches discounting off.",
    "Optimism bias grades": "The optimism bias of each confidence grade (source and SHA-256 below), and the grade "
    "of each cost setting given by one (inputs); every uplift and benefit haircut given by a grade looks it up here.",
    "Reconciliation": "Each published total against the sum of its cells: agrees, or the difference.",
    "Transfers": "Money moved between parties by year (amounts, or an outcome's volume x a payment per unit), "
    "the cap, and its present value; not in the net position or the NPV.",
    "Lists": "The allowed values of the drop-downs: the public agencies a cost line may be borne by, and the unit "
    "costs of each kind (value type, agency, cashability) an outcome's unit cost may be swapped for.",
    "Claims": "Benefits claimed before the programme (inputs) beside the attributable benefits realised "
    "in the same year, or in all years (formulas over the Appraisal sheet).",
}


def _link(ws: Worksheet, row: int, column: int, text: str, location: str) -> None:
    cell = text_cell(ws, row, column, text)
    # the cell's own text: user text (a unit in a headline's label) made safe, not the raw string
    cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location, display=str(cell.value))
    cell.style = "Hyperlink"


def guide_sheet(
    book: Book, result: RunResult, headline_formulas: dict[str, tuple[str, str]], headline_cells: dict[str, str]
) -> Worksheet:
    """Add the Guide sheet; ``headline_cells`` maps a headline key to its cell on the Summary sheet."""
    ws = book.wb.create_sheet("Guide")
    p = result.provenance
    ws["A1"] = "How to read this workbook"
    ws["A1"].font = TITLE_FONT
    text_cell(
        ws,
        2,
        1,
        f"{p.scenario} ({p.organisation}), {p.periods[0]} to {p.periods[-1]}, "
        f"price base {p.price_base}. Produced by cba {p.cba_version} with:",
    )
    text_cell(ws, 3, 1, p.command).font = BOLD
    if result.settings.what_if:  # row 4 was blank: a what-if says so before anything else is read
        text_cell(ws, 4, 1, "What-if, not the scenario as written: " + "; ".join(result.settings.what_if)).font = BOLD
    r = 5
    ws.cell(r, 1, "Sheets").font = TITLE_FONT
    for title, words in SHEETS.items():
        if title in book.wb.sheetnames:
            r += 1
            _link(ws, r, 1, title, f"'{title}'!A1")
            text_cell(ws, r, 2, words)
    r += 2
    ws.cell(r, 1, "Colour key").font = TITLE_FONT
    colour_key(ws.cell(r + 1, 1), "Blue on yellow")
    ws.cell(r + 1, 2, "an input, typed from the scenario or the unit-cost table: change it and the workbook recomputes")
    ws.cell(r + 2, 1, "Black")
    ws.cell(r + 2, 2, "a formula over other cells (select it and use Trace Precedents, or read it in the formula bar)")
    ws.cell(r + 3, 1, "Bold").font = BOLD
    ws.cell(r + 3, 2, "a total or a headline figure")
    ws.cell(r + 4, 1, "Figures")
    ws.cell(
        r + 4,
        2,
        "computed exactly by cba and stored with each formula, so the file reads correctly before "
        "it recalculates (Protected View, previews); Excel recalculates on opening",
    )
    r += 6
    ws.cell(r, 1, "Tracing a headline to its inputs").font = TITLE_FONT
    ws.cell(
        r + 1,
        1,
        "Follow the link to the headline's cell, then each named cell its formula reads "
        "(Formulas > Name Manager lists them all); each of those is a formula over the sheets above, "
        "down to the blue-on-yellow inputs.",
    ).alignment = Alignment(wrap_text=True)
    r += 2
    for column, title in enumerate(("Headline", "Formula", "Reads the named cells"), start=1):
        ws.cell(r, column, title).font = BOLD
    for figure in result.headlines:
        r += 1
        if figure.key not in headline_formulas:  # simulated: the Monte Carlo's figure, with no formula to trace
            _link(ws, r, 1, figure.label, f"'Summary'!{headline_cells[figure.key]}")
            text_cell(ws, r, 2, "cba's Monte Carlo over the ranges (cba simulate shows its draws); not a formula")
            continue
        formula, _ = headline_formulas[figure.key]
        _link(ws, r, 1, figure.label, f"'Summary'!{headline_cells[figure.key]}")
        text_cell(ws, r, 2, "=" + formula)
        names = [n for n in dict.fromkeys(re.findall(r"[a-z_]+", formula)) if n in book.names]
        for offset, name in enumerate(names):
            _link(ws, r, 3 + offset, name, book.names[name])
    r += 2
    ws.cell(r, 1, "Where the figures came from").font = TITLE_FONT
    for f in p.files:
        r += 1
        text_cell(ws, r, 1, f"{f.role.capitalize()}" + (f" ({f.name})" if f.role == "unit costs" else ""))
        text_cell(ws, r, 2, f"{f.file}   sha256:{f.sha256}")
    r += 2
    text_cell(
        ws,
        r,
        1,
        "Amounts are pounds; pence are shown wherever a figure has them. Percentages are shown "
        "with %, counts with thousands separators.",
    )
    set_widths(ws, {"A": 48, "B": 100, "C": 22, "D": 22, "E": 22})
    return ws
