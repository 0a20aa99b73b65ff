"""Reading input files whole, with the checks every input needs."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cba.model.errors import Diagnostic, InputError
from cba.model.source import Source

#: Data shipped with cba: unit-cost tables and reference series (see unit_costs/SOURCES.md).
DATA_DIR = Path(__file__).resolve().parent.parent.parent / "unit_costs"
#: The table used when neither the scenario nor --unit-costs names one.
BUNDLED_UNIT_COSTS = DATA_DIR / "children-social-care.csv"

def bundled_costs() -> Path:
    """The bundled unit-cost table, named relative to the working directory when it lies below it."""
    return shipped(BUNDLED_UNIT_COSTS)


def shipped(path: Path) -> Path:
    """A shipped file named relative to the working directory when it lies below it, so outputs stay short."""
    return Path(os.path.relpath(path)) if path.is_relative_to(Path.cwd()) else path


#: Input files larger than this are refused before parsing (a scenario is a few KiB;
#: a 5,000-entry unit-cost table is under 1 MiB).
MAX_FILE_BYTES = 8 * 1024 * 1024


def read_source(path: Path, display: str | None = None, *, with_hash: bool = True) -> Source:
    """Read a whole input file as UTF-8 text, refusing what cannot be an input."""
    name = display or str(path)

    def fail(message: str, line: int = 1, column: int = 1) -> InputError:
        return InputError([Diagnostic(name, line, column, message)])

    if not path.exists():
        raise fail("no such file")
    if path.is_dir():
        raise fail("is a directory, expected a file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8",
            line,
            column,
        ) from None
    if not text.strip():
        raise fail("file is empty")
    return Source(name, path, text, hashlib.sha256(data).hexdigest() if with_hash else "")

