"""Reading a unit-cost CSV into a validated table, with every problem positioned."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cba.io.files import read_source
from cba.io.validation import diagnostics
from cba.model.errors import Diagnostic, InputError, suggest
from cba.model.source import Source
from cba.model.unit_cost import (
    COLUMNS,
    REQUIRED,
    UnitCost,
    UnitCostTable,
    field_columns,
)

#: Tables already parsed in this process, by (name shown, content hash): a portfolio of many
#: scenarios naming the same table validates it once per worker. Reading and hashing the file
#: is cheap; validating its rows is not.
_PARSED: dict[tuple[str, str], UnitCostTable] = {}


def load_table(path: Path, display: str | None = None) -> UnitCostTable:
    """Read and validate a unit-cost CSV; raise InputError with every problem found."""
    source = read_source(path, display)
    key = (source.name, source.sha256)
    if key not in _PARSED:
        _PARSED[key] = parse_table(source)
    return _PARSED[key]


def parse_table(source: Source) -> UnitCostTable:
    name = source.name
    raw_lines = source.text.splitlines()
    reader = csv.reader(io.StringIO(source.text))
    problems: list[Diagnostic] = []
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise InputError([Diagnostic(name, 1, 1, f"cannot read the CSV header: {exc}")]) from None
    header_cols = field_columns(raw_lines[0])
    seen: set[str] = set()
    for i, column in enumerate(header):
        where = header_cols[i] if i < len(header_cols) else 1
        if column not in COLUMNS:
            # quote a short excerpt only: the file may not be a table at all (unit_costs: /etc/passwd)
            shown = column if len(column) <= 40 else column[:37] + "..."
            problems.append(Diagnostic(name, 1, where, f"unknown column '{shown}'{suggest(column, COLUMNS)}"))
        elif column in seen:
            problems.append(
                Diagnostic(
                    name,
                    1,
                    where,
                    f"column '{column}' appears twice; which one holds the figures cannot be known, so remove one",
                )
            )
        seen.add(column)
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
            if len(row) != len(header):
                problems.append(
                    Diagnostic(name, line, 1, f"{len(row)} fields, expected {len(header)} (one per column)")
                )
                continue
            record = {k: v.strip() for k, v in zip(header, row) if v.strip() != ""}

            def position(loc: tuple[Any, ...], _key: bool, line: int = line) -> tuple[int, int]:
                # Columns are worked out only for a diagnostic: most rows never need them.
                cols = field_columns(raw_lines[line - 1]) if line - 1 < len(raw_lines) else [1]
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
                    Diagnostic(
                        name, *position(("id",), False), f"duplicate id '{entry.id}' (first on line {lines[entry.id]})"
                    )
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
