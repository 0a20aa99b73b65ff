"""Start-up weight, the JSON Schema, help text and money formatting."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from cba.model.money import MoneyFormatError, parse_amount
from cba.render.format import fmt_gbp, fmt_millions

from .conftest import DORSET, ROOT, cli


def test_run_does_not_import_openpyxl_or_numpy():
    code = (
        "import sys; from cba.cli.app import app\n"
        f"sys.argv = ['cba', 'run', {str(DORSET)!r}]\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', sorted(m for m in ('openpyxl', 'numpy') if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert "Net cost of £1.85 million" in done.stdout


def test_schema_command_matches_the_committed_schema():
    printed = json.loads(cli("schema").stdout)
    committed = json.loads((ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert printed == committed, "run: cba schema > schema/scenario.schema.json"
    assert printed["additionalProperties"] is False
    assert {"name", "organisation", "price_base", "periods", "cost_lines"} <= set(printed["required"])


def test_every_command_has_help():
    from cba.cli.app import app

    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
        assert cli(command.name or command.callback.__name__, "--help").exit_code == 0


def test_version():
    from cba import __version__

    assert cli("--version").stdout.strip() == f"cba {__version__}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.56", "1234.56"), ("£1,234.56", "1234.56"), ("1,234", "1234"), ("£12", "12"), ("-£5", "-5"),
     (7, "7"), (Decimal("1200.10"), "1200.10")],
)
def test_parse_amount_accepts(text, expected):
    assert parse_amount(text) == Decimal(expected)
    assert str(parse_amount(text)) == expected  # exact: trailing zeros kept


@pytest.mark.parametrize("text", ["1.234,56", "1,23", "12,34,567", "£", "abc", True, None, float("nan"), "1e3"])
def test_parse_amount_rejects(text):
    with pytest.raises(MoneyFormatError):
        parse_amount(text)


def test_display_rounding_is_half_up():
    assert fmt_gbp(Decimal("1849537")) == "£1,849,537"
    assert fmt_gbp(Decimal("-121872")) == "-£121,872"
    assert fmt_gbp(Decimal("0.005")) == "£0.01"
    assert fmt_gbp(Decimal("2.5"), pence=False) == "£3"
    assert fmt_millions(Decimal("1849537")) == "£1.85 million"
    assert fmt_millions(Decimal("1845000")) == "£1.85 million"
