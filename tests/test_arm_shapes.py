"""Arm shapes (issue 30, item 3): a comparison arm of which only the mean is published.

The illustrative court-arms example (scenarios/court-arms-example.yaml) is worked by hand in
tests/test_scenario_shapes.py; here its comparison arm loses its n, as when a study sets its families against a
national mean, and every figure must stay what the hand calculation gives (nothing divides by that n), while
every face says the size was not published (never 0).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import load_workbook

from tests.conftest import ROOT, cli

ARMS = ROOT / "scenarios" / "court-arms-example.yaml"
LAC_YEAR = Decimal(58664)  # lac-year, the bundled children-social-care table: a looked-after child for a year, 2019 prices


def _mean_only(write_scenario):
    text = ARMS.read_text(encoding="utf-8")
    written = "  comparison: {label: ordinary care proceedings, n: 100}\n"
    assert written in text
    return write_scenario(text.replace(written, "  comparison: {label: national mean for care proceedings}\n"))


def _q(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))


def test_a_comparison_arm_with_only_a_mean_gives_the_hand_worked_figures(write_scenario):
    path = _mean_only(write_scenario)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    n = 90  # the programme arm's n: the only size any total uses
    cost = (8740 - 4000) * n
    fall = (Decimal("0.65") - Decimal("0.46")) * n
    benefits = fall * LAC_YEAR * Decimal("90.95") / Decimal("90.3") * Decimal("0.9")
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert h["cost"] == "426600.00" and h["attributable_benefits"] == _q(benefits) == "909337.80"
    assert h["net_position"] == _q(benefits - cost)
    assert data["arms"]["comparison"] == {"label": "national mean for care proceedings", "n": None}
    assert data["arms"]["programme"]["n"] == "90"


def test_every_face_says_the_comparison_size_was_not_published(write_scenario, tmp_path):
    path = _mean_only(write_scenario)
    text = cli("run", path).stdout
    assert "national mean for care proceedings (n not published)" in " ".join(text.split())
    rows = list(csv.reader(io.StringIO(cli("run", path, "--format", "csv").stdout)))
    header = rows[0]
    sizes = {r[header.index("item")]: r[header.index("value")] for r in rows if r[0] == "arms" and r[3] == "n"}
    assert sizes == {"programme": "90", "comparison": ""}  # empty: not published, never 0
    report = tmp_path / "r.html"
    assert cli("report", path, "-o", report).exit_code == 0
    assert 'national mean for care proceedings (<span class="m">n not published</span>)' in report.read_text(encoding="utf-8")
    book = tmp_path / "b.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    ws = load_workbook(book)["Arms"]
    assert ws["C2"].value == "n not published"
    assert ws["C1"].value == 90 and ws["C1"].fill.fgColor.rgb != ws["C2"].fill.fgColor.rgb  # only n1 is an input


def test_a_comparison_size_when_given_must_still_be_more_than_nought(write_scenario):
    text = ARMS.read_text(encoding="utf-8").replace("ordinary care proceedings, n: 100", "ordinary care proceedings, n: 0")
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith("an arm needs participants: n must be more than 0")


# Arm means in pounds ---------------------------------------------------------------------------------

SERVICES = """  - id: services
    measure: Cost of other services used
    arms: {programme: 12400, comparison: 15100}   # mean pounds per family in each arm
    value: {unit: per family, price_year: 2019/20, agency: Local Authority, value_type: fiscal, cashable: true,
            source: "illustrative: mean service costs per family in each arm"}
    attributable: true
"""


def _with_services(write_scenario, text: str | None = None):
    text = ARMS.read_text(encoding="utf-8") if text is None else text
    return write_scenario(text.replace("\npublished_results:", SERVICES + "\npublished_results:"))


def test_arm_means_in_pounds_are_the_benefit_itself(write_scenario):
    data = json.loads(cli("run", _with_services(write_scenario), "--format", "json").stdout)
    n = 90
    services = (Decimal(15100) - Decimal(12400)) * n  # £2,700 less a family x 90 = £243,000, in 2019/20 prices
    in_care = (Decimal("0.65") - Decimal("0.46")) * n * LAC_YEAR * Decimal("90.95") / Decimal("90.3") * Decimal("0.9")
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert h["attributable_benefits"] == _q(in_care + services) == "1152337.80"
    item = next(i for i in data["arms"]["items"] if i["key"] == "services")
    assert (item["programme"], item["comparison"], item["difference"], item["total"]) == (
        "12400.00", "15100.00", "-2700.00", "-243000.00")  # money, as a cost's means are
    entry = next(o for o in data["outcomes"] if o["id"] == "services")["unit_cost"]
    assert (entry["value"], entry["unit"]) == ("1.00", "£1 (the arm means are in pounds)")
    text = " ".join(cli("run", _with_services(write_scenario)).stdout.replace("│", " ").split())
    assert "£12,400 £15,100 -£2,700 -£243,000" in text


def test_arm_means_in_pounds_need_arms_and_say_so_without(write_scenario):
    text = ARMS.read_text(encoding="utf-8")
    no_arms = SERVICES.replace("    arms: {programme: 12400, comparison: 15100}   # mean pounds per family in each arm\n",
                               "    volumes: {2019/20: 3}\n")
    result = cli("validate", write_scenario(text.replace("\npublished_results:", no_arms + "\npublished_results:")))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "give the value's amount (the value of one unit, in pounds); leave it out only when the outcome is already "
        "money: amounts: by period, or arms: means in pounds")


def test_consistency_arm_means_in_pounds_recalculate_in_the_workbook(write_scenario, tmp_path):
    """The workbook, recalculated in LibreOffice (forced), gives every figure the JSON gives; the Arms sheet's
    pound means are the Benefits sheet's volumes."""
    from tests.test_scenario_shapes import recalculated_like_the_json

    _, book = recalculated_like_the_json(_with_services(write_scenario), tmp_path)
    arms = book["Arms"]
    row = next(r for r in range(5, arms.max_row + 1) if arms[f"A{r}"].value == "Cost of other services used")
    assert (arms[f"C{row}"].value, arms[f"D{row}"].value, arms[f"F{row}"].value) == (12400, 15100, -243000)


# A single arm: each mean is the change per participant ------------------------------------------------

SINGLE = """name: Single arm
organisation: Anytown Council
price_base: 2019/20
periods: [2019/20]
net_position_basis: actual
arms:
  programme: {label: Families in the service, n: 40}
cost_lines:
  - {name: Family workers, arms: {programme: 2500}}   # £2,500 a family
outcomes:
  - id: nights
    measure: Nights in care
    arms: {programme: -12.5}   # 12.5 fewer nights a family, the study's one-arm mean change
    value: {amount: 160, unit: per night, price_year: 2019/20, source: illustrative}
    attributable: true
"""


def test_a_single_arm_mean_is_the_change_per_participant(write_scenario):
    path = write_scenario(SINGLE)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    cost = 2500 * 40  # £100,000
    benefits = Decimal("12.5") * 40 * 160  # 500 nights at £160: £80,000
    h = {k: v["value"] for k, v in data["headlines"].items()}
    assert (h["cost"], h["attributable_benefits"], h["net_position"]) == ("100000.00", "80000.00", "-20000.00")
    assert h["benefit_cost_ratio"] == "0.800000" and Decimal(benefits) / cost == Decimal("0.8")
    assert h["net_position_per_unit"] == "-500.00"  # per participant: -20,000 / 40
    assert data["arms"]["comparison"] is None
    assert [(i["comparison"], i["difference"], i["total"]) for i in data["arms"]["items"]] == [
        (None, "2500.00", "100000.00"), (None, "-12.5", "-500")]
    text = " ".join(cli("run", path).stdout.replace("│", " ").split())
    assert "A single arm: Families in the service (n = 40), each mean the change per participant" in text
    assert "Nights in care -12.5 none -12.5 -500" in text and "none (a single arm)" in text


def test_a_single_arm_workbook_recalculates_to_the_figures_cba_prints(write_scenario, tmp_path):
    from tests.test_scenario_shapes import recalculated_like_the_json

    _, book = recalculated_like_the_json(write_scenario(SINGLE), tmp_path)
    arms = book["Arms"]
    assert arms["B2"].value.startswith("none: a single-arm study")
    assert (arms["D5"].value, arms["F5"].value, arms["D6"].value, arms["F6"].value) == (None, 100000, None, -500)


def test_a_comparison_mean_without_a_comparison_arm_is_refused_where_written(write_scenario):
    path = write_scenario(SINGLE.replace("arms: {programme: -12.5}", "arms: {programme: 3, comparison: 15.5}"))
    result = cli("validate", path)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{path}:13:26: the scenario's arms have no comparison arm (a single-arm study, whose means are each a change "
        "per participant): remove this comparison mean, or add arms: comparison: {label: ...}\n"
    )


def test_an_arm_label_is_inert_in_the_report_caption(write_scenario, tmp_path):
    path = write_scenario(SINGLE.replace("Families in the service", "'<img src=x onerror=alert(1)>'"))
    report = tmp_path / "r.html"
    assert cli("report", path, "-o", report).exit_code == 0
    page = report.read_text(encoding="utf-8")
    assert "<img" not in page and "A single arm: &lt;img src=x onerror=alert(1)&gt; (<span" in page


def test_a_cost_comparison_without_a_comparison_arm_is_refused_at_its_key(write_scenario):
    path = write_scenario(SINGLE.replace("arms: {programme: 2500}", "arms: {programme: 2500, comparison: 900}"))
    result = cli("validate", path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:9:52: the scenario's arms have no comparison arm")
    assert len(result.stderr.strip().splitlines()) == 1
