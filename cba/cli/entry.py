"""The `cba` console script: a fast path for `cba costs search`, then the typer CLI.

`cba costs search` must answer in about the time of `cba --version`. Importing typer
and building its parameters (which imports pydantic) would cost more than the search,
so plain searches are answered here, before typer is imported; anything else
(--help, other options, other commands) goes to the full CLI in ``cli``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _fast_search(argv: list[str]) -> bool:
    """Answer a plain `cba costs search` (words, --unit-costs, --format); False for anything else."""
    if argv[:2] != ["costs", "search"]:
        return False
    words, table, fmt = [], None, "table"
    rest = iter(argv[2:])
    for arg in rest:
        if arg in ("--unit-costs", "--format", "-f"):
            value = next(rest, None)
            if value is None:
                return False
            if arg == "--unit-costs":
                from cba.io.files import option_table

                table = option_table(Path(value))
            elif value in ("table", "json", "csv"):
                fmt = value
            else:
                return False
        elif arg.startswith("-"):
            return False  # --help, --unit-costs=PATH and the like: let typer handle them
        else:
            words.append(arg)
    if not words:
        return False
    from cba.cli.fast_search import print_rows, search
    from cba.io.files import bundled_costs
    from cba.model.errors import CbaError

    try:
        name, rows = search(table or bundled_costs(), " ".join(words))
    except CbaError as exc:  # reported as cli.app.report does, without importing typer
        for line in exc.lines():
            print(line, file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    print_rows(rows, fmt, name)
    return True


def main() -> None:
    try:
        if _fast_search(sys.argv[1:]):
            return
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    from cba.cli.app import main as cli_main

    cli_main()
