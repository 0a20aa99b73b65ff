"""The documentation cannot drift from the tool.

Every ``console`` example in ``docs/`` is a command's output pasted by cog (``docs/examples.py``):
``cog --check`` reruns each through the console script and fails on any difference. Every other
``cba`` line in a shell block of the README or the docs is run as a reader would type it, from a
folder holding the bundled scenarios, and must succeed. The README stays short and shows the
script CI runs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

DOCS = ROOT / "docs"
PAGES = sorted(DOCS.rglob("*.md"))
README = ROOT / "README.md"
BIN = Path(sys.executable).parent


def _shell_blocks(page: Path) -> list[str]:
    """The lines of every ``sh`` block, comments and blank lines dropped."""
    text = page.read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"^```(?:sh|bash)\n(.*?)^```", text, re.S | re.M):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _workspace(tmp_path: Path) -> Path:
    for name in ("scenarios", "unit_costs"):
        (tmp_path / name).symlink_to(ROOT / name, target_is_directory=True)
    return tmp_path


def test_every_console_example_shows_what_the_command_prints():
    """cog reruns each example through the installed ``cba``; a stale page fails here (and in CI)."""
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "-I", str(DOCS), *map(str, PAGES)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr + "\nrun: cog -r -I docs docs/*.md docs/guides/*.md"


def test_the_cli_reference_covers_every_command():
    from cba.cli.help_text import SUMMARIES

    reference = (DOCS / "cli.md").read_text(encoding="utf-8")
    for command in SUMMARIES.keys() - {"costs list"}:  # the listing is plain `cba costs`
        named = f"costs {command}" if command in ("search", "show", "import") else command
        assert f"$ cba {named} --help" in reference, command


@pytest.mark.parametrize("page", [README, *PAGES], ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cba_line_of_a_shell_block_runs(tmp_path, page):
    """In order, in one folder per page, as a reader would paste them (redirects included)."""
    work = _workspace(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBA_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    for line in _shell_blocks(page):
        if not line.startswith("cba "):
            continue  # installing (pip, apt-get), mutation/run.py and scripts/test are what CI itself runs
        done = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{page.name}: {line}\n{done.stderr}"
        assert "Traceback" not in done.stderr, line


def test_the_readme_is_short_and_shows_the_script_ci_runs():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 160, "the README is the front door; the detail belongs in docs/"
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.S | re.M)
    assert blocks[0].strip().endswith("cba run scenarios/dorset-rsw.yaml")
    assert blocks[1].strip() == "scripts/test"
    assert "exec scripts/test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for link in re.findall(r"\]\((docs/[^)#]+)", text):
        assert (ROOT / link).is_file(), link


def test_every_page_is_in_the_site_navigation():
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def pages(nav: object) -> set[str]:
        if isinstance(nav, str):
            return {nav}
        if isinstance(nav, list):
            return set().union(*(pages(item) for item in nav))
        if isinstance(nav, dict):
            return set().union(*(pages(item) for item in nav.values()))
        return set()

    assert pages(config["nav"]) == {str(p.relative_to(DOCS)) for p in PAGES}
