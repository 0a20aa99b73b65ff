"""The Green Book / GM CBA appraisal, checked against arithmetic written out by hand.

scenarios/edge-of-care-example.yaml is an illustrative scenario that exercises every
feature. Its expected results below are worked out line by line from the
method (../shared/reference/appraisal-method.md): inputs are typed from the
scenario, the example unit-cost table, the ONS deflator series and the Green Book
schedule; nothing is taken from cba's output.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from .conftest import DORSET, ROOT, cli

EXAMPLE = ROOT / "scenarios" / "edge-of-care-example.yaml"

# GDP deflator by financial year, 2022 = 100: the mean of the four ONS YBGB quarters April to March
# (unit_costs/ons-ybgb-gdp-deflator-quarterly-2022eq100.csv), by hand:
#   2019/20 = (90.2 + 90.6 + 91.1 + 91.9) / 4 = 90.95      2020/21 = (98.8 + 94.9 + 94.3 + 95.3) / 4 = 95.825
#   2021/22 = (93.9 + 94.5 + 95.6 + 97.0) / 4 = 95.25      2022/23 = (99.1 + 100.7 + 103.2 + 105.0) / 4 = 102.0
DEFLATOR = {"2019/20": D("90.95"), "2020/21": D("95.825"), "2021/22": D("95.25"), "2022/23": D("102.0")}
BASE = DEFLATOR["2022/23"]

# Discount factors, Green Book: 3.5% standard, 1.5% health, for years 0-30; DF_t = DF_(t-1) / (1 + r).
STANDARD = [D(1)]
HEALTH = [D(1)]
for _ in range(5):
    STANDARD.append(STANDARD[-1] / D("1.035"))
    HEALTH.append(HEALTH[-1] / D("1.015"))
YEARS = 6  # horizon_years

# Costs by year: actual spend (with the £30,000 committed in 2022/23), as written: outturn cash, each year in
# its own prices. Real terms (Green Book 5.11): x deflator at the price base / deflator in the year of spend.
# Optimism bias (grade 3, +10%) on the committed, forecast part only: outturn is known and is not uplifted.
REAL = [BASE / DEFLATOR["2020/21"], BASE / DEFLATOR["2021/22"], D(1), D(1), D(1), D(1)]
AS_WRITTEN = [D(300000 + 50000), D(320000 + 40000), D(330000 + 40000 + 30000), D(0), D(0), D(0)]
COSTS = [c * f for c, f in zip(AS_WRITTEN, REAL)]
FORECAST = [D(0), D(0), D(30000), D(0), D(0), D(0)]
COSTS_OB = [c + f * D("0.10") for c, f in zip(COSTS, FORECAST)]
LA_COSTS = [c * f for c, f in zip([D(350000), D(320000), D(330000 + 30000), D(0), D(0), D(0)], REAL)]
NHS_COSTS = [c * f for c, f in zip([D(0), D(40000), D(40000), D(0), D(0), D(0)], REAL)]


def per_year(volumes: dict[int, D], unit: D, additionality: D, optimism: D) -> list[D]:
    return [volumes.get(t, D(0)) * unit * additionality * (1 - optimism) for t in range(YEARS)]


# placements: cohort 60 x 80% engaged x 25% success = 12 a year from year 1 for 3 years,
# dropping 10% a year; GBP 150,000 at 2020/21 prices; deadweight 20%, attribution 10%;
# optimism bias by the unit cost's confidence grade 2 = 5%.
PLACEMENTS = per_year({1: D(12), 2: D(12) * D("0.9"), 3: D(12) * D("0.9") * D("0.9")},
                      D(150000) * BASE / DEFLATOR["2020/21"], D("0.8") * D("0.9"), D("0.05"))
# camhs: 120 -> 100 = 20 a year, years 1-4; GBP 2,500 at 2021/22 prices; deadweight 25%; grade 4 = 15%.
CAMHS = per_year({1: D(20), 2: D(20), 3: D(20), 4: D(20)}, D(2500) * BASE / DEFLATOR["2021/22"], D("0.75"), D("0.15"))
# missing: 30, 40, 40 in years 1-3; GBP 2,000 at 2019/20 prices; deadweight 50%; explicit 20%.
MISSING = per_year({1: D(30), 2: D(40), 3: D(40)}, D(2000) * BASE / DEFLATOR["2019/20"], D("0.5"), D("0.20"))
# wellbeing (social, health discounting): 12 from year 1 for 5 years dropping 20% a year;
# GBP 10,000 at the price base; attribution 30%; grade 6 = 40%.
WELLBEING = per_year({1: D(12), 2: D("9.6"), 3: D("7.68"), 4: D("6.144"), 5: D("4.9152")}, D(10000), D("0.7"), D("0.40"))
# earnings (economic): 5 in years 2 and 3; GBP 8,000 at the price base; displacement 25%; grade 5 = 25%.
EARNINGS = per_year({2: D(5), 3: D(5)}, D(8000), D("0.75"), D("0.25"))


def pv(flows: list[D], factors: list[D] = STANDARD) -> D:
    return sum((f * df for f, df in zip(flows, factors)), D(0))


PV_COSTS = pv(COSTS_OB)
PV_FISCAL = pv(PLACEMENTS) + pv(CAMHS) + pv(MISSING)
PV_ECONOMIC = pv(EARNINGS)
PV_SOCIAL = pv(WELLBEING, HEALTH)


def pennies(x) -> D:
    return D(x).quantize(D("0.01"))


@pytest.fixture(scope="module")
def appraisal():
    result = cli("run", EXAMPLE, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["appraisal"]


def test_discount_factors_match_the_green_book_table(appraisal):
    # Green Book: 1.0000, 0.9662, 0.9335, 0.9019, 0.8714, 0.8420 at 3.5%.
    assert [round(D(f), 4) for f in appraisal["discount_factors"]["standard"]] == [
        D("1.0000"), D("0.9662"), D("0.9335"), D("0.9019"), D("0.8714"), D("0.8420")]


def test_uprating_factors_appear_with_each_unit_cost(appraisal):
    factors = {b["outcome"]: D(b["uprating_factor"]) for b in appraisal["benefits"]}
    assert factors["placements"] == round(BASE / DEFLATOR["2020/21"], 6)
    assert factors["camhs"] == round(BASE / DEFLATOR["2021/22"], 6)
    assert factors["missing"] == round(BASE / DEFLATOR["2019/20"], 6)
    assert factors["wellbeing"] == factors["earnings"] == 1


def test_benefits_year_by_year(appraisal):
    expected = {"placements": PLACEMENTS, "camhs": CAMHS, "missing": MISSING, "wellbeing": WELLBEING, "earnings": EARNINGS}
    for b in appraisal["benefits"]:
        assert [pennies(v) for v in b["values"]] == [pennies(v) for v in expected[b["outcome"]]], b["outcome"]
    additionality = {b["outcome"]: D(b["additionality"]) for b in appraisal["benefits"]}
    assert additionality == {"placements": D("0.72"), "camhs": D("0.75"), "missing": D("0.5"), "wellbeing": D("0.7"),
                             "earnings": D("0.75")}


def test_costs_after_optimism_bias(appraisal):
    assert appraisal["real_terms"] is True and appraisal["price_base"] == "2022/23"
    assert [pennies(c) for c in appraisal["costs"]] == [pennies(c) for c in AS_WRITTEN]
    assert [pennies(c) for c in appraisal["costs_real"]] == [pennies(c) for c in COSTS]
    # 350,000 x 102.0 / 95.825 = 372,554.135..., 360,000 x 102.0 / 95.25 = 385,511.811..., to the penny half-up
    assert [pennies(c) for c in appraisal["costs_real"][:2]] == [D("372554.14"), D("385511.81")]
    team = next(line for line in appraisal["cost_lines"] if line["line"] == "Edge of care team")
    assert [D(f) for f in team["real_terms_factors"][:3]] == [round(BASE / DEFLATOR["2020/21"], 6),
                                                              round(BASE / DEFLATOR["2021/22"], 6), D(1)]
    committed = next(line for line in appraisal["cost_lines"] if line["forecast"])
    assert committed["optimism_bias_applied"] == "0.100000" and committed["after_optimism_bias"][2] == "33000.00"
    assert [pennies(c) for c in appraisal["costs_after_optimism_bias"]] == [pennies(c) for c in COSTS_OB]
    assert pennies(appraisal["pv_costs"]) == pennies(PV_COSTS)


def test_present_values_by_value_type_agency_and_cashability(appraisal):
    assert {k: pennies(v) for k, v in appraisal["pv_benefits"].items()} == {
        "fiscal": pennies(PV_FISCAL), "economic": pennies(PV_ECONOMIC), "social": pennies(PV_SOCIAL)}
    assert {k: pennies(v) for k, v in appraisal["pv_fiscal_by_agency"].items()} == {
        "Local Authority": pennies(pv(PLACEMENTS)), "NHS": pennies(pv(CAMHS)), "Police": pennies(pv(MISSING))}
    assert {k: pennies(v) for k, v in appraisal["pv_fiscal_by_cashable"].items()} == {
        "cashable": pennies(pv(PLACEMENTS)), "non_cashable": pennies(pv(CAMHS) + pv(MISSING))}


def test_headline_results(appraisal):
    assert pennies(appraisal["net_present_budget_impact"]) == pennies(PV_FISCAL - PV_COSTS)
    assert pennies(appraisal["net_present_public_value"]) == pennies(PV_FISCAL + PV_ECONOMIC + PV_SOCIAL - PV_COSTS)
    assert D(appraisal["financial_roi"]) == round(PV_FISCAL / PV_COSTS, 6)
    assert D(appraisal["benefit_cost_ratio"]) == round((PV_FISCAL + PV_ECONOMIC + PV_SOCIAL) / PV_COSTS, 6)


def test_payback_period_interpolated_within_the_year(appraisal):
    # Year 0: PV cost 350,000 in 2020/21 cash, 372,554.14 in 2022/23 prices (outturn: no optimism bias), and no
    # benefit, so that is still to recover at the start of year 1. A year's costs fall at its start and its
    # benefits through it: after year 1's costs the shortfall is 372,554.14 + cost PV in year 1, and year 1's
    # discounted fiscal benefits exceed it, so payback falls in year 1 at 1 + that shortfall / fiscal PV in year 1.
    shortfall = COSTS_OB[0] + COSTS_OB[1] * STANDARD[1]
    fiscal_1 = (PLACEMENTS[1] + CAMHS[1] + MISSING[1]) * STANDARD[1]
    assert fiscal_1 > shortfall
    assert D(appraisal["payback_years"]) == round(1 + shortfall / fiscal_1, 6)
    assert round(D(appraisal["payback_years"]), 2) == D("1.56")


def test_who_pays_and_who_benefits(appraisal):
    flows = {f["agency"]: f for f in appraisal["who_pays_and_benefits"]}
    # The Local Authority bears the committed £30,000 (its forecast part takes +10%); the NHS's is outturn.
    la_costs = pv([c + f * D("0.1") for c, f in zip(LA_COSTS, FORECAST)])
    nhs_costs = pv(NHS_COSTS)
    assert pennies(flows["Local Authority"]["pv_costs"]) == pennies(la_costs)
    assert pennies(flows["NHS"]["pv_costs"]) == pennies(nhs_costs)
    assert pennies(flows["NHS"]["net"]) == pennies(pv(CAMHS) - nhs_costs)
    assert pennies(flows["Police"]["pv_fiscal_benefits"]) == pennies(pv(MISSING))
    assert flows["Police"]["pv_costs"] == "0.00"


def test_run_shows_the_year_table_and_adjustments():
    out = cli("run", EXAMPLE).stdout
    for text in ("Year by year, undiscounted", "Year by year, discounted", "Adjustments by outcome", "Deadweight",
                 "Who pays and who benefits", "year 0 (2020/21) is undiscounted", "Payback period", "1.56 years", "Costs in real terms",
                 "Uprating factor", "grade 2, the unit cost's confidence"):
        assert text in out, text


def test_dorset_defaults_are_unchanged_and_green_book_is_one_flag():
    plain = json.loads(cli("run", DORSET, "--format", "json").stdout)
    assert plain["appraisal"] is None
    assert plain["net_position"]["net"] == "-1849537.00"
    green = json.loads(cli("run", DORSET, "--green-book", "--format", "json").stdout)
    assert green["net_position"]["net"] == "-1849537.00"  # the report's undiscounted figure stays
    a = green["appraisal"]
    # Costs by year: Table 5 actual spend, by hand: 40,318; 486,473; 798,223; 508,151 (all kinds), each in its
    # own year's prices, brought to 2019/20 prices with the financial-year deflator (90.95 at the base; by hand
    # from the quarters: 2016/17 = (84.6 + 85.5 + 86.1 + 86.4) / 4 = 85.65, 2017/18 = 87.0, 2018/19 = 88.825).
    assert pennies(a["pv_costs"]) == pennies(DORSET_REAL_PV_COSTS)
    assert a["payback_years"] is None  # nothing is attributable
    lac = json.loads(cli("run", DORSET, "--green-book", "-a", "lac", "--format", "json").stdout)["appraisal"]
    # 60 x 58,664 in 2018/19 (year 2), at calendar-2019 prices brought to the 2019/20 price base:
    # x deflator(2019/20) / deflator(2019) = 90.95 / ((89.3 + 90.2 + 90.6 + 91.1) / 4 = 90.3).
    assert pennies(lac["pv_benefits"]["fiscal"]) == pennies(D(60 * 58664) * D("90.95") / D("90.3") / D("1.035") ** 2)


DORSET_REAL_PV_COSTS = (D(40318) * D("90.95") / D("85.65") + D(486473) * D("90.95") / D("87.0") / D("1.035")
                        + D(798223) * D("90.95") / D("88.825") / D("1.035") ** 2 + D(508151) / D("1.035") ** 3)


def test_missing_deflator_year_is_an_error(write_scenario, tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("unit_costs: edge-of-care-example", "unit_costs: ../unit_costs/t.csv")
    table = (ROOT / "unit_costs" / "edge-of-care-example.csv").read_text(encoding="utf-8").replace(",2019/20,", ",1980/81,")
    (tmp_path / "unit_costs" / "t.csv").write_text(table, encoding="utf-8")
    result = cli("run", write_scenario(text))
    assert result.exit_code == 1
    assert "price year 1980/81 of 'eoc-missing' is not in the deflator series" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    cohort: {size: 60, engagement: 0.8, success: 0.25}\n    unit_cost: eoc-placement",
         "    cohort: {size: 60, engagement: 0.8, success: 0.25}\n    baseline: 3\n    follow_up: 1\n    unit_cost: eoc-placement",
         "give the volume one way"),
        ("    deadweight: 0.2\n", "    deadweight: 1.2\n", "must be between 0 and 1"),
        ("{percent: 20}", "{percent: 20, grade: 2}", "give either grade or percent"),
        ("  cost_optimism_bias: {grade: 3}", "  cost_optimism_bias: {grade: 9}", "less than or equal to 6"),
        ("    baseline: 120\n", "", "baseline and follow_up go together: add baseline"),
    ],
)
def test_appraisal_input_errors(write_scenario, tmp_path, old, new, message):
    (tmp_path / "unit_costs" / "edge-of-care-example.csv").write_bytes((ROOT / "unit_costs" / "edge-of-care-example.csv").read_bytes())
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    result = cli("run", write_scenario(text.replace(old, new, 1)))
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr


def test_a_full_drop_off_keeps_only_the_first_year():
    from cba.engine.timeline import timed_volumes

    assert timed_volumes(D(10), 2, 3, D(1)) == {2: D(10), 3: D(0), 4: D(0)}
    assert timed_volumes(D(10), 0, 3, D("0.5")) == {0: D(10), 1: D(5), 2: D("2.5")}


@pytest.mark.parametrize("costs, benefits, expected", [
    # cumulative -100, +100, -400: the crossing in year 1 is undone in year 2, and the return is negative
    ([100, 0, 500], [0, 200, 0], None),
    # cumulative -100, +50, -250, +150: only the last crossing stays: 3 + 250 / 400
    ([100, 0, 300, 0], [0, 150, 0, 400], D("3.625")),
    # cumulative -100, 0: reaches zero exactly at the end of year 1: 1 + 100 / 100
    ([100, 0], [0, 100], D(2)),
    # benefits before any cost are not payback: cumulative +50, -50, +50: 2 + 50 / 100
    ([0, 100, 0], [50, 0, 100], D("2.5")),
    # £100 at the start of year 0, £300 back through it: a third of the way through
    ([100], [300], "100 / 300"),
])
def test_payback_is_the_crossing_after_which_it_stays_paid_back(costs, benefits, expected):
    from cba.engine.timeline import payback_period

    if expected == "100 / 300":  # divided here, at the precision cba computes to (60 digits), not at collection
        expected = D(100) / D(300)
    assert payback_period([D(c) for c in costs], [D(b) for b in benefits]) == expected


def test_a_crossing_that_later_costs_undo_is_reported_as_no_payback(write_scenario):
    # Costs £100,000 in 2020/21 and £500,000 in 2022/23; three placements (lac-year, £58,664, not uprated) avoided
    # in 2021/22 only, undiscounted. Cumulative: -100,000; -100,000 + 175,992 = +75,992; 75,992 - 500,000 = -424,008.
    # The old rule reported payback at 1 + 100,000 / 175,992 = 1.57 years; the return is negative, so there is none.
    text = """\
name: Undone crossing
organisation: Test
price_base: 2020/21
periods: [2020/21, 2021/22, 2022/23]
unit_costs: ../unit_costs/children-social-care.csv
real_terms: false  # lac-year as published: this test is about payback and horizons, not prices
net_position_basis: actual
appraisal: {discounting: none}
cost_lines:
  - {name: Team, budget: {2020/21: 100000, 2022/23: 500000}, actual: {2020/21: 100000, 2022/23: 500000}}
outcomes:
  - {id: lac, measure: Placements avoided, volumes: {2021/22: 3}, unit_cost: lac-year, attributable: true}
"""
    path = write_scenario(text)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert data["headlines"]["npv"]["value"] == "-424008.00"
    assert data["headlines"]["payback_years"]["value"] is None
    assert "does not pay back within 3 years" in cli("run", path).stdout
    # The workbook says the same, stored and recalculated by LibreOffice.
    import openpyxl

    from .test_export import recalculated, summary_by_key

    out = path.parent / "undone.xlsx"
    assert cli("export", path, "-o", out).exit_code == 0
    for book in (openpyxl.load_workbook(out, data_only=True), recalculated(out, path.parent)):
        assert summary_by_key(book)["payback_years"] == "does not pay back within 3 years"


def test_a_horizon_is_a_horizon(write_scenario):
    # One fewer looked-after child (lac-year £58,664, not uprated, undiscounted) for 5 years from year 0, appraised
    # over a 2-year horizon: only years 0 and 1 count, 2 x 58,664 = 117,328, in every figure; the 3 units after
    # 2020/21 (3 x 58,664 = £175,992) are cut off and the report says so.
    text = """\
name: Horizon
organisation: Test
price_base: 2019/20
periods: [2019/20]
unit_costs: ../unit_costs/children-social-care.csv
real_terms: false  # lac-year as published: this test is about payback and horizons, not prices
net_position_basis: actual
appraisal: {discounting: none, horizon_years: 2}
cost_lines:
  - {name: Team, budget: {2019/20: 100000}, actual: {2019/20: 100000}}
outcomes:
  - {id: lac, measure: Looked-after children, baseline: 10, follow_up: 9, unit_cost: lac-year, attributable: true,
     timing: {start_year: 0, duration: 5}}
"""
    path = write_scenario(text)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert data["appraisal"]["years"] == ["2019/20", "2020/21"]
    assert data["headlines"]["attributable_benefits"]["value"] == "117328.00"
    assert data["headlines"]["pv_benefits"]["value"] == "117328.00"
    assert data["headlines"]["npv"]["value"] == "17328.00"
    shown = cli("run", path).stdout
    assert "Horizon: 2 years, 2019/20 to 2020/21; nothing after it is counted." in shown
    assert "Cut off by the horizon: lac, 3 units after 2020/21, worth £175,992.00 undiscounted" in shown
    # Break-even counts only the years inside the horizon: 100,000 / (58,664 x 2 years) = 0.85 children.
    lac = next(s for s in data["switching_values"] if s["basis"] == "npv")
    assert D(lac["units_needed"]) == (D(100000) / (D(58664) * 2)).quantize(D("0.000001"))
    # A horizon shorter than the periods would drop spend: refused, with where and why.
    short = write_scenario(text.replace("periods: [2019/20]", "periods: [2019/20, 2020/21, 2021/22]"), "short.yaml")
    refused = cli("validate", short)
    assert refused.exit_code == 1 and "horizon_years 2 is shorter than the scenario's periods (3 years" in refused.stderr


def test_the_financial_year_deflator_is_the_mean_of_its_quarters():
    import csv

    quarters = {r["quarter"]: D(r["index"]) for r in csv.DictReader(
        (ROOT / "unit_costs" / "ons-ybgb-gdp-deflator-quarterly-2022eq100.csv").open(encoding="utf-8"))}
    series = {r["year"]: D(r["index"]) for r in csv.DictReader(
        (ROOT / "unit_costs" / "gdp-deflator-financial-year-2022eq100.csv").open(encoding="utf-8"))}
    for year, index in series.items():
        y = int(year[:4])
        if "/" in year:  # April to March: Q2, Q3 and Q4 of its first year and Q1 of the next
            wanted = [f"{y} Q2", f"{y} Q3", f"{y} Q4", f"{y + 1} Q1"]
        else:
            wanted = [f"{y} Q{q}" for q in range(1, 5)]
        assert index == sum(quarters[q] for q in wanted) / 4, year
    assert series["2019/20"] == D("90.95") and series["2022"] == D(100)  # (100.0 average by construction)


def test_the_calendar_series_stays_selectable_and_is_named(tmp_path):
    args = (DORSET, "--green-book", "-a", "lac", "--format", "json")
    calendar = json.loads(cli("run", *args, "--set", "appraisal.deflator=calendar").stdout)
    default = json.loads(cli("run", *args).stdout)
    files = {doc: [f["file"] for f in d["provenance"]["inputs"] if f["role"] == "deflator"]
             for doc, d in (("calendar", calendar), ("default", default))}
    assert files["calendar"][0].endswith("gdp-deflator-calendar-2024eq100.csv")
    assert files["default"][0].endswith("gdp-deflator-financial-year-2022eq100.csv")
    # calendar series: lac-year (2019 prices) at the 2019/20 price base reads both at calendar 2019: factor 1.
    assert pennies(calendar["appraisal"]["pv_benefits"]["fiscal"]) == pennies(D(60 * 58664) / D("1.035") ** 2)


def test_optimism_bias_falls_on_forecast_costs_only(write_scenario):
    # Dorset, the Green Book way, with +10% optimism bias on costs: only the £113,000 committed in 2019/20
    # (year 3) is a forecast; the outturn actuals are known. By hand, PV costs = the actuals discounted
    # (40,318; 486,473; 798,223; 508,151 at 3.5%) + 10% x 113,000 / 1.035^3.
    data = json.loads(cli("run", DORSET, "--green-book", "--set", "appraisal.cost_optimism_bias.percent=10",
                          "--format", "json").stdout)
    # 2019/20 is the price base, so its committed £113,000 needs no deflating.
    assert pennies(data["appraisal"]["pv_costs"]) == pennies(DORSET_REAL_PV_COSTS + D("0.10") * D(113000) / D("1.035") ** 3)
    assert data["appraisal"]["costs_after_optimism_bias"][3] == "519451.00"  # 508,151 + 11,300
    # Asked for on outturn alone (no committed line, costs = actual spend), it is refused, saying why.
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "  - name: Follow-up sessions (committed, not yet paid)\n    kind: committed\n    actual: {2022/23: 30000}\n", "")
    text = text.replace("unit_costs: edge-of-care-example", "unit_costs: ../unit_costs/t.csv")
    path = write_scenario(text)
    (path.parent.parent / "unit_costs" / "t.csv").write_bytes((ROOT / "unit_costs" / "edge-of-care-example.csv").read_bytes())
    refused = cli("validate", path)
    assert refused.exit_code == 1
    assert "optimism bias corrects forecasts, but every cost set against the benefits here is outturn" in refused.stderr
    assert "appraisal.cost_optimism_bias" not in refused.stderr and ":20:" in refused.stderr  # at its line
    # On a budget it applies (a budget is a forecast); switching that scenario to actual spend on the command line
    # is refused the same way.
    budget = write_scenario(text.replace("net_position_basis: actual", "net_position_basis: budget"), "budget.yaml")
    assert cli("validate", budget).exit_code == 0
    switched = cli("run", budget, "--basis", "actual")
    assert switched.exit_code == 2 and "--basis actual: optimism bias corrects forecasts" in switched.stderr


GRADED = """name: Graded (illustrative)
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24]
net_position_basis: actual
appraisal: {discounting: green_book, cost_optimism_bias: {grade: 3}}
cost_lines:
  - {name: Team, actual: {2022/23: 1000}}
  - {name: Places, kind: committed, actual: {2023/24: 1000}, optimism_bias: {grade: 2}}
  - {name: Training, kind: committed, actual: {2023/24: 1000}}
outcomes:
  - id: graded
    measure: Call-outs avoided
    volumes: {2023/24: 10}
    value: {amount: 100, price_year: 2022/23, agency: Police, source: Illustrative}
    optimism_bias: {grade: 4}
  - id: given
    measure: Call-outs avoided elsewhere
    volumes: {2023/24: 10}
    value: {amount: 100, price_year: 2022/23, agency: Police, source: Illustrative}
    optimism_bias: {percent: 20}
"""


def test_each_optimism_bias_keeps_the_grade_and_the_setting_it_came_from(write_scenario):
    """The workbook looks a graded optimism bias up by its grade, and keys the grade by the setting that gave
    it: the engine carries both. The bundled grade table (GMCA): grade 2 is 5%, 3 is 10%, 4 is 15%."""
    from cba.cli.common import prepare
    from cba.cli.options import Appraisal

    _, result = prepare(write_scenario(GRADED), Appraisal.of({}))
    t = result.figures.timeline
    streams = {s.outcome: s for s in t.streams}
    assert (streams["graded"].optimism_grade, streams["graded"].optimism_bias) == (4, D("0.15"))
    assert (streams["given"].optimism_grade, streams["given"].optimism_bias) == (None, D("0.2"))
    flows = {f.line: f for f in t.cost_flows}
    assert (flows["Places"].optimism_grade, flows["Places"].optimism_key) == (2, "cost_lines.1.optimism_bias")
    assert (flows["Places"].optimism_bias, flows["Training"].optimism_bias) == (D("0.05"), D("0.1"))
    assert (flows["Training"].optimism_grade, flows["Training"].optimism_key) == (3, "appraisal.cost_optimism_bias")
    assert flows["Team"].optimism_key == "appraisal.cost_optimism_bias" and not flows["Team"].forecast
    assert t.grades is not None and t.schedule is not None and t.written_rates == (None, None)
