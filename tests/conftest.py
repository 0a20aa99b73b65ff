from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
DORSET = ROOT / "scenarios" / "dorset-rsw.yaml"
BUNDLED_COSTS = ROOT / "unit_costs" / "children-social-care.csv"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def cli(*args: str) -> Result:
    """Run the real typer app in-process, keeping stdout and stderr apart."""
    from cba.cli.app import app

    result = CliRunner().invoke(app, [str(a) for a in args], prog_name="cba")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


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
