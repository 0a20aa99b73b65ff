"""The unit-cost table: a Greater Manchester-style list of what one unit of demand costs.

Stored as CSV so that a change to a published figure shows as a one-line diff.
Every entry carries its price year, confidence grade and source: a cost without
provenance cannot be audited.
"""

# No `from __future__ import annotations` here: pydantic would then evaluate every field's
# annotation from its string (a compile apiece, some 4 ms of each run's start; issue 32).
from dataclasses import field
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from cba.model.errors import suggest
from cba.model.record import record
from cba.model.source import Source
from cba.model.types import Identifier, Money, Text, is_financial_year


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


def _price_year(value: str) -> str:
    if "/" in value and not is_financial_year(value):
        raise PydanticCustomError("price_year", f"'{value}' is not a financial year; write it as 2013/14")
    return value


PriceYear = Annotated[
    str,
    Field(
        pattern=r"^([0-9]{4}/[0-9]{2}|[0-9]{4}|not stated)$",
        description="financial year (2013/14), calendar year (2019), or 'not stated'",
    ),
    AfterValidator(_price_year),
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
    cashable: bool | None = Field(
        None, description="true: a saving can leave a budget; false: capacity freed; empty: not stated"
    )
    confidence: int | None = Field(
        None, ge=1, le=6, description="confidence grade, 1 (strongest) to 6 (weakest); empty: not graded"
    )
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


@record
class UnitCostTable:
    source: Source
    entries: dict[str, UnitCost]
    lines: dict[str, int]
    header: tuple[str, ...] = COLUMNS

    def column(self, cost_id: str, field: str) -> int:
        """1-based character column of one field of an entry's row, for diagnostics."""
        raw = self.source.text.splitlines()[self.lines[cost_id] - 1]
        index = self.header.index(field) if field in self.header else 0
        starts = field_columns(raw)
        return starts[index] if index < len(starts) else 1

    def get(self, cost_id: str) -> UnitCost | None:
        return self.entries.get(cost_id)

    def position(self, cost_id: str, field: str) -> tuple[int, int]:
        """Line and column of one field of an entry, for diagnostics."""
        return self.lines[cost_id], self.column(cost_id, field)


@record
class WrittenValues(UnitCostTable):
    """Values outcomes write in the scenario itself (``value:``), as a table: positions are the scenario's."""

    positions: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def position(self, cost_id: str, field: str) -> tuple[int, int]:
        return self.positions.get((cost_id, field), (self.lines[cost_id], 1))


def price_year_start(price_year: str) -> int | None:
    """The calendar year a price year starts in (2013/14 -> 2013, 2019 -> 2019), or None if not stated."""
    return int(price_year[:4]) if price_year[:4].isascii() and price_year[:4].isdigit() else None


def field_columns(raw_line: str) -> list[int]:
    """1-based character column at which each CSV field of a line starts."""
    starts, quoted = [1], False
    for index, char in enumerate(raw_line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 2)
    return starts
