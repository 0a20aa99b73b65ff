"""Bringing unit-cost tables in as they are: the GMCA Unit Cost Database workbook, or a user's CSV.

Every value and price year is kept exactly as published; nothing is uprated or guessed.
Rows without a code or a value are skipped and counted; garbled values are reported with
their sheet and row.
"""

from __future__ import annotations

import csv
import io
import stat
import time
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cba.model.errors import Diagnostic, InputError, one_line
from cba.model.inert import csv_cell
from cba.model.money import MoneyFormatError, parse_amount
from cba.model.unit_cost import COLUMNS, KNOWN_AGENCIES, UnitCost

#: Sheets of the GMCA workbook that hold no entries.
NOT_THEMES = {"introduction", "lookups", "lookup", "contents", "notes", "guidance", "changes", "version"}
#: Agency names used in the GMCA workbook, mapped to cba's list (KNOWN_AGENCIES).
AGENCY_ALIASES = {
    "dwp": "Department for Work and Pensions",
    "hmrc": "HM Revenue and Customs",
    "dfe": "Department for Education",
    "fire": "Fire and Rescue Service",
    "fire service": "Fire and Rescue Service",
    "fire & rescue": "Fire and Rescue Service",
    "housing": "Housing Provider",
    "housing providers": "Housing Provider",
    "criminal justice": "Criminal Justice System",
    "cjs": "Criminal Justice System",
    "local authorities": "Local Authority",
    "la": "Local Authority",
}


@dataclass
class ImportResult:
    entries: list[UnitCost] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    skipped: int = 0
    licence: str | None = None

    def csv_text(self) -> str:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for e in self.entries:
            row = e.model_dump(mode="json")
            row["cashable"] = "" if e.cashable is None else str(e.cashable).lower()
            # a cell that starts with = + - @ would run as a formula when the CSV is opened: quote it
            writer.writerow(
                {
                    k: ("" if v is None else csv_cell(v) if k not in ("value", "confidence") else v)
                    for k, v in row.items()
                }
            )
        return out.getvalue()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _agency(name: str) -> str:
    for known in KNOWN_AGENCIES:
        if name.casefold() == known.casefold():
            return known
    return AGENCY_ALIASES.get(name.casefold(), name)


def _record(fields: dict[str, Any], where: str, result: ImportResult, name: str, line: int, column: int = 1) -> None:
    try:
        result.entries.append(UnitCost.model_validate({k: v for k, v in fields.items() if v not in (None, "")}))
    except ValidationError as exc:
        for e in exc.errors(include_url=False):
            field_name = ".".join(str(p) for p in e["loc"])
            result.problems.append(Diagnostic(name, line, column, f"{where}: {field_name}: {e['msg']}"))


#: Limits on a workbook to import, checked before openpyxl reads it: an 18 KB file can declare a
#: sheet of 17 billion cells, and a 2.7 MB zip can unpack to gigabytes.
MAX_ROWS = 200_000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
MAX_SECONDS = 120


def check_workbook(path: Path, name: str) -> None:
    """Refuse, before parsing, a workbook that is too big unpacked or declares a DTD or entities."""
    import zipfile

    from cba.io.files import max_file_bytes

    def refuse(message: str) -> InputError:
        return InputError([Diagnostic(name, 1, 1, message)])

    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):  # a FIFO hung; a link to /dev/zero ran out of memory
            raise refuse("is not a regular file (a device, pipe, socket or folder); cba reads only regular files")
        size = status.st_size
        if size > max_file_bytes():
            raise refuse(f"file is {size:,} bytes; the limit is {max_file_bytes():,} bytes")
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unpacked = sum(m.file_size for m in members)
            if unpacked > MAX_UNPACKED_BYTES:
                raise refuse(f"unpacks to {unpacked:,} bytes; the limit is {MAX_UNPACKED_BYTES:,} (a zip bomb?)")
            for member in members:
                if member.filename.endswith("sharedStrings.xml") and member.file_size > MAX_SHARED_STRINGS_BYTES:
                    raise refuse(
                        f"its shared strings unpack to {member.file_size:,} bytes; the limit is "
                        f"{MAX_SHARED_STRINGS_BYTES:,}"
                    )
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as handle:
                        head = handle.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise refuse(
                            f"{member.filename} declares a DTD or entities, which a workbook never needs; "
                            "cba does not read it"
                        )
    except zipfile.BadZipFile:
        raise refuse("not a workbook (.xlsx is a zip archive)") from None
    except DAMAGED as exc:
        raise refuse(f"not a workbook cba can read: {one_line(str(exc) or type(exc).__name__, 120)}") from None
    except OSError as exc:
        raise refuse(f"cannot read file: {exc.strerror or exc}") from None


#: What a damaged or hostile workbook raises inside zipfile, zlib and openpyxl (an encrypted member, an
#: unknown compression method, corrupt deflate data, a shared-string index out of range, bad XML).
DAMAGED = (RuntimeError, NotImplementedError, EOFError, IndexError, KeyError, ValueError, TypeError, zlib.error)


def import_gmca_workbook(path: Path, display: str | None = None) -> ImportResult:
    """The GMCA Unit Cost Database's entries (``_import_gmca_workbook``); a damaged workbook is one line."""
    import zipfile

    name = display or str(path)
    try:
        return _import_gmca_workbook(path, name)
    except (*DAMAGED, zipfile.BadZipFile) as exc:
        raise InputError(
            [Diagnostic(name, 1, 1, f"not a workbook cba can read: {one_line(str(exc) or type(exc).__name__, 120)}")]
        ) from None


def _import_gmca_workbook(path: Path, display: str | None = None) -> ImportResult:
    """Read the GMCA Unit Cost Database layout: theme sheets, two header rows, then
    A category, B detail (both filled down), C code, D description, E unit, F agency,
    G agency detail, H value, I price year, J uprated value (ignored), K source, L notes."""
    from openpyxl import load_workbook

    name = display or str(path)
    check_workbook(path, name)
    result = ImportResult()
    started = time.monotonic()
    wb = load_workbook(path, read_only=True, data_only=True)
    for ws in wb.worksheets:
        if ws.title.strip().casefold() in NOT_THEMES:
            if result.licence is None:
                for row in ws.iter_rows(values_only=True):
                    for cell in row:
                        if isinstance(cell, str) and "licen" in cell.casefold():
                            result.licence = cell.strip()
                            break
                    if result.licence:
                        break
            continue
        category = detail = ""
        # Only columns A to L hold an entry, and no more than MAX_ROWS rows are read, whatever
        # dimension the sheet declares (A1:XFD1048576 would otherwise mean 17 billion empty cells).
        rows = ws.iter_rows(min_row=1, max_row=MAX_ROWS + 1, max_col=12, values_only=True)
        for number, row in enumerate(rows, start=1):
            if number > MAX_ROWS:
                raise InputError(
                    [
                        Diagnostic(
                            name,
                            number,
                            1,
                            f"sheet {ws.title} has more than {MAX_ROWS:,} rows; "
                            "a unit-cost database has a few thousand",
                        )
                    ]
                )
            if time.monotonic() - started > MAX_SECONDS:
                raise InputError(
                    [
                        Diagnostic(
                            name,
                            number,
                            1,
                            f"reading the workbook took more than {MAX_SECONDS} s; "
                            "it is not the GMCA layout cba expects",
                        )
                    ]
                )
            if number <= 2:
                continue
            cells = [_text(c) for c in row] + [""] * 12
            category = cells[0] or category  # blank (or merged) means "same as above"
            detail = cells[1] or detail
            code, value = cells[2], row[7] if len(row) > 7 else None
            if not code or value in (None, ""):
                result.skipped += 1
                continue
            try:
                amount = parse_amount(value if not isinstance(value, float) else Decimal(repr(value)))
            except MoneyFormatError as exc:
                result.problems.append(
                    Diagnostic(name, number, 8, f"{ws.title}, row {number}, code {code}: value: {exc}")
                )
                continue
            _record(
                {
                    "id": code,
                    "description": cells[3],
                    "unit": cells[4],
                    "value": amount,
                    "price_year": cells[8],
                    "agency": _agency(cells[5]),
                    "agency_detail": cells[6],
                    "value_type": "fiscal",
                    "source": cells[10] or f"GMCA Unit Cost Database ({path.name}), sheet {ws.title}",
                    "notes": cells[11],
                    "theme": ws.title,
                    "category": category,
                    "detail": detail,
                },
                f"{ws.title}, row {number}, code {code}",
                result,
                name,
                number,
            )
    wb.close()
    if result.licence:
        result.entries = [e.model_copy(update={"licence": result.licence}) for e in result.entries]
    _check_duplicates(result, name)
    return result


def import_csv(
    path: Path, mapping: dict[str, str], defaults: dict[str, str], display: str | None = None
) -> ImportResult:
    """A user's own CSV: ``mapping`` names the source column for each cba field (value=Cost),
    ``defaults`` gives a value for fields the source lacks (value_type=fiscal)."""
    from cba.io.files import read_source

    source = read_source(path, display)
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(source.text))
    columns = reader.fieldnames or []
    for index, column in enumerate(columns):
        if column in columns[:index]:  # DictReader keeps the last of two: which holds the figures cannot be known
            result.problems.append(
                Diagnostic(
                    source.name,
                    1,
                    1,
                    f"column '{one_line(column, 80)}' appears twice; which one holds the figures cannot be known, "
                    "so remove one",
                )
            )
    for field_name, column in mapping.items():
        if column not in columns:
            result.problems.append(
                Diagnostic(
                    source.name,
                    1,
                    1,
                    f"--map {field_name}={column}: no column '{column}' (columns: {', '.join(columns)})",
                )
            )
    if result.problems:
        return result
    for row in reader:
        line = reader.line_num
        fields = {f: row.get(mapping.get(f, f), "") or "" for f in COLUMNS}
        for f, v in defaults.items():
            if not fields.get(f):
                fields[f] = v
        if not fields.get("id") or not fields.get("value"):
            result.skipped += 1
            continue
        fields["agency"] = _agency(fields.get("agency", ""))
        _record(fields, f"row for '{fields['id']}'", result, source.name, line)
    _check_duplicates(result, source.name)
    return result


def _check_duplicates(result: ImportResult, name: str) -> None:
    seen: set[str] = set()
    for e in result.entries:
        if e.id in seen:
            result.problems.append(Diagnostic(name, 1, 1, f"code {e.id} appears more than once"))
        seen.add(e.id)
