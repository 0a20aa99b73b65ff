"""Where one sheet put what another reads: plain records, so that the sheets and ``xlsx_cells.Book``, which
carries them from one sheet to the next, can name them without importing each other."""

from __future__ import annotations

from cba.model.record import record


@record
class StreamColumns:
    """Where the Appraisal sheet classifies its benefit streams, so that every total by value type, agency and
    cashability is SUMIFS over them and follows a stream whose unit cost, value type or agency is changed.

    Rows ``first`` to ``last`` hold the streams; on each stream's PV row and cashable PV row, column ``marker``
    says which it is ("PV", "cashable PV"), ``value_type`` and ``agency`` read the stream's own cells, and
    ``stated`` says whether its cashability is stated. Other rows leave them empty. None: no priced stream."""

    first: int | None
    last: int
    marker: str
    value_type: str
    agency: str
    stated: str

    def sum(
        self,
        col: str,
        row: str,
        value_type: str | None = None,
        agency: str | None = None,
        stated: str | None = None,
        sheet: str = "",
    ) -> str:
        """SUMIFS of column ``col`` over the streams' rows of kind ``row`` with the given classification;
        ``agency`` is a criterion as ``xlsx_values.sumif_criterion`` writes one (its text escaped)."""
        if self.first is None:
            return "0"

        def span(column: str, fixed: bool = True) -> str:
            c = f"${column}" if fixed else column
            return f"{sheet}{c}${self.first}:{c}${self.last}"

        terms = [span(col, fixed=False), span(self.marker), f'"={row}"']
        for column, wanted in ((self.value_type, value_type), (self.agency, agency), (self.stated, stated)):
            if wanted is not None:
                terms += [span(column), wanted if wanted.startswith('"') else f'"={wanted}"']
        return f"SUMIFS({','.join(terms)})"


def agency_costs(
    cost_lines: tuple[tuple[int, int], tuple[int, int]], criterion: str, col: str, df_row: int, sheet: str = ""
) -> str:
    """An agency's PV of costs in one year of the Appraisal sheet: its lines after optimism bias (SUMIF on the
    agency beside each line at the price base, so thousands of lines stay one short formula, and a line's agency
    may be an input) x the year's discount factor. ``criterion`` as ``xlsx_values.sumif_criterion`` writes one."""
    (real_first, real_last), (after_first, after_last) = cost_lines
    agencies, amounts = f"{sheet}$B${real_first}:$B${real_last}", f"{sheet}{col}{after_first}:{col}{after_last}"
    return f"SUMIF({agencies},{criterion},{amounts})*{sheet}{col}{df_row}"


@record
class AppraisalRows:
    """Where the Appraisal sheet holds what the Dashboard reads: each stream's PV and cashable rows by its
    agency, each cost line's row after optimism bias by its agency, the discount factors and the chart's rows."""

    cols: tuple[str, ...]  # the year columns
    total_col: str
    df_row: int  # the standard discount factors
    pv_costs_row: int  # PV of all costs by year
    streams: StreamColumns  # each stream's PV and cashable PV rows, with what they count in
    #: every agency a fiscal benefit may accrue to once its inputs change (as written, and what the drop-downs
    #: offer): the Dashboard gives each its row
    benefit_agencies: tuple[str, ...]
    #: the per-line block's rows at the price base (column B: each line's agency) and after optimism bias, in
    #: the same order; None when there is no block (one agency bears every cost)
    cost_lines: tuple[tuple[int, int], tuple[int, int]] | None
    chart_rows: tuple[int, int]  # cumulative PV of costs and of benefits


@record
class DeflatorTable:
    """Where the series is, for the lookups; and the range of financial years the price base takes."""

    first: int
    last: int
    bases: str  # the range of financial years, for the price base's drop-down

    def lookup(self, year: str) -> str:
        """A formula for the index of ``year`` (a formula giving the year's text, or a cell holding it)."""
        return (
            f"SUMIF('Deflators'!$A${self.first}:$A${self.last},\"=\"&{year},'Deflators'!$B${self.first}:$B${self.last})"
        )


SCHEDULE = "'Discount schedule'"
GRADES = "'Optimism bias grades'"


@record
class ScheduleTable:
    """Where the discount schedule's bands are (from year in A, to year in B, standard rate in C, health in D)."""

    first: int
    last: int

    def rate(self, year: str, column: str) -> str:
        """A formula for the schedule's rate in ``year`` (a formula giving the year number): the band holding it."""
        rates = "C" if column == "standard" else "D"
        first, last = self.first, self.last
        return (
            f"SUMIFS({SCHEDULE}!${rates}${first}:${rates}${last},"
            f'{SCHEDULE}!$A${first}:$A${last},"<="&{year},{SCHEDULE}!$B${first}:$B${last},">="&{year})'
        )


@record
class GradeTable:
    """Where the optimism-bias grade table is (grade in A, percent in B), and the cell holding each cost setting's
    grade (by the setting's ``--set`` path: appraisal.cost_optimism_bias, cost_lines.2.optimism_bias, ...)."""

    first: int
    last: int
    settings: dict[str, str]

    @property
    def grades(self) -> str:
        """The range of grades, for a grade's drop-down."""
        return f"{GRADES}!$A${self.first}:$A${self.last}"

    def share(self, grade: str) -> str:
        """A formula for the optimism bias, as a share, of ``grade`` (a cell holding it)."""
        first, last = self.first, self.last
        return f'SUMIF({GRADES}!$A${first}:$A${last},"="&{grade},{GRADES}!$B${first}:$B${last})/100'


@record
class Lists:
    """The Lists sheet's ranges that drop-downs take their allowed values from, worked out once for the sheets
    that use them: the public agencies (None: no line's agency is an input); for each benefit stream whose unit
    cost may be swapped (by its key), the range of the unit costs of its kind and the agencies they benefit;
    and the agencies a value written in the scenario may name (None: no written value's are inputs)."""

    agencies: str | None
    unit_costs: dict[str, str]
    kind_agencies: dict[str, tuple[str, ...]]
    benefit_agencies: str | None = None
    benefit_agency_names: tuple[str, ...] = ()
