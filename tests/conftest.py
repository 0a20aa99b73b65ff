from __future__ import annotations

import contextlib
import gc
import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DORSET = ROOT / "scenarios" / "dorset-rsw.yaml"
BUNDLED_COSTS = ROOT / "unit_costs" / "children-social-care.csv"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def cli(*args: object) -> Result:
    """Run the console script's own entry point (``cba.cli.entry:main``) in-process, stdout and stderr apart.

    This is the door users use: the fast paths in ``entry`` and the typer app behind them.
    """
    import signal

    from cba.cli.entry import main

    handler = signal.getsignal(signal.SIGINT)  # the console script installs its own Ctrl-C handler
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["cba", *(str(a) for a in args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = saved
        signal.signal(signal.SIGINT, handler)
        gc.enable()  # the console script turns the collector off for its short life; pytest's process is long
    return Result(code, out.getvalue(), err.getvalue())


def run_json(path: Path, *args: object) -> dict:
    """``cba run PATH --format json ARGS``, which must succeed: its document."""
    import json

    result = cli("run", path, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def only_problem(path: Path) -> str:
    """``cba validate`` on a scenario with one problem: that problem's one line (exit 1, nothing else said)."""
    result = cli("validate", path)
    assert result.exit_code == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture(autouse=True, scope="session")
def _no_terminal_size_from_the_runner():
    """pytest-xdist's workers are given COLUMNS=80 and LINES=24 (execnet sets them); a piped cba then prints
    80 columns, not the 160 the tests expect. A test that wants a width sets it itself (monkeypatch)."""
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


@pytest.fixture
def dorset_text() -> str:
    return DORSET.read_text(encoding="utf-8")


@pytest.fixture
def write_scenario(tmp_path):
    """Write scenario text beside a copy of the bundled unit-cost table; return its path."""
    (tmp_path / "unit_costs").mkdir(exist_ok=True)
    (tmp_path / "unit_costs" / "children-social-care.csv").write_bytes(BUNDLED_COSTS.read_bytes())
    (tmp_path / "scenarios").mkdir(exist_ok=True)

    def write(text: str | bytes, name: str = "s.yaml") -> Path:
        path = tmp_path / "scenarios" / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
