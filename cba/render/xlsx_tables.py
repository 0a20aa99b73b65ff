"""Workbooks for what-if, break-even and simulation results: the table and a native chart.

These figures come from sweeps (many evaluations), so they are written as values, not
formulas; the sheet says so, and names the scenario and its hash like every export.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference

from cba import __version__
from cba.io.atomic import write_atomically
from cba.io.load import Loaded
from cba.render.xlsx import BOLD, GBP, put_header, set_widths, text_cell


def _provenance(ws, loaded: Loaded, first_row: int, what: str) -> None:
    rows = [("Results of", what), ("Scenario", loaded.source.name), ("Scenario SHA-256", loaded.source.sha256)]
    for source in loaded.sources[1:]:
        rows += [("Input file", source.name), ("SHA-256", source.sha256)]
    rows += [("cba version", __version__), ("Exported", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
            ("Note", "values computed by cba over many evaluations (not formulas); money rounded to the penny")]
    for i, (label, value) in enumerate(rows):
        ws.cell(first_row + i, 1, label).font = BOLD
        text_cell(ws, first_row + i, 2, value)


def write_table(path: Path, loaded: Loaded, *, sheet: str, what: str, headers: list[str], rows: list[list],
                money_columns: set[int], chart: str, chart_title: str, x_col: int = 1, y_cols: tuple[int, ...] = (),
                force: bool) -> None:
    """One sheet with the table, a chart (line, bar or tornado) beside it, and provenance below it."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    put_header(ws, 1, headers)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if isinstance(value, str):
                text_cell(ws, r, c, value)
            else:
                cell = ws.cell(r, c, None if value is None else round(float(value), 2) if c in money_columns else value)
                if c in money_columns:
                    cell.number_format = GBP
    last = len(rows) + 1
    if rows and y_cols:
        made = LineChart() if chart == "line" else BarChart()
        if chart == "tornado":
            made.type = "bar"
            made.overlap = 100
        made.title = chart_title
        for col in y_cols:
            made.add_data(Reference(ws, min_col=col, min_row=1, max_row=last), titles_from_data=True)
        made.set_categories(Reference(ws, min_col=x_col, min_row=2, max_row=last))
        made.height, made.width = 9, 18
        ws.add_chart(made, f"{chr(ord('A') + len(headers) + 1)}2")
    _provenance(ws, loaded, last + 2, what)
    set_widths(ws, {chr(ord("A") + i): 18 for i in range(len(headers))} | {"A": 28, "B": 30})
    write_atomically(path, wb.save, force=force, inputs=[s.path for s in loaded.sources])
