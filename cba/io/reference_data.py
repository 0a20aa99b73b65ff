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


#: Bounds on reference rows, each with its reason: a row outside them is a typo, and some would hang
#: or overflow the arithmetic (a band to year 1e999999; an index of 1e-999999999).
MOST_YEARS = 1000  # discount bands: the Green Book's schedule ends at year 301+; a longer appraisal is a typo
INDEX_RANGE = (Decimal("0.001"), Decimal(1_000_000))  # a deflator index near 100 in its reference year
MOST_OPTIMISM_PERCENT = Decimal(200)  # the GMCA grades reach 40%; HM Treasury's upper bounds reach 200%


class _Problems:
    """Every problem in one reference file, reported together (as the unit-cost table's are)."""

    def __init__(self, source: Source):
        self.source, self.found = source, list[Diagnostic]()

    def add(self, line: int, message: str) -> None:
        self.found.append(Diagnostic(self.source.name, line, 1, message))

    def number(self, line: int, text: str, what: str) -> Decimal | None:
        try:
            value = Decimal(text)
        except InvalidOperation:
            self.add(line, f"{what} '{text[:40]}' is not a number")
            return None
        if not value.is_finite():
            self.add(line, f"{what} '{text[:40]}' is not a finite number")
            return None
        return value

    def whole(self, line: int, text: str, what: str, most: int) -> int | None:
        value = self.number(line, text, what)
        if value is None:
            return None
        if value != value.to_integral_value() or not 0 <= value <= most:
            self.add(line, f"{what} {text[:40]} is not a whole number from 0 to {most}")
            return None
        return int(value)

    def raise_any(self) -> None:
        if self.found:
            raise InputError(self.found)


def _year_label(text: str) -> bool:
    from cba.model.types import is_financial_year

    return is_financial_year(text) or (len(text) == 4 and text.isascii() and text.isdigit())


def _parse_deflator(source: Source) -> Deflator:
    problems, index, first = _Problems(source), dict[str, Decimal](), dict[str, int]()
    low, high = INDEX_RANGE
    for line, row in _rows(source, ("year", "index")):
        year = row["year"]
        if not _year_label(year):
            problems.add(line, f"year '{year[:40]}' is neither a calendar year (2019) nor a financial year (2019/20)")
        elif year in first:
            problems.add(line, f"year {year} is listed twice (first at line {first[year]}); give one index a year")
        first.setdefault(year, line)
        value = problems.number(line, row["index"], "index")
        if value is not None and not low <= value <= high:
            problems.add(line, f"index must be from {low} to {high:,} (the reference year is near 100), got {value}")
        elif value is not None:
            index.setdefault(year, value)
    if not index and not problems.found:
        problems.add(1, "no years: the series needs one row a year")
    problems.raise_any()
    return Deflator(source, index)


def _parse_schedule(source: Source) -> DiscountSchedule:
    problems, bands = _Problems(source), list[tuple[int, int, Decimal, Decimal, int]]()
    for line, row in _rows(source, ("year_from", "year_to", "standard", "health")):
        year_from = problems.whole(line, row["year_from"], "year_from", MOST_YEARS)
        year_to = problems.whole(line, row["year_to"], "year_to", MOST_YEARS)
        standard, health = (problems.number(line, row[column], column) for column in ("standard", "health"))
        for column, rate in (("standard", standard), ("health", health)):
            if rate is not None and not 0 <= rate <= 1:
                problems.add(line, f"{column} rate must be a share from 0 to 1 (0.035 is 3.5%), got {rate}")
        if year_from is None or year_to is None:
            continue
        if year_to < year_from:
            problems.add(line, f"year_to {year_to} is before year_from {year_from}")
            continue
        expected = bands[-1][1] + 1 if bands else 0
        if year_from != expected:
            problems.add(line, f"bands must run on from year 0 without gaps or overlaps: expected year_from {expected}")
        # A band with a bad rate is still a band: the next row's contiguity is judged against it.
        bands.append((year_from, year_to, standard or Decimal(0), health or Decimal(0), line))
    if not bands and not problems.found:
        problems.add(1, "no bands: the schedule needs a row from year 0")
    problems.raise_any()
    return DiscountSchedule(source, [(a, b, standard, health) for a, b, standard, health, _ in bands])


def _parse_grades(source: Source) -> Grades:
    problems, percent, first = _Problems(source), dict[int, Decimal](), dict[int, int]()
    for line, row in _rows(source, ("grade", "percent")):
        grade = problems.whole(line, row["grade"], "grade", 100)
        value = problems.number(line, row["percent"], "percent")
        if value is not None and not 0 <= value <= MOST_OPTIMISM_PERCENT:
            problems.add(line, f"percent must be from 0 to {MOST_OPTIMISM_PERCENT}, got {value}")
            value = None
        if grade is not None and grade in first:
            problems.add(line, f"grade {grade} is listed twice (first at line {first[grade]})")
        elif grade is not None and value is not None:
            first[grade] = line
            percent[grade] = value
    problems.raise_any()
    return Grades(source, percent)


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
