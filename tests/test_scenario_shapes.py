"""Scenario shapes of published evaluations (issue 12): each checked against the source or a hand calculation."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
from pathlib import Path

from tests.conftest import DORSET, ROOT, cli
from tests.test_export import recalculated

CLAIM = Decimal(9314674)  # Appendix 4: "annual savings of £9,314,674 ... by the end of year 3"
BASE = Decimal(36036769)  # "annual expenditure was £36,036,769 at the time of the application"
LAC_YEAR = Decimal(58664)  # unit cost lac-year, children-social-care table (2019/20 prices)


def recalculated_like_the_json(scenario: Path, tmp_path: Path) -> tuple[Path, openpyxl.Workbook]:
    """Export a scenario, recalculate the workbook in LibreOffice and check every figure against `cba run`'s JSON."""
    from tests.test_export import check_against_json

    data = json.loads(cli("run", scenario, "--format", "json").stdout)
    out = tmp_path / f"{scenario.stem}.xlsx"
    assert cli("export", scenario, "-o", out).exit_code == 0
    book = recalculated(out, tmp_path)
    check_against_json(book, data)
    return out, book


def six(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))


def test_dorset_shows_the_proposals_claim_beside_the_realised_saving(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    result = cli("run", DORSET)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    row = next(line for line in text.splitlines() if "Annual savings by the end of year 3" in line)
    # "almost 26%": 9,314,674 / 36,036,769 = 0.258477 -> 25.8% to one place
    assert "£9,314,674" in row and "25.8% of £36,036,769" in row
    assert re.search(r"│\s+£0\s+│\s+-£9,314,674\s+│\s+0\.0%", row), row

    data = json.loads(cli("run", DORSET, "--format", "json").stdout)
    (claim,) = data["claims"]
    assert claim["claimed"] == "9314674.00" and claim["base"] == "36036769.00"
    assert claim["claimed_share_pct"] == six(CLAIM * 100 / BASE) == "25.847695"
    assert claim["period"] == "2018/19"
    assert claim["realised"] == "0.00"  # nothing is attributable in the evaluation's base case
    assert claim["difference"] == "-9314674.00"


def test_a_claim_for_one_year_is_set_against_that_years_attributable_benefit():
    # With looked-after children attributable: the fall of 60 is valued in 2018/19 (timing start_year 2)
    # at £58,664 a year, one year: 60 x 58,664 = 3,519,840, all of it in the claim's year.
    data = json.loads(cli("run", DORSET, "-a", "lac", "--format", "json").stdout)
    (claim,) = data["claims"]
    realised = 60 * LAC_YEAR
    assert realised == Decimal(3519840)
    assert claim["realised"] == f"{realised}.00"
    assert claim["difference"] == f"{realised - CLAIM}.00" == "-5794834.00"
    assert claim["realised_pct_of_claim"] == six(realised * 100 / CLAIM) == "37.788118"

    rows = list(csv.reader(io.StringIO(cli("run", DORSET, "-a", "lac", "--format", "csv").stdout)))
    claim_rows = {r[3]: r[5] for r in rows if r[0] == "claim"}
    assert claim_rows["claimed"] == "9314674.00" and claim_rows["realised"] == "3519840.00"
    assert claim_rows["difference"] == "-5794834.00" and claim_rows["claimed_share_pct"] == "25.847695"


def test_a_total_claim_and_a_claim_in_a_year_with_nothing_realised(write_scenario):
    # Two claims: £500,000 over the appraisal, and £100,000 in 2021/22. The outcome saves 10 placements
    # a year for two years from 2021/22 at £20,000, less 25% deadweight: 10 x 20,000 x 0.75 = 150,000 a year.
    path = write_scenario("""
name: Claims
organisation: Anytown
price_base: 2021/22
periods: [2020/21, 2021/22, 2022/23]
unit_costs: children-social-care
net_position_basis: actual
cost_lines:
  - {name: Team, budget: {2020/21: 100000}, actual: {2020/21: 100000}}
outcomes:
  - {id: p, measure: placements, volumes: {2021/22: 10, 2022/23: 10}, unit_cost: lac-year, attributable: true,
     deadweight: 0.25, conversion: {factor: 0.340926, reason: "£20,000 of a £58,664 year"}}
claimed:
  - {label: Whole programme, amount: 500000, per: total}
  - {label: First year, amount: 100000, period: 2020/21}
real_terms: false  # values as published: this test is not about prices
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    unit = LAC_YEAR * Decimal("0.340926")  # 19,999.883...: the conversion as written
    per_year = 10 * unit * Decimal("0.75")
    total, first = data["claims"]
    assert total["period"] is None and total["realised"] == str((2 * per_year).quantize(Decimal("0.01")))
    assert total["difference"] == str((2 * per_year - 500000).quantize(Decimal("0.01")))
    assert first["realised"] == "0.00" and first["realised_pct_of_claim"] == "0.000000"


def test_the_claims_sheet_recalculates_to_the_figures_cba_prints(tmp_path):
    out = tmp_path / "claims.xlsx"
    assert cli("export", DORSET, "-a", "lac", "-o", out).exit_code == 0
    stored = openpyxl.load_workbook(out, data_only=True)["Claims"]
    book = recalculated(out, tmp_path)["Claims"]
    for ws in (stored, book):
        assert ws["B2"].value == 9314674 and ws["C2"].value == 36036769
        assert abs(ws["D2"].value - 9314674 / 36036769) < 1e-12
        assert ws["E2"].value == 3519840 and ws["F2"].value == -5794834
    formulas = openpyxl.load_workbook(out)["Claims"]
    assert formulas["E2"].value.startswith("=IF('Benefits'!H")  # counted only where attributable


def test_the_report_page_shows_the_claim(tmp_path):
    out = tmp_path / "r.html"
    assert cli("report", DORSET, "-o", out).exit_code == 0
    page = out.read_text(encoding="utf-8")
    section = page[page.index('id="claims"'):]
    assert 'data-value="9314674.00"' in section and "25.8% of £36,036,769" in re.sub(r"<[^>]+>", "", section)
    assert 'data-value="0.00"' in section


def test_bad_claims_are_one_positioned_line_each(write_scenario):
    path = write_scenario("""
name: Claims
organisation: Anytown
price_base: 2021/22
periods: [2020/21, 2021/22]
net_position_basis: actual
cost_lines:
  - {name: Team, actual: {2020/21: 100000}}
claimed:
  - {label: A, amount: 1, period: 2030/31}
  - {label: B, amount: 1, per: total, period: 2020/21}
  - {label: C, amount: lots}
""")
    result = cli("validate", path)
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "s.yaml:12:24:" in lines[0] and "amount" in lines[0]
    path.write_text(path.read_text().replace("  - {label: C, amount: lots}\n", ""))
    lines = cli("validate", path).stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "s.yaml:10:" in lines[0] and "period 2030/31 is not one of the scenario's periods" in lines[0]
    assert "s.yaml:11:" in lines[1] and "per: total covers the whole appraisal" in lines[1]


# extends: a variant names only what it changes -------------------------------------------------

BASE_YAML = """name: Base
organisation: Anytown
price_base: 2021/22
periods: [2020/21, 2021/22]
unit_costs: ../tables/local.csv
net_position_basis: actual
cost_lines:
  - {name: Team, actual: {2020/21: 100000, 2021/22: 50000}}
outcomes:
  - {id: lac, measure: Looked-after children, baseline: 10, follow_up: 8, unit_cost: lac-year}
  - {id: cin, measure: CIN cases, baseline: 50, follow_up: 45}
real_terms: false  # values as published: this test is not about prices
"""


def _tables(write_scenario):
    from tests.conftest import BUNDLED_COSTS

    path = write_scenario("")  # makes the folders
    tables = path.parent.parent / "tables"
    tables.mkdir(exist_ok=True)
    (tables / "local.csv").write_bytes(BUNDLED_COSTS.read_bytes())
    return path.parent


def test_a_variant_overrides_keys_merges_outcomes_by_id_and_keeps_the_bases_relative_paths(write_scenario):
    folder = _tables(write_scenario)
    write_scenario(BASE_YAML, "base.yaml")
    (folder / "variants").mkdir()
    variant = folder / "variants" / "v.yaml"
    variant.write_text("""extends: ../base.yaml
name: Variant
outcomes:
  - {id: lac, attributable: true}
  - {id: nfa, measure: No further action, volumes: {2021/22: 3}}
cost_lines:
  - {name: Team, actual: {2020/21: 90000}}
""", encoding="utf-8")
    data = json.loads(cli("run", variant, "--format", "json").stdout)
    # the base's table is found from the base's folder: ../tables/local.csv of scenarios/, not of variants/
    assert [o["id"] for o in data["outcomes"]] == ["lac", "cin", "nfa"]
    lac = data["outcomes"][0]
    assert lac["attributable"] and lac["measure"] == "Looked-after children" and lac["change"] == "-2"
    assert data["headlines"]["attributable_benefits"]["value"] == f"{2 * LAC_YEAR}.00"
    # a list without ids is replaced whole: one line, the variant's
    assert data["headlines"]["actual_total"]["value"] == "90000.00"
    assert data["provenance"]["scenario"]["name"] == "Variant"
    roles = [(i["role"], Path(i["file"]).name) for i in data["provenance"]["inputs"]]
    assert roles[:2] == [("scenario", "v.yaml"), ("base scenario", "base.yaml")]


def test_errors_name_the_file_that_wrote_the_value(write_scenario):
    folder = _tables(write_scenario)
    base = write_scenario(BASE_YAML, "base.yaml")
    variant = write_scenario("extends: base.yaml\noutcomes:\n  - {id: lac, deadweight: 2}\n", "v.yaml")
    lines = cli("validate", variant).stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{variant}:3:") and "deadweight" in lines[0], lines
    # a period the variant drops leaves the base's amounts outside the periods: reported where the base wrote them
    variant.write_text("extends: base.yaml\nperiods: [2020/21]\n", encoding="utf-8")
    lines = cli("validate", variant).stderr.strip().splitlines()
    assert lines and all(line.startswith(f"{folder / 'base.yaml'}:8:") for line in lines), lines
    # an invalid base is reported in the base, on its own
    base.write_text(BASE_YAML.replace("organisation: Anytown\n", ""), encoding="utf-8")
    variant.write_text("extends: base.yaml\norganisation: Here\n", encoding="utf-8")
    lines = cli("validate", variant).stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{base}:1:") and "organisation" in lines[0], lines


def test_a_loop_a_missing_base_and_a_bad_value_are_one_line_each(write_scenario):
    _tables(write_scenario)
    a = write_scenario("extends: b.yaml\nname: A\n", "a.yaml")
    b = write_scenario("extends: a.yaml\nname: B\n", "b.yaml")
    for text, where, expected in (
            ("extends: b.yaml\n", b, "extends makes a loop (a.yaml -> b.yaml -> a.yaml)"),  # b closes the loop
            ("extends: nowhere.yaml\n", a, "extends: no such file"),
            ("extends: [1]\n", a, "extends: give the path of the scenario")):
        a.write_text(text, encoding="utf-8")
        result = cli("run", a)
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith(f"{where}:1:10:"), lines
        assert expected in lines[0], lines


# Results per family, cost per outcome, published results ----------------------------------------

FAMILY = ROOT / "scenarios" / "family-support-example.yaml"


def test_family_support_example_every_headline_by_hand():
    data = json.loads(cli("run", FAMILY, "--format", "json").stdout)
    h = {k: v["value"] for k, v in data["headlines"].items()}
    cost = Decimal("3.8") * 50000 + Decimal("4.2") * 50000  # actual FTE x £50,000: the net position's basis
    assert cost == 400000
    achieved = 120 * Decimal("0.75") * Decimal("0.1")  # 9 children kept out of care
    # in 2023/24 prices (real terms by default): lac-year's £58,664 is in 2019 prices, x 107.975 / 90.3 (the
    # deflator at the price base over its calendar 2019); one year each, less 20% deadweight
    lac = achieved * LAC_YEAR * Decimal("107.975") / Decimal("90.3") * (1 - Decimal("0.2"))
    assert lac.quantize(Decimal("0.01")) == Decimal("505056.11")
    police = 30 * Decimal(450)  # 30 call-outs at the £450 written in the scenario, in 2023/24 prices already
    benefits = lac + police
    assert benefits.quantize(Decimal("0.01")) == Decimal("518556.11")
    q = lambda x: str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))  # noqa: E731
    expected = {
        "budget_total": "400000.00", "actual_total": "400000.00", "variance": "0.00", "variance_pct": "0.000000",
        "funding_total": "0.00", "funding_less_actual": "-400000.00", "cost": "400000.00",
        "attributable_benefits": q(benefits), "net_position": q(benefits - cost),
        "benefit_cost_ratio": six(benefits / cost),  # 1.296390 (1.089702 at the unit cost's own 2019 prices)
        "cost_per_unit": "3333.33",  # 400,000 / 120 = 3,333.333...
        "benefits_per_unit": q(benefits / 120),  # 4,321.30
        "net_position_per_unit": q((benefits - cost) / 120),  # 987.97 (299.01 in mixed price years)
    }
    assert h == expected
    assert six(benefits / cost) == "1.296390"
    lac_cost, police_cost = data["cost_per_outcome"]
    assert lac_cost["achieved"] == "9" and lac_cost["per_outcome"] == "44444.44"  # 400,000 / 9
    assert lac_cost["participants"] == "120" and lac_cost["per_participant"] == "3333.33"
    assert police_cost["achieved"] == "30" and police_cost["per_outcome"] == "13333.33"  # 400,000 / 30
    assert police_cost["participants"] is None
    # published (restated in real terms): £990 a family (987.97 to the nearest £10) and £1.30 per £1 (1.296390 to
    # 0.01) both agree
    results = data["reconciliation"]["results"]
    assert [(r["computed_as_published"], r["agrees"]) for r in results] == [("990.00", True), ("1.300000", True)]
    (line,) = data["costs"]["lines"]  # units x price: 4 FTE budgeted a year, 3.8 and 4.2 used
    assert line["units"] == {"unit": "FTE", "price": "50000.00", "price_from": None,
                             "budget": {"2023/24": "4", "2024/25": "4"}, "actual": {"2023/24": "3.8", "2024/25": "4.2"}}
    assert line["budget"] == {"2023/24": "200000.00", "2024/25": "200000.00"}
    assert line["actual"] == {"2023/24": "190000.00", "2024/25": "210000.00"}
    (claim,) = data["claims"]  # £600,000 claimed over both years against £518,556.11 realised
    assert claim["difference"] == q(benefits - 600000) == "-81443.89" and claim["claimed_share_pct"] == "150.000000"
    # the written value is listed with the unit costs, with its source, from a table named for the scenario
    written = next(u for u in data["unit_costs_used"] if u["used_by"] == ["police"])
    assert (written["table"], written["id"], written["value"], written["agency"], written["price_year"]) == \
        ("scenario", "police.value", "450.00", "Police", "2023/24")
    assert written["source"].startswith("Illustrative")


def test_dorset_published_results_one_printed_figure_is_truncated():
    data = json.loads(cli("run", DORSET, "--format", "json").stdout)
    results = {r["figure"]: r for r in data["reconciliation"]["results"]}
    # "net financial cost of £1.85 million": -1,849,537 to the nearest £10,000 is -1,850,000
    assert results["net_position"]["computed_as_published"] == "-1850000.00" and results["net_position"]["agrees"]
    # "£1.83 million": the actual spend as cba sums it, 1,833,165, is 1,830,000 to the nearest £10,000
    assert results["actual_total"]["agrees"]
    # "anticipated to total £1.95 million": 1,955,037 is 1,960,000 half-up; the report cut it down
    assert results["budget_total"]["computed_as_published"] == "1960000.00"
    assert results["budget_total"]["agrees"] is False


def test_payback_within_n_years_is_checked_and_a_missing_figure_is_said(write_scenario):
    # £50,000 spent in year 0; one looked-after child (£58,664, fiscal) avoided in year 1.
    # PV of the benefit = 58,664 / 1.035 = 56,680.19; cumulative: -50,000 then +6,680.19;
    # payback = 1 + 50,000 / 56,680.19 = 1.882 years.
    path = write_scenario("""
name: Payback
organisation: Anytown
price_base: 2019/20
periods: [2019/20, 2020/21]
unit_costs: children-social-care
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2019/20: 50000}}
outcomes:
  - {id: lac, measure: LAC, volumes: {2020/21: 1}, unit_cost: lac-year, attributable: true}
published_results:
  - {label: "pays back within two years", figure: payback_years, at_most: 2}
  - {label: "pays back within 18 months", figure: payback_years, at_most: 1.5}
  - {label: "saves £10 a family", figure: net_position_per_unit, value: 10}
real_terms: false  # values as published: this test is not about prices
""")
    result = cli("validate", path)
    assert result.exit_code == 1 and "add report_per" in result.stderr and "s.yaml:16:43:" in result.stderr
    path.write_text(path.read_text().replace('  - {label: "saves £10 a family", figure: net_position_per_unit, value: 10}\n', ""))
    data = json.loads(cli("run", path, "--format", "json").stdout)
    payback = 1 + Decimal(50000) / (LAC_YEAR / Decimal("1.035"))
    assert data["headlines"]["payback_years"]["value"] == six(payback)
    two, eighteen = data["reconciliation"]["results"]
    assert two["agrees"] and not eighteen["agrees"]
    # without an appraisal there is no payback: said, not guessed
    path.write_text(path.read_text().replace("appraisal: {discounting: green_book}\n", ""))
    data = json.loads(cli("run", path, "--format", "json").stdout)
    two, _ = data["reconciliation"]["results"]
    assert two["agrees"] is False and two["computed"] is None and "needs an appraisal" in two["why_not_computed"]


def test_the_family_example_workbook_recalculates_in_libreoffice_to_the_figures_cba_prints(tmp_path):
    from tests.test_export import summary_by_key

    out, book = recalculated_like_the_json(FAMILY, tmp_path)
    summary = summary_by_key(book)
    assert round(summary["net_position_per_unit"], 2) == 987.97 and round(summary["cost_per_unit"], 2) == 3333.33
    header = [c.value for c in book["Benefits"][1]]
    lac = next(dict(zip(header, r)) for r in book["Benefits"].iter_rows(min_row=2, values_only=True) if r[0] == "lac")
    # 120 families (50 + 70, the intakes summed) x 0.75 x 0.1 = 9 children kept out of care
    assert lac["Participants (cohort)"] == 120 and lac["Outcomes achieved"] == 9
    assert round(lac["Cost per outcome (cost set against benefits / achieved)"], 2) == 44444.44
    assert abs(lac["Cost per participant"] - 400000 / 120) < 1e-9
    rows = [r for r in book["Reconciliation"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("Summary:")]
    assert [(r[3], r[4]) for r in rows] == [(990, "agrees"), (1.3, "agrees")]
    assert round(book["Claims"]["E2"].value, 2) == 518556.11 and round(book["Claims"]["F2"].value, 2) == -81443.89
    formulas = openpyxl.load_workbook(out)["Costs"]
    assert formulas["F2"].value == "='Units'!F2*'Units'!$C$2"  # 3.8 FTE x the price: live
    assert book["Costs"]["F2"].value == 190000 and book["Units"]["C2"].value == 50000


def test_whatif_per_family_at_the_scenarios_own_value_equals_the_run():
    data = json.loads(cli("whatif", FAMILY, "--vary", "lac.deadweight=0.2,0.5", "--format", "json").stdout)
    first, second = data["tables"]["whatif"]["rows"]
    assert first["net_position_per_unit"] == "987.97"
    # half the children deadweight: 9 x 58,664 x 107.975 / 90.3 (2019 prices to 2023/24) x 0.5 = 315,660.07;
    # + 13,500 police; less 400,000; / 120
    net = 9 * LAC_YEAR * Decimal("107.975") / Decimal("90.3") * Decimal("0.5") + 13500 - 400000
    assert second["net_position_per_unit"] == str((net / 120).quantize(Decimal("0.01"), ROUND_HALF_UP))


# No budget, in-kind apart, costs unknown --------------------------------------------------------

NO_BUDGET = """
name: No budget
organisation: Anytown
price_base: 2019/20
periods: [2019/20, 2020/21]
net_position_basis: actual
cost_lines:
  - {name: Workers, budget: {2019/20: 2500}, actual: {2019/20: 1000, 2020/21: 2000}}
  - {name: Licences, kind: unplanned, actual: {2020/21: 300}}
  - {name: Volunteer time, kind: in_kind, actual: {2019/20: 500}}
"""


def test_variance_only_where_something_was_budgeted_and_in_kind_is_not_an_overspend(write_scenario):
    path = write_scenario(NO_BUDGET)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    lines = {line["label"]: line for line in data["costs"]["lines"]}
    assert lines["Workers"]["variance"] == "500.00"  # 3,000 spent against 2,500
    assert lines["Licences"]["variance"] is None and lines["Volunteer time"]["variance"] is None
    assert data["costs"]["by_kind"]["unplanned"]["variance"] is None
    assert data["costs"]["by_kind"]["in_kind"]["variance"] is None
    # spend against budget: 3,000 + 300 (unplanned is spend) - 2,500; the 500 of volunteer time is not spend
    assert data["costs"]["total"]["actual_total"] == "3800.00"
    assert data["headlines"]["variance"]["value"] == "800.00"
    assert data["headlines"]["variance_pct"]["value"] == "32.000000"  # 800 / 2,500
    assert data["costs"]["total"]["actual"] == {"2019/20": "1500.00", "2020/21": "2300.00"}
    assert any("in-kind contributions without a budget" in n for n in data["notes"])


def test_with_no_budget_at_all_nothing_is_an_overspend(write_scenario):
    path = write_scenario(NO_BUDGET.replace("budget: {2019/20: 2500}, ", ""))
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert data["headlines"]["variance"]["value"] is None and data["headlines"]["variance_pct"]["value"] is None
    text = cli("run", path).stdout
    assert "not budgeted" in text and "Variance (actual - budget)" in text


def test_costs_unknown_is_said_and_gives_no_ratio(write_scenario):
    path = write_scenario("""
name: Costs unknown
organisation: Anytown
price_base: 2019/20
periods: [2019/20]
unit_costs: children-social-care
net_position_basis: actual
cost_lines:
  - {name: Staff time, kind: in_kind, quantified: false}
outcomes:
  - {id: lac, measure: LAC, baseline: 10, follow_up: 8, unit_cost: lac-year, attributable: true}
real_terms: false  # values as published: this test is not about prices
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    # the cost is not known, not £0: the net position is not known either, and the benefits stand alone
    assert data["headlines"]["net_position"]["value"] is None
    assert data["headlines"]["attributable_benefits"]["value"] == f"{2 * LAC_YEAR}.00"
    assert data["headlines"]["benefit_cost_ratio"]["value"] is None
    assert data["notes"][0].startswith("No cost is quantified, so the cost is not known")
    assert "No cost is quantified" in cli("run", path).stdout
    path.write_text(path.read_text().replace("cost_lines:\n  - {name: Staff time, kind: in_kind, quantified: false}\n", ""))
    assert cli("run", path, "--format", "json").exit_code == 0  # no cost lines at all: costs not known


def test_a_written_value_is_checked_like_a_table_entry(write_scenario):
    path = write_scenario("""
name: Money outcome
organisation: Anytown
price_base: 2022/23
periods: [2022/23]
net_position_basis: actual
cost_lines:
  - {name: Court team, actual: {2022/23: 100000}}
outcomes:
  - id: crime
    measure: Offences avoided
    volumes: {2022/23: 20}
    unit_cost: lac-year
    value:
      amount: 3200
      price_year: 2024/25
      agency: Polise
      source: illustrative
real_terms: false  # values as published: this test is not about prices
""")
    lines = cli("validate", path).stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "s.yaml:15:7:" in lines[0] and "unit_cost (a table's entry) or value" in lines[0]
    assert "s.yaml:17:15:" in lines[1] and "unknown agency 'Polise'" in lines[1] and "Police" in lines[1]
    path.write_text(path.read_text().replace("    unit_cost: lac-year\n", "").replace("Polise", "Police"))
    lines = cli("validate", path).stderr.strip().splitlines()
    # a price year after the price base, pointed at where the scenario writes it
    assert len(lines) == 1 and "s.yaml:15:19:" in lines[0] and "price year 2024/25 of 'crime.value' is later" in lines[0]


# A value published as a total over several years -------------------------------------------------

SPREAD = """
name: Spread
organisation: Anytown
price_base: 2022/23
periods: [2022/23]
net_position_basis: actual
appraisal: {discounting: green_book, horizon_years: 4}
cost_lines:
  - {name: Court team, actual: {2022/23: 100000}}
outcomes:
  - id: court
    measure: Families through the court
    cohort: {size: 20, engagement: 1, success: 0.5}
    value: {amount: 25000, unit: per family over five years, price_year: 2022/23, source: illustrative}
    timing: {start_year: 1, spread: {years: 5}}
    attributable: true
"""


def test_a_total_over_five_years_is_spread_evenly_and_cut_at_the_horizon(write_scenario):
    path = write_scenario(SPREAD)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    # 10 families x £25,000 over five years = £50,000 a year in years 1-5; the horizon (4 years: 0-3) keeps 1-3
    (stream,) = data["appraisal"]["benefits"]
    assert stream["values"] == ["0.00", "50000.00", "50000.00", "50000.00"]
    assert data["headlines"]["attributable_benefits"]["value"] == "150000.00"
    assert any("worth £100,000.00" in n for n in data["notes"])  # years 4 and 5, cut off
    df = [1 / Decimal("1.035") ** t for t in range(4)]
    npv = 50000 * (df[1] + df[2] + df[3]) - 100000
    assert data["headlines"]["npv"]["value"] == str(npv.quantize(Decimal("0.01"), ROUND_HALF_UP)) == "40081.85"
    # the lag can vary; the sweep agrees with a hand figure: starting at once, four years are counted
    rows = json.loads(cli("whatif", path, "--vary", "court.timing.start_year=0", "--format", "json").stdout)
    npv0 = 50000 * sum(df) - 100000
    assert rows["tables"]["whatif"]["rows"][0]["npv"] == str(npv0.quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_a_profile_of_shares_and_its_errors(write_scenario):
    path = write_scenario(SPREAD.replace("spread: {years: 5}", "spread: {years: 3, profile: [0.5, 0.3, 0.2]}"))
    data = json.loads(cli("run", path, "--format", "json").stdout)
    # £250,000 in all: 125,000 / 75,000 / 50,000 in years 1-3
    assert data["appraisal"]["benefits"][0]["values"] == ["0.00", "125000.00", "75000.00", "50000.00"]
    bad = SPREAD.replace("spread: {years: 5}", "spread: {years: 3, profile: [0.5, 0.3, 0.3]}, duration: 2")
    lines = cli("validate", write_scenario(bad)).stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "spread says how the value falls over its years; remove duration and drop_off" in lines[0]
    assert "the shares sum to 1.1; they must sum to exactly 1" in lines[1]
    bad = SPREAD.replace("spread: {years: 5}", "spread: {years: 2, profile: [1]}") + \
        "uncertainty:\n  outcomes:\n    court:\n      timing:\n        duration: {distribution: uniform, low: 1, high: 3}\n"
    lines = cli("validate", write_scenario(bad)).stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "the profile gives 1 shares for 2 years" in lines[0]
    assert ":21:" in lines[1] and "only the lag (start_year) can have a range" in lines[1]


# Cost = units x price ---------------------------------------------------------------------------

UNITS = """
name: Units
organisation: Anytown
price_base: 2022/23
periods: [2022/23, 2023/24]
unit_costs: children-social-care
net_position_basis: actual
cost_lines:
  - name: Social workers
    units: {unit: FTE, price: 42500.50, budget: {2022/23: 4, 2023/24: 4}, actual: {2022/23: 3.5, 2023/24: 4.2}}
  - name: Placements
    units: {unit: placement-year, unit_cost: lac-year, actual: {2023/24: 1.5}}
"""


def test_units_times_a_price_or_a_table_entry_and_their_errors(write_scenario):
    path = write_scenario(UNITS)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    workers, placements = data["costs"]["lines"]
    assert workers["actual"] == {"2022/23": "148751.75", "2023/24": "178502.10"}  # 3.5 and 4.2 x £42,500.50
    assert workers["budget_total"] == "340004.00"  # 8 x 42,500.50
    assert placements["actual"]["2023/24"] == f"{Decimal('1.5') * LAC_YEAR:.2f}" == "87996.00"
    assert placements["units"]["price_from"] == "lac-year" and placements["variance"] is None
    used = next(u for u in data["unit_costs_used"] if u["id"] == "lac-year")
    assert used["used_by"] == ["costs.1"]  # the table entry is listed with what uses it
    bad = path.read_text().replace("price: 42500.50,", "price: 42500.50, unit_cost: lac-year,").replace(
        "actual: {2023/24: 1.5}", "actual: {2030/31: 1.5, 2023/24: -1}")
    path.write_text(bad + "    budget: {2022/23: 1}\n")
    lines = cli("validate", path).stderr.strip().splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == [
        "give the price of one unit: price (pounds) or unit_cost (a table's entry), one of them",
        "give the line's amounts one way: budget and actual amounts, or units times a price, not both",
        "period 2030/31 is not one of the scenario's periods (2022/23, 2023/24)",
        "-1 units: a number of units cannot be negative",
    ], lines


# A programme arm against a comparison arm ---------------------------------------------------------

ARMS = ROOT / "scenarios" / "court-arms-example.yaml"


def test_court_arms_example_every_headline_by_hand():
    data = json.loads(cli("run", ARMS, "--format", "json").stdout)
    n = 90
    cost = (8740 - 4000) * n  # the programme arm's extra cost: £4,740 a family x 90 = £426,600
    fall = (Decimal("0.65") - Decimal("0.46")) * n  # 17.1 fewer children in care
    # in 2019/20 prices (real terms by default): lac-year's 2019 prices x 90.95 / 90.3; less 10% deadweight
    benefits = fall * LAC_YEAR * Decimal("90.95") / Decimal("90.3") * Decimal("0.9")
    q = lambda x: str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))  # noqa: E731
    assert q(benefits) == "909337.80"  # 902,838.96 at the unit cost's own 2019 prices
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert h == {
        "budget_total": "0.00", "actual_total": "426600.00", "variance": None, "variance_pct": None,
        "funding_total": "0.00", "funding_less_actual": "-426600.00", "cost": "426600.00",
        "attributable_benefits": q(benefits), "net_position": q(benefits - cost),
        "benefit_cost_ratio": six(benefits / cost),  # 2.131594
        "cost_per_unit": "4740.00", "benefits_per_unit": q(benefits / n),  # 10,103.75
        "net_position_per_unit": q((benefits - cost) / n),  # 5,363.75: the restated 'about £5,400 per family'
    }
    arms = data["arms"]
    assert arms["programme"] == {"label": "Family drug and alcohol court", "n": "90"}
    assert [(i["kind"], i["difference"], i["total"]) for i in arms["items"]] == \
        [("cost", "4740.00", "426600.00"), ("outcome", "-0.19", "-17.1")]
    (outcome,) = data["outcomes"]  # the change is the arms' difference x n, not a before and after
    assert outcome["change"] == "-17.1"
    assert [r["agrees"] for r in data["reconciliation"]["results"]] == [True, True]
    text = cli("run", ARMS).stdout
    assert "(comparison)" in text and "Programme against comparison" in text


def test_arms_default_to_results_per_participant_and_need_their_sizes(write_scenario):
    text = ARMS.read_text(encoding="utf-8").replace("report_per: {label: family, count: 90}", "")
    data = json.loads(cli("run", write_scenario(text), "--format", "json").stdout)
    assert data["headlines"]["net_position_per_unit"]["label"] == "Net position per participant, undiscounted"
    bad = text.replace("arms:\n  programme: {label: Family drug and alcohol court, n: 90}\n"
                       "  comparison: {label: ordinary care proceedings, n: 100}\n", "")
    bad = bad.replace("    arms: {programme: 8740, comparison: 4000}", "    arms: {programme: 8740, comparison: 4000}\n"
                      "    actual: {2019/20: 1}")
    lines = cli("validate", write_scenario(bad)).stderr.strip().splitlines()
    messages = sorted(line.split(": ", 1)[1] for line in lines)
    assert len(lines) == 4, lines
    assert messages[0].startswith("'net_position_per_unit' is a result per unit")  # without arms, no count
    assert messages[1] == "give the line's amounts one way: amounts, units, or means per participant in each arm"
    assert messages[2] == messages[3] and messages[2].startswith("means per participant need the arms they come from")


# Intakes by period -----------------------------------------------------------------------------------

def test_each_intake_benefits_from_its_own_year(write_scenario):
    path = write_scenario("""
name: Intakes
organisation: Anytown
price_base: 2022/23
periods: [2022/23, 2023/24, 2024/25]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Service, actual: {2022/23: 100000, 2023/24: 150000, 2024/25: 150000}}
outcomes:
  - id: lac
    measure: Children kept out of care
    cohort: {intake: {2022/23: 40, 2023/24: 60, 2024/25: 60}, engagement: 0.5, success: 0.2}
    value: {amount: 10000, unit: per child per year, price_year: 2022/23, source: illustrative}
    timing: {start_year: 1, duration: 2}
    attributable: true
real_terms: false  # values as published: this test is not about prices
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    # achievers: 40 x 0.1 = 4 from 2022/23, 6 from 2023/24, 6 from 2024/25; each counted in the two years after
    # its intake: year 1: 4; year 2: 4 + 6; year 3: 6 + 6; year 4: 6
    (stream,) = data["appraisal"]["benefits"]
    assert stream["volumes"] == ["0", "4", "10", "12", "6"]
    df = [1 / Decimal("1.035") ** t for t in range(5)]
    pv_costs = 100000 + 150000 * df[1] + 150000 * df[2]
    pv_benefits = 10000 * (4 * df[1] + 10 * df[2] + 12 * df[3] + 6 * df[4])
    assert data["headlines"]["npv"]["value"] == str((pv_benefits - pv_costs).quantize(Decimal("0.01"), ROUND_HALF_UP))
    assert data["cost_per_outcome"][0]["participants"] == "160"  # everyone taken on
    # the sweep keeps the intakes' pattern: moving the lag by a year moves every intake
    rows = json.loads(cli("whatif", path, "--vary", "lac.timing.start_year=2", "--format", "json").stdout)
    pv2 = 10000 * (4 * df[2] + 10 * df[3] + 12 * df[4] + 6 / Decimal("1.035") ** 5)  # each a year later
    assert rows["tables"]["whatif"]["rows"][0]["npv"] == str((pv2 - pv_costs).quantize(Decimal("0.01"), ROUND_HALF_UP))
    bad = path.read_text().replace("intake: {", "size: 10, intake: {2021/22: 1, ")
    lines = cli("validate", write_scenario(bad)).stderr.strip().splitlines()
    assert len(lines) == 2, lines
    assert "give the cohort one way: size (everyone reached) or intake (by period)" in lines[0]
    assert "period 2021/22 is before the first appraisal period" in lines[1]


def test_family_example_takes_families_on_in_two_intakes():
    data = json.loads(cli("run", FAMILY, "--green-book", "--format", "json").stdout)
    lac = next(b for b in data["appraisal"]["benefits"] if b["outcome"] == "lac")
    assert lac["volumes"] == ["3.75", "5.25"]  # 50 x 0.75 x 0.1 and 70 x 0.75 x 0.1


# Transfers ------------------------------------------------------------------------------------------

BOND = ROOT / "scenarios" / "impact-bond-example.yaml"


def test_impact_bond_example_every_headline_by_hand():
    data = json.loads(cli("run", BOND, "--format", "json").stdout)
    df1 = 1 / Decimal("1.035")
    pv_benefits = 4 * 50000 + 6 * 50000 * df1  # £489,855.07
    h = {k: v["value"] for k, v in data["headlines"].items()}
    q = lambda x: str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))  # noqa: E731
    assert h["actual_total"] == h["cost"] == h["pv_costs"] == "300000.00"
    assert h["attributable_benefits"] == "500000.00" and h["net_position"] == "200000.00"
    assert h["pv_benefits"] == q(pv_benefits) == "489855.07"
    assert h["npv"] == q(pv_benefits - 300000)  # the transfer is not in the public-sector net
    # the payments to investors (80,000 at t=0, 70,000 at t=1, capped at 150,000) leave the public sector, so they
    # are in the fiscal case (issue 27, item 8a)
    paid_out = 80000 + 70000 * df1  # £147,632.85
    assert h["net_present_budget_impact"] == q(pv_benefits - 300000 - paid_out) == "42222.22"
    assert h["bcr"] == six(pv_benefits / 300000) and h["financial_roi"] == six((pv_benefits - paid_out) / 300000)
    assert h["benefit_cost_ratio"] == "1.666667" and h["variance"] is None
    # payback: -300,000 - 80,000 + 200,000 at t=0; then -70,000 x DF1 at the start of t=1, +289,855.07 through it
    assert h["payback_years"] == six(1 + (180000 + 70000 * df1) / (6 * 50000 * df1))
    # cashable: half, from year 1 only: 0.5 x 300,000 x DF1 = 144,927.54, less the payments; it never pays back
    cashable = Decimal("0.5") * 6 * 50000 * df1
    assert h["cashable_roi"] == six((cashable - paid_out) / 300000) and h["cashable_payback_years"] is None
    split = data["appraisal"]["pv_fiscal_by_cashable"]
    assert split == {"cashable": q(cashable), "non_cashable": q(pv_benefits - cashable)}
    # the payments: 4 x £20,000 then 6 x £20,000, capped at £150,000 in all
    (t,) = data["transfers"]
    assert t["gross"] == ["80000.00", "120000.00"] and t["paid"] == ["80000.00", "70000.00"] and t["capped"]
    assert t["pv"] == q(80000 + 70000 * df1) == "147632.85"
    who = {w["agency"]: w for w in data["appraisal"]["who_pays_and_benefits"]}
    assert who["Local Authority"]["net"] == q(pv_benefits - 300000 - (80000 + 70000 * df1))  # after paying investors
    assert who["Social investors"]["pv_transfers_received"] == "147632.85"
    assert who["Social investors"]["net"] == "147632.85"  # what they receive is their gain


def test_transfers_name_known_parties_and_one_way_of_paying(write_scenario):
    text = BOND.read_text(encoding="utf-8")
    bad = text.replace("to: Social investors", "to: Social investers").replace(
        "    cap: 150000\n", "    cap: 150000\n    amounts: {2022/23: 1}\n  - {name: Back, from: NHS, to: NHS, "
                            "per_outcome: {outcome: lax, amount: 1}}\n")
    lines = cli("validate", write_scenario(bad)).stderr.strip().splitlines()
    messages = sorted(line.split(": ", 1)[1] for line in lines)
    assert len(lines) == 4, lines
    assert messages[0].startswith("a transfer moves money between two parties; from and to are the same")
    assert messages[1] == "give the transfer one way: amounts by period, per_outcome, multiple_of, or spread"
    assert messages[2].startswith("no outcome 'lax'")
    assert messages[3].startswith("unknown party 'Social investers' (did you mean 'Social investors'?)")


def test_cashable_later_pays_back_later(write_scenario):
    # £100,000 at t=0; a fiscal saving of £80,000 a year in years 0-2, 60% cashable from year 1.
    path = write_scenario("""
name: Cashable
organisation: Anytown
price_base: 2022/23
periods: [2022/23, 2023/24, 2024/25]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Service, actual: {2022/23: 100000}}
outcomes:
  - id: s
    measure: Savings
    volumes: {2022/23: 1, 2023/24: 1, 2024/25: 1}
    value: {amount: 80000, price_year: 2022/23, source: illustrative, cashable: true}
    cashable: {share: 0.6, from_year: 1}
    attributable: true
""")
    h = {k: v["value"] for k, v in json.loads(cli("run", path, "--format", "json").stdout)["headlines"].items()}
    df = [1 / Decimal("1.035") ** t for t in range(3)]
    # all fiscal: -100,000 + 80,000 at t=0, then +77,294.69 at t=1: payback 1 + 20,000 / 77,294.69
    assert h["payback_years"] == six(1 + 20000 / (80000 * df[1]))
    # cashable: nothing at t=0, 48,000 x DF at t=1 and t=2: -100,000 + 46,376.81 + 44,808.51 < 0: no payback
    assert h["cashable_roi"] == six(48000 * (df[1] + df[2]) / 100000)
    assert h["cashable_payback_years"] is None
    path.write_text(path.read_text().replace("share: 0.6", "share: 0.9"))
    h = {k: v["value"] for k, v in json.loads(cli("run", path, "--format", "json").stdout)["headlines"].items()}
    # 72,000 a year from t=1: -100,000 + 69,565.22 = -30,434.78 at t=1; + 67,215.76 at t=2: 2 + 30,434.78 / 67,215.76
    assert h["cashable_payback_years"] == six(2 + (100000 - 72000 * df[1]) / (72000 * df[2]))


def test_no_budget_workbook_recalculates_to_the_figures_cba_prints(write_scenario, tmp_path):
    from tests.test_export import summary_by_key

    _, book = recalculated_like_the_json(write_scenario(NO_BUDGET), tmp_path)
    assert summary_by_key(book)["variance"] == 800


def test_units_workbook_amounts_are_units_times_the_price(write_scenario, tmp_path):
    out = tmp_path / "u.xlsx"
    assert cli("export", write_scenario(UNITS), "-o", out).exit_code == 0
    book = recalculated(out, tmp_path)
    assert book["Costs"]["G3"].value == 87996 and book["Units"]["C3"].value == 58664  # 1.5 x the table's £58,664


def test_court_arms_workbook_recalculates_to_the_figures_cba_prints(tmp_path):
    out, book = recalculated_like_the_json(ARMS, tmp_path)
    assert book["Arms"]["F5"].value == 426600 and abs(book["Arms"]["F6"].value + 17.1) < 1e-9
    formulas = openpyxl.load_workbook(out)
    assert formulas["Costs"]["E2"].value == "='Arms'!F5" and formulas["Benefits"]["C2"].value.startswith("='Arms'!D6")


def test_impact_bond_workbook_recalculates_to_the_figures_cba_prints(tmp_path):
    from tests.test_export import summary_by_key

    cashable = Decimal("0.5") * 6 * 50000 / Decimal("1.035")  # half the second year's saving, discounted
    paid_out = 80000 + 70000 / Decimal("1.035")  # to the investors, outside the public sector
    _, book = recalculated_like_the_json(BOND, tmp_path)
    assert book["Transfers"]["E4"].value == 150000 and round(book["Transfers"]["E5"].value, 2) == 147632.85
    assert round(book["Transfers"]["E7"].value, 2) == 147632.85  # the net paid outside, the fiscal case's row
    summary = summary_by_key(book)
    assert abs(summary["cashable_roi"] - float((cashable - paid_out) / 300000)) < 1e-9
    assert abs(summary["net_present_budget_impact"] - 42222.22) < 0.005
    assert summary["cashable_payback_years"] == "does not pay back within 2 years"




# Edges that mutation testing found unchecked ------------------------------------------------------

#: Two appraised years and £1,000 spent in the first; each test adds its own outcomes.
TWO_YEARS = """
name: {name}
organisation: Anytown
price_base: 2019/20
periods: [2019/20, 2020/21]
net_position_basis: actual
appraisal: {{discounting: green_book}}
cost_lines:
  - {{name: Team, actual: {{2019/20: 1000}}}}
"""

def test_period_variance_leaves_in_kind_out_year_by_year(write_scenario, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    text = cli("run", write_scenario(NO_BUDGET)).stdout
    # 2019/20: 1,000 spent + 500 in kind against 2,500 budgeted: -1,500 (not -1,000); 2020/21: 2,000 + 300, none budgeted
    row = next(line for line in text.splitlines() if line.startswith("│ 2019/20"))
    assert "-£1,500" in row, row
    row = next(line for line in text.splitlines() if line.startswith("│ 2020/21"))
    assert "£2,300" in row.split("│")[-3], row


def test_cost_per_outcome_for_a_fraction_and_none_for_no_change(write_scenario):
    path = write_scenario("""
name: Counts
organisation: Anytown
price_base: 2019/20
periods: [2019/20]
net_position_basis: actual
cost_lines:
  - {name: Team, actual: {2019/20: 1000}}
outcomes:
  - {id: half, measure: Half a case, volumes: {2019/20: 0.5}}
  - {id: same, measure: No change, baseline: 10, follow_up: 10}
  - {id: rise, measure: A rise, baseline: 10, follow_up: 12}
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert [(c["outcome"], c["per_outcome"]) for c in data["cost_per_outcome"]] == [("half", "2000.00")]  # 1,000 / 0.5


def test_a_claim_for_a_year_defaults_to_the_last_period(write_scenario):
    path = write_scenario("""
name: Claims
organisation: Anytown
price_base: 2021/22
periods: [2020/21, 2021/22, 2022/23]
net_position_basis: actual
cost_lines:
  - {name: Team, actual: {2020/21: 100000}}
outcomes:
  - {id: p, measure: placements, volumes: {2020/21: 1, 2021/22: 2, 2022/23: 3},
     value: {amount: 1000, price_year: 2020/21, source: illustrative}, attributable: true}
claimed:
  - {label: By the end, amount: 5000}
real_terms: false  # values as published: this test is not about prices
""")
    (claim,) = json.loads(cli("run", path, "--format", "json").stdout)["claims"]
    assert claim["period"] == "2022/23" and claim["realised"] == "3000.00"  # the last year's 3 x £1,000
    # a claim is set against undiscounted benefits, as it was made, even when the appraisal discounts
    path.write_text(path.read_text().replace("net_position_basis: actual\n",
                                             "net_position_basis: actual\nappraisal: {discounting: green_book}\n"))
    (claim,) = json.loads(cli("run", path, "--format", "json").stdout)["claims"]
    assert claim["realised"] == "3000.00"


def test_cost_notes_only_when_they_apply(write_scenario):
    # funding is the basis and is known, though no cost line is quantified: the net is a net, not an upper bound
    path = write_scenario("""
name: Notes
organisation: Anytown
price_base: 2019/20
periods: [2019/20]
funding: [{name: Grant, amount: 1000}]
cost_lines:
  - {name: Staff time, kind: in_kind, quantified: false}
""")
    notes = json.loads(cli("run", path, "--format", "json").stdout)["notes"]
    assert not any(n.startswith("No cost is quantified") for n in notes)
    # a fully budgeted scenario has no note about lines without a budget
    notes = json.loads(cli("run", FAMILY, "--format", "json").stdout)["notes"]
    assert not any("without a budget" in n for n in notes)


def test_an_intake_with_drop_off(write_scenario):
    path = write_scenario(TWO_YEARS.format(name="Intake") + """outcomes:
  - id: o
    measure: Outcomes
    cohort: {intake: {2019/20: 10, 2020/21: 20}, engagement: 1, success: 0.5}
    value: {amount: 100, price_year: 2019/20, source: illustrative}
    timing: {duration: 2, drop_off: 0.5}
    attributable: true
""")
    (stream,) = json.loads(cli("run", path, "--format", "json").stdout)["appraisal"]["benefits"]
    # 5 from 2019/20: 5 then 2.5; 10 from 2020/21: 10 then 5
    assert stream["volumes"] == ["5", "12.5", "5"]


def test_a_transfer_by_amounts_and_cashability_as_the_unit_cost_says(write_scenario):
    path = write_scenario(TWO_YEARS.format(name="Amounts") + """outcomes:
  - {id: c, measure: Cashable, volumes: {2019/20: 1}, attributable: true,
     value: {amount: 600, price_year: 2019/20, cashable: true, source: illustrative}}
  - {id: n, measure: Not cashable, volumes: {2019/20: 1}, attributable: true,
     value: {amount: 900, price_year: 2019/20, cashable: false, source: illustrative}}
transfers:
  - {name: Grant to the NHS, from: Local Authority, to: NHS, amounts: {2020/21: 207}}
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    (t,) = data["transfers"]
    assert t["paid"] == ["0.00", "207.00"] and t["pv"] == "200.00"  # 207 / 1.035
    assert t["capped"] is False and t["cap"] is None
    h = data["headlines"]
    assert h["cashable_roi"]["value"] == "0.600000"  # only the cashable £600 of the £1,500 saved, against £1,000
    assert h["financial_roi"]["value"] == "1.500000"


def test_payments_stop_at_the_cap_however_many_years():
    from cba.engine.timeline import capped_payments

    d = Decimal
    assert capped_payments([d(50), d(50), d(50)], d(120)) == [50, 50, 20]  # 50 + 50, then the 20 left
    assert capped_payments([d(50), d(-10), d(50)], None) == [50, -10, 50]  # no cap: as given


def test_two_cashable_savings_in_a_year_add_up_and_no_cost_gives_no_ratio(write_scenario):
    path = write_scenario(TWO_YEARS.format(name="Two") + """outcomes:
  - {id: z, measure: Not attributed, volumes: {2020/21: 1},
     value: {amount: 5, price_year: 2019/20, source: illustrative}}
  - {id: a, measure: A, volumes: {2020/21: 1}, attributable: true,
     value: {amount: 600, price_year: 2019/20, cashable: true, source: illustrative}}
  - {id: b, measure: B, volumes: {2020/21: 1}, attributable: true,
     value: {amount: 900, price_year: 2019/20, cashable: true, source: illustrative}}
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    # 1,500 / 1.035 = 1,449.28 in year 1 against 1,000 in year 0: 1 + 1,000 / 1,449.28
    assert data["headlines"]["cashable_payback_years"]["value"] == six(1 + 1000 / (1500 / Decimal("1.035")))
    assert data["appraisal"]["pv_fiscal_by_agency"] == {"Local Authority": "1449.28"}  # both, one agency
    path.write_text(path.read_text().replace("actual: {2019/20: 1000}", "actual: {2019/20: 0}"))
    h = json.loads(cli("run", path, "--format", "json").stdout)["headlines"]
    assert h["cashable_roi"]["value"] is None and h["financial_roi"]["value"] is None  # nothing to divide by


def test_simulate_gives_the_percentiles_per_family_too(write_scenario):
    child = write_scenario(f"""extends: {FAMILY}
uncertainty:
  outcomes:
    lac: {{deadweight: {{distribution: uniform, low: 0, high: 0.4}}}}
""", "v.yaml")
    for extra, keys in (((), ("net_position",)), (("--green-book",), ("net_position", "npv"))):
        data = json.loads(cli("simulate", child, "--draws", "20000", "--seed", "3", "--format", "json", *extra).stdout)
        table = data["tables"]["percentiles"]
        labels = {c["key"]: c["label"] for c in table["columns"]}
        for key in keys:
            assert labels[f"{key}_per_unit"] == ("NPV" if key == "npv" else "Net position") + " per family"
            for row in table["rows"]:
                # dividing by 120 families keeps every percentile's rank: each is the whole's / 120, to the penny
                assert abs(Decimal(row[f"{key}_per_unit"]) - Decimal(row[key]) / 120) <= Decimal("0.01")


def test_simulate_asks_whether_the_cashable_savings_alone_cover_the_cost(write_scenario):
    from cba.engine.run import run as run_engine
    from cba.engine.sweep import evaluate, linear_model
    from cba.io.load import load

    child = write_scenario(f"""extends: {BOND}
uncertainty:
  appraisal: {{discount_rate: {{distribution: uniform, low: 0.01, high: 0.06}}}}
""", "v.yaml")
    data = json.loads(cli("simulate", child, "--draws", "5000", "--seed", "1", "--format", "json").stdout)
    facts = {k: Decimal(v["value"]) for k, v in data["facts"].items() if k.startswith("probability")}
    # fiscal PV is about 1.6 x the cost at any of these rates; the cashable half of one year about 0.5 x: never
    assert facts["probability_fiscal_payback"] == 100 and facts["probability_cashable_payback"] == 0
    # the vectorised cashable PV agrees with the exact engine's, at the scenario's rate and at a flat 5%
    loaded = load(BOND)
    result = run_engine(loaded.scenario, loaded.costs, loaded.provenance("t"), reference=loaded.reference)
    model = linear_model(result.figures, True)
    assert abs(float(evaluate(model, {}, 1).pv_cashable[0]) - float(result.figures.timeline.pv_cashable)) < 1e-6
    at5 = float(evaluate(model, {"appraisal.discount_rate": 0.05}, 1).pv_cashable[0])
    assert abs(at5 - 0.5 * 6 * 50000 / 1.05) < 1e-6  # half of year 1's £300,000, discounted at 5%


# One outcome, several values and payers (issue 12, point 5) ---------------------------------------

CARE = ROOT / "scenarios" / "care-proceedings-example.yaml"
# GDP deflator by financial year, the mean of the ONS YBGB quarters April to March (2022 = 100):
#   2005/06 = (68.7 + 68.9 + 69.2 + 69.7) / 4 = 69.125      2019/20 = (90.2 + 90.6 + 91.1 + 91.9) / 4 = 90.95
UPRATE = Decimal("90.95") / Decimal("69.125")
# GMCA SS4.1.1-SS4.1.4, an application for a care order (2005/06 prices): legal aid £15,000 (8 in 10 parents
# aided: share 0.8), the council £6,250, the court £1,250, Cafcass £2,500; and a social value of £3,000 (2019/20).
FALL = 8 * Decimal("0.75")  # 30 -> 22 applications, less 25% deadweight: 6 counted


def test_care_proceedings_example_every_headline_by_hand():
    data = json.loads(cli("run", CARE, "--format", "json").stdout)
    council, legal_aid, court, cafcass = (FALL * v * UPRATE for v in (6250, 15000 * Decimal("0.8"), 1250, 2500))
    social = FALL * 3000
    fiscal = council + legal_aid + court + cafcass  # 6 x £22,000 x 90.95 / 69.125 = £173,676.67
    assert money(fiscal) == "173676.67"
    benefits = fiscal + social
    cost = Decimal(145000)
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert h["attributable_benefits"] == h["pv_benefits"] == money(benefits) == "191676.67"
    assert h["npv"] == h["net_position"] == money(benefits - cost) == "46676.67"
    assert h["net_present_budget_impact"] == money(fiscal - cost) == "28676.67"
    assert h["bcr"] == six(benefits / cost) and h["financial_roi"] == six(fiscal / cost)
    assert h["npv_per_unit"] == money((benefits - cost) / 60) == "777.94"  # per family, 60 families
    # one row per value, each with its part; the outcome's count and cost per outcome once
    rows = [(o["id"], o["part"]["number"], o["part"]["label"], o["part"]["share"], o["value"]) for o in data["outcomes"]]
    assert rows == [
        ("care_orders", 1, "council legal and social work", "1.000000", money(council)),
        ("care_orders", 2, "legal aid", "0.800000", money(legal_aid)),
        ("care_orders", 3, "court", "1.000000", money(court)),
        ("care_orders", 4, "Cafcass", "1.000000", money(cafcass)),
        ("care_orders", 5, "a child kept with their family", "1.000000", "18000.00"),
    ]
    (per,) = data["cost_per_outcome"]
    assert (per["achieved"], per["per_outcome"]) == ("8", money(cost / 8))
    # who benefits: legal aid and the court are the criminal justice system's, Cafcass the DfE's
    agencies = {r["agency"]: r["pv_fiscal_benefits"] for r in data["appraisal"]["who_pays_and_benefits"]}
    assert agencies == {"Criminal Justice System": money(legal_aid + court), "Department for Education": money(cafcass),
                        "Local Authority": money(council)}
    # break-even moves every value together: one fewer application is worth the sum of its values
    switch = next(s for s in data["switching_values"] if s["basis"] == "npv")
    one = (22000 * UPRATE + 3000) * Decimal("0.75")
    assert switch["divisor"]["values"] == 5 and switch["divisor"]["unit_cost"] == money(22000 * UPRATE + 3000)
    assert switch["per_unit"] == money(one) and switch["units_needed"] == six(cost / one)  # 6.051858
    rows = list(csv.reader(io.StringIO(cli("run", CARE, "--format", "csv").stdout)))
    assert [r[1] for r in rows if r[0] == "outcome" and r[3] == "value"] == [f"care_orders#{k}" for k in range(1, 6)]
    text = cli("run", CARE).stdout
    assert "£15,000 Each (2005/06 prices × 1.3157) × share 0.8" in text and "(its 5 values at the price base)" in text


def money(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_varying_one_payers_unit_cost_moves_only_its_share():
    out = cli("whatif", CARE, "--vary", "SS4.1.1=-20%,0", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    # legal aid at £12,000 x its share 0.8 = £9,600: the fiscal values are £6,250 + £9,600 + £1,250 + £2,500
    lower = FALL * 19600 * UPRATE + FALL * 3000
    assert [r["attributable_benefits"] for r in rows] == [money(lower), "191676.67"]
    assert money(lower) == "172730.13"


def test_the_care_proceedings_workbook_recalculates_to_the_figures_cba_prints(tmp_path):
    data = json.loads(cli("run", CARE, "--format", "json").stdout)
    _, book = recalculated_like_the_json(CARE, tmp_path)
    benefits = book["Benefits"]
    assert [benefits[f"A{r}"].value for r in range(2, 7)] == [f"care_orders#{k}" for k in range(1, 6)]
    switch = next(s for s in data["switching_values"] if s["basis"] == "net_position")
    for r in range(2, 7):  # every value's row gives the outcome's break-even, all values moving together
        assert abs(benefits[f"K{r}"].value - float(switch["units_needed"])) < 1e-6
    assert benefits["M2"].value == 8 and benefits["M3"].value is None  # the count once, on the first value


def test_several_values_need_one_way_each_and_a_share_above_zero(write_scenario):
    path = write_scenario("""
name: Several values
organisation: Anytown
price_base: 2022/23
periods: [2022/23]
net_position_basis: actual
cost_lines:
  - {name: Team, actual: {2022/23: 1000}}
outcomes:
  - id: orders
    measure: Care order applications
    volumes: {2022/23: 2}
    unit_cost: SS4.1
    values:
      - {unit_cost: SS4.1.2}
      - {unit_cost: SS4.1.1, share: 0}
      - {label: nothing}
      - {unit_cost: SS4.9}
      - value: {amount: 10, price_year: 2022/23, agency: Courts, source: x}
""")
    lines = cli("validate", path).stderr.strip().splitlines()
    assert len(lines) == 5, lines
    assert "s.yaml:14:5:" in lines[0] and "move the outcome's own unit_cost into the list" in lines[0]
    assert "s.yaml:16:37:" in lines[1] and "a share of 0 counts nothing" in lines[1]
    assert "s.yaml:17:9:" in lines[2] and "give each value one way" in lines[2]
    assert "s.yaml:18:21:" in lines[3] and "unknown unit cost 'SS4.9'" in lines[3]
    assert "s.yaml:19:58:" in lines[4] and "unknown agency 'Courts'" in lines[4]


def test_breakeven_per_participant_beside_the_arms_difference():
    data = json.loads(cli("breakeven", ARMS, "--format", "json").stdout)
    row = data["tables"]["net_position"]["rows"][0]
    # £426,600 to cover; one fewer child in care is worth £58,664 x 90.95 / 90.3 (2019 prices to 2019/20) x 0.9
    # = £53,177.65; per family of 90
    needed = Decimal(426600) / (LAC_YEAR * Decimal("90.95") / Decimal("90.3") * Decimal("0.9"))
    # written as a change (fewer is negative), as --vary and --set take it
    assert row["switching_value"] == six(-needed) and row["switching_value_per_unit"] == six(-needed / 90)
    assert row["as_written_per_unit"] == six(Decimal("-17.1") / 90)  # the arms' difference, 0.19 a family


# Periods shorter than a year (issue 12, point 6) --------------------------------------------------

QUARTERS = ROOT / "scenarios" / "quarterly-follow-up-example.yaml"
# GDP deflator by financial year from the ONS YBGB quarters, April to March (2022 = 100), and by calendar year:
#   2023/24 = (106.8 + 107.8 + 108.0 + 109.3) / 4 = 107.975     2024/25 = (110.1 + 112.1 + 113.2 + 114.1) / 4 = 112.375
#   2019 (lac-year's price year) = (89.3 + 90.2 + 90.6 + 91.1) / 4 = 90.3
D2324, D2425, D2019 = Decimal("107.975"), Decimal("112.375"), Decimal("90.3")


def quarter_factor(t: int) -> Decimal:
    """Discounting by elapsed time: quarter t is t/4 of a year after the first, at 3.5% a year."""
    return Decimal("1.035") ** (Decimal(-t) / 4)


def test_quarterly_example_every_headline_by_hand(monkeypatch):
    data = json.loads(cli("run", QUARTERS, "--format", "json").stdout)
    a = data["appraisal"]
    assert a["periods_per_year"] == 4
    assert a["years"] == ["2023/24 Q3", "2023/24 Q4", "2024/25 Q1", "2024/25 Q2", "2024/25 Q3", "2024/25 Q4",
                          "2025/26 Q1", "2025/26 Q2"]  # the follow-up runs six quarters from the third
    # each quarter's spend is in its financial year's prices: 2023/24's two quarters are uprated to 2024/25
    costs = [35000 * D2425 / D2324, 42000 * D2425 / D2324, Decimal(40000), Decimal(40000)] + [Decimal(0)] * 4
    # 6 children (40 x 0.75 x 0.2) out of care for a quarter each quarter, at a quarter of lac-year, less 30% deadweight
    per_quarter = 6 * Decimal("0.7") * LAC_YEAR * D2425 / D2019 * Decimal("0.25")
    benefits = [Decimal(0)] * 2 + [per_quarter] * 6
    for t, factor in enumerate(a["discount_factors"]["standard"]):
        assert abs(Decimal(factor) - quarter_factor(t)) < Decimal("0.0000005")  # printed to six places
    pv_costs = sum(c * quarter_factor(t) for t, c in enumerate(costs))
    pv_benefits = sum(b * quarter_factor(t) for t, b in enumerate(benefits))
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert h["actual_total"] == "157000.00" and h["attributable_benefits"] == money(6 * per_quarter) == "459932.58"
    assert h["pv_costs"] == money(pv_costs) == "158062.45"
    assert h["pv_benefits"] == money(pv_benefits) == "442520.23"
    assert h["npv"] == money(pv_benefits - pv_costs) == "284457.77"
    assert h["bcr"] == six(pv_benefits / pv_costs)
    # payback: the cumulative PV net is -8,011.34 after quarter 3 and positive after quarter 4, so it crosses
    # 8,011.34 / (PV net of quarter 4) into quarter 4; in years, that over 4
    after_3 = sum((b - c) * quarter_factor(t) for t, (b, c) in enumerate(zip(benefits[:4], costs[:4])))
    assert money(after_3) == "-8011.34"
    crossing = 4 + (-after_3) / (per_quarter * quarter_factor(4))
    assert h["payback_years"] == six(crossing / 4) == "1.027042"
    assert [r["agrees"] for r in data["reconciliation"]["results"]] == [True, False]  # within 18 months, not a year
    (claim,) = data["claims"]  # a claim for 2024/25 against its four quarters' benefits (Q1 to Q4: t = 2 to 5)
    assert (claim["period"], claim["realised"]) == ("2024/25", money(4 * per_quarter)) == ("2024/25", "306621.72")
    assert any("DF_t = DF_t-1 / (1 + r)^(1/4)" in note for note in data["notes"])
    monkeypatch.setenv("COLUMNS", "250")  # no wrapping inside the phrases looked for
    text = cli("run", QUARTERS).stdout
    assert "Period (t)" in text and "× 6.0000 quarters." in text and "Budget vs actual by quarter" in text
    assert re.search(r"│ lac +│ yes +│ +30\.0% │", text) and "lac (" not in text  # one value: no part label
    assert "│ Children kept out of care (child-quarters) " in text and "(child-quarters):" not in text


def test_quarterly_workbook_discounts_by_elapsed_time_and_recalculates(tmp_path):
    from tests.test_export import summary_by_key

    out, book = recalculated_like_the_json(QUARTERS, tmp_path)
    assert openpyxl.load_workbook(out)["Appraisal"]["D5"].value == "=C5/(1+D3)^(1/$B$2)"  # 4 a year, in B2
    summary = summary_by_key(book)
    assert abs(summary["payback_years"] - 1.027042) < 1e-6  # the crossing in quarters, over 4
    assert abs(book["Appraisal"]["J5"].value - float(quarter_factor(7))) < 1e-12
    assert round(book["Claims"]["E2"].value, 2) == 306621.72  # the four quarters of 2024/25


MONTHS = """
name: Eighteen-month follow-up
organisation: Anytown
price_base: 2024/25
periods: [2024-04, 2024-05, 2024-06]
net_position_basis: actual
appraisal: {discounting: green_book, horizon_years: 1}
cost_lines:
  - name: Team
    actual: {2024-04: 20000, 2024-05: 20000, 2024-06: 20000}
outcomes:
  - id: lac
    measure: Children kept out of care (child-months)
    cohort: {size: 10, engagement: 0.8, success: 0.5}
    value: {amount: 5000, unit: per child per month, price_year: 2024/25, source: illustrative}
    attributable: true
    timing: {start_year: 3, duration: 18}
"""


def test_months_follow_up_cut_at_a_horizon_of_a_year(write_scenario):
    data = json.loads(cli("run", write_scenario(MONTHS), "--format", "json").stdout)
    a = data["appraisal"]
    assert a["periods_per_year"] == 12 and a["years"][0] == "2024-04" and a["years"][-1] == "2025-03"
    # 4 children a month (10 x 0.8 x 0.5) x £5,000, from month 3 for 18 months; a year's horizon keeps months 3-11
    df = [Decimal("1.035") ** (Decimal(-m) / 12) for m in range(12)]
    pv_costs = 20000 * (df[0] + df[1] + df[2])
    pv_benefits = sum(20000 * df[m] for m in range(3, 12))
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert h["attributable_benefits"] == "180000.00"  # nine months inside the horizon; nine cut off
    assert h["pv_costs"] == money(pv_costs) and h["pv_benefits"] == money(pv_benefits)
    assert any("Cut off by the horizon: lac, 36 units after 2025-03, worth £180,000.00" in n for n in data["notes"])
    # payback: -£59,828 after month 2; each month then adds £20,000 discounted; positive during month 6
    cumulative = -pv_costs + sum(20000 * df[m] for m in range(3, 6))
    assert cumulative < 0 < cumulative + 20000 * df[6]
    assert h["payback_years"] == six((6 + (-cumulative) / (20000 * df[6])) / 12)


def test_periods_of_another_kind_are_one_line_each(write_scenario):
    text = MONTHS.replace("periods: [2024-04, 2024-05, 2024-06]", "periods: [2024-04, 2024/25, 2024-13]") \
                 .replace("    timing: {start_year: 3, duration: 18}\n", "") \
                 .replace("    cohort: {size: 10, engagement: 0.8, success: 0.5}",
                          "    volumes: {2024/25 Q2: 3, 2024-03: 1}") \
                 .replace("actual: {2024-04: 20000, 2024-05: 20000, 2024-06: 20000}", "actual: {2024-04: 1, 2024-07: 2}")
    lines = cli("validate", write_scenario(text)).stderr.strip().splitlines()
    assert len(lines) == 1 and "s.yaml:5:29:" in lines[0] and "'2024-13' is not a period" in lines[0]
    lines = cli("validate", write_scenario(text.replace("2024-13", "2024-06"))).stderr.strip().splitlines()
    assert len(lines) == 4, lines
    assert "s.yaml:5:20:" in lines[0] and "period 2024/25 is a financial year, but the scenario's first period " \
                                           "2024-04 is a month; give every period as months (2024-04)" in lines[0]
    assert "s.yaml:10:26:" in lines[1] and "period 2024-07 is not one of the scenario's periods" in lines[1]
    assert "s.yaml:14:15:" in lines[2] and "period 2024/25 Q2 is a quarter, but the scenario's periods are months" \
        in lines[2]
    assert "s.yaml:14:30:" in lines[3] and "period 2024-03 is before the first appraisal period" in lines[3]


def test_simulate_draws_one_payers_unit_cost_and_moves_only_its_share(tmp_path):
    path = tmp_path / "ranges.yaml"
    path.write_text(f"""extends: {CARE}
name: Care proceedings with a range on legal aid
uncertainty:
  unit_costs:
    SS4.1.1: {{distribution: uniform, low: 10000, high: 20000}}
""", encoding="utf-8")
    data = json.loads(cli("simulate", path, "--draws", "200000", "--seed", "7", "--format", "json").stdout)
    rows = {r["statistic"]: r["npv"] for r in data["tables"]["percentiles"]["rows"]}
    # NPV is linear in legal aid's cost: 6 applications x its share 0.8 x the uprating, per pound of it;
    # the 5th and 95th percentiles of uniform(10,000, 20,000) are 10,500 and 19,500, the median 15,000
    slope = FALL * Decimal("0.8") * UPRATE
    for key, at in (("5th percentile", 10500), ("Median", 15000), ("95th percentile", 19500)):
        expected = Decimal("46676.67") + slope * (at - 15000)
        assert abs(Decimal(rows[key]) - expected) < 150, key  # sampling error of a percentile: ~£30 at 200,000 draws


def test_break_even_with_values_graded_differently_and_another_outcome(write_scenario):
    """Each value keeps its own optimism bias (by its confidence grade); break-even moves an outcome's values
    together and counts the other outcome as other benefits."""
    path = write_scenario("""
name: Graded values
organisation: Anytown
price_base: 2022/23
periods: [2022/23]
net_position_basis: actual
appraisal: {benefit_optimism_bias: by_confidence}
cost_lines:
  - {name: Team, actual: {2022/23: 5000}}
outcomes:
  - id: orders
    measure: Orders avoided
    volumes: {2022/23: 2}
    attributable: true
    values:
      - value: {amount: 1000, price_year: 2022/23, confidence: 2, source: a}
      - share: 0.5
        value: {amount: 500, price_year: 2022/23, confidence: 5, agency: Police, source: b}
  - id: other
    measure: Calls avoided
    volumes: {2022/23: 1}
    attributable: true
    value: {amount: 300, price_year: 2022/23, confidence: 1, source: c}
""")
    data = json.loads(cli("run", path, "--format", "json").stdout)
    # grades 2, 5 and 1 take 5%, 25% and 0% off: one order is worth 1,000 x 0.95 + 500 x 0.5 x 0.75 = 1,137.50
    orders, other = Decimal(2) * Decimal("1137.5"), Decimal(300)
    assert data["headlines"]["attributable_benefits"]["value"] == money(orders + other) == "2575.00"
    # unlabelled values are named by their payer and value type; the outcome's count once, then the next outcome's
    assert [o["part"] and o["part"]["label"] for o in data["outcomes"]] == \
        ["Local Authority, fiscal", "Police, fiscal", None]
    assert [(c["outcome"], c["achieved"]) for c in data["cost_per_outcome"]] == [("orders", "2"), ("other", "1")]
    switches = {s["outcome"]: s for s in data["switching_values"]}
    assert switches["orders"]["divisor"]["unit_cost"] == "1137.50"  # the values' biases differ: each applied
    assert switches["orders"]["divisor"]["optimism_bias"] == "0.000000" and switches["orders"]["divisor"]["values"] == 2
    assert switches["orders"]["other_benefits"] == "300.00"
    assert switches["orders"]["units_needed"] == six((5000 - other) / Decimal("1137.5"))  # 4.131868
    assert switches["other"]["divisor"]["values"] == 1 and switches["other"]["other_benefits"] == money(orders)
    assert switches["other"]["units_needed"] == six((5000 - orders) / 300)  # 9.083333
    same = path.read_text().replace("confidence: 5", "confidence: 2")  # alike: the one bias is shown, not folded in
    data = json.loads(cli("run", write_scenario(same), "--format", "json").stdout)
    divisor = next(s for s in data["switching_values"] if s["outcome"] == "orders")["divisor"]
    assert (divisor["unit_cost"], divisor["optimism_bias"]) == ("1250.00", "0.050000")  # 1,000 + 250, less 5%


def test_no_payback_is_said_in_years_whatever_the_periods(write_scenario, monkeypatch):
    path = write_scenario(MONTHS.replace("amount: 5000", "amount: 50"))  # £200 a month against £60,000
    data = json.loads(cli("run", path, "--format", "json").stdout)
    assert data["headlines"]["payback_years"]["value"] is None
    monkeypatch.setenv("COLUMNS", "250")
    assert "does not pay back within 1 year " in cli("run", path).stdout  # 12 months, not "within 12 years"


def test_a_yearly_unit_cost_in_months_needs_its_conversion_and_takes_a_fraction(write_scenario, monkeypatch):
    text = MONTHS.replace("    value: {amount: 5000, unit: per child per month, price_year: 2024/25, source: illustrative}\n",
                          "    unit_cost: lac-year\n").replace("price_base: 2024/25", "price_base: 2019/20") \
                 .replace("appraisal: {discounting: green_book, horizon_years: 1}", "appraisal: {horizon_years: 2}") \
                 + "real_terms: false  # lac-year as published: this test is about months\n"
    lines = cli("validate", write_scenario(text)).stderr.strip().splitlines()
    assert len(lines) == 1 and "s.yaml:15:16:" in lines[0], lines
    assert "'lac-year' is priced per year but the scenario's periods are months: add conversion: {factor: 1/12" in lines[0]
    text = text.replace("    unit_cost: lac-year\n",
                        "    unit_cost: lac-year\n    conversion: {factor: 1/12, reason: a month of a yearly cost}\n")
    data = json.loads(cli("run", write_scenario(text), "--format", "json").stdout)
    # 4 children (10 x 0.8 x 0.5) for 18 months at £58,664 a year: 4 x 18 / 12 x 58,664 = £351,984, to the penny
    assert data["headlines"]["attributable_benefits"]["value"] == "351984.00"
    monkeypatch.setenv("COLUMNS", "250")
    assert "£58,664 per year (2019 prices, as published) × 1/12 (a month of a yearly cost)" in cli("run", write_scenario(text)).stdout
    bad = cli("validate", write_scenario(text.replace("1/12", "1/0"))).stderr.strip().splitlines()
    assert len(bad) == 1 and "1/0 divides by zero" in bad[0]
