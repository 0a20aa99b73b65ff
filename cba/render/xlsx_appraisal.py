"""The Green Book appraisal as a workbook sheet: discount factors, costs, benefit streams and results,
every figure a formula over its inputs (see ``export_xlsx`` for the conventions)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from itertools import pairwise

from openpyxl.chart import LineChart, Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cba.engine.appraisal import year_index
from cba.engine.run import PAID_OUT, RunResult, fiscal_cost, less, pv_costs_label
from cba.engine.switching import outcome_switches
from cba.engine.timeline import CASHABILITY, no_payback
from cba.model.growth import growth_origin, year_name, year_start
from cba.model.periods import financial_year
from cba.model.record import record
from cba.render.xlsx_cells import (
    BOLD,
    COUNT,
    GBP,
    GBP_PENCE,
    PERCENT,
    RATIO,
    Book,
    CostsLayout,
    by_id,
    choices,
    fast_cell,
    number,
    put_formula,
    put_header,
    put_input,
    put_text_input,
    ref,
    set_widths,
    style_record,
    text_cell,
    text_of,
    tidy_chart,
)
from cba.render.xlsx_lists import type_fixed, written_field
from cba.render.xlsx_places import AppraisalRows, StreamColumns, agency_costs
from cba.render.xlsx_rates import grade_choices
from cba.render.xlsx_values import has_pence, sumif_criterion
from cba.render.xlsx_volumes import VolumeSource, live_volume, volume_rows

FACTOR = "0.000000"


@record
class CostRows:
    """Where the per-line cost block put its groups: each a contiguous range of rows, one row per line."""

    real: tuple[int, int] | None  # (first, last) rows of the lines at the price base, or None (no block)
    adjusted: tuple[int, int] | None  # the same lines after optimism bias
    end: int  # the last row used


YEARS = "Years one unit's benefit falls in"  # the label of the row the break-even divides by
#: a stream block's adjustments by their offset from its first row: the outcome's field each is
FIELDS = {5: "deadweight", 6: "attribution", 7: "displacement", 8: "optimism_bias"}


def growth_years(price_basis: str, first: str, t: int, per_year: int) -> int:
    """Whole financial years from a line's price basis to appraisal period t's (as the engine grows it)."""
    return (growth_origin(price_basis, first) + t * (12 // per_year)) // 12


def _real_cost_lines(
    book: Book,
    ws: Worksheet,
    result: RunResult,
    costs: Worksheet,
    layout: CostsLayout,
    cols: list[str],
    year_cols: dict[str, str],
    start: int,
) -> CostRows:
    """Each quantified cost line brought to the price base (from its Costs cells and the deflator indices held
    here), and then after its optimism bias: two groups of one row per line, so totals are plain SUMs however
    many lines there are. Written only when it changes something (real terms, an uplift on a forecast, costs
    borne outside the public sector, which the fiscal case's row of public costs takes apart, or costs borne by
    several agencies, which the Dashboard's who pays takes apart)."""
    t = result.figures.timeline
    several = len({f.agency for f in t.cost_flows}) > 1  # who pays what: the Dashboard reads each agency's lines
    if not (t.real_terms or t.cost_bias_applied or t.pv_costs_outside or several) or not t.cost_flows:
        return CostRows(None, None, start - 1)
    quantified = [i for i, f in enumerate(result.figures.lines) if f.quantified]
    first = result.figures.periods[0]
    n = len(t.cost_flows)
    r = start
    if t.real_terms:  # the price base the Assumptions sheet holds, which every deflator here follows
        put_formula(ws[f"A{r}"], '"Cost lines in real terms ("&price_base&" prices)"', bold=True)
    else:
        text_cell(ws, r, 1, "Cost lines (not in real terms)").font = BOLD
    base_row, label_row, deflator_row, factor_row = r + 1, r + 2, r + 3, r + 4
    stated: dict[str, int] = {}
    if t.real_terms:
        table = book.deflators  # the Deflators sheet: every deflator here is looked up there
        assert table is not None  # deflators_sheet writes it whenever the run is in real terms
        text_cell(ws, base_row, 1, "GDP deflator at the price base (Assumptions' price_base, from the Deflators sheet)")
        put_formula(ws[f"B{base_row}"], table.lookup("price_base"), "0.0000")
        text_cell(ws, label_row, 1, "Financial year (outturn spend is in its own year's prices)")
        text_cell(ws, deflator_row, 1, "GDP deflator in that year (from the Deflators sheet)")
        text_cell(ws, factor_row, 1, "Real-terms factor for outturn spend (deflator at the price base / in the year)")
        for i, col in enumerate(cols):
            year = financial_year(t.years[i])  # a quarter's or a month's spend is in its financial year's prices
            if col in year_cols and year in t.deflator_indices:
                text_cell(ws, label_row, 3 + i, year)
                put_formula(ws[f"{col}{deflator_row}"], table.lookup(f"{col}{label_row}"), "0.0000")
                put_formula(ws[f"{col}{factor_row}"], f"$B${base_row}/{col}{deflator_row}", FACTOR)
            else:  # no spend in the year: nothing to bring to the price base
                fast_cell(ws, factor_row, 3 + i, 1, style_record(ws, None, None, FACTOR))
        for year in dict.fromkeys(f.price_basis for f in t.cost_flows if f.price_basis != "outturn"):
            row = factor_row + 1 + len(stated)
            text_cell(ws, row, 1, "GDP deflator for figures stated in the prices of (column C)")
            text_cell(ws, row, 3, year)
            put_formula(ws[f"B{row}"], table.lookup(f"C{row}"), "0.0000")
            stated[year] = row
        r = factor_row + len(stated) + 2
    else:
        r += 2
    if t.real_terms:
        put_formula(ws[f"A{r}"], '"In "&price_base&" prices: spend (from Costs) x real-terms factor"', bold=True)
    else:
        text_cell(ws, r, 1, "As written (from Costs)").font = BOLD
    real_first, adjusted_first = r + 1, r + n + 3
    text_cell(
        ws,
        adjusted_first - 1,
        1,
        "After optimism bias: x (1 + uplift), on forecasts only "
        "(a budget, or committed spend; outturn is not uplifted)",
    ).font = BOLD
    styles = {shown: style_record(ws, None, None, shown) for shown in (GBP, GBP_PENCE)}
    agencies = None  # a line's agency is an input where something reads it: an appraisal's Dashboard and lead figure
    if result.settings.appraised and book.lists is not None and book.lists.agencies is not None:
        agencies = choices(book.lists.agencies, "agency", "A public agency of the Lists sheet.")
        ws.add_data_validation(agencies)

    def row_style(figures: list[Decimal]) -> StyleArray:
        """The style fit_formats would give this row (pence across it where any figure has them), given at once."""
        return styles[GBP_PENCE if has_pence(figures) else GBP]

    spent_cols = {col: ref(costs, year_cols[col]) for col in cols if col in year_cols}  # 'Costs'!N, with the row added
    for k, (line_index, flow) in enumerate(zip(quantified, t.cost_flows)):
        real_row, bias_row = real_first + k, adjusted_first + k
        basis = "outturn" if flow.price_basis == "outturn" else f"{flow.price_basis} prices"
        text_cell(ws, real_row, 1, f"{flow.line} ({basis})")
        if agencies is not None and flow.agency not in t.outside:  # who bears it: the Dashboard and lead read it
            agencies.add(put_text_input(ws, real_row, 2, flow.agency, f"cost_lines.{line_index}.agency"))
        else:
            text_cell(ws, real_row, 2, flow.agency)
        text_cell(
            ws, bias_row, 1, f"{flow.line} ({'a forecast' if flow.forecast else 'outturn'}; {flow.optimism_bias_basis})"
        )
        grades = book.grades
        if flow.forecast and grades is not None and flow.optimism_key in grades.settings:
            # given by a grade: the setting's grade (an input on the grades sheet) looked up in the table
            put_formula(ws[f"B{bias_row}"], grades.share(grades.settings[flow.optimism_key]), PERCENT)
            book.known(ws, bias_row, 2, flow.uplift)
        elif flow.forecast:  # a line's own setting comes before its category's and the appraisal's
            put_input(ws[f"B{bias_row}"], float(flow.uplift), PERCENT, f"{flow.key}.optimism_bias")
        else:  # outturn is not uplifted, whatever is set: shown, not an input
            fast_cell(ws, bias_row, 2, 0, style_record(ws, None, None, PERCENT))
        real_style, adjusted_style = row_style(flow.real), row_style(flow.adjusted)
        rate_col = get_column_letter(3 + len(cols))
        by_year = flow.real_growth is not None and flow.real_growth.rate is None
        if flow.real_growth is not None and flow.real_growth.rate is not None:
            put_input(
                ws[f"{rate_col}{real_row}"],
                float(flow.real_growth.rate),
                PERCENT,
                f"cost_lines.{line_index}.real_growth",
            )
            text_cell(ws, real_row, 4 + len(cols), f"real price growth a year (left), from {flow.price_basis} prices")
        elif by_year:
            text_cell(ws, real_row, 4 + len(cols), "real price growth by year: the Real growth sheet's index")
        costs_row = layout.line_rows[line_index]
        for i, col in enumerate(cols):
            spent = f"{spent_cols[col]}{costs_row}" if col in year_cols else "0"
            if not t.real_terms:
                factor = ""
            elif flow.price_basis == "outturn":
                factor = f"*{col}${factor_row}"
            else:
                factor = f"*$B${base_row}/$B${stated[flow.price_basis]}"
            if flow.real_growth is not None:
                years = growth_years(flow.price_basis, first, i, t.per_year)
                if by_year:  # x the index in its financial year (the Real growth sheet: its rates by year are inputs)
                    factor += "*" + book.growth_cells[(f"line {line_index}", year_start(flow.price_basis) + years)]
                else:  # x (1 + its rate, an input right of the years)^(years from its prices)
                    factor += f"*(1+${rate_col}${real_row})^{years}"
            # cba's own formulas on the fast path (a row per line), each formatted as its figure needs, each with
            # the engine's own figure as its stored result: thousands of lines need no evaluating
            fast_cell(ws, real_row, 3 + i, f"={spent}{factor}", real_style, flow.real[i])
            fast_cell(ws, bias_row, 3 + i, f"={col}{real_row}*(1+$B${bias_row})", adjusted_style, flow.adjusted[i])
    book.formatted(ws, range(real_first, real_first + n))  # row_style gave each row its format
    book.formatted(ws, range(adjusted_first, adjusted_first + n))
    return CostRows((real_first, real_first + n - 1), (adjusted_first, adjusted_first + n - 1), adjusted_first + n - 1)


def _classification(book: Book, ws: Worksheet, r: int, s, kind_range: str | None, units: Worksheet) -> bool:
    """A stream's value type (column B of its first row), agency (C) and cashability (D), which every total by
    value type and agency reads (StreamColumns). Where its unit cost's id is an input they are looked up by it;
    where the scenario writes the value itself, its value type and agency are inputs with drop-downs; else they
    stand as written. The cashability never changes here (``xlsx_lists.type_fixed``). Returns whether the
    value type can change, which the cashable part must then follow."""
    u = s.unit_cost
    text_cell(ws, r, 4, CASHABILITY[u.cashable])
    fixed = type_fixed(s)
    lists = book.lists
    if kind_range is not None and lists is not None:  # looked up by the id, within its kind
        for column, source, value in ((2, "H", u.value_type.value), (3, "F", u.agency)):
            put_formula(ws.cell(r, column), by_id(units, source, f"C{r + 1}"))
            book.known(ws, r, column, value)
        book.offered_agencies |= set(lists.kind_agencies[s.key])
        return not fixed
    written = written_field(s.unit_cost_ref, u)
    if written is None or lists is None or lists.benefit_agencies is None:
        text_cell(ws, r, 2, u.value_type.value)
        text_cell(ws, r, 3, u.agency)
        return False
    if fixed:
        text_cell(ws, r, 2, u.value_type.value)
    else:
        types = choices(("fiscal", "economic", "social"), "value type", "fiscal, economic or social.")
        ws.add_data_validation(types)
        types.add(put_text_input(ws, r, 2, u.value_type.value, f"{written}.value_type"))
    agencies = choices(lists.benefit_agencies, "agency", "An agency of the Lists sheet.")
    ws.add_data_validation(agencies)
    agencies.add(put_text_input(ws, r, 3, u.agency, f"{written}.agency"))
    book.offered_agencies |= set(lists.benefit_agency_names)
    return not fixed


def _unit_value(
    book: Book,
    ws: Worksheet,
    row: int,
    s,
    units: Worksheet,
    unit_rows: dict[str, int],
    kind_range: str | None,
    money: str,
) -> None:
    """The value of one unit: where an id names the unit cost alone, the id is an input in column C (a drop-down
    of the unit costs of the same kind) and the value is looked up by it; otherwise the Unit costs sheet's cell."""
    cell = ws[f"B{row}"]
    if kind_range is None:
        put_formula(cell, ref(units, f"D{unit_rows[s.unit_cost_ref]}"), money)
    else:
        key = f"outcomes.{s.outcome}." + ("unit_cost" if s.part is None else f"values.{s.part}.unit_cost")
        allowed = choices(kind_range, "unit cost", "A unit cost of the same kind, from the Lists sheet.")
        ws.add_data_validation(allowed)
        allowed.add(put_text_input(ws, row, 3, s.unit_cost_ref, key))
        put_formula(cell, by_id(units, "D", f"C{row}"), money)
        book.known(ws, row, 2, s.unit_cost.value)
    book.unit_value_cells[s.key] = (ref(ws, f"B{row}"), ref(ws, f"C{row}") if kind_range else None)


def _graded_bias(book: Book, ws: Worksheet, row: int, s, own: bool, confidence: str | None) -> None:
    """A benefit's optimism bias given by a grade: the grade in column C (the outcome's own an input, with the
    grades as its drop-down; its unit cost's confidence as the Unit costs sheet has it), and the bias in B
    looked up in the grade table."""
    grades = book.grades
    assert grades is not None
    if own:
        put_input(ws[f"C{row}"], s.optimism_grade, "0", f"outcomes.{s.outcome}.optimism_bias.grade")
        grade = grade_choices(grades)
        ws.add_data_validation(grade)
        grade.add(ws[f"C{row}"])
    elif confidence is not None:  # the unit cost's confidence grade, looked up by its id
        put_formula(ws[f"C{row}"], confidence, "0")
        book.known(ws, row, 3, str(s.optimism_grade))
    else:  # no field sets it: the unit cost's confidence grade (cba diff reports an edit here, as for any formula)
        fast_cell(ws, row, 3, s.optimism_grade, style_record(ws, None, None, "0"))
    put_formula(ws[f"B{row}"], grades.share(f"C{row}"), PERCENT)
    book.known(ws, row, 2, s.optimism_bias)


def _years_cell(ws: Worksheet, row: int, s, years: str, timing: dict[str, Decimal]) -> None:
    """The years one unit's benefit falls in: a formula over the volume cells; with real price growth, cba's
    figure (one unit's years each at its real price), which no formula over those cells gives."""
    if s.growth is None:
        put_formula(ws[f"B{row}"], years, COUNT)
        return
    fast_cell(ws, row, 2, number(timing[s.outcome]), style_record(ws, None, None, COUNT))


def _growth_row(book: Book, ws: Worksheet, row: int, s, cols: list[str]) -> None:
    """A benefit's real price growth: the rate an input in B, the price year it grows from in C, and each year's
    factor (1 + rate)^(whole financial years from that year), which the benefit row multiplies by."""
    if s.growth.rate is None:  # by year: the Real growth sheet's index in each period's financial year
        text_cell(ws, row, 1, "Real price growth factor (rates by year: the Real growth sheet's index)")
        text_cell(ws, row, 2, "by year")
        text_cell(ws, row, 3 + len(cols) + 1, f"from {year_name(s.growth_price_year)}")
        for i, col in enumerate(cols):
            index = book.growth_cells[(f"stream {s.key}", s.growth_price_year + s.growth_years(i))]
            put_formula(ws[f"{col}{row}"], index, FACTOR)
            book.known(ws, row, 3 + i, s.growth_at(i))
        return
    text_cell(ws, row, 1, "Real price growth factor (rate a year in B, from the price year in C)")
    put_input(ws[f"B{row}"], float(s.growth.rate), PERCENT, None if s.part else f"outcomes.{s.outcome}.real_growth")
    text_cell(ws, row, 3 + len(cols) + 1, f"from {year_name(s.growth_price_year)}")
    for i, col in enumerate(cols):
        put_formula(ws[f"{col}{row}"], f"(1+$B${row})^{s.growth_years(i)}", FACTOR)
        book.known(ws, row, 3 + i, s.growth_at(i))


#: the evidence aspects' columns on a benefit's optimism-bias row, right of its grade in C
ASPECT_COLUMNS = {"impact": "D", "deadweight": "E", "cohort": "F", "unit cost": "G"}


def _evidence_bias(book: Book, ws: Worksheet, row: int, s, confidence: str | None) -> None:
    """A benefit's optimism bias from its evidence grades: each aspect's grade in D to G (the outcome's own an
    input; the unit cost's confidence as the Unit costs sheet has it; an aspect ranged explicitly said so, and
    left out), the weakest of those left in C (MAX), and the bias in B looked up in the grade table."""
    grades = book.grades
    assert grades is not None
    derivation = s.evidence
    used = []
    for aspect, grade in derivation.graded:
        col = ASPECT_COLUMNS[aspect]
        column = column_index_from_string(col)
        if aspect in derivation.ranged:
            text_cell(ws, row, column, f"{aspect}: ranged")
            continue
        used.append(f"{col}{row}")
        if aspect != "unit cost":
            key = f"outcomes.{s.outcome}.evidence.{aspect}" if not s.part else None
            put_input(ws[f"{col}{row}"], grade, "0", key)
        elif confidence is not None:  # the unit cost's confidence grade, looked up by its id (text there: x 1)
            put_formula(ws[f"{col}{row}"], f"({confidence})*1", "0")
            book.known(ws, row, column, Decimal(grade))
        else:
            fast_cell(ws, row, column, grade, style_record(ws, None, None, "0"))
    text_cell(ws, row, 8, "evidence grades: D impact, E deadweight, F cohort, G unit cost; C the weakest")
    put_formula(ws[f"C{row}"], f"MAX({','.join(used)})", "0")
    book.known(ws, row, 3, Decimal(derivation.grade))
    put_formula(ws[f"B{row}"], grades.share(f"C{row}"), PERCENT)
    book.known(ws, row, 2, s.optimism_bias)


def cumulative_chart(appraisal: Worksheet, n: int, first_row: int, title: str, names: tuple[str, str]) -> LineChart:
    """The Appraisal sheet's cumulative PV of costs and of benefits (two rows from ``first_row``) as lines. Series
    and categories both cover the year columns C.. (t = 0 .. n-1), so each point sits on its year."""
    chart = LineChart()
    chart.title = title
    chart.y_axis.title = "£"
    chart.add_data(
        Reference(appraisal, min_col=3, max_col=2 + n, min_row=first_row, max_row=first_row + 1),
        from_rows=True,
        titles_from_data=False,
    )
    for series, name in zip(chart.series, names):
        series.tx = SeriesLabel(v=name)
    chart.set_categories(Reference(appraisal, min_col=3, max_col=2 + n, min_row=1))
    tidy_chart(chart)
    return chart


def paid_out_row(transfers: int) -> int:
    """The Transfers sheet's row of what the public sector pays outside it by year (PV): after ``transfers``
    blocks of five rows from row 2."""
    return 2 + 5 * transfers


def _payback_rows(
    ws: Worksheet,
    cols: list[str],
    r: int,
    flow_of: Callable[[str], str],
    money: str,
    what: str,
    paid_out: int | None,
    cost_row: int = 11,
) -> tuple[int, int]:
    """Cumulative PV of ``what`` less PV costs (row 11) and less what is paid outside the public sector (the
    Transfers sheet's row ``paid_out``), cumulative spend, and the payback so far by year: the crossing after
    which the cumulative stays non-negative. Returns (cumulative spend row, crossing row)."""
    cum_row, spent_row, cross_row = r, r + 1, r + 2
    ws.cell(cum_row, 1, f"Cumulative PV {what} less PV costs")
    ws.cell(spent_row, 1, "Cumulative PV costs")
    ws.cell(
        cross_row,
        1,
        "Payback so far: the crossing after which the cumulative has stayed non-negative, a year's costs "
        "at its start and its benefits through it (t + shortfall after the year's costs / the year's "
        "benefits); blank while it is negative",
    )
    for i, col in enumerate(cols):
        flow = flow_of(col)  # the year's benefits
        prev_cum = f"{cols[i - 1]}{cum_row}" if i else "0"
        prev_spent = f"{cols[i - 1]}{spent_row}+" if i else ""
        # payments to investors are spent as costs are, at the start of their year
        spend = f"{col}{cost_row}" if paid_out is None else f"({col}{cost_row}+'Transfers'!{col}{paid_out})"
        # the first year has nothing before it: its formulas start from its own flows (no "0+" or '""<>""')
        put_formula(ws[f"{col}{cum_row}"], f"{prev_cum}+({flow})-{spend}" if i else f"({flow})-{spend}", money)
        put_formula(ws[f"{col}{spent_row}"], f"{prev_spent}{spend}", money)
        start = f"({prev_cum}-{spend})" if i else f"(-{spend})"  # after the year's costs, paid at its start
        during = f"{col}2+(-{start})/({col}{cum_row}-{start})"
        kept = f'IF({cols[i - 1]}{cross_row}<>"",{cols[i - 1]}{cross_row},{col}2)' if i else f"{col}2"
        put_formula(
            ws[f"{col}{cross_row}"],
            f'IF({col}{cum_row}<0,"",IF({col}{spent_row}<=0,"",IF({start}<0,{during},{kept})))',
            "0.00",
        )
    return spent_row, cross_row


def appraisal_sheet(
    book: Book, result: RunResult, costs: Worksheet, layout: CostsLayout, units: Worksheet, unit_rows: dict[str, int]
) -> dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]]:
    """Add the Appraisal sheet (benefit streams year by year; with an appraisal, discounting and results)
    and name its results (npv, bcr, financial_roi, payback_years, ...).

    Returns, for each priced outcome, its undiscounted total benefit cell, a formula for the value
    of one unit in a year after adjustments, the cell holding the years one unit's benefit falls in,
    its benefit cell in each appraisal year, and its volume cell in each.
    """
    t = result.figures.timeline
    ws = book.wb.create_sheet("Appraisal")
    n = len(t.years)
    cols = [get_column_letter(3 + i) for i in range(n)]
    total_col = get_column_letter(3 + n)
    # after the total, each benefit stream's classification, which the totals by value type and agency read
    marker_col, vt_col, agency_col, stated_col = (get_column_letter(4 + n + k) for k in range(4))
    put_header(
        ws,
        1,
        ["Item", "Setting"]
        + [f"{label} (t={i})" for i, label in enumerate(t.years)]
        + ["Total / PV", "Counts in (for the totals)", "Value type", "Agency", "Cashability"],
    )
    money = book.money_format
    # the years one unit's benefit falls in, as the break-even's divisor has it; taken from the engine even when
    # the run shows no break-even (a cost that is not known)
    timing = {s.outcome: s.timing for s in outcome_switches(t, Decimal(0), "net_position")}

    appraised = result.settings.appraised
    ws["A2"] = "Year t" if t.per_year == 1 else f"Period t ({t.per_year} a year)"
    for i, col in enumerate(cols):
        ws[f"{col}2"] = i
    rows = {}
    schedule = book.schedule
    # the year a period ends in, which the schedule's bands are by: the period itself for years
    year_of = "{col}$2" if t.per_year == 1 else "ROUNDUP({col}$2/$B$2,0)"
    for r, (column, label) in enumerate(
        (("standard", "Discount rate, standard"), ("health", "Discount rate, health")), start=3
    ):
        ws.cell(r, 1, label + (" (the Discount schedule's band, or the Assumptions' flat rate)" if schedule else ""))
        for k, (col, rate) in enumerate(zip(cols, t.rates[column])):
            if schedule is None:  # not appraised: nothing is discounted, and nothing sets a rate
                fast_cell(ws, r, 3 + k, float(rate), style_record(ws, None, None, PERCENT))
                continue
            year = year_of.format(col=col)
            standard = schedule.rate(year, "standard")
            if column == "standard":
                formula = f'IF(discounting="green_book",IF(discount_rate="",{standard},discount_rate),0)'
            else:  # a flat standard rate keeps the schedule's differential off the health rate (never below 0)
                health = schedule.rate(year, "health")
                formula = (
                    'IF(discounting="green_book",IF(health_discount_rate<>"",health_discount_rate,'
                    f'IF(discount_rate="",{health},MAX(discount_rate-({standard}-{health}),0))),0)'
                )
            put_formula(ws[f"{col}{r}"], formula, PERCENT)
            book.known(ws, r, 3 + k, rate)
        rows[f"rate_{column}"] = r
    # by elapsed time: a period that is 1/p of a year discounts by (1 + r)^(1/p)
    elapsed = ""
    if t.per_year != 1:  # the periods a year in a cell of its own, which the factors read (not typed into them)
        ws["B2"] = t.per_year
        elapsed = "^(1/$B$2)"
    for r, column in enumerate(("standard", "health"), start=5):
        shown = "" if t.per_year == 1 else f"^(1/{t.per_year})"
        ws.cell(r, 1, f"Discount factor, {column} (DF_0 = 1; DF_t = DF_t-1 / (1 + r_t){shown})")
        rate_row = rows[f"rate_{column}"]
        ws[f"{cols[0]}{r}"] = 1  # DF_0 = 1 by definition
        ws[f"{cols[0]}{r}"].number_format = FACTOR
        for prev, col in pairwise(cols):
            put_formula(ws[f"{col}{r}"], f"{prev}{r}/(1+{col}{rate_row}){elapsed}", FACTOR)
        rows[f"df_{column}"] = r

    first = result.figures.periods[0]
    measure = result.settings.cost_measure
    period_cols = layout.budget_cols if measure == "budget" else layout.actual_cols
    year_cols = {cols[year_index(period, first)]: col for period, col in period_cols.items()}
    prices = f"{t.price_base} prices" if t.real_terms else "as written (not real terms)"
    ws["A8"] = f"Costs as written ({measure} spend, from Costs)"
    ws["A9"] = f"Costs, {prices} (the cost lines below)"
    ws["A10"] = "Costs after optimism bias (on forecasts only: a budget, or committed spend; outturn is not uplifted)"
    if appraised:  # without an appraisal the run has no present value of costs: the sheet shows none
        ws["A11"] = "PV of costs"
    block = _real_cost_lines(book, ws, result, costs, layout, cols, year_cols, start=13)
    if block.real is not None and block.adjusted is not None:  # the Financial case sheet reads each line's row
        book.cost_block = (block.real, block.adjusted)
    for i, col in enumerate(cols):
        spent = ref(costs, f"{year_cols[col]}{layout.total_row}") if col in year_cols else "0"
        put_formula(ws[f"{col}8"], spent, money)
        if block.real is None:  # neither real terms nor an uplift: the costs stand as written
            put_formula(ws[f"{col}9"], f"{col}8", money)
            put_formula(ws[f"{col}10"], f"{col}9", money)
        else:
            put_formula(ws[f"{col}9"], f"SUM({col}{block.real[0]}:{col}{block.real[1]})", money)
            put_formula(ws[f"{col}10"], f"SUM({col}{block.adjusted[0]}:{col}{block.adjusted[1]})", money)  # type: ignore[index]
            # the engine's totals of the lines: a 10,000-line block is not summed again to store them
            book.known(ws, 9, 3 + i, t.costs_real[i])
            book.known(ws, 10, 3 + i, t.costs_adjusted[i])
        if appraised:
            put_formula(ws[f"{col}11"], f"{col}10*{col}{rows['df_standard']}", money)
    if appraised:
        put_formula(ws[f"{total_col}11"], f"SUM({cols[0]}11:{cols[-1]}11)", money, True)
        book.name("pv_costs", ws, f"{total_col}11")
    # a party outside the public sector bears some lines: the fiscal case counts the rest
    if appraised and t.pv_costs_outside:
        assert block.adjusted is not None
        ws["A12"] = "PV of costs the public sector bears (the fiscal case: not those borne outside it)"
        first_adjusted = block.adjusted[0]
        outside_rows = [first_adjusted + k for k, f in enumerate(t.cost_flows) if f.agency in t.outside]
        for col in cols:
            borne = "+".join(f"{col}{row}" for row in outside_rows)
            put_formula(ws[f"{col}12"], f"{col}11-({borne})*{col}{rows['df_standard']}", money)
        put_formula(ws[f"{total_col}12"], f"SUM({cols[0]}12:{cols[-1]}12)", money, True)
        book.name("pv_public_costs", ws, f"{total_col}12")
    # the undiscounted total the summary sets against the benefits on the lines' basis (engine: appraise)
    put_formula(ws[f"{total_col}10"], f"SUM({cols[0]}10:{cols[-1]}10)", money, True)
    book.name("costs_adjusted_total", ws, f"{total_col}10")

    r = block.end + 2
    streams = []  # (stream, benefit row, pv row)
    links: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = {}
    benefits_row = {o.stream.key: 2 + i for i, o in enumerate(result.figures.outcomes)}  # rows of the Benefits sheet
    values_of = {o.stream.key: o for o in result.figures.outcomes}
    first_row: dict[str, int] = {}  # an outcome's first row on the Benefits sheet: its volume's inputs
    for row, o in enumerate(result.figures.outcomes, start=2):
        first_row.setdefault(o.id, row)
    shared: dict[str, VolumeSource] = {}  # outcome id -> its volume's formulas, for its later values
    first_volume: dict[str, int] = {}  # outcome id -> the volume row of its first value
    first_block: dict[str, int] = {}  # outcome id -> the first row of its first value's block
    first_cashable: dict[str, int] = {}  # outcome id -> its first value's cashable share row
    first_stream = None
    for s in t.streams:
        if s.unit_cost is None:
            continue
        if first_stream is None:
            first_stream = r
        u = s.unit_cost
        graded = s.optimism_grade is not None and book.grades is not None
        kind_range = book.lists.unit_costs.get(s.key) if book.lists is not None else None
        ws.cell(r, 1, "").font = BOLD
        text_cell(ws, r, 1, f"{s.label}: {s.measure} (value type, agency, cashability)").font = BOLD
        live_type = _classification(book, ws, r, s, kind_range, units)
        params = [
            (
                "Unit cost (the Unit costs sheet's, by the id in column C)"
                if kind_range
                else "Unit cost (Unit costs sheet), price year " + u.price_year,
                None,
            ),
            ("Deflator at the price base", "deflator_base"),
            ("Deflator at the unit cost's price year", "deflator_year"),
            ("Unit value at the price base", "unit_value"),
            ("Deadweight", s.deadweight),
            ("Attribution", s.attribution),
            ("Displacement", s.displacement),
            (
                f"Optimism bias ({s.optimism_bias_basis}"
                + ("; the grade in column C, looked up on the Optimism bias grades sheet)" if graded else ")"),
                s.optimism_bias,
            ),
            ("Counted (attributable and priced)", s.counted),
            ("Unit conversion (e.g. weeks in a year)", "conversion"),
            ("Years one unit's benefit falls in (timing, undiscounted)", "timing"),
        ] + ([("Share of the unit cost this value counts", "share")] if s.part is not None else [])
        value_of = values_of[s.key]
        live = s.outcome in shared or live_volume(s, value_of, s.outcome in book.arm_rows[1])
        at = {}
        for offset, (label, value) in enumerate(params, start=1):
            row = r + offset
            text_cell(ws, row, 1, label)
            at[label.split(" (")[0].split(",")[0]] = row
            cell = ws[f"B{row}"]
            if offset == 1:
                _unit_value(book, ws, row, s, units, unit_rows, kind_range, money)
            elif value == "deflator_base" or value == "deflator_year":
                index = s.deflator_base if value == "deflator_base" else s.deflator_year
                if index is not None and book.deflators is not None:  # looked up on the Deflators sheet
                    if value == "deflator_base":
                        put_formula(cell, book.deflators.lookup("price_base"), "0.0000")
                    else:
                        if kind_range is not None:  # the unit cost's price year, looked up by its id
                            put_formula(ws[f"C{row}"], by_id(units, "E", f"C{r + 1}"))
                            book.known(ws, row, 3, u.price_year)
                        else:
                            text_cell(ws, row, 3, u.price_year)  # the year it is looked up by
                        put_formula(cell, book.deflators.lookup(f"C{row}"), "0.0000")
                else:  # not uprated: 1, which nothing sets (not an input)
                    fast_cell(ws, row, 2, 1, style_record(ws, None, None, "0.0000"))
            elif value == "timing":
                if not live:  # volumes by year: one unit is spread over the years given, so it sums to 1
                    fast_cell(ws, row, 2, number(timing[s.outcome]), style_record(ws, None, None, COUNT))
                text_cell(
                    ws,
                    row,
                    3,
                    (f"first in {t.years[s.start_year]} (year {s.start_year})" if s.start_year < len(t.years) else "")
                    + (f"; timing {s.timing_note}" if s.timing_note else ""),
                )
            elif value == "unit_value":
                share = f"*B{r + 12}" if s.part is not None else ""
                put_formula(cell, f"B{r + 1}*B{r + 2}/B{r + 3}*B{r + 10}{share}", money)
            elif value == "share":
                put_input(cell, float(s.share), PERCENT, f"outcomes.{s.outcome}.values.{s.part}.share")
            elif value == "conversion":  # the Benefits sheet's input, on the outcome's first row
                put_formula(cell, f"'Benefits'!L{first_row[s.outcome]}", COUNT)
            elif isinstance(value, bool):
                # the Benefits sheet holds the attributable flag; priced streams are counted when it is TRUE
                put_formula(cell, f"'Benefits'!H{benefits_row[s.key]}")
            else:  # what is left: the shares (deadweight, attribution, displacement, optimism bias)
                field = FIELDS[offset]
                alike = field != "optimism_bias" or not s.optimism_bias_basis.endswith("confidence")
                if s.part and alike and s.outcome in first_block:  # the outcome's own: its first value's cell
                    put_formula(cell, f"B{first_block[s.outcome] + offset}", PERCENT)
                elif (
                    field == "optimism_bias" and s.evidence is not None and s.evidence.grade and book.grades is not None
                ):
                    _evidence_bias(book, ws, row, s, by_id(units, "J", f"C{r + 1}") if kind_range else None)
                elif field == "optimism_bias" and s.evidence is not None:  # every graded risk is ranged: none
                    fast_cell(ws, row, 2, 0, style_record(ws, None, None, PERCENT))
                elif field == "optimism_bias" and s.optimism_grade is not None and book.grades is not None:
                    _graded_bias(book, ws, row, s, alike, by_id(units, "J", f"C{r + 1}") if kind_range else None)
                else:  # a value's own optimism bias (its unit cost's confidence) has no field of its own
                    key = f"outcomes.{s.outcome}.{field}" if s.part is None or alike else None
                    if field == "optimism_bias" and s.evidence is not None:
                        key = None  # set by its evidence grades, which the scenario gives instead
                    put_input(cell, float(value), PERCENT, key)  # type: ignore[arg-type]
        volume_row = r + len(params) + 1
        # where the volume comes from: formulas over the Benefits sheet's inputs, shared by an outcome's values
        source = shared.get(s.outcome)
        if source is None and live:
            volume_row, source = volume_rows(ws, s, first_row[s.outcome], volume_row, cols, list(t.years))
            if source.intake_row is not None:
                book.intake_cells[s.outcome] = (
                    f"SUM({ref(ws, f'{cols[0]}{source.intake_row}')}:{cols[-1]}{source.intake_row})"
                )
            shared[s.outcome] = source
            _years_cell(ws, at[YEARS], s, source.years, timing)
        elif source is not None:  # a later value of the outcome: the first value's volume and timing
            _years_cell(ws, at[YEARS], s, source.years, timing)
            source = VolumeSource([f"{col}{first_volume[s.outcome]}" for col in cols], source.years, None)
        first_block.setdefault(s.outcome, r)
        first_volume.setdefault(s.outcome, volume_row)
        benefit_row, pv_row = volume_row + 1, volume_row + 2
        # real price growth: a row of its own below the block's cashable rows, which the benefit row multiplies by
        growth_row = pv_row + 4 if s.growth is not None else None
        grown = f"*{{col}}{growth_row}" if growth_row is not None else ""
        ws.cell(volume_row, 1, "Volume")
        ws.cell(benefit_row, 1, "Benefit (volume x unit value x (1-dw) x (1-at) x (1-dp) x (1-ob))")
        ws.cell(
            pv_row,
            1,
            f"PV of benefit, if counted ({s.discount_column} discount factor)"
            if appraised
            else "Benefit, if counted (not appraised: the discount factors above are all 1)",
        )
        df_row = rows[f"df_{s.discount_column}"]
        # a total spread over the periods: the Spreads sheet's cells
        spread = book.spread_cells.get(("outcome volume", s.outcome, "volume"), {})
        for i, col in enumerate(cols):
            volume = s.volumes.get(i, Decimal(0))
            if source is not None:
                put_formula(ws[f"{col}{volume_row}"], source.volumes[i], COUNT)
            elif t.years[i] in spread:
                put_formula(ws[f"{col}{volume_row}"], spread[t.years[i]], COUNT)
            elif s.volume_spread is not None:
                ws[f"{col}{volume_row}"] = 0
                ws[f"{col}{volume_row}"].number_format = COUNT
            elif s.part and s.outcome in first_volume:  # a later value: the first value's volumes
                put_formula(ws[f"{col}{volume_row}"], f"{col}{first_volume[s.outcome]}", COUNT)
            else:
                put_input(ws[f"{col}{volume_row}"], number(volume), COUNT, f"outcomes.{s.outcome}.volumes.{t.years[i]}")
            put_formula(
                ws[f"{col}{benefit_row}"],
                f"{col}{volume_row}*$B${r + 4}*(1-$B${r + 5})*(1-$B${r + 6})*(1-$B${r + 7})*(1-$B${r + 8})"
                + grown.format(col=col),
                money,
            )
            put_formula(ws[f"{col}{pv_row}"], f"IF($B${r + 9},{col}{benefit_row}*{col}{df_row},0)", money)
        put_formula(ws[f"{total_col}{benefit_row}"], f"SUM({cols[0]}{benefit_row}:{cols[-1]}{benefit_row})", money)
        put_formula(ws[f"{total_col}{pv_row}"], f"SUM({cols[0]}{pv_row}:{cols[-1]}{pv_row})", money, True)
        # the cashable part: the outcome's own share from its year, or all or none as the unit cost says
        share_row, from_row, cash_row = pv_row + 1, pv_row + 2, pv_row + 3
        own = s.cashable_share is not None
        ws.cell(
            share_row,
            1,
            "Cashable share of the fiscal benefit"
            + (" (the outcome's own)" if own else " (all or none, as the unit cost says)"),
        )
        cashable = float(s.cashable_fraction(s.cashable_from if own else 0))
        ws.cell(from_row, 1, "Cashable from year t")
        if not s.fiscal and live_type:  # not fiscal as written, but its value type may be made so: its share then
            if own:
                fast_cell(ws, share_row, 2, float(s.cashable_share), style_record(ws, None, None, PERCENT))  # type: ignore[arg-type]
            else:  # all or none, as the unit cost says
                put_formula(ws[f"B{share_row}"], f'IF($D${r}="{CASHABILITY[True]}",1,0)', PERCENT)
            fast_cell(ws, from_row, 2, s.cashable_from, style_record(ws, None, None, "0"))
        elif not s.fiscal:  # only a fiscal benefit is cashable: nothing counts this value's, so not inputs
            fast_cell(ws, share_row, 2, 0, style_record(ws, None, None, PERCENT))
            fast_cell(ws, from_row, 2, s.cashable_from, style_record(ws, None, None, "0"))
        elif s.part and own and s.outcome in first_cashable:  # the outcome's own, on its first fiscal value
            first_share = first_cashable[s.outcome]
            put_formula(ws[f"B{share_row}"], f"B{first_share}", PERCENT)
            put_formula(ws[f"B{from_row}"], f"B{first_share + 1}", "0")
        elif not own and s.unit_cost.cashable is None:
            # nothing says what is cashable: the cashable figures are not known, not 0 (every face says so), and a
            # share typed here would state it, which only the scenario can (its cashable: field): not inputs
            fast_cell(ws, share_row, 2, 0, style_record(ws, None, None, PERCENT))
            fast_cell(ws, from_row, 2, s.cashable_from, style_record(ws, None, None, "0"))
            text_cell(ws, share_row, 3, f"not stated: say it with outcomes.{s.outcome}.cashable in the scenario")
        else:  # as the unit cost says (all or none): no field sets one value's share alone
            key = f"outcomes.{s.outcome}.cashable" if own or s.part is None else None
            put_input(ws[f"B{share_row}"], cashable, PERCENT, key and f"{key}.share")
            # a year alone needs a share: as the unit cost says is all or none, which no share field states
            put_input(ws[f"B{from_row}"], s.cashable_from, "0", f"{key}.from_year" if own else None)
            if own:
                first_cashable.setdefault(s.outcome, share_row)
        ws.cell(cash_row, 1, "PV of the cashable part" if appraised else "The cashable part (not discounted)")
        for col in cols:
            counts = f"{col}$2>=$B${from_row}"
            if live_type:  # only a fiscal benefit is cashable, and its value type may change
                counts = f'AND($B${r}="fiscal",{counts})'
            put_formula(ws[f"{col}{cash_row}"], f"IF({counts},{col}{pv_row}*$B${share_row},0)", money)
        put_formula(ws[f"{total_col}{cash_row}"], f"SUM({cols[0]}{cash_row}:{cols[-1]}{cash_row})", money)
        # what the totals by value type, agency and cashability read (StreamColumns)
        stated = "stated" if (own or u.cashable is not None) else "not stated"
        for row, marker in ((pv_row, "PV"), (cash_row, "cashable PV")):
            ws[f"{marker_col}{row}"] = marker
            put_formula(ws[f"{vt_col}{row}"], f"$B${r}")
            book.known(ws, row, column_index_from_string(vt_col), u.value_type.value)
            put_formula(ws[f"{agency_col}{row}"], f"$C${r}")
            book.known(ws, row, column_index_from_string(agency_col), u.agency)
            ws[f"{stated_col}{row}"] = stated
        streams.append((s, benefit_row, pv_row, cash_row))
        # the financial case's cashable savings read each stream's volume, adjustments and cashable share here
        book.cash_streams.append((s, r, volume_row, share_row, from_row, growth_row))
        links[s.key] = (
            ref(ws, f"{total_col}{benefit_row}"),
            "*".join([ref(ws, f"B{r + 4}")] + [f"(1-{ref(ws, f'B{r + k}')})" for k in (5, 6, 7, 8)]),
            ref(ws, f"B{r + 11}"),
            tuple(ref(ws, f"{col}{benefit_row}") for col in cols),
            tuple(ref(ws, f"{col}{volume_row}") for col in cols),
        )
        if growth_row is not None:
            _growth_row(book, ws, growth_row, s, cols)
        r = cash_row + (3 if growth_row is not None else 2)

    classified = StreamColumns(first_stream, r - 2, marker_col, vt_col, agency_col, stated_col)
    # each agency a fiscal benefit accrues to, as written or once an input offers it another
    benefit_agencies = sorted(
        {s.unit_cost.agency for s, *_ in streams if s.fiscal} | set(book.offered_agencies)  # type: ignore[union-attr]
    )

    def total(row: str, value_type: str | None = None, **given: str) -> str:
        return classified.sum(total_col, row, value_type, **given)

    if not appraised:
        # No appraisal in this run: the engine reports no present values, NPV, ROI or payback, so the sheet
        # derives none (issue 28, Why 6: npv and bcr were named in workbooks without an appraisal). It holds
        # the benefit streams the Benefits sheet reads.
        text_cell(
            ws,
            r,
            1,
            "Not appraised: no present values, NPV, ROI or payback (run with --green-book, or give the scenario "
            "an appraisal: block, for them)",
        ).font = BOLD
        set_widths(ws, {"A": 62, "B": 30, **{c: 14 for c in cols}, total_col: 16})
        return links
    ws.cell(r, 1, "Results").font = BOLD
    r += 1
    # what is paid to parties outside the public sector (the Transfers sheet names it) is in the fiscal case
    leaves = any(f.leaves for f in t.transfers)
    out, out_cell = (PAID_OUT, "-pv_paid_out") if leaves else ("", "")
    paid_out = paid_out_row(len(t.transfers)) if leaves else None
    # the lead agency's own figure is a formula when it bears every cost and makes every payment out; the sheet
    # does not split costs by agency otherwise, so it then holds cba's figure, and says so
    lead = t.lead_agency
    lead_benefits = total("PV", "fiscal", agency=sumif_criterion(text_of(lead)))
    pays_alone = all(f.payer == lead and f.leaves == 1 for f in t.transfers)
    if pays_alone and block.real is not None and block.adjusted is not None:
        # its own cost lines, each year discounted: SUMIF on the agency beside each line, which may be an input
        criterion = sumif_criterion(text_of(lead))
        borne = "+".join(
            agency_costs((block.real, block.adjusted), criterion, col, rows["df_standard"]) for col in cols
        )
        lead_formula = f"({lead_benefits})-({borne}){out_cell}"
    elif all(f.agency == lead for f in t.cost_flows) and pays_alone:
        lead_formula = f"({lead_benefits})-pv_costs{out_cell}"
    else:
        lead_formula = ""
    fc = "pv_public_costs" if t.pv_costs_outside else "pv_costs"  # the fiscal case's cost
    results = [
        (pv_costs_label(t), "pv_costs", money, None),
        ("PV of fiscal benefits", total("PV", "fiscal"), money, "pv_fiscal"),
        ("PV of economic benefits", total("PV", "economic"), money, "pv_economic"),
        ("PV of social benefits", total("PV", "social"), money, "pv_social"),
        ("PV of fiscal benefits, " + CASHABILITY[True], total("cashable PV", "fiscal"), money, "pv_cashable"),
        (
            "PV of fiscal benefits, " + CASHABILITY[False],
            f"({total('PV', 'fiscal', stated='stated')})-({total('cashable PV', 'fiscal', stated='stated')})",
            money,
            None,
        ),
        (
            "PV of fiscal benefits, " + CASHABILITY[None],
            total("PV", "fiscal", stated="not stated"),
            money,
            None,
        ),
        (
            f"Net present budget impact, all public agencies together (fiscal PV - {fiscal_cost(t)}{out})",
            f"pv_fiscal-{fc}{out_cell}",
            money,
            "net_present_budget_impact",
        ),
        (
            f"Net present budget impact to {t.lead_agency} alone (the lead agency: its fiscal PV - its costs"
            + (" - what it pays outside the public sector)" if out else ")"),
            lead_formula,
            money,
            "lead_agency_budget_impact",
        ),
        (
            "Net present public value (all benefits PV - cost PV)",
            "pv_fiscal+pv_economic+pv_social-pv_costs",
            money,
            "npv",
        ),
        (
            f"Financial ROI ({less('fiscal PV', out)} / {fiscal_cost(t)})",
            f'IF({fc}=0,"",{less("pv_fiscal", out_cell)}/{fc})',
            RATIO,
            "financial_roi",
        ),
        (
            "Public value ROI / BCR (all benefits PV / cost PV)",
            'IF(pv_costs=0,"",(pv_fiscal+pv_economic+pv_social)/pv_costs)',
            RATIO,
            "bcr",
        ),
        (
            f"Cashable ROI ({less('cashable fiscal PV', out)} / {fiscal_cost(t)})",
            f'IF({fc}=0,"",{less("pv_cashable", out_cell)}/{fc})',
            RATIO,
            "cashable_roi",
        ),
    ]
    for agency in benefit_agencies:  # as written, and any a changed input may give a fiscal benefit
        results.append(
            (
                f"PV of fiscal benefits to {agency}",
                total("PV", "fiscal", agency=sumif_criterion(text_of(agency))),
                money,
                None,
            )
        )
    for label, formula, fmt, name in results:
        text_cell(ws, r, 1, label)
        unknown = result.unknown(name) if name else None
        if unknown is not None:  # not a 0: nothing says what is cashable, or the cost is not known
            text_cell(ws, r, 2, unknown)
        elif not formula:  # cba's figure, where the sheet has no cells to compute it from: a result, not an input
            figure = result.figure("lead_agency_budget_impact").number
            if figure is None:  # never a 0 for a figure cba does not have
                text_cell(ws, r, 2, "not known")
            else:
                fast_cell(ws, r, 2, number(figure), style_record(ws, None, None, fmt))
            text_cell(ws, r, 3, "cba's figure: this sheet does not split the costs or payments it needs by agency")
        else:
            put_formula(ws[f"B{r}"], formula, fmt, bold=name in ("npv", "bcr"))
        if name:
            book.name(name, ws, f"B{r}")
        r += 1

    # Payback: cumulative discounted fiscal benefits less discounted costs, interpolated in the year it turns non-negative.
    cost_row = 12 if t.pv_costs_outside else 11  # the public sector's costs: a provider's are not repaid to it
    spent_row, cross_row = _payback_rows(
        ws, cols, r + 1, lambda col: classified.sum(col, "PV", "fiscal"), money, "fiscal benefits", paid_out, cost_row
    )
    _, cash_cross = _payback_rows(
        ws,
        cols,
        cross_row + 12,
        lambda col: classified.sum(col, "cashable PV", "fiscal"),
        money,
        "cashable fiscal benefits",
        paid_out,
        cost_row,
    )
    text_cell(ws, cash_cross + 1, 1, "Payback on cashable savings alone (years)").font = BOLD
    in_years = "" if t.per_year == 1 else f"/{t.per_year}"  # the crossing is in periods; payback is in years
    cash_last = f"{cols[-1]}{cash_cross}"
    cash_unknown = result.unknown("cashable_payback_years")
    if cash_unknown is not None:
        text_cell(ws, cash_cross + 1, 2, cash_unknown).font = BOLD
    else:
        put_formula(
            ws[f"B{cash_cross + 1}"],
            f'IF(COUNT({cash_last})=0,"{no_payback(t.length_in_years)}",{cash_last}{in_years})',
            "0.00",
            bold=True,
        )
    book.name("cashable_payback_years", ws, f"B{cash_cross + 1}")
    # Cumulative PV of costs against cumulative PV of all counted benefits: where the lines cross, it pays back.
    ben_row = cross_row + 3
    ws.cell(ben_row - 1, 1, "For the chart")
    ws.cell(ben_row, 1, "Cumulative PV of costs")
    ws.cell(ben_row + 1, 1, "Cumulative PV of benefits (all counted)")
    for i, col in enumerate(cols):
        put_formula(ws[f"{col}{ben_row}"], f"{col}{spent_row}", money)
        flow = classified.sum(col, "PV")  # every counted benefit, whatever its value type
        put_formula(ws[f"{col}{ben_row + 1}"], (f"{cols[i - 1]}{ben_row + 1}+" if i else "") + f"({flow})", money)
    chart = cumulative_chart(
        ws,
        n,
        ben_row,
        "Costs and benefits over time (cumulative PV; payback is reckoned on fiscal benefits alone)",
        ("Cumulative PV of costs", "Cumulative PV of benefits"),
    )
    chart.height, chart.width = 9, 18
    ws.add_chart(chart, f"A{ws.max_row + 3}")  # below every row, the cashable payback's too: it covers none
    book.appraisal_rows = AppraisalRows(
        cols=tuple(cols),
        total_col=total_col,
        df_row=rows["df_standard"],
        pv_costs_row=11,
        streams=classified,
        benefit_agencies=tuple(benefit_agencies),
        cost_lines=(block.real, block.adjusted) if block.real is not None and block.adjusted is not None else None,
        chart_rows=(ben_row, ben_row + 1),
    )
    text_cell(ws, cross_row + 1, 1, "Payback period (years)").font = BOLD
    last = f"{cols[-1]}{cross_row}"
    put_formula(
        ws[f"B{cross_row + 1}"],
        f'IF(COUNT({last})=0,"{no_payback(t.length_in_years)}",{last}{in_years})',
        "0.00",
        bold=True,
    )
    book.name("payback_years", ws, f"B{cross_row + 1}")
    set_widths(ws, {"A": 62, "B": 30, **{c: 14 for c in cols}, total_col: 16})
    return links
