"""Appraisal periods: financial years, their quarters, or months.

A scenario's periods are all of one kind. Each label has a place on one month count
(months since April of year 0), so the periods of a scenario can be ordered, counted from
the first, and named for the years after the last, whatever their kind:

* a financial year ``2024/25`` (April 2024 to March 2025), 12 months long;
* a quarter of one, ``2024/25 Q1`` (April to June 2024; Q4 is January to March 2025), 3 months;
* a month, ``2024-04`` (April 2024), 1 month;
* a year of the programme, ``Year 1``, ``Year 2``, ... (12 months each), for a source that counts years from its
  start and never says which financial years they were (relative periods: nothing in them can be deflated).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

Kind = Literal["year", "quarter", "month", "relative"]

#: A scenario names a handful of periods, but a large one asks about them once per line and period (10,000 lines x
#: 10 periods is 100,000 questions about 10 labels): the answers are kept. Pure functions of a string, so a cache
#: cannot be stale; bounded, so hostile labels cannot grow it without end.
_remembered = lru_cache(maxsize=4096)

_YEAR = re.compile(r"^(\d{4})/(\d{2})\Z")  # \Z, not $: a label with a trailing newline is not a period
_QUARTER = re.compile(r"^(\d{4})/(\d{2}) Q([1-4])\Z")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])\Z")
_RELATIVE = re.compile(r"^Year ([1-9]\d{0,2})\Z")

#: Months in one period of each kind, and periods in a year.
MONTHS: dict[Kind, int] = {"year": 12, "quarter": 3, "month": 1, "relative": 12}
PER_YEAR: dict[Kind, int] = {"year": 1, "quarter": 4, "month": 12, "relative": 1}
NAMES: dict[Kind, str] = {
    "year": "financial years",
    "quarter": "quarters",
    "month": "months",
    "relative": "years of the programme",
}
EXAMPLES: dict[Kind, str] = {"year": "2024/25", "quarter": "2024/25 Q1", "month": "2024-04", "relative": "Year 1"}


def _next_year_matches(start: str, end: str) -> bool:
    return (int(start) + 1) % 100 == int(end)


@_remembered
def period_kind(label: str) -> Kind | None:
    """What a label names: a financial year, a quarter of one, a month; None if it names none of them."""
    if (m := _YEAR.match(label)) and _next_year_matches(m.group(1), m.group(2)):
        return "year"
    if (m := _QUARTER.match(label)) and _next_year_matches(m.group(1), m.group(2)):
        return "quarter"
    if _MONTH.match(label):
        return "month"
    if _RELATIVE.match(label):
        return "relative"
    return None


@_remembered
def month_number(label: str) -> int:
    """The period's first month, counted from April of year 0 (so a financial year y/y+1 starts at 12 y)."""
    kind = period_kind(label)
    if kind == "relative":  # Year 1 starts at month 0: only the order and the distance between periods matter
        return 12 * (int(label[5:]) - 1)
    if kind == "month":
        year, month = int(label[:4]), int(label[5:7])
        return 12 * year + month - 4
    start = 12 * int(label[:4])
    return start if kind == "year" else start + 3 * (int(label[-1]) - 1)


def label_at(kind: Kind, months: int) -> str:
    """The label of the period of this kind starting at a month number."""
    year, offset = divmod(months, 12)  # offset: months since April of that financial year's first year
    if kind == "relative":
        return f"Year {year + 1}"
    if kind == "month":
        calendar_year, month = (year, offset + 4) if offset < 9 else (year + 1, offset - 8)
        return f"{calendar_year}-{month:02d}"
    label = f"{year}/{(year + 1) % 100:02d}"
    return label if kind == "year" else f"{label} Q{offset // 3 + 1}"


@_remembered
def index(period: str, first: str) -> int:
    """Appraisal period of a label: 0 for the first, counted in periods of the first's kind."""
    kind = period_kind(first) or "year"
    return (month_number(period) - month_number(first)) // MONTHS[kind]


@_remembered
def label(first: str, at: int) -> str:
    """The label of appraisal period ``at`` (0 for ``first``), past the scenario's last period too."""
    kind = period_kind(first) or "year"
    return label_at(kind, month_number(first) + at * MONTHS[kind])


@_remembered
def financial_year(period: str) -> str:
    """The financial year a period falls in (the deflator's year for spend in it)."""
    if period_kind(period) == "relative":  # a year of the programme is its own year (never deflated)
        return period
    year = month_number(period) // 12
    return f"{year}/{(year + 1) % 100:02d}"


@_remembered
def per_year(first: str) -> int:
    """Periods in a year, for a scenario whose first period is ``first``: 1, 4 or 12."""
    return PER_YEAR[period_kind(first) or "year"]


def step(first: str) -> str:
    """What one period is called in a table's title: year, quarter or month (a year of the programme is a year)."""
    kind = period_kind(first) or "year"
    return "year" if kind == "relative" else kind


def which_year(period: str) -> str:
    """A one-year period in a sentence: "the year 2018/19", or "Year 3" (already a sentence's noun)."""
    return period if period_kind(period) == "relative" else f"the year {period}"
