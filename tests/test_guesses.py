"""Natural wrong guesses get a message that names the fix (issue 31, item 4, part), through the console script."""

from __future__ import annotations

import pytest

from .conftest import DORSET, ROOT, cli


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["run", DORSET, "--set", "discount_rate=0.035"], "(did you mean 'appraisal.discount_rate'?)"),
        (["run", DORSET, "-a", "LAC"], "(did you mean 'lac'?)"),
        (["whatif", DORSET, "--vary", "LAC=-10"], "'lac'"),
    ],
)
def test_a_setting_or_id_guessed_by_its_last_part_or_case_is_named(args, hint):
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert hint in result.stderr


def test_a_scenario_named_by_a_prefix_is_suggested(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = cli("run", "dorset")
    assert result.exit_code == 1
    assert result.stderr == "dorset:1:1: no such file (did you mean scenarios/dorset-rsw.yaml?)\n"


def test_simulate_without_ranges_points_to_a_section_that_exists():
    import re

    result = cli("simulate", DORSET)
    assert result.exit_code == 1
    section = re.search(r"see the README, '([^']+)'", result.stderr)
    assert section is not None, result.stderr
    headings = [line.lstrip("#").strip() for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    assert section.group(1) in headings


def test_vary_values_written_apart_get_the_vary_as_meant():
    result = cli("whatif", DORSET, "--vary", "lac=-10", "-30", "-60")
    assert result.exit_code == 2
    assert result.stderr == ("cba: -30 stands alone: a --vary's values are written together, separated by commas: "
                             "--vary lac=-10,-30,-60\n")
    assert cli("whatif", DORSET, "--vary", "lac=-10,-30,-60").exit_code == 0
