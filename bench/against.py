"""Start-up of this checkout against another commit, interleaved in one run: "is it slower than before?"

The other commit is checked out into a temporary git worktree; each round runs
``python -m cba ARGS`` once from each tree (bytecode compiled in both first), alternately, so machine
noise falls on both alike. Reports each median and the ratio this / that (below 1: faster now).

    python bench/against.py REV [--rounds 15] [-- run scenarios/dorset-rsw.yaml]
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, prepare  # noqa: E402  (bench/ is on sys.path when run)

COMMANDS = [["run", "scenarios/dorset-rsw.yaml"], ["run", "scenarios/dorset-rsw.yaml", "--format", "json"],
            ["--version"]]


def timed(tree: Path, args: list[str]) -> float:
    """Wall seconds for ``python -m cba ARGS`` importing cba from ``tree``, run from this repository's root."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cba", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare with, e.g. HEAD~3 or a hash")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("args", nargs="*", help="one command's arguments (default: run, run --format json, --version)")
    args = parser.parse_args()
    prepare()
    commands = [args.args] if args.args else COMMANDS
    with tempfile.TemporaryDirectory() as folder:
        other = Path(folder) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(other), args.rev], cwd=ROOT, check=True)
        try:
            compileall.compile_dir(str(other / "cba"), quiet=1)
            sha = subprocess.run(["git", "rev-parse", "--short", args.rev], cwd=ROOT, capture_output=True,
                                 text=True).stdout.strip()
            print(f"this checkout against {args.rev} ({sha}), {args.rounds} interleaved rounds; "
                  f"load average {os.getloadavg()[0]:.2f} at the start")
            print(f"{'cba ARGS':45} {'this ms':>9} {'that ms':>9} {'this/that':>10}")
            for command in commands:
                for tree in (ROOT, other):  # warm both
                    timed(tree, command)
                mine, theirs = [], []
                for _ in range(args.rounds):
                    mine.append(timed(ROOT, command))
                    theirs.append(timed(other, command))
                a, b = statistics.median(mine), statistics.median(theirs)
                print(f"{' '.join(command):45} {a * 1000:9.1f} {b * 1000:9.1f} {a / b:10.3f}")
            print(f"load average {os.getloadavg()[0]:.2f} at the end")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT, check=False)


if __name__ == "__main__":
    main()
