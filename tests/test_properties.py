"""Properties of the appraisal that must hold for any scenario (hypothesis)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cba.engine.appraisal import appraise
from cba.io.reference_data import (
    DEFAULT_DEFLATOR,
    DEFAULT_GRADES,
    DEFAULT_SCHEDULE,
    load_deflator,
    load_grades,
    load_schedule,
)
from cba.model.reference import ReferenceData
from cba.model.scenario import Scenario
from cba.model.unit_cost import UnitCost

REFERENCE = ReferenceData(load_deflator(Path(DEFAULT_DEFLATOR)), load_schedule(Path(DEFAULT_SCHEDULE)),
                          load_grades(Path(DEFAULT_GRADES)))
PERIODS = ["2018/19", "2019/20", "2020/21"]
PRICE_YEARS = ["2015/16", "2017/18", "2019/20", "2020/21"]
VALUE_TYPES = ["fiscal", "economic", "social"]
AGENCIES = ["Local Authority", "NHS", "Police"]

money = st.integers(min_value=0, max_value=10**7).map(lambda pence: D(pence) / 100)
share = st.integers(min_value=0, max_value=100).map(lambda p: D(p) / 100)


@st.composite
def unit_costs(draw):
    n = draw(st.integers(1, 4))
    return {
        f"u{i}": UnitCost(id=f"u{i}", description="d", unit="per year", value=draw(money),
                          price_year=draw(st.sampled_from(PRICE_YEARS)), agency=draw(st.sampled_from(AGENCIES)),
                          value_type=draw(st.sampled_from(VALUE_TYPES)), cashable=draw(st.booleans()),
                          confidence=draw(st.integers(1, 6)), source="s")
        for i in range(n)
    }


@st.composite
def scenarios(draw, costs):
    lines = [
        {"name": f"line {i}", "kind": draw(st.sampled_from(["direct", "unplanned", "committed"])),
         "actual": {p: draw(money) for p in PERIODS if draw(st.booleans())},
         "budget": {p: draw(money) for p in PERIODS if draw(st.booleans())}}
        for i in range(draw(st.integers(1, 5)))
    ]
    outcomes = []
    for i in range(draw(st.integers(1, 4))):
        outcome = {"id": f"o{i}", "measure": "m", "unit_cost": draw(st.sampled_from(sorted(costs))),
                   "attributable": draw(st.booleans()), "deadweight": draw(share), "attribution": draw(share),
                   "displacement": draw(share), "discount": draw(st.sampled_from(["standard", "health"])),
                   "timing": {"start_year": draw(st.integers(0, 4)), "duration": draw(st.integers(1, 6)),
                              "drop_off": draw(share)}}
        if draw(st.booleans()):
            outcome.update(baseline=draw(st.integers(0, 500)), follow_up=draw(st.integers(0, 500)))
        else:
            outcome["cohort"] = {"size": draw(st.integers(0, 300)), "engagement": draw(share), "success": draw(share)}
        outcomes.append(outcome)
    return {
        "name": "p", "organisation": "o", "price_base": "2020/21", "periods": PERIODS,
        "funding": [{"name": "g", "amount": draw(money)}], "net_position_basis": "actual",
        "cost_lines": lines, "outcomes": outcomes,
        "appraisal": {"discounting": "green_book", "uprate": True, "horizon_years": draw(st.integers(3, 12)),
                      "benefit_optimism_bias": draw(st.sampled_from(["none", "by_confidence"]))}
        | ({"cost_optimism_bias": {"grade": draw(st.integers(1, 6))}}  # on forecasts only: here, committed spend
           if any(line["kind"] == "committed" and line["actual"] for line in lines) else {}),
    }


cases = unit_costs().flatmap(lambda costs: st.tuples(st.just(costs), scenarios(costs)))


def run(doc, costs):
    return appraise(Scenario.model_validate(doc), costs, reference=REFERENCE)


PROPERTY = settings(max_examples=150, deadline=None)


def close(x: D, y: D) -> bool:
    """Equal to 25 significant digits: Decimal keeps 28, and the last may move with the order of a sum."""
    return abs(x - y) <= D("1e-25") * max(abs(x), abs(y), D(1))


@PROPERTY
@given(cases)
def test_zero_discount_rate_equals_undiscounted_sums(case):
    costs, doc = case
    doc["appraisal"]["discount_rate"] = 0
    t = run(doc, costs).timeline
    assert t.pv_costs == sum(t.costs_adjusted, D(0))
    assert close(t.pv_benefits, sum(t.benefits_by_year(discounted=False), D(0)))


@PROPERTY
@given(cases)
def test_doubling_every_unit_cost_doubles_every_benefit(case):
    costs, doc = case
    doubled = {k: u.model_copy(update={"value": u.value * 2}) for k, u in costs.items()}
    a, b = run(doc, costs).timeline, run(doc, doubled).timeline
    for sa, sb in zip(a.streams, b.streams):
        for year in range(len(a.years)):
            assert close(sb.value(year), 2 * sa.value(year))
    assert close(b.pv_benefits, 2 * a.pv_benefits)


@PROPERTY
@given(cases)
def test_full_deadweight_gives_no_benefit(case):
    costs, doc = case
    for outcome in doc["outcomes"]:
        outcome["deadweight"] = 1
    result = run(doc, costs)
    assert result.timeline.pv_benefits == 0
    assert result.net.benefits == 0


@PROPERTY
@given(cases)
def test_discounting_never_increases_a_positive_future_value(case):
    costs, doc = case
    t = run(doc, costs).timeline
    for column in ("standard", "health"):
        factors = t.factors[column]
        assert factors[0] == 1
        assert all(0 < later <= earlier for earlier, later in zip(factors, factors[1:]))
    for s in t.streams:
        for year, pv in enumerate(t.pv_stream_by_year(s)):
            assert pv <= s.counted_value(year) or s.counted_value(year) < 0


@PROPERTY
@given(cases, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_lines_or_outcomes(case, random):
    costs, doc = case
    a = run(doc, costs)
    shuffled = dict(doc, cost_lines=random.sample(doc["cost_lines"], len(doc["cost_lines"])),
                    outcomes=random.sample(doc["outcomes"], len(doc["outcomes"])))
    b = run(shuffled, costs)
    assert a.total.actual_total == b.total.actual_total
    assert close(a.net.benefits, b.net.benefits)
    ta, tb = a.timeline, b.timeline
    # Sums of the same terms in another order may differ in the 28th significant digit (real-terms
    # factors and discount factors are not exact in decimal).
    assert abs(ta.pv_costs - tb.pv_costs) <= D("1e-18") * (1 + abs(ta.pv_costs))
    assert abs(ta.pv_benefits - tb.pv_benefits) <= D("1e-18") * (1 + abs(ta.pv_benefits))
    assert abs(ta.net_present_public_value - tb.net_present_public_value) <= D("1e-18") * (1 + abs(ta.pv_benefits))
    assert ta.payback == tb.payback or abs(ta.payback - tb.payback) < D("1e-15")
