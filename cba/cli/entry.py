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
    from cba.cli.options import SEARCH, parse_plain

    parsed = parse_plain(argv[2:], SEARCH)
    if parsed is None or not parsed[0]:
        return False
    words, given = parsed
    from cba.cli.common import report
    from cba.cli.fast_search import print_rows, search
    from cba.io.files import bundled_costs, option_table
    from cba.model.errors import CbaError

    try:
        path = option_table(Path(str(given["unit_costs"]))) if "unit_costs" in given else bundled_costs()
        query = " ".join(words)
        name, rows, sha256 = search(path, query)
        print_rows(rows, str(given.get("format", "table")), name, sha256, query, path)
    except CbaError as exc:
        raise SystemExit(report(exc)) from None
    return True


def _fast_run(argv: list[str]) -> bool:
    """Answer a plain `cba run SCENARIO [options]`; False for anything typer must see."""
    if not argv or argv[0] != "run":
        return False
    from cba.cli.options import RUN, parse_plain

    parsed = parse_plain(argv[1:], RUN)
    if parsed is None or len(parsed[0]) != 1 or parsed[1].get("xlsx") is not None:
        return False  # no scenario or two, or a workbook to write: typer's to handle
    (scenario,), given = parsed
    from cba.cli.common import report, run_command
    from cba.cli.options import Appraisal, Output
    from cba.model.errors import CbaError

    try:
        run_command(
            Path(scenario), Appraisal.of(given), Output.of(given), bool(given.get("detail")), bool(given.get("strict"))
        )
    except CbaError as exc:
        raise SystemExit(report(exc)) from None
    return True


def _commands() -> None:
    from cba.cli.environment import refuse_bad_arguments

    refuse_bad_arguments(sys.argv[1:])
    if sys.argv[1:] == ["--version"]:  # typer's --version says the same (app._version), after 40 ms of imports
        from cba import __version__

        print(f"cba {__version__}")
        return
    _no_plugin_loader()  # after --version, which loads no pydantic
    if _fast_run(sys.argv[1:]) or _fast_search(sys.argv[1:]):
        return
    from cba.cli.app import main as cli_main

    cli_main()


def _no_plugin_loader() -> None:
    """Even with plugins disabled, pydantic imports its plugin loader, and with it importlib.metadata and
    email (about 18 ms of a 250 ms run), only for the loader to answer "no plugins". When plugins are disabled
    (as above, unless the user's environment says otherwise), a stand-in that gives the same answer is put
    where pydantic looks for the loader (``pydantic.plugin._schema_validator`` imports ``get_plugins`` from it
    when a model is built). tests/test_cli_misc.py checks that the real loader answers the same."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in ("__all__", "1", "true"):
        return
    if "pydantic.plugin._loader" in sys.modules:
        return
    import types

    stand_in = types.ModuleType("pydantic.plugin._loader", "cba's stand-in: plugins are disabled, so there are none")
    stand_in.get_plugins = tuple  # type: ignore[attr-defined]  # get_plugins() -> (): what the real one answers
    sys.modules["pydantic.plugin._loader"] = stand_in


def main() -> None:
    # A short-lived process: the cyclic collector would only walk the scenario's objects again
    # and again (10-20% of a large run). cba keeps no cycles it needs collected; a portfolio's
    # worker processes turn it back on.
    gc.disable()
    # pydantic looks for plugins through every installed package's entry points (importlib.metadata,
    # ~25 ms); cba's own models use none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from cba.cli.environment import environment_notes, escape_unencodable_output, interrupt_cleanly
    from cba.model.errors import Interrupted

    interrupt_cleanly()
    escape_unencodable_output()
    for note in environment_notes():
        print(note, file=sys.stderr)
    try:
        try:
            _commands()
        finally:
            sys.stdout.flush()  # here, not at exit: a closed pipe is then caught below, not printed
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except OSError as exc:
        # The last line of defence for the OS's answers (a name over its limit, a folder that cannot be
        # listed, ...): each place that reads or writes says so in its own words; anything left is still
        # one line naming the file, never a traceback.
        from cba.model.errors import one_line

        where = f"{one_line(str(exc.filename), 200)}: " if exc.filename is not None else ""
        print(f"cba: {where}{exc.strerror or one_line(str(exc))}", file=sys.stderr)
        raise SystemExit(1) from None
    except Interrupted as exc:
        print("cba: interrupted; nothing was written", file=sys.stderr)
        raise SystemExit(128 + exc.signum) from None
    except KeyboardInterrupt:
        print("cba: interrupted; nothing was written", file=sys.stderr)
        raise SystemExit(130) from None
