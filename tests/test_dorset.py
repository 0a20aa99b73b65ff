"""The Dorset RSW evaluation, Appendix 3: every figure checked against the report.

The tables below are typed from the report (DfE, March 2020, Appendix 3, Tables 4
and 5) independently of scenarios/dorset-rsw.yaml; expected sums are worked out
here by hand arithmetic, never taken from cba's own output.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from cba.engine.appraisal import appraise
from cba.io.load import load
from cba.model.scenario import CostKind, NetPositionBasis

from .conftest import DORSET, cli

P = ["2016/17", "2017/18", "2018/19", "2019/20"]

# Table 4, anticipated costs: line -> (Year 1..4, printed Total)
TABLE_4 = {
    "Programme Management": ([69000, 138000, 69000, 0], 276000),
    "Embedded Researcher": ([17500, 39000, 17500, 0], 74000),
    "Peripatetic Social Work Team": ([208500, 417000, 208500, 0], 834000),
    "RSW Social Workers": ([31260, 78150, 39075, 0], 148485),
    "RSW Managers": ([9158, 18316, 9158, 0], 36632),
    "Appreciative inquiry": ([5000, 8000, 2000, 0], 15000),
    "Care Planning and permanence": ([6600, 6600, 6600, 0], 19800),
    "Social work forum": ([5700, 14000, 5700, 0], 25400),
    "User engagement": ([10000, 18000, 7000, 0], 35000),
    "Partner Engagement": ([9000, 18000, 9000, 0], 36000),
    "Coaching": ([18000, 28000, 18000, 0], 64000),
    "Learning and dissemination": ([10000, 20000, 45720, 0], 75720),
    "Learning and development contingency": ([11000, 22000, 11000, 0], 44000),
    "Business as usual Training and Development": ([0, 0, 30000, 75000], 105000),
    "Insights facilitation": ([24000, 42000, 10000, 0], 76000),
    "Manual, electronic tools and resources": ([10000, 50000, 30000, 0], 90000),
}
TABLE_4_PRINTED_SUBTOTALS = [469718, 984066, 555753, 95000]
TABLE_4_PRINTED_TOTAL = 1955037

# Table 5, actual expenditure (blank and '-' cells as 0)
TABLE_5_PLANNED = {
    "Programme Management": ([30818, 139410, 65814, 43552], 279594),
    "Embedded Researcher": ([0, 31309, 5176, 0], 36485),
    "Peripatetic Social Work Team": ([0, 177894, 533007, 228324], 939225),
    "RSW Social Workers": ([0, 26297, 40095, 33579], 99971),
    "RSW Managers": ([0, 13149, 20048, 3713], 36909),
    "Appreciative inquiry": ([0, 7973, 8958, 257], 17188),
    "Care Planning and permanence": ([0, 7973, 8958, 257], 17188),
    "Social work forum": ([0, 2000, 8100, 0], 10100),
    "User engagement": ([9500, 19363, 17489, 0], 46352),
    "Partner Engagement": ([0, 2231, 10001, 0], 12232),
    "Coaching": ([0, 20877, 22199, 19320], 62396),
    "Learning and dissemination": ([0, 0, 0, 5720], 5720),
    "Learning and development contingency": ([0, 0, 0, 0], 0),
    "Business as usual Training and Development": ([0, 12565, 7408, 53298], 73271),
    "Insights facilitation": ([0, 6093, 13923, 6901], 26917),
    "Manual, electronic tools and resources": ([0, 4163, 9533, 230], 13927),
}
TABLE_5_UNPLANNED = {
    "Community Care Inform licences": ([0, 10000, 27514, 0], 37514),
    "Staff advertising": ([0, 5176, 0, 0], 5176),
}
TABLE_5_COMMITTED = {
    "Learning and dissemination": ([0, 0, 0, 20000], 20000),
    "Partner engagement": ([0, 0, 0, 26500], 26500),
    "User engagement": ([0, 0, 0, 15000], 15000),
    "Coaching and mentoring": ([0, 0, 0, 37500], 37500),
    "Insights facilitation": ([0, 0, 0, 14000], 14000),
}
TABLE_5_PRINTED = {
    "Sub total": ([40318, 471297, 770708, 395151], 1677474),
    "Unplanned sub total": ([0, 15176, 27514, 0], 42690),
    "Committed sub-total": ([0, 0, 0, 113000], 113000),
    "TOTAL": ([40318, 486473, 798222, 508151], 1833164),
}
GRANT = 1849537


@pytest.fixture(scope="module")
def loaded():
    return load(DORSET)


@pytest.fixture(scope="module")
def result(loaded):
    return appraise(loaded.scenario, loaded.unit_costs)


def col_sums(table: dict) -> list[int]:
    return [sum(years[i] for years, _ in table.values()) for i in range(4)]


def test_scenario_encodes_tables_4_and_5_exactly(loaded):
    lines = {(l.name, l.kind): l for l in loaded.scenario.cost_lines}
    for kind, table in ((CostKind.direct, TABLE_5_PLANNED), (CostKind.unplanned, TABLE_5_UNPLANNED),
                        (CostKind.committed, TABLE_5_COMMITTED)):
        assert {n for n, k in lines if k is kind} == set(table)
        for name, (years, printed) in table.items():
            line = lines[(name, kind)]
            assert [line.actual.get(p, 0) for p in P] == years, name
            assert line.published.actual == printed, name
    for name, (years, printed) in TABLE_4.items():
        line = lines[(name, CostKind.direct)]
        assert [line.budget.get(p, 0) for p in P] == years, name
        assert line.published.budget == printed, name
    assert loaded.scenario.funding[0].amount == GRANT


def test_budget_total_matches_table_4(result):
    # Hand arithmetic: the line totals of Table 4 add up to the printed grand total.
    assert sum(total for _, total in TABLE_4.values()) == TABLE_4_PRINTED_TOTAL == 1955037
    assert result.total.budget_total == Decimal(1955037)
    assert [result.total.budget[p] for p in P] == col_sums(TABLE_4) == [444718, 917066, 518253, 75000]


def test_actual_totals_match_table_5_cells(result):
    planned, unplanned, committed = col_sums(TABLE_5_PLANNED), col_sums(TABLE_5_UNPLANNED), col_sums(TABLE_5_COMMITTED)
    assert planned == [40318, 471297, 770709, 395151]
    assert result.by_kind[CostKind.direct].actual_total == sum(planned) == 1677475
    assert result.by_kind[CostKind.unplanned].actual_total == sum(unplanned) == 42690
    assert result.by_kind[CostKind.committed].actual_total == sum(committed) == 113000
    grand = sum(planned) + sum(unplanned) + sum(committed)
    assert grand == 1833165  # the printed TOTAL is 1,833,164
    assert result.total.actual_total == grand
    assert result.total.variance == grand - 1955037 == -121872


def test_funding_less_actual(result):
    assert result.funding_total == GRANT
    assert result.funding_total - result.total.actual_total == 1849537 - 1833165 == 16372


@pytest.mark.parametrize(
    ("line", "stated"),
    [
        # Appendix 3 text, "Direct Costs": variances the report quotes, rounded by the report.
        ("Peripatetic Social Work Team", 105000),
        ("Manual, electronic tools and resources", -76000),
        ("Learning and dissemination", -70000),
        ("Insights facilitation", -49000),
        ("RSW Social Workers", -48500),
        ("Learning and development contingency", -44000),
        ("Embedded Researcher", -37500),
        ("Business as usual Training and Development", -31700),
    ],
)
def test_line_variances_match_the_report_text(result, line, stated):
    figures = next(f for f in result.lines if f.label == line and f.kind is CostKind.direct)
    budget, actual = TABLE_4[line][1], sum(TABLE_5_PLANNED[line][0])
    assert figures.variance == actual - budget
    assert abs(figures.variance - stated) < 250  # the report rounds to the nearest £100 or £1,000


def test_reconciliation_lists_exactly_the_published_totals_that_do_not_add_up(result):
    wrong = {c.label: (c.published, c.computed, c.difference) for c in result.disagreements}
    t4 = col_sums(TABLE_4)
    expected = {
        f"Table 4 Sub total, {P[i]}": (TABLE_4_PRINTED_SUBTOTALS[i], t4[i], TABLE_4_PRINTED_SUBTOTALS[i] - t4[i])
        for i in range(4)
    }
    expected.update({
        "RSW Managers (direct): actual total": (36909, 13149 + 20048 + 3713, -1),
        "Manual, electronic tools and resources (direct): actual total": (13927, 4163 + 9533 + 230, 1),
        "Table 5 Sub total, 2018/19": (770708, 770709, -1),
        "Table 5 Sub total, Total": (1677474, 1677475, -1),
        "Table 5 TOTAL, 2018/19": (798222, 770709 + 27514, -1),
        "Table 5 TOTAL, Total": (1833164, 1833165, -1),
    })
    assert wrong == expected
    assert [expected[f"Table 4 Sub total, {p}"][2] for p in P] == [25000, 67000, 37500, 20000]
    # Table 4's grand total and every other printed figure agree.
    assert any(c.label == "Table 4 Sub total, Total" and c.agrees for c in result.checks)


def test_identical_lines_are_flagged(result):
    assert [(w.measure, w.lines) for w in result.identical] == [
        ("actual", ("Appreciative inquiry", "Care Planning and permanence"))
    ]
    assert TABLE_5_PLANNED["Appreciative inquiry"] == TABLE_5_PLANNED["Care Planning and permanence"]


def test_outcomes_of_appendix_2_none_attributable(result):
    got = {o.id: (o.baseline, o.follow_up, o.attributable) for o in result.outcomes}
    assert got == {
        "referrals": (4890, 4690, False),
        "cin_episodes": (4150, 4490, False),
        "cpp": (350, 480, False),
        "lac": (480, 420, False),
        "repeat_referrals": (1360, 1280, False),
        "repeat_cpp": (80, 110, False),
        "nfa": (620, 130, False),
    }
    lac = next(o for o in result.outcomes if o.id == "lac")
    assert lac.unit_cost.value == 58664
    assert lac.value == 60 * 58664 == 3519840
    cin = next(o for o in result.outcomes if o.id == "cin_episodes")
    assert cin.value == -340 * 1701  # a rise in demand is a cost


def test_net_position_is_a_net_cost_of_the_grant(result):
    assert result.net.basis is NetPositionBasis.funding
    assert result.net.benefits == 0
    assert result.net.net == -1849537


def test_lac_what_if_as_in_the_report_closing_paragraph(loaded):
    what_if = appraise(loaded.scenario, loaded.unit_costs, attributable=["lac"])
    assert what_if.net.benefits == 3519840
    assert what_if.net.net == 3519840 - 1849537 == 1670303
    # "roughly twice the total cost": 3,519,840 / 1,849,537 = 1.9031...
    assert round(what_if.net.benefit_cost_ratio, 2) == Decimal("1.90")


def test_break_even_lac():
    # The report's what-if: the grant covered when 1,849,537 / 58,664 = 31.5 fewer children are looked after for a year.
    data = json.loads(cli("run", DORSET, "-f", "json").stdout)
    lac = next(s for s in data["switching_values"] if s["outcome"] == "lac" and s["basis"] == "net_position")
    assert Decimal(lac["units_needed"]) == (Decimal(1849537) / Decimal(58664)).quantize(Decimal("0.000001"))
    assert lac["per_unit"] == "58664.00" and lac["cost"] == "1849537.00" and lac["other_benefits"] == "0.00"


def test_other_bases(loaded):
    actual = appraise(loaded.scenario, loaded.unit_costs, basis=NetPositionBasis.actual)
    budget = appraise(loaded.scenario, loaded.unit_costs, basis=NetPositionBasis.budget)
    assert actual.net.net == -1833165
    assert budget.net.net == -1955037


def test_run_prints_the_report_figures():
    out = cli("run", DORSET).stdout
    for figure in ("£1,955,037", "£1,833,164", "£1,833,165", "£1,677,474", "£42,690", "£113,000", "£1,849,537",
                   "£469,718", "£444,718", "£25,000", "£3,519,840", "Net cost of £1.85 million", "31.5 fewer looked-after"):
        assert figure in out, figure
    assert "'Appreciative inquiry', 'Care Planning and permanence'" in out
    assert "Senior management time" in out  # in-kind, not quantified
    assert "10 do not" in out


def test_run_footer_names_inputs_with_their_hashes():
    import hashlib

    out = cli("run", DORSET).stdout
    scenario_hash = hashlib.sha256(DORSET.read_bytes()).hexdigest()
    table = DORSET.parent.parent / "unit_costs" / "children-social-care.csv"
    assert f"sha256:{scenario_hash}" in out
    assert f"sha256:{hashlib.sha256(table.read_bytes()).hexdigest()}" in out


def test_run_attributable_flag_is_the_lac60_what_if():
    out = cli("run", DORSET, "--attributable", "lac").stdout
    assert "Net benefit of £1.67 million" in out
    assert "1.90" in out


def test_json_output_is_exact_and_documented():
    data = json.loads(cli("run", DORSET, "--format", "json").stdout)
    assert data["schema_version"] == 3 and data["command"] == "run"
    assert data["costs"]["total"]["budget_total"] == "1955037.00"
    assert data["costs"]["total"]["actual_total"] == "1833165.00"
    assert data["costs"]["by_kind"]["unplanned"]["actual_total"] == "42690.00"
    assert data["costs"]["by_kind"]["committed"]["actual_total"] == "113000.00"
    assert data["funding"]["total"] == "1849537.00"
    assert data["net_position"] == {
        "basis": "funding", "cost_known": True, "cost": "1849537.00", "attributable_benefits": "0.00",
        "net": "-1849537.00", "benefit_cost_ratio": "0.000000",
    }
    assert data["headline"] == "net_position"
    assert data["headlines"]["net_position"]["value"] == "-1849537.00"
    # ten published totals that are not the sum of their cells, and the budget printed as "£1.95 million"
    # (£1,955,037 is £1.96 million to the nearest £10,000, half-up)
    assert data["reconciliation"]["disagreements"] == 11
    lac = [s for s in data["switching_values"] if s["outcome"] == "lac"]
    assert [s["units_needed"] for s in lac] == ["31.527632"]  # 1,849,537 / 58,664, to six places
    assert len(data["provenance"]["scenario"]["sha256"]) == 64 and len(data["provenance"]["inputs"][1]["sha256"]) == 64
