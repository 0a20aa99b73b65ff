"""What the typer commands and the console script's fast path share, with no typer import.

``cba run`` is answered here both ways: the fast path in ``entry`` (a plain ``cba run``,
before typer is imported) and the typer command call ``run_command``, so the two cannot drift.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cba.cli.options import Appraisal, Output
from cba.model.errors import escape_controls as visible

if TYPE_CHECKING:
    from cba.engine.run import PathReader, RunResult
    from cba.io.load import Loaded


def stdout_console():
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    # Piped output: wide enough that tables are not wrapped into unreadable columns.
    return Console(width=int(os.environ.get("COLUMNS", 160)), soft_wrap=False, highlight=False)


def report(exc: BaseException) -> int:
    """Print a cba error as one line per problem on stderr; return its exit code (1 input/output, 2 usage)."""
    from cba.model.errors import CbaError

    assert isinstance(exc, CbaError)
    for line in exc.lines():
        print(line, file=sys.stderr)
    return exc.exit_code


def command_line() -> str:
    return shlex.join(["cba", *sys.argv[1:]])


def prepare(scenario: Path, appraisal: Appraisal, uncertainty: tuple[int, int] | None = None):
    """Load and appraise once: (loaded inputs, the run's result). With ``uncertainty`` (draws, seed), a scenario
    with ranges also has its headline's simulated median and chance below zero."""
    from cba.engine.run import run
    from cba.io.load import load
    from cba.model.errors import UsageError, suggest
    from cba.model.scenario import NetPositionBasis

    basis = appraisal.basis
    loaded = load(scenario, appraisal.unit_costs, green_book=appraisal.green_book, sets=list(appraisal.sets))
    for warning in loaded.warnings:  # the run goes ahead; stderr, so a redirected result stays clean
        print(warning, file=sys.stderr)
    known = [o.id for o in loaded.scenario.outcomes]
    for a in appraisal.attributable:
        if a not in known:
            raise UsageError(
                f"--attributable {a}: no outcome with that id in {loaded.source.name}{suggest(a, known)}"
                + (f"; outcomes: {', '.join(known)}" if known else "; the scenario has no outcomes")
            )
    if basis:
        from cba.check.settings import outturn_bias_problems

        problems = outturn_bias_problems(loaded.scenario, NetPositionBasis(basis))
        if problems:
            first = problems[0]
            where = ".".join(map(str, first.location)) if isinstance(first.location, tuple) else ""
            raise UsageError(f"--basis {basis}: {first.message} ({where})")
    result = run(
        loaded.scenario,
        loaded.costs,
        loaded.provenance(command_line()),
        reference=loaded.reference,
        attributable=appraisal.attributable,
        basis=NetPositionBasis(basis) if basis else None,
        overrides=appraisal.sets,
        unit_costs_from=None if appraisal.unit_costs is None else appraisal.unit_costs.name,
        read_paths=path_reader(loaded),
        green_book=appraisal.green_book,
    )
    refuse_unknown_paths(loaded, result)
    if uncertainty is not None:
        from cba.model.ranges import correlated_pairs, uncertain_inputs

        ranges = uncertain_inputs(loaded.scenario)
        if ranges:  # numpy only for a scenario with ranges: start-up stays light for the rest
            from cba.engine.uncertainty import headline_uncertainty

            draws, seed = uncertainty
            figures = headline_uncertainty(
                result,
                ranges,
                draws=draws,
                seed=seed,
                attributable=appraisal.attributable,
                correlations=correlated_pairs(loaded.scenario),
            )
            result = result.with_uncertainty(figures, draws, seed)
    return loaded, result


def path_reader(loaded: Loaded) -> PathReader | None:
    """The reader of published results' paths (from the run's JSON), imported only when a result names one."""
    from cba.model.figure_path import is_path

    if not any(is_path(r.figure) for r in loaded.scenario.published_results):
        return None
    from cba.render.figure_paths import read_paths

    return read_paths


def refuse_unknown_paths(loaded: Loaded, result: RunResult) -> None:
    """InputError, one line at each published result whose path names nothing in this run, before any output."""
    from cba.model.errors import Diagnostic, InputError

    problems = [
        Diagnostic(
            at.file, at.line, at.column, f"published result: {check.label}: figure {check.figure}: {check.unknown}"
        )
        for check, at in ((c, loaded.figure_at(i)) for i, c in enumerate(result.result_checks) if c.unknown)
    ]
    if problems:
        raise InputError(problems)


def check_output(path: Path | None, force: bool, inputs: list[Path], suffix: str = ".xlsx") -> None:
    """Every check on an output file, before anything is computed or printed."""
    if path is None:
        return
    from cba.io.atomic import check_target
    from cba.model.errors import UsageError

    check_target(path, force=force, inputs=inputs)
    if path.suffix.lower() != suffix:
        what = "an HTML report" if suffix == ".html" else "a workbook"
        raise UsageError(f"{path}: {what} file name must end in {suffix}")


def hold_to_published(loaded: Loaded, result: RunResult, strict: bool) -> None:
    """With ``--strict`` (or ``strict: true`` in the scenario), after the report is out: InputError, one line at
    each published result that does not agree with cba's figure or that cba cannot check."""
    if not (strict or loaded.scenario.strict):
        return
    from cba.model.errors import Diagnostic, InputError
    from cba.render.format import fmt_published, fmt_result

    problems = []
    for i, check in enumerate(result.result_checks):
        if check.agrees:
            continue
        at = loaded.result_at(i)
        published = fmt_published(check)
        if check.computed is None:
            why = f"cannot be checked: {check.why_none}"
        else:
            why = f"cba's is {fmt_result(check.rounded, check.kind, check.to)}: does not agree"
        problems.append(
            Diagnostic(
                at.file,
                at.line,
                at.column,
                f"published result: {check.label} ({check.figure}): published {published}, {why} (--strict)",
            )
        )
    if problems:
        raise InputError(problems)


def run_command(scenario: Path, appraisal: Appraisal, output: Output, detail: bool, strict: bool = False) -> None:
    """``cba run``: check the output, appraise once, write the workbook if asked, print the report, then hold the
    figures to the published results when strict."""
    xlsx, force, fmt = output.xlsx, output.force, output.format
    check_output(xlsx, force, [scenario])
    from cba.model.ranges import DEFAULT_DRAWS, DEFAULT_SEED

    loaded, result = prepare(scenario, appraisal, (DEFAULT_DRAWS, DEFAULT_SEED))
    if xlsx is not None:
        from cba.render.xlsx import export

        export(result, xlsx, force=force, inputs=[s.path for s in loaded.sources])
    from cba.render.output import RunFaces, emit

    emit(RunFaces(result, detail), fmt, stdout_console)
    if xlsx is not None:
        print(f"wrote {visible(str(xlsx))}", file=sys.stderr)
    hold_to_published(loaded, result, strict)
