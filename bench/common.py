"""What every benchmark here shares: the repository root, the `cba` command, a wall-clock timer."""

from __future__ import annotations

import compileall
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
