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
    # £50 of benefit in year 0 before anything is spent; £100 spent at the start of year 1 and £100 back through
    # it. The £50 does not count as payback; after year 1's costs the cumulative is 50 - 100 = -50, made good
    # halfway through the year: 1 + 50 / 100 = 1.5.
    assert payback_period([Z, D(100)], [D(50), D(100)]) == D("1.5")


def test_a_crossing_exactly_at_a_year_end():
    # £100 in year 0, £100 back in year 1: the cumulative is exactly 0 at the end of year 1: paid back at 2.0
    # (1 + 100 / 100), since "at or above zero" includes zero; nothing later undoes it.
    assert payback_period([D(100), Z, Z], [Z, D(100), Z]) == 2


def test_benefits_before_spend_then_a_small_cost():
    # 50p of benefit in year 0 with nothing spent; 25p spent at the start of year 1: the cumulative is still
    # +25p after it, so it pays back in year 1 itself (from a start at or above zero), not by interpolating.
    assert payback_period([Z, D("0.25")], [D("0.5"), Z]) == 1


def test_paid_back_within_the_first_year():
    # A year's costs at its start, its benefits through it: 50p spent against £1 back in year 0 pays back halfway
    # through it (0.5 / 1 = 0.5); £100 against £100 pays back at the year's end (100 / 100 = 1.0); £145,000
    # against £174,000 (care proceedings, all in year 0) at 145 / 174 = 0.833 years, not at 0.
    assert payback_period([D("0.5")], [D(1)]) == D("0.5")
    assert payback_period([D(100)], [D(100)]) == 1
    assert payback_period([D(145000)], [D(174000)]) == D(145000) / D(174000)


def test_a_crossing_undone_within_a_later_year_is_not_payback():
    # £100 spent in year 0, £150 back: paid back at 100 / 150 = 0.67. £100 more spent at the start of year 1 takes
    # the cumulative from +50 to -50, made good by the £100 back through year 1: at 1 + 50 / 100 = 1.5.
    assert payback_period([D(100), D(100)], [D(150), D(100)]) == D("1.5")


def test_no_payback_in_words():
    from cba.engine.timeline import no_payback

    assert no_payback(1) == "does not pay back within 1 year"
    assert no_payback(2) == "does not pay back within 2 years"


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
    assert discount_factors(3, None, discount_rate=D("0.1")) == [1, 1 / D("1.1"), 1 / D("1.1") / D("1.1")]


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
    zeros = {p: D(0) for p in s.periods}
    lines = [line_figures(line, s.periods, s.cost_agency, zeros) for line in s.cost_lines]
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
    assert any(n.startswith("Discounted at a flat 5%; health values at that rate less") for n in data["notes"])
    # the health rate keeps the schedule's 2-point wealth-effect gap below the flat rate: 3%, not 5% (issue 27, 8c)
    assert D(data["appraisal"]["discount_factors"]["health"][2]) == round(1 / D("1.03") ** 2, 6)


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


@pytest.mark.parametrize(("value", "message"), [
    (float("nan"), "got nan"), (float("inf"), "got inf"), (float("-inf"), "got -inf"),
    (__import__("datetime").date(2020, 4, 1), "got a date (2020-04-01)"), (None, "got nothing"),
    (True, "got a boolean (true)"), ([1], "got a list"), ("1.234,56", "'1.234,56' is not an amount"),
])
def test_what_is_not_money_says_why(value, message):
    from cba.model.money import MoneyFormatError

    with pytest.raises(MoneyFormatError, match=__import__("re").escape(message)):
        parse_amount(value)


def test_display_rounds_half_up_and_never_shows_minus_zero():
    assert fmt_gbp(D("0.125")) == "£0.13"  # half-even would give £0.12
    assert fmt_gbp(D("2.5"), pence=False) == "£3"  # half-even would give £2
    assert fmt_gbp(D("-0.001")) == "£0" and fmt_gbp(D("-0.4"), pence=False) == "£0"
    assert fmt_gbp(D("-1234.5")) == "-£1,234.50"


@pytest.mark.parametrize("text", ["-£1,234.56", "£1,234.56", "1234.56", "-1234.56", "-1,234.56"])
def test_amounts_people_type(text):
    assert abs(parse_amount(text)) == D("1234.56") and (parse_amount(text) < 0) == text.startswith("-")


# Outcomes, lines and the timeline's shape ------------------------------------------------------------------

def _appraise(doc: dict, reference=None):
    from cba.engine.appraisal import appraise

    return appraise(Scenario.model_validate(doc), {}, reference=reference)


def _reference():
    from cba.io.reference_data import DEFAULT_DEFLATOR, DEFAULT_GRADES, load_deflator, load_grades
    from cba.model.reference import ReferenceData

    return ReferenceData(load_deflator(shipped(DEFAULT_DEFLATOR)), load_schedule(shipped(DEFAULT_SCHEDULE)),
                         load_grades(shipped(DEFAULT_GRADES)))


def test_ratio_divides_unless_the_denominator_is_zero():
    from cba.engine.appraisal import ratio

    assert ratio(D(3), D(1)) == 3 and ratio(D(3), D(2)) == D("1.5") and ratio(D(3), Z) is None


def test_a_change_is_follow_up_less_baseline_and_only_for_measured_outcomes():
    # camhs: 120 -> 100 is a change of -20 (a fall); placements and missing are a cohort and volumes: no change.
    outcomes = {o["id"]: o for o in json.loads(cli("run", EXAMPLE, "--format", "json").stdout)["outcomes"]}
    assert D(outcomes["camhs"]["change"]) == -20
    assert outcomes["placements"]["change"] is None and outcomes["missing"]["change"] is None


def test_each_line_keeps_its_agency():
    data = json.loads(cli("run", EXAMPLE, "--format", "json").stdout)
    agencies = {line["label"]: line["agency"] for line in data["costs"]["lines"]}
    assert agencies["Clinical psychologist secondment"] == "NHS" and agencies["Training"] == "Local Authority"


def test_an_unquantified_line_does_not_stop_the_lines_after_it():
    a = _appraise({"name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20"],
                   "net_position_basis": "actual",
                   "cost_lines": [{"name": "Volunteers", "kind": "in_kind", "quantified": False},
                                  {"name": "Team", "actual": {"2019/20": 500}}]})
    assert [f.line for f in a.timeline.cost_flows] == ["Team"] and a.timeline.costs == [500]
    assert a.unquantified == ["Volunteers"]


def test_without_outcomes_or_a_horizon_the_timeline_is_the_periods():
    a = _appraise({"name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20"],
                   "net_position_basis": "actual", "cost_lines": [{"name": "Team", "actual": {"2019/20": 500}}]})
    assert a.timeline.years == ["2019/20"]


def test_real_terms_factor_of_spend_with_no_budget_and_of_a_stated_year_in_future_periods():
    # Outturn spend in 2020/21 with no budget line at all: x 102.0 / 95.825 to 2022/23 prices. A forecast in
    # 2019/20 prices for 2026/27 (a year the deflator does not reach): x 102.0 / 90.95, whatever the period.
    doc = {"name": "x", "organisation": "y", "price_base": "2022/23", "periods": ["2020/21", "2026/27"],
           "net_position_basis": "actual", "appraisal": {"uprate": True},
           "cost_lines": [{"name": "Spent", "actual": {"2020/21": 1000}},
                          {"name": "Planned", "kind": "committed", "price_basis": "2019/20", "actual": {"2026/27": 1000}}]}
    t = _appraise(doc, _reference()).timeline
    spent, planned = t.cost_flows
    assert spent.factors[0] == D("102.0") / D("95.825")
    assert planned.factors[6] == D("102.0") / D("90.95") and planned.real[6] == D(1000) * D("102.0") / D("90.95")
    assert t.deflator_indices["2022/23"] == D("102.0")


def test_a_category_without_its_own_grade_takes_the_appraisal_wide_one():
    from cba.engine.appraisal import line_optimism_bias

    s = Scenario.model_validate({
        "name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20"],
        "net_position_basis": "budget",
        "appraisal": {"cost_optimism_bias": {"percent": 10}, "category_optimism_bias": {"Staff": {"percent": 20}}},
        "cost_lines": [{"name": "A", "category": "Staff", "budget": {"2019/20": 1}},
                       {"name": "B", "category": "Venues", "budget": {"2019/20": 1}},
                       {"name": "C", "budget": {"2019/20": 1}}]})
    assert [line_optimism_bias(s, line).percent for line in s.cost_lines] == [20, 10, 10]


def test_the_deflator_indices_behind_a_unit_costs_uprating():
    # placements' unit cost is in 2020/21 prices: uprated by 102.0 / 95.825, and both indices are kept for the
    # workbook, which recomputes the factor from them.
    from cba.engine.appraisal import appraise
    from cba.io.load import load

    loaded = load(EXAMPLE)
    used = loaded.costs.entries_for(sorted({o.unit_cost for o in loaded.scenario.outcomes if o.unit_cost}))
    stream = appraise(loaded.scenario, used, reference=loaded.reference).timeline.streams[0]
    assert (stream.deflator_base, stream.deflator_year) == (D("102.0"), D("95.825"))


def test_only_unquantified_costs_give_zero_costs_and_no_ratios():
    a = _appraise({"name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20", "2020/21"],
                   "net_position_basis": "actual",
                   "cost_lines": [{"name": "Volunteers", "kind": "in_kind", "quantified": False}]})
    t = a.timeline
    assert t.costs == t.costs_real == t.costs_adjusted == [0, 0] and t.pv_costs == 0
    assert t.benefit_cost_ratio is None and t.financial_roi is None


def test_ratios_over_a_cost_of_one_pound():
    # PV costs of exactly £1 is a cost like any other: BCR = benefits / 1.
    a = _appraise({"name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20"],
                   "net_position_basis": "actual", "cost_lines": [{"name": "Team", "actual": {"2019/20": 1}}]})
    assert a.timeline.benefit_cost_ratio == 0 and a.timeline.financial_roi == 0


def test_cumulative_present_values_by_hand():
    # Edge of care: cumulative PV of costs, year by year, is the running sum of the costs after optimism bias
    # times the discount factors (worked in test_green_book).
    from cba.engine.appraisal import appraise
    from cba.io.load import load

    from .test_green_book import COSTS_OB, PV_ECONOMIC, PV_FISCAL, PV_SOCIAL

    loaded = load(EXAMPLE)
    used = loaded.costs.entries_for(sorted({o.unit_cost for o in loaded.scenario.outcomes if o.unit_cost}))
    costs, fiscal, every = appraise(loaded.scenario, used, reference=loaded.reference).timeline.cumulative()
    running, total = [], Z
    for c, df in zip(COSTS_OB, STANDARD):
        total += c * df
        running.append(total)
    assert [pennies(c) for c in costs] == [pennies(c) for c in running]
    assert costs[0] == COSTS_OB[0] and fiscal[0] == 0 and every[0] == 0
    assert pennies(fiscal[-1]) == pennies(PV_FISCAL) and pennies(every[-1]) == pennies(PV_FISCAL + PV_ECONOMIC + PV_SOCIAL)


def test_a_stated_conversion_multiplies_the_unit_cost():
    # A weekly cost of £100 for a year: x 52.14 (the scenario's stated conversion); 2 cases, no adjustments.
    from cba.engine.appraisal import benefit_streams
    from cba.model.unit_cost import UnitCost

    unit = UnitCost.model_validate({"id": "wk", "description": "A week", "unit": "per week", "value": 100,
                                    "price_year": "2019/20", "agency": "Local Authority", "value_type": "fiscal",
                                    "cashable": True, "confidence": 3, "source": "hand-made"})
    s = Scenario.model_validate({
        "name": "x", "organisation": "y", "price_base": "2019/20", "periods": ["2019/20"], "net_position_basis": "actual",
        "cost_lines": [{"name": "Team", "actual": {"2019/20": 1}}],
        "outcomes": [{"id": "a", "measure": "Weeks", "baseline": 3, "follow_up": 1, "unit_cost": "wk", "attributable": True,
                      "conversion": {"factor": "52.14", "reason": "weeks in a year"}}]})
    stream = benefit_streams(s, {"wk": unit})[0]
    assert stream.unit_value == D("5214") and stream.value(0) == D("10428")


def test_the_notes_state_each_uplift_and_what_the_horizon_cut_off():
    data = json.loads(cli("run", EXAMPLE, "--set", "appraisal.horizon_years=3", "--format", "json").stdout)
    notes = data["notes"]
    assert ("Optimism bias on costs: +10% on Follow-up sessions (committed, not yet paid) (grade 3), committed "
            "(forecast) spend; outturn actual spend is known and is not uplifted.") in notes
    # placements fall in years 1-3 (12, 10.8, 9.72): with a 3-year horizon (years 0-2) the 9.72 of year 3 are cut,
    # worth 9.72 x 150,000 x 102.0 / 95.825 x 0.72 x (1 - 0.05) undiscounted after adjustments.
    worth = (D("9.72") * D(150000) * BASE / DEFLATOR["2020/21"] * D("0.72") * D("0.95")).quantize(D("0.01"))
    assert f"Cut off by the horizon: placements, 9.72 units after 2022/23, worth £{worth:,} undiscounted after adjustments." in notes
    # only what is counted is reported as cut off, and nothing when nothing is cut (the 6-year horizon as written)
    uncounted = json.loads(cli("run", EXAMPLE, "--set", "appraisal.horizon_years=3", "--set", "camhs.attributable=false",
                                "--format", "json").stdout)["notes"]
    assert not any(n.startswith("Cut off by the horizon: camhs") for n in uncounted)
    assert any(n.startswith("Cut off by the horizon: placements") for n in uncounted)
    whole = json.loads(cli("run", EXAMPLE, "--format", "json").stdout)["notes"]
    assert not any(n.startswith("Cut off by the horizon") for n in whole)
    budget = json.loads(cli("run", EXAMPLE, "--basis", "budget", "--format", "json").stdout)["notes"]
    assert any(n.startswith("Optimism bias on costs: +10% on Edge of care team (grade 3);") and
               n.endswith(", the budget being a forecast.") for n in budget)


# Switching values --------------------------------------------------------------------------------------------

def _unit(uid: str, value: int, unit: str = "per case"):
    from cba.model.unit_cost import UnitCost

    return UnitCost.model_validate({"id": uid, "description": uid, "unit": unit, "value": value,
                                    "price_year": "2019/20", "agency": "Local Authority", "value_type": "fiscal",
                                    "cashable": True, "confidence": 3, "source": "hand-made"})


def _switches(outcomes: list[dict], units: dict, cost: int = 1500, periods=("2019/20",), discounting="none"):
    from cba.engine.appraisal import appraise
    from cba.engine.switching import cost_switches, outcome_switches

    s = Scenario.model_validate({
        "name": "x", "organisation": "y", "price_base": periods[0], "periods": list(periods),
        "net_position_basis": "actual", "appraisal": {"discounting": discounting},
        "cost_lines": [{"name": "Team", "actual": {periods[0]: cost}}], "outcomes": outcomes})
    t = appraise(s, units, reference=_reference()).timeline
    basis = "npv" if discounting != "none" else "net_position"
    return ({x.outcome: x for x in outcome_switches(t, t.pv_costs, basis)},
            {x.input: x for x in cost_switches(t, t.pv_costs, t.pv_benefits, basis)})


def test_units_needed_net_of_the_other_outcomes():
    # Cost 1,500. a: 1 unit at 1,000; b: 2 units at 500. For a: (1,500 - b's 1,000) / 1,000 = 0.5 units;
    # for b: (1,500 - a's 1,000) / 500 = 1 unit. Unit cost %: net is +500 over 1,500 of cost, so a's unit cost may
    # fall by 500 / 1,000 = 50%; total cost may rise by 500 / 1,500 = 33.3...%.
    outcomes, costs = _switches(
        [{"id": "a", "measure": "A", "baseline": 1, "follow_up": 0, "unit_cost": "ua", "attributable": True},
         {"id": "b", "measure": "B", "baseline": 2, "follow_up": 0, "unit_cost": "ub", "attributable": True}],
        {"ua": _unit("ua", 1000), "ub": _unit("ub", 500)})
    assert outcomes["a"].units_needed == D("0.5") and outcomes["b"].units_needed == 1
    assert costs["ua"].percent == -50 and costs["total cost"].percent == D(500) / D(1500) * 100


def test_a_total_cost_of_one_pound_has_a_switching_percentage():
    _, costs = _switches([{"id": "a", "measure": "A", "baseline": 1, "follow_up": 0, "unit_cost": "ua",
                           "attributable": True}], {"ua": _unit("ua", 3)}, cost=1)
    assert costs["total cost"].percent == 200  # net 3 - 1 = 2 over a cost of 1


def test_one_unit_of_volumes_given_by_year_is_spread_as_they_are():
    # volumes 2 in 2019/20 and 2 in 2020/21, NPV at 3.5%: one unit falls half in each year, worth
    # 100 x (0.5 + 0.5 / 1.035); and a single volume of 1 is one whole unit in its year.
    outcomes, _ = _switches([{"id": "a", "measure": "A", "volumes": {"2019/20": 2, "2020/21": 2}, "unit_cost": "ua",
                              "attributable": True}], {"ua": _unit("ua", 100)}, periods=("2019/20", "2020/21"),
                            discounting="green_book")
    assert abs(outcomes["a"].per_unit - 100 * (D("0.5") + D("0.5") / D("1.035"))) < D("1e-20")
    one, _ = _switches([{"id": "a", "measure": "A", "volumes": {"2019/20": 1}, "unit_cost": "ua", "attributable": True}],
                       {"ua": _unit("ua", 100)})
    assert one["a"].per_unit == 100 and one["a"].units_needed == 15


def test_break_even_divides_by_the_weeks_in_a_year():
    outcomes, _ = _switches([{"id": "a", "measure": "Weeks", "baseline": 1, "follow_up": 0, "unit_cost": "wk",
                              "attributable": True, "conversion": {"factor": "52.14", "reason": "weeks in a year"}}],
                            {"wk": _unit("wk", 100, "per week")}, cost=10428)
    assert outcomes["a"].per_unit == 5214 and outcomes["a"].units_needed == 2


# Monte Carlo summaries ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("chunk", [None, 100])  # all draws kept, and streamed in chunks of 100
def test_a_net_of_exactly_zero_pays_back_and_the_histogram_has_twenty_bins(tmp_path, monkeypatch, chunk):
    # One fiscal unit whose range is the single value £1,500 against a cost of £1,500: every draw's NPV is exactly
    # 0, which covers the cost ("at or above zero"), so all three chances are 100%. The histogram has 20 bins.
    (tmp_path / "t.csv").write_text(
        "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
        "fisc,A fiscal saving,per case,1000,2019/20,Local Authority,fiscal,true,3,hand-made\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("""\
name: Exactly even
organisation: Test
price_base: 2019/20
periods: [2019/20]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: none}
cost_lines:
  - {name: Team, actual: {2019/20: 1500}}
outcomes:
  - {id: a, measure: Fiscal cases, baseline: 1, follow_up: 0, unit_cost: fisc, attributable: true}
uncertainty:
  unit_costs:
    fisc: {distribution: uniform, low: 1500, high: 1500}
""", encoding="utf-8")
    if chunk is not None:
        from cba.engine import uncertainty

        monkeypatch.setattr(uncertainty, "CHUNK", chunk)
    data = json.loads(cli("simulate", tmp_path / "s.yaml", "--draws", "500", "--format", "json").stdout)
    assert data["facts"]["probability_pays_back"]["value"] == "100.000000"
    assert data["facts"]["probability_fiscal_payback"]["value"] == "100.000000"
    assert data["facts"]["probability_cashable_payback"]["value"] == "100.000000"  # the unit cost is cashable
    assert len(data["tables"]["histogram"]["rows"]) == 20


def test_streamed_percentiles_when_they_fall_in_the_first_and_last_fine_bins(monkeypatch):
    # A tenth of the draws sit within a millionth of the lowest value and a tenth of the highest, so the 5th and 95th
    # percentiles lie in the first and the last of the fine bins: the edges of the streamed search. Whatever the
    # bins, the three passes must give what np.percentile gives on all the draws at once, bit for bit.
    import numpy as np

    from cba.engine import uncertainty

    rng = np.random.default_rng(4)
    n = 5003
    values = rng.uniform(-1, 1, n)
    # distinct values, each tenth inside one fine bin (the bins are 2 / 65,536 wide); 300 of the top ones equal to
    # the highest draw (which lies on the last bin's upper edge), and the first draw of every chunk at the bottom
    values[rng.choice(n, 1000, replace=False)] = np.concatenate([rng.uniform(-1, -1 + 1e-6, 500),
                                                                 rng.uniform(1 - 1e-6, 1, 200), np.ones(300)])
    values[0:n:1000] = -1 + 1e-7 * np.arange(1, 7)
    gap = values - 0.5
    cash = values - 0.9  # fewer draws cover the cost from cashable savings alone

    class Fixed:
        draws = n

        def chunks(self):
            for start in range(0, n, 1000):
                part = slice(start, min(start + 1000, n))
                yield part.stop - part.start, {"npv": values[part].copy(), "fiscal_gap": gap[part].copy(),
                                               "cashable_gap": cash[part].copy()}

    monkeypatch.setattr(uncertainty, "CHUNK", 1000)
    streamed = uncertainty._summaries(Fixed(), ["npv"], "npv", lambda size: None)
    for q in (5, 50, 95):
        assert streamed["npv"][f"p{q}"] == float(np.percentile(values, q)), q
    assert streamed["paying"] == int((values >= 0).sum()) and streamed["fiscal_paying"] == int((gap >= 0).sum())
    assert streamed["cashable_paying"] == int((cash >= 0).sum())
    # the EVPI's first term, E[max(NPV, 0)], summed chunk by chunk (fsum) and divided by every draw
    assert abs(streamed["above_zero_mean"] - float(np.maximum(values, 0.0).mean())) < 1e-12
    counts, edges = np.histogram(values, bins=20)
    assert (streamed["histogram"][0] == counts).all() and (streamed["histogram"][1] == edges).all()


def test_the_simulation_tables_as_people_and_programs_read_them():
    # Appraised: the percentiles cover the net position, the NPV and the BCR, money to the penny and the BCR to
    # six places; people read the statistics across (5th percentile, median, 95th, mean as columns); the
    # histogram's bins run from the lowest draw to the highest, each "share" its draws over all of them.
    from .test_sweeps import UNCERTAIN

    data = json.loads(cli("simulate", UNCERTAIN, "--draws", "2000", "--green-book", "--format", "json").stdout)
    table = data["tables"]["percentiles"]
    assert [c["key"] for c in table["columns"]] == ["statistic", "net_position", "npv", "bcr"]
    median = table["rows"][1]
    assert median["statistic"] == "Median" and len(median["npv"].split(".")[1]) == 2 and len(median["bcr"].split(".")[1]) == 6
    assert D(median["bcr"]) != D(median["bcr"]).quantize(D("0.01"))  # a ratio keeps its six places (this seed)
    rows = data["tables"]["histogram"]["rows"]
    assert [r["high"] for r in rows[:-1]] == [r["low"] for r in rows[1:]]
    assert sum(int(r["draws"]) for r in rows) == 2000
    assert all(D(r["share"]) == D(r["draws"]) * 100 / 2000 for r in rows)
    text = cli("simulate", UNCERTAIN, "--draws", "2000", "--green-book").stdout
    assert "┃ Statistic" in text and "5th percentile ┃" in text
    assert "Outcomes treated as attributable: as the scenario says." in data["notes"]
    forced = json.loads(cli("simulate", UNCERTAIN, "--draws", "100", "-a", "lac", "--format", "json").stdout)
    assert "Outcomes treated as attributable: lac." in forced["notes"]
    missing = cli("simulate", DORSET)
    assert ":1:1: no uncertainty: block in this scenario" in missing.stderr


def test_quarters_take_the_rate_of_the_year_they_end_in():
    # Quarter t ends in year ceil(t / 4): quarter 120 ends year 30 (3.5%), quarter 121 is in year 31 (3.0%).
    # Over 120 quarters at 3.5% a year, DF = 1.035^-30; the next quarter divides by 1.03^(1/4).
    from cba.engine.timeline import discount_rates

    schedule = load_schedule(shipped(DEFAULT_SCHEDULE))
    rates = discount_rates(125, schedule, "standard", None, 4)
    assert (rates[1], rates[4], rates[120], rates[121]) == (D("0.035"), D("0.035"), D("0.035"), D("0.030"))
    factors = discount_factors(125, schedule, per_year=4)
    assert abs(factors[4] - 1 / D("1.035")) < D("1e-24")
    assert abs(factors[120] - 1 / D("1.035") ** 30) < D("1e-24")
    assert abs(factors[121] - 1 / D("1.035") ** 30 / D("1.03") ** D("0.25")) < D("1e-24")
    months = discount_factors(13, schedule, per_year=12)
    assert abs(months[6] - 1 / D("1.035") ** D("0.5")) < D("1e-24") and abs(months[12] - 1 / D("1.035")) < D("1e-24")


def test_a_recovery_before_any_spend_is_not_payback():
    # A loss of £50 in year 0 and a gain of £100 through year 1, with nothing spent: the cumulative crosses zero
    # in year 1 (at 1.5), but nothing was spent, so that is not payback. £10 spent at the start of year 2 leaves
    # +40 (50 - 10), never below zero again: paid back at the start of year 2, so 2.
    assert payback_period([Z, Z, D(10)], [D(-50), D(100), D(200)]) == 2


# A cohort's intakes, for the workbook's live volume (issue 28, item 1) ------------------------------------

@pytest.mark.parametrize(
    ("cohort", "timing", "intake"),
    [
        ("{intake: {2023/24: 50, 2024/25: 70}, engagement: 0.75, success: 0.1}", "", {0: D(50), 1: D(70)}),
        ("{intake: {2024/25: 70}, engagement: 0.75, success: 0.1}", "", {1: D(70)}),  # by year, from the first
        ("{size: 120, engagement: 0.75, success: 0.1}", "", {}),  # a size: no intakes
        # a value spread over years: the engine's shares are kept, so the workbook is given no intakes
        ("{intake: {2023/24: 50, 2024/25: 70}, engagement: 0.75, success: 0.1}",
         "    timing: {spread: {years: 2}}\n", {}),
    ],
)
def test_a_streams_intakes_are_by_appraisal_year(write_scenario, cohort, timing, intake):
    from cba.cli.common import prepare
    from cba.cli.options import Appraisal

    path = write_scenario(
        "name: Intakes\norganisation: Anytown\nperiods: [2023/24, 2024/25]\nprice_base: 2023/24\nnet_position_basis: actual\n"
        "cost_lines:\n  - {name: Team, actual: {2023/24: 1000}}\n"
        f"outcomes:\n  - id: lac\n    measure: Children kept out of care\n    cohort: {cohort}\n"
        f"    value: {{amount: 100, price_year: 2023/24, source: Illustrative}}\n{timing}"
    )
    (stream,) = prepare(path, Appraisal())[1].figures.timeline.streams
    assert stream.intake == intake


def test_a_cost_switching_value_beyond_a_billion_per_cent_is_none_with_why():
    """Benefits that nearly cancel (a volume up and back down) leave a unit cost's PV near nil, and the change
    that would bring the NPV to zero astronomically large: no switching value anyone could use, said so."""
    from decimal import Decimal

    from cba.engine.switching import _switch

    far = _switch("SS1.0", "unit cost", "npv", Decimal("1e55"))
    assert far.percent is None and "more than a billion per cent" in far.why_none
    assert _switch("SS1.0", "unit cost", "npv", Decimal(1_000_000_000)).percent == Decimal(1_000_000_000)
