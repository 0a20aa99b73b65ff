"""Export benchmark: `cba export` of 10,000 lines x 10 periods against a bare openpyxl dump.

The baseline writes the same cells (every line's budget and actual by period, its
name and kind) as plain values with openpyxl and saves; the candidate is cba's full
audit workbook (formulas, styles, all sheets). Both are timed alternately in one
process, after the scenario is loaded and appraised once, with the cyclic garbage collector off in
both (as the `cba` command runs). Target (issue 32): median
ratio <= 1.6. A third arm, timed after the pairs (run between them, its
lxml work slowed the next cba arm), saves the same workbook with openpyxl's own writer, formulas
without stored results (as exports were before issue 18), to show what cba's sheet writer
(cba/render/xlsx_write.py) saves.

    python bench/export_scale.py [--lines 10000] [--periods 10] [--rounds 5]
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path)


def scenario_text(lines: int, years: int) -> str:
    periods = [f"{2010 + i}/{(11 + i) % 100:02d}" for i in range(years)]
    out = ["name: Export benchmark", "organisation: Bench", f"price_base: {periods[-1]}",
           f"periods: [{', '.join(periods)}]", f"unit_costs: {ROOT / 'unit_costs' / 'children-social-care.csv'}",
           "funding:", "  - {name: Grant, amount: 1000000}", "cost_lines:"]
    for i in range(lines):
        kind = ("direct", "direct", "unplanned", "committed")[i % 4]
        actual = ", ".join(f"{p}: {(i * 53 + j * 7) % 6000}" for j, p in enumerate(periods))
        out.append(f"  - name: Line {i}\n    kind: {kind}")
        if kind == "direct":
            out.append("    budget: {" + ", ".join(f"{p}: {(i * 37 + j * 11) % 5000}" for j, p in enumerate(periods)) + "}")
        out.append("    actual: {" + actual + "}")
    out += ["outcomes:", "  - {id: lac, measure: LAC, baseline: 100, follow_up: 90, unit_cost: lac-year, attributable: true}"]
    return "\n".join(out) + "\n"


def bare_dump(loaded, path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    periods = list(loaded.scenario.periods)
    for line in loaded.scenario.cost_lines:
        ws.append([line.name, line.kind.value] + [int(line.budget.get(p, 0)) for p in periods]
                  + [int(line.actual.get(p, 0)) for p in periods])
    wb.save(path)


def main() -> None:
    parser = bench_parser()
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--periods", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    begin(args)
    # As in `cba export` (cba/cli/entry.py turns the cyclic collector off for the process): both arms run
    # without it, so the bare dump gains as much as cba does and the ratio compares like with like.
    gc.disable()

    from cba.engine.run import run
    from cba.io.load import load
    from cba.render.xlsx import build_workbook
    from cba.render.xlsx_values import fit_formats, stored_results
    from cba.render.xlsx_write import save

    with tempfile.TemporaryDirectory() as tmp:
        scenario = Path(tmp) / "bench.yaml"
        scenario.write_text(scenario_text(args.lines, args.periods), encoding="utf-8")
        start = time.perf_counter()
        loaded = load(scenario)
        result = run(loaded.scenario, loaded.costs, loaded.provenance("bench"), reference=loaded.reference)
        print(f"load + appraise: {time.perf_counter() - start:.2f} s (not in the comparison)")
        bare, full, unstored = [], [], []
        stages: dict[str, list[float]] = {"build": [], "results": [], "write": []}
        for i in range(args.rounds):
            # With the collector off, each arm's workbook (cells and sheets refer to each other) would stay
            # in memory: collected here, untimed, so every arm starts on the heap a fresh process has.
            gc.collect()
            t = time.perf_counter()
            bare_dump(loaded, Path(tmp) / f"bare{i}.xlsx")
            bare.append(time.perf_counter() - t)
            # save_with_results' steps, timed one by one: the workbook built, its formulas' results, the file
            gc.collect()
            t = time.perf_counter()
            wb = build_workbook(result)
            built = time.perf_counter()
            results = stored_results(wb)
            fit_formats(wb, results)
            evaluated = time.perf_counter()
            save(wb, Path(tmp) / f"cba{i}.xlsx", results)
            done = time.perf_counter()
            full.append(done - t)
            for stage, seconds in zip(stages, (built - t, evaluated - built, done - evaluated)):
                stages[stage].append(seconds)
            del wb, results
        # openpyxl's own writer, for comparison only: timed after the pairs, not between them, because its
        # 4 s of lxml work slowed the next round's cba arm by a tenth (1.69 against 1.59 when left out)
        for i in range(args.rounds):
            gc.collect()
            t = time.perf_counter()
            build_workbook(result).save(Path(tmp) / f"unstored{i}.xlsx")
            unstored.append(time.perf_counter() - t)
        b, f, u = statistics.median(bare), statistics.median(full), statistics.median(unstored)
        print(f"{args.lines} lines x {args.periods} periods, {args.rounds} rounds")
        print(f"bare openpyxl dump (values only): median {b:.2f} s")
        print(f"cba export (formulas with stored results, styles, all sheets): median {f:.2f} s")
        print("  of which (medians): " + ", ".join(f"{k} {statistics.median(v):.2f} s" for k, v in stages.items()))
        sizes = [(Path(tmp) / f"{arm}0.xlsx").stat().st_size / 2**20 for arm in ("cba", "bare")]
        print(f"  files: cba {sizes[0]:.2f} MiB, bare dump {sizes[1]:.2f} MiB")
        print(f"  the same workbook saved by openpyxl's writer, no stored results: median {u:.2f} s")
        print(f"ratio to the bare dump: {f / b:.2f} (target <= 1.6; openpyxl's writer without results {u / b:.2f})")


if __name__ == "__main__":
    main()
