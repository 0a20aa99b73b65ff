"""An edited audit workbook read back as a change to its scenario (``cba diff``, issue 28, item 9).

The workbook names the command and the files that made it (the Summary's provenance, with each
file's SHA-256). ``cba diff`` checks the files are unchanged, builds the same workbook again in
memory with every input cell's ``--set`` key recorded as it is written (``build_workbook(keys=True)``),
and compares cell by cell: an input whose value differs is a ``--set`` line; an input no scenario
field holds (a deflator, a discount rate), or a formula overwritten with a value, is reported as
such, never dropped. Only typed values are compared, so a file saved again by Excel or LibreOffice
(which rewrite formulas' spelling) reads the same.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

from cba.model.errors import UsageError
from cba.model.record import record
from cba.render.xlsx_cells import HEADER_FILL

#: the Summary's provenance labels (cba.render.xlsx._summary_sheet)
COMMAND, SHA = "Command", "SHA-256"


@record
class Provenance:
    """What the workbook says made it: the command line, and each input file with its SHA-256."""

    command: str
    files: tuple[tuple[str, str, str], ...]  # (label, path as recorded, sha256)

    @property
    def scenario(self) -> str:
        return next(path for label, path, _ in self.files if label == "Scenario file")


@record
class CellChange:
    """One cell whose value differs from what the scenario gives."""

    sheet: str
    cell: str
    label: str  # the row's label and the column's title, for people
    was: object  # as the scenario gives it
    now: object  # as the edited workbook holds it
    key: str | None  # the --set key that says the same change, or None
    why: str = ""  # when there is no key: why no scenario field expresses it

    @property
    def setting(self) -> str | None:
        """The ``--set KEY=VALUE`` argument, or None."""
        return None if self.key is None else f"{self.key}={set_text(self.now)}"


def set_text(value: object) -> str:
    """A cell's value as ``--set`` writes it: true/false, a whole number, or the shortest decimal."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        number = Decimal(repr(value))
        return format(number.normalize(), "f") if number == number.to_integral_value() else repr(value)
    return str(value)


def provenance(wb: Workbook, name: str) -> Provenance:
    """The command and files the Summary records; UsageError for a workbook cba did not write."""
    if "Summary" not in wb.sheetnames:
        raise UsageError(f"{name}: not a cba audit workbook (it has no Summary sheet); write one with cba export")
    rows = [(r[0].value, r[1].value) for r in wb["Summary"].iter_rows(max_col=2) if r and r[0].value]
    command = next((str(v) for label, v in rows if label == COMMAND), None)
    files: list[tuple[str, str, str]] = []
    for (label, value), (after, sha) in pairwise(rows):
        if isinstance(label, str) and (label.endswith(" file") or " file (" in label) and after == SHA:
            files.append((label, str(value), str(sha)))
    if command is None or not any(label == "Scenario file" for label, _, _ in files):
        raise UsageError(f"{name}: the Summary names no command and scenario file: not a workbook cba export wrote")
    return Provenance(command, tuple(files))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same(was: object, now: object) -> bool:
    if isinstance(was, bool) or isinstance(now, bool):  # TRUE is not 1 here: a flag is a flag
        return was is now
    if isinstance(was, (int, float)) and isinstance(now, (int, float)):
        return Decimal(repr(was)) == Decimal(repr(now))
    if isinstance(was, (int, float)) and isinstance(now, str):
        try:
            return Decimal(repr(was)) == Decimal(now.strip())
        except InvalidOperation:
            return False
    return was == now


def _label(ws, row: int, column: int) -> str:
    """The row's label (column A) and the column's title (the nearest header above it: a sheet may have a
    second table under the first), as far as they say anything."""
    row_label = ws.cell(row, 1).value
    title = None
    if column > 1:
        header = next((r for r in range(row - 1, 0, -1) if ws.cell(r, 1).fill.fgColor.rgb == HEADER_RGB), None)
        title = ws.cell(header, column).value if header else None
    parts = [str(p) for p in (row_label, title) if p not in (None, "")]
    return ", ".join(parts)[:120]


HEADER_RGB = HEADER_FILL.fgColor.rgb

NO_FIELD = "no scenario field holds it: reference data cba looks up, or a figure cba works out"
NOT_INPUT = "not an input: a formula was replaced by a typed value, which no scenario field can say"


def changes(built: Workbook, keys: dict[tuple[str, int, int], str | None], edited: Workbook) -> list[CellChange]:
    """Every cell of ``edited`` that differs from ``built`` (the same workbook as the scenario gives it):
    its inputs, and any formula overwritten with a value."""
    found = []
    for (title, row, column), key in keys.items():
        if title not in edited.sheetnames:
            continue
        was = built[title].cell(row, column).value
        now = edited[title].cell(row, column).value
        if not _same(was, now):
            ws = built[title]
            found.append(
                CellChange(
                    title,
                    ws.cell(row, column).coordinate,
                    _label(ws, row, column),
                    was,
                    now,
                    key,
                    "" if key else NO_FIELD,
                )
            )
    for ws in built.worksheets:
        if ws.title not in edited.sheetnames:
            continue
        other = edited[ws.title]
        for (row, column), cell in ws._cells.items():
            if cell.data_type != "f" or (ws.title, row, column) in keys:
                continue
            now = other.cell(row, column).value
            if not (isinstance(now, str) and now.startswith("=")):
                found.append(
                    CellChange(ws.title, cell.coordinate, _label(ws, row, column), cell.value, now, None, NOT_INPUT)
                )
    return found
