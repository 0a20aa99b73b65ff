"""The one place a result becomes a table (for people), JSON or CSV on stdout, for every command.

A result is written through its ``Faces``: the JSON document, the CSV rows and the view for a
terminal, each from the same result object, so the three formats cannot show different figures.
``emit`` is the only dispatch on ``--format``. Each face imports what it needs when it is asked for,
so ``cba run --format json`` never loads rich's tables, and ``cba run`` never loads openpyxl.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from cba.model.record import record

if TYPE_CHECKING:  # (a Protocol costs a millisecond to build at start-up, and only mypy reads it)
    from typing import Protocol

    from rich.console import Console

    from cba.engine.result import TableResult
    from cba.engine.run import RunResult

    ConsoleFactory = Callable[[], Console]

    class Faces(Protocol):
        """What ``emit`` asks of a result: each of its three formats."""

        def document(self) -> dict[str, Any]: ...

        def write_csv(self, out: TextIO) -> None: ...

        def show(self, console: ConsoleFactory) -> None: ...


def emit(result: Faces, fmt: str, console: ConsoleFactory) -> None:
    """Print ``result`` on stdout as ``table`` (for people), ``json`` or ``csv``."""
    if fmt == "json":
        # UTF-8 text as written ("£"), but every control and invisible character escaped (C1 as \\u0080,
        # line separators, bidi and zero-width), so none reaches a terminal raw; streamed in batches.
        from cba.render.json_write import write_json

        write_json(result.document(), sys.stdout)
    elif fmt == "csv":
        result.write_csv(sys.stdout)
    else:
        result.show(console)


@record
class RunFaces:
    """``cba run``'s result: the report, its JSON document, its long-format CSV."""

    result: RunResult
    detail: bool = False

    def document(self) -> dict[str, Any]:
        from cba.render.json import run_document

        return run_document(self.result, stream=True)

    def write_csv(self, out: TextIO) -> None:
        from cba.render.csv import write

        write(self.result, out)

    def show(self, console: ConsoleFactory) -> None:
        from cba.render.text import render

        render(console(), self.result, detail=self.detail)


@record
class TableFaces:
    """The typed tables of whatif, breakeven, compare, simulate and portfolio."""

    result: TableResult

    def document(self) -> dict[str, Any]:
        from cba.render.json import table_document

        return table_document(self.result)

    def write_csv(self, out: TextIO) -> None:
        from cba.render.tables import write_csv

        write_csv(self.result, out)

    def show(self, console: ConsoleFactory) -> None:
        from cba.render.tables import print_tables

        print_tables(self.result, console())
