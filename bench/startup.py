"""Start-up benchmark: `cba run` on the Dorset scenario against the bare import of its dependencies.

All commands are run alternately in the same process tree, so machine noise
hits them alike; we report medians and their ratios. Targets (issue 32): `cba run` at most
1.10 x the stack minimum (a typer command validating one pydantic model and printing a
one-row rich table), `cba run --format json` at most 0.85 x the stack minimum, `cba --version`
at most 1.05 x `import typer`, and (with --report) `cba report` at most 2.5 x `cba run`.

    python bench/startup.py [--rounds 30] [--report]
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from common import cba_command, prepare, timed, begin, parser as bench_parser  # noqa: E402  (bench/ is on sys.path when run)

FLOOR = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]
TYPER = [sys.executable, "-c", "import typer"]
# The least any `cba run` on this stack can do: a typer command taking a path, one pydantic
# model validated, one rich table printed. If this alone exceeds the target, no
# implementation on the required stack can meet it.
STACK_MINIMUM = [sys.executable, "-c", """
import sys, typer, yaml
from pathlib import Path
from pydantic import BaseModel
from rich.console import Console
from rich.table import Table
class M(BaseModel):
    name: str
app = typer.Typer()
@app.command()
def run(path: Path) -> None:
    m = M.model_validate(yaml.safe_load(path.read_text()))
    t = Table(); t.add_column("name"); t.add_row(m.name); Console().print(t)
sys.argv = ["x", "scenarios/dorset-rsw.yaml"]
app()
"""]






def main() -> None:
    prepare()
    parser = bench_parser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--report", action="store_true", help="also time cba report against cba run")
    args = parser.parse_args()
    begin(args)
    run = cba_command() + ["run", "scenarios/dorset-rsw.yaml"]
    run_json = cba_command() + ["run", "scenarios/dorset-rsw.yaml", "--format", "json"]
    version = cba_command() + ["--version"]
    cases = {"floor: import typer, rich, pydantic, yaml": FLOOR, "stack minimum (typer+pydantic model+rich table)": STACK_MINIMUM,
             "import typer": TYPER, "cba --version": version, "cba run dorset-rsw.yaml": run,
             "cba run dorset-rsw.yaml --format json": run_json}
    if args.report:
        import tempfile

        report = Path(tempfile.mkdtemp()) / "dorset.html"
        cases["cba report dorset-rsw.yaml"] = cba_command() + ["report", "scenarios/dorset-rsw.yaml", "-o", str(report),
                                                               "--force"]
    for cmd in cases.values():  # warm the page cache and .pyc files
        timed(cmd)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):
        for name, cmd in cases.items():
            samples[name].append(timed(cmd))
    floor = statistics.median(samples["floor: import typer, rich, pydantic, yaml"])
    minimum = statistics.median(samples["stack minimum (typer+pydantic model+rich table)"])
    print(f"{'command':50} {'median ms':>10} {'/ floor':>9} {'/ stack minimum':>16}")
    for name, times in samples.items():
        median = statistics.median(times)
        print(f"{name:50} {median * 1000:10.1f} {median / floor:9.2f} {median / minimum:16.2f}")
    typer_alone = statistics.median(samples["import typer"])
    run_median = statistics.median(samples["cba run dorset-rsw.yaml"])
    print(f"cba --version / import typer: {statistics.median(samples['cba --version']) / typer_alone:.2f}")
    if args.report:
        print(f"cba report / cba run: {statistics.median(samples['cba report dorset-rsw.yaml']) / run_median:.2f}")
    print("targets (issue 32): cba run <= 1.10 x the stack minimum; --format json <= 0.85 x the stack minimum; "
          "--version <= 1.05 x import typer; report <= 2.5 x run")


if __name__ == "__main__":
    main()
