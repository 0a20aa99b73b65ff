"""`cba solve`: goal seek, checked against hand calculations from the Dorset report's own figures.

Dorset (Appendix 3): funding £1,849,537; a looked-after child £58,664 a year (GMCA, 2019 prices), the
change counted once. The net position against funding with lac attributable is 58,664 x (-change) -
1,849,537, so it is £X where change = -(1,849,537 + X) / 58,664.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import DORSET, ROOT, cli

EDGE = ROOT / "scenarios" / "edge-of-care-example.yaml"
SIX = Decimal("0.000001")


def _solved(*args: object) -> dict:
    return _document(*args)[0]


def _document(*args: object) -> tuple[dict, list[str]]:
    """The one row of the goal-seek table, and the notes."""
    result = cli("solve", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    (table,) = document["tables"].values()
    (row,) = table["rows"]
    return row, document["notes"]


def test_the_notes_say_the_range_and_how_the_value_was_found():
    _, linear = _document(DORSET, "--vary", "lac", "--so", "net_position=0")
    assert linear[0].endswith("the input may range from -480 to no upper bound.")  # no follow-up below 0
    assert linear[1].startswith("Solved exactly from the straight line through two runs of the engine")
    assert linear[1].endswith("cba run --set lac=-31.527632.")
    written = json.loads(cli("run", EDGE, "--format", "json").stdout)["headlines"]["npv"]["value"]
    half = (Decimal(written) / 2).quantize(Decimal(1))
    _, curved = _document(EDGE, "--vary", "appraisal.discount_rate", "--so", f"npv={half}")
    assert curved[0].endswith("the input may range from 0 to 1.")
    assert curved[1].startswith("Found as break-even finds a lag, duration, drop-off or rate")


@pytest.mark.parametrize("target", ["0", "1000000", "-250000.50"])
def test_fewer_looked_after_children_for_a_net_position(target):
    row = _solved(DORSET, "--vary", "lac", "--so", f"net_position={target}")
    change = (-(Decimal(1_849_537) + Decimal(target)) / Decimal(58_664)).quantize(SIX, rounding=ROUND_HALF_UP)
    assert Decimal(row["solved"]) == change
    assert Decimal(row["as_written"]) == -60
    assert Decimal(row["figure_as_written"]) == Decimal("1670303.00")  # 60 x 58,664 - 1,849,537
    # the figure at the value shown, by hand: what cba run --set lac=<that value> gives, to the penny
    at = (Decimal(58_664) * -change - Decimal(1_849_537)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert Decimal(row["figure_at_solved"]) == at
    assert Decimal(row["per_unit"]) == Decimal(-58_664)  # each child fewer (a change of -1) adds £58,664


def test_break_even_is_goal_seek_at_zero():
    """Consistency between two commands: breakeven's switching value is solve's at net_position=0."""
    document = json.loads(cli("breakeven", DORSET, "--format", "json").stdout)
    rows = {r["input"]: r for r in document["tables"]["net_position"]["rows"]}
    solved = Decimal(_solved(DORSET, "--vary", "lac", "--so", "net_position=0")["solved"])
    assert Decimal(rows["lac"]["switching_value"]).quantize(SIX) == solved


def test_the_figure_at_the_solved_value_is_what_run_gives():
    """Consistency with cba run: a ratio target on the Green Book appraisal of edge of care."""
    row = _solved(EDGE, "--vary", "eoc-placement", "--so", "bcr=1.5")
    run = json.loads(cli("run", EDGE, "--set", f"eoc-placement={row['solved']}", "--format", "json").stdout)
    assert run["headlines"]["bcr"]["value"] == row["figure_at_solved"]
    assert abs(Decimal(row["figure_at_solved"]) - Decimal("1.5")) < Decimal("0.000001")


def test_a_discount_rate_is_found_by_the_search_break_even_uses():
    """A curved input: the NPV at the rate found is as run gives it, and within a pound of the target."""
    written = json.loads(cli("run", EDGE, "--format", "json").stdout)["headlines"]["npv"]["value"]
    target = (Decimal(written) / 2).quantize(Decimal(1))
    row = _solved(EDGE, "--vary", "appraisal.discount_rate", "--so", f"npv={target}")
    assert Decimal(row["solved"]) > Decimal("0.035")  # half the NPV needs a higher rate than the schedule's
    run = json.loads(
        cli("run", EDGE, "--set", f"appraisal.discount_rate={row['solved']}", "--format", "json").stdout
    )
    assert run["headlines"]["npv"]["value"] == row["figure_at_solved"]
    assert abs(Decimal(row["figure_at_solved"]) - target) < 1


def test_no_value_in_range_is_said_not_invented():
    # a net position of £100m needs 1,736 fewer children of a baseline of 480
    result = cli("solve", DORSET, "--vary", "lac", "--so", "net_position=100000000")
    assert result.exit_code == 0
    assert "No value: no value within the input's range reaches it." in " ".join(result.stdout.split())
    row = _solved(DORSET, "--vary", "lac", "--so", "net_position=100000000")
    assert row["solved"] is None and row["figure_at_solved"] is None


def test_a_figure_the_input_does_not_move():
    # on the funding basis a change in spend leaves the net position where it is
    result = cli("solve", DORSET, "--vary", "costs.0", "--so", "net_position=0")
    assert result.exit_code == 0
    assert "net_position does not move with costs.0" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--vary", "lac", "--so", "npv=0"], "--so npv: not a figure goal seek can aim at (it needs --green-book"),
        (["--vary", "lac", "--so", "net_positon=0"], "did you mean 'net_position'"),
        (["--vary", "lca", "--so", "net_position=0"], "--vary lca: not an input of this scenario"),
        (["--vary", "lac", "--so", "net_position"], "write FIGURE=VALUE"),
        (["--vary", "lac", "--so", "net_position="], "write FIGURE=VALUE"),
        (["--vary", "lac", "--so", "net_position=lots"], "net_position=lots"),
    ],
)
def test_a_wrong_ask_is_one_line_naming_the_fix(args, message):
    result = cli("solve", DORSET, *args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
    if "npv" not in args[-1]:
        assert "needs --green-book" not in result.stderr  # only a figure of the appraisal needs one


def test_a_unit_cost_may_fall_to_nothing_and_no_further():
    """Benefits of £0 need lac-year at £0 exactly (the bound); £-1 would need a unit cost below £0."""
    row = _solved(DORSET, "-a", "lac", "--vary", "lac-year", "--so", "attributable_benefits=0")
    assert Decimal(row["solved"]) == 0 and Decimal(row["figure_at_solved"]) == 0
    below = _solved(DORSET, "-a", "lac", "--vary", "lac-year", "--so", "attributable_benefits=-1")
    assert below["solved"] is None


def test_a_ratio_on_a_curved_input_is_what_run_gives():
    """The undiscounted BCR (benefits / funding) at a drop-off found by the grid search: consistency with run."""
    row = _solved(EDGE, "--vary", "placements.timing.drop_off", "--so", "benefit_cost_ratio=2")
    run = json.loads(
        cli("run", EDGE, "--set", f"placements.timing.drop_off={row['solved']}", "--format", "json").stdout
    )
    assert run["headlines"]["benefit_cost_ratio"]["value"] == row["figure_at_solved"]
    assert abs(Decimal(row["figure_at_solved"]) - 2) < Decimal("0.0001")


def test_a_ratio_without_a_cost_is_not_known_not_solved():
    """Every cost line cut by 100%: no cost to set the BCR against, so there is nothing to solve."""
    cut = [arg for i in range(4) for arg in ("--set", f"costs.{i}=-1")]
    result = cli("solve", EDGE, "--vary", "eoc-placement", "--so", "bcr=1.5", *cut)
    assert result.exit_code == 0, result.stderr
    assert "No value: bcr is not known for this scenario (no cost to set a ratio against)." in " ".join(
        result.stdout.split()
    )


def test_a_share_may_rise_to_all_and_no_further():
    """No benefits at all need a deadweight of 1 exactly (the top of a share's range); below £0 none can."""
    row = _solved(DORSET, "-a", "lac", "--vary", "lac.deadweight", "--so", "attributable_benefits=0")
    assert Decimal(row["solved"]) == 1 and Decimal(row["figure_at_solved"]) == 0
    assert _solved(DORSET, "-a", "lac", "--vary", "lac.deadweight", "--so", "attributable_benefits=-1")["solved"] is None


def test_whole_years_are_the_first_whole_year_past_the_crossing():
    """Edge of care's placements last 3 years (NPV £2,625,159.46); an NPV of £2m lies between 2 years
    (£1,667,714.28) and 3: going out from 3, the first whole year past it is 2 (as break-even counts)."""
    row, notes = _document(EDGE, "--vary", "placements.timing.duration", "--so", "npv=2000000")
    assert row["solved"] == "2" and row["figure_at_solved"] == "1667714.28"
    assert notes[1].endswith("whole years: the first whole year past the crossing.")
    run = json.loads(cli("run", EDGE, "--set", "placements.timing.duration=2", "--format", "json").stdout)
    assert run["headlines"]["npv"]["value"] == "1667714.28"


def test_a_year_of_given_volumes_is_straight():
    """Family support's police call-outs by year: the net position at the value found is as run gives it."""
    family = ROOT / "scenarios" / "family-support-example.yaml"
    row = _solved(family, "--vary", "police.volumes.2024/25", "--so", "net_position=0")
    run = json.loads(cli("run", family, "--set", f"police.volumes.2024/25={row['solved']}", "--format", "json").stdout)
    assert run["headlines"]["net_position"]["value"] == row["figure_at_solved"]
    assert abs(Decimal(row["figure_at_solved"])) < 1


def test_a_ratio_whose_denominator_moves_with_the_input():
    """The BCR against a cost line's change: benefits / costs is not straight in it, benefits - 2 x costs is."""
    row = _solved(EDGE, "--vary", "costs.0", "--so", "bcr=2")
    assert abs(Decimal(row["figure_at_solved"]) - 2) < Decimal("0.000001")


def test_what_if_settings_travel_with_the_answer_and_the_terminal_shows_rows():
    _, notes = _document(DORSET, "-a", "lac", "--vary", "lac-year", "--so", "net_position=0")
    assert notes[-1] == "What-if settings: lac counted as attributable (--attributable), where the scenario does not count it."
    shown = cli("solve", DORSET, "--vary", "lac", "--so", "net_position=0").stdout
    assert any(line.startswith("│ Solved value") for line in shown.splitlines())  # one figure a row, not one wide row
