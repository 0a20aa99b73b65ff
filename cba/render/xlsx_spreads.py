"""The Spreads sheet: figures published as a total over several periods, spread over them (``spread:``,
``volume_spread:``). The total and each period's share are inputs; each period's amount is a formula, total x
share, and the last period takes what is left, as cba does. The Costs, Transfers and Appraisal sheets read
those amounts, so changing a total or a share changes every figure that follows from it."""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from cba.engine.run import RunResult
from cba.render.xlsx_cells import (
    COUNT,
    PERCENT,
    Book,
    number,
    put_formula,
    put_header,
    put_input,
    ref,
    set_widths,
    text_cell,
)

#: The total a row spreads: ("cost line", line index, "budget" or "actual"), ("transfer", name, "total"),
#: ("outcome volume", outcome id, "volume"); mapped to each period's amount cell, by period label.
SpreadCells = dict[tuple[object, ...], dict[str, str]]


def _total_key(kind: object, item: object, measure: str) -> str | None:
    """How --set names a spread's total: a cost line's budget or actual, an outcome's volume; a transfer is
    named by its name, which a dotted key cannot always hold, so it has none."""
    if kind == "cost line":
        return f"cost_lines.{item}.spread.{measure}"
    if kind == "outcome volume":
        return f"outcomes.{item}.volume_spread.total"
    return None


def spreads_sheet(book: Book, result: RunResult) -> SpreadCells:
    a = result.figures
    if not a.spreads:
        return {}
    t = a.timeline
    ws = book.wb.create_sheet("Spreads")
    cols = {year: get_column_letter(4 + i) for i, year in enumerate(t.years)}
    put_header(ws, 1, ["Item", "What", "Total"] + [f"{y} (t={i})" for i, y in enumerate(t.years)])
    cells: SpreadCells = {}
    r = 2
    # a row pair for each total: a cost line's budget and actual apart
    items = [(key, name, measure, total, shape) for key, _, name, shape in a.spreads for measure, total in shape.totals]
    for (kind, item), label, measure, total, shape in items:
        share_row, amount_row = r, r + 1
        fmt = COUNT if measure == "volume" else book.money_format
        text_cell(ws, share_row, 1, label)
        ws.cell(share_row, 2, "share of the total" + (" (even)" if shape.shares is None else ""))
        text_cell(ws, amount_row, 1, label)
        ws.cell(amount_row, 2, "paid before any cap" if measure == "total" else measure)
        put_input(ws[f"C{amount_row}"], number(total), fmt, _total_key(kind, item, measure))
        start = t.years.index(shape.start) if shape.start in t.years else len(t.years)
        covered = t.years[start : start + shape.periods]  # a horizon may end before the spread does
        for k, year in enumerate(covered):
            col = cols[year]
            if shape.shares is None:
                put_formula(ws[f"{col}{share_row}"], f"1/{shape.periods}", PERCENT)
            else:
                put_input(ws[f"{col}{share_row}"], number(shape.shares[k]), PERCENT)
            last = k == shape.periods - 1
            if last and k:  # what is left, so the periods sum to the total exactly
                before = f"SUM({cols[covered[0]]}{amount_row}:{cols[covered[k - 1]]}{amount_row})"
                put_formula(ws[f"{col}{amount_row}"], f"$C${amount_row}-{before}", fmt)
            else:
                put_formula(ws[f"{col}{amount_row}"], f"$C${amount_row}*{col}{share_row}", fmt)
        cells[(kind, item, measure)] = {year: ref(ws, f"{cols[year]}{amount_row}") for year in covered}
        r += 3
    set_widths(ws, {"A": 36, "B": 24, "C": 16})
    return cells
