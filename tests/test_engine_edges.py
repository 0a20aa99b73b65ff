"""Paths of the arithmetic that mutation testing found unchecked (issue 19), each with its figure worked by hand.

Most call the engine's pure functions directly, so that they are fast enough to run once per mutant.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from cba.engine.appraisal import Figures, percent, reconcile
from cba.engine.timeline import discount_factors, payback_period
from cba.io.files import shipped
from cba.io.reference_data import DEFAULT_SCHEDULE, load_schedule
from cba.model.money import parse_amount
from cba.model.scenario import Scenario
from cba.render.format import fmt_gbp

from .conftest import DORSET, cli
from .test_green_book import BASE, DEFLATOR, EXAMPLE, STANDARD, pennies

Z = D(0)


# Payback ---------------------------------------------------------------------------------------------

def test_payback_counts_all_spend_so_far_not_only_this_years():
    # £100 spent in year 0 only; £60 back in years 1 and 2 (undiscounted flows). Cumulative: -100, -40, +20,
    # so it pays back in year 2, at 2 + 40 / 60. The year of the crossing has no spend of its own: what matters
    # is that something was spent by then.
    assert payback_period([D(100), Z, Z], [Z, D(60), D(60)]) == 2 + D(40) / D(60)


def test_benefits_before_any_spend_are_not_payback():
    # £50 of benefit in year 0 before anything is spent; £100 spent and £100 back in year 1. The cumulative is
    # never negative, but payback starts only once there is spend: year 1, from a non-negative start, so 1.
    assert payback_period([Z, D(100)], [D(50), D(100)]) == 1


def test_a_crossing_exactly_at_a_year_end():
    # £100 in year 0, £100 back in year 1: the cumulative is exactly 0 at the end of year 1: paid back at 2.0
    # (1 + 100 / 100), since "at or above zero" includes zero; nothing later undoes it.
    assert payback_period([D(100), Z, Z], [Z, D(100), Z]) == 2


def test_a_crossing_undone_later_is_not_payback():
    # -100, +20 (year 1), then -30 (a cost of 50 in year 2): it ends below zero, so there is none.
    assert payback_period([D(100), Z, D(50)], [Z, D(120), Z]) is None


# Discounting past year 30 ----------------------------------------------------------------------------

def test_discount_factors_step_down_after_year_30():
    # Green Book schedule: 3.5% for years 0-30, 3.0% for 31-75. DF_30 = 1.035^-30 (year 30 is still in the first
    # band); DF_32 = DF_30 / 1.03^2.
    schedule = load_schedule(shipped(DEFAULT_SCHEDULE))
    factors = discount_factors(33, schedule)
    assert abs(factors[30] - 1 / D("1.035") ** 30) < D("1e-24")
    assert abs(factors[32] - 1 / D("1.035") ** 30 / D("1.03") ** 2) < D("1e-24")
    health = discount_factors(33, schedule, "health")
    assert abs(health[31] - 1 / D("1.015") ** 30 / D("1.0129")) < D("1e-24")


def test_no_schedule_and_no_rate_is_undiscounted():
    assert discount_factors(4, None) == [1, 1, 1, 1]
    assert discount_factors(3, None, flat_rate=D("0.1")) == [1, 1 / D("1.1"), 1 / D("1.1") / D("1.1")]


# Variances and reconciliation -------------------------------------------------------------------------

def test_variance_percent_and_its_sign():
    # budget 200, actual 150 in 2019/20: variance -50 (an underspend), -25%; 2020/21 budget 0, actual 10:
    # +10 with no percentage (nothing to divide by).
    f = Figures("x", {"2019/20": D(200), "2020/21": Z}, {"2019/20": D(150), "2020/21": D(10)})
    assert f.variance == -40 and f.variance_pct == D(-20)  # (160 - 200) / 200 over both years
    assert f.period_variance("2019/20") == -50 and f.period_variance_pct("2019/20") == -25
    assert f.period_variance("2020/21") == 10 and f.period_variance_pct("2020/21") is None
    assert percent(D(1), D(3)) == D(100) / D(3)


def _scenario(**extra) -> Scenario:
    base = {"name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20"],
            "net_position_basis": "actual",
            "cost_lines": [{"name": "A", "actual": {"2019/20": 100}},
                           {"name": "B", "actual": {"2019/20": 250}, "published": {"actual": 249}}]}
    return Scenario.model_validate(base | extra)


def test_every_published_line_is_checked_after_one_without_published_figures():
    from cba.engine.appraisal import line_figures

    s = _scenario()
    lines = [line_figures(line, s.periods) for line in s.cost_lines]
    checks = reconcile(s, lines)
    assert [c.label for c in checks] == ["B (direct): actual total"]
    # printed 249 against a computed 250: £1 out is a disagreement, not "near enough"
    assert checks[0].difference == -1 and not checks[0].agrees


def test_dorset_rsw_managers_pound_difference_is_reported():
    # Table 5 prints RSW Managers at 36,909; its cells sum to 36,910.
    data = json.loads(cli("run", DORSET, "--format", "json").stdout)
    check = next(c for c in data["reconciliation"]["checks"] if c["label"] == "RSW Managers (direct): actual total")
    assert (check["published"], check["computed"], check["difference"], check["agrees"]) == (
        "36909.00", "36910.00", "-1.00", False)


# Green Book costs on the budget basis, uprating off, a price year not stated, no discounting ------------

def test_budget_basis_costs_are_the_budget_all_uplifted_as_a_forecast():
    # Edge of care on the budget: 300,000 + 60,000 (2020/21), 300,000 + 40,000 (2021/22), 300,000 + 40,000
    # (2022/23), each in real terms (x 102.0 / 95.825, x 102.0 / 95.25, x 1) and all of it +10% (grade 3): a
    # budget is a forecast. The committed line has no budget.
    a = json.loads(cli("run", EXAMPLE, "--basis", "budget", "--format", "json").stdout)["appraisal"]
    real = [D(360000) * BASE / DEFLATOR["2020/21"], D(340000) * BASE / DEFLATOR["2021/22"], D(340000)]
    expected = [r * D("1.1") for r in real]
    assert [pennies(c) for c in a["costs_after_optimism_bias"][:3]] == [pennies(c) for c in expected]
    assert pennies(a["pv_costs"]) == pennies(sum((c * df for c, df in zip(expected, STANDARD)), Z))


def test_uprating_off_leaves_unit_costs_and_costs_as_written():
    # Dorset, discounted but not uprated: lac-year stays £58,664 (its 2019 prices, not brought to 2019/20), and
    # 60 fewer in 2018/19 (year 2) are worth 60 x 58,664 / 1.035^2.
    a = json.loads(cli("run", DORSET, "-a", "lac", "--set", "appraisal.discounting=green_book",
                       "--format", "json").stdout)["appraisal"]
    lac = next(b for b in a["benefits"] if b["outcome"] == "lac")
    assert lac["uprating_factor"] == "1.000000" and a["real_terms"] is False
    assert pennies(lac["pv"]) == pennies(D(60 * 58664) / D("1.035") ** 2)
    assert a["costs_real"] == a["costs"]


def test_a_price_year_not_stated_is_taken_as_the_price_base_with_a_warning(tmp_path):
    (tmp_path / "t.csv").write_text(
        "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
        "case,A case,per case,1000,not stated,Local Authority,fiscal,true,3,hand-made\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("""\
name: Not stated
organisation: Test
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: none, uprate: true}
cost_lines: [{name: Team, actual: {2020/21: 500}}]
outcomes: [{id: a, measure: Cases, baseline: 3, follow_up: 1, unit_cost: case, attributable: true}]
""", encoding="utf-8")
    a = json.loads(cli("run", tmp_path / "s.yaml", "--format", "json").stdout)["appraisal"]
    # 2 cases x £1,000, factor 1; undiscounted, so PV = the sums: 2,000 - 500
    assert a["benefits"][0]["uprating_factor"] == "1.000000"
    assert a["net_present_public_value"] == "1500.00" and a["discount_factors"]["standard"] == ["1.000000"]
    assert "(warning: not stated; taken as the price base)" in cli("run", tmp_path / "s.yaml").stdout


def test_a_flat_rate_is_named_in_the_notes():
    data = json.loads(cli("run", EXAMPLE, "--set", "appraisal.discount_rate=0.05", "--format", "json").stdout)
    assert "Discounted at a flat 5.00%; year 0 (2020/21) is undiscounted." in data["notes"]
    assert D(data["appraisal"]["discount_factors"]["health"][2]) == round(1 / D("1.05") ** 2, 6)  # health too


# Break-even ------------------------------------------------------------------------------------------

def test_break_even_worth_of_one_placement_by_hand():
    # One placement achieved (cohort basis), NPV basis: 150,000 x 102.0 / 95.825 (uprating) x 0.8 x 0.9
    # (additionality) x (1 - 0.05) (grade 2) x (DF_1 + 0.9 DF_2 + 0.81 DF_3) (three years from year 1,
    # dropping 10% a year).
    data = json.loads(cli("breakeven", EXAMPLE, "--format", "json").stdout)
    row = next(r for r in data["tables"]["npv"]["rows"] if r["input"] == "placements")
    timing = STANDARD[1] + D("0.9") * STANDARD[2] + D("0.81") * STANDARD[3]
    per_unit = D(150000) * BASE / DEFLATOR["2020/21"] * D("0.72") * D("0.95") * timing
    assert pennies(row["per_unit"]) == pennies(per_unit)


def test_an_outcome_worth_nothing_per_unit_has_no_switching_value():
    # 100% deadweight: one unit is worth £0, so no volume covers the cost (and nothing divides by zero).
    result = cli("breakeven", EXAMPLE, "--set", "placements.deadweight=1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    row = next(r for r in json.loads(result.stdout)["tables"]["npv"]["rows"] if r["input"] == "placements")
    assert row["switching_value"] is None and row["per_unit"] == "0.00"


def test_npv_switching_value_of_a_unit_cost_by_hand():
    # The % change in eoc-placement that brings the NPV to zero: -NPV / (PV of the benefits priced with it) x 100.
    data = json.loads(cli("run", EXAMPLE, "--format", "json").stdout)
    a = data["appraisal"]
    placements = next(b for b in a["benefits"] if b["outcome"] == "placements")
    switch = next(s for s in data["cost_switching_values"] if s["input"] == "eoc-placement" and s["basis"] == "npv")
    expected = -D(a["net_present_public_value"]) / D(placements["pv"]) * 100
    assert abs(D(switch["percent"]) - expected) < D("0.00001")


def test_a_non_attributable_outcome_has_no_present_value():
    a = json.loads(cli("run", DORSET, "--green-book", "--format", "json").stdout)["appraisal"]
    lac = next(b for b in a["benefits"] if b["outcome"] == "lac")
    assert lac["counted"] is False and lac["pv"] == "0.00" and lac["values"][2] != "0.00"


def test_an_unpriced_outcome_counts_for_nothing_even_when_attributable_and_graded(tmp_path, write_scenario):
    from .test_errors import VALID

    text = VALID.replace("outcomes:\n", "outcomes:\n  - {id: morale, measure: Staff morale, baseline: 1, follow_up: 2, "
                                        "attributable: true, optimism_bias: {grade: 6}}\n", 1)
    before = json.loads(cli("run", write_scenario(VALID), "--format", "json").stdout)
    after = json.loads(cli("run", write_scenario(text, "b.yaml"), "--format", "json").stdout)
    assert after["net_position"] == before["net_position"]


# Money -----------------------------------------------------------------------------------------------

def test_a_float_from_yaml_is_read_by_its_shortest_repr_not_its_binary_value():
    assert parse_amount(0.1) == D("0.1") and parse_amount(1234.56) == D("1234.56")


def test_display_rounds_half_up_and_never_shows_minus_zero():
    assert fmt_gbp(D("0.125")) == "£0.13"  # half-even would give £0.12
    assert fmt_gbp(D("2.5"), pence=False) == "£3"  # half-even would give £2
    assert fmt_gbp(D("-0.001")) == "£0" and fmt_gbp(D("-0.4"), pence=False) == "£0"
    assert fmt_gbp(D("-1234.5")) == "-£1,234.50"


@pytest.mark.parametrize("text", ["-£1,234.56", "£1,234.56", "1234.56"])
def test_amounts_people_type(text):
    assert abs(parse_amount(text)) == D("1234.56") and (parse_amount(text) < 0) == text.startswith("-")
