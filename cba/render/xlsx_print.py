"""How every sheet of a cba workbook prints: A4, fitted to the page's width, the header row on every page, a
footer that names the file, the sheet, the page and the scenario's hash, and no chart cut across pages.

Applied last, when every sheet has its columns, charts and header rows, by every path that writes a workbook.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

#: Sheets read as one page: the Summary and the Dashboard are what a board member is handed; the deflator
#: series and the reconciliation are reference lists an auditor reads whole.
ONE_PAGE = frozenset(
    {"Summary", "Dashboard", "Deflators", "Discount schedule", "Optimism bias grades", "Reconciliation", "Lists"}
)
#: Wider than this (in characters of column width) prints across an A4 page rather than down it.
PORTRAIT_WIDTH = 110
#: Excel's width of a column with none set, in characters.
DEFAULT_WIDTH = 8.43
#: Points per line of the header's 11-point text, with its padding.
LINE_HEIGHT = 15


def set_up_printing(wb: Workbook, scenario_hash: str) -> None:
    """Page setup on every sheet of a finished workbook."""
    for ws in wb.worksheets:
        _page(ws, scenario_hash)
        _header_height(ws)
        _charts_start_a_page(ws)


def _page(ws: Worksheet, scenario_hash: str) -> None:
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    wide = _width(ws) > PORTRAIT_WIDTH or bool(ws._charts)  # a chart beside the figures needs the width
    setup.orientation = ws.ORIENTATION_LANDSCAPE if wide else ws.ORIENTATION_PORTRAIT
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    setup.fitToWidth = 1
    setup.fitToHeight = 1 if ws.title in ONE_PAGE else 0  # 0: as many pages down as the rows need
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.7, header=0.25, footer=0.3)
    # &F the file, &A the sheet, &P of &N the page: a printed page is traceable to its file and scenario.
    ws.oddFooter.left.text = "&F, sheet &A"
    ws.oddFooter.left.size = 8
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.center.size = 8
    ws.oddFooter.right.text = f"scenario sha256 {scenario_hash[:16]}"
    ws.oddFooter.right.size = 8


def _width(ws: Worksheet) -> float:
    """The sheet's printed width in characters: its columns' widths."""
    total = 0.0
    for column in range(1, ws.max_column + 1):
        width = ws.column_dimensions[get_column_letter(column)].width
        total += width if width else DEFAULT_WIDTH
    return total


def _header_height(ws: Worksheet) -> None:
    """The header row tall enough for its wrapped titles: a row too short prints its text over the next."""
    titles = ws.print_title_rows
    if titles:
        fit_row_height(ws, int(str(titles).split(":")[0].lstrip("$")), per_width=0.9)  # bold runs wider


def fit_row_height(ws: Worksheet, row: int, columns: Iterable[int] | None = None, per_width: float = 1.2) -> None:
    """A row as tall as the most lines its wrapped text takes in its columns' widths (the columns given, else
    all): neither Excel nor LibreOffice sizes a row on opening, and a row too short prints over the next."""
    lines = 1
    cells = ws[row] if columns is None else [ws.cell(row, c) for c in columns]
    for cell in cells:
        if not isinstance(cell.value, str):
            continue
        width = ws.column_dimensions[get_column_letter(cell.column)].width or DEFAULT_WIDTH
        # a column's width counts characters of its widest digits: ordinary text fits a little more
        lines = max(lines, len(textwrap.wrap(cell.value, max(1, math.floor(width * per_width)))))
    if lines > 1 or ws.row_dimensions[row].height is not None:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines


def _charts_start_a_page(ws: Worksheet) -> None:
    """A chart below the figures begins a page, so that no page break falls across it (one beside the figures
    starts on the first page)."""
    for chart in ws._charts:
        anchor = chart.anchor
        marker = getattr(anchor, "_from", None)
        row = marker.row + 1 if marker is not None else int("".join(c for c in str(anchor) if c.isdigit()))
        if row > 2 and ws.title not in ONE_PAGE:
            ws.row_breaks.append(Break(id=row - 1))
