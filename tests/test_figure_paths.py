"""Published results that name any figure of ``cba run --format json`` by its path there (issue 30, item 1).

Each figure below is worked by hand from the scenario as written; the consistency tests at the end check that
every figure of every bundled scenario's JSON can be named by its path and is found there, exactly.
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import DORSET, ROOT, cli

SCENARIOS = ROOT / "scenarios"
COURT = SCENARIOS / "court-arms-example.yaml"
BOND = SCENARIOS / "impact-bond-example.yaml"


def results(tmp_path, base, items: str, *args: str, name: str = "p.yaml"):
    """Run a variant of a bundled scenario that adds published results; (exit, JSON results or stderr)."""
    path = tmp_path / name
    path.write_text(f"extends: {base}\npublished_results:\n{items}", encoding="utf-8")
    run = cli("run", path, "--format", "json", *args)
    if run.exit_code:
        return run.exit_code, run.stderr
    return 0, json.loads(run.stdout)["reconciliation"]["results"]


def test_court_arms_figures_by_path_worked_by_hand(tmp_path):
    per_case = Decimal(426600) / Decimal("17.1")  # (8,740 - 4,000) x 90 families over (0.65 - 0.46) x 90 children
    assert per_case.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("24947.37")
    code, found = results(
        tmp_path,
        COURT,
        "  - {label: cost per child kept out of care, figure: 'cost_per_outcome[in_care].per_outcome', value: 24947.37}\n"
        "  - {label: fewer in care per child, figure: 'arms.items[in_care].difference', value: -0.19}\n"
        "  - {label: same item by its label, figure: 'arms.items[Children in care a year on].total', value: -17.1}\n"
        "  - {label: extra cost, figure: 'arms.items[Court and specialist team].total', value: 426600}\n",
    )
    assert code == 0, found
    assert [r["agrees"] for r in found] == [True, True, True, True]
    assert found[0]["computed"] == "24947.37" and found[1]["computed"] == "-0.19"


def test_an_exact_figure_is_compared_exactly_not_as_the_json_rounds_it(tmp_path):
    # Dorset's cost per referral avoided: funding 1,849,537 over 4,890 - 4,690 = 200 referrals = 9,247.685 exactly;
    # the JSON writes 9247.69, but a source printing 9,247.685 agrees only with the exact figure.
    code, found = results(
        tmp_path,
        DORSET,
        "  - {label: to the tenth of a penny, figure: 'cost_per_outcome[referrals].per_outcome', value: 9247.685,"
        " to: 0.001}\n"
        "  - {label: to the penny, figure: 'cost_per_outcome[referrals].per_outcome', value: 9247.69}\n"
        "  - {label: lac change, figure: 'outcomes[lac].change', value: -60}\n",  # 420 - 480
    )
    assert code == 0, found
    assert [r["agrees"] for r in found] == [True, True, True]
    assert found[0]["computed_as_published"] == "9247.69"  # the JSON's money is to the penny; the check was not


def test_impact_bond_party_and_transfer_by_path(tmp_path):
    # 20,000 per child kept out of care, 4 then 6: 80,000 then 120,000, capped at 150,000 in all: 80,000 + 70,000.
    # The investors receive it; at 3.5% their present value is 80,000 + 70,000 / 1.035.
    received = (Decimal(80000) + Decimal(70000) / Decimal("1.035")).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert received == Decimal("147632.85")
    code, found = results(
        tmp_path,
        BOND,
        "  - {label: paid in all, figure: 'transfers[Outcome payments].total', value: 150000}\n"
        "  - {label: paid in year 2, figure: 'transfers[Outcome payments].paid[2023/24]', value: 70000}\n"
        f"  - {{label: investors' net, figure: 'appraisal.who_pays_and_benefits[Social investors].net', value: {received}}}\n"
        "  - {label: more than, figure: 'transfers[Outcome payments].total', more_than: 149999.99}\n",
    )
    assert code == 0, found
    assert [r["agrees"] for r in found] == [True, True, True, True]


def test_a_path_into_the_appraisal_needs_one(tmp_path):
    code, found = results(
        tmp_path,
        COURT,
        "  - {label: LA net, figure: 'appraisal.who_pays_and_benefits[Local Authority].net', value: 1}\n",
    )
    assert code == 0
    assert found[0]["computed"] is None and found[0]["why_not_computed"].startswith("needs an appraisal")


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (
            "outcomes[in_cre].attributable_value",
            "no item [in_cre] in outcomes (did you mean 'outcomes[in_care].attributable_value'?); it has in_care",
        ),
        (
            "cost_per_outcome[in_care].per_outcom",
            "no 'per_outcom' in cost_per_outcome[in_care] (did you mean 'cost_per_outcome[in_care].per_outcome'?)",
        ),
        ("outcomes[in_care]", "outcomes[in_care] holds several figures: name one of baseline, follow_up, change"),
        ("outcomes[in_care].measure", "outcomes[in_care].measure is text, not a figure"),
        ("outcomes.value", "outcomes is a list: pick an item in brackets, e.g. outcomes[in_care]"),
        (
            "switching_values[in_care].units_needed",
            "switching_values[in_care] names 2 items: write [in_care, net_position] or [in_care, npv]",
        ),
        ("transfers[0].total", "transfers has 0 items: [0] is past its end"),
    ],
)
def test_a_path_that_names_nothing_is_one_positioned_line_and_nothing_is_written(tmp_path, figure, message):
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"extends: {COURT}\npublished_results:\n  - label: the result\n    figure: '{figure}'\n    value: 1\n",
        encoding="utf-8",
    )
    book = tmp_path / "out.xlsx"
    run = cli("run", path, "--green-book", "--xlsx", book)
    assert run.exit_code == 1 and "Traceback" not in run.stderr
    (line,) = run.stderr.strip().splitlines()
    assert line.startswith(f"{path}:4:13: published result: the result: figure {figure}: {message}"), line
    assert not book.exists()  # refused before anything is written
    assert cli("validate", path).exit_code == 1  # validate reads the paths too (appraised, so all are checked)


def test_a_path_that_cannot_be_read_is_refused_by_the_rules(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        f"extends: {COURT}\npublished_results:\n  - {{label: x, figure: 'outcomes[in_care.value', value: 1}}\n",
        encoding="utf-8",
    )
    run = cli("validate", path)
    assert run.exit_code == 1
    assert run.stderr.strip() == f"{path}:3:24: cannot read the path: '[' at character 9 is not closed with ']'"


def test_strict_fails_on_a_disagreeing_path(tmp_path):
    code, err = results(
        tmp_path,
        COURT,
        "  - {label: wrong, figure: 'cost_per_outcome[in_care].per_outcome', value: 25000}\n",
        "--strict",
    )
    assert code == 1
    assert "published £25,000, cba's is £24,947.37: does not agree (--strict)" in err


def test_the_workbook_shows_a_path_result_with_cbas_figure(tmp_path):
    import openpyxl

    path = tmp_path / "p.yaml"
    path.write_text(
        f"extends: {COURT}\npublished_results:\n"
        "  - {label: per child, figure: 'cost_per_outcome[in_care].per_outcome', value: 24947.37}\n",
        encoding="utf-8",
    )
    book = tmp_path / "p.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    ws = openpyxl.load_workbook(book, data_only=True)["Reconciliation"]
    row = next(r for r in ws.iter_rows() if r[0].value == "per child")
    assert [c.value for c in row[1:5]] == [24947.37, pytest.approx(24947.368421), 24947.37, "agrees"]


# Consistency between the JSON and the paths: every figure the JSON carries is nameable, found, and exact.


def bundled_documents():
    from cba.cli.common import prepare
    from cba.cli.options import Appraisal
    from cba.render.json import exact_run_document

    for path in sorted(SCENARIOS.glob("*.yaml")):
        _, result = prepare(path, Appraisal(green_book=True))
        yield path.name, result, exact_run_document(result)


def test_consistency_every_figure_of_every_bundled_json_is_found_by_its_path():
    from cba.render.figure_paths import figure_paths, read
    from cba.render.json import run_document
    from cba.render.json_schema import figure_path_regex

    pattern = re.compile(figure_path_regex())
    for name, result, document in bundled_documents():
        assert json.dumps(document) == json.dumps(run_document(result)), name  # the same document, as written
        found = list(figure_paths(document))
        assert len(found) > 100, name
        for path, leaf in found:
            figure = read(document, path)
            assert not figure.unknown, (name, path, figure.unknown)
            assert figure.value == leaf.exact and figure.kind == leaf.kind, (name, path)
            if not path.startswith("reconciliation.identical_lines"):
                assert pattern.match(path), (name, path)


def test_the_schema_lists_the_paths_and_refuses_a_planted_wrong_one():
    from cba.render.json_schema import figure_path_regex, scenario_schema

    figure = scenario_schema()["$defs"]["PublishedResult"]["properties"]["figure"]
    assert "outcomes[<id>].attributable_value" in figure["examples"]
    assert "appraisal.who_pays_and_benefits[<agency>].net" in figure["examples"]
    pattern = re.compile(figure_path_regex())
    assert pattern.match("transfers[Outcome payments].total")
    assert not pattern.match("transfers[Outcome payments].totl")  # the check can fail
    committed = json.loads((ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert committed == scenario_schema()


def test_hostile_paths_are_one_line_each(tmp_path):
    """A brace in a pick once raised KeyError (the message was formatted after the user's text was in it), and a
    near name with an apostrophe was cut at it; each is now one positioned line, the name whole."""
    path = tmp_path / "hostile.yaml"
    path.write_text(
        f"extends: {DORSET}\npublished_results:\n"
        "  - {label: braces, figure: 'outcomes[{x}].value', value: 1}\n"
        '  - {label: apostrophe, figure: "funding.sources[DfE Childrens Social Care Innovation Programme grant].amount",'
        " value: 1}\n",
        encoding="utf-8",
    )
    run = cli("run", path)
    assert run.exit_code == 1 and "Traceback" not in run.stderr
    braces, apostrophe = run.stderr.strip().splitlines()
    assert braces.startswith(f"{path}:3:29: published result: braces: figure outcomes[{{x}}].value: no item [{{x}}]")
    assert (
        "(did you mean 'funding.sources[DfE Children's Social Care Innovation Programme grant].amount'?)" in apostrophe
    )
