"""Outcomes valued in WELLBYs and QALYs: the bundled values, their price years, and the health rate."""

from __future__ import annotations

from decimal import Decimal, localcontext

from .conftest import cli, run_json

SCENARIO = """\
name: Wellbeing and health
organisation: Test
price_base: 2022/23
periods: [2022/23, 2023/24]
unit_costs: wellbeing-and-health
net_position_basis: budget
appraisal: {discounting: green_book}
cost_lines: [{name: Service, budget: {2022/23: 100000}}]
outcomes:
  - {id: wb, measure: WELLBYs gained, volumes: {2022/23: 10, 2023/24: 10}, unit_cost: wellby, attributable: true}
  - {id: q, measure: QALYs gained, volumes: {2023/24: 2}, unit_cost: qaly, attributable: true}
  - {id: wb_std, measure: WELLBYs at the standard rate, volumes: {2023/24: 1}, unit_cost: wellby, discount: standard,
     attributable: true}
"""


def test_wellbys_and_qalys_are_valued_and_discounted_at_the_health_rate_by_hand(write_scenario):
    """A WELLBY is £13,000 in 2019 prices: x 102.0 / 90.3 (the bundled deflator, 2022/23 over calendar 2019)
    in 2022/23 prices. A QALY is £70,000 in 2022 prices: x 102.0 / 100.0. Both discounted at the health rate
    (1.5% in year 1) unless the scenario says otherwise, as wb_std does (3.5%)."""
    data = run_json(write_scenario(SCENARIO))
    streams = {b["outcome"]: b for b in data["appraisal"]["benefits"]}
    assert [streams[k]["discount"] for k in ("wb", "q", "wb_std")] == ["health", "health", "standard"]
    with localcontext() as exact:
        exact.prec = 50
        wellby = Decimal(13000) * Decimal("102.0") / Decimal("90.3")
        qaly = Decimal(70000) * Decimal("102.0") / Decimal("100.0")
        expected = {
            "wb": 10 * wellby + 10 * wellby / Decimal("1.015"),
            "q": 2 * qaly / Decimal("1.015"),
            "wb_std": wellby / Decimal("1.035"),
        }
    for key, value in expected.items():
        assert streams[key]["pv"] == str(value.quantize(Decimal("0.01"))), key
    assert data["headlines"]["pv_benefits"]["value"] == "446395.07"


def test_the_published_values_and_range_are_in_the_table():
    shown = cli("costs", "--unit-costs", "wellbeing-and-health", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    text = shown.stdout
    for figure in ("13000", "10000", "16000", "70000"):
        assert figure in text
    assert "Wellbeing Guidance for Appraisal" in text and "2019" in text
