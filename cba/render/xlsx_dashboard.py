"""The Dashboard: one printed page after the Guide (issue 28, item 7).

The headline figures, who pays and who benefits by agency (with the cashable part), the same by
year, and two charts, every figure a live formula over the calculation sheets: the headlines read
the Summary's cells; the agencies' figures read the Appraisal sheet's rows for each benefit stream
(by the unit cost's agency) and each cost line after optimism bias (by the line's agency), times the
discount factors, and the Transfers sheet's present values. The engine's own table (``who pays and
who benefits`` in ``cba run --format json``) is the same arithmetic: a test compares them to the
penny. Without an appraisal there are no present values, so the page holds the headlines and the
spending chart and says so.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.run import RunResult
from cba.render.xlsx_cells import (
    BOLD,
    TITLE_FONT,
    Book,
    bars_from_zero,
    naming_price_base,
    put_formula,
    put_header,
    set_widths,
    text_cell,
    text_of,
    tidy_chart,
)
from cba.render.xlsx_places import agency_costs
from cba.render.xlsx_values import sumif_criterion

#: the headlines the page shows, in order: appraised, and not
APPRAISED = (
    "npv",
    "bcr",
    "financial_roi",
    "cashable_roi",
    "payback_years",
    "cashable_payback_years",
    "net_present_budget_impact",
    "pv_costs",
    "pv_benefits",
)
UNDISCOUNTED = ("net_position", "benefit_cost_ratio", "cost", "attributable_benefits", "variance")

APPRAISAL, TRANSFERS = "'Appraisal'!", "'Transfers'!"


def _sum(terms: list[str]) -> str:
    """Terms added up; "0" when there are none."""
    terms = [t for t in terms if t]
    return "+".join(terms) if terms else "0"


def dashboard_sheet(book: Book, result: RunResult) -> Worksheet:
    ws = book.wb.create_sheet("Dashboard")
    p = result.provenance
    ws["A1"] = "Dashboard"
    ws["A1"].font = TITLE_FONT
    text_cell(ws, 2, 1, f"{p.scenario} ({p.organisation}), {p.periods[0]} to {p.periods[-1]}.")
    prices = naming_price_base(result.settings.prices, p.price_base) if result.figures.timeline.real_terms else None
    if prices is not None:  # the price base the Assumptions sheet holds
        put_formula(ws["A3"], prices)
    else:
        text_cell(ws, 3, 1, result.settings.prices)
    ws["A4"] = "Every figure here is a formula over the calculation sheets: select one to trace it."
    summary = book.wb["Summary"]
    put_header(ws, 5, ["Headline", "Figure", "Key"])
    r = 6
    shown = APPRAISED if result.settings.appraised else UNDISCOUNTED
    labels = {f.key: f.label for f in result.headlines}
    for key in shown:
        cell = book.headline_cells.get(key)
        if cell is None:
            continue
        text_cell(ws, r, 1, labels[key])
        put_formula(ws[f"B{r}"], f"'Summary'!{cell}", summary[cell].number_format, bold=key in ("npv", "net_position"))
        ws.cell(r, 3, key)
        r += 1
    rows = book.appraisal_rows
    if rows is None:
        r += 1
        ws.cell(
            r,
            1,
            "Not appraised: no present values by agency (run with --green-book, or give the scenario an "
            "appraisal: block, for who pays and who benefits)",
        ).font = BOLD
        _spending_chart(book, result, ws, f"A{r + 2}")
        set_widths(ws, {"A": 64, "B": 18, "C": 24})
        return ws
    # who pays first, reading the tables by year below it (the costs' totals)
    who_at = r + 1
    # each who pays or benefits as written, and any agency a changed input may give a fiscal benefit
    agencies = sorted({f.agency for f in result.figures.timeline.who_pays_and_benefits()} | set(rows.benefit_agencies))
    end, costs_at, below = _by_year(book, result, ws, rows, agencies, who_at + len(agencies) + 4)
    _who_pays(book, result, ws, rows, agencies, who_at, costs_at)
    headers = [who_at + 1, *below]
    r = end
    _payback_chart(book, ws, rows, f"A{r + 1}")
    _spending_chart(book, result, ws, f"E{r + 1}")
    set_widths(ws, {"A": 56, "B": 18, "C": 18, **{get_column_letter(c): 16 for c in range(4, 12)}})
    from cba.render.xlsx_print import fit_row_height

    for header in headers:  # tall enough for their wrapped titles (the first is the page's print title)
        fit_row_height(ws, header, per_width=0.9)
    return ws


def _costs(rows, agency: str, col: str, only: str) -> str:
    """An agency's PV of costs in one year: its lines after optimism bias (SUMIF on the agency beside each line,
    so thousands of lines stay one short formula) x the year's discount factor; "0" when it bears none."""
    if rows.cost_lines is None:  # one agency bears every cost: the PV of costs row
        return f"{APPRAISAL}{col}{rows.pv_costs_row}" if agency == only else "0"
    return agency_costs(rows.cost_lines, sumif_criterion(text_of(agency)), col, rows.df_row, APPRAISAL)


def _flows(result: RunResult, rows, agency: str, col: str) -> tuple[str, str, str, str]:
    """An agency's (fiscal benefits, cashable, paid, received) in one year's column, or its total (its costs are
    the table of costs by agency and year's)."""
    from cba.render.xlsx_appraisal import paid_out_row

    t = result.figures.timeline
    criterion = sumif_criterion(text_of(agency))
    paid = [paid_out_row(k) + 3 for k, f in enumerate(t.transfers) if f.payer == agency]
    received = [paid_out_row(k) + 3 for k, f in enumerate(t.transfers) if f.payee == agency]
    return (
        rows.streams.sum(col, "PV", "fiscal", criterion, sheet=APPRAISAL),  # SUMIFS: as its inputs change
        rows.streams.sum(col, "cashable PV", "fiscal", criterion, sheet=APPRAISAL),
        _sum([f"{TRANSFERS}{col}{row}" for row in paid]),
        _sum([f"{TRANSFERS}{col}{row}" for row in received]),
    )


def _who_pays(
    book: Book, result: RunResult, ws: Worksheet, rows, agencies: list[str], r: int, costs_at: dict[str, int]
) -> int:
    """Who pays and who benefits, by agency, in present values; returns the next free row. ``costs_at``: the row
    of each agency's costs by year, whose total column this table reads."""
    money = book.money_format
    ws.cell(r, 1, "Who pays and who benefits (present values)").font = BOLD
    put_header(
        ws,
        r + 1,
        [
            "Agency or party",
            "PV of costs",
            "PV of fiscal benefits",
            "of which cashable",
            "Paid to others (PV)",
            "Received from others (PV)",
            "Net (benefits - costs - paid + received)",
        ],
    )
    first = r + 2
    total_col = get_column_letter(2 + len(rows.cols))  # the total column of the tables by year
    for k, agency in enumerate(agencies):
        row = first + k
        text_cell(ws, row, 1, agency)
        costs = f"{total_col}{costs_at[agency]}" if agency in costs_at else "0"
        for column, formula in zip("BCDEF", (costs, *_flows(result, rows, agency, rows.total_col))):
            put_formula(ws[f"{column}{row}"], formula, money)
        put_formula(ws[f"G{row}"], f"C{row}-B{row}-E{row}+F{row}", money, bold=True)
    total = first + len(agencies)
    ws.cell(total, 1, "All together").font = BOLD
    for column in "BCDEFG":
        put_formula(
            ws[f"{column}{total}"], f"SUM({column}{first}:{column}{total - 1})" if agencies else "0", money, True
        )
    return total + 1


def _by_year(
    book: Book, result: RunResult, ws: Worksheet, rows, agencies: list[str], r: int
) -> tuple[int, dict[str, int], list[int]]:
    """Each agency's PV of costs by year, then its net (fiscal benefits - costs - paid + received, PV) by year;
    returns the next free row, the row of each agency's costs, and the tables' header rows."""
    money = book.money_format
    t = result.figures.timeline
    years = list(t.years)
    last_col = get_column_letter(1 + len(years))  # the years are columns B onwards; the total follows them
    only = t.cost_flows[0].agency if t.cost_flows else ""
    bearing = list(dict.fromkeys(f.agency for f in t.cost_flows))
    if rows.cost_lines is not None and book.lists is not None and book.lists.agencies is not None:
        # a line's agency is an input (any public agency): each has its row, so a line moved to it is counted
        bearing += [a for a in agencies if a not in bearing and a not in t.outside]
    costs_at: dict[str, int] = {}
    headers = []
    for title, names in (
        ("Costs by agency and year (present values, after optimism bias)", bearing),
        ("Net by agency and year (present values)", agencies),
    ):
        ws.cell(r, 1, title).font = BOLD
        put_header(ws, r + 1, ["Agency or party", *years, "Total"])
        headers.append(r + 1)
        first = r + 2
        for k, agency in enumerate(names):
            row = first + k
            text_cell(ws, row, 1, agency)
            for i, col in enumerate(rows.cols):
                column = get_column_letter(2 + i)
                if names is bearing:
                    formula = _costs(rows, agency, col, only)
                else:
                    costs = f"{column}{costs_at[agency]}" if agency in costs_at else "0"
                    fiscal, _, paid, received = _flows(result, rows, agency, col)
                    terms = [
                        (sign, term)
                        for sign, term in (("+", fiscal), ("-", costs), ("-", paid), ("+", received))
                        if term != "0"
                    ]  # no placeholders
                    formula = "".join(f"{sign}({term})" for sign, term in terms).removeprefix("+") or "0"
                put_formula(ws.cell(row, 2 + i), formula, money)
            put_formula(ws.cell(row, 2 + len(years)), f"SUM(B{row}:{last_col}{row})", money, bold=True)
            if names is bearing:
                costs_at[agency] = row
        total = first + len(names)
        ws.cell(total, 1, "All together").font = BOLD
        for i in range(len(years) + 1):
            column = get_column_letter(2 + i)
            put_formula(
                ws[f"{column}{total}"], f"SUM({column}{first}:{column}{total - 1})" if names else "0", money, True
            )
        r = total + 2
    return r - 1, costs_at, headers


def _payback_chart(book: Book, ws: Worksheet, rows, anchor: str) -> None:
    """The Appraisal sheet's cumulative PV of costs and of benefits, each point on its year."""
    from cba.render.xlsx_appraisal import cumulative_chart

    chart = cumulative_chart(
        book.wb["Appraisal"],
        len(rows.cols),
        rows.chart_rows[0],
        "Cumulative PV of costs and benefits",
        ("Costs", "Benefits"),
    )
    chart.height, chart.width = 7, 12
    ws.add_chart(chart, anchor)


def _spending_chart(book: Book, result: RunResult, ws: Worksheet, anchor: str) -> None:
    """The Years sheet's budget and actual by period."""
    years = book.wb["Years"]
    last = years.max_row
    chart = BarChart()
    chart.title = "Budget and actual by period"
    chart.y_axis.title = "£"
    chart.add_data(Reference(years, min_col=2, max_col=3, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(years, min_col=1, min_row=2, max_row=last))
    tidy_chart(chart)
    a = result.figures
    bars_from_zero(chart, [v for line in a.lines for v in (*line.budget.values(), *line.actual.values())])
    chart.height, chart.width = 7, 12
    ws.add_chart(chart, anchor)
