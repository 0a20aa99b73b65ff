"""Issue 28, item 9: ``cba diff EDITED.xlsx`` reads an auditor's edits back as a change to the scenario:
``--set`` lines, a patch that keeps the file's comments and layout, and ``--write`` to apply it. A cell no
scenario field can express is reported, never dropped; a workbook whose scenario has changed since is
refused. Tested as an auditor would: edit cells with openpyxl, diff, apply, run, and compare with the
workbook recalculated in LibreOffice."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import ROOT, cli
from tests.test_export import check_headlines, recalculated

DORSET = ROOT / "scenarios" / "dorset-rsw.yaml"
LAC = ("-a", "lac", "--green-book")


@pytest.fixture
def exported(tmp_path):
    """A copy of Dorset beside its workbook, exported the Green Book way with looked-after children counted."""
    scenario = tmp_path / "dorset-rsw.yaml"
    shutil.copy(DORSET, scenario)
    book = tmp_path / "dorset.xlsx"
    assert cli("export", scenario, "-o", book, *LAC).exit_code == 0
    return scenario, book


def edit(book: Path, target: Path, **cells: object) -> Path:
    """The workbook with cells changed, as an auditor would type them: {"Benefits!D5": 400}."""
    wb = openpyxl.load_workbook(book)
    for where, value in cells.items():
        sheet, cell = where.split("!")
        wb[sheet.replace("_", " ")][cell] = value
    wb.save(target)
    return target


def diff_json(*args: object) -> dict:
    result = cli("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_each_edit_is_a_set_line_and_the_run_with_them_equals_the_recalculated_workbook(exported, tmp_path):
    scenario, book = exported
    # the auditor's case in the issue (420 -> 400), a line's spend and a unit cost
    edited = edit(book, tmp_path / "edited.xlsx", **{"Benefits!D5": 400, "Costs!H2": 70000, "Unit_costs!D2": 60000})
    found = diff_json(edited)
    assert [c["set"] for c in found["changes"]] == [
        "cost_lines.0.actual.2016/17=70000",
        "lac-year=60000",
        "outcomes.lac.follow_up=400",
    ]
    assert found["not_expressible"] == [] and found["unit_costs"] == {"lac-year": "60000"}
    assert found["run"] == (
        f"cba run {scenario} -a lac --green-book --set cost_lines.0.actual.2016/17=70000 --set lac-year=60000 "
        "--set outcomes.lac.follow_up=400"
    )
    sets = [a for c in found["changes"] for a in ("--set", c["set"])]
    run = json.loads(cli("run", scenario, *LAC, *sets, "--format", "json").stdout)
    check_headlines(recalculated(edited, tmp_path), run)  # every headline, to the penny
    alone = json.loads(cli("run", scenario, *LAC, "--set", "outcomes.lac.follow_up=400", "--format", "json").stdout)
    assert alone["headlines"]["npv"]["value"] == "2657139.21"  # the figure for 420 -> 400


def test_write_changes_only_the_edited_values_and_keeps_every_comment(exported, tmp_path):
    scenario, book = exported
    before = scenario.read_text(encoding="utf-8").splitlines()
    edited = edit(book, tmp_path / "edited.xlsx", **{"Benefits!D5": 400, "Costs!H2": 70000, "Unit_costs!D2": 60000})
    result = cli("diff", edited, "--write")
    assert result.exit_code == 0, result.stderr
    assert "not written (unit-cost tables, --set only): lac-year" in result.stderr
    after = scenario.read_text(encoding="utf-8").splitlines()
    changed = [(a, b) for a, b in zip(before, after) if a != b]
    assert len(after) == len(before) and changed == [
        (
            "    actual: {2016/17: 30818, 2017/18: 139410, 2018/19: 65814, 2019/20: 43552}",
            "    actual: {2016/17: 70000, 2017/18: 139410, 2018/19: 65814, 2019/20: 43552}",
        ),
        ("    follow_up: 420", "    follow_up: 400"),
    ]
    # the written scenario, with the unit cost the table holds, is the edited workbook's run
    written = json.loads(cli("run", scenario, *LAC, "--set", "lac-year=60000", "--format", "json").stdout)
    check_headlines(recalculated(edited, tmp_path), written)
    # the workbook was made from the scenario as it was: it is now refused, not read against the new one
    again = cli("diff", edited)
    assert again.exit_code == 2 and "has changed since" in again.stderr and again.stderr.count("\n") == 1


def test_a_cell_no_scenario_field_holds_is_reported_not_dropped(exported, tmp_path):
    scenario, book = exported
    text = scenario.read_text(encoding="utf-8")
    # a deflator of the series (reference data) and a formula typed over with a number
    deflators = openpyxl.load_workbook(book)["Deflators"]
    row = next(r[0].row for r in deflators.iter_rows(min_row=2) if r[0].value == "2019/20")
    edited = edit(book, tmp_path / "edited.xlsx", **{f"Deflators!B{row}": 91, "Benefits!E5": -100})
    found = diff_json(edited)
    assert found["changes"] == [] and found["run"] is None and found["patch"] is None
    assert [(c["sheet"], c["cell"], c["now"]) for c in found["not_expressible"]] == [
        ("Deflators", f"B{row}", "91"),
        ("Benefits", "E5", "-100"),
    ]
    assert "reference data" in found["not_expressible"][0]["why"]
    assert "a formula was replaced" in found["not_expressible"][1]["why"]
    result = cli("diff", edited, "--write")
    assert result.exit_code == 0 and "nothing to write" in result.stderr
    assert scenario.read_text(encoding="utf-8") == text  # untouched


def test_an_unedited_workbook_has_no_changes(exported):
    _, book = exported
    result = cli("diff", book)
    assert result.exit_code == 0 and result.stdout.startswith("No input of")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("scenario changed", "has changed since"),
        ("scenario gone", "which is not here; give the scenario"),
        ("not cba's", "not a cba audit workbook"),
        ("a table of results", "not a cba audit workbook"),
        ("not a workbook", "not a workbook (.xlsx is a zip archive)"),
        ("not a number", "Benefits!D5 (lac, Follow-up): --set: outcomes.3.follow_up: 'lots' is not an amount"),
    ],
)
def test_what_cannot_be_read_back_is_one_line_and_writes_nothing(exported, tmp_path, case, message):
    scenario, book = exported
    target = book
    if case == "scenario changed":
        scenario.write_text(scenario.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    elif case == "scenario gone":
        scenario.rename(tmp_path / "moved.yaml")
    elif case == "not cba's":
        target = tmp_path / "blank.xlsx"
        openpyxl.Workbook().save(target)
    elif case == "a table of results":
        target = tmp_path / "whatif.xlsx"
        assert cli("whatif", scenario, "--vary", "lac=-10", "--xlsx", target).exit_code == 0
    elif case == "not a workbook":
        target = tmp_path / "notes.xlsx"
        target.write_text("not a zip", encoding="utf-8")
    else:
        target = edit(book, tmp_path / "edited.xlsx", **{"Benefits!D5": "lots"})
    text = scenario.read_text(encoding="utf-8") if scenario.exists() else None
    result = cli("diff", target, "--write")
    assert result.exit_code != 0 and result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    if text is not None:
        assert scenario.read_text(encoding="utf-8") == text


def test_a_layout_cba_cannot_keep_gets_the_set_lines_and_no_patch(tmp_path):
    # a three-space indent: no indentation cba knows writes the file back unchanged
    scenario = tmp_path / "odd.yaml"
    scenario.write_text(
        "name: Odd layout\norganisation: Anytown\nperiods: [2022/23]\nprice_base: 2022/23\n"
        "net_position_basis: actual\ncost_lines:\n   -  name: Team\n      actual: {2022/23: 1000}\n",
        encoding="utf-8",
    )
    book = tmp_path / "odd.xlsx"
    assert cli("export", scenario, "-o", book).exit_code == 0
    edited = edit(book, tmp_path / "edited.xlsx", **{"Costs!E2": 2000})
    found = diff_json(edited)
    assert [c["set"] for c in found["changes"]] == ["cost_lines.0.actual.2022/23=2000"]
    assert found["patch"] is None and "layout cannot be kept" in found["why_no_patch"]
    text = scenario.read_text(encoding="utf-8")
    result = cli("diff", edited, "--write")
    assert result.exit_code == 2 and "--write:" in result.stderr and scenario.read_text(encoding="utf-8") == text


def test_text_typed_into_the_workbook_is_shown_inert(exported, tmp_path):
    _, book = exported
    # a bidi override and a zero-width space (a workbook cannot hold the C0 controls a terminal obeys)
    edited = edit(book, tmp_path / "edited.xlsx", **{"Deflators!B2": "\u202e91\u200b"})
    result = cli("diff", edited)
    assert result.exit_code == 0
    assert "\u202e" not in result.stdout and "\u200b" not in result.stdout
    assert "Deflators!B2" in result.stdout and "\\u202e91\\u200b" in result.stdout
