"""Portfolio benchmark (issue 14): 1,000 Dorset-sized scenarios against one `cba run` of Dorset.

The two commands are run alternately and the medians compared (target: the portfolio in
at most 15x the time of one run with 2 jobs at load < 1, issue 32). Peak memory: the proportional set size (PSS) of each
command and all its processes (the portfolio's workers included), sampled every 20 ms, against one run's x
the workers. Run it with --scenarios 100 and 1000 to see that memory does not grow with the
number of scenarios.

    python bench/portfolio.py [--rounds 3] [--scenarios 1000] [--jobs 2]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from common import ROOT, cba_command, prepare, begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path when run)


def _tree_rss_kib(root: int) -> int:
    """Proportional set size of a process and all its descendants now, in KiB (Linux /proc)."""
    parents, rss = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            # PSS, not RSS: forked workers share the parent's pages, which RSS would count once per process.
            with open(f"/proc/{entry}/smaps_rollup") as rollup:
                rss[int(entry)] = next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        except (OSError, ValueError, IndexError):
            continue
    total, frontier = rss.get(root, 0), [root]
    while frontier:
        children = [pid for pid, parent in parents.items() if parent in frontier]
        total += sum(rss.get(pid, 0) for pid in children)
        frontier = children
    return total


def measured(cmd: list[str]) -> tuple[float, int]:
    """(wall seconds, peak PSS in KiB of the command and all its processes, sampled every 20 ms)."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss_kib(process.pid))
        time.sleep(0.02)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{cmd} failed ({process.returncode})")
    return seconds, peak


def main() -> None:
    prepare()
    parser = bench_parser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--scenarios", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    begin(args)
    folder = Path(tempfile.mkdtemp(prefix="cba-portfolio-"))
    try:
        text = (ROOT / "scenarios" / "dorset-rsw.yaml").read_text(encoding="utf-8")
        for i in range(args.scenarios):
            # each a distinct file, so nothing is cached by content across scenarios but the shared table
            (folder / f"p{i:04d}.yaml").write_text(text.replace("name: Reinvigorating", f"name: P{i} Reinvigorating"),
                                                   encoding="utf-8")
        cba = cba_command()
        one = cba + ["run", "scenarios/dorset-rsw.yaml"]
        many = cba + ["portfolio", str(folder), "--jobs", str(args.jobs), "--format", "json"]
        measured(one), measured(many)  # warm caches
        runs, portfolios = [], []
        for _ in range(args.rounds):
            runs.append(measured(one))
            portfolios.append(measured(many))
        run_s = statistics.median(t for t, _ in runs)
        many_s = statistics.median(t for t, _ in portfolios)
        run_rss = max(m for _, m in runs)
        many_rss = max(m for _, m in portfolios)
        print(f"cba run dorset-rsw.yaml           median {run_s * 1000:8.0f} ms   peak PSS {run_rss / 1024:6.1f} MiB")
        print(f"cba portfolio ({args.scenarios} files, {args.jobs} jobs)  median {many_s * 1000:8.0f} ms   "
              f"peak PSS {many_rss / 1024:6.1f} MiB (all its processes)")
        print(f"time ratio {many_s / run_s:.2f} (target <= 15 at load < 1); per scenario {many_s / args.scenarios * 1000:.1f} ms")
        print(f"memory: the portfolio's processes together {many_rss / 1024:.1f} MiB; one run x {args.jobs} jobs = "
              f"{run_rss * args.jobs / 1024:.1f} MiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
