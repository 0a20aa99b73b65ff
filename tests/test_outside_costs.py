"""A cost line borne by a party outside the public sector (issue 30, item 3): a provider's own delivery cost.
It is in the public value (NPV, BCR) and in who pays, and not in the fiscal case (budget impact, financial and
cashable ROI, paybacks), which is the public purse's. Every expected figure is worked by hand here."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from tests.conftest import cli, run_json

PROVIDER = """name: Provider-borne costs (illustrative)
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24]
net_position_basis: actual
appraisal: {discounting: green_book}
parties: [Provider]
cost_lines:
  - {name: Commissioning, actual: {2022/23: 100000}}
  - {name: Provider's delivery, agency: Provider, actual: {2022/23: 50000, 2023/24: 50000}}
outcomes:
  - id: lac
    measure: Children kept out of care
    volumes: {2022/23: 2, 2023/24: 2}
    value: {amount: 50000, unit: per child-year, price_year: 2022/23, source: Illustrative}
    attributable: true
"""

R = Decimal("1.035")
# the bundled GDP deflator (2022/23 = 102): 2023/24 is 107.975, so outturn spend then is worth 102 / 107.975
REAL = Decimal(102) / Decimal("107.975")


def _q(x: Decimal, places: str = "0.01") -> str:
    return str(x.quantize(Decimal(places), ROUND_HALF_UP))


def _json(path, *args: str):
    return run_json(path, *args)


def test_the_fiscal_case_counts_only_the_public_sectors_costs(write_scenario):
    data = _json(write_scenario(PROVIDER))
    provider = Decimal(50000) + Decimal(50000) * REAL / R
    fiscal = Decimal(100000) + Decimal(100000) / R  # 2 children x 50,000 in each year
    public = Decimal(100000)
    a, h = data["appraisal"], data["headlines"]
    assert a["pv_costs"] == _q(public + provider) == "195635.90"
    assert a["pv_costs_outside_public_sector"] == _q(provider) == "95635.90"
    assert h["net_present_budget_impact"]["value"] == _q(fiscal - public) == "96618.36"
    assert h["financial_roi"]["value"] == _q(fiscal / public, "0.000001") == "1.966184"
    # the public value counts every cost, whoever bears it
    assert h["npv"]["value"] == _q(fiscal - public - provider) == "982.46"
    assert h["bcr"]["value"] == _q(fiscal / (public + provider), "0.000001")
    # the council spends 100,000 at the start of year 0 and saves 100,000 through it: paid back in 1 year exactly
    assert h["payback_years"]["value"] == "1.000000"
    who = {row["agency"]: row for row in a["who_pays_and_benefits"]}
    assert who["Provider"]["pv_costs"] == _q(provider) and who["Provider"]["net"] == _q(-provider)


def test_every_face_says_what_was_borne_outside(write_scenario, tmp_path, monkeypatch):
    path = write_scenario(PROVIDER)
    monkeypatch.setenv("COLUMNS", "200")
    text = cli("run", path).stdout
    assert "of which borne outside the public sector (not in the fiscal case)" in text
    assert "Financial ROI (fiscal PV ÷ public cost PV)" in text
    csv = cli("run", path, "--format", "csv").stdout.splitlines()
    assert "cost_line,Provider's delivery,text,borne by,,Provider (outside the public sector)" in csv
    assert "fiscal_case,costs outside the public sector,money,pv,,95635.90" in csv
    out = tmp_path / "r.html"
    assert cli("report", path, "-o", out).exit_code == 0
    assert "of which borne outside the public sector (not in the fiscal case)" in out.read_text(encoding="utf-8")


def test_consistency_the_workbooks_fiscal_case_recalculates(write_scenario, tmp_path):
    from tests.test_scenario_shapes import recalculated_like_the_json

    _, book = recalculated_like_the_json(write_scenario(PROVIDER), tmp_path)
    ws = book["Appraisal"]
    assert ws["A12"].value.startswith("PV of costs the public sector bears")
    assert (ws["C12"].value, ws["D12"].value, ws["E12"].value) == (100000, 0, 100000)


def test_goal_seek_on_the_financial_roi_divides_by_the_public_costs(write_scenario):
    # (100,000 + 100,000 / 1.035) / (100,000 x (1 + x)) = 1.5: x = 196,618.36 / 150,000 - 1 = 31.0789...%
    result = cli("solve", write_scenario(PROVIDER), "--vary", "costs.0", "--so", "financial_roi=1.5",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)["tables"]["solve"]["rows"]
    fiscal = Decimal(100000) + Decimal(100000) / R
    assert row["solved"] == _q(fiscal / Decimal(150000) - 1, "0.000001")


def test_a_cost_line_names_an_agency_or_a_party(write_scenario):
    result = cli("validate", write_scenario(PROVIDER.replace("agency: Provider", "agency: Providr")))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "unknown agency 'Providr' (did you mean 'Provider'?); use one of: Local Authority, NHS, Police, Criminal Justice System, Department "
        "for Work and Pensions, HM Revenue and Customs, Department for Education, Fire and Rescue Service, Housing "
        "Provider, Multiple, Other, or add it to parties: [Providr] if it is outside the public sector"
    )


def test_monte_carlos_fiscal_payback_counts_the_public_costs(write_scenario):
    # 2023/24's volume drawn from 0 to 4: the fiscal PV 100,000 + 50,000 V / 1.035 always covers the council's
    # 100,000 (certain), while the NPV needs V >= 95,635.90 x 1.035 / 50,000 = 1.98 (about half the draws)
    ranges = "uncertainty:\n  outcomes: {lac: {volumes: {2023/24: {distribution: uniform, low: 0, high: 4}}}}\n"
    result = cli("simulate", write_scenario(PROVIDER + ranges), "--draws", "20000", "--format", "json")
    assert result.exit_code == 0, result.stderr
    facts = json.loads(result.stdout)["facts"]
    assert facts["probability_fiscal_payback"]["value"] == "100.000000"
    assert "fiscal PV >= public cost PV" in facts["probability_fiscal_payback"]["label"]
    assert abs(Decimal(facts["probability_pays_back"]["value"]) - Decimal("50.51")) < 2


def test_the_public_costs_of_later_years_are_discounted(write_scenario):
    # the council's 40,000 in 2023/24 is outturn: 40,000 x 102 / 107.975 in 2022/23 prices, then / 1.035
    later = PROVIDER.replace("actual: {2022/23: 100000}", "actual: {2022/23: 60000, 2023/24: 40000}")
    data = _json(write_scenario(later))
    public = Decimal(60000) + Decimal(40000) * REAL / R
    fiscal = Decimal(100000) + Decimal(100000) / R
    assert data["headlines"]["net_present_budget_impact"]["value"] == _q(fiscal - public)


COMMITTED = PROVIDER.replace(
    "  - {name: Commissioning, actual: {2022/23: 100000}}",
    "  - {name: Commissioning, kind: committed, optimism_bias: {percent: 20}, actual: {2022/23: 100000}}",
)


def test_the_fast_models_public_costs_move_with_the_rate_and_the_lines(write_scenario):
    # the council's committed 100,000 carries a 20% uplift: 120,000, in year 0
    # goal seek on the discount rate runs the fast model: (100,000 + 100,000 / (1 + r)) / 120,000 = 1.5 at r = 0.25
    path = write_scenario(COMMITTED)
    result = cli("solve", path, "--vary", "appraisal.discount_rate", "--so", "financial_roi=1.5", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["tables"]["solve"]["rows"][0]["solved"] == "0.250000"
    # the council's line drawn from -50% to +150%: fiscal 196,618.36 covers 120,000 x (1 + x) while
    # x <= 196,618.36 / 120,000 - 1 = 0.638486, a chance of (0.638486 + 0.5) / 2 = 56.9%
    ranges = 'uncertainty:\n  cost_lines: {"0": {change: {distribution: uniform, low: -0.5, high: 1.5}}}\n'
    result = cli("simulate", write_scenario(COMMITTED + ranges), "--draws", "20000", "--format", "json")
    assert result.exit_code == 0, result.stderr
    chance = Decimal(json.loads(result.stdout)["facts"]["probability_fiscal_payback"]["value"])
    assert abs(chance - Decimal("56.92")) < Decimal("1.5"), chance
