"""User text made inert: never terminal markup, control sequences or spreadsheet formulas.

Names and descriptions come from scenarios and tables that anyone may write; every
face passes them through here (CSV cells through ``csv_cell``, terminal text through
``inert``; the workbook writes them as text cells in ``cba.render.xlsx``).
"""

from __future__ import annotations

from cba.model.errors import escape_controls
from cba.model.inert import FORMULA_START, csv_cell

__all__ = ["FORMULA_START", "csv_cell", "inert", "visible"]  # every face takes its safety from here


def visible(text: str) -> str:
    """Control characters (C0, C1, ESC, line separators) shown escaped, so none reaches the terminal."""
    return escape_controls(text)


def inert(text: str):
    """A rich ``Text`` of user text: printed as written, never read as markup."""
    from rich.text import Text

    return Text(visible(text))
