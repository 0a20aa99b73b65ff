"""Published results carry weight: --strict (or strict: true) fails a run whose figures differ from them.

The quarterly example publishes "pays back within 18 months" and "pays back within a year"; its payback is
1.027042 years (tests/test_scenario_shapes.py works it by hand), so the first agrees and the second does not.
"""

from __future__ import annotations

import json

from tests.conftest import ROOT, cli

QUARTERLY = ROOT / "scenarios" / "quarterly-follow-up-example.yaml"
DISAGREES = (
    "published result: 'pays back within a year' (payback_years): published at most 1 year, cba's is 1.027042: "
    "does not agree (--strict)"
)


def test_strict_fails_after_the_report_with_one_positioned_line():
    result = cli("run", QUARTERLY, "--strict")
    assert result.exit_code == 1
    assert "Published results against cba's figures" in result.stdout  # the report is out first
    (line,) = result.stderr.strip().splitlines()
    assert line.endswith(f"quarterly-follow-up-example.yaml:36:5: {DISAGREES}"), line


def test_without_strict_the_run_succeeds_and_counts_the_finding():
    result = cli("run", QUARTERLY, "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    tables = sum(1 for c in document["reconciliation"]["checks"] if not c["agrees"])
    results = [r["agrees"] for r in document["reconciliation"]["results"]]
    assert results == [True, False]
    assert document["reconciliation"]["disagreements"] == tables + 1


def test_the_scenario_can_ask_for_strict(tmp_path):
    strict = tmp_path / "strict.yaml"  # its unit costs are a bundled table, by name: it runs from anywhere
    strict.write_text(
        QUARTERLY.read_text(encoding="utf-8").replace("published_results:", "strict: true\npublished_results:", 1),
        encoding="utf-8",
    )
    result = cli("run", strict)
    assert result.exit_code == 1 and result.stderr.strip().endswith(DISAGREES), result.stderr


def test_export_and_report_write_their_file_then_fail(tmp_path):
    book, page = tmp_path / "q.xlsx", tmp_path / "q.html"
    assert cli("export", QUARTERLY, "-o", book, "--strict").exit_code == 1 and book.exists()
    assert cli("report", QUARTERLY, "-o", page, "--strict").exit_code == 1 and page.exists()


def test_a_result_that_cannot_be_checked_fails_strict_but_is_no_finding(write_scenario):
    from tests.conftest import DORSET

    text = DORSET.read_text(encoding="utf-8").replace(
        "published_results:\n", "published_results:\n  - {label: 'Table 9, NPV', figure: npv, value: 100}\n", 1
    )
    path = write_scenario(text)
    before = json.loads(cli("run", DORSET, "--format", "json").stdout)["reconciliation"]["disagreements"]
    plain = json.loads(cli("run", path, "--format", "json").stdout)
    assert plain["reconciliation"]["results"][0]["agrees"] is False
    assert plain["reconciliation"]["disagreements"] == before  # not computed is not a finding
    strict = cli("run", path, "--strict")
    assert strict.exit_code == 1
    assert "cannot be checked: needs an appraisal (an appraisal: block, or --green-book) (--strict)" in strict.stderr


def test_dorsets_budget_in_words_is_a_finding():
    """Appendix 4 says costs were 'anticipated to total £1.95 million'; Table 3's £1,955,037 is £1.96 million to
    the nearest £10,000, half-up. With Table 4's and Table 5's totals that do not add up, each is a finding."""
    from tests.conftest import DORSET

    document = json.loads(cli("run", DORSET, "--format", "json").stdout)
    results = {r["figure"]: r["agrees"] for r in document["reconciliation"]["results"]}
    assert results == {"net_position": True, "actual_total": True, "budget_total": False}
    tables = sum(1 for c in document["reconciliation"]["checks"] if not c["agrees"])
    assert document["reconciliation"]["disagreements"] == tables + 1


def test_the_portfolio_counts_published_results_among_its_findings():
    document = json.loads(cli("portfolio", QUARTERLY, "--format", "json").stdout)
    (row,) = document["tables"]["programmes"]["rows"]
    run = json.loads(cli("run", QUARTERLY, "--format", "json").stdout)
    assert row["findings"] == str(run["reconciliation"]["disagreements"])


def test_strict_bounds_more_than_and_less_than(write_scenario, tmp_path):
    """The quarterly example's payback is 1.027042 years (by hand in test_scenario_shapes): more than 1 and
    less than 1.5 hold; more than 1.03 and less than 1 do not. Actual spend is £157,000: more than 157,000 is
    strict and fails, where at least 157,000 holds."""
    text = QUARTERLY.read_text(encoding="utf-8")
    start = text.index("published_results:")
    end = text.index("\n\n", start) if "\n\n" in text[start:] else len(text)
    results = """published_results:
  - {label: a, figure: payback_years, more_than: 1}
  - {label: b, figure: payback_years, less_than: 1.5}
  - {label: c, figure: payback_years, more_than: 1.03}
  - {label: d, figure: payback_years, less_than: 1}
  - {label: e, figure: actual_total, more_than: 157000}
  - {label: f, figure: actual_total, at_least: 157000}"""
    path = write_scenario(text[:start] + results + text[end:])
    document = json.loads(cli("run", path, "--format", "json").stdout)
    checks = [(r["label"], r["test"], r["agrees"]) for r in document["reconciliation"]["results"]]
    assert checks == [("a", "more than", True), ("b", "less than", True), ("c", "more than", False),
                      ("d", "less than", False), ("e", "more than", False), ("f", "at least", True)]
    shown = cli("run", path).stdout
    assert "more than 1 year" in shown and "less than 1.5 years" in shown
    book = path.with_suffix(".xlsx")
    assert cli("export", path, "-o", book).exit_code == 0
    from tests.test_export import recalculated

    values = recalculated(book, tmp_path)  # the workbook's own formulas, recalculated in LibreOffice
    statuses = [c.value for ws in values.worksheets for row in ws.iter_rows() for c in row
                if c.value in ("agrees", "DOES NOT AGREE")]
    assert statuses == ["agrees", "agrees", "DOES NOT AGREE", "DOES NOT AGREE", "DOES NOT AGREE", "agrees"]
