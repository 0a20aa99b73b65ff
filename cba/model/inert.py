"""User text a spreadsheet will not run, for any file cba writes (a CSV it exports or a table it imports)."""

from __future__ import annotations

#: OWASP CSV injection: cells a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_cell(value: object) -> object:
    """A CSV text cell a spreadsheet will not run: text starting with a formula character gets a leading quote.

    For user text only: numbers cba writes itself ('-121872.00') must stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
