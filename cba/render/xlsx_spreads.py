"""The Spreads sheet: figures published as a total over several periods, spread over them (``spread:``,
``volume_spread:``). The total and each period's share are inputs; each period's amount is a formula, total x
share, and the last period takes what is left, as cba does. The Costs, Transfers and Appraisal sheets read
those amounts, so changing a total or a share changes every figure that follows from it."""

from __future__ import annotations

from decimal import Decimal

from openpyxl.utils import get_column_letter

from cba.engine.run import RunResult
from cba.engine.timeline import SpreadShape
from cba.render.xlsx_cells import COUNT, PERCENT, Book, number, put_formula, put_header, put_input, ref, text_cell

#: The item a spread belongs to: ("cost line", line index, "budget" or "actual"), ("transfer", name),
#: ("outcome volume", outcome id); mapped to each period's amount cell, by period label.
SpreadCells = dict[tuple[object, ...], dict[str, str]]


def spreads_sheet(book: Book, result: RunResult) -> SpreadCells:
    a = result.figures
    if not a.spreads:
        return {}
    t = a.timeline
    ws = book.wb.create_sheet("Spreads")
    cols = {year: get_column_letter(4 + i) for i, year in enumerate(t.years)}
    put_header(ws, 1, ["Item", "What", "Total"] + [f"{y} (t={i})" for i, y in enumerate(t.years)])
    # (key, the item's name, what is spread, its total, the spread, whether it is a volume)
    items: list[tuple[tuple[object, ...], str, str, Decimal, SpreadShape, bool]] = []
    for i, f in enumerate(a.lines):
        if f.spread is not None:
            items += [
                (("cost line", i, what), f.label, what, total, f.spread, False) for what, total in f.spread.totals
            ]
    for flow in t.transfers:
        if flow.spread is not None:
            shape = flow.spread
            items.append((("transfer", flow.name), flow.name, "paid before any cap", shape.totals[0][1], shape, False))
    for s in t.streams:
        if s.volume_spread is not None and not s.part:  # an outcome's several values share one volume
            shape = s.volume_spread
            items.append((("outcome volume", s.outcome), s.measure, "volume", shape.totals[0][1], shape, True))
    cells: SpreadCells = {}
    r = 2
    for key, label, what, total, shape, volume in items:
        share_row, amount_row = r, r + 1
        fmt = COUNT if volume else book.money_format
        text_cell(ws, share_row, 1, label)
        ws.cell(share_row, 2, "share of the total" + (" (even)" if shape.shares is None else ""))
        text_cell(ws, amount_row, 1, label)
        ws.cell(amount_row, 2, what)
        put_input(ws[f"C{amount_row}"], number(total), fmt)
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
        cells[key] = {year: ref(ws, f"{cols[year]}{amount_row}") for year in covered}
        r += 3
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 24
    ws.column_dimensions["C"].width = 16
    return cells
