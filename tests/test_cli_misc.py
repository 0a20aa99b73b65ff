"""Start-up weight, the JSON Schema, help text and money formatting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest

from cba.model.money import MoneyFormatError, parse_amount
from cba.render.format import fmt_gbp, fmt_millions

from .conftest import DORSET, ROOT, cli


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_run_does_not_import_openpyxl_or_numpy(fmt):
    code = (
        "import sys; from cba.cli.entry import main\n"
        f"sys.argv = ['cba', 'run', {str(DORSET)!r}, '--format', {fmt!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = ('openpyxl', 'numpy', 'jinja2', 'matplotlib')\n"
        "print('HEAVY', sorted(m for m in heavy if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert "1849537" in done.stdout.replace(",", "")


def test_schema_command_matches_the_committed_schema():
    printed = json.loads(cli("schema").stdout)
    committed = json.loads((ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert printed == committed, "run: cba schema > schema/scenario.schema.json"
    assert printed["additionalProperties"] is False
    assert {"name", "organisation", "price_base", "periods"} <= set(printed["required"])
    assert "cost_lines" in printed["properties"]  # optional: costs may be unknown


def test_every_command_has_help():
    from cba.cli.app import app

    for command in app.registered_commands:
        assert command.callback.__doc__, command.name
        assert cli(command.name or command.callback.__name__, "--help").exit_code == 0


def test_version():
    from cba import __version__

    assert cli("--version").stdout.strip() == f"cba {__version__}"


def test_version_is_answered_before_typer_loads_and_as_typer_answers_it():
    """Consistency between the fast answer and typer's own --version (app._version)."""
    code = "import sys; sys.argv = ['cba', '--version']\nfrom cba.cli.{} import main\ntry:\n    main()\n"
    code += "except SystemExit:\n    pass\nprint('TYPER', 'typer' in sys.modules, file=sys.stderr)"
    fast, full = (
        subprocess.run([sys.executable, "-c", code.format(m)], capture_output=True, text=True, cwd=ROOT)
        for m in ("entry", "app")
    )
    assert fast.stdout == full.stdout and fast.stdout.startswith("cba ")
    assert "TYPER False" in fast.stderr and "TYPER True" in full.stderr


@pytest.mark.parametrize("setting", ["__all__", "1", "true", "some-plugin", None])
def test_pydantic_plugin_loader_stand_in_answers_as_the_real_one(setting):
    """Consistency: with plugins disabled, cba's stand-in for pydantic's plugin loader gives the real loader's
    answer (none) without importing importlib.metadata; otherwise the real loader is left in place."""
    code = (
        "import os, sys\n"
        "from cba.cli.entry import _no_plugin_loader\n"
        "_no_plugin_loader()\n"
        "from pydantic import BaseModel\n"
        "class M(BaseModel):\n    x: int\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "print(list(get_plugins()), 'importlib.metadata' in sys.modules, M(x=1).x)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = setting
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, check=True)
    stand_in = setting in ("__all__", "1", "true")
    assert done.stdout.split() == ["[]", str(not stand_in), "1"]


def test_a_plain_run_does_not_import_importlib_metadata():
    code = (
        "import sys; sys.argv = ['cba', 'run', sys.argv[1], '--format', 'json']\n"
        "from cba.cli.entry import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('METADATA', 'importlib.metadata' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code, str(DORSET)], capture_output=True, text=True, cwd=ROOT)
    assert json.loads(done.stdout)["command"] == "run"
    assert "METADATA False" in done.stderr


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


def test_every_package_and_module_says_what_it_holds():
    import ast

    for path in (ROOT / "cba").rglob("*.py"):
        if path.name == "__main__.py":
            continue
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path


def test_bundled_tables_by_name_and_suggestions(tmp_path):
    scenario = tmp_path / "copy.yaml"
    scenario.write_text(DORSET.read_text(encoding="utf-8"), encoding="utf-8")
    assert cli("run", scenario).exit_code == 0  # names its table 'children-social-care': no path needed
    prefixed = tmp_path / "prefixed.yaml"
    prefixed.write_text(DORSET.read_text(encoding="utf-8").replace("unit_costs: children-social-care",
                                                                   "unit_costs: bundled:children-social-care"))
    assert cli("run", prefixed).exit_code == 0
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text(DORSET.read_text(encoding="utf-8").replace("unit_costs: children-social-care",
                                                                "unit_costs: childrens-social-care"))
    result = cli("run", wrong)
    assert result.exit_code == 1
    assert "no bundled unit-cost table named 'childrens-social-care' (did you mean 'children-social-care'?)" in result.stderr
    listed = json.loads(cli("costs", "--list-tables", "--format", "json").stdout)["tables"]
    import hashlib

    for table in listed:
        path = ROOT / "unit_costs" / f"{table['name']}.csv"
        assert table["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert cli("costs", "search", "foster", "--unit-costs", "children-social-care").exit_code == 0


@pytest.mark.skipif(os.name != "posix", reason="mode bits and umask are POSIX")
def test_written_files_follow_the_umask_and_keep_a_replaced_files_mode(tmp_path):
    import os
    import stat

    out = tmp_path / "d.xlsx"
    old = os.umask(0o022)
    try:
        assert cli("export", DORSET, "-o", out).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o644
        out.chmod(0o600)
        assert cli("export", DORSET, "-o", out, "--force").exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    finally:
        os.umask(old)


def test_windows_branch_writes_without_mode_bits(tmp_path, monkeypatch):
    """Off POSIX there are no mode bits to set: the write must not try (a simulated Windows)."""
    import os

    from cba.io import atomic

    monkeypatch.setattr(atomic, "POSIX", False)

    def refuse(*args, **kwargs):
        raise AssertionError("chmod called on the Windows branch")

    monkeypatch.setattr(os, "chmod", refuse)
    out = tmp_path / "w.xlsx"
    assert atomic.new_file_mode() is None
    assert cli("export", DORSET, "-o", out).exit_code == 0 and out.read_bytes()[:2] == b"PK"


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_device_files_are_never_replaced(tmp_path):
    import os

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = cli("export", DORSET, "-o", fifo, "--force")
    assert result.exit_code == 1 and "is not a regular file" in result.stderr
    assert fifo.exists() and not fifo.is_file()


@pytest.mark.parametrize("name", ["C:\\Users\\Zoë Smith\\My scenarios\\dorset rsw.yaml", "/srv/shared drive/naïve.yaml",
                                  "dir\nwith newline.yaml"])
def test_paths_in_messages_stay_on_one_line(name):
    from cba.model.errors import Diagnostic

    line = str(Diagnostic(name, 3, 7, "something is wrong"))
    assert "\n" not in line and line.endswith(":3:7: something is wrong")


@pytest.mark.parametrize("args", [
    [], ["--format", "json"], ["-f", "csv"], ["-a", "lac"], ["--attributable", "lac", "--green-book"],
    ["--basis", "actual", "--detail"], ["--set", "net_position_basis=budget"], ["-a", "nope"], ["--basis", "bogus"],
])
def test_the_fast_run_path_prints_what_the_full_path_prints(args):
    """entry answers a plain `cba run` before typer is imported; typer's own command must give the same bytes."""
    argv = ["cba", "run", str(DORSET), *args]
    fast = subprocess.run([sys.executable, "-c", f"import sys; sys.argv = {argv!r}; from cba.cli.entry import main; main()"],
                          capture_output=True, text=True, cwd=ROOT)
    full = subprocess.run([sys.executable, "-c", f"import sys; sys.argv = {argv!r}; from cba.cli.app import main; main()"],
                          capture_output=True, text=True, cwd=ROOT)
    assert (fast.returncode, fast.stdout, fast.stderr) == (full.returncode, full.stdout, full.stderr)
    typer_loaded = subprocess.run(
        [sys.executable, "-c", f"import sys; sys.argv = {argv!r}\nfrom cba.cli.entry import main\ntry:\n    main()\n"
         "except SystemExit:\n    pass\nprint('TYPER', 'typer' in sys.modules, file=sys.stderr)"],
        capture_output=True, text=True, cwd=ROOT)
    # every one is answered before typer loads: a bad choice by the argument checks both paths run first
    assert "TYPER False" in typer_loaded.stderr
