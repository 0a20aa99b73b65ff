"""The scenario's rules (``cba.check``), each a pure function, checked directly on scenarios written here:
what each rule must find, where, and in what words, and what it must let pass."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from cba.check import phases
from cba.check.problem import At, Problem
from cba.model.scenario import Scenario

BASE: dict[str, Any] = {
    "name": "x",
    "organisation": "o",
    "price_base": "2019/20",
    "periods": ["2019/20", "2020/21"],
    "net_position_basis": "actual",
    "cost_lines": [{"name": "A", "kind": "direct", "budget": {"2019/20": 10}, "actual": {"2019/20": 5}}],
}


def scenario(**changes: Any) -> Scenario:
    return Scenario.model_validate({**BASE, **changes})


def found(s: Scenario) -> list[tuple[Any, bool, str]]:
    return [(p.location, p.key, p.message) for p in phases.as_written(s)]


def test_a_sound_scenario_has_no_problems():
    assert found(scenario()) == []


def test_a_problem_under_a_prefix_keeps_its_key_and_message():
    assert Problem(("a",), True, "m").under("x", 1) == Problem(("x", 1, "a"), True, "m")
    with pytest.raises(AssertionError):
        Problem(At("f", 1, 1), False, "m").under("x")


def test_periods_once_each_one_kind_in_order():
    assert found(scenario(periods=["2020/21", "2019/20", "2020/21"])) == [
        (("periods", 2), False, "period 2020/21 is listed twice"),
        (("periods",), False, "periods must be listed in time order"),
    ]
    assert found(scenario(periods=["2019/20", "2020-05"])) == [
        (("periods", 1), False, "period 2020-05 is a month, but the scenario's first period 2019/20 is a financial "
                                "year; give every period as financial years (2024/25)"),
    ]


def test_cost_line_amounts_in_the_scenarios_periods():
    lines = [{"name": "A", "kind": "direct", "budget": {"2021/22": 1}, "actual": {"2019/20": 5}}]
    assert found(scenario(cost_lines=lines)) == [
        (("cost_lines", 0, "budget", "2021/22"), True,
         "period 2021/22 is not one of the scenario's periods (2019/20, 2020/21)"),
    ]


def test_a_cost_line_written_twice_or_two_ways():
    lines = [
        {"name": "A", "kind": "direct", "actual": {"2019/20": 5}},
        {"name": "A", "kind": "direct", "actual": {"2019/20": 5}},
        {"name": "A", "kind": "committed", "actual": {"2019/20": 5}},  # another kind: another line
        {"name": "B", "arms": {"programme": 5, "comparison": 3, "period": "2018/19"}, "actual": {"2019/20": 1}},
        {"name": "C", "units": {"price": 2, "unit_cost": "SS1.0", "budget": {"2018/19": 1, "2019/20": -1}},
         "actual": {"2019/20": 1}},
        {"name": "D", "units": {"actual": {"2019/20": 0}}},
        {"name": "E", "quantified": False, "budget": {"2019/20": 1}},
        {"name": "F", "quantified": False, "units": {"price": 1}},
        {"name": "G", "quantified": False},
    ]
    assert found(scenario(cost_lines=lines)) == [
        (("cost_lines", 1, "name"), False, "cost line 'A' (direct) appears twice (first is cost_lines[0])"),
        (("cost_lines", 3, "arms"), True, "means per participant need the arms they come from: add arms: "
                                          "{programme: {label: ..., n: ...}, comparison: {label: ..., n: ...}}"),
        (("cost_lines", 3, "arms"), True, "give the line's amounts one way: amounts, units, or means per "
                                          "participant in each arm"),
        (("cost_lines", 3, "arms", "period"), False,
         "period 2018/19 is not one of the scenario's periods (2019/20, 2020/21)"),
        (("cost_lines", 4, "units"), True, "give the line's amounts one way: budget and actual amounts, or units "
                                           "times a price, not both"),
        (("cost_lines", 4, "units"), False, "give the price of one unit: price (pounds) or unit_cost (a table's "
                                            "entry), one of them"),
        (("cost_lines", 4, "units", "budget", "2018/19"), True,
         "period 2018/19 is not one of the scenario's periods (2019/20, 2020/21)"),
        (("cost_lines", 4, "units", "budget", "2019/20"), False, "-1 units: a number of units cannot be negative"),
        (("cost_lines", 5, "units"), False, "give the price of one unit: price (pounds) or unit_cost (a table's "
                                            "entry), one of them"),
        (("cost_lines", 6, "quantified"), False,
         "a line marked quantified: false cannot carry amounts; remove them or the flag"),
        (("cost_lines", 7, "quantified"), False,
         "a line marked quantified: false cannot carry amounts; remove them or the flag"),
    ]


def test_arms_amounts_alone_pass_and_an_arm_needs_participants():
    arms = {"programme": {"label": "p", "n": 10}, "comparison": {"label": "c", "n": 0}}
    lines = [{"name": "B", "arms": {"programme": 5, "comparison": 3, "period": "2020/21"}}]
    assert found(scenario(arms=arms, cost_lines=lines)) == [
        (("arms", "comparison", "n"), False, "an arm needs participants: n must be more than 0"),
    ]
    arms["comparison"]["n"] = 1
    arms["programme"]["n"] = 0
    assert found(scenario(arms=arms, cost_lines=lines)) == [
        (("arms", "programme", "n"), False, "an arm needs participants: n must be more than 0"),
    ]
    arms["programme"]["n"] = 1
    assert found(scenario(arms=arms, cost_lines=lines)) == []


def test_deadweight_against_a_comparison_arm_needs_a_reason():
    """The comparison arm is the counterfactual (Green Book): deadweight on top counts it twice, unless said why."""
    arms = {"programme": {"label": "p", "n": 10}, "comparison": {"label": "c", "n": 10}}
    outcome = {"id": "o", "measure": "m", "arms": {"programme": 1, "comparison": 2}}
    assert found(scenario(arms=arms, outcomes=[{**outcome, "deadweight": 0}])) == []
    assert found(scenario(arms=arms, outcomes=[{**outcome, "deadweight": 0.1}])) == [
        (("outcomes", 0, "deadweight"), False,
         "outcome 'o' is measured against a comparison arm, which already is the counterfactual: deadweight on "
         "top counts it twice; remove it, or say why it applies with deadweight_reason:"),
    ]
    assert found(scenario(arms=arms, outcomes=[{**outcome, "deadweight": 0.1, "deadweight_reason": "r"}])) == []
    # measured before and after, with no comparison: deadweight is what estimates the counterfactual
    before_after = {"id": "o", "measure": "m", "baseline": 2, "follow_up": 1, "deadweight": 0.1}
    assert found(scenario(outcomes=[before_after])) == []


def test_a_cost_line_id_once():
    lines = [{"id": "a", "name": "A"}, {"id": "a", "name": "B"}, {"name": "C"}, {"name": "D"}, {"id": "b", "name": "E"}]
    assert found(scenario(cost_lines=lines)) == [
        (("cost_lines", 1, "id"), False, "cost line id 'a' is used twice (first is cost_lines[0])"),
    ]


def test_published_totals_results_and_claims():
    s = scenario(
        published_totals=[{"label": "t", "measure": "actual", "period": "2018/19", "value": 1},
                          {"label": "u", "measure": "actual", "period": "2019/20", "value": 1}],
        published_results=[
            {"label": "a", "figure": "npv", "value": 1, "at_most": 2},
            {"label": "b", "figure": "nvp", "value": 1},
            {"label": "c", "figure": "cost_per_unit", "at_least": 1},
            {"label": "d", "figure": "benefits_per_unit"},
            {"label": "e", "figure": "bcr", "at_most": 1},
        ],
        claimed=[
            {"label": "a", "amount": 1, "per": "total", "period": "2019/20"},
            {"label": "b", "amount": 1, "period": "2021/22"},
            {"label": "c", "amount": 1, "period": "2020/21"},
            {"label": "d", "amount": 1, "per": "total"},
        ],
    )
    figures = found(s)
    assert figures[0] == (("published_totals", 0, "period"), False,
                          "period 2018/19 is not one of the scenario's periods (2019/20, 2020/21)")
    assert figures[1] == (("published_results", 0), False, "give exactly one of value, at_most, at_least, more_than or less_than "
                                                           "(got value, at_most)")
    assert figures[2][:2] == (("published_results", 1, "figure"), False)
    assert figures[2][2].startswith("unknown figure 'nvp' (did you mean 'npv'?); use one of: budget_total, ")
    assert figures[3:] == [
        (("published_results", 2, "figure"), False,
         "'cost_per_unit' is a result per unit; add report_per: {label: family, count: N}"),
        (("published_results", 3), False, "give exactly one of value, at_most, at_least, more_than or less_than (got none)"),
        (("published_results", 3, "figure"), False,
         "'benefits_per_unit' is a result per unit; add report_per: {label: family, count: N}"),
        (("claimed", 0, "period"), True, "a claim per: total covers the whole appraisal; remove period or use per: year"),
        (("claimed", 1, "period"), False, "period 2021/22 is not one of the scenario's periods (2019/20, 2020/21)"),
    ]
    per_unit = scenario(report_per={"label": "family", "count": 5},
                        published_results=[{"label": "c", "figure": "cost_per_unit", "at_least": 1}])
    assert found(per_unit) == []


def test_a_claim_for_a_year_of_quarters_sums_its_periods():
    quarters = ["2019/20 Q1", "2019/20 Q2", "2019/20 Q3", "2019/20 Q4"]
    lines = [{"name": "A", "actual": {"2019/20 Q1": 5}}]
    ok = scenario(periods=quarters, cost_lines=lines, claimed=[{"label": "a", "amount": 1, "period": "2019/20"}])
    assert found(ok) == []
    other = scenario(periods=quarters, cost_lines=lines, claimed=[{"label": "a", "amount": 1, "period": "2020/21"}])
    assert found(other) == [(("claimed", 0, "period"), False, "period 2020/21 is not one of the scenario's periods "
                                                              "(2019/20 Q1, 2019/20 Q2, 2019/20 Q3, 2019/20 Q4)")]
    months = scenario(periods=["2019-04", "2019-05"], cost_lines=[{"name": "A", "actual": {"2019-04": 5}}],
                      claimed=[{"label": "a", "amount": 1, "period": "2019-06"}])
    assert found(months) == [(("claimed", 0, "period"), False,
                              "period 2019-06 is not one of the scenario's periods (2019-04, 2019-05)")]


def test_transfers_between_known_parties_one_way():
    s = scenario(
        parties=["investors"],
        outcomes=[{"id": "lac", "measure": "m", "baseline": 3, "follow_up": 2}],
        transfers=[
            {"name": "a", "from": "council", "to": "council", "amounts": {"2018/19": 1}},
            {"name": "b", "from": "investors", "to": "Local Authority", "amounts": {"2019/20": 1},
             "per_outcome": {"outcome": "lca", "amount": 1}},
            {"name": "c", "from": "investors", "to": "NHS"},
            {"name": "d", "from": "NHS", "to": "investors", "per_outcome": {"outcome": "lac", "amount": 1}},
        ],
    )
    assert found(s) == [
        (("transfers", 0, "from"), False, "unknown party 'council'; use an agency or add it to parties: [council]"),
        (("transfers", 0, "to"), False, "unknown party 'council'; use an agency or add it to parties: [council]"),
        (("transfers", 0, "to"), False, "a transfer moves money between two parties; from and to are the same"),
        (("transfers", 0, "amounts", "2018/19"), True,
         "period 2018/19 is not one of the scenario's periods (2019/20, 2020/21)"),
        (("transfers", 1), False, "give the transfer one way: amounts by period, per_outcome, multiple_of, or spread"),
        (("transfers", 1, "per_outcome", "outcome"), False, "no outcome 'lca' (did you mean 'lac'?)"),
        (("transfers", 2), False, "give the transfer one way: amounts by period, per_outcome, multiple_of, or spread"),
    ]


def test_agencies_are_ones_cba_knows():
    value = {"amount": 1, "price_year": "2019/20", "source": "s", "agency": "Polce"}
    s = scenario(
        cost_agency="Counsil",
        cost_lines=[{"name": "A", "actual": {"2019/20": 5}, "agency": "NHS"},
                    {"name": "B", "actual": {"2019/20": 5}, "agency": "NHSS"}],
        outcomes=[{"id": "a", "measure": "m", "baseline": 3, "follow_up": 2, "value": value},
                  {"id": "b", "measure": "m", "baseline": 3, "follow_up": 2,
                   "values": [{"value": {**value, "agency": "NHS"}}, {"value": value}]}],
    )
    unknown = [(p[0], p[2].split(";")[0]) for p in found(s)]
    assert unknown == [
        (("cost_agency",), "unknown agency 'Counsil'"),
        (("cost_lines", 1, "agency"), "unknown agency 'NHSS' (did you mean 'NHS'?)"),
        (("outcomes", 0, "value", "agency"), "unknown agency 'Polce' (did you mean 'Police'?)"),
        (("outcomes", 1, "values", 1, "value", "agency"), "unknown agency 'Polce' (did you mean 'Police'?)"),
    ]
    assert all(p[1] is False for p in found(s))


def test_funding_basis_needs_funding():
    assert found(scenario(net_position_basis="funding")) == [
        (("net_position_basis",), False,
         "net_position_basis is 'funding' but no funding is listed; add funding or use 'actual' or 'budget'"),
    ]
    assert found(scenario(net_position_basis="funding", funding=[{"name": "g", "amount": 1}])) == []


def outcome(**fields: Any) -> dict[str, Any]:
    return {"id": "lac", "measure": "m", **fields}


def test_an_outcome_id_once_and_its_volume_one_way():
    s = scenario(outcomes=[
        outcome(baseline=3, follow_up=2),
        outcome(baseline=3),
        outcome(id="b", follow_up=3, cohort={"size": 2, "engagement": 1, "success": 1}),
        outcome(id="c"),
        outcome(id="d", arms={"programme": 1, "comparison": 2}),
    ])
    assert found(s) == [
        (("outcomes", 1, "id"), False, "outcome id 'lac' is used twice"),
        (("outcomes", 1), False, "baseline and follow_up go together: add follow_up"),
        (("outcomes", 2), False, "give the volume one way: baseline and follow_up, or cohort, or volumes by year, "
                                 "or volume_spread, or amounts, or arms (got baseline/follow_up and cohort)"),
        (("outcomes", 2), False, "baseline and follow_up go together: add baseline"),
        (("outcomes", 3), False, "give the volume one way: baseline and follow_up, or cohort, or volumes by year, "
                                 "or volume_spread, or amounts, or arms"),
        (("outcomes", 4, "arms"), True, "means per participant need the arms they come from: add arms: "
                                        "{programme: {label: ..., n: ...}, comparison: {label: ..., n: ...}}"),
    ]


def test_volumes_and_intakes_by_later_periods_of_the_scenarios_kind():
    s = scenario(outcomes=[
        outcome(volumes={"2018/19": 1, "2019/20": 1, "2025/26": 1, "2020-05": 1}, timing={"duration": 2}),
        outcome(id="b", cohort={"intake": {"2018/19": 1, "2021/22 Q1": 2, "2030/31": 1}, "size": 3,
                                "engagement": 1, "success": 1}),
        outcome(id="c", cohort={"engagement": 1, "success": 1}),
    ])
    assert found(s) == [
        (("outcomes", 0, "timing"), False, "volumes by year already say when the benefit falls; remove timing"),
        (("outcomes", 0, "volumes", "2018/19"), True, "period 2018/19 is before the first appraisal period"),
        (("outcomes", 0, "volumes", "2020-05"), True,
         "period 2020-05 is a month, but the scenario's periods are financial years (2024/25)"),
        (("outcomes", 1, "cohort"), False, "give the cohort one way: size (everyone reached) or intake (by period)"),
        (("outcomes", 1, "cohort", "intake", "2018/19"), True, "period 2018/19 is before the first appraisal period"),
        (("outcomes", 1, "cohort", "intake", "2021/22 Q1"), True,
         "period 2021/22 Q1 is a quarter, but the scenario's periods are financial years (2024/25)"),
        (("outcomes", 2, "cohort"), False, "give the cohort one way: size (everyone reached) or intake (by period)"),
    ]


def test_an_outcomes_value_cashability_spread_and_bias():
    social = {"amount": 1, "price_year": "2019/20", "source": "s", "value_type": "social"}
    fiscal = {**social, "value_type": "fiscal"}
    s = scenario(outcomes=[
        outcome(baseline=3, follow_up=2, value=social, cashable={"share": 1}),
        outcome(id="b", baseline=3, follow_up=2, value=fiscal, cashable={"share": 1}, unit_cost="SS1.0",
                optimism_bias={"grade": 2, "percent": 5}),
        outcome(id="c", baseline=3, follow_up=2, timing={"duration": 2, "spread": {"years": 2}}),
        outcome(id="d", baseline=3, follow_up=2, timing={"drop_off": 0.5, "spread": {"years": 2, "profile": [0.5]}}),
        outcome(id="e", baseline=3, follow_up=2, timing={"spread": {"years": 2, "profile": [0.5, 0.25]}}),
        outcome(id="f", baseline=3, follow_up=2, timing={"spread": {"years": 2, "profile": [0.5, 0.5]}},
                optimism_bias={}),
    ])
    assert found(s) == [
        (("outcomes", 0, "cashable"), True, "only a fiscal saving can be cashable; this outcome's value is social"),
        (("outcomes", 1, "optimism_bias"), False, "give either grade or percent"),
        (("outcomes", 1, "value"), False, "give the value of one unit one way: unit_cost (a table's entry) or value "
                                          "(written here), not both"),
        (("outcomes", 2, "timing", "spread"), True, "spread says how the value falls over its years; remove "
                                                    "duration and drop_off"),
        (("outcomes", 3, "timing", "spread"), True, "spread says how the value falls over its years; remove "
                                                    "duration and drop_off"),
        (("outcomes", 3, "timing", "spread", "profile"), False,
         "the profile gives 1 shares for 2 years; give one a year"),
        (("outcomes", 4, "timing", "spread", "profile"), False, "the shares sum to 0.75; they must sum to exactly 1"),
        (("outcomes", 5, "optimism_bias"), False, "give either grade or percent"),
    ]


def test_several_values_each_one_way():
    social = {"amount": 1, "price_year": "2019/20", "source": "s", "value_type": "social"}
    s = scenario(outcomes=[
        outcome(baseline=3, follow_up=2, unit_cost="SS1.0", values=[{"unit_cost": "SS1.0"}]),
        outcome(id="b", baseline=3, follow_up=2, value=social, values=[{"unit_cost": "SS1.0", "value": social}]),
        outcome(id="c", baseline=3, follow_up=2, values=[{"label": "x"}, {"unit_cost": "SS1.0", "share": 0}]),
        outcome(id="d", baseline=3, follow_up=2, cashable={"share": 1}, values=[{"value": social}, {"value": social}]),
        outcome(id="e", baseline=3, follow_up=2, cashable={"share": 1},
                values=[{"value": social}, {"unit_cost": "SS1.0"}]),
    ])
    assert found(s) == [
        (("outcomes", 0, "values"), True, "values lists every value of one unit; move the outcome's own unit_cost "
                                          "into the list"),
        (("outcomes", 1, "values"), True, "values lists every value of one unit; move the outcome's own value into "
                                          "the list"),
        (("outcomes", 1, "values", 0), False, "give each value one way: unit_cost (a table's entry) or value "
                                              "(written here with its source)"),
        (("outcomes", 2, "values", 0), False, "give each value one way: unit_cost (a table's entry) or value "
                                              "(written here with its source)"),
        (("outcomes", 2, "values", 1, "share"), False, "a share of 0 counts nothing; give a share above 0 (up to 1) "
                                                       "or remove the value"),
        (("outcomes", 3, "cashable"), True, "only a fiscal saving can be cashable; none of this outcome's values is "
                                            "fiscal"),
    ]


def test_a_horizon_no_shorter_than_the_periods():
    assert found(scenario(appraisal={"horizon_years": 1})) == [
        (("appraisal", "horizon_years"), False, "horizon_years 1 is shorter than the scenario's periods (2 years, "
                                                "2019/20 to 2020/21), so spend after it would be dropped; give at least 2"),
    ]
    assert found(scenario(appraisal={"horizon_years": 2})) == []
    # five quarters span 15 months: two years, rounded up
    quarters = ["2019/20 Q1", "2019/20 Q2", "2019/20 Q3", "2019/20 Q4", "2020/21 Q1"]
    lines = [{"name": "A", "actual": {"2019/20 Q1": 5}}]
    assert [m for _, _, m in found(scenario(periods=quarters, cost_lines=lines, appraisal={"horizon_years": 1}))] == [
        "horizon_years 1 is shorter than the scenario's periods (2 years, 2019/20 Q1 to 2020/21 Q1), so spend after "
        "it would be dropped; give at least 2"]
    assert found(scenario(periods=quarters[:4], cost_lines=lines, appraisal={"horizon_years": 1})) == []
    # thirteen months (2019-04 to 2020-04) are two years too
    months = [f"2019-{m:02d}" for m in range(4, 13)] + [f"2020-{m:02d}" for m in range(1, 5)]
    by_month = scenario(periods=months, cost_lines=[{"name": "A", "actual": {"2019-04": 5}}],
                        appraisal={"horizon_years": 1})
    assert [m for _, _, m in found(by_month)] == [
        "horizon_years 1 is shorter than the scenario's periods (2 years, 2019-04 to 2020-04), so spend after it "
        "would be dropped; give at least 2"]


def test_cost_optimism_bias_well_formed_and_on_forecasts_only():
    lines = [
        {"name": "A", "actual": {"2019/20": 5}, "optimism_bias": {"percent": 10}, "category": "staff"},
        {"name": "B", "actual": {"2019/20": 5}, "optimism_bias": {"percent": 0}},
        {"name": "C", "kind": "committed", "actual": {"2020/21": 5}, "optimism_bias": {"percent": 10}},
        {"name": "D", "actual": {"2019/20": 5}, "category": "staff"},
        {"name": "E", "budget": {"2019/20": 5}, "optimism_bias": {"percent": 10}},  # no actual: not outturn
    ]
    appraisal = {"cost_optimism_bias": {"percent": 5}, "category_optimism_bias": {"staff": {"percent": 5},
                                                                                 "staf": {"percent": 5}}}
    why = "optimism bias corrects forecasts, but {} outturn (actual spend, as net_position_basis is actual), which is known; "
    assert found(scenario(cost_lines=lines, appraisal=appraisal)) == [
        (("appraisal", "category_optimism_bias", "staf"), True, "no cost line has category 'staf' (did you mean "
                                                                "'staff'?)"),
        (("cost_lines", 0, "optimism_bias"), False, why.format("cost line 'A' is")
         + "remove it, or give the line kind: committed if it is not yet spent"),
        (("appraisal", "category_optimism_bias", "staff"), True, why.format("every line of category 'staff' is")
         + "remove it, or mark the lines not yet spent committed"),
    ]
    # with no committed line, the appraisal-wide bias has nothing to uplift
    outturn = [line for line in lines if line["name"] != "C"]
    assert found(scenario(cost_lines=outturn, appraisal={"cost_optimism_bias": {"percent": 5}}))[-1] == (
        ("appraisal", "cost_optimism_bias"), False, why.format("every cost set against the benefits here is")
        + "remove it, add the committed (not yet spent) lines it should apply to, or appraise the budget as a "
          "forecast with net_position_basis: budget")
    assert found(scenario(cost_lines=outturn, appraisal={"cost_optimism_bias": {"percent": 0}})) == [
        (("cost_lines", 0, "optimism_bias"), False, why.format("cost line 'A' is")
         + "remove it, or give the line kind: committed if it is not yet spent")]
    # on the budget basis everything is a forecast
    assert found(scenario(cost_lines=lines, appraisal=appraisal, net_position_basis="budget")) == [
        (("appraisal", "category_optimism_bias", "staf"), True, "no cost line has category 'staf' (did you mean "
                                                                "'staff'?)")]
    # a malformed bias is reported alone: the outturn rule waits for it
    malformed = [{**lines[0], "optimism_bias": {"grade": 1, "percent": 10}}]
    assert found(scenario(cost_lines=malformed, appraisal={"cost_optimism_bias": {}})) == [
        (("appraisal", "cost_optimism_bias"), False, "give either grade or percent"),
        (("cost_lines", 0, "optimism_bias"), False, "give either grade or percent"),
    ]


def test_a_categorys_bias_looks_at_the_lines_without_their_own():
    """Category staff: a committed line with its own bias (the category's does not reach it) and an outturn line:
    the category's bias would uplift only outturn."""
    lines = [{"name": "X", "kind": "committed", "actual": {"2020/21": 5}, "optimism_bias": {"percent": 0},
              "category": "staff"},
             {"name": "Y", "actual": {"2019/20": 5}, "category": "staff"}]
    assert [loc for loc, _, _ in found(scenario(cost_lines=lines, appraisal={
        "category_optimism_bias": {"staff": {"percent": 5}}}))] == [("appraisal", "category_optimism_bias", "staff")]


def test_outturn_bias_against_another_basis():
    from cba.check.settings import outturn_bias_problems
    from cba.model.scenario import NetPositionBasis

    lines = [{"name": "A", "actual": {"2019/20": 5}, "budget": {"2019/20": 5}, "optimism_bias": {"percent": 10}}]
    s = scenario(cost_lines=lines, net_position_basis="budget")
    assert phases.as_written(s) == []
    assert [p.location for p in outturn_bias_problems(s, NetPositionBasis.funding)] == [("cost_lines", 0, "optimism_bias")]
    assert outturn_bias_problems(s, NetPositionBasis.budget) == []
    unquantified = scenario(cost_lines=[{"name": "A", "quantified": False, "optimism_bias": {"percent": 10}}])
    assert outturn_bias_problems(unquantified) == []


TABLE = """id,description,unit,value,price_year,agency,value_type,cashable,confidence,source
wk,A week of care,per week,700,2013/14,Local Authority,fiscal,true,,s
yr,A year of care,per year,58664,2019/20,Local Authority,fiscal,true,3,s
case,A case,per case,1701,2020/21,Local Authority,fiscal,false,6,s
day,A day,Per Day,10,2018/19,Local Authority,fiscal,false,2,s
hour,An hour,hourly,10,not stated,Local Authority,fiscal,false,2,s
"""


@pytest.fixture
def book(tmp_path):
    from cba.io.unit_cost_table import load_table
    from cba.model.cost_book import CostBook

    path = tmp_path / "t.csv"
    path.write_text(TABLE)
    return CostBook([("t", load_table(path))], {})


def with_costs(s: Scenario, costs) -> list[tuple[Any, bool, str]]:
    return [(p.location, p.key, p.message) for p in phases.with_costs(s, costs)]


def test_each_reference_resolves_and_a_rate_of_time_has_its_conversion(book):
    s = scenario(outcomes=[
        outcome(baseline=3, follow_up=2, unit_cost="wk"),
        outcome(id="b", baseline=3, follow_up=2, unit_cost="wk", conversion={"factor": 52, "reason": "weeks"}),
        outcome(id="c", baseline=3, follow_up=2, unit_cost="day"),
        outcome(id="d", baseline=3, follow_up=2, unit_cost="hour"),
        outcome(id="e", baseline=3, follow_up=2, values=[{"unit_cost": "nope"}, {"unit_cost": "wk"}]),
    ], cost_lines=[{"name": "A", "units": {"unit_cost": "cse", "actual": {"2019/20": 1}}},
                   {"name": "B", "units": {"unit_cost": "case", "actual": {"2019/20": 1}}}])
    got = with_costs(s, book)
    assert got[:3] == [
        (("outcomes", 0, "unit_cost"), False, "'wk' is priced per week but outcome 'lac' needs a cost per unit of the "
                                              "outcome; add conversion: {factor: 52.14, reason: weeks in a year} (or "
                                              "the factor that fits)"),
        (("outcomes", 2, "unit_cost"), False, "'day' is priced per day but outcome 'c' needs a cost per unit of the "
                                              "outcome; add conversion: {factor: 365.25, reason: days in a year} (or "
                                              "the factor that fits)"),
        (("outcomes", 3, "unit_cost"), False, "'hour' is priced hourly but outcome 'd' needs a cost per unit of the "
                                              "outcome; add conversion: {factor: the hours one unit takes, reason: "
                                              "...} (or the factor that fits)"),
    ]
    # an unknown value does not stop the outcome's other values being checked
    assert [(loc, key) for loc, key, _ in got[3:]] == [(("outcomes", 4, "values", 0, "unit_cost"), False),
                                                       (("outcomes", 4, "values", 1, "unit_cost"), False),
                                                       (("cost_lines", 0, "units", "unit_cost"), False)]
    assert got[3][2].startswith("unknown unit cost 'nope'") and got[5][2].startswith("unknown unit cost 'cse'")
    assert got[4][2].startswith("'wk' is priced per week but outcome 'e' needs a cost per unit of the outcome")


def test_a_yearly_cost_in_a_scenario_by_quarters_or_months(book):
    quarters = ["2019/20 Q1", "2019/20 Q2"]
    lines = [{"name": "A", "actual": {"2019/20 Q1": 5}}]
    s = scenario(periods=quarters, cost_lines=lines, outcomes=[outcome(baseline=3, follow_up=2, unit_cost="yr"),
                                                             outcome(id="b", baseline=3, follow_up=2, unit_cost="case")])
    assert with_costs(s, book) == [
        (("outcomes", 0, "unit_cost"), False, "'yr' is priced per year but the scenario's periods are quarters: add "
                                              "conversion: {factor: 1/4, reason: a quarter of a yearly cost} if the "
                                              "volume counts quarters, or {factor: 1, reason: the volume counts years} "
                                              "if it counts years"),
    ]
    months = scenario(periods=["2019-04"], cost_lines=[{"name": "A", "actual": {"2019-04": 5}}],
                      outcomes=[outcome(baseline=3, follow_up=2, unit_cost="yr")])
    assert "{factor: 1/12, reason: a month of a yearly cost}" in with_costs(months, book)[0][2]
    years = scenario(outcomes=[outcome(baseline=3, follow_up=2, unit_cost="yr")])
    assert with_costs(years, book) == []


def test_a_price_year_after_the_price_base_needs_a_deflator(book):
    from cba.check.unit_costs import price_year_problems

    # only a scenario that opts out of real terms uses a value as published, so only there is a later year wrong
    s = scenario(price_base="2019/20", real_terms=False,
                 outcomes=[outcome(baseline=3, follow_up=2, unit_cost="case"),
                           outcome(id="b", baseline=3, follow_up=2, unit_cost="yr"),
                           outcome(id="c", baseline=3, follow_up=2, unit_cost="hour")])
    found_ = list(price_year_problems(s, book, "s.yaml"))
    assert [(p.location.line, p.location.column, p.key, p.message) for p in found_] == [  # type: ignore[union-attr]
        (4, 27, False, "price year 2020/21 of 'case' is later than the price base 2019/20 of s.yaml; give a cost at "
                       "or before the price base, or leave real_terms on to deflate it")]
    assert list(price_year_problems(s.model_copy(update={"real_terms": True}), book, "s.yaml")) == []
    from cba.model.scenario import AppraisalSettings

    # the older spelling, appraisal.uprate, says the same when real_terms is not written
    older = scenario(price_base="2019/20", outcomes=s.outcomes, appraisal=AppraisalSettings(uprate=False))
    assert len(list(price_year_problems(older, book, "s.yaml"))) == 1
    uprated = scenario(price_base="2019/20", outcomes=s.outcomes, appraisal=AppraisalSettings(uprate=True))
    assert list(price_year_problems(uprated, book, "s.yaml")) == []


def ranges(s: Scenario) -> list[tuple[Any, str]]:
    from cba.check.uncertainty import uncertainty_problems

    found_ = list(uncertainty_problems(s, None))  # type: ignore[arg-type]
    assert all(p.key is False for p in found_)  # each points at a value
    return [(p.location, p.message) for p in found_]


U = {"distribution": "uniform", "low": 0.1, "high": 0.2}


def test_a_distribution_complete_ordered_and_within_its_inputs_bounds():
    from cba.check.uncertainty import distribution_problems
    from cba.model.scenario import Distribution

    def problems(key: str = "", **d: Any) -> list[tuple[Any, str]]:
        found_ = distribution_problems(Distribution.model_validate(d), key)
        assert all(p.key is False for p in found_)  # each points at a value
        return [(p.location, p.message) for p in found_]

    assert problems(distribution="uniform", low=1) == [((), "a uniform distribution needs low, high; high is missing")]
    assert problems(distribution="triangular", low=1, high=2) == [
        ((), "a triangular distribution needs low, mode, high; mode is missing")]
    assert problems(distribution="normal", mean=1) == [((), "a normal distribution needs mean, sd; sd is missing")]
    assert problems("lac.deadweight", distribution="normal", mean=0.5, sd=0.1) == [
        ((), "a normal distribution needs mean, sd, low, high; low is missing"),
        ((), "a normal distribution needs mean, sd, low, high; high is missing")]
    assert problems(distribution="uniform", low=2, high=1) == [(("low",), "low (2) is above high (1)")]
    assert problems(distribution="uniform", low=1, high=1) == []
    assert problems(distribution="triangular", low=1, mode=3, high=2) == [
        (("mode",), "mode (3) must lie between low and high")]
    assert problems(distribution="triangular", low=1, mode=0, high=2) == [
        (("mode",), "mode (0) must lie between low and high")]
    assert problems(distribution="triangular", low=1, mode=1, high=1) == []
    assert problems(distribution="normal", mean=1, sd=0) == [(("sd",), "sd must be positive")]
    assert problems(distribution="normal", mean=1, sd=-1) == [(("sd",), "sd must be positive")]
    # an interval so far in a tail that no draw can fall in it (issue 33: it looped for ever); 8 to 9 sd is drawn
    assert problems(distribution="normal", mean=0, sd=1, low=40, high=41) == [
        (("low",), "low to high (40 to 41) lies so far in the tail of a normal with mean 0 and sd 1 that no draw "
                   "can fall in it; move the bounds or the mean, or widen sd")]
    assert problems(distribution="normal", mean=0, sd=1, low=8, high=9) == []
    assert problems("lac.deadweight", distribution="uniform", low=0, high=1.5) == [
        ((), "an adjustment's range must be within 0 and 1")]
    assert problems("lac.deadweight", distribution="uniform", low=0, high=1) == []
    assert problems("lac.cohort.engagement", distribution="triangular", low=-0.1, mode=0, high=1) == [
        ((), "lac.cohort.engagement's range must be within 0 and 1")]
    assert problems("lac.timing.duration", distribution="uniform", low=0, high=2) == [
        ((), "lac.timing.duration's range must be whole years from 1 to 500")]
    assert problems("costs.0", distribution="uniform", low=-1.5, high=0) == [
        ((), "costs.0's range must be at least -1 (-1 is -100%)")]
    assert problems("costs.0", distribution="normal", mean=0, sd=0.1, low=-1, high=2) == []
    # bounded on one side only (a line's change is at least -100%): a normal must still be truncated
    assert problems("costs.0", distribution="normal", mean=0, sd=0.1) == [
        ((), "a normal distribution needs mean, sd, low, high; low is missing"),
        ((), "a normal distribution needs mean, sd, low, high; high is missing")]
    assert problems("appraisal.cost_optimism_bias", distribution="normal", mean=0, sd=0.1, high=1) == [
        ((), "a normal distribution needs mean, sd, low, high; low is missing")]
    assert problems("SS1.0", distribution="normal", mean=0, sd=0.1) == []  # a unit cost: unbounded


def test_ranges_name_inputs_the_scenario_has(book):
    s = scenario(
        outcomes=[outcome(baseline=3, follow_up=2, unit_cost="yr"),
                  outcome(id="c", unit_cost="yr", cohort={"size": 3, "engagement": 1, "success": 1}),
                  outcome(id="v", unit_cost="yr", volumes={"2019/20": 3}),
                  outcome(id="s", baseline=3, follow_up=2, unit_cost="yr", timing={"spread": {"years": 2}}),
                  outcome(id="i", unit_cost="yr", cohort={"intake": {"2019/20": 3}, "engagement": 1, "success": 1})],
        cost_lines=[{"id": "team", "name": "A", "actual": {"2019/20": 5}},
                    {"name": "B", "quantified": False}],
        uncertainty={
            "unit_costs": {"yr": U, "wk": U},
            "outcomes": {
                "lca": {"deadweight": U},
                "lac": {"cohort": {"size": U}, "volumes": {"2019/20": U}, "deadweight": {**U, "high": 2}},
                "c": {"change": U, "timing": {"duration": {**U, "low": 1, "high": 2}}},
                "v": {"timing": {"start_year": {**U, "low": 0, "high": 1}}, "volumes": {"2020/21": U}},
                "s": {"timing": {"duration": {**U, "low": 1, "high": 2}, "drop_off": U, "start_year": U}},
                "i": {"timing": {"drop_off": U}},
            },
            "cost_lines": {"tema": U and {"change": U}, "1": {"change": U}, "team": {"optimism_bias": U}},
            "appraisal": {"discount_rate": U, "cost_optimism_bias": U},
        },
    )
    assert ranges(s) == [
        (("uncertainty", "unit_costs", "wk"), "unit cost 'wk' is not used by any outcome"),
        (("uncertainty", "outcomes", "lca"), "no outcome 'lca' (did you mean 'lac'?)"),
        (("uncertainty", "outcomes", "lac", "cohort"), "a range on the cohort needs an outcome given by a cohort"),
        (("uncertainty", "outcomes", "lac", "volumes", "2019/20"),
         "outcome 'lac' has no volume for 2019/20; a range by year needs volumes given by year"),
        (("uncertainty", "outcomes", "lac", "deadweight"), "an adjustment's range must be within 0 and 1"),
        (("uncertainty", "outcomes", "c", "change"),
         "a range on the change needs an outcome given by baseline and follow_up"),
        (("uncertainty", "outcomes", "v", "timing"),
         "volumes by year already say when the benefit falls; give ranges for the years' volumes instead"),
        (("uncertainty", "outcomes", "v", "volumes", "2020/21"), "outcome 'v' has no volume for 2020/21; its years: 2019/20"),
        (("uncertainty", "outcomes", "s", "timing", "duration"),
         "outcome 's' spreads its value over set years: only the lag (start_year) can have a range"),
        (("uncertainty", "outcomes", "s", "timing", "drop_off"),
         "outcome 's' spreads its value over set years: only the lag (start_year) can have a range"),
        (("uncertainty", "outcomes", "i", "timing", "drop_off"),
         "outcome 'i' takes people on by intake: only the lag (start_year) can have a range"),
        (("uncertainty", "cost_lines", "tema"), "no cost line 'tema' (did you mean 'team'?); name a line by its id, or "
                                                "by its position (0 for the first) when it has none"),
        (("uncertainty", "cost_lines", "1"), "cost line 'B' is not quantified, so nothing of it can vary"),
        (("uncertainty", "cost_lines", "team", "optimism_bias"),
         "optimism bias corrects forecasts, but cost line 'A' is outturn (actual spend, as net_position_basis is actual)"),
        (("uncertainty", "appraisal", "discount_rate"),
         "a range on the discount rate needs a discounted appraisal (appraisal: {discounting: green_book})"),
        (("uncertainty", "appraisal", "cost_optimism_bias"),
         "no forecast cost line (a budget, or committed spend) takes the appraisal-wide optimism bias, so its range "
         "moves nothing"),
    ]
    assert ranges(scenario()) == []


def test_an_appraisal_wide_bias_range_moves_a_forecast_line_without_its_own():
    lines = [{"name": "A", "budget": {"2019/20": 5}, "category": "staff"}]
    spec = {"appraisal": {"cost_optimism_bias": U, "discount_rate": {**U, "low": 0, "high": 0.1}}}
    discounted = {"discounting": "green_book"}
    assert ranges(scenario(cost_lines=lines, net_position_basis="budget", appraisal=discounted, uncertainty=spec)) == []
    own = [{**lines[0], "optimism_bias": {"percent": 5}}]
    assert [m for _, m in ranges(scenario(cost_lines=own, net_position_basis="budget", uncertainty=spec))] == [
        "a range on the discount rate needs a discounted appraisal (appraisal: {discounting: green_book})",
        "no forecast cost line (a budget, or committed spend) takes the appraisal-wide optimism bias, so its range "
        "moves nothing"]
    by_category = {**discounted, "category_optimism_bias": {"staff": {"percent": 5}}}
    assert len(ranges(scenario(cost_lines=lines, net_position_basis="budget", appraisal=by_category,
                               uncertainty=spec))) == 1
    unquantified = [{"name": "A", "quantified": False, "kind": "committed"}]
    assert len(ranges(scenario(cost_lines=unquantified, appraisal=discounted, uncertainty=spec))) == 1


@pytest.fixture
def reference(tmp_path):
    """The bundled schedule, a deflator of three years and a grade table of two grades."""
    from cba.io.files import shipped
    from cba.io.reference_data import DEFAULT_SCHEDULE, load_deflator, load_grades, load_schedule
    from cba.model.reference import ReferenceData

    (tmp_path / "deflator.csv").write_text("year,index\n2013/14,82\n2019/20,91\n2020/21,95\n")
    (tmp_path / "grades.csv").write_text("grade,percent,meaning\n1,0,\n3,10,\n")
    return ReferenceData(load_deflator(tmp_path / "deflator.csv"), load_schedule(shipped(DEFAULT_SCHEDULE)),
                         load_grades(tmp_path / "grades.csv"))


def test_the_reference_series_hold_every_grade_and_year_used(book, reference):
    from cba.check.reference import needs_reference, reference_problems

    def problems(s: Scenario) -> list[tuple[str, int, str]]:
        found_ = list(reference_problems(s, book, reference, "s.yaml"))
        assert all(p.key is False for p in found_)
        return [(p.location.file.rsplit("/", 1)[-1], p.location.line, p.message)  # type: ignore[union-attr]
                for p in found_]

    def columns(s: Scenario) -> list[tuple[int, int]]:
        return [(p.location.line, p.location.column)  # type: ignore[union-attr]
                for p in reference_problems(s, book, reference, "s.yaml")]

    graded = scenario(
        outcomes=[outcome(baseline=3, follow_up=2, unit_cost="yr", optimism_bias={"grade": 2}),
                  outcome(id="b", baseline=3, follow_up=2, unit_cost="wk", conversion={"factor": 52, "reason": "w"}),
                  outcome(id="c", baseline=3, follow_up=2, unit_cost="day", optimism_bias={"percent": 5})],
        cost_lines=[{"name": "A", "actual": {"2019/20": 5}, "optimism_bias": {"grade": 4}}],
        appraisal={"cost_optimism_bias": {"grade": 5}, "category_optimism_bias": {"x": {"grade": 6}},
                   "benefit_optimism_bias": "by_confidence"},
        real_terms=False,  # grades only here: the deflator's years are checked below
    )
    assert needs_reference(graded)
    # a table's cell where the entry says it (confidence of 'wk': the 10th field, from column 68), else
    # the series' first line
    assert columns(graded) == [(2, 68), (1, 1), (1, 1), (1, 1), (1, 1)]
    assert problems(graded) == [
        ("t.csv", 2, "'wk' has no confidence grade, so benefit_optimism_bias: by_confidence cannot price outcome 'b'; "
                     "grade it or give the outcome an optimism_bias"),
        ("grades.csv", 1, "no optimism-bias percentage for grade 2"),
        ("grades.csv", 1, "no optimism-bias percentage for grade 4"),
        ("grades.csv", 1, "no optimism-bias percentage for grade 5"),
        ("grades.csv", 1, "no optimism-bias percentage for grade 6"),
    ]
    # by_confidence reads the grade of each priced outcome without its own bias: 'case' is graded 6
    confident = scenario(outcomes=[outcome(baseline=3, follow_up=2, unit_cost="case")],
                         appraisal={"benefit_optimism_bias": "by_confidence"})
    assert problems(confident) == [("grades.csv", 1, "no optimism-bias percentage for grade 6")]
    uprated = scenario(
        price_base="2018/19",
        periods=["2019/20", "2020/21", "2021/22"],
        cost_lines=[{"name": "A", "actual": {"2019/20": 5, "2021/22": 1}},
                    {"name": "B", "budget": {"2019/20": 5}, "price_basis": "2017/18"}],
        outcomes=[outcome(baseline=3, follow_up=2, unit_cost="day"), outcome(id="h", baseline=3, follow_up=2,
                                                                            unit_cost="hour")],
        appraisal={"uprate": True},
    )
    assert columns(uprated) == [(1, 1), (1, 1), (1, 1), (5, 22)]  # 'day''s price year: the 5th field, column 22
    assert problems(uprated) == [
        ("deflator.csv", 1, "no deflator value for the price base 2018/19 of s.yaml"),
        ("deflator.csv", 1, "no deflator value for 2021/22, needed to bring the costs of s.yaml to 2018/19 prices; "
                            "add it or supply another series"),
        ("deflator.csv", 1, "no deflator value for 2017/18, needed to bring the costs of s.yaml to 2018/19 prices; "
                            "add it or supply another series"),
        ("t.csv", 5, "price year 2018/19 of 'day' is not in the deflator series " + reference.deflator.source.name
         + "; add it or supply another series"),
    ]
    assert needs_reference(scenario())  # real terms by default: the deflator brings the costs to the price base
    assert not needs_reference(scenario(real_terms=False))
    assert not needs_reference(scenario(real_terms=False, outcomes=[outcome(baseline=3, follow_up=2)]))
    assert needs_reference(scenario(real_terms=False,
                                    outcomes=[outcome(baseline=3, follow_up=2, optimism_bias={"percent": 1})]))
    assert needs_reference(scenario(real_terms=False, cost_lines=[{"name": "A", "budget": {"2019/20": 1},
                                                                   "optimism_bias": {"percent": 1}}]))


def test_any_bias_but_zero_on_outturn_is_reported():
    """1% is as much an uplift as 10%; 0% uplifts nothing and is let pass; a grade is an uplift."""
    for bias in ({"percent": 1}, {"grade": 2}):
        lines = [{"name": "A", "actual": {"2019/20": 5}, "optimism_bias": bias, "category": "c"},
                 {"name": "B", "actual": {"2019/20": 5}, "category": "c"}]
        appraisal = {"cost_optimism_bias": bias, "category_optimism_bias": {"c": bias}}
        assert [loc for loc, _, _ in found(scenario(cost_lines=lines, appraisal=appraisal))] == [
            ("cost_lines", 0, "optimism_bias"), ("appraisal", "category_optimism_bias", "c"),
            ("appraisal", "cost_optimism_bias")]
    zero = {"percent": 0}
    lines = [{"name": "A", "actual": {"2019/20": 5}, "optimism_bias": zero, "category": "c"},
             {"name": "B", "actual": {"2019/20": 5}, "category": "c"}]
    assert found(scenario(cost_lines=lines, appraisal={"cost_optimism_bias": zero,
                                                       "category_optimism_bias": {"c": zero}})) == []



def test_each_inputs_value_as_written_for_the_range_warning():
    """What range_warnings compares with each range's percentiles: the value as the scenario writes it, on the
    range's scale (a change as follow-up - baseline, a percentage as a share); None where it needs more."""
    from cba.check.uncertainty import written_value
    from cba.model.cost_book import CostBook

    s = scenario(
        cost_lines=[{"id": "team", "name": "A", "budget": {"2019/20": 10}, "optimism_bias": {"percent": 20}},
                    {"name": "B", "actual": {"2019/20": 5}}],
        appraisal={"discounting": "green_book", "discount_rate": "0.05", "cost_optimism_bias": {"percent": 15}},
        outcomes=[
            {"id": "lac", "measure": "m", "baseline": 480, "follow_up": 420, "deadweight": "0.1",
             "optimism_bias": {"percent": 5}, "timing": {"start_year": 1, "duration": 2}},
            {"id": "c", "measure": "m", "cohort": {"size": 30, "engagement": "0.5", "success": "0.4"}},
            {"id": "v", "measure": "m", "volumes": {"2019/20": 7}},
            {"id": "g", "measure": "m", "volumes": {"2019/20": 1}, "optimism_bias": {"grade": 3}},
        ],
    )
    book = CostBook([], {})
    expected = {
        "costs.team": Decimal(0), "costs.1": Decimal(0), "costs.team.optimism_bias": Decimal("0.2"),
        "costs.1.optimism_bias": None, "costs.nope": None,
        "appraisal.cost_optimism_bias": Decimal("0.15"), "appraisal.discount_rate": Decimal("0.05"),
        "lac": Decimal(-60), "lac.deadweight": Decimal("0.1"), "lac.optimism_bias": Decimal("0.05"),
        "lac.timing.start_year": Decimal(1), "lac.timing.duration": Decimal(2),
        "c": None, "c.cohort.size": Decimal(30), "c.cohort.engagement": Decimal("0.5"),
        "v.volumes.2019/20": Decimal(7), "v.volumes.2020/21": None,
        "g.optimism_bias": None,  # a grade's percentage is in the grade table
        "lac-year": None,  # no such table entry here
    }
    assert {k: written_value(s, book, k) for k in expected} == expected


def test_a_value_as_written_outside_its_ranges_percentiles_is_a_warning():
    """uniform(0, 1) has its 5th and 95th percentiles at 0.05 and 0.95 exactly: a deadweight written 0.95 and an
    attribution written 0.05 lie on the edges (no warning); a displacement written 0.96 lies outside (a warning at
    its range). A range whose value as written needs more than the scenario (a unit cost with no table here) is
    passed over, and the ranges after it are still checked."""
    from cba.check.uncertainty import range_warnings
    from cba.model.cost_book import CostBook

    uniform = {"distribution": "uniform", "low": 0, "high": 1}
    s = scenario(
        outcomes=[{"id": "lac", "measure": "m", "baseline": 480, "follow_up": 420, "deadweight": "0.95",
                   "attribution": "0.05", "displacement": "0.96", "unit_cost": "lac-year"}],
        uncertainty={"unit_costs": {"lac-year": {"distribution": "uniform", "low": 1, "high": 2}},
                     "outcomes": {"lac": {"deadweight": uniform, "attribution": uniform, "displacement": uniform}}},
    )
    assert [(p.location, p.key, p.message) for p in range_warnings(s, CostBook([], {}))] == [
        (("uncertainty", "outcomes", "lac", "displacement"), False,
         "warning: lac.displacement as written (0.96) lies outside its own range's 5th to 95th percentiles "
         "(0.05 to 0.95); the headline figures use the value as written"),
    ]
