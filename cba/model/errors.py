"""Every error cba reports: one base class, three kinds, each with its exit code.

Problems in user input are carried as values (``Diagnostic``) so that every one
in a file can be reported, not just the first. The command line maps the kinds
to exit codes in one place (``cba.cli.app.reports_errors``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# C0, DEL, C1, line separators; and the invisible ones that reorder or hide text (bidi embeddings,
# overrides and isolates, zero-width spaces and joiners, the BOM): Trojan Source, CVE-2021-42574.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_MAX_MESSAGE = 400


def escape_controls(text: str) -> str:
    """Control characters (C0, C1, line separators, bidi, zero-width) shown escaped.

    None then reaches a terminal, splits a line or reorders one.
    """
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


#: What escape_controls escapes, less tab, line feed and carriage return: whitespace a page or a CSV cell keeps.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def escape_hidden(text: str) -> str:
    """Characters a reader cannot see that change what they read (C1, bidi overrides and isolates, zero-width,
    other C0 controls) shown escaped, for faces where line breaks stay text: a report page, a CSV cell."""
    return _HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Text for a one-line message: control characters shown escaped, length capped."""
    text = escape_controls(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class Interrupted(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP: the command stops, its temporary files removed, exit 128 + the signal.

    Not a KeyboardInterrupt, which click turns into "Aborted!" and exit 1 whatever the signal.
    """

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file (line and column are 1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # One problem, one line: control characters from the input are shown escaped.
        return f"{one_line(self.file, 200)}:{self.line}:{self.column}: {one_line(self.message)}"


class CbaError(Exception):
    """Base of every error cba reports to a person. ``exit_code`` says how the command ends."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What to print on stderr: one line per problem."""
        return [f"cba: {one_line(str(self))}"]


class InputError(CbaError):
    """Input that cba cannot use (exit 1); holds every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def lines(self) -> list[str]:
        return [str(d) for d in self.diagnostics]


class OutputError(CbaError):
    """A file cba was asked to write cannot be written (exit 1; message is one line)."""


class UsageError(CbaError, ValueError):
    """A command line that cannot be understood: an unknown id, a bad --vary or --set (exit 2). Several
    problems found together are several messages, each its own line."""

    exit_code = 2

    def __init__(self, *messages: str):
        self.messages = messages
        super().__init__("\n".join(messages))

    def lines(self) -> list[str]:
        return [f"cba: {one_line(m)}" for m in self.messages]


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word`` (the same letters in another case first), or None if none is close."""
    import difflib  # only when there is something to suggest

    names = sorted(set(candidates))
    same_letters = [name for name in names if name.casefold() == word.casefold()]  # LAC for lac
    close = same_letters or difflib.get_close_matches(word, names, n=1, cutoff=0.6)
    return close[0] if close else None


def suggest(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' when a close candidate exists, else ''."""
    near = closest(word, candidates)
    return f" (did you mean '{one_line(near, 80)}'?)" if near is not None else ""
