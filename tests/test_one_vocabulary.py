"""One input, one name, one value, one sign: ``--set``, ``--vary``, ``uncertainty:`` and ``breakeven`` agree.

The scenario is test_errors.VALID: looked-after children 10 -> 9 (a change of -1) at £58,664 a child-year
(lac-year, 2019 prices, used as written), a grant of £1,000, spend of £850. With the outcome counted as
attributable, the net position against the grant is -change x 58,664 - 1,000.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from .conftest import cli
from .test_errors import VALID
from .test_sweeps import rows, table

LAC = D(58664)
GRANT = D(1000)
ATTRIBUTABLE = VALID.replace("    unit_cost: lac-year\n", "    unit_cost: lac-year\n    attributable: true\n")


def net(data) -> D:
    return D(data["headlines"]["net_position"]["value"])


def by_hand(change: D) -> D:
    return -change * LAC - GRANT  # a fall saves: -(-3) x 58,664 - 1,000


@pytest.mark.parametrize("change", ["-10", "-3", "0", "4"])
def test_one_change_gives_one_figure_through_every_command(write_scenario, change):
    """The same change, written the same way (a fall of 3 is -3), through run --set, whatif --vary and
    simulate over a range that is one point; each gives the hand-worked net position."""
    path = write_scenario(ATTRIBUTABLE)
    expected = by_hand(D(change))
    assert net(rows("run", path, "--set", f"lac={change}")) == expected
    assert table(rows("whatif", path, "--vary", f"lac={change}"), "whatif")[0]["net_position"] == expected
    ranged = write_scenario(
        ATTRIBUTABLE + f"uncertainty:\n  outcomes:\n    lac:\n      change: "
        f"{{distribution: triangular, low: {change}, mode: {change}, high: {change}}}\n",
        "ranged.yaml",
    )
    percentiles = table(rows("simulate", ranged, "--draws", "200"), "percentiles")
    assert {r["net_position"] for r in percentiles} == {expected}


def test_breakeven_writes_the_change_as_the_other_commands_do(write_scenario):
    """Break-even is where the change brings the net position to 0: 1,000 / 58,664 = 0.017046 fewer, a change
    of -0.017046, written -1 as the scenario has it; setting that change gives a net position of £0.00."""
    path = write_scenario(ATTRIBUTABLE)
    row = table(rows("breakeven", path), "net_position")[0]
    assert row["input"] == "lac"
    assert row["switching_value"] == D("-0.017046")  # -(1,000 / 58,664) to 6 places
    assert row["as_written"] == D(-1)
    exact = -GRANT / LAC
    assert net(rows("run", path, "--set", f"lac={exact}")) == D("0.00")
    text = cli("breakeven", path).stdout
    assert "change, follow-up - baseline" in text


def test_a_percentage_of_a_change_is_a_share_of_the_baseline(write_scenario):
    """lac=-30% is 30% fewer than the baseline of 10: a change of -3, in --set and --vary alike."""
    path = write_scenario(ATTRIBUTABLE)
    assert net(rows("run", path, "--set", "lac=-30%")) == by_hand(D(-3)) == D(174992)
    data = rows("whatif", path, "--vary", "lac=-30%,-10%")
    assert [r["vary_lac"] for r in table(data, "whatif")] == [D(-3), D(-1)]
    assert any("share of the baseline (10)" in n for n in data["notes"])


def test_set_takes_every_input_vary_takes_with_the_same_value(write_scenario):
    path = write_scenario(ATTRIBUTABLE)
    # a unit cost at its own price year: 1 x 60,000 - 1,000; or 10% less than written: 52,797.60 - 1,000
    assert net(rows("run", path, "--set", "lac-year=60000")) == D(59000)
    assert net(rows("run", path, "--set", "lac-year=-10%")) == D("51797.60")
    vary = table(rows("whatif", path, "--vary", "lac-year=-10%"), "whatif")[0]["net_position"]
    assert vary == D("51797.60")
    # an optimism bias is a share in both: 58,664 x (1 - 0.1) - 1,000
    assert net(rows("run", path, "--set", "lac.optimism_bias=0.1")) == D("51797.60")
    assert net(rows("run", path, "--set", "lac.optimism_bias=10%")) == D("51797.60")
    # a cost line's spend 40% lower: actual 400 + 450 = 850 -> 510; on the actual basis, 58,664 - 510
    cut = rows("run", path, "--set", "costs.0=-0.4", "--basis", "actual")
    assert D(cut["headlines"]["actual_total"]["value"]) == D(510)
    assert net(cut) == D(58154)


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        ("lac=abc", "--set lac: 'abc' is not a number (or a number and %)"),
        ("costs.0=-2", "--set costs.0: a change in spend must be at least -1 (-1 is -100%); got -2"),
        ("lac.optimism_bias=3", "--set lac.optimism_bias: a share must be within 0 and 1 (0% and 100%); got 3"),
        ("lac=-11", "--set lac: a change of -11 takes the count below 0 (baseline 10)"),
        ("lac-yr=1", "(did you mean 'lac-year'?)"),
        ("lac-year=-1", "--set lac-year: a unit cost must lie between £0 and £"),
    ],
)
def test_set_refuses_an_input_out_of_bounds_in_the_words_vary_uses(write_scenario, ask, message):
    result = cli("run", write_scenario(ATTRIBUTABLE), "--set", ask)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("costs.0", "-2", "costs.0: a change in spend must be at least -1 (-1 is -100%); got -2"),
        ("lac.optimism_bias", "3", "lac.optimism_bias: a share must be within 0 and 1 (0% and 100%); got 3"),
    ],
)
def test_set_and_vary_refuse_the_same_value_in_the_same_words(write_scenario, key, value, message):
    path = write_scenario(ATTRIBUTABLE)
    for option, command in (("--set", "run"), ("--vary", "whatif")):
        result = cli(command, path, option, f"{key}={value}")
        assert result.exit_code == 2 and result.stderr.strip() == f"cba: {option} {message}", result.stderr


def test_the_bounds_of_an_input_are_its_own_and_named_for_what_it_is(write_scenario):
    """A share may be 1 exactly (all of it would have happened anyway); a lag is whole years, and the message lists
    only the values that are not; a line's uplift is 'the value', at least 0, not 'a change in spend'."""
    path = write_scenario(ATTRIBUTABLE)
    assert cli("whatif", path, "--vary", "lac.deadweight=0,1").exit_code == 0
    assert net(rows("run", path, "--set", "lac.optimism_bias=1")) == -GRANT  # nothing left of the benefit
    lag = cli("whatif", path, "--vary", "lac.timing.start_year=1,1.5")
    assert lag.stderr.strip() == "cba: --vary lac.timing.start_year: whole years only; got 1.5"
    uplift = cli("run", path, "--set", "costs.0.optimism_bias=-1")
    assert uplift.stderr.strip() == "cba: --set costs.0.optimism_bias: the value must be at least 0; got -1"
    share = cli("run", path, "--set", "lac.optimism_bias=-0.5")
    assert share.stderr.strip() == "cba: --set lac.optimism_bias: a share must be within 0 and 1 (0% and 100%); got -0.5"


def test_a_value_too_large_to_reckon_with_is_refused_by_both_options(write_scenario):
    """'1e999999%' of a unit cost would overflow the exact arithmetic (a traceback before): both options refuse
    anything beyond the trillion a scenario itself may hold, in one line."""
    path = write_scenario(ATTRIBUTABLE)
    for option, command in (("--set", "run"), ("--vary", "whatif")):
        result = cli(command, path, option, "lac-year=1e999999%")
        assert result.exit_code == 2 and "Traceback" not in result.stderr, result.stderr
        assert result.stderr.strip().endswith("'1e999999' is implausibly large; the limit is 1,000,000,000,000")


def test_plain_number_takes_the_limits_own_edges_and_refuses_past_them():
    """--set and --vary numbers: up to LIMIT (10^12) either way, and no smaller than 1e-30 (issue 33): a step of
    1e-999999999 overflowed the count of a range. A refused text is shown by its first 40 characters."""
    from decimal import Decimal

    from cba.model.errors import UsageError
    from cba.model.inputs import LIMIT, plain_number

    assert plain_number(str(LIMIT)) == LIMIT and plain_number(f"-{LIMIT}") == -LIMIT
    assert plain_number("1e-30") == Decimal("1e-30") and plain_number("0") == 0
    for text, message in ((str(LIMIT + 1), "implausibly large"), ("1e-31", "implausibly small")):
        with pytest.raises(UsageError, match=message):
            plain_number(text)
    for text in ("9" * 50, "0." + "0" * 47 + "1"):
        with pytest.raises(UsageError) as refused:
            plain_number(text)
        assert f"'{text[:40]}'" in str(refused.value)


def test_set_takes_a_written_value_by_the_name_vary_gives_it(write_scenario):
    """scenario/ID.value, the name whatif and uncertainty: give a value written in the scenario, is a --set key
    too, with the same value: kept's £2,000 (2022/23 prices, the price base) set to £2,500, one child kept in
    2023/24 and none in 2024/25 at no cost: an NPV of £2,500 / 1.035 = £2,415.46 both ways; -10% is £1,800."""
    text = """\
name: Written value
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2022/23: 0}}
outcomes:
  - id: kept
    measure: Children kept out of care
    volumes: {2023/24: 1}
    value: {amount: 2000, price_year: 2022/23, source: Illustrative}
    attributable: true
"""
    path = write_scenario(text)
    assert rows("run", path, "--set", "scenario/kept.value=2500")["headlines"]["npv"]["value"] == "2415.46"
    vary = table(rows("whatif", path, "--vary", "scenario/kept.value=2500"), "whatif")[0]["npv"]
    assert vary == D("2415.46")
    assert rows("run", path, "--set", "scenario/kept.value=-10%")["headlines"]["npv"]["value"] == "1739.13"
    refused = cli("run", path, "--set", "scenario/kept.value=-3000")
    assert refused.exit_code == 2 and "a value must not be negative" in refused.stderr
