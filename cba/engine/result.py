"""The result objects every command returns: self-contained, so that a renderer needs nothing else.

A result carries its provenance (which files, with their hashes, produced it), the
inputs as they were used, and the figures. Renderers (``cba.render``) lay these out
as text, JSON, CSV or a workbook; none of them computes a figure.
"""

from __future__ import annotations

from dataclasses import field
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Literal

from cba.model.provenance import Provenance
from cba.model.record import record

#: How a figure is written: money to the penny, ratios to six places, counts as given.
#: share: a fraction (0.015), shown to people as a percentage (1.5%). input: the kind named in the
#: row's ``input_kind`` column (a tornado row's low and high are money, a share or a count).
Kind = Literal["text", "money", "ratio", "count", "percent", "share", "years", "flag", "input"]

_EXACT = Context(prec=60)
PENNY = Decimal("0.01")


def to_pennies(value: float) -> Decimal:
    """A float from a numpy sweep as money, rounded half-up to the penny (binary noise never shown)."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP, context=_EXACT)


def to_ratio(value: float) -> Decimal | None:
    """A float ratio from a sweep, to six decimal places; NaN (no cost to divide by) is None."""
    if value != value:
        return None
    return Decimal(value).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP, context=_EXACT)


@record
class Figure:
    """One headline figure, under the key JSON, CSV and the workbook use for it; its label names its basis."""

    key: str
    label: str
    value: Decimal | str | None  # str only for text facts (a seed)
    kind: Kind

    @property
    def number(self) -> Decimal | None:
        """The figure as a number (None: not known); asking a text fact for a number is a bug."""
        if isinstance(self.value, str):
            raise TypeError(f"figure {self.key} is text ({self.value!r}), not a number")
        return self.value


@record
class Column:
    key: str  # snake_case, the JSON key
    label: str  # for people
    kind: Kind


@record
class Table:
    """Rows of typed values (Decimal, str, bool or None) under typed columns."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[object, ...], ...]
    notes: tuple[str, ...] = ()
    chart: Literal["none", "line", "bar", "tornado", "histogram"] = "none"
    transpose_for_text: bool = False  # few rows of many columns: shown to people with columns as rows
    text_columns: tuple[str, ...] = ()  # the columns a terminal shows, when not all (JSON and CSV carry all)

    def kind_at(self, row: tuple[object, ...], index: int) -> Kind:
        """The kind of one cell: its column's, or for an ``input`` column the kind its row names."""
        kind = self.columns[index].kind
        if kind == "input":
            named = row[[c.key for c in self.columns].index("input_kind")]
            assert named in ("money", "share", "count", "ratio", "percent"), named
            return named
        return kind

    def column(self, key: str) -> list[object]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def amounts(self, key: str) -> list[Decimal]:
        """A column of numbers (money, counts, ratios), every cell known: for charts."""
        cells = self.column(key)
        if not all(isinstance(cell, Decimal) for cell in cells):
            raise TypeError(f"column {key} holds more than numbers")
        return cells  # type: ignore[return-value]


@record
class TableResult:
    """What ``whatif``, ``breakeven``, ``compare`` and ``simulate`` return: typed tables and notes."""

    command: str
    provenance: tuple[Provenance, ...]
    tables: tuple[Table, ...]
    notes: tuple[str, ...] = ()
    facts: tuple[Figure, ...] = field(default_factory=tuple)  # single figures (draws, seed, probabilities)
