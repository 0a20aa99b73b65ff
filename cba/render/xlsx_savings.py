"""The Savings sheet: savings netted against cost lines (``saving:``). For each line and measure, the gross (an
input, or the formula the Costs sheet would use: units x price, the arms' difference, a spread's share), the saving
(inputs) and the net (formulas, gross - saving), which the Costs sheet's amounts for the line read."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from openpyxl.utils import get_column_letter

from cba.engine.appraisal import LineFigures
from cba.engine.run import RunResult
from cba.render.xlsx_cells import BOLD, Book, number, put_formula, put_header, put_input, ref, set_widths, text_cell

#: (line index, measure) -> period -> the cell holding the line's net amount in that period.
NettedCells = dict[tuple[int, str], dict[str, str]]
#: The formula (no '=') that gives a line's gross amount from another sheet, or None when it is an input.
Linked = Callable[[int, LineFigures, str, str, Decimal], str | None]


def savings_sheet(book: Book, result: RunResult, linked: Linked) -> NettedCells:
    a = result.figures
    netted = [(i, f) for i, f in enumerate(a.lines) if f.netted is not None and f.quantified]
    if not netted:
        return {}
    ws = book.wb.create_sheet("Savings")
    money = book.money_format
    cols = {p: get_column_letter(3 + k) for k, p in enumerate(a.periods)}
    first, last = cols[a.periods[0]], cols[a.periods[-1]]
    total = get_column_letter(3 + len(a.periods))
    put_header(ws, 1, ["Line", "What"] + list(a.periods) + ["Total"])
    cells: NettedCells = {}
    r = 2
    for index, f in netted:
        n = f.netted
        assert n is not None
        for measure in ("budget", "actual"):
            if not (n.total("gross", measure) or n.total("saving", measure)):
                continue
            gross, saving, net = r, r + 1, r + 2
            less = f"less: {n.label}" + (f" (source: {n.source})" if n.source else "")
            for row, what in ((gross, f"gross {measure}"), (saving, less), (net, f"net {measure}")):
                text_cell(ws, row, 1, f.label)
                text_cell(ws, row, 2, what)
            ws.cell(net, 2).font = BOLD
            for p, col in cols.items():
                amount = n.gross[measure][p]
                formula = linked(index, f, measure, p, amount)
                if formula is not None:
                    put_formula(ws[f"{col}{gross}"], formula, money)
                elif amount:
                    put_input(ws[f"{col}{gross}"], number(amount), money, f"cost_lines.{index}.{measure}.{p}")
                if n.saving[measure][p]:
                    key = f"cost_lines.{index}.saving.{measure}.{p}"
                    put_input(ws[f"{col}{saving}"], number(n.saving[measure][p]), money, key)
                put_formula(ws[f"{col}{net}"], f"{col}{gross}-{col}{saving}", money, True)
            for row in (gross, saving, net):
                put_formula(ws[f"{total}{row}"], f"SUM({first}{row}:{last}{row})", money, row == net)
            cells[(index, measure)] = {p: ref(ws, f"{col}{net}") for p, col in cols.items()}
            r += 4
    set_widths(ws, {"A": 32, "B": 40})
    return cells
