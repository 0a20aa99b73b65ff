"""Reading input files whole, with the checks every input needs."""

from __future__ import annotations

import csv
import hashlib
import os
import stat
from pathlib import Path

from cba.model.errors import Diagnostic, InputError
from cba.model.limits import MOST_INPUT_BYTES, whole_number
from cba.model.source import Source


def shipped_folder(name: str) -> Path:
    """A folder of data shipped with cba: inside the installed package (a wheel puts ``unit_costs/``
    and ``schema/`` there), or at the top of a source checkout (an editable install)."""
    # Beside this module's package, not through importlib.resources: cba is never imported from a zip,
    # and importlib.resources costs a plain run 5 ms of imports (tempfile, shutil, zipfile).
    package = Path(__file__).resolve().parent.parent
    packaged = package / name
    if packaged.is_dir():
        return packaged
    return package.parent / name


#: Data shipped with cba: unit-cost tables and reference series (see unit_costs/SOURCES.md).
DATA_DIR = shipped_folder("unit_costs")
#: The table used when neither the scenario nor --unit-costs names one.
BUNDLED_UNIT_COSTS = DATA_DIR / "children-social-care.csv"
#: Bundled unit-cost tables a scenario can name without a path (``unit_costs: children-social-care``).
BUNDLED_TABLES = ("children-social-care", "edge-of-care-example", "wellbeing-and-health")
BUNDLED_PREFIX = "bundled:"


def bundled_table(name: str) -> Path | None:
    """The path of a bundled table named ``NAME`` or ``bundled:NAME``; None if the text is not such a name."""
    bare = name.removeprefix(BUNDLED_PREFIX)
    if bare in BUNDLED_TABLES:
        return DATA_DIR / f"{bare}.csv"
    return None


def option_table(path: Path) -> Path:
    """A table given on the command line (--unit-costs): a file if one exists there, else a bundled table by name."""
    if not path.exists():
        found = bundled_table(str(path))
        if found is not None:
            return shipped(found)
    return path


def looks_like_a_name(text: str) -> bool:
    """A table reference with no folder and no extension (or with the bundled: prefix) is meant as a name."""
    return text.startswith(BUNDLED_PREFIX) or ("/" not in text and "\\" not in text and "." not in text)


def bundled_costs() -> Path:
    """The bundled unit-cost table, named relative to the working directory when it lies below it."""
    return shipped(BUNDLED_UNIT_COSTS)


def shipped(path: Path) -> Path:
    """A shipped file named relative to the working directory when it lies below it, so outputs stay short."""
    return Path(os.path.relpath(path)) if path.is_relative_to(Path.cwd()) else path


def beside(scenario: Path, given: str) -> Path:
    """A file a scenario names, relative to the scenario's folder, resolved as the OS resolves it.

    ``..`` after a symbolic link goes up from the link's target, not from the link: a scenario in
    ``real/sub`` run as ``lnk/s.yaml`` (``lnk -> real/sub``) names ``real/costs.csv`` by ``../costs.csv``.
    The short spelling (``normpath``) is kept for messages and provenance whenever it is the same file.
    """
    written = Path(os.path.normpath(scenario.parent / given))
    try:
        actual = Path(os.path.realpath(scenario)).parent / given
        same = os.path.realpath(written) == os.path.realpath(actual)
    except (OSError, ValueError):  # a NUL in the name: read_source reports it
        return written
    return written if same else actual


#: Input files larger than this are refused before reading (a scenario is a few KiB; a
#: 5,000-entry unit-cost table is under 1 MiB). CBA_MAX_INPUT_BYTES raises or lowers it.
DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FILE_BYTES = DEFAULT_MAX_FILE_BYTES


def max_file_bytes() -> int:
    """The input size limit: CBA_MAX_INPUT_BYTES when set to a whole number of bytes up to 1 TiB, else 8 MiB
    (cba.cli.environment has already dropped, and noted, any other value)."""
    return whole_number(os.environ.get("CBA_MAX_INPUT_BYTES", ""), MOST_INPUT_BYTES) or MAX_FILE_BYTES


def _nearby(path: Path) -> str:
    """' (did you mean scenarios/dorset-rsw.yaml?)' for a name that begins a file beside it or in a
    scenarios folder there (``cba report dorset``), else ''."""
    stem = path.name.lower()
    if not stem:
        return ""
    found = []
    for folder in (path.parent, path.parent / "scenarios"):
        try:
            found += [
                p
                for p in sorted(folder.iterdir(), key=lambda p: (len(p.name), p.name))  # the shortest: dorset-rsw.yaml
                if p.name.lower().startswith(stem)
                and p.is_file()
                and p.suffix.lower() in (".yaml", ".yml", ".csv", ".xlsx")
            ]
        except OSError:
            continue
    if not found:
        return ""
    from cba.model.errors import one_line

    shown = os.path.relpath(found[0]) if found[0].is_relative_to(Path.cwd()) else str(found[0])
    return f" (did you mean {one_line(shown, 200)}?)"


def read_source(path: Path, display: str | None = None, *, with_hash: bool = True) -> Source:
    """Read a whole input file as UTF-8 text, refusing what cannot be an input."""
    name = display or str(path)

    def fail(message: str, line: int = 1, column: int = 1) -> InputError:
        return InputError([Diagnostic(name, line, column, message)])

    limit = max_file_bytes()
    # csv refuses a field over 131,072 characters (a traceback); a field can never be longer than its file.
    csv.field_size_limit(max(csv.field_size_limit(), limit))
    try:
        status = path.stat()  # follows links: a link to /dev/zero is a device
    except FileNotFoundError:
        raise fail(f"no such file{_nearby(path)}") from None
    except OSError as exc:  # a link loop (ELOOP), a name over the OS's limit (ENAMETOOLONG), ...
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    except ValueError:  # Python refuses a NUL before the OS sees the name
        raise fail("the file name contains a NUL character") from None
    if stat.S_ISDIR(status.st_mode):
        raise fail("is a directory, expected a file")
    if not stat.S_ISREG(status.st_mode):
        raise fail("is not a regular file (a device, pipe or socket); cba reads only regular files")
    if status.st_size > limit:
        raise fail(
            f"file is {status.st_size:,} bytes; the limit is {limit:,} bytes (set CBA_MAX_INPUT_BYTES to change it)"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)  # a file that grows while read is still capped
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise fail(f"file is over {limit:,} bytes, the limit (set CBA_MAX_INPUT_BYTES to change it)")
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
