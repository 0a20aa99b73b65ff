"""Monte Carlo benchmark (issue 4).

1. Wall time of `cba simulate scenarios/dorset-rsw-uncertain.yaml --draws 1000000 --seed 1`
   (start-up included, output to /dev/null), alternated with the bare import of its
   dependencies as a baseline. Target: at most 1 s.
2. The vectorised path against the exact Decimal engine run once per draw, on the same
   2,000 draws: times, ratio (target >= 100x) and the largest relative difference
   (target <= 1e-9).

    python bench/simulate.py [--rounds 7] [--draws 1000000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCENARIO = "scenarios/dorset-rsw-uncertain.yaml"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    # This workplace sets PYTHONDONTWRITEBYTECODE, so an editable install never gets .pyc files
    # and every run would recompile cba; a normal install has them (pip compiles on install).
    import compileall

    compileall.compile_dir(str(ROOT / "cba"), quiet=1)
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--draws", type=int, default=1_000_000)
    parser.add_argument("--compare", type=int, default=2000)
    args = parser.parse_args()

    cba = [shutil.which("cba") or sys.executable, *([] if shutil.which("cba") else ["-m", "cba"])]
    simulate = cba + ["simulate", SCENARIO, "--draws", str(args.draws), "--seed", "1", "--format", "json"]
    floor = [sys.executable, "-c", "import numpy, typer, rich, pydantic, yaml"]
    wall(simulate), wall(floor)
    sims, floors = [], []
    for _ in range(args.rounds):
        sims.append(wall(simulate))
        floors.append(wall(floor))
    s, f = statistics.median(sims), statistics.median(floors)
    print(f"cba simulate --draws {args.draws:,} (wall, start-up included): median {s:.3f} s over {args.rounds} runs "
          f"(min {min(sims):.3f}, max {max(sims):.3f})")
    print(f"baseline: import numpy, typer, rich, pydantic, yaml: median {f:.3f} s; ratio {s / f:.2f}")

    import numpy as np

    from cba.appraisal import appraise
    from cba.load import load
    from cba.sweep import evaluate, exact_net, linear_model, sample, uncertain_inputs

    loaded = load(ROOT / SCENARIO)
    result = appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference)
    model = linear_model(loaded.scenario, result)
    ranges = uncertain_inputs(loaded.scenario)
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


if __name__ == "__main__":
    main()
