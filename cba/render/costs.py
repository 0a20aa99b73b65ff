"""The unit-cost table for a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from cba.model.unit_cost import UnitCostTable
from cba.render.cost_lines import one_line_each
from cba.render.fit import fitted
from cba.render.format import fmt_gbp
from cba.render.safe import inert


def render_costs(console: Console, table: UnitCostTable, *, full: bool = False) -> None:
    """One line per entry (``full``: every field, in a table fitted to the terminal)."""
    if not full:
        rows = [
            {
                "id": e.id,
                "value": str(e.value),
                "unit": e.unit,
                "price_year": e.price_year,
                "description": e.description,
            }
            for e in table.entries.values()
        ]
        for line in one_line_each(rows, console.width):
            console.print(inert(line), soft_wrap=True)
        console.print(
            inert(f"{len(table.entries)} entries in {table.source.name} (sha256:{table.source.sha256})."), style="dim"
        )
        console.print("cba costs show ID for one entry; cba costs --full for every field.", style="dim")
        return
    out = Table(title=inert(f"Unit costs: {table.source.name}"), title_justify="left", title_style="bold")
    for col, justify in (
        ("Id", "left"),
        ("Description", "left"),
        ("Value", "right"),
        ("Unit", "left"),
        ("Price year", "left"),
        ("Agency", "left"),
        ("Type", "left"),
        ("Cashable", "left"),
        ("Conf.", "right"),
        ("Source", "left"),
    ):
        out.add_column(col, justify=justify)  # type: ignore[arg-type]
    for e in table.entries.values():
        out.add_row(
            *[inert(x) for x in (e.id, e.description)],
            fmt_gbp(e.value),
            inert(e.unit),
            e.price_year,
            e.agency,
            e.value_type.value,
            e.cashable_text,
            e.confidence_text,
            inert(e.source),
        )
    console.print(fitted(out))
    console.print(
        f"{len(table.entries)} entries; sha256:{table.source.sha256}. Confidence grade 1 (strongest) to 6 (weakest).",
        style="dim",
        markup=False,
    )
