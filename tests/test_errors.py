"""Bad input: one line per problem, file:line:column, exit 1, no traceback."""

from __future__ import annotations

import json

import pytest

from .conftest import cli

VALID = """\
name: Test programme
organisation: A council
price_base: 2019/20
periods: [2018/19, 2019/20]
unit_costs: ../unit_costs/children-social-care.csv
funding:
  - name: Grant
    amount: 1000
cost_lines:
  - name: Training
    budget: {2018/19: 500, 2019/20: 500}
    actual: {2018/19: 400, 2019/20: 450}
outcomes:
  - id: lac
    measure: Looked-after children
    baseline: 10
    follow_up: 9
    unit_cost: lac-year
real_terms: false  # as published: the tests on this base are not about prices (test_real_terms, test_meanings are)
"""


def run_text(write_scenario, text):
    return cli("run", write_scenario(text))


def test_the_valid_base_runs(write_scenario):
    result = run_text(write_scenario, VALID)
    assert result.exit_code == 0, result.stderr
    assert "Net cost" in result.stdout and "£1,000" in result.stdout


@pytest.mark.parametrize(
    ("old", "new", "where", "fragment"),
    [
        ("amount: 1000", 'amount: "1.000,50"', "8:13", "is not an amount cba can read; write a number such as 1234.56"),
        ("amount: 1000", "amount: -5", "8:13", "funding[0].amount: must not be negative"),
        ("amount: 1000", "amount: true", "8:13", "got a boolean"),
        ("amount: 1000", "amount: .inf", "8:13", "not a finite number"),
        ("amount: 1000", "amount: .NaN", "8:13", "not a finite number"),
        ("amount: 1000", "amount: 2019-01-01", "8:13", "got a date"),
        ("amount: 1000", "amount: 10.005", "8:13", "more than two decimal places"),
        ("amount: 1000", "amount: [1, 2]", "8:13", "got a list"),
        ("amount: 1000", "amount:", "8:12", "got nothing"),
        ("  - name: Training\n", "  - name: Training\n    colour: red\n", "11:5", "unknown key 'colour' in cost_lines[0]"),
        ("name: Test programme", "nmae: Test programme", "1:1", "unknown key 'nmae' (did you mean 'name'?)"),
        ("organisation: A council\n", "", "1:1", "missing required key 'organisation'"),
        ("{2018/19: 500,", "{2017/18: 500,", "11:14", "period 2017/18 is not one of the scenario's periods (2018/19, 2019/20)"),
        ("unit_cost: lac-year", "unit_cost: lac-yr", "18:16", "unknown unit cost 'lac-yr' in "),
        ("baseline: 10", "baseline: ten", "16:15", "'ten' is not an amount cba can read; write a number such as 480"),
        ("  - name: Training\n", "  - name: Training\n    kind: bogus\n", "11:11", "Input should be 'direct', 'unplanned', 'committed' or 'in_kind' (got 'bogus')"),
        ("periods: [2018/19, 2019/20]", "periods: [2018/19, 2019/21]", "4:20", "'2019/21' is not a period; write a financial year (2024/25), a quarter of one (2024/25 Q1"),
        ("periods: [2018/19, 2019/20]", "periods: [2019/20, 2018/19]", "4:10", "periods must be listed in time order"),
        ("name: Test programme", "name: Test programme\nname: Again", "2:1", "duplicate key 'name' (first given on line 1)"),
        ("cost_lines:\n", "cost_lines: &lines\n", None, None),  # an anchor alone is harmless
        ("outcomes:\n", "extra: *lines\noutcomes:\n", "13:8", "YAML alias *lines is not allowed"),
        ("name: Test programme", "name: [Test", "2:13", "YAML syntax error"),
        ("  - name: Grant\n", "  - name: Grant\n\tfunder: x\n", "8:1", "tabs"),
        ("unit_cost: lac-year", "unit_cost: lac-year\n    attributable: maybe", "19:19", "outcomes[0].attributable"),
        ("amount: 1000", "amount: !!binary aGVsbG8=", "8:13", "unsupported YAML tag"),
    ],
)
def test_bad_scenario_gives_one_positioned_line(write_scenario, old, new, where, fragment):
    assert old in VALID
    text = VALID.replace(old, new, 1)
    if old == "outcomes:\n":
        text = text.replace("cost_lines:\n", "cost_lines: &lines\n", 1)
    result = run_text(write_scenario, text)
    if where is None:
        assert result.exit_code == 0, result.stderr
        return
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    path, line, column, message = lines[0].split(":", 3)
    assert path.endswith("s.yaml")
    assert f"{line}:{column}" == where, lines[0]
    assert fragment in message, lines[0]


def test_every_problem_is_reported_not_just_the_first(write_scenario):
    text = VALID.replace("amount: 1000", "amount: -1").replace("baseline: 10", "baseline: x")
    result = run_text(write_scenario, text)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 2


def test_pound_sign_and_thousands_separators_are_accepted(write_scenario):
    result = run_text(write_scenario, VALID.replace("amount: 1000", 'amount: "£1,000.50"'))
    assert result.exit_code == 0, result.stderr
    assert "£1,000.50" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1:1: file is empty"),
        (b"   \n\n", "1:1: file is empty"),
        (b"name: caf\xe9\n", "1:10: not UTF-8 text (byte 0xe9)"),
        (b"- a\n- b\n", "1:1: expected a mapping of scenario keys"),
        (b"just text\n", "1:1: expected a mapping of scenario keys"),
    ],
)
def test_unreadable_files(write_scenario, content, message):
    result = run_text(write_scenario, content)
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(message) or message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_file_and_directory(tmp_path):
    missing = cli("run", tmp_path / "nope.yaml")
    assert missing.exit_code == 1 and missing.stderr.strip() == f"{tmp_path / 'nope.yaml'}:1:1: no such file"
    directory = cli("run", tmp_path)
    assert directory.exit_code == 1 and directory.stderr.strip() == f"{tmp_path}:1:1: is a directory, expected a file"


def test_unknown_attributable_outcome_is_an_error(write_scenario):
    result = cli("run", write_scenario(VALID), "--attributable", "lacc")
    assert result.exit_code == 2  # a command-line mistake, like an unknown option
    assert "--attributable lacc: no outcome with that id in" in result.stderr
    assert "(did you mean 'lac'?)" in result.stderr
    for command in ("export", "whatif", "breakeven", "simulate"):
        extra = {"export": ["-o", "x.xlsx"], "whatif": ["--vary", "lac=-1"]}.get(command, [])
        again = cli(command, write_scenario(VALID), "-a", "lacc", *extra)
        assert again.exit_code == 2 and "(did you mean 'lac'?)" in again.stderr, command


def test_command_line_misuse_exits_2(write_scenario):
    assert cli("run", write_scenario(VALID), "--format", "xml").exit_code == 2
    assert cli("run").exit_code == 2
    assert cli("frobnicate").exit_code == 2


def test_billion_laughs_is_rejected_quickly(write_scenario):
    import time

    rows = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    rows += [f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]" for i in range(1, 10)]
    start = time.perf_counter()
    result = run_text(write_scenario, "\n".join(rows) + "\n")
    elapsed = time.perf_counter() - start
    assert result.exit_code == 1
    assert "YAML alias *a0 is not allowed" in result.stderr
    assert elapsed < 5  # expanded, this document holds 9**10 strings


def test_oversized_file_is_refused_before_parsing(write_scenario):
    from cba.io.files import MAX_FILE_BYTES

    result = run_text(write_scenario, "# " + "x" * MAX_FILE_BYTES + "\n")
    assert result.exit_code == 1
    assert "the limit is" in result.stderr


def test_missing_unit_cost_table_points_at_the_key(write_scenario):
    result = run_text(write_scenario, VALID.replace("children-social-care.csv", "nope.csv"))
    assert result.exit_code == 1
    assert ":5:13: unit-cost table ../unit_costs/nope.csv not found" in result.stderr


def test_a_diagnostic_is_always_one_line():
    from cba.model.errors import Diagnostic

    text = str(Diagnostic("f.yaml", 3, 4, "bad 'a\nb\x85c\u2028d\x00'"))
    assert text.splitlines() == [text]
    assert text == "f.yaml:3:4: bad 'a\\u000ab\\u0085c\\u2028d\\u0000'"


def test_implausibly_large_figures_are_refused(write_scenario):
    result = run_text(write_scenario, VALID.replace("amount: 1000", "amount: 2000000000000").replace("baseline: 10", "baseline: 1.0e+28"))
    assert result.exit_code == 1
    assert "implausibly large; the limit is £1,000,000,000,000" in result.stderr
    assert "implausibly large; the limit is 1,000,000,000" in result.stderr


def test_suggestions_come_from_the_names_valid_at_that_place(write_scenario):
    # 'deadweight' belongs to outcomes: in a cost line it is unknown, and nothing there is close to it.
    text = VALID.replace("  - name: Training\n", "  - name: Training\n    deadweight: 0.2\n", 1)
    result = cli("run", write_scenario(text))
    assert result.exit_code == 1
    assert "unknown key 'deadweight' in cost_lines[0]" in result.stderr and "did you mean" not in result.stderr
    # 'unit_cost' on a cost line is most likely a units x price line's price
    text = VALID.replace("  - name: Training\n", "  - name: Training\n    unit_cost: lac-year\n", 1)
    assert "(did you mean 'units'?)" in cli("run", write_scenario(text)).stderr
    # in an outcome, a near miss is suggested from the outcome's own keys
    near = cli("run", write_scenario(VALID.replace("unit_cost: lac-year", "unit_cots: lac-year")))
    assert "unknown key 'unit_cots' in outcomes[0] (did you mean 'unit_cost'?)" in near.stderr


@pytest.mark.parametrize(("ask", "message"), [
    ("appraisal.discount_rat=0.05", "'discount_rat' is not a setting of appraisal (did you mean 'discount_rate'?)"),
    ("outcomes.lacc.deadweight=0.2", "no item 'lacc' in outcomes (did you mean 'lac'?)"),
    ("outcomes.lac.deadwieght=0.2", "'deadwieght' is not a setting of outcomes.lac (did you mean 'deadweight'?)"),
    ("name.first=x", "name is a single value, not a group of settings"),
    ("outcomes.lac.deadweight=1.5", "deadweight: must be between 0 and 1"),
])
def test_set_keys_are_checked_against_the_format(write_scenario, ask, message):
    result = cli("run", write_scenario(VALID), "--set", ask)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_set_reaches_list_items_by_id_and_loads_what_it_names(write_scenario, tmp_path):
    data = json.loads(cli("run", write_scenario(VALID), "--set", "outcomes.lac.attributable=true", "-f", "json").stdout)
    assert data["outcomes"][0]["attributable"] is True
    missing = cli("run", write_scenario(VALID), "--set", "unit_costs=../unit_costs/missing.csv")
    assert missing.exit_code == 1 and "unit-cost table ../unit_costs/missing.csv not found" in missing.stderr
