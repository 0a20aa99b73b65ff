"""``cba options``: the shortlist in scenarios/options/ against business as usual, worked out by hand.

Every option is two financial years, 2022/23 (the price base, appraisal year 0) and 2023/24 (year 1), with
costs budgeted in cash and one benefit written in 2022/23 prices:
  d = 1 / 1.035 (the Green Book's 3.5% for year 1), k = 102.0 / 107.975 (the bundled GDP deflator,
  2022/23 over 2023/24: a 2023/24 pound in 2022/23 prices).
  business as usual: costs 40,000 a year                          PV costs 40,000 (1 + k d), no benefits
  do-minimum:        costs 70,000 a year, 1 placement-year in year 1 at 60,000   PV benefits 60,000 d
  option A:          costs 160,000 then 140,000; 1 then 3 placement-years        60,000 + 180,000 d
  option B:          costs 190,000 a year; 2 then 6 placement-years              120,000 + 360,000 d
"""

from __future__ import annotations

import csv
import math
import io
import json
import re
import shutil
from decimal import Decimal, localcontext
from pathlib import Path

import openpyxl
import pytest

from cba.engine.value_for_money import DFT_BANDS, NOT_DEFINED, category

from .conftest import cli

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "scenarios" / "options"
SHORTLIST = [
    FOLDER / "business-as-usual.yaml",
    FOLDER / "do-minimum.yaml",
    FOLDER / "option-a-intensive-team.yaml",
    FOLDER / "option-b-multi-agency-hub.yaml",
]
NAMES = [p.stem for p in SHORTLIST]

with localcontext() as exact:  # module-level: the test process's own context is left as it is
    exact.prec = 50
    D_1 = 1 / Decimal("1.035")
    K = Decimal("102.0") / Decimal("107.975")
    COSTS = {
        "business-as-usual": 40000 * (1 + K * D_1),
        "do-minimum": 70000 * (1 + K * D_1),
        "option-a-intensive-team": 160000 + 140000 * K * D_1,
        "option-b-multi-agency-hub": 190000 * (1 + K * D_1),
    }
    BENEFITS = {
        "business-as-usual": Decimal(0),
        "do-minimum": 60000 * D_1,
        "option-a-intensive-team": 60000 + 180000 * D_1,
        "option-b-multi-agency-hub": 120000 + 360000 * D_1,
    }
PENNY, SIX = Decimal("0.01"), Decimal("0.000001")


def pennies(x: Decimal) -> str:
    return str(x.quantize(PENNY))


def options_json(*extra: object) -> dict:
    result = cli("options", *SHORTLIST, "--do-minimum", "do-minimum", "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_each_option_against_business_as_usual_by_hand():
    document = options_json()
    assert document["command"] == "options"
    rows = {r["option"]: r for r in document["tables"]["options"]["rows"]}
    assert list(rows) == NAMES
    assert [rows[n]["role"] for n in NAMES] == ["business as usual", "do-minimum", "option", "option"]
    base_c, base_b = COSTS["business-as-usual"], BENEFITS["business-as-usual"]
    # by hand: BCR against business as usual and its category on the DfT scale
    expected_category = {"do-minimum": "low", "option-a-intensive-team": "low", "option-b-multi-agency-hub": "medium"}
    for name in NAMES:
        row, added_c, added_b = rows[name], COSTS[name] - base_c, BENEFITS[name] - base_b
        assert row["pv_costs"] == pennies(COSTS[name])
        assert row["pv_benefits"] == pennies(BENEFITS[name])
        assert row["npsv"] == pennies(BENEFITS[name] - COSTS[name])
        assert row["added_pv_costs"] == pennies(added_c)
        assert row["added_pv_benefits"] == pennies(added_b)
        assert row["npsv_against_bau"] == pennies(added_b - added_c)
        if name == "business-as-usual":
            assert row["bcr_against_bau"] is None and row["value_for_money"] == "(the comparator)"
        else:
            assert row["bcr_against_bau"] == str((added_b / added_c).quantize(SIX))
            assert row["value_for_money"] == expected_category[name]
    # the figures as printed, so the test also reads as a record: B 1.630580 (medium), A 1.107166, do-min 1.010273
    assert rows["option-b-multi-agency-hub"]["bcr_against_bau"] == "1.630580"
    assert rows["option-b-multi-agency-hub"]["npsv_against_bau"] == "180918.39"
    assert [rows[n]["rank"] for n in NAMES] == ["4", "3", "2", "1"]
    assert rows["option-a-intensive-team"]["unmonetised"] == "1 listed (1 positive)"
    assert rows["do-minimum"]["unmonetised"] == "none listed"


def test_each_option_over_the_next_cheaper_one_by_hand():
    rows = options_json()["tables"]["incremental"]["rows"]
    order = sorted(NAMES, key=lambda n: COSTS[n])  # by hand: BAU 76,508.72 < do-min < A < B
    assert order == NAMES
    assert [(r["option"], r["over"]) for r in rows] == list(zip(order[1:], order))
    for row, (cheaper, dearer) in zip(rows, zip(order, order[1:])):
        added_c, added_b = COSTS[dearer] - COSTS[cheaper], BENEFITS[dearer] - BENEFITS[cheaper]
        assert row["added_pv_costs"] == pennies(added_c)
        assert row["added_pv_benefits"] == pennies(added_b)
        assert row["incremental_npsv"] == pennies(added_b - added_c)
        assert row["incremental_bcr"] == str((added_b / added_c).quantize(SIX))
    # B over A: 75,635.90 more for 233,913.04 more: 3.09, high value for money on the increment
    assert rows[-1]["incremental_bcr"] == "3.092619" and rows[-1]["value_for_money"] == "high"


def test_the_preferred_option_and_the_switching_value_by_hand():
    facts = options_json()["tables"]["preferred"]["rows"][0]
    npsv = {n: (BENEFITS[n] - BENEFITS[NAMES[0]]) - (COSTS[n] - COSTS[NAMES[0]]) for n in NAMES}
    assert facts["preferred"] == "option-b-multi-agency-hub"
    assert facts["runner_up"] == "option-a-intensive-team"
    gap = npsv["option-b-multi-agency-hub"] - npsv["option-a-intensive-team"]
    assert facts["switching_value"] == pennies(gap) == "158277.14"
    assert facts["switching_share_of_benefits"] == str((gap / BENEFITS["option-b-multi-agency-hub"]).quantize(SIX))
    assert facts["switching_share_of_costs"] == str((gap / COSTS["option-b-multi-agency-hub"]).quantize(SIX))


@pytest.mark.parametrize(
    ("bcr", "expected"),
    [
        (Decimal("-0.5"), "poor"),
        (Decimal("0.999999"), "poor"),
        (Decimal(1), "low"),  # a band includes its lower bound
        (Decimal("1.499999"), "low"),
        (Decimal("1.5"), "medium"),
        (Decimal(2), "high"),
        (Decimal("3.999999"), "high"),
        (Decimal(4), "very high"),
        (None, NOT_DEFINED),
    ],
)
def test_value_for_money_bands_at_their_edges(bcr, expected):
    assert category(bcr) == expected
    assert [name for name, _ in DFT_BANDS] == ["poor", "low", "medium", "high", "very high"]


def test_csv_and_terminal_carry_the_same_figures_consistency():
    """Consistency between faces (not truth): the CSV and the terminal show what the JSON holds."""
    document = options_json()
    result = cli("options", *SHORTLIST, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    for row in document["tables"]["options"]["rows"]:
        assert row["npsv_against_bau"] in text and row["value_for_money"] in text
    rows = list(csv.reader(io.StringIO(text)))
    assert any("option-b-multi-agency-hub" in r and "medium" in r for r in rows)
    shown = cli("options", *SHORTLIST, "--do-minimum", "do-minimum")
    assert shown.exit_code == 0, shown.stderr
    assert re.search(r"Preferred option \(highest NPSV against business as usual\)\s*┃\s*option-b-multi-agency-hub", shown.stdout)
    assert "£158,277.14" in shown.stdout and "before unmonetised impacts" in shown.stdout


def test_the_page_holds_the_figures_exactly_consistency(tmp_path):
    page = tmp_path / "options.html"
    result = cli("options", *SHORTLIST, "--do-minimum", "do-minimum", "--html", page)
    assert result.exit_code == 0, result.stderr
    html = page.read_text(encoding="utf-8")
    document = options_json()
    values = re.findall(r'data-key="npsv_against_bau" data-value="([^"]*)"', html)
    assert values == [r["npsv_against_bau"] for r in document["tables"]["options"]["rows"]]
    assert 'data-key="switching_value" data-value="158277.14"' in html
    assert "Staff time drawn from partner agencies" in html and "<script" not in html
    again = cli("options", *SHORTLIST, "--html", page)  # never over a file without --force
    assert again.exit_code != 0 and "exists" in again.stderr


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _bands_row(name: str) -> int:
    return 4 + [n for n, _ in DFT_BANDS].index(name)


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is needed (.ci/run installs it)")
def test_the_workbook_is_a_live_model_in_libreoffice(tmp_path):
    """Recalculated in LibreOffice: the figures as cba options gives them; then a band moved and a PV edited,
    recalculated again, give what the hand calculation and cba's own category function say."""
    from .test_export import check_formula_results, recalculated_all

    book = tmp_path / "options.xlsx"
    result = cli("options", *SHORTLIST, "--do-minimum", "do-minimum", "--xlsx", book)
    assert result.exit_code == 0, result.stderr
    document = options_json()

    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(book)
    wb["Bands"].cell(_bands_row("medium"), 2).value = 1.7  # option B's 1.63 is now low
    # option A's PV benefits raised by 200,000: its NPSV against BAU 222,641.24 overtakes B's 180,918.39
    a_benefits = wb["Options"]["E7"]
    a_benefits.value = float(BENEFITS["option-a-intensive-team"].quantize(PENNY) + 200000)
    wb.save(edited)
    edge = tmp_path / "edge.xlsx"  # a BCR of exactly 2 against business as usual: the foot of "high"
    wb = openpyxl.load_workbook(book)
    for cell, value in (("D5", 0), ("E5", 0), ("D6", 50000), ("E6", 100000)):
        wb["Options"][cell].value = value
    wb.save(edge)

    as_written, changed, at_edge = recalculated_all([book, edited, edge], tmp_path)
    ws = at_edge["Options"]
    assert (ws["J6"].value, ws["K6"].value) == (2, "high") == (2, category(Decimal(2)))
    # against a business as usual of nothing, each option's NPSV is its own: B 104,409.67, the do-minimum
    # 50,000, business as usual 0, A -53,867.48 (233,913.04 - 287,780.52)
    assert ws["G6"].value == 50000 and [ws[f"L{r}"].value for r in range(5, 9)] == [3, 2, 4, 1]
    formulas, stored = openpyxl.load_workbook(book), openpyxl.load_workbook(book, data_only=True)
    compared = check_formula_results(formulas, stored, lambda sheet, cell: as_written[sheet][cell].value)
    assert compared >= 40

    ws = as_written["Options"]
    rows = document["tables"]["options"]["rows"]
    for i, row in enumerate(rows):
        r = 5 + i
        assert ws.cell(r, 1).value == row["option"]
        assert Decimal(str(ws.cell(r, 9).value)).quantize(PENNY) == Decimal(row["npsv_against_bau"])
        if i:
            assert Decimal(str(ws.cell(r, 10).value)).quantize(SIX) == Decimal(row["bcr_against_bau"])
        assert ws.cell(r, 11).value == row["value_for_money"]
        assert ws.cell(r, 12).value == int(row["rank"])
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert labels["Preferred option (highest NPSV against business as usual)"] == "option-b-multi-agency-hub"
    switching = labels[next(k for k in labels if str(k).startswith("Switching value"))]
    assert Decimal(str(switching)).quantize(PENNY) == Decimal("158277.14")

    ws = changed["Options"]
    b_bcr = Decimal(str(ws.cell(8, 10).value))
    assert ws.cell(8, 11).value == "low" == category(b_bcr, [(n, Decimal("1.7") if n == "medium" else b)
                                                             for n, b in DFT_BANDS])
    labels = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert labels["Preferred option (highest NPSV against business as usual)"] == "option-a-intensive-team"
    assert labels["Runner-up"] == "option-b-multi-agency-hub"
    a_npsv = BENEFITS["option-a-intensive-team"].quantize(PENNY) + 200000 - (COSTS["option-a-intensive-team"] - COSTS["business-as-usual"])
    b_npsv = BENEFITS["option-b-multi-agency-hub"] - (COSTS["option-b-multi-agency-hub"] - COSTS["business-as-usual"])
    switching = labels[next(k for k in labels if str(k).startswith("Switching value"))]
    assert abs(Decimal(str(switching)) - (a_npsv - b_npsv)) < PENNY
    assert ws.cell(7, 12).value == 1 and ws.cell(8, 12).value == 2


def test_a_shortlist_on_other_conventions_is_refused(tmp_path):
    other = tmp_path / "other-base.yaml"
    other.write_text(
        f"extends: {SHORTLIST[2]}\nname: Option A at another price base\nprice_base: 2023/24\n", encoding="utf-8"
    )
    result = cli("options", SHORTLIST[0], other)
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "cba: options: other-base differs from business-as-usual in its price base (2023/24 against 2022/23): "
        "every option must be appraised on the same conventions"
    ] or "differs from business-as-usual in its price base" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_an_unappraised_option_and_an_unknown_do_minimum_are_refused():
    dorset = ROOT / "scenarios" / "dorset-rsw.yaml"
    result = cli("options", dorset, SHORTLIST[1])
    assert result.exit_code == 2 and "dorset-rsw is not appraised" in result.stderr
    assert "Traceback" not in result.stderr
    # two unappraised: one line each, both as cba's (not one line with an escaped newline)
    result = cli("options", dorset, ROOT / "scenarios" / "family-support-example.yaml", SHORTLIST[1])
    assert result.exit_code == 2 and result.stderr.splitlines() == [
        f"cba: options: {name} is not appraised (no present values): add an appraisal: section or pass --green-book"
        for name in ("dorset-rsw", "family-support-example")]
    result = cli("options", *SHORTLIST, "--do-minimum", "option-c")
    assert result.exit_code == 2 and "--do-minimum 'option-c' is not one of the options" in result.stderr
    result = cli("options", SHORTLIST[0])
    assert result.exit_code == 2 and "at least one option" in result.stderr


def test_the_json_follows_its_schema():
    import jsonschema

    schema = json.loads((ROOT / "schema" / "tables.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(options_json(), schema)


def test_a_hostile_file_name_stays_inert_on_every_face(tmp_path):
    """An option's name is its file's stem: user text. A bidi override and a leading '=' stay text."""
    hostile = tmp_path / "=HYPERLINK(1)\u202eevil.yaml"
    hostile.write_text(f"extends: {SHORTLIST[3]}\n", encoding="utf-8")
    page, book = tmp_path / "o.html", tmp_path / "o.xlsx"
    result = cli("options", SHORTLIST[0], hostile, "--html", page, "--xlsx", book)
    assert result.exit_code == 0, result.stderr
    assert "\u202e" not in result.stdout and "\u202e" not in page.read_text(encoding="utf-8")
    assert "\\u202e" in page.read_text(encoding="utf-8")
    cell = openpyxl.load_workbook(book)["Options"]["A6"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(1)")
    csv_out = cli("options", SHORTLIST[0], hostile, "--format", "csv").stdout
    assert "\u202e" not in csv_out


DRAWN_TABLE = """\
id,description,unit,value,price_year,agency,agency_detail,value_type,cashable,confidence,source,url,notes
u1,First saving,per case,150000,2022/23,Local Authority,,fiscal,true,1,test,,
u2,Second saving,per case,50000,2022/23,Local Authority,,fiscal,true,1,test,,
"""
DRAWN_BAU = """\
name: Nothing new
organisation: Test
price_base: 2022/23
periods: [2022/23]
unit_costs: table.csv
net_position_basis: budget
appraisal: {discounting: green_book}
cost_lines: [{name: Nothing, budget: {2022/23: 0}}]
outcomes: []
"""


def test_the_value_of_perfect_information_between_options_by_hand(tmp_path):
    """One year, nothing discounted. Option A: £50,000 for one case of u1 ~ N(150,000, 30,000); option B:
    £50,000 for three of u2 ~ N(50,000, 10,000). Both NPSVs are N(100,000, 30,000), independent, and never
    below business as usual's 0 in practice (3.3 sd). EVPI = E[max(A, B)] - 100,000 = theta phi(0), with
    theta = sqrt(30,000^2 + 30,000^2) (Clark, 1961, for the maximum of two normals): £16,925.69."""
    from statistics import NormalDist

    (tmp_path / "table.csv").write_text(DRAWN_TABLE, encoding="utf-8")
    bau = tmp_path / "bau.yaml"  # business as usual costs £10,000: every option's NPSV against it is NPV + 10,000
    bau.write_text(DRAWN_BAU.replace("budget: {2022/23: 0}", "budget: {2022/23: 10000}"), encoding="utf-8")
    for name, unit, n, sd in (("a", "u1", 1, 30000), ("b", "u2", 3, 10000)):
        (tmp_path / f"{name}.yaml").write_text(
            DRAWN_BAU.replace("cost_lines: [{name: Nothing, budget: {2022/23: 0}}]",
                              "cost_lines: [{name: Service, budget: {2022/23: 50000}}]")
            .replace("outcomes: []", f"outcomes:\n  - {{id: o, measure: o, volumes: {{2022/23: {n}}}, "
                                     f"unit_cost: {unit}, attributable: true}}")
            + f"uncertainty:\n  unit_costs:\n    {unit}: {{distribution: normal, mean: {50000 * (3 if unit == 'u1' else 1)}, "
            f"sd: {sd}}}\n",
            encoding="utf-8",
        )
    theta = math.sqrt(2 * 30000**2)
    expected = theta * NormalDist().pdf(0)
    assert round(expected, 2) == 16925.69
    result = cli("options", bau, tmp_path / "a.yaml", tmp_path / "b.yaml", "--draws", 200000, "--seed", 3,
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    evpi = float(data["tables"]["value_of_information"]["rows"][0]["evpi"])
    assert abs(evpi - expected) < 250, evpi  # about five standard errors at 200,000 draws
    drawn = {r["option"]: r for r in data["tables"]["drawn"]["rows"]}
    assert abs(float(drawn["a"]["chance_best"]) - 50) < 1 and abs(float(drawn["b"]["chance_best"]) - 50) < 1
    assert drawn["bau"]["chance_best"] == "0.000000"
    assert sum(Decimal(r["chance_best"]) for r in drawn.values()) == 100
    assert drawn["bau"]["mean_npsv_against_bau"] == "0.00"
    # each option's NPSV against business as usual is N(110,000, 30,000): its 5th and 95th percentiles
    for name in ("a", "b"):
        for key, z in (("p5_npsv_against_bau", -1.6448536), ("p95_npsv_against_bau", 1.6448536)):
            assert abs(float(drawn[name][key]) - (110000 + z * 30000)) < 600, (name, key)
    # a shared input must have one range across the options
    (tmp_path / "c.yaml").write_text((tmp_path / "a.yaml").read_text(encoding="utf-8").replace("sd: 30000", "sd: 1"),
                                     encoding="utf-8")
    clash = cli("options", bau, tmp_path / "a.yaml", tmp_path / "c.yaml", "--draws", 100)
    assert clash.exit_code == 2 and "gives u1 another range than a does" in clash.stderr


def test_a_category_below_every_band_and_a_ratio_without_a_positive_cost():
    from cba.engine.options import ratio

    assert category(Decimal("0.5"), [("low", Decimal(1)), ("high", Decimal(2))]) == "low"  # below the first band
    assert ratio(Decimal(5), Decimal("0.5")) == 10  # any positive added cost divides
    assert ratio(Decimal(5), Decimal(0)) is None and ratio(Decimal(5), Decimal(-1)) is None


def test_business_as_usual_with_benefits_of_its_own_by_hand():
    """The do-minimum as business as usual: every figure against it is the option's less the do-minimum's."""
    result = cli("options", *SHORTLIST[1:], "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = {r["option"]: r for r in json.loads(result.stdout)["tables"]["options"]["rows"]}
    base_c, base_b = COSTS["do-minimum"], BENEFITS["do-minimum"]
    for name in NAMES[2:]:
        added_c, added_b = COSTS[name] - base_c, BENEFITS[name] - base_b
        assert rows[name]["added_pv_benefits"] == pennies(added_b)
        assert rows[name]["npsv_against_bau"] == pennies(added_b - added_c)
        assert rows[name]["bcr_against_bau"] == str((added_b / added_c).quantize(SIX))


def test_costs_set_the_increments_order_and_business_as_usual_can_be_preferred(tmp_path):
    """Option C: business as usual with a £250,000 a year service that keeps one child out of residential care
    in year 1: dearer than B, with the do-minimum's benefits (57,971.01). By PV costs the order is BAU,
    do-minimum, A, B, C; by benefits it would not be."""
    c = tmp_path / "option-c-costly.yaml"
    c.write_text(
        f"extends: {SHORTLIST[1]}\nname: Option C\ncost_lines:\n"
        "  - {name: Existing family support worker, budget: {2022/23: 40000, 2023/24: 40000}}\n"
        "  - {name: Costly service, budget: {2022/23: 250000, 2023/24: 250000}}\n",
        encoding="utf-8",
    )
    data = json.loads(cli("options", *SHORTLIST, c, "--format", "json").stdout)
    assert [r["option"] for r in data["tables"]["incremental"]["rows"]] == [*NAMES[1:], c.stem]
    # against business as usual alone, C loses: business as usual is preferred, and its PV benefits are nil
    data = json.loads(cli("options", SHORTLIST[0], c, "--format", "json").stdout)
    decision = data["tables"]["preferred"]["rows"][0]
    with localcontext() as exact:
        exact.prec = 50
        c_costs = 290000 * (1 + K * D_1)
        gap = -((BENEFITS["do-minimum"]) - (c_costs - COSTS["business-as-usual"]))
    assert decision["preferred"] == "business-as-usual" and decision["runner_up"] == c.stem
    assert decision["preferred_npsv"] == "0.00" and decision["runner_up_npsv"] == pennies(-gap)
    assert decision["switching_value"] == pennies(gap)
    assert decision["switching_share_of_benefits"] is None  # no benefits: no share of them
    assert decision["switching_share_of_costs"] == str((gap / COSTS["business-as-usual"]).quantize(SIX))


def test_every_table_of_the_shortlist_as_written():
    data = options_json()
    decision = data["tables"]["preferred"]["rows"][0]
    assert (decision["preferred_npsv"], decision["runner_up_npsv"]) == ("180918.39", "22641.24")
    assert data["tables"]["unmonetised"]["notes"] == ["business-as-usual: none listed.", "do-minimum: none listed."]
    assert [(r["category"], r["bcr_from"], r["bcr_below"]) for r in data["tables"]["value_for_money_bands"]["rows"]] == [
        ("poor", None, "1.000000"), ("low", "1.000000", "1.500000"), ("medium", "1.500000", "2.000000"),
        ("high", "2.000000", "4.000000"), ("very high", "4.000000", None)]
    notes = data["notes"]
    assert notes[0].startswith("Business as usual is business-as-usual; every figure 'against business as usual' is "
                               "the option's less business-as-usual's. In 2022/23 prices")
    assert [n.split(" (")[0] for n in notes[3:]] == NAMES  # a line for every option, business as usual first
    wrong = cli("options", *SHORTLIST, "--do-minimum", "nothing")
    assert "(do-minimum, option-a-intensive-team, option-b-multi-agency-hub)" in wrong.stderr


@pytest.mark.parametrize(
    ("extra", "what"),
    [
        ("appraisal: {discounting: green_book, uprate: true, horizon_years: 2, discount_rate: 0.03}\n",
         "flat discount rate"),
        ("appraisal: {discounting: green_book, uprate: true, horizon_years: 2, health_discount_rate: 0.02}\n",
         "health discount rate"),
        ("periods: [2021/22, 2022/23, 2023/24]\n"
         "appraisal: {discounting: green_book, uprate: true, horizon_years: 3}\n", "first appraisal year"),
    ],
)
def test_options_on_other_conventions_are_refused(tmp_path, extra, what):
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {SHORTLIST[3]}\n{extra}", encoding="utf-8")
    result = cli("options", SHORTLIST[0], other)
    assert result.exit_code == 2 and f"differs from business-as-usual in its {what}" in result.stderr, result.stderr


def test_two_options_of_one_name_are_refused():
    result = cli("options", SHORTLIST[0], SHORTLIST[0])
    assert result.exit_code == 2 and "two options are both called 'business-as-usual'" in result.stderr
