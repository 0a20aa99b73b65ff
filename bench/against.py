"""Start-up of this checkout against another commit, interleaved in one run: "is it slower than before?"

The other commit is checked out into a temporary git worktree; each round runs
``python -m cba ARGS`` once from each tree (bytecode compiled in both first), alternately, so machine
noise falls on both alike. Reports each median and the ratio this / that (below 1: faster now).

    python bench/against.py [--rounds 15] REV [run scenarios/dorset-rsw.yaml --format json]
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

from common import ROOT, prepare, begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path when run)

COMMANDS = [["run", "scenarios/dorset-rsw.yaml"], ["run", "scenarios/dorset-rsw.yaml", "--format", "json"],
            ["--version"]]


def timed(tree: Path, args: list[str]) -> float:
    """Wall seconds for ``python -m cba ARGS`` run in ``tree`` and importing cba from it (``python -m`` puts
    the working folder first on the path, ahead of this checkout's editable install)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cba", *args], cwd=tree, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def imported_from(tree: Path) -> Path:
    """Where cba is imported from when run as ``timed`` runs it: each tree must time its own code."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", "import cba; print(cba.__file__)"], cwd=tree, env=env,
                          capture_output=True, text=True, check=True)
    return Path(done.stdout.strip()).resolve()


def main() -> None:
    parser = bench_parser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the commit to compare with, e.g. HEAD~3 or a hash")
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("args", nargs=argparse.REMAINDER,
                        help="one command's arguments, last (default: run, run --format json, --version)")
    args = parser.parse_args()
    begin(args)
    prepare()
    commands = [args.args] if args.args else COMMANDS
    with tempfile.TemporaryDirectory() as folder:
        other = Path(folder) / "other"
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(other), args.rev], cwd=ROOT, check=True)
        try:
            compileall.compile_dir(str(other / "cba"), quiet=1)
            for tree in (ROOT, other):
                if not imported_from(tree).is_relative_to(tree.resolve()):
                    raise SystemExit(f"{tree} would time cba from {imported_from(tree)}, not its own")
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
