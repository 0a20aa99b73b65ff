"""Reference series the appraisal needs: GDP deflator, discount schedule, optimism-bias grades.

Each is a small CSV shipped under ``unit_costs/`` (sources in ``unit_costs/SOURCES.md``)
that a user can replace. Every output names the files used and their hashes.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from cba.io.files import DATA_DIR, read_source
from cba.model.errors import Diagnostic, InputError
from cba.model.reference import Deflator, DiscountSchedule, Grades
from cba.model.source import Source

DEFAULT_DEFLATOR = DATA_DIR / "gdp-deflator-financial-year-2022eq100.csv"
#: The bundled deflator series a scenario can name (appraisal.deflator: calendar).
BUNDLED_DEFLATORS = {"financial-year": DEFAULT_DEFLATOR, "calendar": DATA_DIR / "gdp-deflator-calendar-2024eq100.csv"}
DEFAULT_SCHEDULE = DATA_DIR / "green-book-discount-schedule.csv"
DEFAULT_GRADES = DATA_DIR / "optimism-bias-grades.csv"


def _rows(source: Source, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(source.text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(
            [Diagnostic(source.name, 1, 1, f"missing column(s) {', '.join(missing)}; expected {','.join(required)}")]
        )
    rows = []
    for row in reader:
        if any((v or "").strip() for v in row.values()):
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    return rows


def _decimal(source: Source, line: int, text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise InputError([Diagnostic(source.name, line, 1, f"{what} '{text}' is not a number")]) from None
    if not value.is_finite():
        raise InputError([Diagnostic(source.name, line, 1, f"{what} '{text}' is not a finite number")])
    return value


def _parse_deflator(source: Source) -> Deflator:
    index = {}
    for line, row in _rows(source, ("year", "index")):
        value = _decimal(source, line, row["index"], "index")
        if value <= 0:
            raise InputError([Diagnostic(source.name, line, 1, f"index must be positive, got {value}")])
        index[row["year"]] = value
    return Deflator(source, index)


def _parse_schedule(source: Source) -> DiscountSchedule:
    bands = []
    for line, row in _rows(source, ("year_from", "year_to", "standard", "health")):
        bands.append(
            (
                int(_decimal(source, line, row["year_from"], "year_from")),
                int(_decimal(source, line, row["year_to"], "year_to")),
                _decimal(source, line, row["standard"], "standard"),
                _decimal(source, line, row["health"], "health"),
            )
        )
    return DiscountSchedule(source, sorted(bands))


def _parse_grades(source: Source) -> Grades:
    return Grades(
        source,
        {
            int(_decimal(source, line, row["grade"], "grade")): _decimal(source, line, row["percent"], "percent")
            for line, row in _rows(source, ("grade", "percent"))
        },
    )


#: Series already parsed in this process, by (kind, name shown, content hash): a portfolio of many
#: scenarios reads the same deflator, schedule and grades; each is parsed once per worker.
_PARSED: dict[tuple[str, str, str], object] = {}


def _cached(kind: str, path: Path, parse):
    source = read_source(path)
    key = (kind, source.name, source.sha256)
    if key not in _PARSED:
        _PARSED[key] = parse(source)
    return _PARSED[key]


def load_deflator(path: Path) -> Deflator:
    return _cached("deflator", path, _parse_deflator)


def load_schedule(path: Path) -> DiscountSchedule:
    return _cached("schedule", path, _parse_schedule)


def load_grades(path: Path) -> Grades:
    return _cached("grades", path, _parse_grades)
