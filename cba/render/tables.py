"""Tables for compare, whatif, breakeven and simulate. Figures from sweeps are floats (numpy);
they are shown rounded to the pound."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from rich.console import Console
from rich.table import Table

from cba.render.format import fmt_gbp, fmt_number


def gbp(value: float | Decimal | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return fmt_gbp(Decimal(str(round(float(value), 2))), pence=False)


def table(title: str, columns: list[str], rows: list[list[str]], first_left: int = 1) -> Table:
    out = Table(title=title, title_justify="left", title_style="bold")
    for i, col in enumerate(columns):
        out.add_column(col, justify="left" if i < first_left else "right")
    for row in rows:
        out.add_row(*row)
    return out


def histogram(values: np.ndarray, bins: int = 20, width: int = 50) -> list[str]:
    """A text histogram, one line per bin: lower edge, a bar, the share of draws."""
    counts, edges = np.histogram(values, bins=bins)
    top = counts.max() if counts.size and counts.max() else 1
    lines = []
    for count, left in zip(counts, edges):
        bar = "█" * int(round(width * count / top))
        lines.append(f"{gbp(left):>14} │{bar:<{width}} {100 * count / values.size:5.1f}%")
    return lines


def print_histogram(console: Console, title: str, values: np.ndarray) -> None:
    console.print(f"[bold]{title}[/]")
    for line in histogram(values):
        console.print(line, highlight=False)


def ratio(value: float | Decimal | None) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    return fmt_number(Decimal(str(float(value))), 2)
