"""`cba costs search` over a 5,000-entry table against `cba --version` (issue 6).

Target: search median <= --version median + 50 ms. Both are run alternately in one
process tree; medians and the difference are printed.

    python bench/costs_search.py [--rounds 21] [--entries 5000]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def big_table(path: Path, entries: int) -> None:
    from cba.unit_costs import COLUMNS

    bundled = list(csv.DictReader(open(ROOT / "unit_costs" / "children-social-care.csv", encoding="utf-8")))
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for i in range(entries):
            row = dict(bundled[i % len(bundled)])
            row["id"] = f"{row['id']}-{i}"
            writer.writerow(row)


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    # This workplace sets PYTHONDONTWRITEBYTECODE, so an editable install never gets .pyc files
    # and every run would recompile cba; a normal install has them (pip compiles on install).
    import compileall

    compileall.compile_dir(str(ROOT / "cba"), quiet=1)
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--query", default="foster care",
                        help="words to search; 'looked after' matches nearly half this synthetic table")
    args = parser.parse_args()
    cba = [shutil.which("cba")] if shutil.which("cba") else [sys.executable, "-m", "cba"]
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "big.csv"
        big_table(table, args.entries)
        search = cba + ["costs", "search", *args.query.split(), "--unit-costs", str(table)]
        version = cba + ["--version"]
        timed(search), timed(version)
        s, v = [], []
        for _ in range(args.rounds):
            v.append(timed(version))
            s.append(timed(search))
    ms, mv = statistics.median(s) * 1000, statistics.median(v) * 1000
    print(f"cba --version: median {mv:.1f} ms; cba costs search '{args.query}' over {args.entries:,} entries: median {ms:.1f} ms; "
          f"difference {ms - mv:+.1f} ms (target <= +50 ms)")


if __name__ == "__main__":
    main()
