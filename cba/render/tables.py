"""A ``TableResult`` (whatif, breakeven, compare, simulate, portfolio) as CSV and as tables for a terminal;
``cba.render.output`` chooses between them and JSON. The same typed tables become workbook sheets in
``cba.render.xlsx_tables``."""

from __future__ import annotations

import csv
from typing import TextIO

from cba.engine.result import Table, TableResult
from cba.render import json as json_face
from cba.render.fit import fitted
from cba.render.format import fmt_value
from cba.render.safe import csv_cell, inert


def write_csv(result: TableResult, out: TextIO) -> None:
    """Each table with a header row of column keys; several tables are separated by a blank line."""
    writer = csv.writer(out, lineterminator="\n")
    for i, table in enumerate(result.tables):
        if i:
            out.write("\n")
        writer.writerow([c.key for c in table.columns])
        for row in table.rows:
            writer.writerow(
                [
                    csv_cell(v) if c.kind == "text" else json_face.value(v, table.kind_at(row, i))
                    for i, (c, v) in enumerate(zip(table.columns, row))
                ]
            )


def rich_table(table: Table):
    from rich.table import Table as RichTable

    written = [[fmt_value(v, table.kind_at(row, i)) for i, v in enumerate(row)] for row in table.rows]
    if table.transpose_for_text:
        out = RichTable(title=inert(table.title), title_justify="left", title_style="bold")
        out.add_column(inert(table.columns[0].label))
        for row in table.rows:
            out.add_column(inert(str(row[0])), justify="right")
        for index, column in enumerate(table.columns[1:], start=1):
            out.add_row(inert(column.label), *[inert(cells[index]) for cells in written])
        return out
    keep = [i for i, c in enumerate(table.columns) if not table.text_columns or c.key in table.text_columns]
    out = RichTable(title=inert(table.title), title_justify="left", title_style="bold")
    for index in keep:
        column = table.columns[index]
        if column.kind in ("text", "flag"):
            out.add_column(inert(column.label), justify="left")
        else:  # a figure: render.fit keeps its column as wide as its widest value
            out.add_column(inert(column.label), justify="right")
    if table.chart == "histogram":
        out.add_column("")
        top = max((row[2] for row in table.rows), default=1) or 1  # type: ignore[type-var]  # the histogram's third column holds counts
    for row, cells in zip(table.rows, written):
        shown = [inert(cells[i]) for i in keep]
        if table.chart == "histogram":
            shown.append(inert("█" * round(20 * row[2] / top)))  # type: ignore[operator]
        out.add_row(*shown)
    return out


def print_tables(result: TableResult, console) -> None:
    for fact in result.facts:
        console.print(inert(f"{fact.label}: {fmt_value(fact.value, fact.kind)}"))
    for table in result.tables:
        console.print(fitted(rich_table(table)))
        for note in table.notes:
            console.print(inert(note))
    for note in result.notes:
        console.print(inert(note))
