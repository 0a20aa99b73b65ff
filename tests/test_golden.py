"""Consistency test (a face against itself over time, not against a source): every bundled scenario,
through every command and face, prints exactly what it printed when ``tests/golden/outputs`` was
recorded. It guards reorganisations of the code that must change no output; the figures themselves
are checked against the report and hand calculations elsewhere."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "golden"))

import record  # noqa: E402
from cases import BAD, cases  # noqa: E402


@pytest.mark.parametrize(("name", "args"), cases(), ids=[n for n, _ in cases()])
def test_output_is_unchanged(name: str, args: list[str]) -> None:
    expected = (record.OUTPUTS / f"{name}.txt").read_text()
    assert record.run_case(name, args) == expected


@pytest.mark.parametrize("name", sorted(BAD))
def test_problems_are_unchanged(name: str) -> None:
    expected = (record.OUTPUTS / f"bad.{name}.txt").read_text()
    assert record.run_bad(name, BAD[name]) == expected
