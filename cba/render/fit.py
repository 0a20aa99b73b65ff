"""Fitting a rich table to the terminal without ever cutting a figure.

rich shrinks every column evenly when a table is too wide, which turns
``£1,833,165`` into ``£1,833…``. A finance officer who sees a cut pound figure
stops trusting the tool, so tables are laid out here instead: figure columns
(right-justified) keep their full width and never wrap, text columns wrap at
spaces (and are never narrower than the longest figure written inside them),
and a table that still does not fit is split into several tables that each
repeat the first column ("continued"). On a terminal too narrow even for that,
each row is written as a list of "column: value" lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text

#: A figure as cba writes it: £, digits with separators, a decimal part, a % or a trailing word-free sign.
_FIGURE = re.compile(r"[-+]?£?\d[\d,]*(?:\.\d+)?%?")
#: A text column is given at least this many cells (or its widest entry, if narrower) before the table is split.
TEXT_MIN = 12
#: Words up to this long are never broken inside a text column.
WORD_MAX = 20


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _longest_figure(text: str) -> int:
    return max((len(m) for m in _FIGURE.findall(text)), default=0)


def _longest_word(text: str) -> int:
    return max((cell_len(w) for w in text.split()), default=0)


@dataclass
class _Widths:
    natural: list[int]  # widest cell (or header) of each column, unwrapped
    least: list[int]  # narrowest each column may be


def _measure(table: Table) -> _Widths:
    natural, least = [], []
    for column in table.columns:
        cells = [_plain(c) for c in column._cells]
        header = _plain(column.header)
        widest = max((max((cell_len(line) for line in c.split("\n")), default=0) for c in cells), default=0)
        if column.justify == "right" or column.no_wrap:
            # A figure column: every value whole on one line; its header may wrap between words.
            need = max(widest, _longest_word(header))
            natural.append(max(need, cell_len(header)))
            least.append(need)
        else:
            figure = max((_longest_figure(c) for c in cells), default=0)
            natural.append(max(widest, cell_len(header), 1))
            word = max((_longest_word(c) for c in cells + [header]), default=0)
            # Whole words where they are short enough (ids, names); only longer ones are folded.
            least.append(max(figure, min(word, WORD_MAX), min(widest, TEXT_MIN), 1))
    return _Widths(natural, least)


def _overhead(table: Table, columns: int) -> int:
    """Cells a table spends on borders and padding around ``columns`` columns."""
    _, right, _, left = table.padding
    padding = columns * (left + right) - (0 if table.pad_edge else left + right)
    borders = 0 if table.box is None else (columns - 1) + (2 if table.show_edge else 0)
    return padding + borders


def _allocate(widths: _Widths, indices: list[int], room: int) -> list[int] | None:
    """Content widths for these columns within ``room`` cells, or None when their least widths do not fit."""
    alloc = [widths.least[i] for i in indices]
    spare = room - sum(alloc)
    if spare < 0:
        return None
    # Give the spare room to the columns that want more, a cell at a time to the one furthest short.
    wants = [widths.natural[i] - a for i, a in zip(indices, alloc)]
    while spare > 0 and any(w > 0 for w in wants):
        k = max(range(len(wants)), key=lambda j: wants[j])
        alloc[k] += 1
        wants[k] -= 1
        spare -= 1
    return alloc


def _copy(table: Table, indices: list[int], alloc: list[int], continued: bool) -> Table:
    title = table.title
    if continued and title is not None:
        title = Text.assemble(_plain(title), " (continued)") if isinstance(title, Text) else f"{title} (continued)"
    out = Table(
        title=title,
        title_justify=table.title_justify,
        title_style=table.title_style,
        box=table.box,
        show_header=table.show_header,
        show_edge=table.show_edge,
        padding=table.padding,
        pad_edge=table.pad_edge,
        caption=table.caption if not continued else None,
    )
    for i, width in zip(indices, alloc):
        c = table.columns[i]
        # Never no_wrap: a figure column is as wide as its widest value, so only its header wraps.
        out.add_column(
            c.header,
            justify=c.justify,
            style=c.style,
            header_style=c.header_style,
            width=width,
            overflow="fold",
            vertical=c.vertical,
        )
    for r, row in enumerate(table.rows):
        out.add_row(*[table.columns[i]._cells[r] for i in indices], style=row.style, end_section=row.end_section)
    return out


def _stacked(table: Table) -> list[RenderableType]:
    """Each row as 'column: value' lines, for terminals too narrow for any table."""
    lines: list[RenderableType] = []
    if table.title is not None:
        lines.append(Text(_plain(table.title), style="bold"))
    headers = [_plain(c.header) for c in table.columns]
    for r in range(table.row_count):
        cells = [table.columns[i]._cells[r] for i in range(len(table.columns))]
        first = _plain(cells[0])
        lines.append(Text(first or headers[0], style="bold"))
        for header, cell in zip(headers[1:], cells[1:]):
            if _plain(cell):
                lines.append(Text.assemble("  ", header, ": ", _plain(cell)))
    return lines


def layout(table: Table, width: int) -> list[RenderableType]:
    """``table`` as one or more renderables that fit ``width`` cells with every figure whole."""
    widths = _measure(table)
    n = len(table.columns)
    everything = list(range(n))
    alloc = _allocate(widths, everything, width - _overhead(table, n))
    if alloc is not None:
        return [_copy(table, everything, alloc, continued=False)]
    if n == 1:  # nothing to split off: let the one column fold to the width
        return [_copy(table, everything, [max(1, width - _overhead(table, 1))], continued=False)]
    # Split: the first column, then as many further columns as fit, repeated until every column is shown.
    parts: list[RenderableType] = []
    rest = everything[1:]
    while rest:
        take = 1
        while take < len(rest) and _allocate(widths, [0] + rest[: take + 1], width - _overhead(table, take + 2)):
            take += 1
        indices = [0] + rest[:take]
        alloc = _allocate(widths, indices, width - _overhead(table, len(indices)))
        if alloc is None:
            return _stacked(table)
        parts.append(_copy(table, indices, alloc, continued=bool(parts)))
        rest = rest[take:]
    return parts


class Fitted:
    """A rich renderable that lays its table out for the width it is given (see ``layout``)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from layout(self.table, options.max_width)


def fitted(table: Table) -> Fitted:
    return Fitted(table)
