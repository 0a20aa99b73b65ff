"""A price base not stated, and years of the programme (Year 1, Year 2, ...) for a source that never says which
financial years it covers (issue 30, item 3). Nothing is uprated; with no price base nothing may be discounted,
and each refusal says why. Every expected figure is worked by hand here."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import cli, run_json

YEARS = """name: Years of the programme (illustrative)
organisation: Anytown Council
price_base: not stated
periods: [Year 1, Year 2, Year 3]
net_position_basis: actual
cost_lines:
  - {name: Delivery, actual: {Year 1: 120000, Year 2: 100000, Year 3: 80000}}
outcomes:
  - id: lac
    measure: Children kept out of care
    volumes: {Year 2: 3, Year 3: 4, Year 4: 2}
    value: {amount: 40000, unit: per child-year, price_year: not stated, source: Illustrative}
    attributable: true
claimed:
  - {label: Saving claimed for year 3, amount: 150000, period: Year 3}
"""

R = Decimal("1.035")


def _q(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _json(path, *args: str):
    return run_json(path, *args)


def test_figures_as_published_in_years_of_the_programme(write_scenario, monkeypatch):
    path = write_scenario(YEARS)
    data = _json(path)
    h = data["headlines"]
    # 120,000 + 100,000 + 80,000 spent; (3 + 4 + 2) children x 40,000 = 360,000, Year 4 included
    assert h["cost"]["value"] == "300000.00" and h["attributable_benefits"]["value"] == "360000.00"
    assert h["net_position"]["value"] == "60000.00" and h["benefit_cost_ratio"]["value"] == "1.200000"
    (claim,) = data["claims"]
    assert claim["period"] == "Year 3" and claim["realised"] == "160000.00"  # 4 x 40,000
    assert data["provenance"]["scenario"]["price_base"] == "not stated"
    monkeypatch.setenv("COLUMNS", "200")
    text = cli("run", path).stdout
    assert "Periods Year 1 to Year 3; price base not stated; GBP; undiscounted." in text
    assert "Prices not stated: every figure as the source published it, in prices it does not name." in text
    assert "Budget vs actual by year" in text and "£40,000 per child-year (prices not stated)" in text


def test_an_undiscounted_appraisal_runs_and_its_workbook_recalculates(write_scenario, tmp_path):
    from tests.test_scenario_shapes import recalculated_like_the_json

    appraised = YEARS.replace("net_position_basis: actual\n", "net_position_basis: actual\nappraisal: {discounting: none}\n")
    data = _json(write_scenario(appraised))
    assert data["appraisal"]["years"] == ["Year 1", "Year 2", "Year 3", "Year 4"]
    assert data["headlines"]["npv"]["value"] == "60000.00"
    assert any("the price base is not stated" in note for note in data["notes"] + data["appraisal"].get("notes", []))
    _, book = recalculated_like_the_json(write_scenario(appraised), tmp_path)
    assert book["Summary"]["B5"].value == "not stated"


def test_years_of_the_programme_are_discounted_from_year_1_when_the_price_base_is_stated(write_scenario):
    stated = YEARS.replace("price_base: not stated", "price_base: 2022/23").replace(
        "net_position_basis: actual\n", "net_position_basis: actual\nappraisal: {discounting: green_book}\n"
    )
    data = _json(write_scenario(stated))
    costs = Decimal(120000) + Decimal(100000) / R + Decimal(80000) / R**2
    benefits = Decimal(120000) / R + Decimal(160000) / R**2 + Decimal(80000) / R**3
    assert data["appraisal"]["pv_costs"] == _q(costs) == "291299.21"
    assert data["headlines"]["npv"]["value"] == _q(benefits - costs) == "46159.94"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("net_position_basis: actual\n", "net_position_basis: actual\nappraisal: {discounting: green_book}\n"),
            "s.yaml:6:26: discounting needs figures in one stated price base: the discount rate is a real rate, and "
            "with price_base: not stated the figures' prices are unknown, so inflation would be discounted as time "
            "preference; state the price base, or leave the figures undiscounted",
        ),
        (  # a flat rate is discounting too
            ("net_position_basis: actual\n", "net_position_basis: actual\nappraisal: {discount_rate: 0.035}\n"),
            "s.yaml:6:28: discounting needs figures in one stated price base",
        ),
        (
            ("net_position_basis: actual\n", "net_position_basis: actual\nreal_terms: true\n"),
            "s.yaml:6:13: real terms bring every figure to the price base, and price_base is not stated; remove it "
            "(the figures then stay in the prices they were published in, and every face says so), or state the "
            "price base",
        ),
        (
            ("price_base: not stated\n", "price_base: 2022/23\nreal_terms: true\n"),
            "s.yaml:4:13: real terms deflate each period's spend from its own financial year, and years of the "
            "programme (Year 1, ...) name none; give the periods as financial years, or remove it",
        ),
        (
            ("periods: [Year 1, Year 2, Year 3]", "periods: [Year 1, 2023/24, Year 3]"),
            "s.yaml:4:19: period 2023/24 is a financial year, but the scenario's first period Year 1 is a year of the "
            "programme; give every period as years of the programme (Year 1)",
        ),
    ],
)
def test_what_cannot_be_done_without_a_price_base_is_one_line_with_why(write_scenario, change, message):
    old, new = change
    assert old in YEARS
    result = cli("validate", write_scenario(YEARS.replace(old, new, 1)))
    assert result.exit_code == 1
    assert any(message in line for line in result.stderr.strip().splitlines()), result.stderr


def test_green_book_is_refused_with_the_reason(write_scenario):
    result = cli("run", write_scenario(YEARS), "--green-book")
    assert result.exit_code == 2
    assert "--green-book discounts in real terms at a stated price base, and its price_base is not stated" in (
        result.stderr
    )
