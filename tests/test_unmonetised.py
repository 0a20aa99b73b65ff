"""Impacts not valued in money (issue 29, item 6): listed beside the headline on every face, never a figure,
and the conclusion says it is before them.

The scenario extends Dorset (Appendix 3) and adds three impacts; Dorset's own figures are checked by hand
in tests/test_dorset.py, and here they must not move: an unmonetised impact has no value.
"""

from __future__ import annotations

import csv
import io
import json

import jsonschema
import openpyxl

from tests.conftest import DORSET, ROOT, cli, only_problem, run_json

RUN_SCHEMA = json.loads((ROOT / "schema" / "run.schema.json").read_text(encoding="utf-8"))

IMPACTS = f"""extends: {DORSET}
unmonetised:
  - impact: Social workers' confidence in relational practice
    direction: positive
    scale: moderate
    affects: the workforce
    source: "Workforce survey, wave 2"
    note: a low response rate
  - impact: Time away from casework while training
    direction: negative
    scale: small
  - impact: Staff turnover
    direction: uncertain
"""
TALLY = "3 listed (1 positive, 1 negative, 1 uncertain)"


def _scenario(tmp_path, text=IMPACTS):
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_figures_do_not_move_and_the_json_lists_each_impact(tmp_path):
    listed = run_json(_scenario(tmp_path), "-a", "lac", "--green-book")
    plain = run_json(DORSET, "-a", "lac", "--green-book")
    assert listed["headlines"] == plain["headlines"]  # NPV £1,553,985.77 either way: no impact carries a value
    assert listed["headlines"]["npv"]["value"] == "1553985.77"
    assert listed["unmonetised"] == [
        {"impact": "Social workers' confidence in relational practice", "direction": "positive", "scale": "moderate",
         "affects": "the workforce", "source": "Workforce survey, wave 2", "note": "a low response rate"},
        {"impact": "Time away from casework while training", "direction": "negative", "scale": "small",
         "affects": None, "source": None, "note": None},
        {"impact": "Staff turnover", "direction": "uncertain", "scale": "not known",  # the default: never guessed
         "affects": None, "source": None, "note": None},
    ]
    jsonschema.validate(listed, RUN_SCHEMA)
    assert plain["unmonetised"] == []


def test_the_conclusion_is_before_them_in_the_terminal_and_the_table_lists_them(tmp_path):
    out = cli("run", _scenario(tmp_path), "-a", "lac", "--green-book").stdout
    flat = " ".join(out.split())
    assert (
        "Net present value £1,553,985.77, BCR 1.89: public value exceeds the cost over the appraisal (discounted). "
        "On the Department for Transport's scale that is medium value for money (a BCR of 1.5 to 2), before the "
        f"impacts not valued in money: {TALLY}, to weigh beside it." in flat
    )
    assert "Impacts not valued in money (not in the NPV: weigh them beside it)" in out
    assert "Workforce survey, wave 2; a low response rate" in flat
    # undiscounted, the net position is the headline the impacts sit beside
    undiscounted = cli("run", _scenario(tmp_path)).stdout
    assert "Impacts not valued in money (not in the net position: weigh them beside it)" in undiscounted


def test_nothing_listed_is_said_in_the_value_for_money_statement():
    out = " ".join(cli("run", DORSET, "-a", "lac", "--green-book").stdout.split())
    assert "Net present value £1,553,985.77, BCR 1.89: public value exceeds the cost over the appraisal (discounted)." in out
    assert "medium value for money (a BCR of 1.5 to 2), before the impacts not valued in money (none listed)." in out
    # not appraised: no category, and the net position's conclusion says nothing of impacts it does not have
    assert "not valued in money" not in " ".join(cli("run", DORSET).stdout.split())


def test_csv_rows_say_each_impact_in_words_with_no_value_column_to_misread(tmp_path):
    text = cli("run", _scenario(tmp_path), "--format", "csv").stdout
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["section"] == "unmonetised"]
    assert [(r["item"], r["measure"], r["value"]) for r in rows] == [
        ("Social workers' confidence in relational practice", "direction", "positive"),
        ("Social workers' confidence in relational practice", "scale", "moderate"),
        ("Social workers' confidence in relational practice", "affects", "the workforce"),
        ("Social workers' confidence in relational practice", "source", "Workforce survey, wave 2"),
        ("Social workers' confidence in relational practice", "note", "a low response rate"),
        ("Time away from casework while training", "direction", "negative"),
        ("Time away from casework while training", "scale", "small"),
        ("Staff turnover", "direction", "uncertain"),
        ("Staff turnover", "scale", "not known"),
    ]
    assert {r["kind"] for r in rows} == {"text"}


def test_the_workbook_summary_lists_them_under_the_headline(tmp_path):
    book = tmp_path / "s.xlsx"
    assert cli("export", _scenario(tmp_path), "-a", "lac", "--green-book", "-o", book).exit_code == 0
    ws = openpyxl.load_workbook(book)["Summary"]
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(max_col=2)]
    title = next(i for i, (a, _) in enumerate(rows) if str(a).startswith("Impacts not valued in money"))
    assert rows[title][0] == f"Impacts not valued in money: {TALLY}; the headline is before them"
    assert rows[title + 1] == (
        "Social workers' confidence in relational practice",
        "positive; scale moderate; affects the workforce. Evidence: Workforce survey, wave 2; a low response rate",
    )
    assert rows[title + 3] == ("Staff turnover", "uncertain; scale not known; affects not stated.")
    headline = next(i for i, (a, _) in enumerate(rows) if a == "Headline figures")
    provenance = next(i for i, (a, _) in enumerate(rows) if a == "Provenance")
    assert headline < title < provenance  # beside the headline figures


def test_the_report_lists_them_under_the_headline_with_the_tally(tmp_path):
    page = tmp_path / "s.html"
    assert cli("report", _scenario(tmp_path), "-a", "lac", "--green-book", "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    headline, table, spend = html.index('id="headlines"'), html.index('id="unmonetised"'), html.index('id="spend"')
    assert headline < table < spend
    assert f"Impacts not valued in money: {TALLY}. The NPV is before them: weigh them beside it" in html
    assert f"before the impacts not valued in money: {TALLY}, to weigh beside it." in html


def test_an_impact_listed_twice_is_refused_where_the_second_is_written(tmp_path):
    text = IMPACTS + "  - impact: staff  TURNOVER\n    direction: negative\n"
    line = only_problem(_scenario(tmp_path, text))
    assert line.endswith(":14:13: 'staff  TURNOVER' is listed already (unmonetised item 3); list each impact once"), line


def test_a_direction_outside_the_three_is_refused_with_them(tmp_path):
    text = IMPACTS.replace("direction: uncertain", "direction: mixed")
    line = only_problem(_scenario(tmp_path, text))
    assert line.endswith(
        ":13:16: unmonetised[2].direction: Input should be 'positive', 'negative' or 'uncertain' (got 'mixed')"
    ), line


def test_hostile_text_stays_inert_on_every_face(tmp_path):
    text = (
        f"extends: {DORSET}\nunmonetised:\n"
        '  - impact: "=HYPERLINK(\\"http://x\\") \\u202e <script>x</script>"\n'
        "    direction: positive\n"
        '    source: "\\u0085 note"\n'
    )
    path = _scenario(tmp_path, text)
    terminal = cli("run", path).stdout
    assert "\u202e" not in terminal and "\\u202e" in terminal and "\x85" not in terminal
    comma = cli("run", path, "--format", "csv").stdout
    assert 'unmonetised,"\'=HYPERLINK' in comma  # never a formula in a spreadsheet
    page = tmp_path / "h.html"
    assert cli("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<script>x</script>" not in html and "\u202e" not in html and "\\u202e" in html
    book = tmp_path / "h.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    ws = openpyxl.load_workbook(book)["Summary"]
    cell = next(r[0] for r in ws.iter_rows(max_col=1) if str(r[0].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"  # text, not a formula


def test_the_tally_counts_only_the_directions_listed(tmp_path):
    text = f"extends: {DORSET}\nunmonetised:\n" + "".join(
        f"  - {{impact: Impact {i}, direction: positive}}\n" for i in range(2)
    )
    out = " ".join(cli("run", _scenario(tmp_path, text)).stdout.split())  # not appraised: no category to state
    assert "That is before the impacts not valued in money: 2 listed (2 positive), to weigh beside it." in out
