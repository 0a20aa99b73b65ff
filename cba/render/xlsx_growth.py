"""The Real growth sheet: real price growth given by financial year, each rate an input, each year's price index
a formula, which the Appraisal sheet's benefit and cost rows multiply by (issue 29, item 3).

One rate a year needs no sheet: it is an input beside the row it grows ((1 + rate)^years). Rates by year do:
the growth from a unit cost's or a line's price year to the first appraisal year runs through years before
the appraisal's columns. So each item grown by year has two rows on one axis of financial years: the rate in
each year (an input where the scenario lists the year, else the year before's rate, carried forward as the
scenario's schedule carries it) and its price index, 1 in its price year, x (1 + the year's rate) for each
year after and ÷ (1 + the next year's rate) for each year before. An appraisal period's factor is the index
in its financial year.
"""

from __future__ import annotations

from openpyxl.utils import get_column_letter

from cba.engine.run import RunResult
from cba.model.growth import RealGrowth, year_name, year_start
from cba.model.record import record
from cba.render.xlsx_appraisal import growth_years
from cba.render.xlsx_cells import PERCENT, Book, put_formula, put_header, put_input, ref, set_widths, text_cell

FACTOR = "0.000000"
TITLE = "Real growth"


@record
class GrownItem:
    """One benefit stream or cost line grown by year: what the sheet needs of it."""

    key: str  # "stream <key>" or "line <index>": how the Appraisal sheet finds its index row
    label: str
    growth: RealGrowth
    price_year: int  # the start of the financial year its prices are in
    years: tuple[int, ...]  # each appraisal period's financial year (its start)
    field: str | None  # the scenario field its rates are (--set key), None where no single field is


def grown_items(result: RunResult) -> list[GrownItem]:
    """Every stream and cost line whose real growth is given by year."""
    t = result.figures.timeline
    items = []
    for s in t.streams:
        if s.growth is not None and s.growth.by_year:
            years = tuple(s.growth_price_year + s.growth_years(i) for i in range(len(t.years)))
            field = None if s.part else f"outcomes.{s.outcome}.real_growth"
            items.append(GrownItem(f"stream {s.key}", s.label, s.growth, s.growth_price_year, years, field))
    quantified = [i for i, figures in enumerate(result.figures.lines) if figures.quantified]
    for index, f in zip(quantified, t.cost_flows):
        if f.real_growth is not None and f.real_growth.by_year:
            start = year_start(f.price_basis)
            years = tuple(start + growth_years(f.price_basis, t.years[0], i, t.per_year) for i in range(len(t.years)))
            items.append(
                GrownItem(f"line {index}", f.line, f.real_growth, start, years, f"cost_lines.{index}.real_growth")
            )
    return items


def growth_sheet(book: Book, result: RunResult) -> dict[tuple[str, int], str]:
    """The sheet, when some growth is given by year: (item key, financial year start) -> its index cell."""
    items = grown_items(result)
    if not items:
        return {}
    ws = book.wb.create_sheet(TITLE)
    lo = min(min(item.growth.first_listed or item.price_year, item.price_year, *item.years) for item in items)
    hi = max(max(year_start(item.growth.by_year[-1][0]), item.price_year, *item.years) for item in items)
    column = {y: get_column_letter(3 + y - lo) for y in range(lo, hi + 1)}
    put_header(ws, 1, ["Item", "Price year", *(year_name(y) for y in range(lo, hi + 1))])
    cells: dict[tuple[str, int], str] = {}
    r = 2
    for item in items:
        rate_row, index_row = r, r + 1
        listed = {year_start(y): rate for y, rate in item.growth.by_year}
        first = min(listed)
        text_cell(ws, rate_row, 1, f"{item.label}: real growth in the year")
        text_cell(ws, index_row, 1, f"{item.label}: real price index ({year_name(item.price_year)} = 1)")
        text_cell(ws, rate_row, 2, year_name(item.price_year))
        # rates from the first listed year to the last year any index reads (or listed), each year's own
        needed_hi = max(item.price_year, *item.years, max(listed))
        for y in range(first, needed_hi + 1):
            cell = ws[f"{column[y]}{rate_row}"]
            if y in listed:
                put_input(
                    cell, float(listed[y]), PERCENT, None if item.field is None else f"{item.field}.{year_name(y)}"
                )
            else:  # not listed: the year before's rate, as the scenario's schedule carries it forward
                put_formula(cell, f"{column[y - 1]}{rate_row}", PERCENT)
                book.known(ws, rate_row, 3 + y - lo, item.growth.rate_in(y))
        low, high = min(item.price_year, *item.years), max(item.price_year, *item.years)
        for y in range(low, high + 1):
            cell = ws[f"{column[y]}{index_row}"]
            if y == item.price_year:
                cell.value = 1
                cell.number_format = FACTOR
            elif y > item.price_year:
                put_formula(cell, f"{column[y - 1]}{index_row}*(1+{column[y]}{rate_row})", FACTOR)
            else:
                put_formula(cell, f"{column[y + 1]}{index_row}/(1+{column[y + 1]}{rate_row})", FACTOR)
            if y != item.price_year:
                book.known(ws, index_row, 3 + y - lo, item.growth.factor(item.price_year, y - item.price_year))
            cells[(item.key, y)] = ref(ws, f"{column[y]}{index_row}", absolute=True)
        r += 3
    text_cell(
        ws,
        r,
        1,
        "Real price growth over the GDP deflator given by financial year. Each rate listed in the scenario is an "
        "input; a year it does not list takes the year before's rate. The index is 1 in the item's price year, "
        "x (1 + the year's rate) each year after and ÷ (1 + the next year's rate) each year before; the "
        "Appraisal sheet multiplies each period by the index of its financial year.",
    )
    set_widths(ws, {"A": 48, "B": 11, **{column[y]: 10 for y in column}})
    return cells
