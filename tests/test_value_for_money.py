"""The value-for-money statement of an appraised run: the BCR's category on the DfT scale, before the impacts
not valued in money, on every face. The edge-of-care example's BCR is 3.341312 (tests/test_green_book.py works
it out by hand): between 2 and 4, "high"."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from .conftest import cli, run_json

ROOT = Path(__file__).resolve().parent.parent
EDGE = ROOT / "scenarios" / "edge-of-care-example.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def test_the_statement_on_every_face(tmp_path):
    data = run_json(EDGE)
    assert data["headlines"]["bcr"]["value"] == "3.341312"
    statement = data["value_for_money"]
    assert statement["category"] == "high" and statement["before_unmonetised"] == "none listed"
    assert statement["scale"].startswith("Department for Transport, Value for Money Framework")
    rows = list(csv.reader(io.StringIO(cli("run", EDGE, "--format", "csv").stdout)))
    assert ["value_for_money", "category", "text",
            "DfT scale, before unmonetised impacts: none listed", "", "high"] in rows
    shown = " ".join(cli("run", EDGE).stdout.split())
    assert "On the Department for Transport's scale that is high value for money (a BCR of 2 to 4), before the impacts not " \
           "valued in money (none listed)." in shown
    page = tmp_path / "r.html"
    assert cli("report", EDGE, "-o", page).exit_code == 0
    assert "that is high value for money" in " ".join(page.read_text(encoding="utf-8").split())
    # not appraised: no category, and JSON says so with null rather than a guess
    assert run_json(ROOT / "scenarios" / "dorset-rsw.yaml")["value_for_money"] is None


def test_the_statement_counts_the_listed_impacts(write_scenario):
    text = EDGE.read_text(encoding="utf-8")
    text += "unmonetised:\n  - {impact: Family stability, direction: positive, scale: moderate}\n"
    path = write_scenario(text)
    data = run_json(path)
    assert data["value_for_money"]["before_unmonetised"] == "1 listed (1 positive)"
    assert "high value for money (a BCR of 2 to 4), before the impacts not valued in money: 1 listed (1 positive), to weigh beside it" \
        in " ".join(cli("run", path).stdout.split())


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is needed (.ci/run installs it)")
def test_the_workbook_category_follows_its_inputs_in_libreoffice(tmp_path):
    """As written (3.34: high); with the placement's unit cost at £20,000, £40,000 and £60,000 the BCR is
    0.77, 1.17 and 1.56 (cba run --set): poor, low and medium, each recalculated from the edited cell."""
    from .test_export import recalculated_all

    book = tmp_path / "edge.xlsx"
    assert cli("export", EDGE, "-o", book).exit_code == 0
    edited = []
    for value in (20000, 40000, 60000):
        wb = openpyxl.load_workbook(book)
        units = wb["Unit costs"]
        row = next(r for r in range(2, units.max_row + 1) if units.cell(r, 1).value == "eoc-placement")
        units.cell(row, 4).value = value
        path = tmp_path / f"edge-{value}.xlsx"
        wb.save(path)
        edited.append(path)
    books = recalculated_all([book, *edited], tmp_path)
    got = []
    for wb in books:
        ws = wb["Summary"]
        got.append(next(r[1].value for r in ws.iter_rows() if str(r[0].value).startswith("Value for money")))
    expected = ["high"] + [
        run_json(EDGE, "--set", f"eoc-placement={v}")["value_for_money"]["category"] for v in (20000, 40000, 60000)
    ]
    assert expected == ["high", "poor", "low", "medium"]
    assert got == expected
