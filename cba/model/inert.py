"""User text a spreadsheet will not run, for any file cba writes (a CSV it exports or a table it imports)."""

from __future__ import annotations

#: OWASP CSV injection: cells a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A CSV text cell a spreadsheet will not run, and whose hidden characters are shown: each line starting
    with a formula character gets a leading quote; C1, bidi and zero-width characters are shown escaped.

    Every line, not just the first: a spreadsheet starts a new row at a carriage return, and Python's csv
    writer (with "\\n" line ends) does not quote a field for a lone CR, so "Programme\\r=cmd|..." put
    the formula at a row's start. A line break within a cell is written as LF, which the writer quotes.
    For user text only: numbers cba writes itself ('-121872.00') must stay numbers.
    """
    if not isinstance(value, str):
        return value
    from cba.model.errors import escape_hidden

    value = escape_hidden(value)  # a bidi override or C1 control would reorder or hide what the cell shows
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    lines = ["'" + line if line.startswith(FORMULA_START) else line for line in text.split("\n")]
    safe = "\n".join(lines)
    if value.startswith(FORMULA_START) and not safe.startswith("'"):  # a cell starting with a line break
        safe = "'" + safe
    return safe
