"""Evidence beside every input (issue 28, item 8): a cost line's, a funding source's and an outcome's
``source:`` and ``note:`` travel to the JSON, the CSV, the workbook's evidence columns and the report."""

from __future__ import annotations

import csv
import io
import json

import openpyxl

from tests.conftest import cli

SCENARIO = """name: Evidence
organisation: Anytown Council
price_base: 2019/20
periods: [2019/20]
cost_lines:
  - name: Family workers
    actual: {2019/20: 100000}
    source: "Finance ledger 2019/20, cost centre 4410"
    note: "=HYPERLINK(\\"http://x\\") <script>alert(1)</script>"
funding:
  - {name: Grant, amount: 90000, source: "DfE grant letter, 3 May 2019"}
outcomes:
  - id: lac
    measure: Children kept out of care
    volumes: {2019/20: 2}
    value: {amount: 50000, unit: per child, price_year: 2019/20, source: unit cost}
    source: "Case records, March 2020"
"""


def write(tmp_path):
    path = tmp_path / "e.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def test_json_and_csv_carry_each_inputs_evidence(tmp_path):
    path = write(tmp_path)
    document = json.loads(cli("run", path, "--format", "json").stdout)
    line = document["costs"]["lines"][0]
    assert line["source"] == "Finance ledger 2019/20, cost centre 4410" and line["note"].startswith("=HYPERLINK")
    assert document["funding"]["sources"][0]["source"] == "DfE grant letter, 3 May 2019"
    assert document["funding"]["sources"][0]["note"] is None
    assert document["outcomes"][0]["source"] == "Case records, March 2020"
    rows = list(csv.reader(io.StringIO(cli("run", path, "--format", "csv").stdout)))
    found = {(r[0], r[3]): r[5] for r in rows if r[3] in ("source", "note")}
    assert found[("cost_line", "source")] == "Finance ledger 2019/20, cost centre 4410"
    assert found[("cost_line", "note")].startswith("'=HYPERLINK")  # inert in a spreadsheet
    assert found[("funding", "source")] == "DfE grant letter, 3 May 2019"
    assert found[("outcome", "source")] == "Case records, March 2020"


def test_the_workbook_shows_evidence_beside_the_inputs(tmp_path):
    path = write(tmp_path)
    book = tmp_path / "e.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    wb = openpyxl.load_workbook(book)

    def evidence(sheet: str, row: int) -> str:
        ws = wb[sheet]
        column = next(c.column for c in ws[1] if c.value == "Evidence (source; note)")
        cell = ws.cell(row, column)
        assert cell.data_type == "s"  # text, never a formula
        return cell.value

    assert evidence("Costs", 2) == (
        'Finance ledger 2019/20, cost centre 4410; =HYPERLINK("http://x") <script>alert(1)</script>'
    )
    assert evidence("Funding", 2) == "DfE grant letter, 3 May 2019"
    assert evidence("Benefits", 2) == "Case records, March 2020"
    assert wb["Costs"].row_dimensions[2].height >= 30  # two lines of wrapped text: the row is tall enough


def test_the_report_lists_the_evidence_as_inert_text(tmp_path):
    path = write(tmp_path)
    page = tmp_path / "e.html"
    assert cli("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    table = html[html.index('<table id="evidence"') :]
    table = table[: table.index("</table>")]
    assert "Finance ledger 2019/20, cost centre 4410" in table and "DfE grant letter, 3 May 2019" in table
    assert "Case records, March 2020" in table
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in table


def test_a_one_line_source_keeps_its_row_one_line_tall(tmp_path):
    """Dorset's cost lines each name their table in about 50 characters: one line in the evidence column. The
    height was once fitted before the column had its width, and every row printed five lines tall."""
    from tests.conftest import DORSET

    book = tmp_path / "d.xlsx"
    assert cli("export", DORSET, "-o", book).exit_code == 0
    costs = openpyxl.load_workbook(book)["Costs"]
    assert costs["A2"].value == "Programme Management"
    assert (costs.row_dimensions[2].height or 15) <= 15
