"""The `cba` console script: fast paths for a plain `cba run` and `cba costs search`, then the typer CLI.

Importing typer and building its parameters costs more than appraising Dorset, so the
two commands people run most are answered here, before typer is imported, when their
arguments are plain (known options with valid values). They call the very functions
the typer commands call (``common.run_command``, ``fast_search``), so the output is the
same byte for byte; anything else (--help, --xlsx, a bad value, other commands) goes to
the full CLI in ``app``, which also writes the usage messages.
"""

from __future__ import annotations

import gc
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

    path, query = table or bundled_costs(), " ".join(words)
    try:
        name, rows, sha256 = search(path, query)
        print_rows(rows, fmt, name, sha256, query, path)
    except CbaError as exc:  # reported as cli.app.report does, without importing typer
        for line in exc.lines():
            print(line, file=sys.stderr)
        raise SystemExit(exc.exit_code) from None
    return True


_RUN_VALUES = {
    "--unit-costs": "unit_costs",
    "--format": "format",
    "-f": "format",
    "--attributable": "attributable",
    "-a": "attributable",
    "--basis": "basis",
    "--set": "sets",
}
_RUN_FLAGS = {"--green-book": "green_book", "--detail": "detail"}


def _fast_run(argv: list[str]) -> bool:
    """Answer a plain `cba run SCENARIO [options]`; False for anything typer must see."""
    if not argv or argv[0] != "run":
        return False
    given: dict = {
        "format": "table",
        "attributable": [],
        "sets": [],
        "unit_costs": None,
        "basis": None,
        "green_book": False,
        "detail": False,
    }
    scenario = None
    rest = iter(argv[1:])
    for arg in rest:
        if arg in _RUN_VALUES:
            value = next(rest, None)
            if value is None:
                return False
            key = _RUN_VALUES[arg]
            if key in ("attributable", "sets"):
                given[key].append(value)
            else:
                given[key] = value
        elif arg in _RUN_FLAGS:
            given[_RUN_FLAGS[arg]] = True
        elif arg.startswith("-") or scenario is not None:
            return False  # --xlsx, --help, --opt=value, a second argument: typer's to handle
        else:
            scenario = arg
    if (
        scenario is None
        or given["format"] not in ("table", "json", "csv")
        or given["basis"] not in (None, "funding", "actual", "budget")
    ):
        return False
    from cba.cli.common import report, run_command
    from cba.model.errors import CbaError

    try:
        run_command(
            Path(scenario),
            Path(given["unit_costs"]) if given["unit_costs"] else None,
            given["format"],
            given["attributable"] or None,
            given["basis"],
            given["sets"] or None,
            given["green_book"],
            given["detail"],
            None,
            False,
        )
    except CbaError as exc:
        raise SystemExit(report(exc)) from None
    return True


def main() -> None:
    # A short-lived process: the cyclic collector would only walk the scenario's objects again
    # and again (10-20% of a large run). cba keeps no cycles it needs collected; a portfolio's
    # worker processes turn it back on.
    gc.disable()
    # pydantic looks for plugins through every installed package's entry points (importlib.metadata,
    # ~25 ms); cba's own models use none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        if _fast_run(sys.argv[1:]) or _fast_search(sys.argv[1:]):
            return
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    from cba.cli.app import main as cli_main

    cli_main()
