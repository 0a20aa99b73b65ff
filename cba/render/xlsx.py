"""The appraisal as an Excel workbook an auditor can trace: inputs as values, every figure a formula.

Each input figure from the scenario or the unit-cost table is written once, as a
plain value in blue on yellow; every total, variance, valuation and headline is a
live formula over those cells, so the workbook recomputes to the figures ``cba run``
prints (a test recalculates it in LibreOffice and compares to the penny).
User text is always written as a text cell, never as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.appraisal import KIND_LABELS, Evidence, LineFigures, OutcomeValue, percent, periods_covered
from cba.engine.run import SIMULATED, RunResult
from cba.engine.value_for_money import BANDS_SOURCE, DFT_BANDS
from cba.io.desugar import SCENARIO_TABLE
from cba.model.periods import which_year
from cba.model.scenario import CostKind
from cba.model.unit_cost import UnitCost
from cba.render.format import fmt_evidence
from cba.render.xlsx_cells import (
    BOLD,
    COUNT,
    GBP,
    GBP_PENCE,
    INPUT_FILL,
    INPUT_FONT,
    PERCENT,
    RATIO,
    TITLE_FONT,
    WRAP_TOP,
    Book,
    CostsLayout,
    bars_from_zero,
    by_id,
    choices,
    colour_key,
    fast_cell,
    keyed,
    money_format,
    naming_price_base,
    number,
    put_formula,
    put_header,
    put_input,
    ref,
    set_widths,
    style_record,
    text_cell,
    tidy_chart,
)
from cba.render.xlsx_lists import written_field
from cba.render.xlsx_values import has_pence


def _arms_sheet(book: Book, result: RunResult) -> tuple[dict[int, int], dict[str, int]]:
    """Means per participant in each arm (inputs), the difference and the programme arm's total (formulas).
    Returns cost line index -> row and outcome id -> row, for the Costs and Benefits sheets' formulas."""
    a = result.figures
    if not a.arm_results or a.arms is None:
        return {}, {}
    ws = book.wb.create_sheet("Arms")
    for r, (name, arm) in enumerate(zip(("Programme arm", "Comparison arm"), a.arms), start=1):
        ws.cell(r, 1, name).font = BOLD
        if arm is None:  # a single-arm study: its comparison means are left blank, and read as nought
            ws.cell(r, 2, "none: a single-arm study, each programme mean the change per participant")
            continue
        label, n = arm
        text_cell(ws, r, 2, label)
        if r == 1 and n is not None:  # the programme arm's n multiplies every difference: an input the totals read
            put_input(ws[f"C{r}"], number(n), COUNT, "arms.programme.n")
        elif n is None:  # only the comparison arm's mean was published; no formula reads its size
            ws[f"C{r}"] = "n not published"
        else:
            ws[f"C{r}"] = number(n)
            ws[f"C{r}"].number_format = COUNT
    put_header(
        ws,
        4,
        [
            "Item",
            "Kind",
            "Programme (mean per participant)",
            "Comparison (mean per participant)",
            "Difference (programme - comparison)",
            "Total for the programme arm (difference x n)",
        ],
    )
    costs: dict[int, int] = {}
    outcomes: dict[str, int] = {}
    for r, item in enumerate(a.arm_results, start=5):
        means = [item.programme] if item.comparison is None else [item.programme, item.comparison]
        shown = money_format(means) if item.money else COUNT
        text_cell(ws, r, 1, item.label)
        text_cell(ws, r, 2, item.kind)
        arm_means = f"cost_lines.{item.index}.arms" if item.kind == "cost" else f"outcomes.{item.key}.arms"
        put_input(ws[f"C{r}"], number(item.programme), shown, f"{arm_means}.programme")
        if item.comparison is not None:  # blank otherwise: a single arm's mean is the difference itself
            put_input(ws[f"D{r}"], number(item.comparison), shown, f"{arm_means}.comparison")
        put_formula(ws[f"E{r}"], f"C{r}-D{r}", shown)
        put_formula(ws[f"F{r}"], f"E{r}*$C$1", shown)
        if item.kind == "cost":
            costs[item.index] = r
        else:
            outcomes[item.key] = r
    set_widths(ws, {"A": 44, "B": 16, "C": 20, "D": 20, "E": 20, "F": 22})
    return costs, outcomes


def _units_sheet(book: Book, result: RunResult) -> tuple[dict[int, int], dict[tuple[str, str], str]]:
    """Lines costed as units x price: the units by period (inputs) and the price (an input, or the Unit costs
    sheet's entry). Returns line index -> row, and (measure, period) -> column, for the Costs sheet's formulas."""
    a = result.figures
    priced = [(i, f) for i, f in enumerate(a.lines) if f.units is not None and f.quantified]
    if not priced:
        return {}, {}
    ws = book.wb.create_sheet("Units")
    columns = {
        (m, p): get_column_letter(4 + k)
        for k, (m, p) in enumerate((m, p) for m in ("budget", "actual") for p in a.periods)
    }
    put_header(ws, 1, ["Line", "Unit", "Price of one unit"] + [f"{m.capitalize()} units {p}" for m, p in columns])
    entry_rows = {
        ref: r for r, use in enumerate(result.unit_costs, start=2) for ref in use.refs
    }  # the Unit costs sheet
    rows = {}
    for r, (index, f) in enumerate(priced, start=2):
        u = f.units
        assert u is not None
        text_cell(ws, r, 1, f.label)
        text_cell(ws, r, 2, u.unit)
        if u.price_ref is not None:
            put_formula(ws[f"C{r}"], f"'Unit costs'!D{entry_rows[u.price_ref]}", money_format([u.price]))
        else:
            put_input(ws[f"C{r}"], number(u.price), money_format([u.price]), f"cost_lines.{index}.units.price")
        for (measure, period), col in columns.items():
            amount = getattr(u, measure)[period]
            put_input(ws[f"{col}{r}"], number(amount), COUNT, f"cost_lines.{index}.units.{measure}.{period}")
        rows[index] = r
    set_widths(ws, {"A": 40, "B": 16, "C": 16, **{c: 14 for c in columns.values()}})
    return rows, columns


def _costs_sheet(book: Book, result: RunResult) -> tuple[Worksheet, CostsLayout]:
    ws = book.wb.create_sheet("Costs")
    a = result.figures
    periods = a.periods
    n = len(periods)
    budget_cols = {p: get_column_letter(3 + i) for i, p in enumerate(periods)}
    budget_total_col = get_column_letter(3 + n)
    actual_cols = {p: get_column_letter(4 + n + i) for i, p in enumerate(periods)}
    actual_total_col = get_column_letter(4 + 2 * n)
    variance_col = get_column_letter(5 + 2 * n)
    layout = CostsLayout(budget_cols, actual_cols, budget_total_col, actual_total_col)
    put_header(
        ws,
        1,
        ["Line", "Kind"]
        + [f"Budget {p}" for p in periods]
        + ["Budget total"]
        + [f"Actual {p}" for p in periods]
        + ["Actual total", "Variance £", "Variance %", "Evidence (source; note)"],
    )
    row = 2
    evidence_col = 7 + 2 * n

    first_b, last_b = budget_cols[periods[0]], budget_cols[periods[-1]]
    first_a, last_a = actual_cols[periods[0]], actual_cols[periods[-1]]
    # Each row's format is chosen here from its figures (pence where any has them), so the save need not
    # revisit this sheet's cells: on large scenarios it holds nearly all of them.
    book.wb.__dict__.setdefault("_cba_formatted", set()).add(ws.title)
    looks = {"input": (INPUT_FONT, INPUT_FILL), "plain": (None, None), "bold": (BOLD, None)}
    styles = {
        (look, pence): style_record(ws, *looks[look], GBP_PENCE if pence else GBP)
        for look in looks
        for pence in (False, True)
    }

    # One format a row (issue 28): pence on every figure of a row when any of them has pence, so a row never
    # reads "£95,000" beside "£125,500.50". Set per row before its cells are written.
    row_pence = False

    def money_style(look="plain"):
        return styles[(look, row_pence)]

    def totals_of(figures) -> tuple[Decimal, Decimal, Decimal | None, Decimal | str]:
        """(budget total, actual total, variance, variance as a share or ""): each a sum, so taken once a row."""
        variance = figures.variance
        budget = figures.budget_total
        pct = None if variance is None else percent(variance, budget)  # as figures.variance_pct, without summing again
        return budget, figures.actual_total, variance, "" if pct is None or not budget else pct / 100

    def row_has_pence(figures, totals) -> bool:
        amounts = [*figures.budget.values(), *figures.actual.values(), totals[0], totals[1]]
        amounts += [totals[2]] if totals[2] is not None else []
        return has_pence(amounts)

    plain_percent, bold_percent = style_record(ws, None, None, PERCENT), style_record(ws, BOLD, None, PERCENT)
    unit_rows, units_cols = _units_sheet(book, result)
    arm_rows = book.arm_rows[0]
    spread_lines = {(key[1], key[2]): cells for key, cells in book.spread_cells.items() if key[0] == "cost line"}
    budget_index = {p: 3 + i for i, p in enumerate(periods)}
    actual_index = {p: 4 + n + i for i, p in enumerate(periods)}

    def totals_and_variance(r: int, totals, bold: bool = False, outside: tuple[int, ...] = ()) -> None:
        """Row totals and the variance (``totals_of``); ``outside``: rows of in-kind contributions, in the actual
        but not spend."""
        look, share = ("bold", bold_percent) if bold else ("plain", plain_percent)
        budget, actual, variance, pct = totals
        # The engine's own figures, stored as these formulas' results (the rest are evaluated on save).
        money = money_style(look)
        fast_cell(ws, r, 3 + n, f"=SUM({first_b}{r}:{last_b}{r})", money, budget)
        fast_cell(ws, r, 4 + 2 * n, f"=SUM({first_a}{r}:{last_a}{r})", money, actual)
        if variance is None:  # nothing in it was budgeted: no overspend to show
            ws.cell(row=r, column=5 + 2 * n, value="not budgeted")
            return
        less = "".join(f"-{actual_total_col}{row}" for row in outside)
        fast_cell(ws, r, 5 + 2 * n, f"={actual_total_col}{r}{less}-{budget_total_col}{r}", money, variance)
        fast_cell(
            ws, r, 6 + 2 * n, f'=IF({budget_total_col}{r}=0,"",{variance_col}{r}/{budget_total_col}{r})', share, pct
        )

    def linked(index: int, figures: LineFigures, measure: str, p: str, amount: Decimal) -> str | None:
        """The formula for a line's (gross) amount that another sheet holds: the arms' difference x n, a spread's
        share, units x price; None when the amount is an input."""
        if measure == "actual" and index in arm_rows and amount:
            return f"'Arms'!F{arm_rows[index]}"
        if p in spread_lines.get((index, measure), {}):
            return spread_lines[(index, measure)][p]
        priced = unit_rows.get(index)  # units x price: each amount a formula over the Units sheet
        if priced is not None and figures.units is not None:  # none in a period is 0 units: still an input
            return f"'Units'!{units_cols[(measure, p)]}{priced}*'Units'!$C${priced}"
        return None

    from cba.render.xlsx_savings import savings_sheet

    netted_cells = savings_sheet(book, result, linked)

    keys = book.wb.__dict__.get("_cba_inputs")  # each input's --set key, when cba diff builds the workbook
    # lines whose amounts another sheet holds (arms, spreads, units, netted savings): the rest are all inputs
    sourced = set(arm_rows) | set(unit_rows) | {i for (i, _) in spread_lines} | {i for (i, _) in netted_cells}
    for kind in a.by_kind:
        first = row
        for index, figures in enumerate(a.lines):
            if figures.kind is not kind or not figures.quantified:
                continue
            text_cell(ws, row, 1, figures.label)
            totals = totals_of(figures)
            row_pence = row_has_pence(figures, totals)
            ws.cell(row=row, column=2, value=kind.value)
            evidence_cell(ws, row, evidence_col, figures.evidence)
            # a period with nothing in it stays blank (SUM reads it as 0): half the cells on a large sheet
            for measure, column_of in (("budget", budget_index), ("actual", actual_index)):
                for p, amount in getattr(figures, measure).items():
                    # a netted line reads its net from the Savings sheet; any other its own source, or is an input
                    formula = (
                        netted_cells.get((index, measure), {}).get(p) or linked(index, figures, measure, p, amount)
                        if index in sourced
                        else None
                    )
                    if formula is not None:
                        fast_cell(ws, row, column_of[p], f"={formula}", money_style(), amount)
                    elif amount:
                        fast_cell(ws, row, column_of[p], number(amount), money_style("input"))
                        if keys is not None:  # built for cba diff: a plain export of 10,000 lines skips it
                            keys[(ws.title, row, column_of[p])] = f"cost_lines.{index}.{measure}.{p}"
            totals_and_variance(row, totals)
            layout.line_rows[index] = row
            row += 1
        last = row - 1
        ws.cell(row=row, column=1, value=KIND_LABELS[kind]).font = BOLD
        totals = totals_of(a.by_kind[kind])
        row_pence = row_has_pence(a.by_kind[kind], totals)
        for p in periods:
            for col, amount in (
                (budget_cols[p], a.by_kind[kind].budget[p]),
                (actual_cols[p], a.by_kind[kind].actual[p]),
            ):
                put_formula(ws[f"{col}{row}"], f"SUM({col}{first}:{col}{last})", GBP_PENCE if row_pence else GBP, True)
                book.known(ws, row, column_index_from_string(col), amount)
        totals_and_variance(row, totals, bold=True)
        layout.kind_rows[kind] = row
        row += 2
    ws.cell(row=row, column=1, value="Total").font = BOLD
    totals = totals_of(a.total)
    row_pence = row_has_pence(a.total, totals)
    for p in periods:
        for col, amount in ((budget_cols[p], a.total.budget[p]), (actual_cols[p], a.total.actual[p])):
            # no quantified line at all (only unquantified in-kind costs): the total is 0, not an empty formula
            put_formula(
                ws[f"{col}{row}"],
                "+".join(f"{col}{r}" for r in layout.kind_rows.values()) or "0",
                GBP_PENCE if row_pence else GBP,
                True,
            )
            book.known(ws, row, column_index_from_string(col), amount)
    contributed = tuple(
        layout.line_rows[i]
        for i, f in enumerate(a.lines)
        if f.quantified and f.kind is CostKind.in_kind and not f.budgeted
    )
    totals_and_variance(row, totals, bold=True, outside=contributed)
    layout.total_row = row
    book.name("budget_total", ws, f"{budget_total_col}{row}")
    book.name("actual_total", ws, f"{actual_total_col}{row}")
    book.name("total_variance", ws, f"{variance_col}{row}")
    row += 2
    unquantified = [line for line in a.lines if not line.quantified]
    if unquantified:
        ws.cell(row=row, column=1, value="Costs not quantified (not in any total)").font = BOLD
        for line in unquantified:
            row += 1
            text_cell(ws, row, 1, line.label)
            ws.cell(row=row, column=2, value=line.kind.value)
            ws.cell(row=row, column=3, value="not quantified")
            evidence_cell(ws, row, evidence_col, line.evidence)
    set_widths(
        ws,
        {
            "A": 46,
            "B": 11,
            **{get_column_letter(c): 14 for c in range(3, 7 + 2 * n)},
            get_column_letter(evidence_col): EVIDENCE_WIDTH,
        },
    )
    return ws, layout


def _years_sheet(book: Book, result: RunResult, costs: Worksheet, layout: CostsLayout) -> Worksheet:
    ws = book.wb.create_sheet("Years")
    put_header(ws, 1, ["Period", "Budget", "Actual", "Variance £", "Cumulative budget", "Cumulative actual"])
    money = book.money_format
    periods = result.figures.periods
    for i, p in enumerate(periods):
        r = i + 2
        text_cell(ws, r, 1, p)
        put_formula(ws[f"B{r}"], ref(costs, f"{layout.budget_cols[p]}{layout.total_row}"), money)
        put_formula(ws[f"C{r}"], ref(costs, f"{layout.actual_cols[p]}{layout.total_row}"), money)
        # nothing budgeted at all: no overspend to show, as on the Summary (not the whole spend as a variance)
        put_formula(ws[f"D{r}"], f'IF(COUNT(total_variance)=0,"",C{r}-B{r})', money)
        put_formula(ws[f"E{r}"], f"SUM(B$2:B{r})", money)
        put_formula(ws[f"F{r}"], f"SUM(C$2:C{r})", money)
    last = len(periods) + 1
    chart = LineChart()
    chart.title = "Cumulative spend: budget vs actual"
    chart.y_axis.title = "£"
    chart.x_axis.title = "Financial year"
    chart.add_data(Reference(ws, min_col=5, max_col=6, min_row=1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=last))
    tidy_chart(chart)
    chart.height, chart.width = 8, 16
    ws.add_chart(chart, "H2")
    set_widths(ws, {"A": 10, "B": 14, "C": 14, "D": 14, "E": 18, "F": 18})
    return ws


def _funding_sheet(book: Book, result: RunResult) -> Worksheet:
    ws = book.wb.create_sheet("Funding")
    put_header(ws, 1, ["Source", "Funder", "Amount", "Evidence (source; note)"])
    money = book.money_format
    funding = result.figures.funding
    for i, source in enumerate(funding):
        r = i + 2
        text_cell(ws, r, 1, source.name)
        text_cell(ws, r, 2, source.funder)
        put_input(ws[f"C{r}"], number(source.amount), money, f"funding.{r - 2}.amount")
        evidence_cell(ws, r, 4, source.evidence)
    r = len(funding) + 2
    ws.cell(row=r, column=1, value="Total funding").font = BOLD
    put_formula(ws[f"C{r}"], f"SUM(C2:C{max(r - 1, 2)})" if funding else "0", money, True)
    book.name("funding_total", ws, f"C{r}")
    set_widths(ws, {"A": 50, "B": 28, "C": 16, "D": EVIDENCE_WIDTH})
    return ws


TOP = Alignment(vertical="top")


#: Characters of width of an evidence column: a source of about one line.
EVIDENCE_WIDTH = 48


def evidence_cell(ws: Worksheet, row: int, column: int, evidence: Evidence) -> None:
    """An input's source and note beside it, as the scenario writes them (wrapped; nothing when neither is given).
    The column's width is set here, before the row's height is fitted to the text in it."""
    given = fmt_evidence(evidence.source, evidence.note)
    if given:
        ws.column_dimensions[get_column_letter(column)].width = EVIDENCE_WIDTH
        text_cell(ws, row, column, given).alignment = WRAP_TOP
        from cba.render.xlsx_print import fit_row_height

        fit_row_height(ws, row, (column,))


#: The Unit costs sheet's columns of long text (description, source, URL, notes), wrapped.
WRAPPED = (2, 11, 12, 13)


def _unit_cost_key(refs: tuple[str, ...], entry: UnitCost) -> str | None:
    """How ``--set`` names a unit cost: its table reference (lac-year=60000), or for a value written in the
    scenario its field (outcomes.police.value.amount); the £1 that money given by period is counted in has none."""
    if not refs:
        return None
    if not refs[0].startswith(f"{SCENARIO_TABLE}/"):
        return refs[0]
    field = written_field(refs[0], entry)
    return None if field is None else f"{field}.amount"


def _unit_costs_sheet(book: Book, result: RunResult) -> tuple[Worksheet, dict[str, int]]:
    """Every entry of every table, the ones the outcomes use first; returns reference -> row."""
    ws = book.wb.create_sheet("Unit costs")
    columns = [
        "Id",
        "Description",
        "Unit",
        "Value",
        "Price year",
        "Agency",
        "Agency detail",
        "Value type",
        "Cashable",
        "Confidence",
        "Source",
        "URL",
        "Notes",
        "Used by",
        "Table",
    ]
    put_header(ws, 1, columns)
    rows: dict[str, int] = {}
    for r, use in enumerate(result.unit_costs, start=2):
        e = use.entry
        for ref_ in use.refs:
            rows[ref_] = r
        texts: list[str | None] = [e.id, e.description, e.unit]
        for c, text in enumerate(texts, start=1):
            text_cell(ws, r, c, text)
        if use.used_by:  # a value the outcomes' formulas read: an input, set by its reference (lac-year=60000)
            put_input(ws[f"D{r}"], number(e.value), money_format([e.value]), _unit_cost_key(use.refs, e))
        else:  # the rest of the table, for reference: no formula reads it, so not styled as an input
            ws.cell(r, 4, number(e.value)).number_format = money_format([e.value])  # a cell of its own: aligned below
        for c, text in enumerate(
            [e.price_year, e.agency, e.agency_detail, e.value_type.value, e.cashable_text, e.confidence_text], start=5
        ):
            text_cell(ws, r, c, text)
        for c, text in enumerate([e.source, e.url, e.notes, ", ".join(use.used_by), use.table], start=11):
            text_cell(ws, r, c, text)
        for column in range(1, len(columns) + 1):  # long text wraps in its column: it prints at a readable size
            ws.cell(r, column).alignment = WRAP_TOP if column in WRAPPED else TOP
    set_widths(
        ws,
        {
            "A": 14,
            "B": 36,
            "C": 14,
            "D": 12,
            "E": 10,
            "F": 16,
            "G": 18,
            "H": 10,
            "I": 9,
            "J": 10,
            "K": 36,
            "L": 28,
            "M": 36,
            "N": 14,
            "O": 16,
        },
    )
    from cba.render.xlsx_print import fit_row_height

    for r in range(2, len(result.unit_costs) + 2):
        fit_row_height(ws, r, WRAPPED)
    used = sum(1 for use in result.unit_costs if use.used_by)  # listed first
    if 0 < used < len(result.unit_costs):
        # Printed: the entries the appraisal uses. The rest of the table is on screen for reference, and whole in
        # its file, whose SHA-256 the Summary gives (Dorset's 84 others were four of its 21 printed pages).
        ws.print_area = f"A1:{get_column_letter(len(columns))}{used + 1}"
        note = len(result.unit_costs) + 3
        text_cell(
            ws,
            note,
            1,
            f"Printed: the {used} entries the outcomes use; the other "
            f"{len(result.unit_costs) - used} are for reference on screen, and in the table's file.",
        )
    return ws, rows


def _assumptions_sheet(book: Book, result: RunResult) -> Worksheet:
    ws = book.wb.create_sheet("Assumptions")
    put_header(ws, 1, ["Setting", "Value", "What it affects"])
    s = result.settings
    p = result.provenance
    t = result.figures.timeline
    rows: list[tuple[str, object, str]] = [
        (
            "cost_basis",
            s.basis.value,
            "what attributable benefits are set against: funding, actual or budget (Summary: cost, net position)",
        ),
        ("price_base", p.price_base, "price base year of the appraisal"),
        ("currency", p.currency, "all amounts"),
        (
            "discounting",
            "green_book" if s.discounted else "none",
            "green_book: each period's rate from the Discount schedule sheet (or a flat rate below); none: 0, "
            "undiscounted sums"
            if s.appraised
            else "undiscounted sums, as the source report (the scenario has no appraisal)",
        ),
        ("uprating", "GDP deflator" if s.uprated else "none", "unit costs brought to the price base (Appraisal sheet)"),
        *(
            [
                (
                    "discount_rate",
                    t.written_rates[0],
                    "a flat discount rate for every year, in place of the schedule (empty: the schedule); health "
                    "values keep the schedule's differential below it",
                ),
                ("health_discount_rate", t.written_rates[1], "a flat rate for health values alone (empty: none)"),
            ]
            if book.schedule is not None
            else []
        ),
        (
            "attributable_override",
            ", ".join(s.attributable_forced) or "none",
            "outcomes treated as attributable for this run, whatever the scenario says",
        ),
    ]
    reads_basis = "cost_basis" in headline_formulas(result)["cost"][0]
    for r, (name, value, note) in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=name)
        cell = ws.cell(r, 2) if name.endswith("discount_rate") else text_cell(ws, r, 2, str(value))
        if name == "cost_basis" and reads_basis:  # the one setting a formula reads: an input, its three values
            cell.font, cell.fill = INPUT_FONT, INPUT_FILL
            allowed = choices(
                ("funding", "actual", "budget"),
                "cost_basis",
                "The cost set against benefits: funding, actual or budget.",
            )
            ws.add_data_validation(allowed)
            allowed.add(cell)
        elif name == "price_base" and book.deflators is not None:  # every deflator is looked up by it
            cell.font, cell.fill = INPUT_FONT, INPUT_FILL
            keyed(ws, r, 2, "price_base")
            bases = choices(
                book.deflators.bases, "price_base", "A financial year of the Deflators sheet's series, such as 2019/20."
            )
            ws.add_data_validation(bases)
            bases.add(cell)
            note += " (every deflator on the Appraisal sheet is looked up by it on the Deflators sheet)"
        elif name == "cost_basis":  # appraised: the cost is the appraisal's, on the lines' basis
            note += " (as run: the appraisal's costs are on the lines' basis; change it with --basis)"
        elif name == "discounting" and book.schedule is not None and s.green_book:
            note += " (as run: --green-book discounts, whatever the scenario says)"
        elif name == "discounting" and book.schedule is not None:  # every discount rate reads it
            put_input(cell, value, None, "appraisal.discounting")
            allowed = choices(("green_book", "none"), "discounting", "green_book or none.")
            ws.add_data_validation(allowed)
            allowed.add(cell)
        elif name in ("discount_rate", "health_discount_rate"):  # empty: the schedule's rates
            put_input(cell, None if value is None else float(value), PERCENT, f"appraisal.{name}")  # type: ignore[arg-type]
        else:  # the run's setting, for the record: no formula reads it, so it is not styled as an input
            note += " (as run; change it in the scenario)"
        ws.cell(row=r, column=3, value=note)
        if name in ("cost_basis", "price_base") or (book.schedule is not None and "discount" in name):
            book.name(name, ws, f"B{r}")
    set_widths(ws, {"A": 24, "B": 20, "C": 90})
    return ws


def _benefits_sheet(
    book: Book,
    result: RunResult,
    units: Worksheet,
    unit_rows: dict[str, int],
    streams: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]],
) -> Worksheet:
    """One row per outcome. Value and break-even come from the Appraisal sheet's streams
    (``streams``: outcome id -> (total benefit cell, value of one unit in a year, years per unit))."""
    ws = book.wb.create_sheet("Benefits")
    # The attributable flags are inputs the benefit formulas read (IF(H2, ...)): only TRUE or FALSE, from a
    # list, so a typed "yes" is refused rather than read as an error or as nothing (issue 28, item 4).
    flags = choices(
        ("TRUE", "FALSE"), "Attributable", "Whether the change is counted as due to the programme: TRUE or FALSE."
    )
    ws.add_data_validation(flags)
    put_header(
        ws,
        1,
        [
            "Outcome",
            "Measure",
            "Baseline",
            "Follow-up",
            "Change",
            "Unit cost",
            "Unit",
            "Attributable",
            "Value over the appraisal (undiscounted, after adjustments)",
            "Attributable value",
            "Break-even volume (net position = 0, undiscounted)",
            "Unit conversion",
            "Outcomes achieved",
            "Cost per outcome (cost set against benefits / achieved)",
            "Participants (cohort)",
            "Engagement (cohort)",
            "Success (of those engaged)",
            "Cost per participant",
            "Evidence (source; note)",
        ],
    )
    costs_by_id = {c.id: c for c in result.figures.outcome_costs}
    money = book.money_format
    outcomes = result.figures.outcomes
    last = len(outcomes) + 1
    total_row = last + 1
    rows_of: dict[str, list[tuple[int, OutcomeValue]]] = {}  # an outcome's rows: one per value when it has several
    for r, o in enumerate(outcomes, start=2):
        rows_of.setdefault(o.id, []).append((r, o))
    for r, o in enumerate(outcomes, start=2):
        text_cell(ws, r, 1, o.stream.key)
        text_cell(ws, r, 2, o.label)
        evidence_cell(ws, r, 19, o.evidence)
        arm = book.arm_rows[1].get(o.id)
        first = rows_of[o.id][0][0]
        if first != r and (arm is not None or (o.baseline is not None and o.follow_up is not None)):
            # a later value of the outcome: one baseline and follow-up, the first row's, drive every value
            put_formula(ws[f"C{r}"], f"C{first}", COUNT)
            put_formula(ws[f"D{r}"], f"D{first}", COUNT)
            put_formula(ws[f"E{r}"], f"D{r}-C{r}", COUNT)
        elif arm is not None:  # the arms' means x the programme arm's n
            put_formula(ws[f"C{r}"], f"'Arms'!D{arm}*'Arms'!$C$1", COUNT)
            put_formula(ws[f"D{r}"], f"'Arms'!C{arm}*'Arms'!$C$1", COUNT)
            put_formula(ws[f"E{r}"], f"D{r}-C{r}", COUNT)
        elif o.baseline is not None and o.follow_up is not None:
            put_input(ws[f"C{r}"], number(o.baseline), COUNT, f"outcomes.{o.id}.baseline")
            put_input(ws[f"D{r}"], number(o.follow_up), COUNT, f"outcomes.{o.id}.follow_up")
            put_formula(ws[f"E{r}"], f"D{r}-C{r}", COUNT)
        if o.unit_cost is not None and first != r:  # one flag for the outcome: its first value's
            put_formula(ws[f"H{r}"], f"H{first}")
        elif o.unit_cost is not None:  # the benefit formulas read the flag: an input, TRUE or FALSE
            forced = o.id in result.settings.attributable_forced  # -a: the run's, whatever the scenario says
            put_input(ws[f"H{r}"], o.attributable, key=None if forced else f"outcomes.{o.id}.attributable")
            flags.add(ws[f"H{r}"])
        else:  # not priced: no value to count, so the flag is the record, not an input
            ws[f"H{r}"] = o.attributable
        cohort = o.stream.volume_kind == "cohort" and not o.stream.part  # its inputs are on its first row
        if cohort:  # the Appraisal sheet's volume reads these (participants x engagement x success)
            people, engagement, success = o.stream.cohort
            intakes = book.intake_cells.get(o.id)
            if intakes is not None:  # the intakes on the Appraisal sheet are the inputs; this is their sum
                put_formula(ws[f"O{r}"], intakes, COUNT)
            else:
                put_input(ws[f"O{r}"], number(people), COUNT, f"outcomes.{o.id}.cohort.size")
            put_input(ws[f"P{r}"], float(engagement), PERCENT, f"outcomes.{o.id}.cohort.engagement")
            put_input(ws[f"Q{r}"], float(success), PERCENT, f"outcomes.{o.id}.cohort.success")
        per = costs_by_id.get(o.id) if not o.stream.part else None  # an outcome's count is on its first row
        if per is not None:  # cost per outcome achieved, and per participant where a cohort is given
            if per.count == o.stream.volume and o.stream.volume_kind == "change":
                put_formula(ws[f"M{r}"], f"C{r}-D{r}", COUNT)
            elif cohort:
                put_formula(ws[f"M{r}"], f"O{r}*P{r}*Q{r}", COUNT)
            elif o.stream.volume_kind == "volumes" and o.stream.key in streams:  # the years' volumes, summed
                by_year = streams[o.stream.key][4]
                put_formula(ws[f"M{r}"], f"SUM({by_year[0]}:{by_year[-1].split('!')[1]})", COUNT)
            else:
                put_input(ws[f"M{r}"], number(per.count), COUNT)
            put_formula(ws[f"N{r}"], f'IF(M{r}=0,"",appraisal_cost/M{r})', money)
            if per.participants is not None:
                put_formula(ws[f"R{r}"], f'IF(O{r}=0,"",appraisal_cost/O{r})', money)
        if o.unit_cost is None:
            ws[f"G{r}"] = "not priced"
            continue
        value_cell, id_cell = book.unit_value_cells[o.stream.key]  # as the Appraisal sheet has it (by its id)
        put_formula(ws[f"F{r}"], value_cell, money_format([o.unit_cost.value]))
        if id_cell is None:
            text_cell(ws, r, 7, o.unit_cost.unit)
        else:  # the unit of the unit cost the id names
            put_formula(ws[f"G{r}"], by_id(units, "C", id_cell))
            book.known(ws, r, 7, o.unit_cost.unit)
        if first == r:  # the Appraisal sheet's streams read the outcome's conversion here
            # a conversion the scenario states is its factor; none written is 1, which no field holds alone
            conversion = f"outcomes.{o.id}.conversion.factor" if o.stream.conversion_reason else None
            put_input(ws[f"L{r}"], number(o.stream.conversion), COUNT, conversion)
        else:
            put_formula(ws[f"L{r}"], f"L{first}", COUNT)
        total_cell, _, years, _, _ = streams[o.stream.key]
        put_formula(ws[f"I{r}"], total_cell, money)
        put_formula(ws[f"J{r}"], f"IF(H{r},I{r},0)", money)
        # break-even moves every value of the outcome together: one unit is worth the sum of its values
        per_unit = "+".join(f"({streams[m.stream.key][1]})" for _, m in rows_of[o.id] if m.unit_cost is not None)
        own = "+".join(f"J{row}" for row, _ in rows_of[o.id])
        if result.figures.net.cost_known:
            put_formula(
                ws[f"K{r}"],
                f'IF(({per_unit})*{years}=0,"",(appraisal_cost-($J${total_row}-({own})))/(({per_unit})*{years}))',
                "#,##0.0",
            )
        else:  # no break-even against a cost that is not known
            text_cell(ws, r, 11, "not known (no cost is quantified)")
    ws.cell(row=total_row, column=1, value="Total attributable benefits").font = BOLD
    put_formula(ws[f"J{total_row}"], f"SUM(J2:J{max(last, 2)})" if outcomes else "0", money, True)
    book.name("attributable_benefits", ws, f"J{total_row}")
    set_widths(
        ws,
        {
            "A": 18,
            "B": 48,
            "C": 10,
            "D": 10,
            "E": 10,
            "F": 12,
            "G": 12,
            "H": 12,
            "I": 20,
            "J": 18,
            "K": 16,
            "M": 12,
            "N": 18,
            "O": 12,
            "P": 12,
            "Q": 12,
            "R": 16,
            "S": EVIDENCE_WIDTH,
        },
    )
    return ws


def _reconciliation_sheet(book: Book, result: RunResult, costs: Worksheet, layout: CostsLayout) -> Worksheet:
    """Each check of the result, its computed side a formula over the Costs sheet cells it covers."""
    ws = book.wb.create_sheet("Reconciliation")
    put_header(ws, 1, ["Published total", "Published", "Computed", "Difference (published - computed)", "Status"])
    money = book.money_format
    a = result.figures
    r = 2
    totals = 0  # the scenario's published_totals, after the lines' own published totals
    for check in a.checks:
        if check.line is None:
            key, totals = f"published_totals.{totals}.value", totals + 1
        else:
            key = f"cost_lines.{check.line}.published.{check.measure}"
        if check.line is not None:
            if check.line not in layout.line_rows:
                continue
            col = layout.budget_total_col if check.measure == "budget" else layout.actual_total_col
            computed = ref(costs, f"{col}{layout.line_rows[check.line]}")
        else:
            kinds = set(check.kinds) if check.kinds is not None else set(CostKind)
            if check.period is None:
                col = layout.budget_total_col if check.measure == "budget" else layout.actual_total_col
            else:
                col = (layout.budget_cols if check.measure == "budget" else layout.actual_cols)[check.period]
            kind_rows = [row for k, row in layout.kind_rows.items() if k in kinds]
            if kinds >= set(layout.kind_rows):
                computed = ref(costs, f"{col}{layout.total_row}")
            elif kind_rows:
                computed = "+".join(ref(costs, f"{col}{row}") for row in kind_rows)
            else:
                computed = "0"
        text_cell(ws, r, 1, check.label)
        put_input(ws[f"B{r}"], number(check.published), money, key)
        put_formula(ws[f"C{r}"], computed, money)
        put_formula(ws[f"D{r}"], f"B{r}-C{r}", money)
        put_formula(ws[f"E{r}"], f'IF(D{r}=0,"agrees","DOES NOT AGREE")')
        r += 1
    r += 1
    for w in a.identical:
        names = ", ".join(f"'{n}'" for n in w.lines)
        text_cell(
            ws,
            r,
            1,
            f"Warning: lines {names} carry identical {w.measure} figures in every period; check for a copy error.",
        )
        r += 1
    if result.result_checks:
        _result_checks_block(book, ws, result, r + 1)
    set_widths(ws, {"A": 64, "B": 14, "C": 14, "D": 18, "E": 16, "F": 30, "G": 12})
    return ws


def _rounded_formula(figure: str, to: str) -> str:
    """cba's figure at the precision printed (the cell ``to``; empty: as it is), half-up as the engine rounds.
    A power of ten rounds to whole places with ROUND (no float division, so 2.1 stays equal to a typed 2.1, where
    ROUND(C6/0.1,0)*0.1 gave Gnumeric 2.1000000000000001); any other precision to its nearest multiple."""
    places = f"-ROUND(LOG10({to}),0)"
    return f"IF(COUNT({to})=0,{figure},IF(10^-({places})={to},ROUND({figure},{places}),ROUND({figure}/{to},0)*{to}))"


def _result_checks_block(book: Book, ws: Worksheet, result: RunResult, r: int) -> None:
    """Published results against the Summary's headline cells, rounded half-up (ROUND) to the precision printed."""
    formats = {"money": book.money_format, "percent": "0.0000", "ratio": RATIO, "years": "0.00"}
    ws.cell(r, 1, "Published results (a BCR, an NPV, a payback claim) against cba's figures").font = BOLD
    put_header(
        ws,
        r + 1,
        [
            "Published result",
            "Published",
            "cba (Summary)",
            "cba at the precision printed",
            "Status",
            "Test",
            "Printed to",
        ],
    )
    for row, check in enumerate(result.result_checks, start=r + 2):
        shown = formats.get(check.kind, RATIO)
        text_cell(ws, row, 1, check.label)
        field = "value" if check.test == "equals" else check.test.replace(" ", "_")  # at_most for "at most"
        put_input(ws[f"B{row}"], number(check.published), shown, f"published_results.{row - r - 2}.{field}")
        cell = book.headline_cells.get(check.figure)
        if check.computed is None:
            text_cell(ws, row, 3, f"not computed: {check.why_none}")
            put_formula(ws[f"E{row}"], '"not computed"')
        else:
            if cell is not None:
                put_formula(ws[f"C{row}"], f"'Summary'!{cell}", shown)
            else:  # a figure named by its path in the JSON, not one of the Summary's cells: cba's value, which is
                # not an input (changing it changes only this status), so not styled as one
                ws.cell(row, 3, number(check.computed)).number_format = shown
            if check.precision is not None:  # the precision printed (money: the penny unless stated), an input
                key = f"published_results.{row - r - 2}.to"  # the rounding reads (Why 6: not typed into it)
                put_input(ws[f"G{row}"], number(check.precision), "General", key)
            put_formula(ws[f"D{row}"], f'IF(COUNT(C{row})=0,"",{_rounded_formula(f"C{row}", f"G{row}")})', shown)
            test = {"equals": "=", "at most": "<=", "at least": ">=", "more than": ">", "less than": "<"}[check.test]
            put_formula(
                ws[f"E{row}"], f'IF(COUNT(D{row})=0,"not computed",IF(D{row}{test}B{row},"agrees","DOES NOT AGREE"))'
            )
        text_cell(
            ws,
            row,
            6,
            f"{check.figure} {check.test} the published figure"
            + (f", rounded to {check.to}" if check.to is not None else ""),
        )


def _transfers_sheet(
    book: Book, result: RunResult, streams: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]
) -> None:
    """Each transfer by year: before the cap (amounts, or the outcome's volume on the Appraisal sheet x the amount
    per unit), paid after the cap, and its present value at the standard discount factors."""
    t = result.figures.timeline
    ws = book.wb.create_sheet("Transfers")
    money = book.money_format
    n = len(t.years)
    cols = [get_column_letter(3 + i) for i in range(n)]
    total_col = get_column_letter(3 + n)
    put_header(
        ws, 1, ["Transfer", "Amount per unit / cap"] + [f"{y} (t={i})" for i, y in enumerate(t.years)] + ["Total"]
    )
    r = 2
    paid_rows: dict[str, int] = {}  # a transfer's name -> its Paid row, for a later one that is a multiple of it
    for f in t.transfers:
        text_cell(ws, r, 1, f"{f.name}: from {f.payer} to {f.payee}").font = BOLD
        gross, paid, pv = r + 1, r + 2, r + 3
        paid_rows[f.name] = paid
        volumes = None
        spread = book.spread_cells.get(("transfer", f.name, "total"), {})
        if f.per_outcome:  # the outcome's volumes, on its (first) value's rows
            volumes = streams.get(f.per_outcome[0], streams.get(f"{f.per_outcome[0]}#1", (None,) * 5))[4]
        if volumes and f.per_outcome:
            ws.cell(gross, 1, f"Before the cap (volume of {f.per_outcome[0]} x amount per unit)")
            put_input(ws[f"B{gross}"], number(f.per_outcome[1]), money)
        elif f.spread is not None:
            ws.cell(gross, 1, "Before the cap (a total spread over periods: Spreads sheet)")
        elif f.multiple_of is not None:
            ws.cell(gross, 1, f"Before the cap (times all {f.multiple_of[0]} paid, in {t.years[f.multiple_of[2]]})")
            put_input(ws[f"B{gross}"], number(f.multiple_of[1]), COUNT)
        else:
            ws.cell(gross, 1, "Before the cap")
        for i, col in enumerate(cols):
            if volumes:
                put_formula(ws[f"{col}{gross}"], f"{volumes[i]}*$B${gross}", money)
            elif f.multiple_of is not None:  # the other transfer's total paid x the times, in its one year
                if i == f.multiple_of[2]:
                    put_formula(ws[f"{col}{gross}"], f"$B${gross}*{total_col}{paid_rows[f.multiple_of[0]]}", money)
                else:
                    ws[f"{col}{gross}"] = 0
                    ws[f"{col}{gross}"].number_format = money
            elif t.years[i] in spread:  # a total spread over periods: the Spreads sheet's amount
                put_formula(ws[f"{col}{gross}"], spread[t.years[i]], money)
            elif f.spread is not None:
                ws[f"{col}{gross}"] = 0
                ws[f"{col}{gross}"].number_format = money
            else:
                put_input(ws[f"{col}{gross}"], number(f.gross[i]), money)
        ws.cell(paid, 1, "Paid" + (" (until the cap is reached)" if f.cap is not None else ""))
        if f.cap is not None:
            put_input(ws[f"B{paid}"], number(f.cap), money)
        for i, col in enumerate(cols):
            if f.cap is None:
                put_formula(ws[f"{col}{paid}"], f"{col}{gross}", money)
            else:
                before = f"SUM($C${paid}:{cols[i - 1]}{paid})" if i else "0"
                room = f"MIN({col}{gross},$B${paid}-{before})"
                put_formula(ws[f"{col}{paid}"], f"IF({room}<0,0,{room})", money)
            put_formula(ws[f"{col}{pv}"], f"{col}{paid}*'Appraisal'!{col}5", money)
        put_formula(ws[f"{total_col}{paid}"], f"SUM({cols[0]}{paid}:{cols[-1]}{paid})", money, True)
        ws.cell(pv, 1, "PV of what is paid (standard discount factor, Appraisal sheet)")
        put_formula(ws[f"{total_col}{pv}"], f"SUM({cols[0]}{pv}:{cols[-1]}{pv})", money, True)
        r = pv + 2
    if any(f.leaves for f in t.transfers):  # the fiscal case counts what leaves the public sector (Appraisal sheet)
        from cba.render.xlsx_appraisal import paid_out_row

        assert r == paid_out_row(len(t.transfers))
        ws.cell(r, 1, "PV paid outside the public sector, net (out less in)").font = BOLD
        for col in cols:
            terms = [
                f"{'+' if f.leaves > 0 else '-'}{col}{paid_out_row(k) + 3}"
                for k, f in enumerate(t.transfers)
                if f.leaves
            ]
            put_formula(ws[f"{col}{r}"], "".join(terms).removeprefix("+"), money)
        put_formula(ws[f"{total_col}{r}"], f"SUM({cols[0]}{r}:{cols[-1]}{r})", money, True)
        book.name("pv_paid_out", ws, f"{total_col}{r}")
    set_widths(ws, {"A": 56, "B": 18, **{c: 14 for c in cols}, total_col: 16})


def _claims_sheet(
    book: Book, result: RunResult, streams: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]
) -> None:
    """Claims made before the programme beside the attributable benefits realised: a claim for one year
    against the counted benefit cells of that year on the Appraisal sheet, a total against all of them."""
    ws = book.wb.create_sheet("Claims")
    money = book.money_format
    a = result.figures
    put_header(
        ws,
        1,
        [
            "Claim (before the programme)",
            "Claimed",
            "Base (what the claim is a share of)",
            "Claimed % of base",
            "Realised (attributable benefits, undiscounted)",
            "Realised - claimed",
            "Covers",
            "Base is",
        ],
    )
    benefits_row = {o.stream.key: 2 + i for i, o in enumerate(a.outcomes)}  # rows of the Benefits sheet
    for row, claim in enumerate(a.claims, start=2):
        text_cell(ws, row, 1, claim.label)
        put_input(ws[f"B{row}"], number(claim.claimed), money, f"claimed.{row - 2}.amount")
        if claim.base is not None:
            put_input(ws[f"C{row}"], number(claim.base), money, f"claimed.{row - 2}.share_of.amount")
            put_formula(ws[f"D{row}"], f'IF(C{row}=0,"",B{row}/C{row})', PERCENT)
        if claim.period is None:
            realised = "attributable_benefits"
        else:
            covered = periods_covered(claim.period, a.timeline.years)  # one period, or a year's quarters or months
            cells = [
                f"IF('Benefits'!H{benefits_row[o]},{cells[t]},0)"
                for o, (_, _, _, cells, _) in streams.items()
                for t in covered
            ]
            realised = "+".join(cells) or "0"
        if claim.realised is None:  # the scenario says so: no formula sets the benefits against this claim
            ws[f"E{row}"] = "not published"
        else:
            put_formula(ws[f"E{row}"], realised, money)
            put_formula(ws[f"F{row}"], f"E{row}-B{row}", money)
        text_cell(ws, row, 7, "all years" if claim.period is None else which_year(claim.period))
        text_cell(ws, row, 8, claim.base_label or "")
    set_widths(ws, {"A": 56, "B": 14, "C": 18, "D": 12, "E": 20, "F": 18, "G": 16, "H": 48})


#: The formula behind each headline figure (``RunResult.headlines``), over the workbook's defined names.
HEADLINE_FORMULAS = {
    "budget_total": ("budget_total", "money"),
    "actual_total": ("actual_total", "money"),
    "variance": ('IF(COUNT(total_variance)=0,"",total_variance)', "money"),
    "variance_pct": ('IF(COUNT(total_variance)=0,"",IF(budget_total=0,"",total_variance/budget_total))', "percent"),
    "funding_total": ("funding_total", "money"),
    "funding_less_actual": ("funding_total-actual_total", "money"),
    # any other basis is an error the reader sees (#N/A), never quietly the budget
    "cost": (
        'IF(cost_basis="funding",funding_total,IF(cost_basis="actual",actual_total,'
        'IF(cost_basis="budget",budget_total,NA())))',
        "money",
    ),
    "attributable_benefits": ("attributable_benefits", "money"),
    "net_position": ("attributable_benefits-appraisal_cost", "money"),
    "benefit_cost_ratio": ('IF(appraisal_cost=0,"",attributable_benefits/appraisal_cost)', "ratio"),
    "pv_costs": ("pv_costs", "money"),
    "pv_benefits": ("pv_fiscal+pv_economic+pv_social", "money"),
    "npv": ("npv", "money"),
    "net_present_budget_impact": ("net_present_budget_impact", "money"),
    "lead_agency_budget_impact": ("lead_agency_budget_impact", "money"),
    "bcr": ("bcr", "ratio"),
    "financial_roi": ("financial_roi", "ratio"),
    "payback_years": ("payback_years", "years"),
    "cashable_roi": ("cashable_roi", "ratio"),
    "cashable_payback_years": ("cashable_payback_years", "years"),
    "cost_per_unit": ("appraisal_cost/report_count", "money"),
    "benefits_per_unit": ("attributable_benefits/report_count", "money"),
    "net_position_per_unit": ("net_position/report_count", "money"),
    "npv_per_unit": ("npv/report_count", "money"),
}


def headline_formulas(result: RunResult) -> dict[str, tuple[str, str]]:
    """The formulas of this run's headlines: with an appraisal, the cost set against the benefits on the lines'
    basis is the appraisal's undiscounted total (real terms, forecasts uplifted), as the engine takes it."""
    formulas = dict(HEADLINE_FORMULAS)
    a = result.figures
    if result.settings.appraised and a.net.basis.value != "funding" and any(f.quantified for f in a.lines):
        formulas["cost"] = ("costs_adjusted_total", "money")
    return formulas


def vfm_formula(bcr: str) -> str:
    """The value-for-money category of the BCR in ``bcr`` (a name or a cell), down the DfT bands from the highest:
    as ``value_for_money.category`` gives it; no BCR (no cost) is not defined."""
    formula = f'"{DFT_BANDS[0][0]}"'
    for name, lowest in DFT_BANDS[1:]:
        formula = f'IF({bcr}>={lowest},"{name}",{formula})'
    return f'IF({bcr}="","not defined",{formula})'


#: Headline cells that other formulas refer to by name.
HEADLINE_NAMES = {"cost": "appraisal_cost", "net_position": "net_position"}


def _summary_sheet(book: Book, result: RunResult, costs: Worksheet, layout: CostsLayout) -> Worksheet:
    ws = book.wb.active
    ws.title = "Summary"
    p = result.provenance
    money = book.money_format
    formats = {"money": money, "percent": PERCENT, "ratio": RATIO, "years": "0.00"}
    what_if = result.settings.what_if
    ws["A1"] = "What-if: cost-benefit analysis" if what_if else "Cost-benefit analysis"
    ws["A1"].font = TITLE_FONT
    info = [("What-if", "; ".join(what_if) + " (not the scenario as written)")] if what_if else []
    info += [
        ("Scenario", p.scenario),
        ("Organisation", p.organisation),
        ("Periods", f"{p.periods[0]} to {p.periods[-1]}"),
        ("Price base", p.price_base),
        ("Prices", result.settings.prices),
        ("Currency", p.currency),
    ]
    for r, (label, value) in enumerate(info, start=2):
        ws.cell(row=r, column=1, value=label).font = BOLD
        named = naming_price_base(value, p.price_base) if label in ("Price base", "Prices") else None
        if named is not None and result.figures.timeline.real_terms:  # the price base the Assumptions sheet holds
            put_formula(ws[f"B{r}"], named)
        else:
            text_cell(ws, r, 2, value)
    r = len(info) + 2
    if result.figures.report_per is not None:
        unit, count = result.figures.report_per
        text_cell(ws, r, 1, f"Results per {unit}: how many").font = BOLD
        put_input(ws[f"B{r}"], number(count), COUNT, "report_per.count")
        book.name("report_count", ws, f"B{r}")
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Headline figures").font = TITLE_FONT
    ws.cell(row=r, column=3, value="Key").font = BOLD
    r += 1
    formulas = headline_formulas(result)
    for figure in result.headlines:
        if figure.key in SIMULATED:  # drawn by cba's Monte Carlo: no formula can draw it, so the figure, said so
            text_cell(ws, r, 1, figure.label)
            # a result, not an input (no formula reads it, and nothing typed here changes a figure): plain style
            number_ = figure.number
            if number_ is None:  # never a 0 for a figure the draws did not give
                text_cell(ws, r, 2, "not known")
            elif figure.kind == "percent":
                fast_cell(ws, r, 2, float(number_ / 100), style_record(ws, None, None, PERCENT))
            else:
                fast_cell(ws, r, 2, number(number_), style_record(ws, None, None, money_format([number_])))
            ws.cell(row=r, column=3, value=figure.key)
            book.headline_cells[figure.key] = f"B{r}"
            text_cell(ws, r, 4, "from cba's Monte Carlo over the scenario's ranges (cba simulate), not a formula")
            r += 1
            continue
        formula, kind = formulas[figure.key]
        text_cell(ws, r, 1, figure.label)
        shown = formats[kind]
        if kind == "money" and figure.number is not None:
            shown = money_format([figure.number])  # pence wherever the figure has pence, as cba run shows it
        unknown = result.unknown(figure.key)
        if unknown is not None:  # not £0: there is nothing for a formula to add up
            cell = text_cell(ws, r, 2, unknown)
            if figure.key == result.headline.key:
                cell.font = BOLD
        else:
            put_formula(ws[f"B{r}"], formula, shown, bold=figure.key == result.headline.key)
        book.headline_cells[figure.key] = f"B{r}"
        ws.cell(row=r, column=3, value=figure.key)
        if figure.key in HEADLINE_NAMES:
            book.name(HEADLINE_NAMES[figure.key], ws, f"B{r}")
        r += 1
    if result.settings.appraised:  # the value-for-money statement: the BCR's category, live, before the impacts
        text_cell(ws, r, 1, f"Value for money, before unmonetised impacts ({BANDS_SOURCE.split(':')[0]} scale)")
        put_formula(ws[f"B{r}"], vfm_formula("bcr"))  # (column C keys headlines only: JSON's value_for_money)
        text_cell(ws, r, 4, BANDS_SOURCE)
        r += 1
    impact_rows: list[int] = []
    if result.unmonetised:  # beside the headline, as on every face: the headline is before them
        r += 1
        text_cell(
            ws, r, 1, f"Impacts not valued in money: {result.unmonetised_tally}; the headline is before them"
        ).font = TITLE_FONT
        for u in result.unmonetised:
            r += 1
            text_cell(ws, r, 1, u.impact).alignment = WRAP_TOP
            said = f"{u.direction}; scale {u.scale}; affects {u.affects or 'not stated'}"
            evidence = fmt_evidence(u.source, u.note)
            text_cell(ws, r, 2, f"{said}. Evidence: {evidence}" if evidence else f"{said}.").alignment = WRAP_TOP
            impact_rows.append(r)
        r += 1
    r += 1
    ws.cell(row=r, column=1, value="Provenance").font = TITLE_FONT
    provenance = [("Command", p.command)]
    for f in p.files:
        provenance += [
            (f"{f.role.capitalize()} file" + (f" ({f.name})" if f.role == "unit costs" else ""), f.file),
            ("SHA-256", f.sha256),
        ]
    provenance += [("cba version", p.cba_version), ("Exported", dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))]
    for label, value in provenance:
        r += 1
        ws.cell(row=r, column=1, value=label).font = BOLD
        text_cell(ws, r, 2, value)
    r += 2
    ws.cell(row=r, column=1, value="Key").font = BOLD
    colour_key(ws.cell(row=r + 1, column=1), "Blue on yellow: an input, typed from the scenario or unit-cost table")
    ws.cell(row=r + 2, column=1, value="Black: a formula over other cells (click it to trace)")
    ws.cell(row=r + 3, column=1, value="Amounts in pounds; the workbook recomputes to the figures cba run prints.")
    set_widths(ws, {"A": 52, "B": 70, "C": 26})
    from cba.render.xlsx_print import fit_row_height

    for row in impact_rows:  # once the columns have their widths
        fit_row_height(ws, row, (1, 2))
    # Budget vs actual by planned line.
    direct_rows = [row for i, row in layout.line_rows.items() if result.figures.lines[i].kind is CostKind.direct]
    if direct_rows:
        chart = BarChart()
        chart.type = "bar"
        chart.title = "Budget vs actual by line (planned spend)"
        chart.x_axis.title = None
        chart.y_axis.title = "£"
        b_col = column_index_from_string(layout.budget_total_col)
        a_col = column_index_from_string(layout.actual_total_col)
        first, last = min(direct_rows), max(direct_rows)
        chart.add_data(Reference(costs, min_col=b_col, min_row=first, max_row=last), titles_from_data=False)
        chart.add_data(Reference(costs, min_col=a_col, min_row=first, max_row=last), titles_from_data=False)
        chart.series[0].tx = SeriesLabel(v="Budget")
        chart.series[1].tx = SeriesLabel(v="Actual")
        chart.set_categories(Reference(costs, min_col=1, min_row=first, max_row=last))
        tidy_chart(chart)
        bars_from_zero(
            chart,
            [
                v
                for i in layout.line_rows
                for v in (result.figures.lines[i].budget_total, result.figures.lines[i].actual_total)
            ],
        )
        chart.height, chart.width = max(8, 0.6 * len(direct_rows)), 18
        ws.add_chart(chart, "E2")
    return ws


def build_workbook(result: RunResult, *, keys: bool = False) -> Workbook:
    """The whole audit workbook for one run (not yet saved). With ``keys``, it records every input cell's
    ``--set`` key as it is written (``xlsx_cells.input_keys``): what ``cba diff`` reads an edit back by."""
    from cba.render.xlsx_appraisal import appraisal_sheet
    from cba.render.xlsx_deflators import deflators_sheet
    from cba.render.xlsx_lists import lists_sheet
    from cba.render.xlsx_rates import grades_sheet, schedule_sheet
    from cba.render.xlsx_spreads import spreads_sheet

    a = result.figures
    amounts = [v for line in a.lines for v in (*line.budget.values(), *line.actual.values())]
    amounts += [f.amount for f in a.funding]
    book = Book(Workbook(), money_format(amounts))
    if keys:
        book.wb.__dict__["_cba_inputs"] = {}
    book.arm_rows = _arms_sheet(book, result)
    book.spread_cells = spreads_sheet(book, result)
    book.deflators = deflators_sheet(book, result)
    book.schedule = schedule_sheet(book, result)
    book.grades = grades_sheet(book, result)
    book.lists = lists_sheet(book, result)
    costs, layout = _costs_sheet(book, result)
    _summary_sheet(book, result, costs, layout)
    _years_sheet(book, result, costs, layout)
    _funding_sheet(book, result)
    units, unit_rows = _unit_costs_sheet(book, result)
    if result.settings.appraised:
        from cba.render.xlsx_growth import growth_sheet

        book.growth_cells = growth_sheet(book, result)
    streams = appraisal_sheet(book, result, costs, layout, units, unit_rows)
    _benefits_sheet(book, result, units, unit_rows, streams)
    if result.shows_financial_case:
        from cba.render.xlsx_financial import financial_sheet

        financial_sheet(book, result)
    _assumptions_sheet(book, result)
    _reconciliation_sheet(book, result, costs, layout)
    if a.claims:
        _claims_sheet(book, result, streams)
    if a.timeline.transfers:
        _transfers_sheet(book, result, streams)
    from cba.render.xlsx_dashboard import dashboard_sheet
    from cba.render.xlsx_guide import guide_sheet

    dashboard_sheet(book, result)
    guide_sheet(book, result, headline_formulas(result), book.headline_cells)
    order = [
        "Guide",
        "Dashboard",
        "Summary",
        "Costs",
        "Arms",
        "Units",
        "Spreads",
        "Savings",
        "Years",
        "Funding",
        "Unit costs",
        "Benefits",
        "Appraisal",
        "Financial case",
        "Real growth",
        "Assumptions",
        "Deflators",
        "Discount schedule",
        "Optimism bias grades",
        "Reconciliation",
        "Claims",
        "Transfers",
        "Lists",
    ]
    book.wb._sheets.sort(key=lambda ws: order.index(ws.title))
    book.wb.active = 0
    from cba.render.xlsx_print import set_up_printing

    set_up_printing(book.wb, result.provenance.scenario_file.sha256)
    return book.wb


def export(result: RunResult, path: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Write the workbook to ``path`` atomically; refuses to overwrite without ``force``."""
    from cba.io.atomic import check_target, write_atomically

    inputs = list(inputs)
    check_target(path, force=force, inputs=inputs)  # fail before the work, not after
    from cba.render.xlsx_write import save_with_results

    workbook = build_workbook(result)
    write_atomically(path, lambda temp: save_with_results(workbook, temp), force=force, inputs=inputs)
