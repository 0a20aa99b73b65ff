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
    section = re.search(r"see the documentation, (docs/[\w./-]+), '([^']+)'", result.stderr)
    assert section is not None, result.stderr
    page = ROOT / section.group(1)
    headings = [line.lstrip("#").strip() for line in page.read_text(encoding="utf-8").splitlines()
                if line.startswith("#")]
    assert section.group(2) in headings


def test_vary_values_written_apart_get_the_vary_as_meant():
    result = cli("whatif", DORSET, "--vary", "lac=-10", "-30", "-60")
    assert result.exit_code == 2
    assert result.stderr == ("cba: -30 stands alone: a --vary's values are written together, separated by commas: "
                             "--vary lac=-10,-30,-60\n")
    assert cli("whatif", DORSET, "--vary", "lac=-10,-30,-60").exit_code == 0


def test_a_bare_year_for_a_price_base_names_the_financial_years_it_may_mean(write_scenario):
    from .test_errors import VALID

    result = cli("validate", write_scenario(VALID.replace("price_base: 2019/20", "price_base: 2019")))
    assert result.exit_code == 1
    assert result.stderr.endswith("price_base: 2019 is a calendar year; write the financial year, 2019/20 "
                                  "(April 2019 to March 2020) or 2018/19\n")


def test_a_thousands_comma_inside_a_flow_map_is_explained(write_scenario):
    from .test_errors import VALID

    text = VALID.replace("budget: {2018/19: 500, 2019/20: 500}", "budget: {2018/19: 150,000, 2019/20: 500}")
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1
    assert "'000' is not a period: inside {...} a comma separates entries, so a figure with a thousands comma" \
        in result.stderr


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_the_bundled_table_names_are_never_cut(monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", columns)
    result = cli("costs", "--list-tables")
    assert result.exit_code == 0
    for name in ("children-social-care", "edge-of-care-example"):
        assert f"│ {name} " in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", DORSET, "--draws", "5"], "run has no --draws; it is an option of cba options, cba report, cba simulate."),
        (["breakeven", DORSET, "--outcome", "lac"], "breakeven has no --outcome. Its options: --attributable,"),
        (["run", DORSET, "--forc"], "run has no --forc (did you mean --force?)."),
        (["run", DORSET, "--basis", "actuals"], "--basis actuals: not one of funding, actual, budget (did you mean 'actual'?)"),
        (["run", DORSET, "--format=jsn"], "--format jsn: not one of table, json, csv (did you mean 'json'?)"),
    ],
)
def test_an_option_guessed_wrong_names_the_fix(args, expected):
    result = cli(*args)
    assert result.exit_code == 2
    assert expected in result.stderr, result.stderr
    assert "Possible options" not in result.stderr and "Value error" not in result.stderr
