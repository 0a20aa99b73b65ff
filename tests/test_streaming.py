"""Issue 32, items 1-3: the scenario is read in one pass over the parser's events with no node tree kept,
the JSON is written as it is made, and the engine's per-period work is done once.

Consistency tests (named so): the event reader gives the data the node tree gives; the streamed JSON is
``json.dumps(indent=2)``'s text byte for byte. Truth tests: each refused YAML form is one positioned line.
"""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import cba.io.parse
import cba.io.positions
from cba.io import yamlsafe
from cba.io.yamlsafe import build_data, compose_tree, load_yaml
from cba.model.errors import InputError

from .conftest import ROOT, cli

BUNDLED = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "cba" / "starters").glob("*.yaml"))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_consistency_events_give_the_data_the_node_tree_gives(path: Path):
    text = path.read_text(encoding="utf-8")
    from_events = load_yaml(text, path.name)
    from_tree = build_data(compose_tree(text), path.name)
    assert from_events == from_tree
    assert repr(from_events) == repr(from_tree)  # types too: 1200.10 is Decimal('1200.10'), 12 an int


def _problems(text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        load_yaml(text, "s.yaml")
    return [str(d) for d in caught.value.diagnostics]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a: 1\na: 2\n", ["s.yaml:2:1: duplicate key 'a' (first given on line 1); remove one"]),
        ("<<: {a: 1}\nb: 2\n", ["s.yaml:1:1: YAML merge keys (<<) are not allowed"]),
        ("{[1]: 2, c: 3}", ["s.yaml:1:2: a key must be plain text, not a list or mapping"]),
        # a refused key's value is not read: its bad number is not reported, but an alias anywhere is
        ("a: 1\na: 0x1F\n", ["s.yaml:2:1: duplicate key 'a' (first given on line 1); remove one"]),
        ("? [a]\n: {b: *q}\nc: 1\n", ["s.yaml:2:7: YAML alias *q is not allowed; write the value out in full"]),
        ("a: !!bool maybe\n", ["s.yaml:1:4: 'maybe' is not true or false"]),
        ("a: !!set {b: null}\n", ["s.yaml:1:4: unsupported YAML tag tag:yaml.org,2002:set"]),
        (
            "a: 1\n---\nb: 2\n",
            ["s.yaml:2:1: YAML syntax error: expected a single document in the stream but found another document"],
        ),
        (
            "a: &x 1\nb: &x 2\n",
            ["s.yaml:2:4: YAML syntax error: found duplicate anchor; first occurrence second occurrence"],
        ),
        ("# only a comment\n", ["s.yaml:1:1: file holds no YAML document"]),
        (
            "a: [1, 010, .nan]\n",
            [
                "s.yaml:1:8: '010' would be read as an octal number (YAML 1.1 reads a leading 0 as base 8: 010 is 8); "
                "write plain base-10 digits without a leading zero (e.g. 1750), or quote it if it is text",
                "s.yaml:1:13: '.nan' is not a finite number; give an amount",
            ],
        ),
    ],
)
def test_each_refused_form_is_one_positioned_line(text: str, expected: list[str]):
    assert _problems(text) == expected


def test_plain_scalars_resolve_as_yaml_1_1_does():
    data = load_yaml("a: [0, 7, 1750, 1_000, 12.50, yes, 'yes', ~, '', 2019-04-01, 2019/20, '0']\n", "s.yaml")
    assert data == {"a": [0, 7, 1750, 1000, Decimal("12.50"), True, "yes", None, "", "2019-04-01", "2019/20", "0"]}
    assert [type(v).__name__ for v in data["a"]][:5] == ["int", "int", "int", "int", "Decimal"]
    assert type(data["a"][9]).__name__ == "DateText"


@pytest.mark.parametrize("name", ["dorset-rsw.yaml", "family-support-example.yaml", "large"])
def test_a_valid_scenario_is_read_without_a_whole_node_tree(monkeypatch, write_scenario, name):
    """No whole tree for a valid run (that is only for extends and problems): a position a valid run needs
    (a written value's line, a published result's place) composes only its top-level key, never the cost
    lines; a scenario of cost lines alone composes nothing."""
    asked: list[set[str]] = []
    partial = yamlsafe.partial_tree

    def refuse(text: str):
        raise AssertionError("a whole node tree was composed for a valid scenario")

    def recorded(text: str, wanted: set[str]):
        asked.append(set(wanted))
        return partial(text, wanted)

    for module in (yamlsafe, cba.io.parse):
        monkeypatch.setattr(module, "compose_tree", refuse)
    monkeypatch.setattr(cba.io.positions, "partial_tree", recorded)
    if name == "large":
        lines = "".join(f"  - {{name: Line {i}, actual: {{2019/20: {i}}}}}\n" for i in range(2_000))
        path = write_scenario(
            "name: L\norganisation: O\nprice_base: 2019/20\nperiods: [2019/20]\n"
            f"funding: [{{name: G, amount: 2000000}}]\ncost_lines:\n{lines}"
        )
    else:
        path = ROOT / "scenarios" / name
    result = cli("run", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["command"] == "run"
    assert not any("cost_lines" in keys for keys in asked), asked
    if name == "large":
        assert asked == []
    if name == "family-support-example.yaml":
        assert asked == [{"outcomes"}]  # its written values' lines, for their provenance


def test_a_problem_found_after_reading_is_still_placed(write_scenario):
    """The lazy tree gives the same line:column a kept tree gave."""
    path = write_scenario(
        "name: T\norganisation: O\nprice_base: 2019/20\nperiods: [2019/20]\nfunding: [{name: G, amount: 100}]\n"
        "cost_lines:\n"
        "  - name: Staff\n    actual: {2019/20: 100, 2020/21: 5}\n"
    )
    result = cli("run", path)
    assert result.exit_code == 1
    assert result.stderr == f"{path}:8:28: period 2020/21 is not one of the scenario's periods (2019/20)\n"


def _dumped(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("path", [p for p in BUNDLED if p.parent.name == "scenarios"], ids=lambda p: p.name)
def test_consistency_the_streamed_json_is_json_dumps_byte_for_byte(path: Path):
    from cba.cli.common import command_line
    from cba.engine.run import run
    from cba.io.load import load
    from cba.render.json import run_document
    from cba.render.json_write import write_json

    loaded = load(path, None, green_book=True)
    result = run(loaded.scenario, loaded.costs, loaded.provenance(command_line()), reference=loaded.reference)
    out = io.StringIO()
    write_json(run_document(result, stream=True), out)
    assert out.getvalue() == _dumped(run_document(result))


def test_streamed_json_escapes_what_a_terminal_would_act_on():
    from cba.render.json_write import Rows, write_json

    hostile = "\x1b[31mred\u202egnp.exe\x85\u2028\x7f"
    document = {
        "name": hostile,
        "empty": {},
        "none": [],
        "rows": Rows([1, 2], lambda i: {"i": i, "nested": {hostile: [True, False, None, 1.5]}}),
        "no_rows": Rows([], lambda i: {}),
        "tuple": (1, "two"),
    }
    out = io.StringIO()
    write_json(document, out)
    plain = dict(document, rows=[document["rows"][0], document["rows"][1]], no_rows=[], tuple=[1, "two"])
    text = _dumped(plain)
    for ch in "\x85\u202e\u2028\x7f":
        text = text.replace(ch, f"\\u{ord(ch):04x}")
    assert out.getvalue() == text
    assert not any(ch in out.getvalue() for ch in "\x1b\x85\u202e\u2028\x7f")
    assert json.loads(out.getvalue())["rows"][1]["nested"][hostile] == [True, False, None, 1.5]


def test_cba_run_json_through_the_console_script_is_the_document():
    """The door users use: ``cba run --format json`` prints the document json.dumps would."""
    result = cli("run", ROOT / "scenarios" / "dorset-rsw.yaml", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert result.stdout == _dumped(document)
    assert [line["label"] for line in document["costs"]["lines"]][:2] == ["Programme Management", "Embedded Researcher"]


def test_a_lines_amounts_come_out_in_the_scenarios_period_order(write_scenario):
    """A line's dict is reused only when complete and in the periods' order; written in another order, its
    figures are still given in the scenario's (item 3 shares dicts; it must not share a differently ordered one)."""
    path = write_scenario(
        "name: T\norganisation: O\nprice_base: 2020/21\nperiods: [2019/20, 2020/21]\nnet_position_basis: actual\n"
        "cost_lines:\n  - {name: Staff, actual: {2020/21: 7, 2019/20: 5}, budget: {2019/20: 1, 2020/21: 2}}\n"
    )
    line = json.loads(cli("run", path, "--format", "json").stdout)["costs"]["lines"][0]
    assert list(line["actual"].items()) == [("2019/20", "5.00"), ("2020/21", "7.00")]
    assert list(line["budget"].items()) == [("2019/20", "1.00"), ("2020/21", "2.00")]
