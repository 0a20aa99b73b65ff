"""Evidence grades (issue 29, item 4): a benefit's optimism bias from the weakest grade of its evidence, the
risks ranged explicitly left out, looked up in the grade table (unit_costs/optimism-bias-grades.csv: grades 1 to
6 are 0, 5, 10, 15, 25 and 40%).

The edge-of-care example prices placements at eoc-placement (confidence 2) under benefit_optimism_bias:
by_confidence: 5% as shipped. Graded impact 3, deadweight 4, cohort 2, the weakest is 4: 15%.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import Decimal

import openpyxl
import pytest

from .conftest import ROOT, cli, only_problem, run_json

EDGE = ROOT / "scenarios" / "edge-of-care-example.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
GRADED = "    attribution: 0.1\n    evidence: {impact: 3, deadweight: 4, cohort: 2, source: Trial report}\n"


@pytest.fixture
def edge(tmp_path):
    """Write a variant of the edge-of-care example beside its unit-cost table."""
    (tmp_path / "unit_costs").mkdir()
    (tmp_path / "unit_costs" / "edge-of-care-example.csv").write_bytes(
        (ROOT / "unit_costs" / "edge-of-care-example.csv").read_bytes()
    )

    def write(text: str, name: str = "e.yaml"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def graded(text: str = "") -> str:
    return EDGE.read_text(encoding="utf-8").replace("    attribution: 0.1\n", GRADED, 1) + text


def placements(data: dict) -> dict:
    return next(b for b in data["appraisal"]["benefits"] if b["outcome"] == "placements")


def test_the_weakest_grade_sets_the_bias_by_hand(edge):
    shipped, data = run_json(EDGE), run_json(edge(graded()))
    before, after = placements(shipped), placements(data)
    assert before["optimism_bias"] == "0.050000" and before["evidence"] is None
    assert after["optimism_bias"] == "0.150000"
    assert after["optimism_bias_basis"] == "evidence grade 4 (the weakest of impact 3, deadweight 4, cohort 2, unit cost 2)"
    assert after["evidence"] == {"graded": {"impact": 3, "deadweight": 4, "cohort": 2, "unit cost": 2}, "ranged": [],
                                 "grade": 4, "optimism_bias": "0.150000", "source": "Trial report"}
    # every year's value scales by (1 - 0.15) / (1 - 0.05): nothing else moved
    for a, b in zip(before["values"], after["values"]):
        assert Decimal(b) == pytest.approx(Decimal(a) * Decimal("0.85") / Decimal("0.95"), abs=Decimal("0.01"))


def test_a_ranged_risk_is_left_out(edge):
    """Ranging the deadweight leaves impact 3, cohort 2 and the price 2: grade 3, 10%. Ranging the cohort's success
    (impact), its size (cohort) and the unit cost as well leaves nothing: no optimism bias."""
    ranged = graded("uncertainty:\n  outcomes:\n    placements:\n      deadweight: {distribution: uniform, low: 0.1, high: 0.3}\n")
    after = placements(run_json(edge(ranged)))
    assert (after["optimism_bias"], after["evidence"]["grade"], after["evidence"]["ranged"]) == ("0.100000", 3, ["deadweight"])
    assert after["optimism_bias_basis"] == (
        "evidence grade 3 (the weakest of impact 3, cohort 2, unit cost 2; deadweight ranged explicitly)")
    success = graded("uncertainty:\n  outcomes:\n    placements:\n      cohort:\n"
                     "        success: {distribution: uniform, low: 0.2, high: 0.3}\n")
    after = placements(run_json(edge(success, "s.yaml")))
    assert after["evidence"]["ranged"] == ["impact"] and after["evidence"]["grade"] == 4
    engagement = graded("uncertainty:\n  outcomes:\n    placements:\n      cohort:\n"
                        "        engagement: {distribution: uniform, low: 0.7, high: 0.9}\n")
    assert placements(run_json(edge(engagement, "g.yaml")))["evidence"]["ranged"] == ["cohort"]
    everything = graded(
        "uncertainty:\n  unit_costs:\n    eoc-placement: {distribution: uniform, low: 100000, high: 200000}\n"
        "  outcomes:\n    placements:\n      deadweight: {distribution: uniform, low: 0.1, high: 0.3}\n"
        "      cohort:\n        size: {distribution: uniform, low: 50, high: 70}\n"
        "        success: {distribution: uniform, low: 0.2, high: 0.3}\n")
    after = placements(run_json(edge(everything, "all.yaml")))
    assert after["optimism_bias"] == "0.000000" and after["evidence"]["grade"] is None
    assert after["evidence"]["ranged"] == ["impact", "deadweight", "cohort", "unit cost"]


def test_without_by_confidence_the_price_is_not_graded(edge):
    text = graded().replace("  benefit_optimism_bias: by_confidence", "  benefit_optimism_bias: none")
    after = placements(run_json(edge(text)))
    assert after["evidence"]["graded"] == {"impact": 3, "deadweight": 4, "cohort": 2}
    assert after["optimism_bias"] == "0.150000"


def test_the_faces_show_the_derivation(edge, tmp_path):
    """Consistency between faces: the terminal, CSV and the report give JSON's derivation."""
    path = edge(graded())
    shown = " ".join(cli("run", path, "--detail").stdout.split())
    assert "Benefit optimism bias from the evidence grades" in shown
    assert "│ placements │ 3 │ 4 │ 2 │ 2 │ 4 │ 15.0% │" in shown
    rows = list(csv.reader(io.StringIO(cli("run", path, "--format", "csv").stdout)))
    assert ["evidence_grade", "placements", "count", "grade_used", "", "4"] in rows
    assert ["evidence_grade", "placements", "ratio", "optimism_bias", "", "0.150000"] in rows
    page = tmp_path / "r.html"
    assert cli("report", path, "-o", page).exit_code == 0
    assert 'id="evidence-grades"' in page.read_text(encoding="utf-8")


def test_rules(edge):
    both = graded().replace(GRADED, GRADED + "    optimism_bias: {percent: 5}\n")
    assert "gives both optimism_bias and evidence" in only_problem(edge(both))
    empty = graded().replace("evidence: {impact: 3, deadweight: 4, cohort: 2, source: Trial report}",
                             "evidence: {source: Trial report}")
    assert "evidence grades nothing" in only_problem(edge(empty, "n.yaml"))
    seven = graded().replace("impact: 3", "impact: 7")
    assert "less than or equal to 6" in only_problem(edge(seven, "s.yaml"))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is needed (.ci/run installs it)")
def test_the_workbook_grades_are_inputs_in_libreoffice(edge, tmp_path):
    """The grade used is MAX over the aspects' cells, looked up in the grade table: LibreOffice agrees with
    every stored figure, and an impact graded 6 in the workbook gives 40%, as cba run --set does."""
    from .test_export import check_formula_results, recalculated_all

    path = edge(graded())
    book = tmp_path / "graded.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Appraisal"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("Optimism bias (evidence"))
    assert ws[f"C{row}"].value.startswith("=MAX(") and ws[f"D{row}"].value == 3
    ws[f"D{row}"].value = 6
    edited = tmp_path / "graded-6.xlsx"
    wb.save(edited)
    as_written, moved = recalculated_all([book, edited], tmp_path)
    stored = openpyxl.load_workbook(book, data_only=True)
    assert check_formula_results(openpyxl.load_workbook(book), stored, lambda s, c: as_written[s][c].value) > 100
    assert moved["Appraisal"][f"B{row}"].value == pytest.approx(0.40)
    expected = run_json(path, "--set", "outcomes.placements.evidence.impact=6")
    assert placements(expected)["optimism_bias"] == "0.400000"
    sheet, cell = wb.defined_names["npv"].attr_text.split("!")
    npv = moved[sheet.strip("'")][cell.replace("$", "")].value
    assert npv == pytest.approx(float(expected["headlines"]["npv"]["value"]), abs=0.01)


def test_rules_point_at_the_evidence_key_on_any_outcome(edge):
    """On a later outcome (placements comes first, ungraded), both refusals point at its evidence key."""
    text = EDGE.read_text(encoding="utf-8").replace(
        "    deadweight: 25%\n", "    deadweight: 25%\n    evidence: {impact: 3}\n    optimism_bias: {percent: 5}\n", 1)
    lines = text.splitlines()
    row = next(i for i, t in enumerate(lines, 1) if t.startswith("    evidence:"))
    assert only_problem(edge(text)).endswith(
        f":{row}:5: outcome 'camhs' gives both optimism_bias and evidence; the evidence grades set its optimism bias: "
        "give one")
    empty = EDGE.read_text(encoding="utf-8").replace("    deadweight: 25%\n", "    deadweight: 25%\n    evidence: {}\n", 1)
    row = next(i for i, t in enumerate(empty.splitlines(), 1) if t.startswith("    evidence:"))
    assert f":{row}:5: evidence grades nothing" in only_problem(edge(empty, "e2.yaml"))
