"""Writing cells the way every cba workbook does: inputs as styled values, cba's own formulas, user text as text.

User text goes through ``text_cell`` only: a leading '=', '+', '-' or '@' stays literal
text and control characters are dropped, so a scenario can never plant a formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.styleable import NumberFormatDescriptor
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cba.model.scenario import CostKind
from cba.render.xlsx_places import AppraisalRows, DeflatorTable, GradeTable, Lists, ScheduleTable

GBP = '"£"#,##0;[Red]-"£"#,##0'
GBP_PENCE = '"£"#,##0.00;[Red]-"£"#,##0.00'
PERCENT = "0.0%"
RATIO = "0.00"
#: A count with decimals (9.72 placements); whole counts get COUNT_WHOLE (no trailing point: '4,890.').
COUNT = "#,##0.0###"
COUNT_WHOLE = "#,##0"

INPUT_FONT = Font(color="1F4E9E")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
BOLD = Font(bold=True)
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="305496")
#: Long text wrapped within its column, from the top of the row.
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
TITLE_FONT = Font(bold=True, size=14)

#: Characters XML 1.0 cannot hold (and DEL): dropped from user text, or the workbook cannot be saved.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def text_cell(ws: Worksheet, row: int, column: int, value: str | None) -> Cell:
    """Write user text as text, never as a formula (spreadsheet formula injection)."""
    cell = ws._cells.get((row, column))
    if cell is None:  # as ws.cell() makes it, without its lookups (a large workbook writes 50,000 of these)
        cell = ws._cells[(row, column)] = Cell(ws, row=row, column=column)
    if value is None:
        return cell
    # as openpyxl's check_string keeps text (at most 32,767 characters), with what it would refuse dropped first
    cell._value = _CONTROL.sub("", str(value))[:32767]
    cell.data_type = "s"  # a leading '=', '+', '-' or '@' stays literal text
    return cell


def naming_price_base(text: str, base: str) -> str | None:
    """A formula for cba's own ``text`` with its price base read from the Assumptions sheet (the defined name
    price_base), so that a price base chosen there is the one every label names; None if the text names none."""
    if not base or base not in text:
        return None
    before, _, after = text.partition(base)
    quote = lambda part: '"' + part.replace('"', '""') + '"'  # noqa: E731
    return "&".join(p for p in (quote(before) if before else "", "price_base", quote(after) if after else "") if p)


def text_of(value: str) -> str:
    """User text as ``text_cell`` stores it (control characters dropped): what a formula that matches it needs."""
    return _CONTROL.sub("", value)


def money_format(values: Iterable[Decimal]) -> str:
    return GBP if all(v == v.to_integral_value() for v in values) else GBP_PENCE


def number(value: Decimal) -> int | float:
    # openpyxl writes Decimal via repr of float anyway; an int keeps whole pounds exact.
    return int(value) if value == value.to_integral_value() else float(value)


def ref(ws: Worksheet, cell: str, absolute: bool = False) -> str:
    if absolute:
        col, row = re.match(r"([A-Z]+)(\d+)", cell).groups()  # type: ignore[union-attr]
        cell = f"${col}${row}"
    return f"{quote_sheetname(ws.title)}!{cell}"


@dataclass
class Book:
    wb: Workbook
    money_format: str
    names: dict[str, str] = field(default_factory=dict)
    headline_cells: dict[str, str] = field(default_factory=dict)  # headline key -> its cell on Summary
    # rows of the Arms sheet: cost line index -> row, outcome id -> row
    arm_rows: tuple[dict[int, int], dict[str, int]] = field(default_factory=lambda: ({}, {}))
    #: totals spread over periods (the Spreads sheet): item -> period -> the cell holding that period's amount
    spread_cells: dict[tuple[object, ...], dict[str, str]] = field(default_factory=dict)
    #: a cohort taken on in intakes: outcome id -> the sum of its intake cells (the Benefits sheet's participants)
    intake_cells: dict[str, str] = field(default_factory=dict)
    #: where the Appraisal sheet put what the Dashboard reads, when appraised
    appraisal_rows: AppraisalRows | None = None
    #: the Deflators sheet, in real terms: its lookups give every deflator
    deflators: DeflatorTable | None = None
    #: the Discount schedule sheet, when appraised: each period's rate is looked up there
    schedule: ScheduleTable | None = None
    #: the Optimism bias grades sheet, when a grade gives some optimism bias
    grades: GradeTable | None = None
    #: the Lists sheet's ranges, for the drop-downs of agencies and unit costs
    lists: Lists | None = None
    #: each benefit stream's unit value on the Appraisal sheet, and the cell of the id it is looked up by (None:
    #: not an input): stream key -> (value cell, id cell)
    unit_value_cells: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: agencies a benefit's inputs may give it (its unit cost's kind, a written value's drop-down)
    offered_agencies: set[str] = field(default_factory=set)
    #: each priced stream's block on the Appraisal sheet: (stream, first row, volume row, cashable share row,
    #: cashable-from row, real growth row or None), for the Financial case sheet's cashable savings
    cash_streams: list[tuple[Any, int, int, int, int, int | None]] = field(default_factory=list)
    #: the Real growth sheet's index cells, for growth given by year: (item key, financial year start) -> cell
    growth_cells: dict[tuple[str, int], str] = field(default_factory=dict)
    #: the Appraisal sheet's per-line cost rows (at the price base, after optimism bias), when it writes them
    cost_block: tuple[tuple[int, int], tuple[int, int]] | None = None

    def known(self, ws: Worksheet, row: int, column: int, value: object) -> None:
        """Record the figure cba computed for a formula cell: stored as its result, not evaluated again."""
        self.wb.__dict__.setdefault("_cba_known", {})[(ws.title, row, column)] = value

    def formatted(self, ws: Worksheet, rows: range) -> None:
        """Record rows whose money cells were given the format their figures need as they were written (the
        same rule as ``fit_formats``), so that the save need not visit them again."""
        self.wb.__dict__.setdefault("_cba_formatted_rows", {}).setdefault(ws.title, set()).update(rows)

    def name(self, name: str, ws: Worksheet, cell: str) -> None:
        target = ref(ws, cell, absolute=True)
        self.names[name] = target
        self.wb.defined_names[name] = DefinedName(name, attr_text=target)


def put_header(ws: Worksheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = ws.cell(row=row, column=column, value=title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = WRAP_TOP
    if ws.print_title_rows is None:  # the sheet's first header: frozen on screen and repeated on every page
        ws.freeze_panes = ws.cell(row=row + 1, column=2).coordinate
        ws.print_title_rows = f"{row}:{row}"


def _style(
    cell: Cell, font: Font | None = None, fill: PatternFill | None = None, number_format: str | None = None
) -> None:
    """Apply a style, reusing the workbook's style record after the first use.

    Assigning font, fill and format objects makes openpyxl hash and look each one
    up, per cell; copying the finished style record is several times faster on
    workbooks of 100,000 cells.
    """
    cache = cell.parent.parent.__dict__.setdefault("_cba_styles", {})
    key = (id(font), id(fill), number_format)
    record = cache.get(key)
    if record is None:
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if number_format is not None:
            cell.number_format = number_format
        cache[key] = StyleArray(cell._style)
    else:
        cell._style = StyleArray(record)


def style_record(ws: Worksheet, font: Font | None, fill: PatternFill | None, number_format: str | None) -> StyleArray:
    """The workbook's style record for a combination, made once on a scratch cell."""
    cache = ws.parent.__dict__.setdefault("_cba_styles", {})
    key = (id(font), id(fill), number_format)
    if key not in cache:
        _style(Cell(ws), font, fill, number_format)
    return cache[key]


class FastCell:
    """A number or one of cba's own formulas, as ``fast_cell`` places it: what the workbook's readers and
    writers (cba's and openpyxl's) ask of an openpyxl ``Cell``, with the style record shared, not copied.

    A 10,000-line workbook holds 450,000 cells; an openpyxl ``Cell`` and its own copy of the style record
    took longer to make than a bare dump takes to write (issue 32). A cell made here is never restyled
    in place: changing its number format gives it its own record first, so no other cell changes with it.
    ``result`` is the figure the engine computed for a formula (stored as its result, not evaluated again),
    or NOT_KNOWN.
    """

    __slots__ = ("_style", "_value", "column", "data_type", "parent", "result", "row")
    comment = hyperlink = _comment = None  # cba puts neither on a figure

    def __init__(
        self, parent: Worksheet, row: int, column: int, value: int | float | str, style: StyleArray, result: object
    ) -> None:
        self.parent, self.row, self.column, self._value, self._style = parent, row, column, value, style
        self.data_type = "f" if value.__class__ is str else "n"
        self.result = result

    @property
    def value(self) -> int | float | str:
        return self._value

    @value.setter
    def value(self, value: int | float | str) -> None:
        """An edit (the perturbation test's): a number, or a formula, whose result is then not known."""
        self._value, self.data_type, self.result = value, "f" if value.__class__ is str else "n", NOT_KNOWN

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def has_style(self) -> bool:
        return any(self._style)

    @property
    def style_id(self) -> int:
        return self.parent.parent._cell_styles.add(self._style)

    @property
    def number_format(self) -> str:
        return _NUMBER_FORMAT.__get__(self, FastCell)

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._style = StyleArray(self._style)  # its own record: the shared one is other cells' too
        _NUMBER_FORMAT.__set__(self, value)


_NUMBER_FORMAT = NumberFormatDescriptor()
#: A FastCell's result when cba did not compute it: its formula is evaluated on save.
NOT_KNOWN = object()


def fast_cell(
    ws: Worksheet, row: int, column: int, value: int | float | str, style: StyleArray, result: object = NOT_KNOWN
) -> None:
    """Place a number or one of cba's own formulas with a ready style record (``style_record``) and, for a
    formula, the figure cba computed for it (stored as its result, as ``Book.known`` records one).

    On 10,000-line workbooks the usual ``ws.cell()`` lookup, per-cell style assignment and
    the string check (meant for user text) cost more than writing the file. Never use this
    for user text: that goes through ``text_cell``.
    """
    ws._cells[(row, column)] = FastCell(ws, row, column, value, style, result)


def put_input(cell: Cell, value, number_format: str | None = None, key: str | None = None) -> None:
    """An input: typed, styled as one, and (in a workbook built with its keys) recorded with the ``--set`` key
    that says the same change to the scenario (None: no scenario field does, e.g. a deflator)."""
    cell.value = value
    _style(cell, INPUT_FONT, INPUT_FILL, number_format)
    keyed(cell.parent, cell.row, cell.column, key)


def put_text_input(ws: Worksheet, row: int, column: int, text: str, key: str | None) -> Cell:
    """A text input (an agency, a unit cost's id): user text kept inert as ``text_cell`` keeps it, styled and
    keyed as an input."""
    cell = text_cell(ws, row, column, text)
    _style(cell, INPUT_FONT, INPUT_FILL, None)
    keyed(ws, row, column, key)
    return cell


def by_id(units: Worksheet, column: str, id_cell: str) -> str:
    """A formula for the Unit costs sheet's ``column`` (C unit, D value, E price year, F agency, H value type,
    J confidence) of the entry whose id ``id_cell`` holds: INDEX/MATCH on the ids in column A."""
    last = units.max_row
    return f"INDEX({ref(units, f'${column}$2:${column}${last}')},MATCH({id_cell},{ref(units, f'$A$2:$A${last}')},0))"


def choices(allowed: str | tuple[str, ...], title: str, error: str) -> DataValidation:
    """An input's allowed values as a drop-down that Excel and LibreOffice enforce (error style stop: anything
    else is refused, not mapped): a range of cells ('Lists'!$A$2:$A$5), or the values themselves."""
    return DataValidation(
        type="list",
        formula1=allowed if isinstance(allowed, str) else '"' + ",".join(allowed) + '"',
        allow_blank=False,
        showErrorMessage=True,
        errorStyle="stop",
        errorTitle=title,
        error=error,
    )


def colour_key(cell: Cell, text: str) -> None:
    """The colour key's sample of the input style: styled as an input, but not one (no key, nothing reads it)."""
    cell.value = text
    _style(cell, INPUT_FONT, INPUT_FILL, None)


def keyed(ws: Worksheet, row: int, column: int, key: str | None) -> None:
    """Record an input cell's ``--set`` key, when the workbook is built with its keys (``cba diff``, the
    perturbation test); a plain export records nothing, so a large one pays nothing for it."""
    keys = ws.parent.__dict__.get("_cba_inputs")
    if keys is not None:
        keys[(ws.title, row, column)] = key


def input_keys(wb: Workbook) -> dict[tuple[str, int, int], str | None]:
    """Every input cell of a workbook built with ``keys=True``: (sheet, row, column) -> its --set key or None."""
    return wb.__dict__["_cba_inputs"]


def put_formula(cell: Cell, formula: str, number_format: str | None = None, bold: bool = False) -> None:
    cell.value = "=" + formula
    if number_format or bold:
        _style(cell, BOLD if bold else None, None, number_format)


def tidy_chart(chart) -> None:
    """Straight lines between the points (LibreOffice smooths by default and overshoots) and visible axes."""
    for series in chart.series:
        series.smooth = False
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblSkip = 1  # every category labelled: by default a long list shows every other one


def bars_from_zero(chart, values: Iterable[Decimal]) -> None:
    """A bar's length is its figure: the value axis starts at 0 (LibreOffice started Dorset's spend at
    £310,000, so a year 10% above another looked twice as tall), unless a figure is below 0."""
    if all(v >= 0 for v in values):
        chart.y_axis.scaling.min = 0


def set_widths(ws: Worksheet, widths: Mapping[str, float]) -> None:
    for column, width in widths.items():
        ws.column_dimensions[column].width = width


@dataclass
class CostsLayout:
    """Where the Costs sheet put each figure, for formulas on other sheets."""

    budget_cols: dict[str, str]
    actual_cols: dict[str, str]
    budget_total_col: str
    actual_total_col: str
    line_rows: dict[int, int] = field(default_factory=dict)  # line index -> row
    kind_rows: dict[CostKind, int] = field(default_factory=dict)
    total_row: int = 0
