"""Write output files so that a failure never leaves a half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterable
from pathlib import Path

from cba.model.errors import Interrupted, OutputError

#: Mode bits exist on POSIX only; elsewhere (Windows) a new file takes its folder's permissions.
POSIX = os.name == "posix"


def new_file_mode() -> int | None:
    """The mode a program's new file gets under the current umask (0644 under 0022); None off POSIX."""
    if not POSIX:
        return None
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def through_link(path: Path) -> Path:
    """Where a write to ``path`` lands: through a symbolic link to the file it names, as ``>`` in a shell
    writes (--force replaced the link itself). A link that loops is refused."""
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))
    if target.is_symlink():  # realpath stops where a loop begins
        raise OutputError(f"{path}: a symbolic link that loops; cba writes through a link only to a file")
    return target


def check_target(path: Path, *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Refuse to write over an input, over anything but a regular file, or over a file without --force.

    A symbolic link is judged by what it leads to (``through_link``)."""
    path = through_link(path)
    for source in inputs:
        if path.exists() and source.exists() and os.path.samefile(path, source):
            raise OutputError(f"{path}: is one of the input files; choose another output name")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory; give a file name such as {path / 'appraisal.xlsx'}")
    if path.exists() and not path.is_file():
        raise OutputError(f"{path}: is not a regular file (a device, pipe or socket); cba writes only regular files")
    if path.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputError(f"{path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise OutputError(f"{path}: cannot write in {parent} (permission denied)")


def write_atomically(path: Path, write: Callable[[Path], object], *, force: bool, inputs: Iterable[Path] = ()) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it into place.

    The rename is atomic on one filesystem: readers see the old file or the new
    one, never a part. If ``write`` fails, the temporary file is removed and any
    existing file at ``path`` is untouched.
    """
    check_target(path, force=force, inputs=inputs)
    path = through_link(path)  # the temporary file beside the file written, so the rename stays on one drive
    parent = path.parent if str(path.parent) else Path(".")
    temp: Path | None = None
    try:
        # The handlers first, then the temporary file: a signal between the two would leave it behind.
        with signals_end_the_work(), _unraisable_held() as held:
            temp = _temporary(path, parent)
            write(temp)
            with open(temp, "rb") as written:
                os.fsync(written.fileno())
            # mkstemp makes the file owner-only; give it the mode any program's file gets (or keep the mode
            # of the file it replaces), so colleagues on a shared drive can open it.
            mode = new_file_mode() if not path.exists() else (path.stat().st_mode & 0o7777 if POSIX else None)
            if mode is not None:
                os.chmod(temp, mode)
            if force:
                os.replace(temp, path)
            else:
                _create_exclusively(temp, path)
    except OutputError:
        _remove(temp)
        raise
    except FileExistsError:
        _remove(temp)
        raise OutputError(
            f"{path}: already exists (another program wrote it meanwhile); use --force to overwrite it"
        ) from None
    except OSError as exc:
        message = f"{path}: cannot write ({exc.strerror or exc})"
        _discard_quietly(exc)
        _remove(temp)
        raise OutputError(message) from None
    except Exception as exc:
        reason = _write_failure(exc)
        _remove(temp)
        if reason is None:
            raise
        _discard_quietly(exc)
        raise OutputError(f"{path}: cannot write ({reason})") from None
    except BaseException:
        _remove(temp)
        raise
    held.release()


def _write_failure(exc: BaseException) -> str | None:
    """Why a write failed, when the failure is the disk's or the OS's but arrives as another exception:
    lxml (openpyxl's serialiser) reports a file-size limit as SerialisationError('IO_EFBIG')."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError):
            return seen.strerror or str(seen)
        if type(seen).__name__ == "SerialisationError":
            code = str(seen).removeprefix("IO_")
            number = getattr(errno, code, None)
            return os.strerror(number) if number is not None else f"the file could not be written: {code}"
        seen = seen.__cause__ or seen.__context__
    return None


class _Held:
    """Unraisable exceptions (a half-written zip file's generator complaining as it is collected) held
    during a write: printed after a write that succeeds, dropped after one that fails, which is
    reported in one line."""

    def __init__(self) -> None:
        self.items: list[object] = []
        self.hook = sys.unraisablehook

    def release(self) -> None:
        for item in self.items:
            self.hook(item)  # type: ignore[arg-type]
        self.items.clear()


@contextlib.contextmanager
def _unraisable_held():
    held = _Held()
    sys.unraisablehook = held.items.append
    try:
        yield held
    finally:
        sys.unraisablehook = held.hook


def _remove(temp: Path | None) -> None:
    if temp is not None:
        temp.unlink(missing_ok=True)


def _temporary(path: Path, parent: Path) -> Path:
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write ({exc.strerror or exc})") from None
    os.close(handle)
    return Path(temp_name)


def _discard_quietly(exc: BaseException) -> None:
    """Free what a failed write left open without a second report: on a full disk, the writer's
    half-closed zip file complains again when it is collected ('Exception ignored in ZipFile.__del__')."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        exc.__traceback__ = None
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _create_exclusively(temp: Path, path: Path) -> None:
    """Put ``temp`` at ``path`` only if nothing is there: a hard link fails if the name is taken, so two
    writers cannot both 'win'. Where links are not supported (some network and FAT drives), a
    no-replace check and rename is the fallback."""
    try:
        os.link(temp, path)
    except FileExistsError:
        raise
    except (OSError, NotImplementedError, AttributeError):
        if path.exists():
            raise FileExistsError(path) from None
        os.replace(temp, path)
        return
    temp.unlink()


@contextlib.contextmanager
def signals_end_the_work():
    """SIGTERM and SIGHUP end the work like Ctrl-C does (an exception), so temporary files are removed
    (a write's file; a portfolio's staging folder, and its workers stopped)."""

    def stop(signum, frame):
        raise Interrupted(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):  # SIGHUP does not exist on Windows
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            previous[number] = signal.signal(number, stop)
        except ValueError:  # not the main thread: signals cannot be caught here
            pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
