"""Real price growth given by financial year (issue 29, item 3: "a rate a year, or by year"), worked by hand.

Price base 2022/23, discounting at 3.5%, the same scenario as tests/test_real_growth.py with its rates by year:
- Care pay, committed, £1,000 a year in 2022/23 prices: 2% in 2023/24, 1% from 2024/25: factors 1, 1.02,
  1.02 x 1.01 = 1.0302, so £1,000, £1,020, £1,030.20.
- Children kept out of care, one a year in 2023/24 and 2024/25 at £2,000 (2022/23 prices): 4% in 2023/24, 2%
  from 2024/25: factors 1.04 and 1.04 x 1.02 = 1.0608, so £2,080 and £2,121.60.
- NPV: (2,080 - 1,020) / 1.035 + (2,121.60 - 1,030.20) / 1.035^2 - 1,000 = 1,024.1546 + 1,018.8318 - 1,000
  = £1,042.99.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import openpyxl
import pytest

from .conftest import cli, only_problem, run_json
from .test_real_growth import D, pounds  # the discount factor a year (3.5%) and pounds to the penny

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SCENARIO = """\
name: Growth by year
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24, 2024/25]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Care pay, kind: committed, price_basis: 2022/23, real_growth: {2023/24: 2%, 2024/25: 1%},
     actual: {2022/23: 1000, 2023/24: 1000, 2024/25: 1000}}
outcomes:
  - id: kept
    measure: Children kept out of care
    volumes: {2023/24: 1, 2024/25: 1}
    value: {amount: 2000, unit: per child-year, price_year: 2022/23, source: Illustrative, cashable: true}
    attributable: true
    real_growth: {2023/24: 4%, 2024/25: 0.02}
"""


def test_rates_by_year_by_hand(write_scenario):
    data = run_json(write_scenario(SCENARIO))
    line, benefit = data["appraisal"]["cost_lines"][0], data["appraisal"]["benefits"][0]
    assert line["real"] == ["1000.00", "1020.00", "1030.20"]
    assert line["real_growth"] is None
    assert line["real_growth_by_year"] == [{"year": "2023/24", "rate": "0.020000"}, {"year": "2024/25", "rate": "0.010000"}]
    assert benefit["values"] == ["0.00", "2080.00", "2121.60"]
    assert benefit["real_growth"] == {
        "rate": None,
        "by_year": [{"year": "2023/24", "rate": "0.040000"}, {"year": "2024/25", "rate": "0.020000"}],
        "from": "2022/23",
        "factors": ["1.000000", "1.040000", "1.060800"],
    }
    npv = (Decimal(2080) - 1020) / D + (Decimal("2121.60") - Decimal("1030.20")) / D**2 - 1000
    assert data["headlines"]["npv"]["value"] == pounds(npv) == "1042.99"


def test_a_year_not_listed_takes_the_rate_before_it(write_scenario):
    """{2023/24: 3%} is 3% in 2023/24 and every later year: the same figures as real_growth: 0.03, to the digit."""
    once = run_json(write_scenario(SCENARIO.replace("{2023/24: 4%, 2024/25: 0.02}", "{2023/24: 3%}")))
    flat = run_json(write_scenario(SCENARIO.replace("{2023/24: 4%, 2024/25: 0.02}", "0.03"), "flat.yaml"))
    assert once["appraisal"]["benefits"][0]["values"] == flat["appraisal"]["benefits"][0]["values"] == [
        "0.00", "2060.00", "2121.80"]
    assert once["headlines"] == flat["headlines"]


def test_a_year_before_the_price_year_is_grown_back(write_scenario):
    """A value in 2023/24 prices counted in 2022/23: ÷ (1 + 2023/24's rate). Volumes one a year in each of the
    three years, 4% in 2023/24 and 2% from 2024/25: factors 1 / 1.04, 1, 1.02. The £2,000 is first brought to
    the 2022/23 price base by the deflator, x 102.0 / 107.975 = £1,889.33, then grown: £1,816.66, £1,889.33,
    £1,927.11."""
    text = SCENARIO.replace("volumes: {2023/24: 1, 2024/25: 1}", "volumes: {2022/23: 1, 2023/24: 1, 2024/25: 1}")
    text = text.replace("price_year: 2022/23, source", "price_year: 2023/24, source")
    benefit = run_json(write_scenario(text))["appraisal"]["benefits"][0]
    assert benefit["real_growth"]["factors"] == ["0.961538", "1.000000", "1.020000"]
    unit = Decimal(2000) * Decimal("102.0") / Decimal("107.975")
    assert benefit["values"] == [pounds(unit / Decimal("1.04")), pounds(unit), pounds(unit * Decimal("1.02"))]
    assert benefit["values"] == ["1816.66", "1889.33", "1927.11"]


def test_the_terminal_says_the_rates_and_the_year_they_run_from(write_scenario):
    shown = cli("run", write_scenario(SCENARIO), "--detail")
    assert shown.exit_code == 0, shown.stderr
    assert "kept (from its unit cost's price year, 2022/23)" in shown.stdout
    assert "4% in 2023/24, 2% from 2024/25" in shown.stdout and "2% in 2023/24, 1% from 2024/25" in shown.stdout


def test_set_changes_one_year(write_scenario):
    """--set outcomes.kept.real_growth.2024/25=0.05: 1.04 x 1.05 = 1.092, so £2,184 in 2024/25."""
    data = run_json(write_scenario(SCENARIO), "--set", "outcomes.kept.real_growth.2024/25=0.05")
    assert data["appraisal"]["benefits"][0]["values"] == ["0.00", "2080.00", "2184.00"]


def test_rules(write_scenario):
    """A schedule starting after the first year its growth needs is refused at its key; so is a year that is not
    a financial year, and a rate out of bounds, each named."""
    lines = SCENARIO.splitlines()
    late = SCENARIO.replace("{2023/24: 2%, 2024/25: 1%}", "{2024/25: 1%}")
    row = next(i for i, t in enumerate(late.splitlines(), 1) if "Care pay" in t)
    column = late.splitlines()[row - 1].index("real_growth") + 1
    assert only_problem(write_scenario(late)).endswith(
        f":{row}:{column}: cost line 'Care pay': real growth by year starts at 2024/25, but its growth from 2022/23 "
        "prices needs a rate from 2023/24: list 2023/24 (0 if prices did not grow then), or start from an earlier "
        "year")
    late_value = SCENARIO.replace("{2023/24: 4%, 2024/25: 0.02}", "{2024/25: 2%}")
    row = next(i for i, t in enumerate(lines, 1) if "4%" in t)
    assert only_problem(write_scenario(late_value, "v.yaml")).endswith(
        f":{row}:5: outcome 'kept': real growth by year starts at 2024/25, but its growth from 2022/23 (the price "
        "year of its value) needs a rate from 2023/24: list 2023/24 (0 if prices did not grow then), or start from "
        "an earlier year")
    calendar = SCENARIO.replace("{2023/24: 4%, 2024/25: 0.02}", "{2023: 4%}")
    assert "2023 is a calendar year; write the financial year, 2023/24" in only_problem(write_scenario(calendar, "c.yaml"))
    big = SCENARIO.replace("{2023/24: 4%, 2024/25: 0.02}", "{2023/24: 4%, 2024/25: 60%}")
    assert "real_growth: 2024/25: must be between -0.5 and 0.5" in only_problem(write_scenario(big, "b.yaml"))
    empty = SCENARIO.replace("{2023/24: 4%, 2024/25: 0.02}", "{}")
    assert "gives no years" in only_problem(write_scenario(empty, "e.yaml"))


def test_the_sweep_agrees_with_the_exact_engine(write_scenario):
    """Consistency between the numpy sweep (whatif) and the exact engine (run --set) with rates by year."""
    path = write_scenario(SCENARIO)
    for vary, setting in (("kept.volumes.2024/25=3", "kept.volumes.2024/25=3"),
                          ("scenario/kept.value=2500", "outcomes.kept.value.amount=2500")):
        swept = cli("whatif", path, "--vary", vary, "-f", "json")
        assert swept.exit_code == 0, swept.stderr
        row = json.loads(swept.stdout)["tables"]["whatif"]["rows"][0]
        assert row["npv"] == run_json(path, "--set", setting)["headlines"]["npv"]["value"]


def test_the_sweep_grows_drawn_timings_by_year(tmp_path):
    """Consistency: a cohort outcome grown by year, its lag and drop-off moved by whatif (the sweep's timing
    path, which reads a table of the exact engine's factors and grows past it at the last rate)."""
    from .conftest import ROOT

    (tmp_path / "unit_costs").mkdir()
    # eoc-placement priced a year before the first appraisal year (2019/20), so the sweep's table starts a
    # year in (k0 = 1), as no other test has it
    table = (ROOT / "unit_costs" / "edge-of-care-example.csv").read_text(encoding="utf-8")
    (tmp_path / "unit_costs" / "edge-of-care-example.csv").write_text(
        table.replace("per year,150000,2020/21,", "per year,150000,2019/20,"), encoding="utf-8")
    text = (ROOT / "scenarios" / "edge-of-care-example.yaml").read_text(encoding="utf-8").replace(
        "unit_costs: edge-of-care-example ", "unit_costs: unit_costs/edge-of-care-example.csv ")
    path = tmp_path / "g.yaml"
    path.write_text(text.replace("    attribution: 0.1\n", "    attribution: 0.1\n    real_growth: {2020/21: 3%, "
                                 "2021/22: 1%, 2023/24: 2%}\n", 1), encoding="utf-8")
    grown = next(b for b in run_json(path)["appraisal"]["benefits"] if b["outcome"] == "placements")["real_growth"]
    # from 2019/20 prices: x1.03 in 2020/21 (the first appraisal year), x1.01 in 2021/22 and 2022/23 (not
    # listed: the year before's), then x1.02 a year from 2023/24
    assert grown["from"] == "2019/20"
    assert grown["factors"][:5] == ["1.030000", "1.040300", "1.050703", "1.071717", "1.093151"]
    for key, value in (("placements.timing.drop_off", "0.2"), ("placements.timing.start_year", "2"),
                       ("placements.timing.start_year", "0")):  # year 0: the table's first factor
        swept = cli("whatif", path, "--vary", f"{key}={value}", "-f", "json")
        assert swept.exit_code == 0, swept.stderr
        row = json.loads(swept.stdout)["tables"]["whatif"]["rows"][0]
        assert row["npv"] == run_json(path, "--set", f"{key}={value}")["headlines"]["npv"]["value"]


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is needed (.ci/run installs it)")
def test_the_workbook_grows_by_year_by_formula_in_libreoffice(write_scenario, tmp_path):
    """The Real growth sheet: each listed rate an input, each year's index a formula. LibreOffice's
    recalculation gives every stored figure; the outcome's 2024/25 rate edited to 5% there gives the NPV
    cba run --set outcomes.kept.real_growth.2024/25=0.05 gives, and the line's 2023/24 rate edited to 0 the
    NPV of --set cost_lines.0.real_growth.2023/24=0."""
    from .test_export import check_formula_results, recalculated_all

    path = write_scenario(SCENARIO)
    book = tmp_path / "growth.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Real growth"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Item", "Price year", "2022/23", "2023/24", "2024/25"]
    rows = {str(ws.cell(r, 1).value): r for r in range(2, ws.max_row + 1)}
    kept_rate = rows["kept: real growth in the year"]
    line_rate = rows["Care pay: real growth in the year"]
    assert ws.cell(kept_rate, 4).value == pytest.approx(0.04) and ws.cell(kept_rate, 5).value == pytest.approx(0.02)
    assert ws.cell(kept_rate + 1, 5).value == f"=D{kept_rate + 1}*(1+E{kept_rate})"
    edited = {}
    for name, (row, column, value) in {"kept": (kept_rate, 5, 0.05), "line": (line_rate, 4, 0)}.items():
        changed = openpyxl.load_workbook(book)
        changed["Real growth"].cell(row, column).value = value
        edited[name] = tmp_path / f"growth-{name}.xlsx"
        changed.save(edited[name])
    as_written, kept, line = recalculated_all([book, edited["kept"], edited["line"]], tmp_path)
    assert check_formula_results(openpyxl.load_workbook(book), openpyxl.load_workbook(book, data_only=True),
                                 lambda s, c: as_written[s][c].value) > 100
    sheet, cell = wb.defined_names["npv"].attr_text.split("!")
    sheet, cell = sheet.strip("'"), cell.replace("$", "")
    for moved, setting in ((kept, "outcomes.kept.real_growth.2024/25=0.05"), (line, "cost_lines.0.real_growth.2023/24=0")):
        expected = run_json(path, "--set", setting)["headlines"]["npv"]["value"]
        assert moved[sheet][cell].value == pytest.approx(float(expected), abs=0.01), setting


def test_the_schedule_by_hand():
    """RealGrowth itself: three years listed, each later year at the last; back before the price year; in
    words; and a year before the first listed has no rate (the rules refuse such a scenario first)."""
    from cba.model.growth import RealGrowth

    growth = RealGrowth.of({"2025/26": Decimal("0.02"), "2023/24": Decimal("0.04"), "2024/25": Decimal("0.03")})
    assert growth is not None and growth.first_listed == 2023
    assert [growth.rate_in(y) for y in (2023, 2024, 2025, 2030)] == [Decimal("0.04"), Decimal("0.03"),
                                                                    Decimal("0.02"), Decimal("0.02")]
    # from 2022/23 prices: 1.04, 1.04 x 1.03 = 1.0712, x 1.02 = 1.092624
    assert growth.factor(2022, 3) == Decimal("1.092624") and growth.factor(2022, 0) == 1
    # from 2025/26 prices back to 2023/24: ÷ (1.02 x 1.03), the rates of 2025/26 and 2024/25
    assert growth.factor(2025, -2) == 1 / (Decimal("1.02") * Decimal("1.03"))
    assert growth.describe() == "4% in 2023/24, 3% in 2024/25, 2% from 2025/26"
    with pytest.raises(ValueError, match="starts at 2023/24, after 2022/23"):
        growth.rate_in(2022)
    # the first year a growth needs: the year after its price year, or the first appraisal year's after it
    assert growth.needed_from(2021, 1) == 2022 and growth.needed_from(2021, 0) == 2022
    assert growth.needed_from(2023, -1) == 2023 and growth.needed_from(2023, -2) == 2022
    assert RealGrowth.of(Decimal("0.02")).describe() == "2% a year"  # type: ignore[union-attr]


def test_the_first_year_needed_is_the_year_after_the_price_year_or_the_first_appraisal_years(write_scenario):
    """A value in 2021/22 prices, the appraisal from 2022/23: its growth needs 2022/23's rate, so a schedule
    from 2023/24 is refused; a value in 2023/24 prices counted from 2022/23 needs 2023/24's (to grow back), so
    one from 2024/25 is refused and one from 2023/24 is not."""
    early = SCENARIO.replace("price_year: 2022/23, source", "price_year: 2021/22, source").replace(
        "{2023/24: 4%, 2024/25: 0.02}", "{2023/24: 4%}")
    assert "starts at 2023/24, but its growth from 2021/22 (the price year of its value) needs a rate from 2022/23" in (
        only_problem(write_scenario(early)))
    late = SCENARIO.replace("price_year: 2022/23, source", "price_year: 2023/24, source")
    refused = late.replace("{2023/24: 4%, 2024/25: 0.02}", "{2024/25: 2%}")
    assert "starts at 2024/25, but its growth from 2023/24 (the price year of its value) needs a rate from 2023/24" in (
        only_problem(write_scenario(refused, "late.yaml")))
    assert cli("validate", write_scenario(late, "ok.yaml")).exit_code == 0


def test_each_outcome_grown_by_year_is_checked_once(write_scenario):
    """An outcome without growth before one whose schedule starts late: the later one is named; an outcome
    with two values, both priced in 2022/23, is named once, not once a value."""
    two = SCENARIO.replace("    real_growth: {2023/24: 4%, 2024/25: 0.02}\n", "") + """\
  - id: kept2
    measure: Children kept home
    volumes: {2023/24: 1}
    values:
      - {label: council, value: {amount: 100, price_year: 2022/23, source: Illustrative}}
      - {label: health, value: {amount: 50, price_year: 2022/23, source: Illustrative}}
    attributable: true
    real_growth: {2024/25: 2%}
"""
    assert "outcome 'kept2': real growth by year starts at 2024/25" in only_problem(write_scenario(two))


def test_months_back_before_the_price_year_count_whole_financial_years(write_scenario):
    """Monthly periods from March 2023 (in 2022/23) and a value priced in 2024/25: March 2023 is two financial
    years back, ÷ (1 + 2023/24's rate) x (1 + 2024/25's), so a schedule from 2024/25 is refused and one from
    2023/24 gives 1 / (1.04 x 1.02) in March 2023 and 1 / 1.02 from April."""
    text = """\
name: Monthly growth
organisation: Anytown Council
price_base: 2024/25
periods: [2023-03, 2023-04]
net_position_basis: actual
appraisal: {discounting: green_book}
cost_lines:
  - {name: Team, actual: {2023-03: 100, 2023-04: 100}}
outcomes:
  - id: kept
    measure: Children kept out of care
    volumes: {2023-03: 1, 2023-04: 1}
    value: {amount: 1000, price_year: 2024/25, source: Illustrative}
    attributable: true
    real_growth: {2024/25: 2%}
"""
    assert "starts at 2024/25, but its growth from 2024/25 (the price year of its value) needs a rate from 2023/24" in (
        only_problem(write_scenario(text)))
    grown = run_json(write_scenario(text.replace("{2024/25: 2%}", "{2023/24: 4%, 2024/25: 2%}"), "ok.yaml"))
    factors = grown["appraisal"]["benefits"][0]["real_growth"]["factors"]
    third = Decimal(1) / (Decimal("1.04") * Decimal("1.02"))
    assert factors == [f"{third.quantize(Decimal('0.000001')):.6f}", f"{(1 / Decimal('1.02')).quantize(Decimal('0.000001')):.6f}"]
