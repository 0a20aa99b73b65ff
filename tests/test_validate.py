"""`cba validate`, and the promise that cba never changes its inputs."""

from __future__ import annotations

import os

from .conftest import BUNDLED_COSTS, DORSET, cli
from .test_errors import VALID


def test_validate_reports_every_file_and_every_problem(write_scenario, tmp_path):
    good = write_scenario(VALID, "good.yaml")
    bad = write_scenario(VALID.replace("amount: 1000", "amount: -1").replace("baseline: 10", "baseline: x"), "bad.yaml")
    table = tmp_path / "bad.csv"
    table.write_text(BUNDLED_COSTS.read_text(encoding="utf-8").replace(",fiscal,", ",fiskal,", 1), encoding="utf-8")
    result = cli("validate", good, bad, table, DORSET, BUNDLED_COSTS)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    problems = [l for l in lines if not l.startswith("ok: ")]
    csv_line = table.read_text(encoding="utf-8").splitlines()[1]
    fiskal_column = csv_line.index(",fiskal,") + 2  # 1-based, after the comma
    assert [":".join(p.split(": ", 1)[0].split(":")[-2:]) for p in problems] == [
        "8:13", "16:15", f"2:{fiskal_column}"
    ]
    assert problems[0].startswith(str(bad)) and problems[2].startswith(str(table))
    assert f"ok: {good}" in lines and f"ok: {DORSET}" in lines and f"ok: {BUNDLED_COSTS}" in lines


def test_validate_passes_clean_files():
    result = cli("validate", DORSET, BUNDLED_COSTS)
    assert result.exit_code == 0
    assert result.stdout == ""


def test_no_command_modifies_its_inputs(write_scenario, tmp_path):
    scenario = write_scenario(VALID)
    table = scenario.parent.parent / "unit_costs" / "children-social-care.csv"
    before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in (scenario, table)}
    for args in (("run", scenario), ("run", scenario, "--format", "json"), ("validate", scenario, table),
                 ("costs", "--unit-costs", table), ("export", scenario, "-o", tmp_path / "o.xlsx"),
                 ("run", scenario, "--xlsx", tmp_path / "o2.xlsx")):
        assert cli(*args).exit_code == 0, args
    assert {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in (scenario, table)} == before
