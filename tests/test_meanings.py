"""Every figure says what it means (issue 27): limits, what-if marks, unknowns. Figures are worked by hand here."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from .conftest import cli

TABLE = (
    "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
    "case,A case avoided,per case,50000,2020/21,Local Authority,fiscal,true,3,hand-made\n"
)
SMALL = """\
name: Small programme
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
funding: [{name: Grant, amount: 100000}]
cost_lines:
  - {name: Team, budget: {2020/21: 100000}, actual: {2020/21: 100000}}
outcomes:
  - {id: cases, measure: Cases avoided, volumes: {2020/21: VOLUME}, unit_cost: case, attributable: true}
"""


def scenario(tmp_path, volume: str = "0", extra: str = "") -> str:
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.replace("VOLUME", volume) + extra, encoding="utf-8")
    return str(path)


def test_an_outcome_with_no_volume_still_breaks_even(tmp_path):
    """No case avoided yet: £100,000 to cover at £50,000 a case is 2 cases, in the one year given."""
    data = json.loads(cli("breakeven", scenario(tmp_path), "--format", "json").stdout)
    row = data["tables"]["net_position"]["rows"][0]
    assert (row["input"], D(row["switching_value"]), D(row["as_written"])) == ("cases", D(2), D(0))


def test_a_published_result_may_be_as_large_as_money_may(tmp_path):
    """A net cost printed as -£1.5bn is a figure money may reach (to £10^12), not 'implausibly large'."""
    big = "published_results:\n  - {label: Table 1, figure: net_position, value: -1500000000}\n"
    result = cli("validate", scenario(tmp_path, "1", big))
    assert result.exit_code == 0, result.stderr
    too_big = "published_results:\n  - {label: Table 1, figure: net_position, value: 2000000000000}\n"
    refused = cli("validate", scenario(tmp_path, "1", too_big))
    assert refused.exit_code == 1
    assert "2000000000000 is implausibly large; the limit is 1,000,000,000,000" in refused.stderr


# What-ifs are marked on every face (item 4) ----------------------------------------------------------------

from .conftest import BUNDLED_COSTS, DORSET  # noqa: E402

KINDS = {
    "attributable": (["-a", "lac"], "lac counted as attributable (--attributable), where the scenario does not count it"),
    "set": (["--set", "lac.deadweight=0.1"], "--set lac.deadweight=0.1"),
    "unit costs": (["--unit-costs", str(BUNDLED_COSTS)],
                   "unit costs from children-social-care.csv (--unit-costs), in place of the scenario's"),
}


def faces(tmp_path, args: list[str]) -> dict[str, object]:
    """The five faces of one run: terminal text, JSON, CSV, the HTML report and the workbook."""
    import openpyxl

    text = cli("run", DORSET, *args)
    data = cli("run", DORSET, *args, "--format", "json")
    table = cli("run", DORSET, *args, "--format", "csv")
    html, book = tmp_path / "r.html", tmp_path / "r.xlsx"
    for path in (html, book):
        path.unlink(missing_ok=True)
    assert cli("report", DORSET, *args, "-o", html).exit_code == 0
    assert cli("export", DORSET, *args, "-o", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    return {
        "text": text.stdout.splitlines()[0],
        "json": json.loads(data.stdout)["settings"]["what_if"],
        "csv": table.stdout.splitlines()[1],
        "html": html.read_text(encoding="utf-8"),
        "summary": [wb["Summary"]["A1"].value, wb["Summary"]["A2"].value, wb["Summary"]["B2"].value],
        "guide": wb["Guide"]["A4"].value,
    }


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_what_if_says_so_on_every_face(tmp_path, kind):
    args, words = KINDS[kind]
    got = faces(tmp_path, args)
    assert got["text"] == f"What-if: {words}."
    assert got["json"] == [words]
    assert got["csv"].startswith("what_if,1,text,") and words.split(" (")[0] in got["csv"]
    assert "<title>What-if: Reinvigorating Social Work (RSW), Dorset" in got["html"]
    escaped = words.replace("'", "&#39;")  # as the report's template escapes it
    assert f"What-if, not the scenario as written:</strong> {escaped}." in got["html"]
    assert got["summary"] == ["What-if: cost-benefit analysis", "What-if", f"{words} (not the scenario as written)"]
    assert got["guide"] == f"What-if, not the scenario as written: {words}"


def test_the_scenario_as_written_is_not_marked(tmp_path):
    got = faces(tmp_path, [])
    assert not str(got["text"]).startswith("What-if") and got["json"] == []
    assert str(got["csv"]).startswith("prices,") and "What-if" not in str(got["html"])
    assert got["summary"][:2] == ["Cost-benefit analysis", "Scenario"] and got["guide"] is None


def test_a_unit_cost_switching_value_below_nothing_is_not_shown_as_a_number():
    """edge-of-care, undiscounted against actual spend (in 2022/23 prices with the committed line's optimism bias,
    as the appraisal's: £1,161,065.95): the net position is £4,001,212.36 - £1,161,065.95 = £2,840,146.41; eoc-camhs
    prices £136,535.43 of attributable benefits, so bringing the net to zero would need -2,840,146.41 / 136,535.43
    = -2,080.2% of it: a unit cost below zero, which it cannot be. eoc-placement prices £3,551,560.70, so
    -2,840,146.41 / 3,551,560.70 = -79.968967%, feasible, stays a number."""
    from .conftest import ROOT

    data = json.loads(cli("breakeven", ROOT / "scenarios" / "edge-of-care-example.yaml", "--format", "json").stdout)
    rows = {r["input"]: r for r in data["tables"]["net_position"]["rows"]}
    assert rows["eoc-camhs"]["switching_value"] is None
    assert rows["eoc-camhs"]["unit"] == "% change: no switching value in the feasible range (it would be -2,080.2%)"
    net = D("4001212.36") - D("1161065.95")
    assert D(rows["eoc-placement"]["switching_value"]) == (-net / D("3551560.70") * 100).quantize(D("0.000001"))
    run = json.loads(cli("run", ROOT / "scenarios" / "edge-of-care-example.yaml", "--format", "json").stdout)
    camhs = next(c for c in run["cost_switching_values"] if c["input"] == "eoc-camhs" and c["basis"] == "net_position")
    assert camhs["percent"] is None and camhs["why_none"].startswith("no switching value in the feasible range")


UNKNOWN_COST = """\
name: Unknown cost
organisation: A council
price_base: 2019/20
periods: [2018/19, 2019/20]
unit_costs: ../unit_costs/children-social-care.csv
real_terms: false  # lac-year as published: this test is about an unknown cost
net_position_basis: actual
report_per: {label: family, count: 10}
cost_lines:
  - {name: In-kind staff time, quantified: false}
outcomes:
  - {id: lac, measure: Looked-after children, baseline: 10, follow_up: 9, unit_cost: lac-year, attributable: true}
"""


def test_a_cost_that_is_not_known_is_never_shown_as_zero(write_scenario, tmp_path):
    """One fewer looked-after child at £58,664 is £58,664 of benefits (£5,866.40 a family of 10); the only cost
    line is not quantified, so the cost, the net position, the ratio, the break-even and the cost per outcome are
    not known: null in JSON, not £0, and no 'benefits exceed the cost'."""
    path = write_scenario(UNKNOWN_COST)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    values = {k: v["value"] for k, v in data["headlines"].items()}
    assert values["attributable_benefits"] == "58664.00" and values["benefits_per_unit"] == "5866.40"
    for key in ("budget_total", "actual_total", "cost", "net_position", "benefit_cost_ratio", "cost_per_unit",
                "net_position_per_unit", "funding_less_actual"):
        assert values[key] is None, key
    assert data["switching_values"] == [] and data["cost_per_outcome"] == []
    assert data["net_position"]["cost"] is None and data["net_position"]["net"] is None
    text = cli("run", path).stdout
    assert "exceed the cost" not in text and "already covered" not in text and "Cost per outcome" not in text
    assert "the cost is not known (no cost is quantified)" in text
    green = json.loads(cli("run", path, "--green-book", "--format", "json").stdout)
    assert all(green["headlines"][k]["value"] is None for k in ("pv_costs", "npv", "payback_years", "bcr"))
    assert "Net present value £0" not in cli("run", path, "--green-book").stdout
    page = tmp_path / "r.html"
    assert cli("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert '<div class="headline">' in html and "(benefits - total actual spend): not known" in html


def test_cashable_figures_are_not_known_when_nothing_says_what_is_cashable(tmp_path):
    """care-proceedings: its fiscal benefits' unit costs leave cashability empty and the outcome gives no share, so
    the cashable ROI and the payback on cashable savings are not known, where cba printed 0.00 before."""
    from .conftest import ROOT

    path = ROOT / "scenarios" / "care-proceedings-example.yaml"
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert data["headlines"]["cashable_roi"]["value"] is None
    assert data["headlines"]["cashable_payback_years"]["value"] is None
    text = cli("run", path).stdout
    assert "Cashable ROI (cashable fiscal PV / cost PV)" in text and "not known (cashability not stated)" in text
    page = tmp_path / "r.html"
    assert cli("report", path, "-o", page).exit_code == 0
    assert 'data-key="cashable_roi" data-value="">not known (cashability not stated)' in page.read_text("utf-8")
    # Dorset's looked-after-child cost says it is cashable: its cashable ROI stays a figure
    dorset = json.loads(cli("run", ROOT / "scenarios" / "dorset-rsw.yaml", "-a", "lac", "--green-book",
                            "--format", "json").stdout)
    assert dorset["headlines"]["cashable_roi"]["value"] is not None


def test_a_value_as_written_outside_its_own_range_is_a_warning_with_its_place():
    """dorset-rsw-uncertain writes cin_episodes' deadweight as 0 and gives it uniform(0, 0.3): its 5th and 95th
    percentiles are 0 + 0.05 x 0.3 = 0.015 and 0 + 0.95 x 0.3 = 0.285, and 0 lies below them. The run goes ahead
    (exit 0, the result on stdout unchanged) with one warning on stderr at the range's line and column."""
    from .conftest import ROOT

    path = ROOT / "scenarios" / "dorset-rsw-uncertain.yaml"
    for command in (["run"], ["validate"], ["simulate", "--draws", "100"]):
        result = cli(*command, path)
        assert result.exit_code == 0
        assert result.stderr.splitlines() == [
            f"{path}:22:19: warning: cin_episodes.deadweight as written (0) lies outside its own range's 5th to 95th "
            "percentiles (0.015 to 0.285); the headline figures use the value as written"
        ], command
    # lac's change, written -60, lies inside triangular(-90, -60, 0)'s percentiles: no warning for it
    assert "lac as written" not in cli("run", path).stderr


def test_a_year_label_with_a_trailing_newline_is_refused_not_priced_at_another_year(write_scenario):
    """A YAML block scalar ('price_base: |' then '  2022/23') is '2022/23\\n': Python's $ matched before the final
    newline, so it validated and the deflator fell back to calendar 2022 (edge-of-care NPV £2,573,685.75 for
    £2,625,159.46). It is not a financial year; every label must match whole (issue 33, item 1, found here)."""
    from .test_errors import VALID

    text = VALID.replace("price_base: 2019/20\n", "price_base: |\n  2019/20\n")
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1 and "price_base" in result.stderr and "Traceback" not in result.stderr
    periods = VALID.replace("periods: [2018/19, 2019/20]", 'periods: ["2018/19", "2019/20\\n"]')
    assert cli("validate", write_scenario(periods, "p.yaml")).exit_code == 1


def test_no_volume_over_two_years_breaks_even_on_a_unit_spread_evenly(tmp_path):
    """No case avoided in either of two years: one unit falls half in each. Undiscounted it is worth £50,000, so
    £100,000 needs 2; on NPV at 3.5% it is worth 50,000 x (0.5 + 0.5 / 1.035) = £49,154.59, so it needs
    100,000 / 49,154.59 = 2.034398."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.replace("periods: [2020/21]", "periods: [2020/21, 2021/22]")
                    .replace("volumes: {2020/21: VOLUME}", "volumes: {2020/21: 0, 2021/22: 0}")
                    + "appraisal: {discounting: green_book, uprate: false}\n", encoding="utf-8")
    data = json.loads(cli("breakeven", path, "--format", "json").stdout)
    undiscounted = data["tables"]["net_position"]["rows"][0]["switching_value"]
    present = data["tables"]["npv"]["rows"][0]["switching_value"]
    per_unit = D(50000) * (D("0.5") + D("0.5") / D("1.035"))
    assert D(undiscounted) == 2
    assert D(present) == (D(100000) / per_unit).quantize(D("0.000001"))


def test_why_a_cost_switch_has_no_value(tmp_path):
    """Nothing attributable uses a unit cost (Dorset as written counts no outcome): 'nothing attributable uses it';
    a grant of £0 is a cost known to be nothing: 'no cost'. A unit cost that would need -100.5% is outside the
    feasible range: benefits of £1,000 priced with it and £5,005 with another against a cost of £5,000 leave a
    net of £1,005, so the first would have to fall by 1,005 / 1,000 = 100.5%."""
    from .conftest import ROOT

    dorset = json.loads(cli("run", ROOT / "scenarios" / "dorset-rsw.yaml", "--format", "json").stdout)
    lac = next(c for c in dorset["cost_switching_values"] if c["input"] == "lac-year")
    assert (lac["percent"], lac["why_none"]) == (None, "nothing attributable uses it")
    (tmp_path / "t.csv").write_text(
        TABLE + "big,A larger case avoided,per case,5005,2020/21,Local Authority,fiscal,true,3,hand-made\n",
        encoding="utf-8")
    free = tmp_path / "free.yaml"
    free.write_text(SMALL.replace("VOLUME", "1").replace("amount: 100000", "amount: 0"), encoding="utf-8")
    total = next(c for c in json.loads(cli("run", free, "--format", "json").stdout)["cost_switching_values"]
                 if c["input"] == "total cost")
    assert (total["percent"], total["why_none"]) == (None, "no cost")
    two = tmp_path / "two.yaml"
    two.write_text(
        SMALL.replace("VOLUME", "0.02").replace("amount: 100000", "amount: 5000")
        + "  - {id: big, measure: Larger cases avoided, volumes: {2020/21: 1}, unit_cost: big, attributable: true}\n",
        encoding="utf-8")
    switches = {c["input"]: c for c in json.loads(cli("run", two, "--format", "json").stdout)["cost_switching_values"]}
    assert switches["case"]["why_none"] == "no switching value in the feasible range (it would be -100.5%)"
    assert D(switches["big"]["percent"]) == (D(-1005) / D(5005) * 100).quantize(D("0.000001"))


CASH_TABLE = (
    "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
    "saved,A placement avoided,per case,1000,2020/21,Local Authority,fiscal,true,3,hand-made\n"
    "wellbeing,Wellbeing gained,per person,500,2020/21,Local Authority,social,,3,hand-made\n"
)
CASH = """\
name: Cashability
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: green_book, uprate: false}
cost_lines:
  - {name: Team, budget: {2020/21: 400}, actual: {2020/21: 400}}
outcomes:
OUTCOMES"""


def test_cashability_is_not_known_only_when_a_fiscal_benefit_leaves_it_unsaid(tmp_path):
    """A fiscal saving of £1,000, cashable, beside a social gain of £500 whose cashability is empty: the cashable ROI
    is 1,000 / 400 = 2.5 (the social value is not fiscal, so its silence does not matter). With the social gain
    alone there is nothing fiscal to cash: 0, not 'not known'."""
    (tmp_path / "t.csv").write_text(CASH_TABLE, encoding="utf-8")
    saved = "  - {id: saved, measure: Placements, volumes: {2020/21: 1}, unit_cost: saved, attributable: true}\n"
    gain = "  - {id: gain, measure: Wellbeing, volumes: {2020/21: 1}, unit_cost: wellbeing, attributable: true}\n"
    path = tmp_path / "s.yaml"
    path.write_text(CASH.replace("OUTCOMES", saved + gain), encoding="utf-8")
    assert json.loads(cli("run", path, "--format", "json").stdout)["headlines"]["cashable_roi"]["value"] == "2.500000"
    path.write_text(CASH.replace("OUTCOMES", gain), encoding="utf-8")
    assert json.loads(cli("run", path, "--format", "json").stdout)["headlines"]["cashable_roi"]["value"] == "0.000000"


# The health rate keeps its differential (item 8c) ------------------------------------------------------------

HEALTH = """\
name: Health programme
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
appraisal: {discounting: green_book}
funding: [{name: Grant, amount: 100000}]
cost_lines:
  - {name: Team, actual: {2020/21: 100000}}
outcomes:
  - {id: well, measure: Better wellbeing, volumes: {2021/22: 1, 2022/23: 1}, unit_cost: case, attributable: true,
     discount: health}
"""


def _health(tmp_path, *args: str) -> tuple[D, list[str]]:
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "h.yaml").write_text(HEALTH, encoding="utf-8")
    result = cli("run", str(tmp_path / "h.yaml"), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    appraisal = json.loads(result.stdout)["appraisal"]
    return D(appraisal["pv_benefits"]["fiscal"]), appraisal["discount_rates"]["health"]


@pytest.mark.parametrize(
    ("args", "rate", "pv"),
    [
        # the schedule: health values at 1.5%; £50,000 in years 1 and 2: 50000/1.015 + 50000/1.015^2
        ((), "0.015", D(50000) / D("1.015") + D(50000) / D("1.015") ** 2),
        # a flat 5% keeps the 2-point wealth effect off the health rate: 3%
        (("--set", "appraisal.discount_rate=0.05"), "0.03", D(50000) / D("1.03") + D(50000) / D("1.03") ** 2),
        # a flat 1% would take it below nothing: 0%, undiscounted
        (("--set", "appraisal.discount_rate=0.01"), "0", D(100000)),
        # the health rate on its own
        (("--set", "appraisal.health_discount_rate=0.04"), "0.04", D(50000) / D("1.04") + D(50000) / D("1.04") ** 2),
    ],
)
def test_the_health_rate_keeps_its_differential_when_the_standard_rate_moves(tmp_path, args, rate, pv):
    got, rates = _health(tmp_path, *args)
    assert D(rates[1]) == D(rate)
    assert got == pv.quantize(D("0.01"))


def test_a_sweep_of_the_standard_rate_moves_health_values_as_the_exact_engine_does(tmp_path):
    """Consistency between faces: whatif's float sweep against run --set, at 5% (health at 3%)."""
    _health(tmp_path)
    data = json.loads(
        cli("whatif", str(tmp_path / "h.yaml"), "--vary", "appraisal.discount_rate=0.05", "--format", "json").stdout
    )
    row = data["tables"]["whatif"]["rows"][0]
    exact, _ = _health(tmp_path, "--set", "appraisal.discount_rate=0.05")
    assert D(row["npv"]) == exact - D(100000)


# The pandemic years of the deflator (item 8d) -------------------------------------------------------------------

SMOOTHED = """\
name: Priced in 2020/21
organisation: A council
price_base: 2021/22
periods: [2021/22]
unit_costs: t.csv
appraisal: {uprate: true, deflator_smoothing: SMOOTHING}
funding: [{name: Grant, amount: 10000}]
cost_lines:
  - {name: Team, actual: {2021/22: 10000}}
outcomes:
  - {id: cases, measure: Cases avoided, volumes: {2021/22: 1}, unit_cost: case, attributable: true}
"""


@pytest.mark.parametrize(
    ("smoothing", "index_2020_21", "note"),
    [
        # ONS YBGB by financial year as published (test_green_book works these out from the quarters)
        ("none", D("95.825"), "Deflator as published for 2020/21 (deflator_smoothing: none)"),
        # 2020/21 and 2021/22 each grow at their average rate: the geometric mean of 2019/20 and 2021/22
        ("two_year_average", (D("90.95") * D("95.25")).sqrt(), "2020/21 is 93.075, the geometric mean"),
    ],
)
def test_the_pandemic_years_of_the_deflator_are_a_stated_choice(tmp_path, smoothing, index_2020_21, note):
    """£50,000 in 2020/21 prices brought to 2021/22: x 95.25 / the 2020/21 index used."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    (tmp_path / "s.yaml").write_text(SMOOTHED.replace("SMOOTHING", smoothing), encoding="utf-8")
    data = json.loads(cli("run", str(tmp_path / "s.yaml"), "--format", "json").stdout)
    worth = (D(50000) * D("95.25") / index_2020_21).quantize(D("0.01"))
    assert D(data["net_position"]["attributable_benefits"]) == worth  # 49,699.97 as published; 51,168.32 smoothed
    assert any(note in n for n in data["notes"])


# Payments to investors are in the fiscal case, not the NPV (item 8a) ---------------------------------------------


def test_outcome_payments_to_investors_count_in_the_fiscal_case_and_stay_out_of_the_npv():
    """impact-bond-example: £300,000 spent in 2022/23; 4 then 6 children kept out of care at £50,000 a year
    (fiscal, to the council); £20,000 a child paid to investors, capped at £150,000: 80,000 in year 0 and
    70,000 in year 1. Discounted at 3.5% from year 1."""
    from .conftest import ROOT

    data = json.loads(cli("run", ROOT / "scenarios" / "impact-bond-example.yaml", "--format", "json").stdout)
    a = data["appraisal"]
    fiscal = D(200000) + D(300000) / D("1.035")  # 489,855.07
    paid_out = D(80000) + D(70000) / D("1.035")  # 147,632.85
    assert D(a["pv_paid_outside_public_sector"]) == paid_out.quantize(D("0.01"))
    assert D(a["net_present_public_value"]) == (fiscal - D(300000)).quantize(D("0.01"))  # 189,855.07: no transfer
    assert D(a["net_present_budget_impact"]) == (fiscal - D(300000) - paid_out).quantize(D("0.01"))  # 42,222.22
    assert D(a["financial_roi"]) == ((fiscal - paid_out) / D(300000)).quantize(D("0.000001"))  # 1.140741
    # payback: costs and payments at the start of their year. Year 0 ends at -300,000 - 80,000 + 200,000 =
    # -180,000; year 1 starts at -180,000 - 70,000/1.035 and gains 300,000/1.035 through the year
    start = D(-180000) - D(70000) / D("1.035")
    assert D(a["payback_years"]) == (1 + (-start) / (D(300000) / D("1.035"))).quantize(D("0.000001"))  # 1.854333
    # the who-pays table and the headline agree: the council's own net is the budget impact (it is the one agency)
    council = next(r for r in a["who_pays_and_benefits"] if r["agency"] == "Local Authority")
    assert D(council["net"]) == D(a["net_present_budget_impact"])


# The lead agency's own budget impact stands beside all agencies' (item 6) ----------------------------------------

AGENCIES = """\
name: Two agencies
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2020/21: 100000}}
LINES
outcomes:
  - {id: cases, measure: Cases avoided, volumes: {2020/21: 1}, unit_cost: case, attributable: true}
  - {id: calls, measure: Police call-outs avoided, volumes: {2020/21: 3}, unit_cost: call, attributable: true}
"""


@pytest.mark.parametrize(
    ("lines", "everyone", "council"),
    [
        # one case (£50,000, to the council) and 3 call-outs (£10,000 each, to the police) against £100,000 of the
        # council's: all agencies 80,000 - 100,000; the council alone 50,000 - 100,000
        ("", D(-20000), D(-50000)),
        # the police spend £5,000 of their own: all agencies -25,000; the council's own figure does not move
        ("  - {name: Police time, agency: Police, actual: {2020/21: 5000}}", D(-25000), D(-50000)),
    ],
)
def test_the_lead_agency_s_own_budget_impact_stands_beside_all_agencies(tmp_path, lines, everyone, council):
    from .test_export import recalculated, summary_by_key

    table = TABLE + "call,A police call-out avoided,per call,10000,2020/21,Police,fiscal,true,3,hand-made\n"
    (tmp_path / "t.csv").write_text(table, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(AGENCIES.replace("LINES\n", lines + "\n" if lines else ""), encoding="utf-8")
    h = {k: v for k, v in json.loads(cli("run", path, "--format", "json").stdout)["headlines"].items()}
    assert D(h["net_present_budget_impact"]["value"]) == everyone
    assert D(h["lead_agency_budget_impact"]["value"]) == council
    assert "Local Authority alone" in h["lead_agency_budget_impact"]["label"]
    assert "Net present budget impact to Local Authority alone" in cli("run", path).stdout
    assert cli("export", path, "-o", tmp_path / "s.xlsx").exit_code == 0
    summary = summary_by_key(recalculated(tmp_path / "s.xlsx", tmp_path))
    assert summary["lead_agency_budget_impact"] == float(council)


# Timing is stated (item 5) -------------------------------------------------------------------------------------

NO_TIMING = """\
name: No timing
organisation: A council
price_base: 2020/21
periods: [2020/21, 2021/22, 2022/23]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2020/21: 100000}}
outcomes:
  - {id: late, measure: Cases at the end, baseline: 10, follow_up: 8, unit_cost: case, attributable: true}
  - {id: mid, measure: Cases mid-way, baseline: 10, follow_up: 9, follow_up_period: 2021/22, unit_cost: case,
     attributable: true}
"""


def test_an_outcome_without_timing_falls_when_its_follow_up_measures_it_and_says_so(tmp_path):
    """Before: both changes were booked in 2020/21 (year 0), before most of the spend, undiscounted. Now 'late'
    (no follow_up_period) falls in the last period, year 2, and 'mid' in its follow-up period, year 1."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(NO_TIMING, encoding="utf-8")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    pv = D(2 * 50000) / D("1.035") ** 2 + D(50000) / D("1.035")  # 93,351.07 + 48,309.18
    assert D(data["appraisal"]["pv_benefits"]["fiscal"]) == pv.quantize(D("0.01"))
    notes = {o["id"]: o["timing_note"] for o in data["outcomes"]}
    assert notes == {
        "late": "not stated: 2022/23 (year 2), the last period, for one year",
        "mid": "not stated: 2021/22 (year 1), the follow-up period, for one year",
    }
    assert "(timing not stated:" in cli("run", path).stdout  # beside the outcome (its cell wraps with the width)
    assert 'outcome,mid,text,timing,,"not stated: 2021/22 (year 1)' in cli("run", path, "--format", "csv").stdout
    assert cli("report", path, "-o", tmp_path / "r.html").exit_code == 0
    assert "timing not stated: 2022/23 (year 2), the last period" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert cli("export", path, "-o", tmp_path / "r.xlsx").exit_code == 0
    import openpyxl

    cells = [c for row in openpyxl.load_workbook(tmp_path / "r.xlsx")["Appraisal"].iter_rows(values_only=True) for c in row]
    assert "first in 2021/22 (year 1); timing not stated: 2021/22 (year 1), the follow-up period, for one year" in cells
    stated = NO_TIMING.replace("follow_up: 8,", "follow_up: 8, timing: {start_year: 0},")
    path.write_text(stated, encoding="utf-8")
    assert json.loads(cli("run", path, "--format", "json").stdout)["outcomes"][0]["timing_note"] is None


# Uncertainty in the headline (item 7) ----------------------------------------------------------------------------

RANGED = """\
name: A ranged programme
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
funding: [{name: Grant, amount: 100000}]
cost_lines:
  - {name: Team, actual: {2020/21: 100000}}
outcomes:
  - {id: cases, measure: Cases avoided, volumes: {2020/21: 2}, unit_cost: case, attributable: true}
uncertainty:
  unit_costs:
    case: {distribution: uniform, low: 30000, high: 70000}
"""


def test_a_scenario_with_ranges_gives_its_draws_beside_the_headline_on_every_face(tmp_path):
    """As written: 2 x £50,000 - £100,000 = £0. Drawn: 2 x U(30,000, 70,000) - 100,000 is uniform on
    (-40,000, +40,000): median 0 and a 50% chance of a net cost, to within the draws' error (10,000 draws:
    the median's standard error is about 40,000 x 1.25 / 100 = £500, the chance's 0.5 points)."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(RANGED, encoding="utf-8")
    h = json.loads(cli("run", path, "--format", "json").stdout)["headlines"]
    assert D(h["net_position"]["value"]) == 0
    assert abs(D(h["simulated_median"]["value"])) < 2000
    assert abs(D(h["chance_below_zero"]["value"]) - 50) < 2
    assert h["simulated_median"]["label"] == "Median net position over 10,000 draws of the ranges (seed 20200301)"
    # consistency between faces: the same draws as cba simulate's (its median, and 100 - its chance of covering)
    sim = json.loads(cli("simulate", path, "--format", "json").stdout)
    median = sim["tables"]["percentiles"]["rows"][1]
    assert median["statistic"] == "Median" and median["net_position"] == h["simulated_median"]["value"]
    covers = sim["facts"]["probability_pays_back"]
    assert D(covers["value"]) + D(h["chance_below_zero"]["value"]) == 100
    text = " ".join(cli("run", path).stdout.split())
    assert "That is as written; over 10,000 draws of its ranges (seed 20200301) the median net position is" in text
    assert "simulated_median" in cli("run", path, "--format", "csv").stdout
    assert cli("report", path, "-o", tmp_path / "r.html", "--seed", "7").exit_code == 0
    assert "over 10,000 draws of its ranges (seed 7)" in (tmp_path / "r.html").read_text(encoding="utf-8")
    assert cli("export", path, "-o", tmp_path / "r.xlsx").exit_code == 0
    import openpyxl

    summary = {r[2]: r[1] for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"].iter_rows(values_only=True)}
    assert summary["simulated_median"] == float(h["simulated_median"]["value"])


def test_the_headline_draws_default_as_simulate_s_do():
    """report's --draws and --seed defaults are written out (so --help imports no model): they must be these."""
    import inspect

    from cba.cli import app
    from cba.model.ranges import DEFAULT_DRAWS, DEFAULT_SEED

    for command in (app.html_report, app.simulate):
        defaults = {k: v.default for k, v in inspect.signature(command).parameters.items()}
        assert (defaults["draws"], defaults["seed"]) == (DEFAULT_DRAWS, DEFAULT_SEED)


# Real terms by default (item 1) ----------------------------------------------------------------------------------

NEWCOMER = """\
name: Fostering support
organisation: A council
price_base: 2024/25
periods: [2024/25]
unit_costs: ../unit_costs/children-social-care.csv
net_position_basis: actual
cost_lines:
  - {name: Team, actual: {2024/25: 30000}}
outcomes:
  - {id: foster, measure: Foster placement weeks avoided, volumes: {2024/25: 40}, unit_cost: SS2.0,
     conversion: {factor: 1, reason: the volume counts weeks}, attributable: true}
"""


def test_unit_costs_are_in_the_price_base_s_prices_without_an_appraisal_block(write_scenario):
    """SS2.0 is £700 a week in 2013/14 prices; cba costs show gives £700 x 112.375 / 82.175 = £957.26 in 2024/25
    prices, and cba run now uses that, with or without an appraisal: 40 weeks = £38,290.23."""
    path = write_scenario(NEWCOMER)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    weeks = (40 * D(700) * D("112.375") / D("82.175")).quantize(D("0.01"))
    assert D(data["headlines"]["attributable_benefits"]["value"]) == weeks == D("38290.23")
    assert data["settings"]["uprated"] is True
    assert data["settings"]["prices"].startswith("In 2024/25 prices")
    assert "(2013/14 prices × 1.3675)" in " ".join(cli("run", path).stdout.split())
    # the same with an appraisal block that says nothing of prices (uprate's default is now real terms too)
    with_block = json.loads(cli("run", write_scenario(NEWCOMER + "appraisal: {discounting: green_book}\n"),
                                "--format", "json").stdout)
    assert D(with_block["headlines"]["attributable_benefits"]["value"]) == weeks


def test_a_scenario_that_opts_out_says_mixed_price_years_where_the_headline_is_on_every_face(write_scenario, tmp_path):
    import openpyxl

    path = write_scenario(NEWCOMER + "real_terms: false\n")
    words = "Mixed price years: unit costs as published, not in 2024/25 prices"
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert D(data["headlines"]["attributable_benefits"]["value"]) == 40 * 700  # £700 as published
    assert data["settings"]["prices"] == words and data["settings"]["uprated"] is False
    text = cli("run", path).stdout.splitlines()
    assert text[2] == words + "."  # after the title and periods, before the headline figures
    assert cli("run", path, "--format", "csv").stdout.splitlines()[1] == f'prices,,text,"{words}",,'
    assert cli("report", path, "-o", tmp_path / "r.html").exit_code == 0
    assert f'<p class="prices" id="prices"><strong>{words}.</strong>' in (tmp_path / "r.html").read_text("utf-8")
    assert cli("export", path, "-o", tmp_path / "r.xlsx").exit_code == 0
    summary = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "r.xlsx")["Summary"].iter_rows(values_only=True)}
    assert summary["Prices"] == words
    # and it cannot say both: the older spelling against the new one is refused at its place
    both = write_scenario(NEWCOMER + "real_terms: false\nappraisal: {uprate: true}\n")
    refused = cli("validate", both)
    assert refused.exit_code == 1
    assert refused.stderr.strip().endswith(  # at the value written (line 13, column 21), not at its key
        ":13:21: appraisal.uprate: true says the opposite of real_terms: false; write real_terms alone"
    ), refused.stderr


# Every pound spent is in sight, and one report has one conclusion (item 3) ---------------------------------------

ABOVE = """\
name: Spent above the grant
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
funding: [{name: Grant, amount: 600000}]
cost_lines:
  - {name: Team, actual: {2020/21: 712500.50}}
outcomes:
  - {id: cases, measure: Cases avoided, volumes: {2020/21: 14}, unit_cost: case, attributable: true}
"""


def test_spend_above_the_funding_stands_beside_the_net_position(tmp_path):
    """14 cases at £50,000 = £700,000 against the £600,000 grant: a net benefit of £100,000 on the funding basis,
    and £712,500.50 - £600,000 = £112,500.50 spent above the grant, which that basis leaves out, said beside it."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(ABOVE, encoding="utf-8")
    text = " ".join(cli("run", path).stdout.split())
    assert "Net benefit of £0.10 million: attributable benefits exceed the cost (funding received)." in text
    assert "A further £112,500.50 was spent above the funding and is not in this net position" in text
    assert "Spent above the funding (not in this net position) │ £112,500.50" in text
    assert cli("report", path, "-o", tmp_path / "r.html").exit_code == 0
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Spent above the funding (not in this net position)</th><td class=\"n\"><span class=\"m\">£112,500.50</span>" in page
    # a cost what-if on this basis says why the net position stays where it is
    notes = json.loads(cli("whatif", path, "--vary", "costs.0=-10%", "--format", "json").stdout)["notes"]
    assert any(n.startswith("costs.0: a change in spend does not move the net position") for n in notes)
    # with an appraisal, the undiscounted table is a summary and the one conclusion is the appraisal's
    green = cli("run", path, "--green-book").stdout
    assert "an undiscounted summary, not the conclusion" in " ".join(green.split())
    assert "Net benefit of" not in green and "Net present value" in green


def test_with_an_appraisal_the_undiscounted_cost_is_the_appraisal_s():
    """edge-of-care: actual spend 2020/21 £350,000, 2021/22 £360,000, 2022/23 £370,000 outturn plus £30,000
    committed (a forecast, +10% optimism bias, grade 3), brought to 2022/23 prices with the financial-year
    deflator (102.0 / 95.825 and 102.0 / 95.25): the undiscounted summary sets the benefits against that, as the
    appraisal does, not against £1,110,000 cash (BCR 3.45, not 3.60)."""
    from .conftest import ROOT

    cost = (D(350000) * D("102.0") / D("95.825") + D(360000) * D("102.0") / D("95.25") + D(370000)
            + D(30000) * D("1.1"))
    data = json.loads(cli("run", ROOT / "scenarios" / "edge-of-care-example.yaml", "--format", "json").stdout)
    h = data["headlines"]
    assert D(h["cost"]["value"]) == cost.quantize(D("0.01")) == D("1161065.95")
    assert D(h["actual_total"]["value"]) == 1110000  # the spend itself stays cash
    assert D(h["benefit_cost_ratio"]["value"]) == (D("4001212.36") / cost).quantize(D("0.000001"))  # 3.446...
    assert h["cost"]["label"] == "Cost set against benefits (total actual spend, in 2022/23 prices, after any optimism bias)"


# Edges the mutation run found unchecked (this session's new code) ------------------------------------------------


def test_a_flat_rate_in_an_undiscounted_appraisal_discounts_nothing(tmp_path):
    """A flat discount_rate written where discounting is none leaves every factor 1 (and the health column too)."""
    _health(tmp_path)
    undiscounted = HEALTH.replace("appraisal: {discounting: green_book}", "appraisal: {discounting: none}")
    (tmp_path / "h.yaml").write_text(undiscounted, encoding="utf-8")
    data = json.loads(cli("run", str(tmp_path / "h.yaml"), "--format", "json", "--set",
                          "appraisal.discount_rate=0.05").stdout)
    assert data["appraisal"]["discount_factors"] == {"standard": ["1.000000"] * 3, "health": ["1.000000"] * 3}
    assert D(data["appraisal"]["pv_benefits"]["fiscal"]) == 100000
    health = json.loads(cli("run", str(tmp_path / "h.yaml"), "--format", "json", "--set",
                            "appraisal.health_discount_rate=0.04").stdout)
    assert health["appraisal"]["discount_factors"]["health"] == ["1.000000"] * 3


def test_the_notes_say_which_rate_health_values_took(tmp_path):
    _health(tmp_path)
    path = str(tmp_path / "h.yaml")
    notes = json.loads(cli("run", path, "--format", "json", "--set", "appraisal.discount_rate=0.05").stdout)["notes"]
    assert ("Discounted at a flat 5%; health values at that rate less the schedule's differential between its "
            "standard and health rates (the wealth effect: 2% in year 1), never below 0; year 0 (2020/21) is "
            "undiscounted.") in notes
    both = json.loads(cli("run", path, "--format", "json", "--set", "appraisal.discount_rate=0.05", "--set",
                          "appraisal.health_discount_rate=0.04").stdout)["notes"]
    assert "Discounted at a flat 5%; health values at a flat 4%; year 0 (2020/21) is undiscounted." in both
    alone = json.loads(cli("run", path, "--format", "json", "--set", "appraisal.health_discount_rate=0.04").stdout)
    assert ("Discounted at the Green Book schedule; health values at a flat 4%; year 0 (2020/21) is undiscounted."
            in alone["notes"])
    standard_only = HEALTH.replace("discount: health", "discount: standard")
    (tmp_path / "h.yaml").write_text(standard_only, encoding="utf-8")
    flat = json.loads(cli("run", path, "--format", "json", "--set", "appraisal.discount_rate=0.05").stdout)
    assert "Discounted at a flat 5%; year 0 (2020/21) is undiscounted." in flat["notes"]  # no health value to speak of


def test_money_coming_into_the_public_sector_from_outside_it_counts_for_the_fiscal_case(tmp_path):
    """Investors pay the council £20,000 up front (year 0): the public purse is £20,000 better off, so the budget
    impact rises by it, and the NPV, a transfer within society, does not move."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    base = SMALL.replace("VOLUME", "1").replace("funding: [{name: Grant, amount: 100000}]\n",
                                                "net_position_basis: actual\nappraisal: {discounting: green_book}\n")
    path = tmp_path / "s.yaml"
    path.write_text(base, encoding="utf-8")
    before = json.loads(cli("run", path, "--format", "json").stdout)["appraisal"]
    path.write_text(base + "parties: [Investors]\ntransfers:\n  - {name: Up-front capital, from: Investors, "
                    "to: Local Authority, amounts: {2020/21: 20000}}\n", encoding="utf-8")
    after = json.loads(cli("run", path, "--format", "json").stdout)["appraisal"]
    assert D(before["net_present_budget_impact"]) == 50000 - 100000
    assert D(after["pv_paid_outside_public_sector"]) == -20000
    assert D(after["net_present_budget_impact"]) == 50000 - 100000 + 20000
    assert after["net_present_public_value"] == before["net_present_public_value"]


def test_a_flat_rate_written_in_the_scenario_reaches_health_values_in_the_sweep_as_in_the_engine(tmp_path):
    """Consistency between faces: with appraisal.discount_rate written (5%, so health at 3%), whatif's as-written
    rate path gives the exact engine's NPV."""
    _health(tmp_path)
    path = str(tmp_path / "h.yaml")
    exact, _ = _health(tmp_path, "--set", "appraisal.discount_rate=0.05")
    data = json.loads(cli("whatif", path, "--set", "appraisal.discount_rate=0.05", "--vary", "well.deadweight=0",
                          "--format", "json").stdout)
    assert D(data["tables"]["whatif"]["rows"][0]["npv"]) == exact - D(100000)
    low, _ = _health(tmp_path, "--set", "appraisal.discount_rate=0.01")  # health at 0%, never below
    data = json.loads(cli("whatif", path, "--set", "appraisal.discount_rate=0.01", "--vary", "well.deadweight=0",
                          "--format", "json").stdout)
    assert D(data["tables"]["whatif"]["rows"][0]["npv"]) == low - D(100000) == 0


def test_the_chance_the_fiscal_savings_cover_the_cost_counts_payments_out(tmp_path):
    """8 cases at about £50,000 (£392,000-£408,000) against £300,000 of spend and £150,000 paid to investors: the
    fiscal savings never cover the cost and the payments (chance 0%), though they would cover the cost alone."""
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    text = SMALL.replace("VOLUME", "8").replace("funding: [{name: Grant, amount: 100000}]\n", "").replace(
        "budget: {2020/21: 100000}, actual: {2020/21: 100000}", "actual: {2020/21: 300000}")
    text += ("net_position_basis: actual\nappraisal: {discounting: green_book}\nparties: [Investors]\n"
             "transfers:\n  - {name: Outcome payments, from: Local Authority, to: Investors, amounts: {2020/21: 150000}}\n"
             "uncertainty:\n  unit_costs:\n    case: {distribution: uniform, low: 49000, high: 51000}\n")
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    facts = json.loads(cli("simulate", path, "--draws", "1000", "--format", "json").stdout)["facts"]
    assert D(facts["probability_fiscal_payback"]["value"]) == 0
    assert D(facts["probability_cashable_payback"]["value"]) == 0  # every case is cashable: the same answer
    assert D(facts["probability_pays_back"]["value"]) == 100  # the NPV leaves the transfer out


def test_a_cost_what_if_without_an_appraisal_moves_the_net_position_by_the_line_s_cash(tmp_path):
    """family-support, no appraisal, actual basis: 10% less of the £400,000 line is £40,000 more net position."""
    from .conftest import ROOT

    family = ROOT / "scenarios" / "family-support-example.yaml"
    net = D(json.loads(cli("run", family, "--format", "json").stdout)["headlines"]["net_position"]["value"])
    row = json.loads(cli("whatif", family, "--vary", "costs.0=-10%", "--format", "json").stdout)
    assert D(row["tables"]["whatif"]["rows"][0]["net_position"]) == net + 40000


def test_a_swept_standard_rate_leaves_the_first_year_of_health_values_undiscounted(tmp_path):
    """Consistency between faces: a health value in year 0 is not discounted, whatever the rate swept."""
    _health(tmp_path)
    path = tmp_path / "h.yaml"
    path.write_text(HEALTH.replace("volumes: {2021/22: 1, 2022/23: 1}", "volumes: {2020/21: 1, 2021/22: 1}"),
                    encoding="utf-8")
    exact = json.loads(cli("run", str(path), "--set", "appraisal.discount_rate=0.05", "--format", "json").stdout)
    swept = json.loads(cli("whatif", str(path), "--vary", "appraisal.discount_rate=0.05", "--format", "json").stdout)
    npv = D(50000) + D(50000) / D("1.03") - D(100000)  # year 0 whole; year 1 at 3%
    assert D(exact["appraisal"]["net_present_public_value"]) == npv.quantize(D("0.01"))
    assert D(swept["tables"]["whatif"]["rows"][0]["npv"]) == npv.quantize(D("0.01"))


def test_a_swept_rate_discounts_quarterly_health_values_by_elapsed_time_as_the_engine_does(tmp_path):
    """Consistency between faces: quarters discount by (1 + r)^(1/4) a quarter, health values at the flat rate less
    the 2-point gap, in the sweep as in the exact engine."""
    from .conftest import ROOT

    text = (ROOT / "scenarios" / "quarterly-follow-up-example.yaml").read_text(encoding="utf-8")
    text = text.replace("    deadweight: 0.3\n", "    deadweight: 0.3\n    discount: health\n")
    text = text.replace("unit_costs: children-social-care", f"unit_costs: {ROOT / 'unit_costs' / 'children-social-care.csv'}")
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    exact = json.loads(cli("run", path, "--set", "appraisal.discount_rate=0.06", "--format", "json").stdout)
    swept = json.loads(cli("whatif", path, "--vary", "appraisal.discount_rate=0.06", "--format", "json").stdout)
    assert swept["tables"]["whatif"]["rows"][0]["npv"] == exact["headlines"]["npv"]["value"]
    assert exact["appraisal"]["discount_rates"]["health"][1] == "0.040000"


def test_a_written_health_rate_moves_health_values_only_in_the_sweep_as_in_the_engine():
    """Consistency between faces: edge of care with health_discount_rate written (4%): whatif's as-written path
    gives the exact engine's NPV, its standard-rate outcomes untouched; and a scenario without a health value
    offers no health rate to vary."""
    from cba.engine.appraisal import appraise
    from cba.engine.sweep import input_keys, linear_model
    from cba.io.load import load

    from .conftest import ROOT

    edge = ROOT / "scenarios" / "edge-of-care-example.yaml"
    exact = json.loads(cli("run", edge, "--set", "appraisal.health_discount_rate=0.04", "--format", "json").stdout)
    swept = json.loads(cli("whatif", edge, "--set", "appraisal.health_discount_rate=0.04", "--vary",
                           "wellbeing.deadweight=0", "--format", "json").stdout)
    assert swept["tables"]["whatif"]["rows"][0]["npv"] == exact["headlines"]["npv"]["value"]
    loaded = load(ROOT / "scenarios" / "quarterly-follow-up-example.yaml")
    model = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference), True)
    assert "appraisal.discount_rate" in input_keys(model) and "appraisal.health_discount_rate" not in input_keys(model)


def test_pv_of_costs_says_optimism_bias_only_where_some_was_applied():
    """Edge of care uplifts its committed (forecast) line by grade 3's 10%; Dorset under --green-book uplifts
    nothing (its spend is outturn): only the first label may say 'after optimism bias', on every face."""
    from tests.conftest import DORSET, ROOT

    edge = json.loads(cli("run", ROOT / "scenarios" / "edge-of-care-example.yaml", "-f", "json").stdout)
    dorset = json.loads(cli("run", DORSET, "--green-book", "-f", "json").stdout)
    assert edge["headlines"]["pv_costs"]["label"] == "PV of costs (after optimism bias)"
    assert dorset["headlines"]["pv_costs"]["label"] == "PV of costs (no optimism bias applied)"
    shown = cli("run", DORSET, "--green-book", "--detail").stdout
    assert "after optimism bias" not in shown.replace("after any optimism bias", "")


@pytest.mark.parametrize(
    "args",
    [
        ("whatif", "--vary", "lac=-10,-30"),
        ("breakeven",),
        ("solve", "--vary", "lac", "--so", "net_position=0"),
        ("simulate", "--draws", "200"),
        ("compare", "DORSET"),
    ],
    ids=lambda a: a[0],
)
def test_consistency_every_table_states_the_runs_prices(args):
    """Consistency: the prices sentence `cba run` gives (mixed price years for Dorset) is a note of every table."""
    from .conftest import DORSET, ROOT

    scenario = ROOT / "scenarios" / ("dorset-rsw-uncertain.yaml" if args[0] == "simulate" else "dorset-rsw.yaml")
    prices = json.loads(cli("run", scenario, "--format", "json").stdout)["settings"]["prices"]
    assert prices.startswith("Mixed price years")  # Dorset's unit costs are in their own years
    rest = [str(DORSET) if a == "DORSET" else a for a in args[1:]]
    notes = json.loads(cli(args[0], scenario, *rest, "--format", "json").stdout)["notes"]
    assert any(prices in note for note in notes), notes
