"""Finding unit costs quickly: plain CSV reading and word matching, no validation models.

`cba costs search` must answer in about the time of `cba --version`, so this module
imports nothing heavy (no pydantic, no rich); `cba validate` is where a table is checked.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from cba.io.files import read_source

SEARCHED = ("id", "description", "category", "detail", "agency", "agency_detail", "theme")


def search(path: Path, query: str) -> tuple[str, list[dict[str, str]], str]:
    """Rows whose searched fields contain every word of ``query`` (case-insensitive)."""
    source = read_source(path)
    words = query.casefold().split()
    lines = source.text.splitlines()
    if not lines:
        return source.name, [], source.sha256
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


def near_queries(path: Path, query: str) -> list[str]:
    """Spellings of ``query`` that would match something: each word replaced by its closest word in the table."""
    import difflib
    import re

    source = read_source(path)
    rows = list(csv.DictReader(io.StringIO(source.text)))
    vocabulary = sorted(
        {w for r in rows for k in SEARCHED for w in re.findall(r"[\w'-]+", (r.get(k) or "").casefold())}
    )
    options = []
    for word in query.casefold().split():
        found = [w for w in vocabulary if word in w] and [word]
        options.append(found or difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.7) or [word])
    fixed = " ".join(o[0] for o in options)
    if fixed == query.casefold() or not search(path, fixed)[1]:
        return []
    return [fixed]


def print_rows(
    rows: list[dict[str, str]], fmt: str, name: str, sha256: str, query: str = "", path: Path | None = None
) -> None:
    """Write what a search found (with near spellings when nothing matched) in ``fmt``."""
    from cba.cli.common import stdout_console
    from cba.render.cost_search import Matches
    from cba.render.output import emit

    near = near_queries(path, query) if (not rows and path is not None) else []
    emit(Matches(rows, name, sha256, query, near), fmt, stdout_console)
