"""Totals published over several periods, spread over them (issue 30, item 3): ``spread:`` on cost lines and
transfers, ``volume_spread:`` on outcomes. Every expected figure is worked by hand here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import cli, only_problem, run_json

SPREAD = """name: Spread totals (illustrative)
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24, 2024/25]
net_position_basis: actual
appraisal: {discounting: green_book}
parties: [Social investors]
cost_lines:
  - name: Family support workers
    spread: {budget: 300000, actual: 290000, years: 3}
  - name: Set-up
    spread: {actual: 100000, from: 2023/24, years: 2, profile: [0.75, 0.25]}
outcomes:
  - id: lac
    measure: Children kept out of care
    volume_spread: {total: 12, years: 4}
    value: {amount: 50000, unit: per child-year, price_year: 2022/23, source: Illustrative}
    attributable: true
transfers:
  - {name: Grant, from: Social investors, to: Local Authority, spread: {total: 100000, years: 3}}
"""

R = Decimal("1.035")  # the Green Book's standard rate for the first 30 years


def _q(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _run(write_scenario, text: str = SPREAD, *args: str):
    return run_json(write_scenario(text), *args)


def test_a_cost_lines_totals_are_spread_evenly_and_sum_exactly(write_scenario):
    data = _run(write_scenario)
    line = data["costs"]["lines"][0]
    assert line["budget"] == {"2022/23": "100000.00", "2023/24": "100000.00", "2024/25": "100000.00"}
    # 290,000 / 3 = 96,666.666...: the last period takes what is left, so the total is exact, not 289,999.99
    assert line["actual"] == {"2022/23": "96666.67", "2023/24": "96666.67", "2024/25": "96666.67"}
    assert line["actual_total"] == "290000.00" and line["budget_total"] == "300000.00"
    assert line["spread"] == {
        "from": "2022/23",
        "periods": 3,
        "profile": "even",
        "totals": {"budget": "300000.00", "actual": "290000.00"},
    }
    setup = data["costs"]["lines"][1]  # 0.75 and 0.25 of 100,000 from 2023/24; nothing budgeted
    assert setup["actual"] == {"2022/23": "0.00", "2023/24": "75000.00", "2024/25": "25000.00"}
    assert setup["budget_total"] == "0.00" and setup["spread"]["profile"] == ["0.750000", "0.250000"]


def test_a_volume_spread_is_valued_year_by_year(write_scenario):
    data = _run(write_scenario)
    (outcome,) = data["outcomes"]
    # 12 children over 4 years: 3 a year at £50,000 = £150,000 a year, undiscounted 600,000
    assert outcome["attributable_value"] == "600000.00"
    assert outcome["volume_spread"]["totals"] == {"volume": "12"}
    pv = sum((Decimal(150000) / R**t for t in range(4)), Decimal(0))
    assert _q(pv) == "570245.55"
    assert data["appraisal"]["pv_benefits"]["fiscal"] == _q(pv)


def test_a_transfer_spread_is_paid_by_period(write_scenario):
    data = _run(write_scenario)
    (grant,) = data["transfers"]
    third = Decimal(100000) / 3
    assert grant["paid"][:3] == [_q(third)] * 3 and grant["total"] == "100000.00"
    pv = third + third / R + (Decimal(100000) - 2 * third) / R**2
    assert grant["pv"] == _q(pv) == "96656.48"
    assert grant["spread"]["totals"] == {"total": "100000.00"}


def test_every_face_says_how_a_total_was_spread(write_scenario, tmp_path, monkeypatch):
    path = write_scenario(SPREAD)
    monkeypatch.setenv("COLUMNS", "200")
    text = cli("run", path).stdout
    assert "£300,000 budget and £290,000 actual over 3 years from 2022/23, evenly" in text
    assert "£100,000 actual over 2 years from 2023/24, by shares 0.75 / 0.25" in text
    assert "12 in all over 4 years from 2022/23, evenly" in text
    grant = next(row for row in text.splitlines() if row.startswith("│ Grant"))
    assert "£100,000 over 3 years from 2022/23, evenly" in grant
    csv = cli("run", path, "--format", "csv").stdout.splitlines()
    assert "spread,Family support workers,money,actual total,,290000.00" in csv
    assert 'spread,Set-up,text,over,,"over 2 years from 2023/24, by shares 0.75 / 0.25"' in csv
    assert "spread,Grant,money,total,,100000.00" in csv
    out = tmp_path / "r.html"
    assert cli("report", path, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert 'id="spreads"' in html and "12 in all over 4 years from 2022/23, evenly" in html
    assert '<td data-label="How much">£100,000 over 3 years from 2022/23, evenly</td>' in html


def test_consistency_the_spreads_are_live_in_the_recalculated_workbook(write_scenario, tmp_path):
    import openpyxl

    from tests.test_export import recalculated
    from tests.test_scenario_shapes import recalculated_like_the_json

    out, book = recalculated_like_the_json(write_scenario(SPREAD), tmp_path)
    ws = book["Spreads"]
    assert [ws.cell(3, c).value for c in range(2, 7)] == ["budget", 300000, 100000, 100000, 100000]
    assert [ws.cell(9, c).value for c in range(2, 7)] == ["actual", 100000, None, 75000, 25000]
    # an auditor changes the set-up's total: the Costs sheet follows, through the Spreads sheet's formulas
    edited = openpyxl.load_workbook(out)
    edited["Spreads"]["C9"] = 200000
    edited.save(tmp_path / "edited.xlsx")
    (tmp_path / "again").mkdir()
    costs = recalculated(tmp_path / "edited.xlsx", tmp_path / "again")["Costs"]
    row = next(r for r in range(2, costs.max_row + 1) if costs.cell(r, 1).value == "Set-up")
    assert [costs.cell(row, c).value for c in (7, 8, 9, 10)] == [None, 150000, 50000, 200000]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (
                "    spread: {budget: 300000, actual: 290000, years: 3}",
                "    budget: {2022/23: 1}\n    spread: {budget: 300000, actual: 290000, years: 3}",
            ),
            "s.yaml:11:5: give the line's amounts one way: budget and actual by period, a spread of totals, units "
            "times a price, or means per participant in each arm",
        ),
        (
            ("{budget: 300000, actual: 290000, years: 3}", "{budget: 300000, actual: 290000, years: 4}"),
            "s.yaml:10:53: 4 periods from 2022/23 run to 2025/26, but 2025/26 is not one of the scenario's periods "
            "(2022/23, 2023/24, 2024/25); spread over the periods it covers",
        ),
        (
            ("from: 2023/24, years: 2", "from: 2021/22, years: 2"),
            "s.yaml:12:36: period 2021/22 is not one of the scenario's periods (2022/23, 2023/24, 2024/25)",
        ),
        (
            ("profile: [0.75, 0.25]", "profile: [0.75, 0.2]"),
            "s.yaml:12:64: the shares sum to 0.95; they must sum to exactly 1",
        ),
        (
            ("profile: [0.75, 0.25]", "profile: [1]"),
            "s.yaml:12:64: the profile gives 1 shares for 2 years; give one a year",
        ),
        (
            ("{budget: 300000, actual: 290000, years: 3}", "{years: 3}"),
            "s.yaml:10:13: a cost line's spread gives its total budget, its total actual, or both",
        ),
        (
            ("spread: {total: 100000, years: 3}}", "amounts: {2022/23: 1}, spread: {total: 100000, years: 3}}"),
            "s.yaml:20:5: give the transfer one way: amounts by period, per_outcome, multiple_of, or spread",
        ),
        (
            (
                "volume_spread: {total: 12, years: 4}",
                "volume_spread: {total: 12, years: 4}\n    timing: {start_year: 1}",
            ),
            "s.yaml:17:13: a volume spread already says when the benefit falls; remove timing",
        ),
        (
            ("volume_spread: {total: 12, years: 4}", "volume_spread: {total: 12, years: 4, from: 2020/21}"),
            "s.yaml:16:48: period 2020/21 is before the first appraisal period",
        ),
        (
            ("volume_spread: {total: 12, years: 4}", "volumes: {2022/23: 1}\n    volume_spread: {total: 12, years: 4}"),
            "s.yaml:14:5: give the volume one way: baseline and follow_up, or cohort, or volumes by year, or "
            "volume_spread, or amounts, or arms (got volumes and volume_spread)",
        ),
    ],
)
def test_a_bad_spread_is_one_positioned_line(write_scenario, change, message):
    old, new = change
    assert old in SPREAD
    assert only_problem(write_scenario(SPREAD.replace(old, new, 1))).endswith(message)


def test_a_spread_total_can_be_set_by_its_path(write_scenario):
    data = _run(write_scenario, SPREAD, "--set", "cost_lines.1.spread.actual=200000")
    setup = data["costs"]["lines"][1]
    assert setup["actual"] == {"2022/23": "0.00", "2023/24": "150000.00", "2024/25": "50000.00"}
    assert setup["spread"]["totals"] == {"actual": "200000.00"}


def test_the_last_period_takes_what_is_left_so_the_total_is_exact():
    from cba.model.scenario import CostSpread

    even = CostSpread.model_validate({"years": 3, "actual": 290000})
    amounts = even.split(Decimal(290000), "2022/23")
    assert list(amounts) == ["2022/23", "2023/24", "2024/25"]
    third = Decimal(290000) / 3
    assert amounts["2022/23"] == amounts["2023/24"] == third
    assert amounts["2024/25"] == Decimal(290000) - 2 * third != third  # the rest: total x share would lose a digit
    assert sum(amounts.values()) == 290000
    profiled = CostSpread.model_validate({"years": 3, "from": "2023/24", "actual": 1000, "profile": [0.25, 0.5, 0.25]})
    split = profiled.split(Decimal(1000), "2022/23")
    assert list(split) == ["2023/24", "2024/25", "2025/26"] and sum(split.values()) == 1000


def test_a_spread_after_items_without_one_is_checked_too(write_scenario):
    # a plain line and a plain outcome come first: the rules go on past them to the spreads
    text = SPREAD.replace("cost_lines:\n", "cost_lines:\n  - {name: Plain, actual: {2022/23: 1}}\n").replace(
        "outcomes:\n",
        "outcomes:\n  - {id: cin, measure: Plain, volumes: {2022/23: 1}, value: {amount: 1, price_year: 2022/23, "
        "source: Illustrative}}\n",
    )
    text = text.replace("profile: [0.75, 0.25]", "profile: [0.75, 0.2]").replace(
        "volume_spread: {total: 12, years: 4}", "volume_spread: {total: 12, years: 4, from: 2020/21}"
    )
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert [line.split("s.yaml:")[1] for line in lines] == [
        "13:64: the shares sum to 0.95; they must sum to exactly 1",
        "18:48: period 2020/21 is before the first appraisal period",
    ]


def test_a_spread_actual_is_outturn_so_takes_no_optimism_bias(write_scenario):
    text = SPREAD.replace(
        "    spread: {actual: 100000, from: 2023/24, years: 2, profile: [0.75, 0.25]}",
        "    spread: {actual: 100000, from: 2023/24, years: 2, profile: [0.75, 0.25]}\n    optimism_bias: {percent: 10}",
    )
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "optimism bias corrects forecasts, but cost line 'Set-up' is outturn (actual spend, as net_position_basis "
        "is actual), which is known; remove it, or give the line kind: committed if it is not yet spent"
    )


def test_a_line_with_a_source_and_no_note_keeps_its_source(write_scenario):
    text = SPREAD.replace(
        "    spread: {budget: 300000, actual: 290000, years: 3}",
        "    spread: {budget: 300000, actual: 290000, years: 3}\n    source: Grant letter, 3 May 2022",
    )
    line = _run(write_scenario, text)["costs"]["lines"][0]
    assert (line["source"], line["note"]) == ("Grant letter, 3 May 2022", None)
