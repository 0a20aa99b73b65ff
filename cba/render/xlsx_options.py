"""``cba options --xlsx``: the shortlist as a live model.

Each option's PV costs and PV benefits are inputs (its run's figures, with the scenario file and hash beside
them); everything else is a formula over them and over the value-for-money bands, which are inputs too:
the figures against business as usual, the BCR and its category, the rank, the increments over the next
cheaper option, the preferred option and the switching value. Edit a PV or a band and LibreOffice or Excel
recomputes them as ``cba options`` would. The order of the increments is the order by PV costs when the
workbook was written; a cell says whether the (edited) costs still run in that order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.result import Table, TableResult
from cba.engine.value_for_money import BANDS_SOURCE, DFT_BANDS, NOT_DEFINED
from cba.io.atomic import write_atomically
from cba.render.xlsx_cells import (
    BOLD,
    GBP_PENCE,
    PERCENT,
    TITLE_FONT,
    WRAP_TOP,
    number,
    put_formula,
    put_header,
    put_input,
    set_widths,
    text_cell,
)
from cba.render.xlsx_tables import table_sheet

RATIO = "0.000000"
FIRST = 5  # the first option's row on the Options sheet
BANDS_FIRST = 4  # the first band's row on the Bands sheet


def _table(result: TableResult, key: str) -> Table:
    return next(t for t in result.tables if t.key == key)


def _category(bcr: str, costs: str, bands: Worksheet) -> str:
    """Nested IFs down the bands from the highest: the category whose lower bound the BCR reaches."""
    rows = list(range(BANDS_FIRST, BANDS_FIRST + len(DFT_BANDS)))
    formula = f"'{bands.title}'!$A${rows[0]}"
    for row in rows[1:]:
        formula = f"IF({bcr}>='{bands.title}'!$B${row},'{bands.title}'!$A${row},{formula})"
    return f'IF({costs}>0,{formula},"{NOT_DEFINED}")'


def _bands(wb: Workbook) -> Worksheet:
    ws = wb.create_sheet("Bands")
    text_cell(ws, 1, 1, "Value-for-money categories: each BCR from (included) is an input").font = TITLE_FONT
    text_cell(ws, 2, 1, BANDS_SOURCE).alignment = WRAP_TOP
    put_header(ws, 3, ["Category", "BCR from (included)", "BCR below"])
    last = BANDS_FIRST + len(DFT_BANDS) - 1
    for i, (name, lowest) in enumerate(DFT_BANDS):
        row = BANDS_FIRST + i
        text_cell(ws, row, 1, name)
        if lowest is not None:
            put_input(ws.cell(row, 2), number(lowest), RATIO)
        if row < last:
            put_formula(ws.cell(row, 3), f"B{row + 1}", RATIO)
    set_widths(ws, {"A": 22, "B": 20, "C": 14})
    return ws


def _options(ws: Worksheet, result: TableResult, bands: Worksheet) -> tuple[int, int]:
    """The options block; returns its first and last rows."""
    table = _table(result, "options")
    rows = table.rows
    last = FIRST + len(rows) - 1
    put_header(
        ws,
        FIRST - 1,
        [
            "Option",
            "Role",
            "Scenario",
            "PV costs (input)",
            "PV benefits (input)",
            "NPSV",
            "PV costs against business as usual",
            "PV benefits against business as usual",
            "NPSV against business as usual",
            "BCR against business as usual",
            "Value for money (before unmonetised impacts)",
            "Rank by NPSV",
            "Unmonetised impacts",
            "Scenario file",
            "SHA-256",
        ],
    )
    for i, (row, provenance) in enumerate(zip(rows, result.provenance)):
        r = FIRST + i
        name, role, scenario, costs, benefits = row[0], row[1], row[2], row[3], row[4]
        text_cell(ws, r, 1, str(name)).font = BOLD
        text_cell(ws, r, 2, str(role))
        text_cell(ws, r, 3, str(scenario))
        put_input(ws.cell(r, 4), number(costs), GBP_PENCE)  # type: ignore[arg-type]
        put_input(ws.cell(r, 5), number(benefits), GBP_PENCE)  # type: ignore[arg-type]
        put_formula(ws.cell(r, 6), f"E{r}-D{r}", GBP_PENCE)
        put_formula(ws.cell(r, 7), f"D{r}-$D${FIRST}", GBP_PENCE)
        put_formula(ws.cell(r, 8), f"E{r}-$E${FIRST}", GBP_PENCE)
        put_formula(ws.cell(r, 9), f"H{r}-G{r}", GBP_PENCE)
        put_formula(ws.cell(r, 10), f'IF(G{r}>0,H{r}/G{r},"not defined")', RATIO)
        if r == FIRST:
            text_cell(ws, r, 11, "(the comparator)")
        else:
            put_formula(ws.cell(r, 11), _category(f"J{r}", f"G{r}", bands))
        put_formula(ws.cell(r, 12), f"RANK(I{r},$I${FIRST}:$I${last})")
        text_cell(ws, r, 13, str(row[12]))
        text_cell(ws, r, 14, provenance.scenario_file.file)
        text_cell(ws, r, 15, provenance.scenario_file.sha256)
    return FIRST, last


def _incremental(ws: Worksheet, result: TableResult, first: int, last: int, bands: Worksheet) -> int:
    """Each option over the next cheaper one, in the order by PV costs as written; returns the next free row."""
    names = [str(r[0]) for r in _table(result, "options").rows]
    at = {name: first + i for i, name in enumerate(names)}
    increments = _table(result, "incremental").rows
    top = last + 3
    text_cell(ws, top - 1, 1, "Each option over the next cheaper one (by PV costs)").font = BOLD
    put_header(
        ws,
        top,
        [
            "Option",
            "Over (next cheaper)",
            "Added PV costs",
            "Added PV benefits",
            "Incremental NPSV",
            "Incremental BCR",
            "Value for money of the increment",
        ],
    )
    for i, row in enumerate(increments):
        r = top + 1 + i
        dearer, cheaper = at[str(row[0])], at[str(row[1])]
        text_cell(ws, r, 1, str(row[0])).font = BOLD
        text_cell(ws, r, 2, str(row[1]))
        put_formula(ws.cell(r, 3), f"D{dearer}-D{cheaper}", GBP_PENCE)
        put_formula(ws.cell(r, 4), f"E{dearer}-E{cheaper}", GBP_PENCE)
        put_formula(ws.cell(r, 5), f"D{r}-C{r}", GBP_PENCE)
        put_formula(ws.cell(r, 6), f'IF(C{r}>0,D{r}/C{r},"not defined")', RATIO)
        put_formula(ws.cell(r, 7), _category(f"F{r}", f"C{r}", bands))
    r = top + 1 + len(increments)
    order = [at[str(row[1])] for row in increments[:1]] + [at[str(row[0])] for row in increments]
    text_cell(ws, r, 1, "Still in order of PV costs (if FALSE, run cba options again)").font = BOLD
    put_formula(ws.cell(r, 2), "AND(" + ",".join(f"D{a}<=D{b}" for a, b in pairwise(order)) + ")")
    return r + 2


def _preferred(ws: Worksheet, top: int, first: int, last: int) -> int:
    names, costs, benefits, npsv = (f"${c}${first}:${c}${last}" for c in "ADEI")
    best = f"MATCH(MAX({npsv}),{npsv},0)"
    rows = [
        ("Preferred option (highest NPSV against business as usual)", f"INDEX({names},{best})", None),
        ("Its NPSV against business as usual", f"MAX({npsv})", GBP_PENCE),
        ("Runner-up", f"INDEX({names},MATCH(LARGE({npsv},2),{npsv},0))", None),
        ("Runner-up's NPSV against business as usual", f"LARGE({npsv},2)", GBP_PENCE),
        (
            "Switching value: the fall in the preferred option's PV benefits (or rise in its PV costs) at which "
            "the runner-up draws level",
            f"MAX({npsv})-LARGE({npsv},2)",
            GBP_PENCE,
        ),
    ]
    for i, (label, formula, shown) in enumerate(rows):
        text_cell(ws, top + i, 1, label).font = BOLD
        put_formula(ws.cell(top + i, 2), formula, shown)
    gap = f"B{top + 4}"
    r = top + len(rows)
    text_cell(ws, r, 1, "The switching value as a share of the preferred option's PV benefits").font = BOLD
    put_formula(ws.cell(r, 2), f'IF(INDEX({benefits},{best})>0,{gap}/INDEX({benefits},{best}),"not defined")', PERCENT)
    text_cell(ws, r + 1, 1, "The switching value as a share of the preferred option's PV costs").font = BOLD
    put_formula(ws.cell(r + 1, 2), f'IF(INDEX({costs},{best})>0,{gap}/INDEX({costs},{best}),"not defined")', PERCENT)
    return r + 3


def _provenance(ws: Worksheet, result: TableResult, top: int) -> None:
    first = result.provenance[0]
    rows = [
        ("Command", first.command),
        ("cba version", first.cba_version),
        ("Exported", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Inputs",
            "each option's PV costs and PV benefits are its scenario's figures as cba run computes them (headlines "
            "pv_costs and pv_benefits); its own audit workbook (cba export) shows how. Change a scenario and run "
            "cba options again, or edit a PV here to see what it would take.",
        ),
    ]
    rows += [("Note", note) for note in result.notes]
    for i, (label, value) in enumerate(rows):
        text_cell(ws, top + i, 1, label).font = BOLD
        text_cell(ws, top + i, 2, value)


def build_options_workbook(result: TableResult) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Options"
    bands = _bands(wb)
    text_cell(ws, 1, 1, "Options appraisal against business as usual").font = TITLE_FONT
    text_cell(ws, 2, 1, result.notes[0])
    first, last = _options(ws, result, bands)
    below = _incremental(ws, result, first, last, bands)
    after = _preferred(ws, below, first, last)
    _provenance(ws, result, after)
    for table in result.tables:  # the options drawn over their ranges: cba's figures over many draws, as values
        if table.key in ("drawn", "value_of_information"):
            table_sheet(wb, table, result, first=False)
    set_widths(
        ws,
        {"A": 34, "B": 22, "C": 30, "K": 28, "M": 30, "N": 30, "O": 20} | {c: 18 for c in "DEFGHIJL"},
    )
    from cba.render.xlsx_print import set_up_printing

    set_up_printing(wb, result.provenance[0].scenario_file.sha256)
    return wb


def write_options(path: Path, result: TableResult, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """The live options workbook, written atomically with every formula's result stored."""
    from cba.render.xlsx_write import save_with_results

    wb = build_options_workbook(result)
    write_atomically(path, lambda temp: save_with_results(wb, temp), force=force, inputs=list(inputs))
