"""Large scenarios (issue 15): `cba run --format json` and `cba export` as whole processes against
baselines that only parse the same YAML with PyYAML's C loader.

* run: `python -c "import yaml, pydantic; yaml.load(f, Loader=yaml.CSafeLoader)"` (issue 32: at most 1.0x at
  10,000 lines), at 1,000, 10,000 and 25,000 lines x 10 periods (25k within 2.6x of 10k), with peak memory
  against the file size (at most 35x at 10,000 lines);
* export: the same C-loader parse plus the same cells dumped by openpyxl in write-only mode
  (target <= 1.6x);
* a 100,000-line scenario (28 MB), run with CBA_MAX_INPUT_BYTES raised: its time and peak memory (at most 20x
  the file), and the slope: the bytes of peak each byte of file past 10,000 lines adds (at most 15).

    python bench/large.py [--rounds 3] [--skip-100k]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, cba_command, prepare, begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path when run)
from export_scale import scenario_text  # noqa: E402

PARSE = "import sys, yaml, pydantic; yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)"
DUMP = """import sys, yaml
from openpyxl import Workbook
data = yaml.load(open(sys.argv[1]), Loader=yaml.CSafeLoader)
wb = Workbook(write_only=True)
ws = wb.create_sheet("Costs")
periods = data["periods"]
for line in data["cost_lines"]:
    ws.append([line["name"], line.get("kind", "direct")] + [line.get("budget", {}).get(p, 0) for p in periods]
              + [line.get("actual", {}).get(p, 0) for p in periods])
wb.save(sys.argv[2])
"""


def measured(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS in KiB) of one whole process."""
    probe = ("import resource, subprocess, sys, time; s = time.perf_counter(); "
             "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True); "
             "print(time.perf_counter() - s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True, cwd=ROOT,
                         env=env)
    seconds, rss = out.stdout.split()
    return float(seconds), int(rss)


def paired(a: list[str], b: list[str], rounds: int) -> tuple[float, float, int]:
    """Medians of a and b run alternately, and b's peak RSS."""
    ta, tb, peak = [], [], 0
    for _ in range(rounds):
        ta.append(measured(a)[0])
        seconds, rss = measured(b)
        tb.append(seconds)
        peak = max(peak, rss)
    return statistics.median(ta), statistics.median(tb), peak


def main() -> None:
    prepare()
    parser = bench_parser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-100k", action="store_true")
    args = parser.parse_args()
    begin(args)
    cba = cba_command()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        peaks: dict[int, tuple[int, int]] = {}  # lines -> (file bytes, peak bytes)
        for lines in (1_000, 10_000, 25_000):
            path = Path(tmp) / f"s{lines}.yaml"
            path.write_text(scenario_text(lines, 10), encoding="utf-8")
            base, run, peak = paired([sys.executable, "-c", PARSE, str(path)],
                                     cba + ["run", str(path), "--format", "json"], args.rounds)
            runs[lines] = run
            size = path.stat().st_size
            print(f"{lines:6,} lines ({size / 1e6:4.1f} MB): C-loader parse {base:6.2f} s, cba run --format json "
                  f"{run:6.2f} s, ratio {run / base:.2f}{' (target <= 1.0)' if lines == 10_000 else ''}; "
                  f"peak {peak / 1024:5.0f} MiB = {peak * 1024 / size:.1f} x the file"
                  f"{' (target <= 35)' if lines == 10_000 else ''}")
            peaks[lines] = (size, peak * 1024)
        print(f"25k lines / 10k lines: {runs[25_000] / runs[10_000]:.2f} (target <= 2.6)")
        path = Path(tmp) / "s10000.yaml"
        base, export, _ = paired([sys.executable, "-c", DUMP, str(path), str(Path(tmp) / "base.xlsx")],
                                 cba + ["export", str(path), "-o", str(Path(tmp) / "cba.xlsx"), "--force"], args.rounds)
        print(f"export 10,000 lines: parse + write-only dump {base:.2f} s, cba export {export:.2f} s, "
              f"ratio {export / base:.2f} (target <= 1.6)")
        if not args.skip_100k:
            path = Path(tmp) / "s100000.yaml"
            path.write_text(scenario_text(100_000, 10), encoding="utf-8")
            env = dict(os.environ, CBA_MAX_INPUT_BYTES=str(64 * 1024 * 1024))
            seconds, peak = measured(cba + ["run", str(path), "--format", "json"], env)
            size = path.stat().st_size
            small_size, small_peak = peaks[10_000]
            slope = (peak * 1024 - small_peak) / (size - small_size)
            print(f"100,000 lines ({size / 1e6:.1f} MB, CBA_MAX_INPUT_BYTES=64 MiB): "
                  f"{seconds:.1f} s, peak {peak / 1024:.0f} MiB = {peak * 1024 / size:.1f} x the file (target <= 20); "
                  f"each byte past 10,000 lines costs {slope:.1f} bytes at the peak (target <= 15)")


if __name__ == "__main__":
    main()
