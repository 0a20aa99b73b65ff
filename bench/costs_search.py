"""`cba costs search` over a 5,000-entry table against `cba --version` (issue 6).

Target: search median <= --version median + 50 ms. Both are run alternately in one
process tree; medians and the difference are printed.

    python bench/costs_search.py [--rounds 21] [--entries 5000]
"""

from __future__ import annotations

import csv
import statistics
import tempfile
from pathlib import Path

from common import ROOT, cba_command, prepare, timed, begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path when run)


def big_table(path: Path, entries: int) -> None:
    from cba.model.unit_cost import COLUMNS

    bundled = list(csv.DictReader(open(ROOT / "unit_costs" / "children-social-care.csv", encoding="utf-8")))
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for i in range(entries):
            row = dict(bundled[i % len(bundled)])
            row["id"] = f"{row['id']}-{i}"
            writer.writerow(row)




def main() -> None:
    prepare()
    parser = bench_parser()
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--query", default="foster care",
                        help="words to search; 'looked after' matches nearly half this synthetic table")
    args = parser.parse_args()
    begin(args)
    cba = cba_command()
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
