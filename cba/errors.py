"""Problems found in user input, carried as values so that every one can be reported."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MAX_MESSAGE = 400


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file (line and column are 1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        # One problem, one line: control characters from the input are shown escaped.
        message = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", self.message)
        if len(message) > _MAX_MESSAGE:
            message = message[: _MAX_MESSAGE - 3] + "..."
        return f"{self.file}:{self.line}:{self.column}: {message}"


class InputError(Exception):
    """Input that cba cannot use; holds every problem found, not just the first."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class OutputError(Exception):
    """A file cba was asked to write cannot be written (message is one line)."""
