"""What every benchmark here shares: the repository root, the `cba` command, a wall-clock timer."""

from __future__ import annotations

import argparse
import atexit
import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def prepare() -> None:
    """Compile cba's bytecode first. This workplace sets PYTHONDONTWRITEBYTECODE, so an editable
    install never gets .pyc files and every run would recompile cba; a normal install has them."""
    compileall.compile_dir(str(ROOT / "cba"), quiet=1)


def cba_command() -> list[str]:
    script = shutil.which("cba")
    return [script] if script else [sys.executable, "-m", "cba"]


def timed(cmd: list[str]) -> float:
    """Wall seconds for one run of a command from the repository root, output discarded."""
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.perf_counter() - start


#: Above this one-minute load average a ratio is mostly the other work on the machine: a benchmark refuses to
#: start unless told --noisy, and then says so beside its figures.
QUIET = 1.5


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min)"


def parser(description: str | None = None) -> argparse.ArgumentParser:
    """Every benchmark's options start with --noisy: measure even on a busy machine, and say so."""
    found = argparse.ArgumentParser(description=description)
    found.add_argument(
        "--noisy",
        action="store_true",
        help=f"run even when the 1-minute load average is above {QUIET} (the figures are then marked as noisy)",
    )
    return found


def begin(args: argparse.Namespace) -> None:
    """Print the load before and after; refuse to start on a busy machine unless --noisy."""
    one = os.getloadavg()[0]
    noisy = one > QUIET
    if noisy and not args.noisy:
        sys.exit(
            f"{load_average()}: above {QUIET}, so ratios would measure the other work; wait, or pass --noisy "
            "and quote the load with the figures"
        )
    print(f"at the start: {load_average()}" + (" -- NOISY: measured with --noisy" if noisy else ""), flush=True)
    atexit.register(lambda: print(f"at the end: {load_average()}", flush=True))
