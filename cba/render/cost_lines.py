"""Unit-cost entries as plain lines that fit the terminal (``cba costs``, ``cba costs search``).

Plain text, not rich: ``costs search`` answers on the fast path, before rich or pydantic load.
Values are written the one way cba writes money (``£58,664``); a value is never cut. Only
descriptions are shortened, and then from the middle, because GMCA descriptions differ at the
end ("... - annual cost of care planning" vs "... - annual legal costs").
"""

from __future__ import annotations

import os
import sys
import textwrap
from decimal import Decimal, InvalidOperation

from cba.render.safe import visible

#: Width when output is piped and COLUMNS is unset: wide enough that nothing wraps needlessly.
PIPED_WIDTH = 160


def terminal_width() -> int:
    """COLUMNS when set; the terminal's width on a terminal; PIPED_WIDTH when piped."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isascii() and columns.isdigit() and 0 < int(columns) <= 10_000:
        return int(columns)
    if sys.stdout.isatty():
        return os.get_terminal_size(sys.stdout.fileno()).columns
    return PIPED_WIDTH


def money_text(raw: str) -> str:
    """'58664' -> '£58,664'; '44.06' -> '£44.06'; text that is not a number is shown as it is."""
    from cba.render.format import fmt_gbp

    try:
        value = Decimal(raw.replace(",", "").replace("£", "").strip())
    except InvalidOperation:
        return visible(raw)
    return fmt_gbp(value) if value.is_finite() else visible(raw)


def middle_cut(text: str, width: int) -> str:
    """``text`` within ``width`` characters, dropping from the middle (the ends say the most)."""
    if len(text) <= width:
        return text
    if width < 8:
        return text[:width]
    head = (width - 1) * 2 // 5
    return text[:head].rstrip() + "…" + text[len(text) - (width - 1 - head) :].lstrip()


def _price(row: dict[str, str]) -> str:
    year = visible(row.get("price_year", "")).strip()
    return f"{year} prices" if year and year != "not stated" else "price year not stated"


#: The whitespace textwrap turns into spaces: text holding none, and fitting, is one line as it stands.
_REPLACED = frozenset("\t\n\x0b\x0c\r")


def _wrap(text: str, width: int, indent: str, rest: str, hyphens: bool = False, long_words: bool = True) -> list[str]:
    """``textwrap.wrap``'s lines, without its work for text that fits on one line as it stands (most entries:
    a search that matches 700 entries spent most of its time wrapping lines that needed none). ``text`` has
    no whitespace at its end (the callers strip it), so textwrap would drop nothing."""
    if len(indent) + len(text) <= width and _REPLACED.isdisjoint(text):
        return [indent + text] if text else []
    return textwrap.wrap(
        text,
        width,
        initial_indent=indent,
        subsequent_indent=rest,
        break_on_hyphens=hyphens,
        break_long_words=long_words,
    )


def entry_lines(rows: list[dict[str, str]], width: int) -> list[str]:
    """Each entry as a head line (id, value, unit, price year, agency) and its description, wrapped.

    Shows what tells entries apart: the whole description and the GMCA detail, unit and price year.
    """
    ids = max((len(visible(r.get("id", ""))) for r in rows), default=2)
    indent = min(ids, 24) + 2
    lines = []
    for r in rows:
        head = [money_text(r.get("value", "")) + (" " + visible(r["unit"]).strip() if r.get("unit") else ""), _price(r)]
        head += [visible(r[k]).strip() for k in ("agency", "detail") if r.get(k, "").strip()]
        first = f"{visible(r.get('id', '')):<{indent - 2}}  " + " · ".join(head)
        lines.extend(_wrap(first, width, "", " " * indent, long_words=False) or [first])
        description = visible(r.get("description", "")).strip()
        if description:
            lines.extend(_wrap(description, max(width, indent + 20), " " * indent, " " * indent))
    return lines


def one_line_each(rows: list[dict[str, str]], width: int) -> list[str]:
    """One line per entry: id, value, unit, price year, then as much description as fits."""

    def col(key: str) -> list[str]:
        return [visible(r.get(key, "")).strip() for r in rows]

    ids, units, years = col("id"), col("unit"), col("price_year")
    values = [money_text(r.get("value", "")) for r in rows]
    wid = max(map(len, ids), default=2)
    wval = max(map(len, values), default=5)
    wunit = min(max(map(len, units), default=4), 16)
    wyear = max(map(len, years), default=4)
    lines = []
    for i, r in enumerate(rows):
        fixed = f"{ids[i]:<{wid}}  {values[i]:>{wval}}  {middle_cut(units[i], wunit):<{wunit}}  {years[i]:<{wyear}}  "
        room = width - len(fixed)
        description = visible(r.get("description", "")).strip()
        lines.append((fixed + (middle_cut(description, room) if room >= 12 else "")).rstrip())
    return lines
