"""The costs commands' results, each in the three formats ``cba.render.output.emit`` writes: a table,
one entry with its uprating, the bundled tables."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TextIO

from rich.console import Console
from rich.table import Table

from cba.model.record import record
from cba.model.source import Source
from cba.model.unit_cost import UnitCost, UnitCostTable
from cba.render.cost_lines import one_line_each
from cba.render.fit import fitted
from cba.render.format import fmt_gbp, fmt_number
from cba.render.safe import csv_cell, inert


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


@record
class CostTable:
    """A unit-cost table, every entry (``cba costs``)."""

    table: UnitCostTable
    full: bool = False  # for people: every field of every entry, not one line each

    def document(self) -> dict[str, Any]:
        from cba.render.envelope import envelope, table_inputs

        source = self.table.source
        rows = [entry.model_dump(mode="json") for entry in self.table.entries.values()]
        return envelope(
            "costs",
            table_inputs((source.path.stem, source.name, source.sha256)),
            {"file": source.name, "sha256": source.sha256, "entries": rows},
        )

    def write_csv(self, out: TextIO) -> None:
        import csv

        from cba.model.unit_cost import COLUMNS

        writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        rows = [entry.model_dump(mode="json") for entry in self.table.entries.values()]
        writer.writerows({k: csv_cell(v) for k, v in row.items()} for row in rows)

    def show(self, console: Callable[[], Console]) -> None:
        render_costs(console(), self.table, full=self.full)


@record
class CostEntry:
    """One entry with where it is written and, asked for a price base, its uprating arithmetic (``costs show``)."""

    entry: UnitCost
    table: UnitCostTable
    data: dict[str, Any]  # the entry's fields, its file and line, and ``uprating``: what JSON and CSV show
    uprating: dict[str, str | None] | None
    deflator_source: Source | None
    price_base: str | None
    uprated: Decimal | None  # the value at the price base
    factor: Decimal | None  # deflator at the price base / deflator at the price year

    def document(self) -> dict[str, Any]:
        from cba.render.envelope import envelope, table_inputs

        source = self.table.source
        provenance = table_inputs((source.path.stem, source.name, source.sha256))
        if self.deflator_source is not None:
            deflator = self.deflator_source
            provenance["inputs"].append(
                {"role": "deflator", "name": "deflator", "file": deflator.name, "sha256": deflator.sha256}
            )
        return envelope("costs show", provenance, self.data)

    def write_csv(self, out: TextIO) -> None:
        import csv

        flat = {k: v for k, v in self.data.items() if k != "uprating"}
        flat.update({f"uprating_{k}": v for k, v in (self.uprating or {}).items()})
        writer = csv.DictWriter(out, fieldnames=list(flat), lineterminator="\n")
        writer.writeheader()
        writer.writerow({k: csv_cell(v) for k, v in flat.items()})

    def show(self, console: Callable[[], Console]) -> None:
        entry, table, uprating = self.entry, self.table, self.uprating
        out = Table(
            title=inert(f"{entry.id} ({table.source.name}, line {table.lines[entry.id]})"),
            title_justify="left",
            title_style="bold",
            show_header=False,
        )
        out.add_column("Field", style="bold")
        out.add_column("Value")
        for key, label in (
            ("description", "Description"),
            ("value", "Value"),
            ("unit", "Unit"),
            ("price_year", "Price year"),
            ("agency", "Agency"),
            ("agency_detail", "Agency detail"),
            ("value_type", "Value type"),
            ("theme", "Theme"),
            ("category", "Category"),
            ("detail", "Detail"),
            ("source", "Source"),
            ("url", "URL"),
            ("notes", "Notes"),
            ("licence", "Licence"),
        ):
            if key == "value":
                out.add_row(label, fmt_gbp(entry.value))
            elif self.data.get(key) not in (None, ""):
                out.add_row(label, inert(str(self.data[key])))
        out.add_row("Cashable", entry.cashable_text)
        out.add_row("Confidence grade", entry.confidence_text)
        c = console()
        c.print(fitted(out), highlight=False)
        if uprating and "warning" in uprating:
            c.print(f"[yellow]Warning:[/] {uprating['warning']}", markup=True)
        elif uprating:
            c.print(
                f"Uprated to {self.price_base} prices with the GDP deflator ({uprating['deflator_file']}): value × "
                f"deflator({self.price_base}) ÷ deflator({entry.price_year})",
                highlight=False,
            )
            c.print(
                f"  = {fmt_gbp(entry.value)} × {uprating['deflator_at_base']} ÷ {uprating['deflator_at_price_year']} "
                f"= {fmt_gbp(self.uprated)} (factor {fmt_number(self.factor, 4)}; "  # type: ignore[arg-type]
                f"series years used: {uprating['deflator_key_for_base']} and {uprating['deflator_key_for_price_year']})",
                highlight=False,
            )


@record
class BundledTable:
    """A unit-cost table shipped with cba, as ``costs --list-tables`` reports it (JSON keys in this order)."""

    name: str
    entries: int
    file: str
    sha256: str
    sources: list[str]  # every source its entries cite, the most cited first


@record
class BundledTables:
    """The bundled tables a scenario can name (``unit_costs: NAME``), with their sources and hashes."""

    tables: list[BundledTable]

    def document(self) -> dict[str, Any]:
        from dataclasses import asdict

        from cba.render.envelope import envelope, table_inputs

        inputs = table_inputs(*((t.name, t.file, t.sha256) for t in self.tables))
        return envelope("costs --list-tables", inputs, {"tables": [asdict(t) for t in self.tables]})

    def write_csv(self, out: TextIO) -> None:
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "entries", "file", "sha256", "sources"])
        for t in self.tables:
            writer.writerow([csv_cell(t.name), t.entries, csv_cell(t.file), t.sha256, csv_cell("; ".join(t.sources))])

    def show(self, console: Callable[[], Console]) -> None:
        out = Table(
            title="Bundled unit-cost tables (a scenario names one with unit_costs: NAME)",
            title_justify="left",
            title_style="bold",
        )
        # The name is what a reader copies into a scenario: never cut. The source wraps; the file and the
        # hash (for the record; the CSV and JSON carry them whole) give way first at 80 columns.
        out.add_column("Name", no_wrap=True, min_width=max((len(t.name) for t in self.tables), default=4))
        out.add_column("Entries", justify="right", no_wrap=True)
        out.add_column("Main source", ratio=2)
        out.add_column("File", ratio=1, overflow="fold")
        out.add_column("SHA-256", no_wrap=True)
        for t in self.tables:
            more = f" (and {len(t.sources) - 1} more)" if len(t.sources) > 1 else ""
            out.add_row(inert(t.name), str(t.entries), inert(t.sources[0] + more), inert(t.file), t.sha256[:12] + "…")
        console().print(out)
