"""What ``cba costs search`` found, in the three formats; stdlib only, so a search answers as fast as
``cba --version`` (its lines for people are plain text written at once, not a rich table)."""

from __future__ import annotations

import csv
import sys
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import Any, TextIO

from cba.model.record import record
from cba.render.safe import csv_cell, visible


@record
class Matches:
    """The entries of one table whose searched fields contain every word of the query."""

    rows: list[dict[str, str]]
    name: str  # the table's file as shown
    sha256: str
    query: str
    near: list[str] = field(default_factory=list)  # spellings that would match, when nothing does

    def document(self) -> dict[str, Any]:
        from cba.render.envelope import envelope, table_inputs

        body = {"file": self.name, "query": self.query, "matches": self.rows, "near_matches": self.near}
        return envelope("costs search", table_inputs((Path(self.name).stem, self.name, self.sha256)), body)

    def write_csv(self, out: TextIO) -> None:
        if self.rows:
            writer = csv.DictWriter(out, fieldnames=list(self.rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: csv_cell(v) for k, v in r.items()} for r in self.rows)

    def show(self, console: Callable[[], object]) -> None:
        from cba.render.cost_lines import entry_lines, terminal_width

        shown, name = visible(self.query), visible(self.name)
        if not self.rows:
            lines = [f"No entries match '{shown}' in {name}."]
            lines += [f"Near match: cba costs search {n}" for n in self.near]
        else:
            lines = entry_lines(self.rows, terminal_width())
            lines.append(
                f"{len(self.rows)} entr{'y matches' if len(self.rows) == 1 else 'ies match'} '{shown}' in {name}."
            )
        sys.stdout.write("\n".join(lines) + "\n")  # one write: thousands of matches print in milliseconds
