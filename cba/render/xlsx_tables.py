"""A ``TableResult`` (whatif, breakeven, compare, simulate) as a workbook: a sheet per table, with a chart.

These figures come from many evaluations, so they are written as values, not formulas;
each sheet says so, and names the command, the scenario and the hashes of its inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.utils import get_column_letter

from cba.engine.result import Table, TableResult
from cba.io.atomic import write_atomically
from cba.render.xlsx_cells import (
    BOLD,
    COUNT,
    COUNT_WHOLE,
    GBP_PENCE,
    RATIO,
    money_format,
    number,
    put_header,
    set_widths,
    text_cell,
    tidy_chart,
)

FORMATS = {
    "money": GBP_PENCE,
    "ratio": "0.000000",
    "count": COUNT,
    "percent": '0.00"%"',
    "share": "0.0%",
    "years": RATIO,
}


def _facts(ws, result: TableResult, first_row: int) -> int:
    """The result's single figures (draws, seed, chances of paying back), typed; returns the next free row."""
    for i, fact in enumerate(result.facts):
        ws.cell(first_row + i, 1, fact.label).font = BOLD
        if isinstance(fact.value, Decimal):
            value = fact.value / 100 if fact.kind == "percent" else fact.value
            shown = (
                "0.0%" if fact.kind == "percent" else (COUNT_WHOLE if fact.kind == "count" else FORMATS.get(fact.kind))
            )
            ws.cell(first_row + i, 2, number(value)).number_format = shown or "General"
        else:
            text_cell(ws, first_row + i, 2, fact.value)
    return first_row + len(result.facts) + (1 if result.facts else 0)


def _provenance(ws, result: TableResult, first_row: int) -> None:
    command = result.provenance[0].command if result.provenance else ""
    rows = [
        ("Command", command),
        (
            "To reproduce",
            "run the command above in the folder it names: the same inputs, seed and draws give the same figures",
        ),
    ]
    for p in result.provenance:
        rows += [(f"{f.role.capitalize()} file", f.file) for f in p.files[:1]]
        rows += [("SHA-256", f.sha256) for f in p.files[:1]]
        for f in p.files[1:]:
            rows += [(f"{f.role.capitalize()} file", f.file), ("SHA-256", f.sha256)]
    rows += [
        ("cba version", result.provenance[0].cba_version if result.provenance else ""),
        ("Exported", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("Note", "values computed by cba over many evaluations (not formulas); money rounded to the penny"),
    ]
    rows += [("Note", note) for note in result.notes]
    for i, (label, value) in enumerate(rows):
        ws.cell(first_row + i, 1, label).font = BOLD
        text_cell(ws, first_row + i, 2, value)


def table_sheet(wb: Workbook, table: Table, result: TableResult, first: bool) -> None:
    """One table of ``result`` on a sheet of its own (the workbook's first when ``first``), as values, with its
    chart and, below it, the command, the inputs and their hashes."""
    ws = wb.active if first else wb.create_sheet()
    ws.title = table.key[:31]
    put_header(ws, 1, [c.label for c in table.columns])
    for r, row in enumerate(table.rows, start=2):
        for c, (column, value) in enumerate(zip(table.columns, row), start=1):
            if value is None:
                continue
            if isinstance(value, str) or column.kind == "text":
                cell = text_cell(ws, r, c, str(value))
                if column.key == "workbook":  # a programme's own workbook, beside this one
                    cell.hyperlink = str(value)
                    cell.style = "Hyperlink"
            elif isinstance(value, bool):
                ws.cell(r, c, value)
            else:
                kind = table.kind_at(row, c - 1)
                shown = FORMATS.get(kind, "General")
                if kind == "money":
                    shown = money_format([value])  # type: ignore[list-item]  # pence where the figure has them
                elif kind == "count" and isinstance(value, Decimal) and value == value.to_integral_value():
                    shown = COUNT_WHOLE
                ws.cell(r, c, number(value)).number_format = shown  # type: ignore[arg-type]
    last = len(table.rows) + 1
    numeric = [i for i, c in enumerate(table.columns, start=1) if c.kind == "money"]
    if table.rows and numeric and table.chart != "none":
        chart = LineChart() if table.chart == "line" else BarChart()
        if table.chart == "tornado":
            chart.type = "bar"
        chart.title = table.title
        y_cols = numeric[-1:] if table.chart in ("line", "tornado") else numeric[:1]
        if table.chart == "histogram":
            y_cols = [i for i, c in enumerate(table.columns, start=1) if c.key == "draws"]
        for col in y_cols:
            chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=last), titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
        tidy_chart(chart)
        chart.height, chart.width = 9, 18
        ws.add_chart(chart, f"{get_column_letter(len(table.columns) + 2)}2")
    _provenance(ws, result, _facts(ws, result, last + 2) if first else last + 2)
    set_widths(ws, {get_column_letter(i + 1): 18 for i in range(len(table.columns))} | {"A": 28, "B": 30})


def write_tables(path: Path, result: TableResult, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """One sheet per table of ``result``, written atomically."""
    wb = Workbook()
    for i, table in enumerate(result.tables):
        table_sheet(wb, table, result, i == 0)
    from cba.render.xlsx_print import set_up_printing

    set_up_printing(wb, result.provenance[0].scenario_file.sha256 if result.provenance else "")
    write_atomically(path, wb.save, force=force, inputs=list(inputs))
