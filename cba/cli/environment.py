"""The process's surroundings, checked once before any command runs: environment variables and streams.

A bad ``COLUMNS`` used to print nothing (0 or negative) or crash (``abc``), and a bad
``CBA_MAX_INPUT_BYTES`` crashed. Each is now ignored with one note on stderr, so the command
still answers at a sound width or limit. An output stream that cannot encode "£" (for example
``PYTHONIOENCODING=ascii``) gets escapes instead of a UnicodeEncodeError.
"""

from __future__ import annotations

import os
import sys

#: Widths outside this range are not a terminal's: rich would print nothing, or pad every line to it.
MOST_COLUMNS = 10_000


def environment_notes() -> list[str]:
    """Drop environment settings cba cannot use, and say so; the defaults then apply."""
    # the rule io.files applies when it reads the limit: one definition of a usable value
    from cba.model.limits import MOST_INPUT_BYTES, whole_number

    notes = []
    checks = {
        "COLUMNS": (
            MOST_COLUMNS,
            f"a whole number of columns from 1 to {MOST_COLUMNS:,}",
            "the terminal's width (160 when piped)",
        ),
        "CBA_MAX_INPUT_BYTES": (
            MOST_INPUT_BYTES,
            f"a whole number of bytes from 1 to {MOST_INPUT_BYTES:,}",
            "the default limit of 8 MiB",
        ),
    }
    for name, (most, expected, instead) in checks.items():
        value = os.environ.get(name)
        if value is None or whole_number(value, most) is not None:
            continue
        if not value.strip():
            del os.environ[name]  # set but empty, as some shells leave it: the same as unset, nothing to say
            continue
        del os.environ[name]
        from cba.model.errors import one_line

        notes.append(f"cba: {name}={one_line(value, 40)} ignored: expected {expected}; using {instead}")
    return notes


def escape_unencodable_output() -> None:
    """Write "£" as an escape on a stream that cannot encode it, rather than stop with a traceback.

    A stream closed before cba started (``cba run S >&-``) is None in Python: it writes to nowhere.
    """
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")
    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None) or "ascii"
        try:
            "£€—…".encode(encoding)
        except (UnicodeEncodeError, LookupError):
            reconfigure = getattr(stream, "reconfigure", None)
            if reconfigure is not None:
                reconfigure(errors="backslashreplace")


#: Suffixes of the files cba reads and writes: "o.xlsx/" names one of them, with a slash the OS refuses.
FILE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx", ".html", ".json", ".pdf")


def argument_problems(argv: list[str]) -> list[str]:
    """Arguments the OS would refuse and Python would quietly repair, so cba refuses them too.

    ``Path("o.xlsx/")`` is ``o.xlsx`` and ``Path("")`` is the current folder: without this, ``-o o.xlsx/``
    wrote ``o.xlsx`` and ``portfolio ""`` appraised every scenario in the current folder.
    """
    from cba.model.errors import one_line

    problems = []
    for index, argument in enumerate(argv):
        value = argument.split("=", 1)[1] if argument.startswith("--") and "=" in argument else argument
        if value.endswith(("/", os.sep)) and not os.path.isdir(value):
            bare = value.rstrip("/" + os.sep)
            if os.path.isfile(bare) or bare.lower().endswith(FILE_SUFFIXES):
                problems.append(
                    f"cba: {one_line(value, 200)}: a file name cannot end with '/'; write {one_line(bare, 200)}"
                )
        wrong = _wrong_choice(argv, index)
        if wrong is not None:
            problems.append(wrong)
        meant = _loose_values(argv, index)
        if meant is not None:
            problems.append(
                f"cba: {one_line(argument, 40)} stands alone: a --vary's values are written together, "
                f"separated by commas: {one_line(meant, 200)}"
            )
        follows_option = index > 0 and argv[index - 1].startswith("-") and "=" not in argv[index - 1]
        if argument == "" and not follows_option:
            problems.append("cba: an empty argument names no file or folder; write '.' for the current folder")
    return problems


def refuse_bad_arguments(argv: list[str]) -> None:
    """Exit 2 with one line a problem when ``argument_problems`` finds any: before the fast path and before
    typer alike, so the two answer a command line the same way."""
    problems = argument_problems(argv)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        raise SystemExit(2)


def _wrong_choice(argv: list[str], index: int) -> str | None:
    """A shared choice option given a value it does not take (--basis actuals), with the one meant; typer
    said "Value error, 'actuals' is not one of ..."."""
    from cba.cli.options import BASIS, FORMAT

    argument = argv[index]
    for option in (BASIS, FORMAT):
        if argument in option.flags and index + 1 < len(argv):
            value = argv[index + 1]
        elif any(argument.startswith(f"{flag}=") for flag in option.flags if flag.startswith("--")):
            value = argument.split("=", 1)[1]
        else:
            continue
        if value in option.choices:
            return None
        from cba.model.errors import one_line, suggest

        return (
            f"cba: {option.flags[0]} {one_line(value, 40)}: not one of {', '.join(option.choices)}"
            f"{suggest(value, option.choices)}"
        )
    return None


def _loose_values(argv: list[str], index: int) -> str | None:
    """``--vary lac=-10 -30 -60``: click reads -30 as an option and says only "No such option: -3". At the
    first number standing alone after a --vary's values, the --vary as it was meant; None elsewhere."""

    def loose(i: int) -> bool:
        return argv[i].startswith("-") and argv[i][1:2].isdigit()

    if not loose(index) or loose(index - 1):
        return None
    given = argv[index - 1]
    if index >= 2 and argv[index - 2] == "--vary":
        spec = given
    elif given.startswith("--vary="):
        spec = given.removeprefix("--vary=")
    else:
        return None
    end = index
    while end < len(argv) and loose(end):
        end += 1
    return "--vary " + ",".join([spec, *argv[index:end]])


def _interrupted(signum, frame):
    from cba.model.errors import Interrupted

    raise Interrupted(signum)


def interrupt_cleanly() -> None:
    """Ctrl-C ends any command the same way: the temporary files removed, one line, exit 130."""
    import signal

    signal.signal(signal.SIGINT, _interrupted)
