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
    problems = result.stderr.strip().splitlines()
    lines = result.stdout.strip().splitlines()  # what passed is the answer: stdout
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
    assert result.stdout.splitlines() == [f"ok: {DORSET}", f"ok: {BUNDLED_COSTS}"] and result.stderr == ""


def test_no_command_modifies_its_inputs(write_scenario, tmp_path):
    scenario = write_scenario(VALID)
    table = scenario.parent.parent / "unit_costs" / "children-social-care.csv"
    before = {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in (scenario, table)}
    for args in (("run", scenario), ("run", scenario, "--format", "json"), ("validate", scenario, table),
                 ("costs", "--unit-costs", table), ("export", scenario, "-o", tmp_path / "o.xlsx"),
                 ("run", scenario, "--xlsx", tmp_path / "o2.xlsx")):
        assert cli(*args).exit_code == 0, args
    assert {p: (p.read_bytes(), os.stat(p).st_mtime_ns) for p in (scenario, table)} == before


def test_every_problem_in_a_file_is_reported_in_one_pass(write_scenario):
    # A period outside the scenario's periods and an unknown unit cost: both, not the first stage only.
    path = write_scenario(VALID.replace("actual: {2018/19: 400", "actual: {2017/18: 400").replace(
        "unit_cost: lac-year", "unit_cost: lac-yeer"))
    result = cli("validate", path)
    assert result.exit_code == 1
    assert [line.split(": ", 1)[0].split(":", 1)[1] for line in result.stderr.splitlines()] == ["12:14", "18:16"]
    assert "period 2017/18 is not one of the scenario's periods (2018/19, 2019/20)" in result.stderr
    assert "unknown unit cost 'lac-yeer'" in result.stderr and "did you mean 'lac-year'?" in result.stderr
    # A value that does not fit the model does not hide the unknown unit cost either.
    path = write_scenario(VALID.replace("baseline: 10", "baseline: ten").replace("unit_cost: lac-year",
                                                                                 "unit_cost: lac-yeer"))
    lines = cli("validate", path).stderr.splitlines()
    assert len(lines) == 2 and "16:15" in lines[0] and "18:16" in lines[1] and "lac-yeer" in lines[1]


def test_counts_cannot_be_negative(write_scenario):
    result = cli("validate", write_scenario(VALID.replace("follow_up: 9", "follow_up: -5")))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        ":17:16: outcomes[0].follow_up: a count cannot be negative (got -5); give the number of cases, 0 or more")


def test_a_table_qualified_id_suggests_the_table_that_holds_it(write_scenario):
    result = cli("validate", write_scenario(VALID.replace("unit_cost: lac-year", "unit_cost: local/lac-year")))
    assert result.exit_code == 1
    assert ("unknown unit cost 'local/lac-year': 'lac-year' is not in table 'local' but is in children-social-care; "
            "write children-social-care/lac-year (or just lac-year)") in result.stderr
