"""User text made inert: never terminal markup, control sequences or spreadsheet formulas.

Names and descriptions come from scenarios and tables that anyone may write; every
face passes them through here (CSV cells through ``csv_cell``, terminal text through
``inert``; the workbook writes them as text cells in ``cba.render.xlsx``).
"""

from __future__ import annotations

from cba.model.errors import escape_controls

#: OWASP CSV injection: cells a spreadsheet would run as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def visible(text: str) -> str:
    """Control characters (C0, C1, ESC, line separators) shown escaped, so none reaches the terminal."""
    return escape_controls(text)


def inert(text: str):
    """A rich ``Text`` of user text: printed as written, never read as markup."""
    from rich.text import Text

    return Text(visible(text))


def csv_cell(value: object) -> object:
    """A CSV text cell a spreadsheet will not run: text starting with a formula character gets a leading quote.

    For user text only: numbers cba writes itself ('-121872.00') must stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value

