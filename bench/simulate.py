"""Monte Carlo benchmark (issue 4).

1. Wall time of `cba simulate scenarios/dorset-rsw-uncertain.yaml --draws 1000000 --seed 1`
   (start-up included, output to /dev/null), alternated with the bare import of its
   dependencies as a baseline. Target: at most 1 s.
2. The vectorised path against the exact Decimal engine run once per draw, on the same
   2,000 draws: times, ratio (target >= 100x) and the largest relative difference
   (target <= 1e-9).

    python bench/simulate.py [--rounds 7] [--draws 1000000]
    python bench/simulate.py --memory    # peak memory at 10^6 and 10^7 draws
    python bench/simulate.py --scale     # 10^6 against 10^3 draws, interleaved (issue 11: under 2x)
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal

from common import ROOT, cba_command, prepare, timed, begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path when run)

SCENARIO = "scenarios/dorset-rsw-uncertain.yaml"




def main() -> None:
    prepare()
    parser = bench_parser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--compare", type=int, default=2000)
    args = parser.parse_args()
    begin(args)

    cba = cba_command()
    simulate = cba + ["simulate", SCENARIO, "--draws", str(args.draws), "--seed", "1", "--format", "json"]
    floor = [sys.executable, "-c", "import numpy, typer, rich, pydantic, yaml"]
    timed(simulate), timed(floor)
    sims, floors = [], []
    for _ in range(args.rounds):
        sims.append(timed(simulate))
        floors.append(timed(floor))
    s, f = statistics.median(sims), statistics.median(floors)
    print(f"cba simulate --draws {args.draws:,} (wall, start-up included): median {s:.3f} s over {args.rounds} runs "
          f"(min {min(sims):.3f}, max {max(sims):.3f})")
    print(f"baseline: import numpy, typer, rich, pydantic, yaml: median {f:.3f} s; ratio {s / f:.2f}")

    import numpy as np

    from cba.engine.appraisal import appraise
    from cba.engine.sweep import (
        evaluate,
        exact_net,
        linear_model,
        sample,
    )
    from cba.model.ranges import ranged_inputs
    from cba.io.load import load

    loaded = load(ROOT / SCENARIO)
    result = appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference)
    model = linear_model(result, loaded.scenario.appraisal is not None)
    ranges = {key: d for key, _, d in ranged_inputs(loaded.scenario)}
    rng = np.random.default_rng(1)
    n = args.compare
    inputs = {k: sample(d, n, rng) for k, d in ranges.items()}

    fast_times = []
    for _ in range(7):
        start = time.perf_counter()
        fast = evaluate(model, inputs, n).net
        fast_times.append(time.perf_counter() - start)
    start = time.perf_counter()
    exact = [float(exact_net(loaded.scenario, loaded.unit_costs, {k: Decimal(float(v[i])) for k, v in inputs.items()},
                             loaded.reference).net.net) for i in range(n)]
    exact_time = time.perf_counter() - start
    fast_time = statistics.median(fast_times)
    worst = max(abs(a - b) / max(abs(a), 1.0) for a, b in zip(exact, fast))
    print(f"same {n:,} draws: exact Decimal engine {exact_time:.3f} s; vectorised median {fast_time * 1000:.3f} ms; "
          f"ratio {exact_time / fast_time:,.0f}x; largest relative difference {worst:.2e}")


def memory() -> None:
    """Peak resident memory of `cba simulate` at 10^6 and 10^7 draws (issue 32: at most 1.2x)."""
    import subprocess

    peaks = {}
    for draws in (1_000_000, 10_000_000):
        probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
                 "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        cmd = cba_command() + ["simulate", SCENARIO, "--draws", str(draws), "--seed", "1", "--format", "json"]
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", probe, *cmd], capture_output=True, text=True, check=True, cwd=ROOT)
        peaks[draws] = (int(out.stdout.strip()), time.perf_counter() - start)
    (small, t1), (large, t2) = peaks[1_000_000], peaks[10_000_000]
    print(f"peak RSS: 10^6 draws {small / 1024:.0f} MiB in {t1:.2f} s; 10^7 draws {large / 1024:.0f} MiB in {t2:.2f} s; "
          f"ratio {large / small:.2f} (target <= 1.2)")


def scale(rounds: int = 7) -> None:
    """Wall time of 10^6 draws against 10^3 draws (start-up included), interleaved so that the machine's noise
    falls on both alike: on the issue's scenario, and on one with a range on an input of every kind (lags,
    durations and the discount rate take the per-draw timing and discount weights)."""
    for scenario in (SCENARIO, "bench/every-input-uncertain.yaml"):
        runs: dict[int, list[float]] = {1_000: [], 1_000_000: []}
        commands = {n: cba_command() + ["simulate", scenario, "--draws", str(n), "--seed", "1", "--format", "json"]
                    for n in runs}
        for n, cmd in commands.items():
            timed(cmd)  # warm the file cache
        for _ in range(rounds):
            for n, cmd in commands.items():
                runs[n].append(timed(cmd))
        small, large = statistics.median(runs[1_000]), statistics.median(runs[1_000_000])
        print(f"{scenario}: 10^3 draws median {small:.3f} s, 10^6 draws median {large:.3f} s over {rounds} interleaved "
              f"runs; ratio {large / small:.2f} (target < 2)")


def _gated(measure) -> None:
    """--memory and --scale read their own few options from sys.argv; the load gate applies to them too."""
    import argparse

    begin(argparse.Namespace(noisy="--noisy" in sys.argv))
    prepare()
    measure()


if __name__ == "__main__":
    if "--memory" in sys.argv:
        _gated(memory)
    elif "--scale" in sys.argv:
        _gated(scale)
    else:
        main()
