"""cog helpers: an example in the documentation is a command run now, with what it printed pasted below it.

``cog -r -I docs README.md docs/*.md docs/guides/*.md`` rewrites every example; ``cog --check`` (run by
``tests/test_docs.py``) fails when any page shows output the command no longer prints, so the documentation
cannot drift from the tool. Commands run through the installed console script, from a scratch folder that
holds the bundled ``scenarios/`` and ``unit_costs/`` as a checkout does, at 80 columns (the width of a
code block on the site).
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import cog  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 80
#: The console script beside the Python that runs cog: the door users use.
CBA = str(Path(sys.executable).with_name("cba"))


def _workspace() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="cba-docs-"))
    atexit.register(shutil.rmtree, folder, True)
    for name in ("scenarios", "unit_costs"):
        (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return folder


WORK = _workspace()


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBA_") and k not in ("LINES", "NO_COLOR")}
    env["COLUMNS"] = str(WIDTH)
    return env


def _run(command: str, expect: int) -> list[str]:
    words = shlex.split(command)
    if words[0] != "cba":
        raise ValueError(f"an example runs cba, not {words[0]!r}: {command}")
    done = subprocess.run(
        [CBA, *words[1:]], cwd=WORK, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    if done.returncode != expect:
        raise RuntimeError(f"{command} exited {done.returncode}, not {expect}:\n{done.stdout}")
    # Paths print as a reader's checkout would show them, not as this machine's folders.
    text = done.stdout.replace(f"{WORK}/", "").replace(f"{ROOT}/", "")
    return [line.rstrip() for line in text.rstrip("\n").split("\n")] if text else []


def console(*commands: str, head: int | None = None, expect: int = 0, start: str | None = None) -> None:
    """Each command after a ``$``, then what it printed (stdout and stderr as a terminal shows them).

    ``head`` keeps the first lines of a long output and says how many were left out; ``start`` begins at the
    first line containing it (one table of a long report); ``expect`` is the exit code the example shows (an
    error message is an example too).
    """
    out = ["```console"]
    for command in commands:
        lines = _run(command, expect)
        if start is not None:
            first = next(i for i, line in enumerate(lines) if start in line)
            lines = [f"[… {first} lines before]"] + lines[first:]
        if head is not None and len(lines) > head:
            lines = lines[:head] + [f"[… {len(lines) - head} more lines]"]
        out += [f"$ {command}", *lines]
        if expect:
            out.append(f"[exit code {expect}]")
    out.append("```")
    cog.outl("\n".join(out))


def example_file(name: str, text: str) -> None:
    """A scenario the page shows in full, written to the scratch folder so that the commands after it run it."""
    (WORK / name).write_text(text, encoding="utf-8")
    cog.outl("\n".join(["```yaml", f"# {name}", text.rstrip("\n"), "```"]))


def help_of(*args: str) -> None:
    """``cba ARGS --help`` as a text block: the CLI reference is the tool's own help, never retyped."""
    command = " ".join(["cba", *args, "--help"])
    cog.outl("\n".join(["```text", f"$ {command}", *_run(command, 0), "```"]))
