"""Fuzzing: mutated scenarios and tables never crash cba.

Every run of the real CLI on a mutated file must end with exit 0, or exit 1 with
one or more `file:line:column: message` lines on stderr: never a traceback.
CI runs CBA_FUZZ_EXAMPLES (default 1,000) cases per test, 2,750 in all; for a
longer run: CBA_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import re
import shutil
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import BUNDLED_COSTS, DORSET, cli
from .test_errors import VALID

EXAMPLES = int(os.environ.get("CBA_FUZZ_EXAMPLES", "1000"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed in _check instead: hypothesis deadlines flake on a loaded 2-core machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
DIAGNOSTIC = re.compile(r"^.+:\d+:\d+: \S.*$")

_workdir = Path(tempfile.mkdtemp(prefix="cba-fuzz-"))
atexit.register(shutil.rmtree, _workdir, ignore_errors=True)  # made at collection: removed when pytest ends
(_workdir / "unit_costs").mkdir()
shutil.copy(BUNDLED_COSTS, _workdir / "unit_costs" / "children-social-care.csv")
(_workdir / "scenarios").mkdir()

BASES = [yaml.safe_load(VALID), yaml.safe_load(DORSET.read_text(encoding="utf-8"))]

junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["£1,234", "1.234,56", "2016/17", "2016-17", "-5", "1e3", ".inf", "=SUM(A1)", "direct", "lac-year"]),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=8), st.integers(), max_size=3),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _mutate(data, path, action, value):
    if not path:
        return value if action == "replace" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    elif action == "insert" and isinstance(parent[last], dict):
        parent[last][str(value)[:20]] = value
    elif action == "insert" and isinstance(parent[last], list):
        parent[last].append(value)
    elif action == "swap" and isinstance(parent[last], (int, str)):
        parent[last] = str(parent[last]) if isinstance(parent[last], int) else [parent[last]]
    return data


def _dump(data) -> str:
    def plain(value):
        if isinstance(value, dict):
            return {plain(k) if not isinstance(k, (dict, list)) else str(k): plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        if isinstance(value, Decimal):
            return str(value)
        return value

    return yaml.safe_dump(plain(data), allow_unicode=True, sort_keys=False)


#: Seconds one case may take; a typical case takes 5-50 ms.
TIME_BOUND = 5.0


def _check(path: Path, fmt: str) -> None:
    start = time.perf_counter()
    result = cli("run", path, "--format", fmt)  # re-raises any exception the CLI did not turn into a message
    assert time.perf_counter() - start < TIME_BOUND
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr  # no control sequence reaches a terminal
    if result.exit_code == 1:
        lines = result.stderr.strip().splitlines()
        assert lines, "exit 1 with no message"
        for line in lines:
            assert DIAGNOSTIC.match(line), line


@FUZZ
@given(data=st.data())
def test_structurally_mutated_scenarios(data):
    import copy

    doc = copy.deepcopy(data.draw(st.sampled_from(BASES)))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(doc))))
        action = data.draw(st.sampled_from(["delete", "replace", "insert", "swap"]))
        doc = _mutate(doc, path, action, data.draw(junk))
    target = _workdir / "scenarios" / "mutated.yaml"
    target.write_text(_dump(doc), encoding="utf-8")
    _check(target, data.draw(st.sampled_from(["json", "json", "json", "table"])))


@FUZZ
@given(data=st.data())
def test_textually_mutated_scenarios(data):
    text = data.draw(st.sampled_from([VALID, DORSET.read_text(encoding="utf-8")])).encode("utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        action = data.draw(st.sampled_from(["truncate", "insert", "delete", "duplicate"]))
        if action == "truncate":
            text = text[:at]
        elif action == "insert":
            text = text[:at] + data.draw(st.binary(max_size=8) | st.sampled_from(
                [b"\t", b"&a ", b"*a", b"<<: ", b": ", b"- ", b"{", b"]", b"'", b'"', b"\xef\xbb\xbf", b"!!python/object ",
                 # the hostile classes: YAML 1.1 number forms, deep nesting, markup and control sequences
                 b"01750", b"30:49", b"0x1F", b"0b101", b"1_000", b"[" * 100, b"- " * 100, b"[/x]", b"[link=x]",
                 b"\x1b[2J", b"\x1b]8;;http://x\x1b\\", b"\x1b]52;c;aGk=\x07", b"\xef\xbf\xbf"]
            )) + text[at:]
        elif action == "delete":
            text = text[:at] + text[at + data.draw(st.integers(1, 40)):]
        else:
            end = text.find(b"\n", at) + 1 or len(text)
            start = text.rfind(b"\n", 0, at) + 1
            text = text[:end] + text[start:end] + text[end:]
    target = _workdir / "scenarios" / "mutated.yaml"
    target.write_bytes(text)
    _check(target, data.draw(st.sampled_from(["json", "json", "json", "table"])))


@settings(FUZZ, max_examples=max(EXAMPLES // 2, 10))
@given(data=st.data())
def test_mutated_unit_cost_tables(data):
    text = BUNDLED_COSTS.read_bytes()
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        insert = data.draw(st.binary(max_size=6) | st.sampled_from([b",", b'"', b"\n", b"-", b"\r\n", b"\x00"]))
        cut = data.draw(st.integers(0, 10))
        text = text[:at] + insert + text[at + cut:]
    table = _workdir / "unit_costs" / "mutated.csv"
    table.write_bytes(text)
    result = cli("run", VALID_PATH, "--unit-costs", table, "--format", "json")
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        for line in result.stderr.strip().splitlines():
            assert DIAGNOSTIC.match(line), line


VALID_PATH = _workdir / "scenarios" / "valid.yaml"
VALID_PATH.write_text(VALID, encoding="utf-8")


@settings(FUZZ, max_examples=max(EXAMPLES // 4, 10))
@given(vary=st.text(max_size=30), setting=st.text(max_size=30))
def test_whatif_asks_never_crash(vary, setting):
    """Any --vary and --set text: a result (0), bad input (1) or command-line misuse (2), never a traceback."""
    result = cli("whatif", DORSET, "--vary", vary, "--set", setting, "--format", "json")
    assert result.exit_code in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code:
        assert result.stderr.strip(), "an error must say what is wrong"
