"""The unit-cost table: a Greater Manchester-style list of what one unit of demand costs.

Stored as CSV so that a change to a published figure shows as a one-line diff.
Every entry carries its price year, confidence grade and source: a cost without
provenance cannot be audited.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from .errors import Diagnostic, InputError
from .files import Source, read_source
from .types import Identifier, Money, Text
from .validation import diagnostics, suggest


class ValueType(str, Enum):
    """The GM CBA model's three kinds of value."""

    fiscal = "fiscal"
    economic = "economic"
    social = "social"


#: Agencies that bear costs, as the GM Unit Cost Database names them. A table using
#: another name is refused (a misspelt agency would split the "who benefits" table).
KNOWN_AGENCIES = (
    "Local Authority",
    "NHS",
    "Police",
    "Criminal Justice System",
    "Department for Work and Pensions",
    "HM Revenue and Customs",
    "Department for Education",
    "Fire and Rescue Service",
    "Housing Provider",
    "Multiple",
    "Other",
)


def _known_agency(value: str) -> str:
    for agency in KNOWN_AGENCIES:
        if value.casefold() == agency.casefold():
            return agency
    raise PydanticCustomError(
        "agency", f"unknown agency '{value}'{suggest(value, KNOWN_AGENCIES)}; use one of: {', '.join(KNOWN_AGENCIES)}"
    )


PriceYear = Annotated[
    str,
    Field(
        pattern=r"^([0-9]{4}/[0-9]{2}|[0-9]{4}|not stated)$",
        description="financial year (2013/14), calendar year (2019), or 'not stated'",
    ),
]


class UnitCost(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Identifier
    description: Text
    unit: Text
    value: Money
    price_year: PriceYear
    agency: Annotated[str, AfterValidator(_known_agency)]
    agency_detail: str | None = None
    value_type: ValueType
    cashable: bool | None = Field(None, description="true: a saving can leave a budget; false: capacity freed; empty: not stated")
    confidence: int | None = Field(None, ge=1, le=6, description="confidence grade, 1 (strongest) to 6 (weakest); empty: not graded")
    source: Text
    url: str | None = None
    notes: str | None = None
    theme: str | None = Field(None, description="GMCA workbook sheet, e.g. Social Services")
    category: str | None = None
    detail: str | None = None
    licence: str | None = None

    @property
    def cashable_text(self) -> str:
        return "not stated" if self.cashable is None else ("yes" if self.cashable else "no")

    @property
    def confidence_text(self) -> str:
        return "not graded" if self.confidence is None else str(self.confidence)


COLUMNS = tuple(UnitCost.model_fields)
REQUIRED = tuple(name for name, f in UnitCost.model_fields.items() if f.is_required())


@dataclass(frozen=True)
class UnitCostTable:
    source: Source
    entries: dict[str, UnitCost]
    lines: dict[str, int]
    header: tuple[str, ...] = COLUMNS

    def column(self, cost_id: str, field: str) -> int:
        """1-based character column of one field of an entry's row, for diagnostics."""
        raw = self.source.text.splitlines()[self.lines[cost_id] - 1]
        index = self.header.index(field) if field in self.header else 0
        starts = _field_columns(raw)
        return starts[index] if index < len(starts) else 1

    def get(self, cost_id: str) -> UnitCost | None:
        return self.entries.get(cost_id)


def price_year_start(price_year: str) -> int | None:
    """The calendar year a price year starts in (2013/14 -> 2013, 2019 -> 2019), or None if not stated."""
    return int(price_year[:4]) if price_year[:4].isdigit() else None


def _field_columns(raw_line: str) -> list[int]:
    """1-based character column at which each CSV field of a line starts."""
    starts, quoted = [1], False
    for index, char in enumerate(raw_line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts


def load_table(path: Path, display: str | None = None) -> UnitCostTable:
    """Read and validate a unit-cost CSV; raise InputError with every problem found."""
    source = read_source(path, display)
    return parse_table(source)


def parse_table(source: Source) -> UnitCostTable:
    name = source.name
    raw_lines = source.text.splitlines()
    reader = csv.reader(io.StringIO(source.text))
    problems: list[Diagnostic] = []
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError([Diagnostic(name, 1, 1, f"cannot read the CSV header: {exc}")]) from None
    header_cols = _field_columns(raw_lines[0])
    for i, column in enumerate(header):
        if column not in COLUMNS:
            problems.append(
                Diagnostic(name, 1, header_cols[i] if i < len(header_cols) else 1,
                           f"unknown column '{column}'{suggest(column, COLUMNS)}")
            )
    for column in REQUIRED:
        if column not in header:
            problems.append(Diagnostic(name, 1, 1, f"missing required column '{column}'"))
    if problems:
        raise InputError(problems)

    entries: dict[str, UnitCost] = {}
    lines: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cols = _field_columns(raw_lines[line - 1]) if line - 1 < len(raw_lines) else [1]
            if len(row) != len(header):
                problems.append(Diagnostic(name, line, 1, f"{len(row)} fields, expected {len(header)} (one per column)"))
                continue
            record = {k: v.strip() for k, v in zip(header, row) if v.strip() != ""}

            def position(loc, _key, cols=cols, line=line):
                field = str(loc[0]) if loc else ""
                index = header.index(field) if field in header else 0
                return line, cols[index] if index < len(cols) else 1

            try:
                entry = UnitCost.model_validate(record)
            except ValidationError as exc:
                problems.extend(diagnostics(exc, name, position))
                continue
            if entry.id in entries:
                problems.append(
                    Diagnostic(name, line, cols[header.index("id")],
                               f"duplicate id '{entry.id}' (first on line {lines[entry.id]})")
                )
                continue
            entries[entry.id] = entry
            lines[entry.id] = line
    except csv.Error as exc:
        problems.append(Diagnostic(name, reader.line_num, 1, f"CSV error: {exc}"))
    if problems:
        raise InputError(problems)
    if not entries:
        raise InputError([Diagnostic(name, 1, 1, "the table has a header but no entries")])
    return UnitCostTable(source, entries, lines, tuple(header))
