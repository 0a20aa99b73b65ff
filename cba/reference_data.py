"""Reference series the appraisal needs: GDP deflator, discount schedule, optimism-bias grades.

Each is a small CSV shipped under ``unit_costs/`` (sources in ``unit_costs/SOURCES.md``)
that a user can replace. Every output names the files used and their hashes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .errors import Diagnostic, InputError
from .files import DATA_DIR, Source, read_source

DEFAULT_DEFLATOR = DATA_DIR / "gdp-deflator-calendar-2024eq100.csv"
DEFAULT_SCHEDULE = DATA_DIR / "green-book-discount-schedule.csv"
DEFAULT_GRADES = DATA_DIR / "optimism-bias-grades.csv"


def _rows(source: Source, required: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(source.text))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError([Diagnostic(source.name, 1, 1, f"missing column(s) {', '.join(missing)}; expected {','.join(required)}")])
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


@dataclass(frozen=True)
class Deflator:
    """Index by year: keys are calendar years ('2019') or financial years ('2019/20')."""

    source: Source
    index: dict[str, Decimal]

    def key_for(self, year: str) -> str | None:
        """The series key used for a price year, or None if the series lacks it.

        A financial year is looked up as itself, else at its first calendar year
        (which holds nine of its twelve months); a calendar year as itself.
        """
        if year in self.index:
            return year
        if "/" in year and year[:4] in self.index:
            return year[:4]
        return None

    def factor(self, price_year: str, base: str) -> Decimal:
        """value x factor brings a cost from price_year prices to base prices."""
        return self.index[self.key_for(base)] / self.index[self.key_for(price_year)]  # type: ignore[index]


def load_deflator(path: Path) -> Deflator:
    source = read_source(path)
    index = {}
    for line, row in _rows(source, ("year", "index")):
        value = _decimal(source, line, row["index"], "index")
        if value <= 0:
            raise InputError([Diagnostic(source.name, line, 1, f"index must be positive, got {value}")])
        index[row["year"]] = value
    return Deflator(source, index)


@dataclass(frozen=True)
class DiscountSchedule:
    source: Source
    bands: list[tuple[int, int, Decimal, Decimal]]  # year_from, year_to, standard, health

    def rate(self, year: int, column: str = "standard") -> Decimal:
        for year_from, year_to, standard, health in self.bands:
            if year_from <= year <= year_to:
                return standard if column == "standard" else health
        raise InputError([Diagnostic(self.source.name, 1, 1, f"no discount rate for year {year}")])


def load_schedule(path: Path) -> DiscountSchedule:
    source = read_source(path)
    bands = []
    for line, row in _rows(source, ("year_from", "year_to", "standard", "health")):
        bands.append((int(_decimal(source, line, row["year_from"], "year_from")),
                      int(_decimal(source, line, row["year_to"], "year_to")),
                      _decimal(source, line, row["standard"], "standard"),
                      _decimal(source, line, row["health"], "health")))
    return DiscountSchedule(source, sorted(bands))


@dataclass(frozen=True)
class Grades:
    source: Source
    percent: dict[int, Decimal]


def load_grades(path: Path) -> Grades:
    source = read_source(path)
    return Grades(source, {int(_decimal(source, line, row["grade"], "grade")): _decimal(source, line, row["percent"], "percent")
                           for line, row in _rows(source, ("grade", "percent"))})


@dataclass(frozen=True)
class ReferenceData:
    deflator: Deflator
    schedule: DiscountSchedule
    grades: Grades

    @property
    def sources(self) -> list[Source]:
        return [self.deflator.source, self.schedule.source, self.grades.source]
