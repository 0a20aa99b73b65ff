"""--help that teaches (issue 31, item 3): summaries that fit 80 columns, exit codes at the root, and
examples at the end of every command's help that run as written."""

from __future__ import annotations

import glob
import shlex
import shutil

import pytest

from cba.cli.help_text import _EXAMPLES, BRING_YOUR_OWN, SUMMARIES

from .conftest import ROOT, cli


def test_the_root_help_lists_every_command_whole_and_the_exit_codes(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    result = cli("--help")
    assert result.exit_code == 0
    assert "..." not in result.stdout.split("Commands:")[1]  # no summary cut short
    assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    for code in ("0 ", "1 ", "2 ", "130"):
        assert f"  {code}" in result.stdout
    listed = [line.split()[0] for line in result.stdout.split("Commands:")[1].split("Exit codes:")[0].splitlines()
              if line.strip()]
    assert set(listed) == {name for name in SUMMARIES if " " not in name and name not in ("search", "show", "import")}


@pytest.mark.parametrize("command", [["run"], ["whatif"], ["costs"], ["costs", "search"], ["costs", "import"]])
def test_a_commands_help_ends_with_its_examples(command):
    result = cli(*command, "--help")
    assert result.exit_code == 0
    name = command[-1]
    tail = result.stdout.split("Examples:")[1]
    for _, line in _EXAMPLES[name]:
        assert f"    {line}\n" in tail


EXAMPLES = [(name, line) for name, lines in _EXAMPLES.items() for _, line in lines]


@pytest.mark.parametrize(("name", "line"), EXAMPLES, ids=[f"{n}:{i}" for i, (n, _) in enumerate(EXAMPLES)])
def test_every_example_runs_as_written(tmp_path, monkeypatch, name, line):
    shutil.copytree(ROOT / "scenarios", tmp_path / "scenarios")
    shutil.copytree(ROOT / "unit_costs", tmp_path / "unit_costs")
    monkeypatch.chdir(tmp_path)
    args = shlex.split(line)
    assert args[0] == "cba"
    # as a shell expands a wildcard: the matches in sorted order
    args = [match for a in args for match in (sorted(glob.glob(a)) if any(c in a for c in "*?[") else [a])]
    if "-n" in args and args[args.index("-n") + 1] == "1000000":  # a million draws: the same command, fewer
        args[args.index("-n") + 1] = "1000"
    result = cli(*args[1:])
    if any(own in args for own in BRING_YOUR_OWN):
        assert result.exit_code == 1 and "no such file" in result.stderr, result.stderr
        return
    assert result.exit_code == 0, (line, result.stderr)
