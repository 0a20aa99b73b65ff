"""Variants that remove and merge (issue 30, item 3): ``remove:`` leaves an inherited item out by id, and an
outcome's ``values:`` with ids merge by id. Each figure is worked by hand from the base as written."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.conftest import cli

BASE = """name: Base
organisation: Anytown Council
price_base: 2019/20
periods: [2019/20]
net_position_basis: actual
cost_lines:
  - {id: workers, name: Family workers, actual: {2019/20: 100000}}
  - {id: venue, name: Venue hire, actual: {2019/20: 20000}}
outcomes:
  - id: lac
    measure: Children kept out of care
    volumes: {2019/20: 2}
    attributable: true
    values:
      - {id: council, label: care, value: {amount: 50000, unit: per child, price_year: 2019/20, agency: Local Authority, source: t}}
      - {id: health, label: health, value: {amount: 5000, unit: per child, price_year: 2019/20, agency: NHS, source: t}}
  - id: nfa
    measure: Referrals closed with no further action
    volumes: {2019/20: 10}
    value: {amount: 100, unit: per referral, price_year: 2019/20, source: t}
"""


def run(tmp_path, child: str):
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    path = tmp_path / "child.yaml"
    path.write_text("extends: base.yaml\n" + child, encoding="utf-8")
    result = cli("run", path, "--format", "json")
    return result, (json.loads(result.stdout) if result.exit_code == 0 else None)


def test_remove_leaves_out_a_cost_line_and_an_outcome(tmp_path):
    result, document = run(tmp_path, "remove: [venue, nfa]\n")
    assert result.exit_code == 0, result.stderr
    assert [line["label"] for line in document["costs"]["lines"]] == ["Family workers"]
    assert document["headlines"]["actual_total"]["value"] == "100000.00"  # 120,000 less the venue's 20,000
    assert {o["id"] for o in document["outcomes"]} == {"lac"}  # a row per value: care and health
    assert document["headlines"]["attributable_benefits"]["value"] == "110000.00"  # 2 x (50,000 + 5,000)


def test_a_removed_id_can_come_back_as_a_new_item(tmp_path):
    result, document = run(
        tmp_path,
        "remove: [venue]\ncost_lines:\n  - {id: venue, name: Community hall, actual: {2019/20: 5000}}\n",
    )
    assert result.exit_code == 0, result.stderr
    assert [line["label"] for line in document["costs"]["lines"]] == ["Family workers", "Community hall"]
    assert document["headlines"]["actual_total"]["value"] == "105000.00"


def test_values_with_ids_merge_by_id(tmp_path):
    # health's value doubles, a social value is added; council's stays: 2 x (50,000 + 10,000 + 1,000)
    result, document = run(
        tmp_path,
        "outcomes:\n  - id: lac\n    values:\n"
        "      - {id: health, value: {amount: 10000}}\n"
        "      - {id: social, label: wellbeing, value: {amount: 1000, unit: per child, price_year: 2019/20,"
        " agency: Other, value_type: social, source: t}}\n",
    )
    assert result.exit_code == 0, result.stderr
    benefits = document["outcomes"]
    assert [o["attributable_value"] for o in benefits if o["id"] == "lac"] == ["100000.00", "20000.00", "2000.00"]
    # nfa is not attributable: it adds nothing
    assert Decimal(document["headlines"]["attributable_benefits"]["value"]) == 2 * (50000 + 10000 + 1000)


def test_remove_names_what_it_cannot_find_at_the_id(tmp_path):
    result, _ = run(tmp_path, "remove: [venu]\n")
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"{tmp_path / 'child.yaml'}:2:10: remove: {tmp_path / 'base.yaml'} has no item with id 'venu' (did you mean 'venue'?)"
    )
    result, _ = run(tmp_path, "remove: {outcome: [nfa]}\n")
    assert "has no list 'outcome' (did you mean 'outcomes'?)" in result.stderr


def test_remove_without_extends_is_refused(tmp_path):
    path = tmp_path / "alone.yaml"
    path.write_text(BASE + "remove: [venue]\n", encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    line = BASE.count("\n") + 1  # the remove key, where it is written
    assert result.stderr.strip() == (
        f"{path}:{line}:1: remove works with extends: it leaves out items of the scenario extended"
    )


def test_a_value_id_given_twice_is_refused(tmp_path):
    path = tmp_path / "twice.yaml"
    path.write_text(BASE.replace("{id: health,", "{id: council,"), encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path}:16:14: value id 'council' is used twice"  # at the second id's value


MONEY = """name: Money by period
organisation: Anytown Council
price_base: 2019/20
periods: [2019/20, 2020/21]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2019/20: 40000}}
outcomes:
  - id: savings
    measure: Placement savings
    amounts: {2019/20: 30000, 2020/21: 20000}
    value: {price_year: 2019/20, agency: Local Authority, value_type: fiscal, source: "Finance team, 2021"}
    attributable: true
"""


def test_an_outcome_given_as_money_by_period(tmp_path):
    """Issue 30, item 3: the published benefit in pounds by year, written as it is published."""
    path = tmp_path / "m.yaml"
    path.write_text(MONEY, encoding="utf-8")
    result = cli("run", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    headlines = {k: v["value"] for k, v in document["headlines"].items()}
    assert headlines["attributable_benefits"] == "50000.00"  # 30,000 + 20,000
    assert headlines["net_position"] == "10000.00"  # less the £40,000 spent
    pv = Decimal(30000) + Decimal(20000) / Decimal("1.035")  # the second year discounted at 3.5%
    assert headlines["pv_benefits"] == f"{pv.quantize(Decimal('0.01'))}"  # 49323.67
    assert document["unit_costs_used"][0]["source"] == "Finance team, 2021"  # its provenance, as written


def test_money_by_period_is_refused_without_its_provenance_or_with_an_amount(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        MONEY.replace(
            '    value: {price_year: 2019/20, agency: Local Authority, value_type: fiscal, source: "Finance team, 2021"}\n',
            "",
        ),
        encoding="utf-8",
    )
    result = cli("validate", path)
    assert result.exit_code == 1 and "amounts in pounds need value: with their price_year" in result.stderr
    path.write_text(MONEY.replace("value: {price_year", "value: {amount: 5, price_year"), encoding="utf-8")
    result = cli("validate", path)
    # at the amount's value (column 21), not its key
    assert result.stderr.strip() == f"{path}:13:21: with amounts, the value has no amount: the amounts are the money"
    path.write_text(
        MONEY.replace("    amounts: {2019/20: 30000, 2020/21: 20000}\n", "    volumes: {2019/20: 3}\n"),
        encoding="utf-8",
    )
    result = cli("validate", path)
    # at the value as written (line 13, its mapping at column 12), not at its key
    assert result.stderr.strip() == (
        f"{path}:13:12: give the value's amount (the value of one unit, in pounds); leave it out only when the "
        "outcome is already money: amounts: by period, or arms: means in pounds"
    )


PROVENANCE = (
    '    value: {price_year: 2019/20, agency: Local Authority, value_type: fiscal, source: "Finance team, 2021"}\n'
)
VOLUMES = ("    amounts: {2019/20: 30000, 2020/21: 20000}\n", "    volumes: {2019/20: 3}\n")


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        (  # no provenance: at the amounts key
            [(PROVENANCE, "")],
            "12:5: amounts in pounds need value: with their price_year, agency, value_type and source "
            "(and no amount: the amounts are the money)",
        ),
        (  # a timing beside amounts: at the timing as written
            [("    attributable: true\n", "    attributable: true\n    timing: {start_year: 1}\n")],
            "15:13: amounts by year already say when the benefit falls; remove timing",
        ),
        (  # a year before the programme: at that year's key
            [("amounts: {2019/20: 30000,", "amounts: {2018/19: 5, 2019/20: 30000,")],
            "12:15: ",
        ),
        (  # one of several values without an amount: at that value
            [(PROVENANCE, '    values:\n      - {value: {price_year: 2019/20, source: "x"}}\n'), VOLUMES],
            "14:17: give the value's amount (the value of one unit, in pounds)",
        ),
    ],
    ids=["no-provenance", "timing", "early-year", "values-without-amount"],
)
def test_money_by_period_problems_are_placed_where_written(tmp_path, edits, expected):
    text = MONEY
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "m.yaml"
    path.write_text(text, encoding="utf-8")
    found = [line.removeprefix(f"{path}:") for line in cli("validate", path).stderr.strip().splitlines()]
    assert any(f.startswith(expected) for f in found), found


def test_a_value_id_given_twice_after_one_without_an_id_is_refused(tmp_path):
    """A value without an id is passed over, not the end of the search: the twice-given id after it is found."""
    path = tmp_path / "twice-later.yaml"
    first = "      - {id: council, label: care,"
    text = BASE.replace("{id: health,", "{id: council,").replace(
        first, "      - {label: other, value: {amount: 1, unit: per child, price_year: 2019/20, source: t}}\n" + first, 1)
    path.write_text(text, encoding="utf-8")
    result = cli("validate", path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path}:17:14: value id 'council' is used twice"
