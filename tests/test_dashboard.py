"""Issue 28, item 7: a one-page Dashboard after the Guide: the headlines, who pays and who benefits by agency
(with the cashable part) and by year, and two charts, every figure a live formula over the calculation sheets.

Consistency tests between faces: the Dashboard, recalculated in LibreOffice with recalculation forced, against
``cba run --format json`` (its headlines and its ``who_pays_and_benefits``) to the penny; and within the page,
each agency's years summing to its net. The edge-of-care figures are the engine's: its three agencies' nets
(£2,282,220.84, £46,649.81, £91,876.17) and all together its net present budget impact, £2,420,746.81.
"""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import ROOT, cli
from tests.test_export import recalculated_all

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
PENNY = Decimal("0.005")


def near(got: object, expected: str) -> bool:
    return isinstance(got, (int, float)) and abs(Decimal(repr(float(got))) - Decimal(expected)) < PENNY


def dashboard_rows(ws, title: str, after: int = 2) -> dict[str, list]:
    """The rows of one table on the page, by their first cell, from its title (or header) to the next blank row."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r[0] == title) + after
    found = {}
    for r in rows[start:]:
        if r[0] is None:
            break
        found[r[0]] = r
    return found


def test_the_dashboard_agrees_with_cba_run_for_every_appraised_workbook(tmp_path):
    books, documents = [], []
    for scenario in SCENARIOS:
        book = tmp_path / f"{scenario.stem}.xlsx"
        assert cli("export", scenario, "--green-book", "-o", book).exit_code == 0
        books.append(book)
        documents.append(json.loads(cli("run", scenario, "--green-book", "--format", "json").stdout))
    for scenario, wb, document in zip(SCENARIOS, recalculated_all(books, tmp_path), documents):
        assert wb.sheetnames[:2] == ["Guide", "Dashboard"]
        ws = wb["Dashboard"]
        headlines = {r[2]: r[1] for r in dashboard_rows(ws, "Headline", 1).values()}
        for key, got in headlines.items():
            h = document["headlines"][key]
            if h["value"] is None:
                assert isinstance(got, str) or got is None, (scenario.stem, key)
            else:
                assert abs(Decimal(repr(float(got))) * (100 if h["kind"] == "percent" else 1) - Decimal(h["value"])) < (
                    PENNY if h["kind"] == "money" else Decimal("0.0000005")
                ), (scenario.stem, key, got, h["value"])
        who = dashboard_rows(ws, "Who pays and who benefits (present values)")
        years = dashboard_rows(ws, "Net by agency and year (present values)")
        engine = document["appraisal"]["who_pays_and_benefits"]
        # each who pays or benefits, and any agency a drop-down may give a benefit or line (nothing, as written)
        listed = [r for r in who if r != "All together"]
        assert set(listed) >= {f["agency"] for f in engine} and listed == sorted(listed)
        for extra in set(listed) - {f["agency"] for f in engine}:
            assert all(v in (0, None) for v in who[extra][1:7]), (scenario.stem, extra)
        for f in engine:
            _, costs, fiscal, _, paid, received, net = who[f["agency"]][:7]
            assert near(costs, f["pv_costs"]) and near(fiscal, f["pv_fiscal_benefits"]), (scenario.stem, f)
            assert near(paid, f["pv_transfers_paid"]) and near(received, f["pv_transfers_received"]), (scenario.stem, f)
            assert near(net, f["net"]), (scenario.stem, f)
            by_year = [v for v in years[f["agency"]][1:] if v is not None]
            assert near(by_year[-1], f["net"]) and abs(sum(by_year[:-1]) - by_year[-1]) < 0.005  # its years sum to it
        cashable = document["appraisal"]["pv_fiscal_by_cashable"].get("cashable", "0")
        assert near(who["All together"][3], cashable), scenario.stem  # cashable by agency sums to the cashable PV


def test_the_edge_of_care_agencies_sum_to_the_net_present_budget_impact(tmp_path):
    book = tmp_path / "edge.xlsx"
    assert cli("export", ROOT / "scenarios" / "edge-of-care-example.yaml", "-o", book).exit_code == 0
    ws = openpyxl.load_workbook(book, data_only=True)["Dashboard"]  # the results cba stores beside each formula
    who = dashboard_rows(ws, "Who pays and who benefits (present values)")
    nets = {agency: round(row[6], 2) for agency, row in who.items() if row[6]}  # Other: a value may move to it
    assert nets == {"Local Authority": 2282220.84, "NHS": 46649.81, "Police": 91876.17, "All together": 2420746.81}
    formulas = openpyxl.load_workbook(book)["Dashboard"]
    who_nhs, costs_nhs, _ = (r for r in formulas.iter_rows() if r[0].value == "NHS")
    assert who_nhs[1].value == f"=H{costs_nhs[0].row}"  # the total of its costs by year (six years: B to G)
    # each year: its lines (SUMIF on the agency beside each: thousands of lines stay one short formula) x the DF
    assert costs_nhs[2].value == "=SUMIF('Appraisal'!$B$20:$B$23,\"=NHS\",'Appraisal'!D26:D29)*'Appraisal'!D5"


@pytest.mark.parametrize("scenario", ["dorset-rsw", "family-support-example"])
def test_without_an_appraisal_the_dashboard_shows_no_present_values_and_says_so(scenario, tmp_path):
    book = tmp_path / "b.xlsx"
    assert cli("export", ROOT / "scenarios" / f"{scenario}.yaml", "-o", book).exit_code == 0
    ws = openpyxl.load_workbook(book)["Dashboard"]
    text = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert any(t.startswith("Not appraised: no present values by agency") for t in text)
    assert not any("present values)" in t for t in text)
    assert ws["C6"].value == "net_position"
    assert len(ws._charts) == 1


def test_agency_names_are_matched_exactly_never_as_wildcards_or_comparisons(write_scenario, tmp_path):
    """SUMIF reads * and ? as wildcards and "<5" as a comparison: cba escapes them, so 'NHS*' is not 'NHS trust'."""
    path = write_scenario(
        "name: Agencies\norganisation: Anytown\nperiods: [2022/23, 2023/24]\nprice_base: 2022/23\n"
        "net_position_basis: actual\nreal_terms: false\nappraisal: {discounting: green_book}\n"
        "parties: ['NHS*', NHS trust, '<5 \"quoted\" ~?']\ncost_lines:\n"
        "  - {name: A, agency: 'NHS*', actual: {2022/23: 1000, 2023/24: 2000}}\n"
        "  - {name: B, agency: NHS trust, actual: {2022/23: 300}}\n"
        "  - {name: C, agency: '<5 \"quoted\" ~?', actual: {2023/24: 70}}\n"
    )
    book = tmp_path / "agencies.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    document = json.loads(cli("run", path, "--format", "json").stdout)
    (wb,) = recalculated_all([book], tmp_path)
    who = dashboard_rows(wb["Dashboard"], "Who pays and who benefits (present values)")
    for f in document["appraisal"]["who_pays_and_benefits"]:
        assert near(who[f["agency"]][1], f["pv_costs"]), (f, who[f["agency"]])
    # by hand, as written (not in real terms): 1,000 + 2,000 / 1.035 = 2,932.37; 300; 70 / 1.035 = 67.63
    assert [round(who[a][1], 2) for a in ("NHS*", "NHS trust", '<5 "quoted" ~?')] == [2932.37, 300, 67.63]
