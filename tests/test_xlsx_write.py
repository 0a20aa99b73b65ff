"""cba's sheet writer against openpyxl's own (a consistency test between two writers of one workbook).

``cba.render.xlsx_write`` writes each sheet's cells itself, with each formula's result beside it;
openpyxl writes the rest. For every bundled scenario (and hostile text) the same built workbook is
saved both ways and read back with openpyxl: every cell's value, type, formula and style must be
the same, and each stored result must be the one cba computed. The figures themselves are
checked against the engine and LibreOffice elsewhere (tests/test_export.py).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from cba.cli.common import prepare
from cba.cli.options import Appraisal
from cba.model.ranges import DEFAULT_DRAWS, DEFAULT_SEED
from cba.render.xlsx import build_workbook
from cba.render.xlsx_values import fit_formats, result_of, stored_results
from cba.render.xlsx_write import _text, save
from tests.conftest import ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def _built(scenario: Path, **given):
    _, result = prepare(scenario, Appraisal.of(given), (DEFAULT_DRAWS, DEFAULT_SEED))
    wb = build_workbook(result)
    results = stored_results(wb)
    fit_formats(wb, results)
    return wb, results


def _cells(path: Path, data_only: bool) -> dict:
    wb = openpyxl.load_workbook(path, data_only=data_only)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                out[(ws.title, c.coordinate)] = (
                    c.value,
                    c.data_type,
                    c.number_format,
                    c.font.b,
                    c.font.color.rgb if c.font.color is not None else None,
                    c.fill.fgColor.rgb,
                    c.alignment.wrap_text,
                    c.hyperlink.location if c.hyperlink is not None else None,
                )
        out[(ws.title, "dims")] = {r: (d.height, d.customHeight) for r, d in ws.row_dimensions.items() if d.height}
    return out


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_every_cell_is_as_openpyxl_writes_it_and_each_result_is_stored(scenario, tmp_path):
    wb, results = _built(scenario, attributable=("lac",), green_book=True) if "dorset" in scenario.stem else _built(
        scenario
    )
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save(wb, ours, results)
    wb.save(theirs)  # openpyxl's writer: the same cells, formulas with no results
    assert _cells(ours, data_only=False) == _cells(theirs, data_only=False)
    stored = openpyxl.load_workbook(ours, data_only=True)
    formulas = 0
    for built in wb.worksheets:  # every formula: those placed with the engine's figure, and those evaluated
        ws, cells = stored[built.title], results[built.title]
        for (row, column), cell in built._cells.items():
            if cell.data_type != "f":
                continue
            value = result_of(cell, cells)
            got = ws.cell(row=row, column=column).value
            if isinstance(value, Decimal):
                assert got == pytest.approx(float(value), rel=1e-15, abs=1e-12), (built.title, row, column)  # read as a double
            else:  # a flag, or text: an empty text reads back as an empty cell
                assert got == (value if value != "" else None), (built.title, row, column)
            formulas += 1
    assert formulas > 50


def test_text_is_escaped_as_lxml_escapes_it():
    assert _text('a & b < c > d\r"e"') == 'a &amp; b &lt; c &gt; d&#13;"e"'
    assert _text("£1,000") == "£1,000"


def test_hostile_text_is_written_as_openpyxl_writes_it(write_scenario, tmp_path):
    path = write_scenario(
        "name: '  <b>Tom & \"Jerry\"</b> '\n"
        "organisation: '=HYPERLINK(\"http://x\")'\n"
        "price_base: 2019/20\n"
        "periods: [2019/20]\n"
        "funding: [{name: '<grant> & more ', amount: 100}]\n"
        "cost_lines:\n"
        "  - {name: ' lead & <space> ', kind: direct, budget: {2019/20: 50}, actual: {2019/20: 60.5},\n"
        "     source: 'Table 4 <p.3> & \"notes\"', note: \"  trailing  \"}\n"
    )
    wb, results = _built(path)
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save(wb, ours, results)
    wb.save(theirs)
    mine = _cells(ours, data_only=False)
    assert mine == _cells(theirs, data_only=False)
    assert (("Costs", "A2") in mine) and mine[("Costs", "A2")][0] == " lead & <space> "  # spaces kept, not markup


def test_a_cell_cba_never_writes_itself_is_written_by_openpyxl_as_openpyxl_writes_it(tmp_path):
    """The writer hands what it does not write (a date, rich text) to openpyxl's own cell writer: a consistency
    test of that fallback, which no bundled workbook reaches."""
    import datetime

    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = datetime.date(2019, 4, 1)
    ws["A2"] = CellRichText(["plain ", TextBlock(InlineFont(b=True), "bold")])
    ws["A3"] = 12.5
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    save(wb, ours, {})
    wb.save(theirs)
    assert _cells(ours, data_only=False) == _cells(theirs, data_only=False)
    back = openpyxl.load_workbook(ours, rich_text=True).active
    assert back["A1"].value == datetime.datetime(2019, 4, 1) and str(back["A2"].value) == "plain bold"
