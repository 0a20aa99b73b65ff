"""Mutation testing of cba's arithmetic: does a wrong figure make a test fail?

Each mutant changes one thing in an engine module (an operator, a comparison, a constant, an
``and``, a ``continue``, an augmented assignment), and the engine's tests run against it; a test
that fails kills the mutant. Everything is mutated, property bodies and constants tables included
(general tools skip properties). Written for this project because mutmut cannot see the tests
that reach the engine through module-scoped fixtures and the CLI, and mutates no property.

    python mutation/run.py                        # every mutant of every engine module
    python mutation/run.py --sample 100 --seed 1 --min-score 90   # what CI runs
    python mutation/run.py --module cba/engine/timeline.py --list # the mutants, without running them
    python mutation/run.py --module cba/engine/sweep.py --match :switching_value:   # one function's

Each worker runs in its own copy of the repository, so mutants never touch the checkout.
Mutants written down in ``mutation/equivalent.txt`` (with the reason) are left out of the score.
"""

from __future__ import annotations

import argparse
import ast
import copy
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["cba/engine/appraisal.py", "cba/engine/timeline.py", "cba/engine/switching.py",
           "cba/engine/uncertainty.py", "cba/engine/sweep.py", "cba/engine/solve.py", "cba/model/inputs.py",
           "cba/engine/options.py", "cba/engine/options_value.py", "cba/engine/sensitivity.py",
           "cba/engine/correlation.py", "cba/engine/financial_case.py", "cba/engine/evidence.py",
           "cba/model/ranges.py", "cba/model/growth.py",
           "cba/model/money.py", "cba/model/record.py",
           *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "cba" / "check").glob("*.py")
                   if p.name not in ("__init__.py", "phases.py", "problem.py"))]
#: The tests a mutant must survive, fastest killers first: every figure in them is worked by hand.
TESTS = ["tests/test_engine_edges.py", "tests/test_green_book.py", "tests/test_dorset.py", "tests/test_real_terms.py",
         "tests/test_sweeps.py", "tests/test_scenario_shapes.py", "tests/test_one_vocabulary.py",
         "tests/test_meanings.py", "tests/test_solve.py", "tests/test_variants.py", "tests/test_figure_paths.py",
         "tests/test_arm_shapes.py", "tests/test_claims_unpublished.py", "tests/test_transfer_multiple.py",
         "tests/test_streaming.py", "tests/test_spreads.py", "tests/test_netted_savings.py",
         "tests/test_outside_costs.py", "tests/test_prices_not_stated.py", "tests/test_unmonetised.py",
         "tests/test_wellbeing.py", "tests/test_sensitivity.py", "tests/test_correlation.py", "tests/test_options.py",
         "tests/test_evidence_grades.py", "tests/test_financial_case.py", "tests/test_real_growth.py",
         "tests/test_real_growth_by_year.py",
         "--deselect", "tests/test_real_growth.py::test_the_workbook_grows_by_formula_in_libreoffice",
         "--deselect", "tests/test_real_growth_by_year.py::test_the_workbook_grows_by_year_by_formula_in_libreoffice",
         "--deselect", "tests/test_evidence_grades.py::test_the_workbook_grades_are_inputs_in_libreoffice",
         "--deselect", "tests/test_financial_case.py::test_the_workbook_sheet_is_live_in_libreoffice",
         "--deselect", "tests/test_options.py::test_the_workbook_is_a_live_model_in_libreoffice",
         # slow, and about files rather than figures: left to the full suite
         "--deselect", "tests/test_real_terms.py::test_thousands_of_lines_in_real_terms_export_with_plain_sums",
         "--deselect", "tests/test_sweeps.py::test_sweep_exports_have_a_table_and_a_chart",
         *[arg for name in ("test_the_claims_sheet_recalculates_to_the_figures_cba_prints",
                            "test_the_report_page_shows_the_claim",
                            "test_the_family_example_workbook_recalculates_in_libreoffice_to_the_figures_cba_prints",
                            "test_no_budget_workbook_recalculates_to_the_figures_cba_prints",
                            "test_units_workbook_amounts_are_units_times_the_price",
                            "test_court_arms_workbook_recalculates_to_the_figures_cba_prints",
                            "test_impact_bond_workbook_recalculates_to_the_figures_cba_prints",
                            "test_the_care_proceedings_workbook_recalculates_to_the_figures_cba_prints",
                            "test_quarterly_workbook_discounts_by_elapsed_time_and_recalculates")
           for arg in ("--deselect", f"tests/test_scenario_shapes.py::{name}")],
         *[arg for name in ("tests/test_arm_shapes.py::test_consistency_arm_means_in_pounds_recalculate_in_the_workbook",
                            "tests/test_arm_shapes.py::test_a_single_arm_workbook_recalculates_to_the_figures_cba_prints",
                            "tests/test_transfer_multiple.py::test_consistency_the_multiple_recalculates_in_the_workbook",
                            "tests/test_spreads.py::test_consistency_the_spreads_are_live_in_the_recalculated_workbook",
                            "tests/test_netted_savings.py::test_consistency_the_net_is_live_in_the_recalculated_workbook",
                            "tests/test_netted_savings.py::test_a_saving_nets_against_units_times_a_price",
                            "tests/test_outside_costs.py::test_consistency_the_workbooks_fiscal_case_recalculates",
                            "tests/test_prices_not_stated.py::test_an_undiscounted_appraisal_runs_and_its_workbook_recalculates")
           for arg in ("--deselect", name)]]
#: The scenario's rules: their own tests first (each rule, by hand), then the files that reach them through the CLI.
RULE_TESTS = ["tests/test_rules.py", "tests/test_correlation.py", "tests/test_financial_case.py", "tests/test_validate.py", "tests/test_errors.py", "tests/test_scenario_shapes.py",
              "tests/test_sweeps.py", "tests/test_real_terms.py", "tests/test_green_book.py", *TESTS[6:]]


#: Modules whose figures only their own commands show: their own tests, worked by hand, first.
OWN_TESTS = {
    "cba/engine/options.py": ["tests/test_options.py", "tests/test_sensitivity.py"],
    "cba/engine/options_value.py": ["tests/test_options.py"],
    "cba/engine/sensitivity.py": ["tests/test_sensitivity.py"],
    "cba/engine/correlation.py": ["tests/test_correlation.py"],
    "cba/engine/evidence.py": ["tests/test_evidence_grades.py", "--deselect",
                               "tests/test_evidence_grades.py::test_the_workbook_grades_are_inputs_in_libreoffice"],
    # only a scenario giving real_growth reaches it: those tests, worked by hand
    "cba/model/growth.py": ["tests/test_real_growth_by_year.py", "tests/test_real_growth.py", "--deselect",
                            "tests/test_real_growth_by_year.py::test_the_workbook_grows_by_year_by_formula_in_libreoffice",
                            "--deselect",
                            "tests/test_real_growth.py::test_the_workbook_grows_by_formula_in_libreoffice"],
    "cba/engine/financial_case.py": ["tests/test_financial_case.py", "tests/test_real_growth.py", "--deselect",
                                     "tests/test_financial_case.py::test_the_workbook_sheet_is_live_in_libreoffice",
                                     "--deselect",
                                     "tests/test_real_growth.py::test_the_workbook_grows_by_formula_in_libreoffice"],
}


def tests_for(module: str) -> list[str]:
    """The tests a mutant of ``module`` must survive, those most likely to kill it first."""
    if module == "cba/model/record.py":  # its own comparison with dataclass first, then the figures it carries
        return ["tests/test_record.py", *TESTS]
    if module in OWN_TESTS:
        return OWN_TESTS[module]
    return RULE_TESTS if module.startswith("cba/check/") else TESTS


COPIED = ["cba", "tests", "scenarios", "unit_costs", "schema", "bench", "pyproject.toml", "README.md"]
TIMEOUT = 300

BINARY = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult, ast.FloorDiv: ast.Div,
          ast.Pow: ast.Mult, ast.Mod: ast.FloorDiv}
COMPARE = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq, ast.NotEq: ast.Eq,
           ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn, ast.NotIn: ast.In}
SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Pow: "**", ast.Mod: "%",
          ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is",
          ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in", ast.And: "and", ast.Or: "or"}


@dataclass(frozen=True)
class Mutant:
    module: str
    path: tuple  # (field, index) steps from the module to the node
    line: int
    change: str  # what it does, e.g. "+ -> -"
    name: str = ""  # unique in the module, and unchanged when lines move: see ``mutants``

    @property
    def key(self) -> str:
        return f"{self.module}:{self.name}"

    @property
    def shown(self) -> str:
        """The key with the line it is on today, for people."""
        return f"{self.key}  (line {self.line})"


def _sites(node: ast.AST, path: tuple = ()):
    """(path, node, change) for every mutation of the tree, skipping annotations and docstrings."""
    for field, value in ast.iter_fields(node):
        if field in ("annotation", "returns", "type_comment", "decorator_list"):
            continue
        items = value if isinstance(value, list) else [value]
        for i, child in enumerate(items):
            if not isinstance(child, ast.AST):
                continue
            step = path + ((field, i if isinstance(value, list) else None),)
            if isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant) and isinstance(child.value.value, str):
                continue  # a docstring
            if isinstance(child, ast.ImportFrom) or isinstance(child, ast.Import):
                continue
            yield from _changes(child, step)
            yield from _sites(child, step)


def _changes(node: ast.AST, path: tuple):
    if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
        yield path, f"{SYMBOL[type(node.op)]} -> {SYMBOL[BINARY[type(node.op)]]}"
    elif isinstance(node, ast.AugAssign) and type(node.op) in BINARY:
        yield path, f"{SYMBOL[type(node.op)]}= -> ="
        yield path, f"{SYMBOL[type(node.op)]}= -> {SYMBOL[BINARY[type(node.op)]]}="
    elif isinstance(node, ast.Compare):
        for i, op in enumerate(node.ops):
            if type(op) in COMPARE:
                yield path, f"#{i} {SYMBOL[type(op)]} -> {SYMBOL[COMPARE[type(op)]]}"
    elif isinstance(node, ast.BoolOp):
        yield path, f"{SYMBOL[type(node.op)]} -> {'or' if isinstance(node.op, ast.And) else 'and'}"
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        yield path, "drop " + ("not" if isinstance(node.op, ast.Not) else "unary -")
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        yield path, f"{node.value} -> {not node.value}"
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        yield path, f"{node.value!r} -> {node.value + 1!r}"
    elif isinstance(node, ast.Break):
        yield path, "break -> continue"
    elif isinstance(node, ast.Continue):
        yield path, "continue -> break"


def _node(tree: ast.AST, path: tuple) -> tuple[ast.AST, ast.AST, tuple]:
    """(parent, node, last step) at a path."""
    parent, node = None, tree
    for field, index in path:
        parent = node
        value = getattr(node, field)
        node = value if index is None else value[index]
    return parent, node, path[-1]


def _replace(parent: ast.AST, step: tuple, new: ast.AST) -> None:
    field, index = step
    if index is None:
        setattr(parent, field, new)
    else:
        getattr(parent, field)[index] = new


def apply(tree: ast.Module, mutant: Mutant) -> str:
    """The module's source with one mutant applied."""
    tree = copy.deepcopy(tree)
    parent, node, step = _node(tree, mutant.path)
    change = mutant.change
    if isinstance(node, ast.BinOp):
        node.op = BINARY[type(node.op)]()
    elif isinstance(node, ast.AugAssign):
        if change.endswith("-> ="):
            _replace(parent, step, ast.Assign(targets=[node.target], value=node.value, lineno=node.lineno))
        else:
            node.op = BINARY[type(node.op)]()
    elif isinstance(node, ast.Compare):
        i = int(change.split()[0][1:])
        node.ops[i] = COMPARE[type(node.ops[i])]()
    elif isinstance(node, ast.BoolOp):
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    elif isinstance(node, ast.UnaryOp):
        _replace(parent, step, node.operand)
    elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
        node.value = not node.value
    elif isinstance(node, ast.Constant):
        node.value = node.value + 1
    elif isinstance(node, ast.Break):
        _replace(parent, step, ast.Continue())
    elif isinstance(node, ast.Continue):
        _replace(parent, step, ast.Break())
    return ast.unparse(ast.fix_missing_locations(tree))


def _context(tree: ast.AST, path: tuple) -> str:
    """The code a mutant changes, as written: the node, or for a constant the expression around it."""
    parent, node, _ = _node(tree, path)
    shown = node
    if isinstance(node, ast.Constant) and isinstance(parent, (ast.expr, ast.keyword, ast.AnnAssign, ast.Assign, ast.Return)):
        shown = parent  # a constant alone ("0") says nothing: show what it is the value of
    if isinstance(shown, (ast.Break, ast.Continue)):
        return type(shown).__name__.lower()
    text = " ".join(ast.unparse(shown).split())
    return text if len(text) <= 70 else text[:67] + "..."


def _scope(tree: ast.AST, path: tuple) -> str:
    """The function or class (dotted) a mutant is in, or "<module>"."""
    names, node = [], tree
    for field, index in path:
        value = getattr(node, field)
        node = value if index is None else value[index]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.append(node.name)
    return ".".join(names) or "<module>"


def mutants(module: str) -> tuple[ast.Module, list[Mutant]]:
    """Every mutant of a module, each named ``SCOPE: `CODE` CHANGE`` (with ``[2]``, ``[3]``... for a second
    and third identical site in one scope): unique, and unchanged when the module is reformatted, so a
    listing of equivalent mutants can never stand for one it was not written for."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    found, seen = [], {}
    for path, change in _sites(tree):
        _, node, _ = _node(tree, path)
        name = f"{_scope(tree, path)}: `{_context(tree, path)}` {change}"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name += f" [{seen[name]}]"
        found.append(Mutant(module, path, getattr(node, "lineno", 0), change, name))
    return tree, found


def equivalent() -> dict[str, str]:
    """Mutants shown to change nothing a test could see, with the reason: 'module:line: change  # reason'."""
    out = {}
    listing = ROOT / "mutation" / "equivalent.txt"
    for line in listing.read_text(encoding="utf-8").splitlines() if listing.exists() else []:
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition("  # ")
            if not reason.strip():
                raise SystemExit(f"mutation/equivalent.txt: {key.strip()}: give the reason it is equivalent")
            out[key.strip()] = reason.strip()
    return out


def _seed(given: str) -> int:
    """The sample's seed: an integer, or the checked-out commit's (its first 8 hex digits)."""
    if given != "commit":
        return int(given)
    done = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return int(done.stdout.strip()[:8], 16) if done.returncode == 0 and done.stdout.strip() else 1


def _worker_copy() -> Path:
    where = Path(tempfile.mkdtemp(prefix="cba-mutation-"))
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, where / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, where / name)
    return where


#: Libraries a worker imports once; each mutant's tests then run in a fork of it, importing only cba afresh.
PRELOAD = ("numpy", "pydantic", "yaml", "rich", "typer", "openpyxl", "hypothesis", "pytest", "lxml.etree")


def serve() -> None:
    """A worker, started in its copy of the repository: for each line on stdin, run the tests in a forked child
    (so the mutated module is imported fresh) and answer killed, survived or timeout."""
    import importlib
    import signal

    for name in PRELOAD:
        importlib.import_module(name)
    for request in sys.stdin:
        module = request.strip()
        pid = os.fork()
        if pid == 0:
            quiet = os.open(os.devnull, os.O_WRONLY)
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            import pytest

            os._exit(int(pytest.main(["-x", "-q", "-p", "no:cacheprovider", *tests_for(module)])))
        deadline = time.monotonic() + TIMEOUT
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                outcome = "survived" if os.waitstatus_to_exitcode(status) == 0 else "killed"
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                outcome = "timeout"
                break
            time.sleep(0.02)
        print(outcome, flush=True)


class Worker:
    def __init__(self) -> None:
        self.root = _worker_copy()
        # the copy's own cba comes first on sys.path: the worker runs there, and '' leads sys.path
        self.process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve"], cwd=self.root,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})

    def run(self, tree: ast.Module | None, mutant: Mutant | None, module: str = MODULES[0]) -> tuple[str, float]:
        """'killed', 'survived' or 'timeout', and the seconds it took (no mutant: the code as it is, with the
        tests ``module``'s mutants face)."""
        target = self.root / (mutant.module if mutant else module)
        original = target.read_text(encoding="utf-8")
        if tree is not None and mutant is not None:
            target.write_text(apply(tree, mutant), encoding="utf-8")
        start = time.perf_counter()
        try:
            self.process.stdin.write(f"{target.relative_to(self.root)}\n")  # type: ignore[union-attr]
            self.process.stdin.flush()  # type: ignore[union-attr]
            outcome = self.process.stdout.readline().strip()  # type: ignore[union-attr]
        finally:
            target.write_text(original, encoding="utf-8")
        return outcome, time.perf_counter() - start

    def close(self) -> None:
        self.process.stdin.close()  # type: ignore[union-attr]
        self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--module", action="append", help="a module to mutate (default: every engine module)")
    parser.add_argument("--sample", type=int, help="run this many mutants, chosen with --seed")
    parser.add_argument("--seed", default="1", help="an integer, or 'commit': seeded from the checked-out commit, "
                                                    "so each commit tests a different sample and a rerun the same one")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--min-score", type=float, default=0.0, help="fail (exit 1) below this %% killed")
    parser.add_argument("--list", action="store_true", help="print the mutants and stop")
    parser.add_argument("--match", action="append",
                        help="only mutants whose name contains this (e.g. ':switching_value:'); repeat for any of several")
    args = parser.parse_args()

    trees, chosen = {}, []
    for module in args.module or MODULES:
        trees[module], found = mutants(module)
        chosen += found
    skip = equivalent()
    stale = [
        key
        for key in skip
        if key.split(":", 1)[0] not in MODULES  # a module moved or gone: its entries must be judged again
        or (key.split(":", 1)[0] in trees and key not in {m.key for m in chosen})
    ]
    if stale:  # a listed mutant that no longer exists: its code changed, so its reason must be judged again
        for key in stale:
            print(f"mutation/equivalent.txt: no such mutant now: {key}", file=sys.stderr)
        return 2
    counted = [m for m in chosen if m.key not in skip and (args.match is None or any(s in m.key for s in args.match))]
    if args.sample is not None:
        seed = _seed(args.seed)
        print(f"sample of {min(args.sample, len(counted))} from {len(counted)} mutants, seed {seed}", flush=True)
        counted = random.Random(seed).sample(counted, min(args.sample, len(counted)))
    if args.list:
        for m in counted:
            print(m.shown)
        print(f"{len(counted)} mutants ({len(chosen) - len([m for m in chosen if m.key not in skip])} equivalent left out)")
        return 0

    import queue

    workers = [Worker() for _ in range(max(1, args.jobs))]
    # The unmutated code must pass first: a test that fails anyway (a missing tool, a stale fixture) would
    # otherwise "kill" every mutant, and the score would say nothing.
    baselines: dict[int, str] = {}  # a module for each set of tests the mutants face
    for m in counted:
        baselines.setdefault(id(tests_for(m.module)), m.module)
    for module in baselines.values():
        outcome, seconds = workers[0].run(None, None, module)
        if outcome != "survived":
            for w in workers:
                w.close()
            print(f"the tests fail on the unmutated code ({outcome}, {seconds:.0f} s): fix that first; "
                  f"python -m pytest -x {' '.join(tests_for(module))} shows why", file=sys.stderr)
            return 2
        print(f"unmutated code passes the tests {module}'s mutants face ({seconds:.0f} s)", flush=True)
    free: queue.Queue[Worker] = queue.Queue()
    for w in workers:
        free.put(w)
    results: dict[Mutant, tuple[str, float]] = {}
    start = time.perf_counter()

    progress = threading.Lock()
    every = max(1, len(counted) // 10)  # about ten progress lines a run: a CI log shows it is alive

    def task(m: Mutant) -> None:
        worker = free.get()
        try:
            results[m] = worker.run(trees[m.module], m)
        finally:
            free.put(worker)
        outcome, seconds = results[m]
        if outcome != "killed":
            print(f"{outcome.upper()}: {m.shown} ({seconds:.1f} s)", flush=True)
        with progress:
            done = len(results)
            if done % every == 0 or done == len(counted):
                killed = sum(1 for o, _ in results.values() if o == "killed")
                print(f"[{done}/{len(counted)}] {killed} killed, {time.perf_counter() - start:.0f} s", flush=True)

    try:
        with ThreadPoolExecutor(max_workers=len(workers)) as pool:
            list(pool.map(task, counted))
    finally:
        for w in workers:
            w.close()

    print(f"\n{'module':34} {'mutants':>8} {'killed':>7} {'survived':>9} {'timeout':>8} {'score':>7}")
    total_killed = 0
    for module in args.module or MODULES:
        mine = [r for m, r in results.items() if m.module == module]
        killed = sum(1 for o, _ in mine if o == "killed")
        survived = sum(1 for o, _ in mine if o == "survived")
        timeouts = sum(1 for o, _ in mine if o == "timeout")
        total_killed += killed
        score = 100 * killed / len(mine) if mine else 100.0
        print(f"{module:34} {len(mine):8} {killed:7} {survived:9} {timeouts:8} {score:6.1f}%")
    score = 100 * total_killed / len(results) if results else 100.0
    print(f"{'all':34} {len(results):8} {total_killed:7} {len(results) - total_killed:9} {'':8} {score:6.1f}%"
          f"   ({time.perf_counter() - start:.0f} s, {len(workers)} workers; "
          f"equivalent mutants left out: {len(chosen) - len([m for m in chosen if m.key not in skip])})")
    if score < args.min_score:
        print(f"mutation score {score:.1f}% is below {args.min_score:g}%", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        sys.exit(main())
