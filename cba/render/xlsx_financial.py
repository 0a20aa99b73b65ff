"""The Financial case sheet: the public budget holders' cash by year, as formulas over the Appraisal sheet.

Each holder's cash costs are its cost lines at the price base (SUMIF on the agency beside each line, which may be
an input) x the year's inflation (the Deflators sheet's index for the year / the index at the price base); its
cashable savings are each fiscal stream's volume x unit value x additionality x cashable share, before optimism
bias, x the same inflation. A figure the engine could not know (past the deflator series with no forecast, or
savings whose cashability nothing states) is the text "not known", never 0. Transfers are as written (values),
and the reconciliation's middle steps are cba's figures: a check cell says whether they still add up to the
live NPV after an edit (run again to bring them up to date).
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.financial_case import ALL, last_year
from cba.engine.run import RunResult
from cba.model.periods import financial_year
from cba.render.xlsx_cells import (
    BOLD,
    GBP_PENCE,
    PERCENT,
    Book,
    put_formula,
    put_header,
    put_input,
    set_widths,
    text_cell,
    text_of,
)
from cba.render.xlsx_values import sumif_criterion

APPRAISAL = "'Appraisal'!"
NOT_KNOWN = "not known"


def _text_literal(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def financial_sheet(book: Book, result: RunResult) -> Worksheet:
    fc = result.financial_case
    t = result.figures.timeline
    ws = book.wb.create_sheet("Financial case")
    n = len(fc.years)
    cols = [get_column_letter(3 + i) for i in range(n)]
    total_col = get_column_letter(3 + n)
    put_header(ws, 1, ["Item", "Budget holder", *fc.years, "Whole appraisal"])
    money = GBP_PENCE
    text_cell(ws, 2, 1, "Financial year (the deflator's year)")
    for col, year in zip(cols, fc.years):
        text_cell(ws, 2, cols.index(col) + 3, financial_year(year))
    live = t.real_terms and book.deflators is not None
    forecast = result.deflator_forecast
    if live:
        table = book.deflators
        assert table is not None
        text_cell(ws, 3, 1, "GDP deflator index (Deflators sheet; past the series, grown at the forecast below)")
        text_cell(ws, 4, 1, "GDP deflator at the price base (Assumptions' price_base)")
        put_formula(ws["B4"], table.lookup("price_base"), "0.0000")
        text_cell(ws, 5, 1, "Inflation: what a pound in price-base prices is in that year's cash")
        latest = last_year(t.deflator) if t.deflator else ""
        if forecast is not None:
            text_cell(ws, 6, 1, "Deflator growth a year past the series (deflator_forecast.growth)")
            put_input(ws["B6"], float(forecast.growth), PERCENT, "deflator_forecast.growth")
            text_cell(ws, 6, 3, f"source: {forecast.source}")
        for i, col in enumerate(cols):
            index = fc.indices[i]
            if index is None:
                text_cell(ws, 3, 3 + i, NOT_KNOWN)
                text_cell(ws, 5, 3 + i, NOT_KNOWN)
                continue
            if fc.forecast_from is not None and i >= fc.forecast_from:
                past = int(financial_year(fc.years[i])[:4]) - int(latest[:4])
                put_formula(ws[f"{col}3"], f"{table.lookup(_text_literal(latest))}*(1+$B$6)^{past}", "0.0000")
            else:
                put_formula(ws[f"{col}3"], table.lookup(f"{col}2"), "0.0000")
            put_formula(ws[f"{col}5"], f"{col}3/$B$4", "0.000000")
            book.known(ws, 3, 3 + i, index)
            book.known(ws, 5, 3 + i, fc.inflation[i])
    else:
        text_cell(ws, 3, 1, "Not in real terms: costs as written (outturn is cash); savings are not known in cash")
    cost_lines = book.cost_block
    r = 8
    at: dict[str, dict[str, int]] = {}  # holder -> measure -> row
    by_holder = {(row.holder, row.year): row for row in fc.rows}
    for holder in (*fc.holders, ALL):
        label = f"{holder} (lead)" if holder == fc.lead else holder
        text_cell(ws, r, 1, label).font = BOLD
        rows = {"costs": r + 1, "savings": r + 2, "transfers": r + 3, "net": r + 4, "cumulative": r + 5}
        at[holder] = rows
        for measure, title in (
            ("costs", "Cash costs (no optimism bias)"),
            ("savings", "Cashable savings (before optimism bias)"),
            ("transfers", "Transfers received less paid (as written)"),
            ("net", "Net cash"),
            ("cumulative", "Cumulative net cash"),
        ):
            text_cell(ws, rows[measure], 1, title)
            text_cell(ws, rows[measure], 2, holder)
        for i, (col, year) in enumerate(zip(cols, fc.years)):
            row = by_holder[(holder, year)]
            formulas = _cells(book, result, holder, i, col, rows, at, cost_lines, live)
            for measure, value in (
                ("costs", row.costs),
                ("savings", row.savings),
                ("transfers", row.transfers),
                ("net", row.net),
                ("cumulative", row.cumulative),
            ):
                cell = ws[f"{col}{rows[measure]}"]
                if value is None:
                    text_cell(ws, rows[measure], 3 + i, NOT_KNOWN)
                elif measure == "transfers" and holder != ALL:
                    cell.value = float(value)
                    cell.number_format = money
                else:
                    put_formula(cell, formulas[measure], money)
                    book.known(ws, rows[measure], 3 + i, value)
        whole = fc.total(holder)
        for measure, value in (
            ("costs", whole.costs),
            ("savings", whole.savings),
            ("transfers", whole.transfers),
            ("net", whole.net),
        ):
            if value is None:
                text_cell(ws, rows[measure], 3 + n, NOT_KNOWN)
            else:
                put_formula(
                    ws[f"{total_col}{rows[measure]}"],
                    f"SUM({cols[0]}{rows[measure]}:{cols[-1]}{rows[measure]})",
                    money,
                    True,
                )
                book.known(ws, rows[measure], 3 + n, value)
        r += 7
    if fc.envelope_rows:
        text_cell(ws, r, 1, f"Budget envelope: {fc.envelope_holder}'s cash costs against the cash it has").font = BOLD
        put_header(ws, r + 1, ["Year", "Envelope (cash)", "Cash costs", "Headroom", "Cumulative headroom"])
        rows_of = at.get(fc.envelope_holder)
        for k, e in enumerate(fc.envelope_rows):
            at_row = r + 2 + k
            text_cell(ws, at_row, 1, e.year)
            put_input(ws[f"B{at_row}"], float(e.envelope), money, f"budget_envelope.amounts.{e.year}")
            if e.costs is None or rows_of is None or e.year not in fc.years:
                for column in (3, 4, 5):
                    text_cell(ws, at_row, column, NOT_KNOWN)
                continue
            put_formula(ws[f"C{at_row}"], f"{cols[fc.years.index(e.year)]}{rows_of['costs']}", money)
            put_formula(ws[f"D{at_row}"], f"B{at_row}-C{at_row}", money)
            book.known(ws, at_row, 3, e.costs)
            book.known(ws, at_row, 4, e.headroom)
            if e.cumulative is None:
                text_cell(ws, at_row, 5, NOT_KNOWN)
            else:
                put_formula(ws[f"E{at_row}"], f"D{at_row}" if k == 0 else f"E{at_row - 1}+D{at_row}", money)
                book.known(ws, at_row, 5, e.cumulative)
        r += len(fc.envelope_rows) + 3
    text_cell(ws, r, 1, "From the financial case to the economic case (whole appraisal)").font = BOLD
    first = r + 1
    for k, (key, label, amount) in enumerate(fc.reconciliation):
        at_row = first + k
        text_cell(ws, at_row, 1, label)
        if amount is None:
            text_cell(ws, at_row, 2, NOT_KNOWN)
        elif key == "net_cash":
            put_formula(ws[f"B{at_row}"], f"{total_col}{at[ALL]['net']}", money)
            book.known(ws, at_row, 2, amount)
        elif key == "npv" and "npv" in book.names:
            put_formula(ws[f"B{at_row}"], "npv", money, True)
            book.known(ws, at_row, 2, amount)
        else:  # cba's figure for the step, as run
            ws[f"B{at_row}"] = float(amount)
            ws[f"B{at_row}"].number_format = money
    last = first + len(fc.reconciliation) - 1
    if fc.reconciliation[-1][0] == "npv" and all(a is not None for _, _, a in fc.reconciliation):
        # the steps to the undiscounted net public value (its row is cba's figure), then discounting, against the
        # live NPV: the net cash and the NPV follow an edit, the steps between do not until cba runs again
        text_cell(ws, last + 1, 1, "The steps add up to the economic case (FALSE after an edit: run cba again)")
        put_formula(ws[f"B{last + 1}"], f"ROUND(SUM(B{first}:B{last - 3})+B{last - 1}-B{last},2)=0")
        book.known(ws, last + 1, 2, True)
    r = last + 3
    for note in fc.notes:
        text_cell(ws, r, 1, note)
        r += 1
    set_widths(ws, {"A": 62, "B": 26, **{c: 15 for c in cols}, total_col: 17})
    return ws


def _cells(
    book: Book,
    result: RunResult,
    holder: str,
    i: int,
    col: str,
    rows: dict[str, int],
    at: dict[str, dict[str, int]],
    cost_lines: tuple[tuple[int, int], tuple[int, int]] | None,
    live: bool,
) -> dict[str, str]:
    """The formulas of one holder's year: costs, savings, net and cumulative (transfers are values)."""
    fc = result.financial_case
    prev = get_column_letter(2 + i) if i else None
    cumulative = f"{prev}{rows['cumulative']}+{col}{rows['net']}" if prev else f"{col}{rows['net']}"
    net = f"{col}{rows['savings']}+{col}{rows['transfers']}-{col}{rows['costs']}"
    if holder == ALL:

        def across(measure: str) -> str:
            return "+".join(f"{col}{at[h][measure]}" for h in fc.holders)

        return {
            "costs": across("costs"),
            "savings": across("savings"),
            "transfers": across("transfers"),
            "net": net,
            "cumulative": cumulative,
        }
    inflation = f"*{col}$5" if live else ""
    if live and fc.inflation[i] is None:  # known only as nothing at all: no spend or saving falls in the year
        return {"costs": "0", "savings": "0", "net": net, "cumulative": cumulative}
    if cost_lines is not None:
        (real_first, real_last), _ = cost_lines
        criterion = sumif_criterion(text_of(holder))
        costs = (
            f"SUMIF({APPRAISAL}$B${real_first}:$B${real_last},{criterion},"
            f"{APPRAISAL}{col}{real_first}:{col}{real_last}){inflation}"
        )
    elif holder == fc.lead:  # no per-line block: every line is the lead's, as written (outturn is cash)
        costs = f"{APPRAISAL}{col}8"
    else:
        costs = "0"
    terms = []
    for _, r, volume_row, share_row, from_row, growth_row in book.cash_streams:
        grown = f"*{APPRAISAL}{col}{growth_row}" if growth_row is not None else ""
        b = f"{APPRAISAL}$B$"
        terms.append(
            f'IF(AND({b}{r}="fiscal",{APPRAISAL}$C${r}={_text_literal(text_of(holder))},{b}{r + 9},{i}>={b}{from_row}),'
            f"{APPRAISAL}{col}{volume_row}*{b}{r + 4}*(1-{b}{r + 5})*(1-{b}{r + 6})*(1-{b}{r + 7})*{b}{share_row}{grown},0)"
        )
    savings = f"({'+'.join(terms)}){inflation}" if terms else "0"
    return {"costs": costs, "savings": savings, "net": net, "cumulative": cumulative}
