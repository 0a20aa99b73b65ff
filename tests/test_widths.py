"""No figure is ever cut: every command, every bundled scenario, at 60, 80, 100 and 160 columns and piped.

The expected figures are the command's own ``--format json`` output: every money value in it must
appear whole in the table output, written the one way cba writes money (£, thousands separators,
pence where the figure has them; whole pounds in the tables that say so in their title). Separately,
every pound figure printed must be well formed (no "£1,833…", no "£1,83" + "3,165" split over lines).
"""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tests.conftest import ROOT, cli

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
WIDTHS = [60, 80, 100, 160, None]  # None: piped, COLUMNS unset
MONEY_JSON = re.compile(r"-?\d+\.\d\d")
#: Counts that may happen to have two decimals (9.72 placements) are not money.
COUNTS = re.compile(r"volume|baseline|follow_up|change|units|cohort|count|deflator_index")
#: A pound figure as printed; anything £-led that does not match this whole is a cut or broken figure.
POUNDS = re.compile(r"-?£\d{1,3}(?:,\d{3})*(?:\.\d\d)?(?![\d,])")


def _money_values(node, path=""):
    """(path, Decimal) for every money value in a JSON document (money is a string with exactly 2 decimals)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _money_values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _money_values(value, f"{path}[{i}]")
    elif isinstance(node, str) and MONEY_JSON.fullmatch(node) and not COUNTS.search(path):
        yield path, Decimal(node)


def _written(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    shown = value.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if shown < 0 else ""
    return f"{sign}£{abs(shown):,.{places}f}"


def _forms(value: Decimal) -> set[str]:
    """How a money value may be written: with pence when it has them, else whole; whole-pound tables round it."""
    whole = _written(value, 0)
    return {whole} if value == value.to_integral_value() else {_written(value, 2), whole}


def _check(text: str, document: dict, skip=lambda path: False) -> None:
    for line in text.splitlines():
        for match in re.finditer(r"-?£\d[\d,.]*", line):
            assert POUNDS.fullmatch(match.group().rstrip(".,")), f"cut or broken figure {match.group()!r} in: {line}"
    printed = set(m.group() for m in POUNDS.finditer(text))
    missing = [(p, v) for p, v in _money_values(document) if not skip(p) and not (_forms(v) & printed)]
    assert not missing, f"money values from the JSON not printed whole: {missing[:8]}"


def _both(monkeypatch, width, *args):
    if width is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", str(width))
    text = cli(*args)
    document = cli(*args, "-f", "json")
    assert text.exit_code == 0 and document.exit_code == 0, text.stderr + document.stderr
    return text.stdout, json.loads(document.stdout)


def _not_in_text(path: str) -> bool:
    # The run report states the reconciliation's agreeing checks as a count ("54 of 64 agree"); only the
    # disagreeing ones are tabulated. Discount factors and rates are not money.
    return path.startswith(".reconciliation.checks") or ".discount" in path


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_run_never_cuts_a_figure(monkeypatch, scenario, width):
    text, document = _both(monkeypatch, width, "run", scenario, "--detail")
    disagreeing = {(c["label"]) for c in document["reconciliation"]["checks"] if not c["agrees"]}
    for c in document["reconciliation"]["checks"]:
        if c["label"] in disagreeing:
            assert _written(Decimal(c["published"]), 0) in text, c
    _check(text, document, _not_in_text)


@pytest.mark.parametrize("width", WIDTHS)
def test_run_appraisal_never_cuts_a_figure(monkeypatch, width):
    text, document = _both(monkeypatch, width, "run", ROOT / "scenarios" / "dorset-rsw.yaml", "-a", "lac",
                           "--green-book", "--detail")
    _check(text, document, _not_in_text)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.stem)
def test_table_commands_never_cut_a_figure(monkeypatch, scenario, width):
    for args in (("breakeven", scenario), ("breakeven", scenario, "--green-book")):
        text, document = _both(monkeypatch, width, *args)
        _check(text, document)


@pytest.mark.parametrize("width", WIDTHS)
def test_whatif_compare_simulate_portfolio_never_cut_a_figure(monkeypatch, width):
    dorset = ROOT / "scenarios" / "dorset-rsw.yaml"
    for args in (("whatif", dorset, "-a", "lac", "--vary", "lac=-10,-30,-60"),
                 ("whatif", dorset, "-a", "lac", "--green-book", "--vary", "lac=-10,-30,-60",
                  "--vary", "lac-year=40000,58664"),
                 ("compare", *SCENARIOS),
                 ("simulate", ROOT / "scenarios" / "dorset-rsw-uncertain.yaml", "-n", "2000", "--green-book")):
        text, document = _both(monkeypatch, width, *args)
        _check(text, document)
    text, document = _both(monkeypatch, width, "portfolio", ROOT / "scenarios")
    _check(text, document)


@pytest.mark.parametrize("width", WIDTHS)
def test_costs_never_cut_a_figure(monkeypatch, width):
    for args in (("costs",), ("costs", "search", "looked", "after"), ("costs", "show", "SS1.0")):
        text, document = _both(monkeypatch, width, *args)
        _check(text, document)


def test_layout_edges_keep_every_figure():
    from rich.console import Console
    from rich.table import Table

    from cba.render.fit import fitted

    one = Table(title="One column")
    one.add_column("Only")
    one.add_row("x" * 50)
    console = Console(width=20, record=True)
    console.print(fitted(one))
    assert console.export_text().count("x") == 50  # folded, not dropped
    two = Table(title="Too narrow for any table")
    two.add_column("Line")
    two.add_column("Amount", justify="right")
    two.add_row("Training", "£1,234,567")
    console = Console(width=14, record=True)
    console.print(fitted(two))
    text = console.export_text()
    assert "£1,234,567" in text and "Training" in text  # written as lines, the figure whole
