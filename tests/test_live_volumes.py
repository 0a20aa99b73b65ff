"""Issue 28, item 1: a benefit's volume is live in the workbook. Baseline, follow-up, a cohort's participants,
engagement and success (Benefits sheet), its lag, duration and drop-off and a cohort's intakes (Appraisal
sheet) each drive the volume row and every figure after it, the way ``cba run --set`` moves them.

Each case edits one input cell as an auditor would, recalculates in LibreOffice with recalculation forced
(tests/test_export.py: a planted wrong stored value is replaced), and checks every headline against
``cba run --set <the same change> --format json`` to the penny. The first two are the auditor's cases in the
issue: before, the NPV did not move (£1,553,985.77 and £2,625,159.46).
"""

from __future__ import annotations

import json
from decimal import Decimal

import openpyxl
import pytest

from tests.conftest import ROOT, cli
from tests.test_export import check_headlines, recalculated_all

SCENARIOS = ROOT / "scenarios"


def benefits_cell(wb, outcome: str, header: str) -> str:
    """The Benefits sheet's cell for one outcome's column, found by the outcome's id and the column's title."""
    ws = wb["Benefits"]
    column = next(c.column_letter for c in ws[1] if c.value == header)
    row = next(r[0].row for r in ws.iter_rows(min_row=2) if r[0].value == outcome)
    return f"Benefits!{column}{row}"


def appraisal_cell(wb, outcome: str, label: str, column: str = "B") -> str:
    """The Appraisal sheet's cell on the first row starting with ``label`` in the outcome's block."""
    ws = wb["Appraisal"]
    rows = [r[0] for r in ws.iter_rows(min_col=1, max_col=1)]
    start = next(c.row for c in rows if str(c.value or "").startswith(f"{outcome}:"))
    row = next(c.row for c in rows[start:] if str(c.value or "").startswith(label))
    return f"Appraisal!{column}{row}"


DORSET_LAC = ("dorset-rsw", ("-a", "lac", "--green-book"))
EDGE = ("edge-of-care-example", ())
#: (scenario and export options, the cell, its new value, the --set that says the same, an NPV the issue states)
CASES = [
    pytest.param(*DORSET_LAC, lambda wb: benefits_cell(wb, "lac", "Follow-up"), 400,
                 "outcomes.lac.follow_up=400", Decimal("2657139.21"), id="dorset-lac-follow-up"),
    pytest.param(*DORSET_LAC, lambda wb: benefits_cell(wb, "lac", "Baseline"), 500,
                 "outcomes.lac.baseline=500", None, id="dorset-lac-baseline"),
    pytest.param(*EDGE, lambda wb: benefits_cell(wb, "placements", "Participants (cohort)"), 120,
                 "outcomes.placements.cohort.size=120", Decimal("5949887.88"), id="edge-cohort-size"),
    pytest.param(*EDGE, lambda wb: benefits_cell(wb, "placements", "Engagement (cohort)"), 0.5,
                 "outcomes.placements.cohort.engagement=0.5", None, id="edge-engagement"),
    pytest.param(*EDGE, lambda wb: benefits_cell(wb, "wellbeing", "Success (of those engaged)"), 0.4,
                 "outcomes.wellbeing.cohort.success=0.4", None, id="edge-success-health-discounted"),
    pytest.param(*EDGE, lambda wb: appraisal_cell(wb, "placements", "First benefit year"), 2,
                 "outcomes.placements.timing.start_year=2", None, id="edge-lag"),
    pytest.param(*EDGE, lambda wb: appraisal_cell(wb, "wellbeing", "Years the benefit lasts"), 2,
                 "outcomes.wellbeing.timing.duration=2", None, id="edge-duration"),
    pytest.param(*EDGE, lambda wb: appraisal_cell(wb, "placements", "Drop-off"), 0.3,
                 "outcomes.placements.timing.drop_off=0.3", None, id="edge-drop-off"),
    pytest.param(*EDGE, lambda wb: benefits_cell(wb, "camhs", "Follow-up"), 90,
                 "outcomes.camhs.follow_up=90", None, id="edge-change-over-four-years"),
    pytest.param("family-support-example", (), lambda wb: appraisal_cell(wb, "lac", "Intake", "D"), 100,
                 "outcomes.lac.cohort.intake.2024/25=100", None, id="family-second-intake"),
    pytest.param("care-proceedings-example", (), lambda wb: benefits_cell(wb, "care_orders#1", "Follow-up"), 18,
                 "outcomes.care_orders.follow_up=18", None, id="care-orders-five-values-one-volume"),
]


def test_each_volume_input_moves_the_headlines_as_cba_run_set_does(tmp_path):
    """One LibreOffice start recalculates every edited workbook (each start costs seconds)."""
    edited, expected = [], []
    for k, case in enumerate(CASES):
        stem, options, where, value, setting, npv = case.values
        book = tmp_path / f"{k}-{stem}.xlsx"
        assert cli("export", SCENARIOS / f"{stem}.yaml", "-o", book, *options).exit_code == 0
        wb = openpyxl.load_workbook(book)
        sheet, cell = where(wb).split("!")
        assert wb[sheet][cell].fill.fgColor.rgb == "00FFF8DC", (case.id, sheet, cell)  # styled as an input
        wb[sheet][cell] = value
        wb.save(book)
        run = cli("run", SCENARIOS / f"{stem}.yaml", *options, "--set", setting, "--format", "json")
        assert run.exit_code == 0, run.stderr
        data = json.loads(run.stdout)
        if npv is not None:
            assert Decimal(data["headlines"]["npv"]["value"]) == npv, case.id
        edited.append(book)
        expected.append(data)
    for case, book, data in zip(CASES, recalculated_all(edited, tmp_path), expected):
        try:
            check_headlines(book, data)
        except AssertionError as e:
            raise AssertionError(f"{case.id}: {e}") from None
