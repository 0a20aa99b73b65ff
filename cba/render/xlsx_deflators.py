"""The Deflators sheet: the GDP deflator series the run used, which every deflator in the workbook looks up
(issue 28, item 1: reference tables in the workbook, looked up by formula from the price base and the year).

Column A holds each year as cba looks it up and column B its index: every row of the series as published (or
as smoothed, where the scenario asks), then, for a series of calendar years, each financial year at its first
calendar year (cba's rule: it holds nine of the year's twelve months). Column D lists the financial years, which
the Assumptions sheet's price_base takes from a drop-down; changing it moves every real-terms figure, as
``cba run --set price_base=...`` does. A lookup is SUMIF on the exact year ('"="&year'), which cba's evaluator,
Excel and LibreOffice read alike.
"""

from __future__ import annotations

from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.run import RunResult
from cba.render.xlsx_cells import BOLD, Book, put_header, put_input, set_widths, text_cell
from cba.render.xlsx_places import DeflatorTable


def deflators_sheet(book: Book, result: RunResult) -> DeflatorTable | None:
    t = result.figures.timeline
    deflator = t.deflator
    if not t.real_terms or deflator is None:
        return None
    ws = book.wb.create_sheet("Deflators")
    put_header(ws, 1, ["Year (as cba looks it up)", "GDP deflator index", "Note", "Price bases (financial years)"])
    rows = list(deflator.index.items())
    r = 2
    at: dict[str, int] = {}
    for year, index in rows:
        text_cell(ws, r, 1, year)
        # reference data: an auditor may try another index, but no scenario field holds one (cba diff says so)
        put_input(ws.cell(r, 2), float(index), "0.0000")
        if year in deflator.replaced:
            published, _ = deflator.replaced[year]
            text_cell(ws, r, 3, f"smoothed (two-year average growth); as published {published}")
        at[year] = r
        r += 1
    aliases = [
        (f"{year}/{(int(year) + 1) % 100:02d}", year)
        for year, _ in rows
        if "/" not in year and f"{year}/{(int(year) + 1) % 100:02d}" not in deflator.index
    ]
    for label, year in aliases:  # a financial year a calendar series lacks: at its first calendar year
        text_cell(ws, r, 1, label)
        ws.cell(r, 2, f"=B{at[year]}").number_format = "0.0000"
        text_cell(ws, r, 3, f"the financial year at its first calendar year, {year}")
        r += 1
    last = r - 1
    bases = sorted({year for year, _ in rows if "/" in year} | {label for label, _ in aliases})
    for k, year in enumerate(bases, start=2):
        text_cell(ws, k, 4, year)
    source_rows(result, ws, last + 2, "deflator", deflator.source.name)
    set_widths(ws, {"A": 24, "B": 18, "C": 40, "D": 24})  # narrower than a page across: printed portrait
    return DeflatorTable(2, last, f"'Deflators'!$D$2:$D${1 + len(bases)}")


def source_rows(result: RunResult, ws: Worksheet, row: int, role: str, name: str) -> None:
    """A reference table's source and content hash (as the run's provenance has it), two rows from ``row``."""
    ws.cell(row, 1, "Source").font = BOLD
    text_cell(ws, row, 2, name)
    files = [f for f in result.provenance.files if f.role == role]
    if files:
        text_cell(ws, row + 1, 1, "SHA-256")
        text_cell(ws, row + 1, 2, files[0].sha256)
