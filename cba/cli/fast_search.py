"""Finding unit costs quickly: plain CSV reading and word matching, no validation models.

`cba costs search` must answer in about the time of `cba --version`, so this module
imports nothing heavy (no pydantic, no rich); `cba validate` is where a table is checked.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

from cba.io.files import read_source
from cba.render.safe import csv_cell, visible

SEARCHED = ("id", "description", "category", "detail", "agency", "agency_detail", "theme")
SHOWN = ("id", "description", "value", "unit", "price_year", "agency")


def search(path: Path, query: str) -> tuple[str, list[dict[str, str]], str]:
    """Rows whose searched fields contain every word of ``query`` (case-insensitive)."""
    source = read_source(path)
    words = query.casefold().split()
    lines = source.text.splitlines()
    if not lines:
        return source.name, []
    header = next(csv.reader([lines[0]]))
    names = [name.strip() for name in header]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # which column holds the figures cannot be known: refuse, as validation does
        from cba.model.errors import Diagnostic, InputError

        raise InputError([Diagnostic(source.name, 1, 1, f"column '{twice[0]}' appears twice; remove one")])
    searched = [i for i, name in enumerate(header) if name.strip() in SEARCHED]
    if any(line.count('"') % 2 for line in lines):
        # A quoted field spans lines: parse the file whole.
        records = list(csv.reader(io.StringIO(source.text)))[1:]
    else:
        # One record a line: parse only the lines that hold every word somewhere.
        folded = source.text.casefold().splitlines()
        records = list(csv.reader([lines[i] for i in range(1, len(lines)) if all(w in folded[i] for w in words)]))
    width = len(names)
    rows = []
    for record in records:
        if len(record) < width:
            record += [""] * (width - len(record))
        haystack = " ".join([record[i] for i in searched]).casefold()
        if all(w in haystack for w in words):
            rows.append(dict(zip(names, record)))
    return source.name, rows, source.sha256


def _cut(text: str, width: int) -> str:
    text = visible(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def print_rows(rows: list[dict[str, str]], fmt: str, name: str, sha256: str) -> None:
    if fmt == "json":
        from cba.render.envelope import envelope, table_inputs

        print(json.dumps(envelope("costs search", table_inputs((Path(name).stem, name, sha256)),
                                  {"file": name, "matches": rows}), indent=2, ensure_ascii=False))
        return
    if fmt == "csv":
        if rows:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in rows)
        return
    widths = {"id": 18, "description": 60, "value": 10, "unit": 18, "price_year": 10, "agency": 24}
    header = "  ".join(f"{c.replace('_', ' '):<{widths[c]}}" for c in SHOWN)
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append("  ".join(
            f"{_cut(r.get(c, ''), widths[c]):>{widths[c]}}" if c == "value" else f"{_cut(r.get(c, ''), widths[c]):<{widths[c]}}"
            for c in SHOWN).rstrip())
    sys.stdout.write("\n".join(lines) + "\n")  # one write: thousands of matches print in milliseconds
    print(f"{len(rows)} matching entr{'y' if len(rows) == 1 else 'ies'} in {name}", file=sys.stderr)
