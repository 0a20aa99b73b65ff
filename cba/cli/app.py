"""The command line: parse options, load, call the engine, hand the result to a renderer.

Nothing here computes a figure. Errors are ``CbaError``s, turned into one line each on
stderr and an exit code in one place (``reports_errors``). Heavy modules (pydantic
models, rich, openpyxl, numpy) are imported inside the commands that need them, so
``cba --version`` starts fast and ``cba run`` never loads openpyxl or numpy.
"""

from __future__ import annotations

import functools
import glob
import inspect
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import typer
from typer.core import TyperArgument, TyperCommand

from cba import __version__
from cba.cli.common import (
    check_output,
    command_line,
    hold_to_published,
    path_reader,
    prepare,
    refuse_unknown_paths,
    report,
    run_command,
    stdout_console,
)
from cba.cli.help_text import ROOT_EPILOG, SUMMARIES, described, examples
from cba.cli.options import (
    APPRAISAL,
    DETAIL,
    FORCE,
    FORMAT,
    OUTPUT,
    STRICT,
    UNIT_COSTS,
    Appraisal,
    FormatName,
    Option,
    Output,
)
from cba.model.errors import escape_controls as visible


class _Argument(TyperArgument):
    """typer writes a required argument as {SCENARIO} in usage lines and adds its Python type
    (PATH... <list[Path]>) to the help; people read neither."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required else f"[{name}]"

    def display_type_rich(self, ctx) -> None:
        return None


class _Command(TyperCommand):
    """A command whose arguments display as ``_Argument`` does. typer builds its arguments itself with no
    class to pass, so each of this app's commands re-classes its own (nothing outside cba is touched)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument:
                param.__class__ = _Argument

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """An option this command lacks is named with the commands that have it (breakeven --outcome said
        only "Possible options: --force", a near spelling of its own)."""
        from typer._click.exceptions import NoSuchOption

        try:
            return super().parse_args(ctx, args)
        except NoSuchOption as exc:
            import difflib

            others = _commands_with(exc.option_name, ctx)
            own = sorted(o for p in self.params for o in getattr(p, "opts", ()) if o.startswith("--"))
            close = difflib.get_close_matches(exc.option_name, own, n=1, cutoff=0.75)  # --forc, not --outcome
            where = f"; it is an option of {', '.join(others)}" if others else ""
            meant = f" (did you mean {close[0]}?)" if close and not others else ""
            raise NoSuchOption(
                exc.option_name,
                f"{self.name} has no {exc.option_name}{meant}{where}. Its options: {', '.join(own)}",
                ctx=ctx,
            ) from None


def _commands_with(option: str, ctx: Any) -> list[str]:
    """The commands (cba run, cba costs show, ...) that take ``option``."""
    import click

    root = ctx.find_root().command
    found = []

    def visit(group: Any, prefix: str) -> None:
        for name, command in sorted(getattr(group, "commands", {}).items()):
            if isinstance(command, click.Group):
                visit(command, f"{prefix} {name}")
            elif any(option in getattr(p, "opts", ()) for p in command.params):
                found.append(f"{prefix} {name}")

    visit(root, "cba")
    return found


class _Typer(typer.Typer):
    """typer.Typer whose commands are ``_Command``s."""

    def command(self, *args: Any, cls: Any = _Command, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls, **kwargs)


app = _Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Cost-benefit analysis for public-service programmes, from YAML scenarios.",
    epilog=ROOT_EPILOG,
)


def reports_errors(command):
    """Turn every cba error into its lines on stderr and its exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from cba.model.errors import CbaError

        try:
            return command(*args, **kwargs)
        except CbaError as exc:
            raise typer.Exit(report(exc)) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        print(f"cba {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool | None, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    pass


#: Paths are checked where they are read, in cba's words (exit 1, and validate goes on to the next file):
#: typer's own check made an unreadable file a usage error (exit 2) that stopped the command.
_PATHS: dict[str, Any] = {"readable": False}


def _path_option(*flags: str, **given: Any) -> Any:
    return typer.Option(*flags, **given, **_PATHS)  # type: ignore[misc]  # flags, not a default: as Annotated takes them


def _path_argument(*args: Any, **given: Any) -> Any:
    return typer.Argument(*args, **given, **_PATHS)  # type: ignore[misc]  # as typer.Argument is called elsewhere


# Options shared by commands are declared once, in cba.cli.options; these turn a declaration into the
# typer parameter it stands for, and add a group of them to a command as one value (after sqlite-utils'
# output_options), so no command repeats a flag, a help text or a default.
ScenarioArg = Annotated[Path, _path_argument(metavar="SCENARIO", help="Scenario YAML file.", show_default=False)]


def _typer_option(option: Option) -> Any:
    return typer.Option(
        *option.flags, help=option.help, metavar=option.metavar, **_PATHS if option.kind == "path" else {}
    )


def _annotation(option: Option) -> Any:
    """``Annotated[type, typer.Option(...)]`` for a declared option."""
    kind: Any = {"path": Path, "text": str, "switch": bool}.get(option.kind)
    if option.kind == "choice":
        kind = Literal[option.choices]
    if option.repeat:
        kind = list[kind]
    if option.default is None and option.kind != "switch":
        kind = Optional[kind]  # noqa: UP045 (typer reads the Optional)
    return Annotated[kind, _typer_option(option)]


def _adding(name: str, options: tuple[Option, ...], build: Callable[[dict[str, object]], object]):
    """A decorator: the command's parameter ``name`` becomes the declared ``options`` on the command line,
    and the command receives them built into one value."""

    def decorate(command):
        signature = inspect.signature(command, eval_str=True)
        own = list(signature.parameters.values())
        at = [p.name for p in own].index(name)
        keyword = inspect.Parameter.KEYWORD_ONLY  # click passes every parameter by name
        added = [inspect.Parameter(o.dest, keyword, default=o.default, annotation=_annotation(o)) for o in options]
        params = [p.replace(kind=keyword) for p in own[:at]] + added + [p.replace(kind=keyword) for p in own[at + 1 :]]

        @functools.wraps(command)
        def wrapper(**kwargs):
            kwargs[name] = build({o.dest: kwargs.pop(o.dest) for o in options})
            return command(**kwargs)

        wrapper.__signature__ = signature.replace(parameters=params)
        wrapper.__annotations__ = {p.name: p.annotation for p in params}
        return wrapper

    return decorate


#: Stand-ins for the parameters the decorators below replace with the options they stand for.
GIVEN_APPRAISAL, GIVEN_OUTPUT = Appraisal(), Output()
#: The appraisal options (--unit-costs, -a, --basis, --set, --green-book), received as ``appraisal: Appraisal``.
appraisal_options = _adding("appraisal", APPRAISAL, Appraisal.of)
#: The output options (--format, --xlsx, --force), received as ``output: Output``.
output_options = _adding("output", OUTPUT, Output.of)
# A command's own use of a shared option (costs has --unit-costs and --format but appraises nothing).
UnitCostsOpt = Annotated[Optional[Path], _typer_option(UNIT_COSTS)]  # noqa: UP045 (typer reads the Optional)
FormatOpt = Annotated[FormatName, _typer_option(FORMAT)]
ForceOpt = Annotated[bool, _typer_option(FORCE)]
DetailOpt = Annotated[bool, _typer_option(DETAIL)]
StrictOpt = Annotated[bool, _typer_option(STRICT)]


@app.command(**described("run"))
@reports_errors
@appraisal_options
@output_options
def run(
    scenario: ScenarioArg,
    appraisal: Appraisal,
    detail: DetailOpt = False,
    strict: StrictOpt = False,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Appraise a scenario: budget vs actual, reconciliation, outcomes, net position and appraisal."""
    run_command(scenario, appraisal, output, detail, strict)


@app.command(**described("export"))
@reports_errors
@appraisal_options
def export(
    scenario: ScenarioArg,
    output: Annotated[Path, _path_option("--output", "-o", help="Workbook to write (.xlsx).", show_default=False)],
    appraisal: Appraisal = GIVEN_APPRAISAL,
    force: ForceOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Export the appraisal as an Excel workbook with live formulas, sources and reconciliation."""
    check_output(output, force, [scenario])
    from cba.model.ranges import DEFAULT_DRAWS, DEFAULT_SEED
    from cba.render.xlsx import export as write_workbook

    loaded, result = prepare(scenario, appraisal, (DEFAULT_DRAWS, DEFAULT_SEED))
    write_workbook(result, output, force=force, inputs=[s.path for s in loaded.sources])
    print(f"wrote {visible(str(output))}", file=sys.stderr)
    hold_to_published(loaded, result, strict)


@app.command("diff", **described("diff"))
@reports_errors
def diff_command(
    workbook: Annotated[
        Path, _path_argument(metavar="WORKBOOK", help="An audit workbook cba export wrote, edited.", show_default=False)
    ],
    scenario: Annotated[
        Path | None,
        _path_argument(
            metavar="[SCENARIO]",
            help="The scenario it was exported from (default: the one its Summary names).",
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Apply the change to the scenario file, its comments and layout kept.")
    ] = False,
    format: Annotated[
        Literal["table", "json"], typer.Option("--format", "-f", help="table (for people) or json (for programs).")
    ] = "table",
) -> None:
    """List the inputs an edited workbook changes, as --set lines and as a patch to the scenario."""
    from cba.cli.diff import diff, show
    from cba.cli.diff import write as apply

    found = diff(workbook, scenario)
    show(found, format)
    if write:
        apply(found)


@app.command("report", **described("report"))
@reports_errors
@appraisal_options
def html_report(
    scenario: ScenarioArg,
    output: Annotated[Path, _path_option("--output", "-o", help="Page to write (.html).", show_default=False)],
    appraisal: Appraisal = GIVEN_APPRAISAL,
    draws: Annotated[
        int,
        typer.Option("--draws", "-n", min=100, max=1_000_000, help="Monte Carlo draws, when the scenario has ranges."),
    ] = 10_000,  # model/ranges.DEFAULT_DRAWS and DEFAULT_SEED, written out so that --help imports no model
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed for the draws.")] = 20200301,
    force: ForceOpt = False,
    strict: StrictOpt = False,
) -> None:
    """Write a self-contained HTML report for a board: headline, spend, reconciliation, outcomes, appraisal, charts."""
    check_output(output, force, [scenario], suffix=".html")
    from cba.model.ranges import correlated_pairs, uncertain_inputs
    from cba.render.html import write as write_page

    loaded, result = prepare(scenario, appraisal, (draws, seed))
    ranges = uncertain_inputs(loaded.scenario)
    simulation = None
    if ranges:
        from cba.engine.uncertainty import simulate as monte_carlo

        simulation = monte_carlo(
            result,
            ranges,
            draws=draws,
            seed=seed,
            attributable=appraisal.attributable,
            correlations=correlated_pairs(loaded.scenario),
        )
    write_page(result, output, simulation, force=force, inputs=[s.path for s in loaded.sources])
    print(f"wrote {visible(str(output))}", file=sys.stderr)
    hold_to_published(loaded, result, strict)


def _emit(result, output: Output, inputs: list[Path]) -> None:
    """Write a table result to stdout and, if asked, to a workbook."""
    if output.xlsx is not None and result.command == "options":  # a live model, not values
        from cba.render.xlsx_options import write_options

        write_options(output.xlsx, result, force=output.force, inputs=inputs)
    elif output.xlsx is not None:
        from cba.render.xlsx_tables import write_tables

        write_tables(output.xlsx, result, force=output.force, inputs=inputs)
    from cba.render.output import TableFaces, emit

    emit(TableFaces(result), output.format, stdout_console)
    if output.xlsx is not None:
        print(f"wrote {visible(str(output.xlsx))}", file=sys.stderr)


@app.command(**described("compare"))
@reports_errors
@appraisal_options
@output_options
def compare(
    scenarios: Annotated[
        list[Path],
        _path_argument(metavar="SCENARIO...", help="Two or more scenario files; differences are against the first."),
    ],
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Compare the headline figures of several scenarios side by side."""
    from cba.model.errors import UsageError

    if len(scenarios) < 2:
        raise UsageError("compare: give at least two scenarios")
    check_output(output.xlsx, output.force, list(scenarios))
    from cba.engine.compare import compare as compare_runs

    runs = [prepare(path, appraisal) for path in scenarios]
    names = [path.stem for path in scenarios]
    _emit(compare_runs([r for _, r in runs], names), output, [s.path for loaded, _ in runs for s in loaded.sources])


@app.command(**described("options"))
@reports_errors
@appraisal_options
@output_options
def options(
    scenarios: Annotated[
        list[Path],
        _path_argument(
            metavar="BAU OPTION...",
            help="Business as usual first, then each option (an option may extends: another).",
        ),
    ],
    do_minimum: Annotated[
        str | None,
        typer.Option(
            "--do-minimum",
            metavar="NAME",
            help="Which option (its file's stem) is the do-minimum.",
        ),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Also write the board's page (.html).", **_PATHS),
    ] = None,
    draws: Annotated[
        int | None,
        typer.Option(
            "--draws",
            "-n",
            min=1,
            max=1_000_000,
            help="Draw the options' ranges together this many times: each option's chance of being best, and "
            "the expected value of perfect information between them.",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Random seed for --draws.")] = 20200301,
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Appraise a shortlist against business as usual: NPSV, BCR, value-for-money category, increments."""
    check_output(output.xlsx, output.force, list(scenarios))
    check_output(html, output.force, list(scenarios), suffix=".html")
    from cba.engine.options import appraise_options, check_shortlist, shortlist

    runs = [prepare(path, appraisal) for path in scenarios]
    names = [path.stem for path in scenarios]
    chosen = shortlist([r for _, r in runs], names, do_minimum)
    drawn: tuple = ()  # the tables of the draws, when asked for
    if draws is not None:
        from cba.engine.options_value import draw_options
        from cba.model.ranges import correlated_pairs, uncertain_inputs

        check_shortlist(chosen)  # appraised, on one set of conventions, before anything is drawn
        drawn = draw_options(
            chosen,
            [uncertain_inputs(loaded.scenario) for loaded, _ in runs],
            [correlated_pairs(loaded.scenario) for loaded, _ in runs],
            draws=draws,
            seed=seed,
            attributable=appraisal.attributable,
        )
    result = appraise_options(chosen, drawn)
    inputs = [s.path for loaded, _ in runs for s in loaded.sources]
    if html is not None:
        from cba.render.html_options import write as write_html

        write_html(result, html, force=output.force, inputs=inputs)
    _emit(result, output, inputs)
    if html is not None:
        print(f"wrote {visible(str(html))}", file=sys.stderr)


VaryOpt = Annotated[
    list[str],
    typer.Option(
        "--vary",
        metavar="KEY=VALUES",
        help="Vary an input: OUTCOME=-10,-30,-60 (its change: a fall is negative; -10% is 10% of its baseline), "
        "UNIT_COST=-20%,0,+20%, OUTCOME.deadweight=0:0.5:0.1, costs.LINE=-10%. Repeat for a grid.",
    ),
]


@app.command(**described("whatif"))
@reports_errors
@appraisal_options
@output_options
def whatif(
    scenario: ScenarioArg,
    vary: VaryOpt,
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Evaluate the scenario at each value (or grid of values) of one or more inputs."""
    check_output(output.xlsx, output.force, [scenario])
    from cba.engine.whatif import whatif as sweep

    loaded, result = prepare(scenario, appraisal)
    _emit(sweep(result, vary, appraisal.attributable), output, [s.path for s in loaded.sources])


@app.command(**described("breakeven"))
@reports_errors
@appraisal_options
@output_options
def breakeven(
    scenario: ScenarioArg,
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Switching values: the change in each outcome, unit cost and total cost that brings benefits level with cost."""
    check_output(output.xlsx, output.force, [scenario])
    from cba.engine.breakeven import breakeven as switching

    loaded, result = prepare(scenario, appraisal)
    _emit(switching(result), output, [s.path for s in loaded.sources])


@app.command(**described("solve"))
@reports_errors
@appraisal_options
@output_options
def solve(
    scenario: ScenarioArg,
    vary: Annotated[
        str,
        typer.Option(
            "--vary",
            metavar="KEY",
            help="The input to solve for, as --vary names it: an outcome (its change), a unit cost, "
            "OUTCOME.deadweight, costs.LINE, appraisal.discount_rate, ...",
        ),
    ],
    so: Annotated[
        str,
        typer.Option(
            "--so",
            metavar="FIGURE=VALUE",
            help="The figure and the value it must take: net_position, attributable_benefits, "
            "benefit_cost_ratio, and when appraised npv, pv_benefits, bcr, financial_roi, cashable_roi.",
        ),
    ],
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Goal seek: the value of one input, the others as written, at which a figure takes a value."""
    check_output(output.xlsx, output.force, [scenario])
    from cba.engine.solve import solve as goal_seek

    loaded, result = prepare(scenario, appraisal)
    table = goal_seek(result, loaded.scenario, loaded.unit_costs, loaded.reference, vary, so, appraisal.attributable)
    _emit(table, output, [s.path for s in loaded.sources])


@app.command(**described("sensitivity"))
@reports_errors
@appraisal_options
@output_options
def sensitivity(
    scenario: ScenarioArg,
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """The standard sensitivity set: optimistic and pessimistic cases, discount-rate tests, switching values."""
    check_output(output.xlsx, output.force, [scenario])
    from cba.engine.sensitivity import sensitivity as sensitivity_set

    loaded, result = prepare(scenario, appraisal)
    tables = sensitivity_set(result, loaded.scenario, loaded.unit_costs, loaded.reference, appraisal.attributable)
    _emit(tables, output, [s.path for s in loaded.sources])


@app.command(**described("simulate"))
@reports_errors
@appraisal_options
@output_options
def simulate(
    scenario: ScenarioArg,
    draws: Annotated[
        int, typer.Option("--draws", "-n", min=1, max=50_000_000, help="Number of Monte Carlo draws.")
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed: the same seed gives the same numbers.")
    ] = 20200301,
    appraisal: Appraisal = GIVEN_APPRAISAL,
    output: Output = GIVEN_OUTPUT,
) -> None:
    """Monte Carlo over the scenario's ranges: percentiles, chance of paying back, histogram and tornado."""
    check_output(output.xlsx, output.force, [scenario])
    from cba.engine.uncertainty import CHUNK
    from cba.engine.uncertainty import simulate as monte_carlo
    from cba.model.ranges import correlated_pairs, uncertain_inputs

    loaded, result = prepare(scenario, appraisal, (draws, seed))
    ranges = uncertain_inputs(loaded.scenario)
    pairs = correlated_pairs(loaded.scenario)
    from rich.console import Console

    stderr = Console(stderr=True)
    if draws >= 2 * CHUNK and stderr.is_interactive:  # a bar only for runs of a second or more, on a terminal
        from rich.progress import Progress

        with Progress(console=stderr, transient=True) as bar:
            task = bar.add_task("Simulating", total=draws)
            sim = monte_carlo(
                result,
                ranges,
                draws=draws,
                seed=seed,
                attributable=appraisal.attributable,
                advance=lambda size: bar.advance(task, size),
                correlations=pairs,
            )
    else:
        sim = monte_carlo(
            result, ranges, draws=draws, seed=seed, attributable=appraisal.attributable, correlations=pairs
        )
    _emit(sim, output, [s.path for s in loaded.sources])


class SortKey(str, Enum):
    npv = "npv"
    bcr = "bcr"
    cost = "cost"
    name = "name"


@app.command(**described("portfolio"))
@reports_errors
@appraisal_options
def portfolio(
    paths: Annotated[
        list[Path],
        _path_argument(
            metavar="PATH...",
            help="Scenario files, folders (searched for *.yaml) and glob patterns such as 'programmes/**/*.yaml'.",
        ),
    ],
    appraisal: Appraisal = GIVEN_APPRAISAL,
    sort: Annotated[
        SortKey | None, typer.Option("--sort", help="Order by npv, bcr or cost (largest first) or name.")
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="COLUMN OP VALUE",
            help="Keep rows where this holds, e.g. npv>0, status=invalid (repeatable; all must hold).",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=1, help="Processes to use (default and most: one per core, and no more than the files)."
        ),
    ] = os.cpu_count() or 1,
    format: FormatOpt = "table",
    xlsx: Annotated[
        Path | None,
        _path_option(
            "--xlsx",
            help="Also write a summary workbook, with each programme's "
            "own workbook in a folder beside it (OUT-programmes/), linked.",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Appraise many scenarios at once: one row per programme, totals, and how many pay back."""
    from dataclasses import replace

    from cba.cli.portfolio import (
        Bar,
        Options,
        appraise_all,
        most_jobs,
        move_workbooks,
        report_problems,
        staging_folder,
    )
    from cba.engine.portfolio import condition
    from cba.engine.portfolio import portfolio as summarise
    from cba.io.discover import scenario_files

    found = scenario_files(paths)
    for text in where or []:
        condition(text)  # a bad filter is reported before any work
    check_output(xlsx, force, found.files)
    folder = staging = None
    if xlsx is not None:
        from cba.io.atomic import check_target

        folder = xlsx.with_name(xlsx.stem + "-programmes")
        if folder.is_symlink() and not folder.exists():  # mkdir would fail on it after the work was done
            from cba.model.errors import OutputError

            raise OutputError(f"{folder}: a link to nothing; remove it, or point it at a folder")
        if folder.exists() and not folder.is_dir():
            from cba.model.errors import OutputError

            raise OutputError(f"{folder}: exists and is not a folder; it would hold each programme's workbook")
        if folder.is_dir():
            for i, path in enumerate(found.files):
                check_target(folder / f"{i + 1:04d}-{path.stem}.xlsx", force=force)
    bar = Bar()
    options = Options(
        appraisal,
        command_line(),
        staging,
    )
    from cba.io.atomic import signals_end_the_work

    try:
        with signals_end_the_work():
            if xlsx is not None:  # made once the signal handlers are in place, so a signal cannot leave it behind
                staging = staging_folder(xlsx)
                options = replace(options, workbooks=staging)
            rows = appraise_all(found.files, options, most_jobs(jobs, len(found.files)), bar)
            bar.close()
            report_problems(rows)
            if xlsx is not None and folder is not None and staging is not None:
                move_workbooks(staging, folder, force)
                rows = [replace(r, workbook=f"{folder.name}/{r.workbook}") if r.workbook else r for r in rows]
            result = summarise(rows, sort=sort.value if sort else None, where=where or [], notes=found.notes)
            if xlsx is not None:
                from cba.render.xlsx_tables import write_tables

                write_tables(xlsx, result, force=force, inputs=found.files)
    finally:
        bar.close()
        if staging is not None and staging.exists():
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
    from cba.render.output import TableFaces, emit

    emit(TableFaces(result), format, stdout_console)
    if xlsx is not None:
        print(f"wrote {visible(str(xlsx))} and {visible(str(folder))}/", file=sys.stderr)
    if any(not r.valid for r in rows):
        raise typer.Exit(1)


costs_app = _Typer(no_args_is_help=False, help="The unit-cost library: list, search, show, import.")
app.add_typer(costs_app, name="costs", short_help=SUMMARIES["costs"], epilog=examples("costs"))


def _table(given: Path | None) -> Path:
    """The table a costs command reads: --unit-costs (a path or a bundled table's name), else the bundled one."""
    from cba.io.files import bundled_costs, option_table

    return option_table(given) if given is not None else bundled_costs()


@costs_app.callback(invoke_without_command=True)
@reports_errors
def costs(
    ctx: typer.Context,
    unit_costs: UnitCostsOpt = None,
    format: FormatOpt = "table",
    list_tables: Annotated[
        bool, typer.Option("--list-tables", help="List the bundled tables a scenario can name.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Every field of every entry (agency, type, cashable, confidence, source).")
    ] = False,
) -> None:
    """List the unit-cost table, one line per entry: id, value, unit, price year, description."""
    if ctx.invoked_subcommand is not None:
        return
    if list_tables:
        from cba.cli.costs import list_tables as print_tables

        print_tables(format, stdout_console)
        return
    from cba.io.unit_cost_table import load_table
    from cba.render.costs import CostTable
    from cba.render.output import emit

    emit(CostTable(load_table(_table(unit_costs)), full), format, stdout_console)


@costs_app.command("search", **described("search"))
@reports_errors
def costs_search(
    words: Annotated[
        list[str], typer.Argument(metavar="WORD...", help="Words to find (all of them), case-insensitive.")
    ],
    unit_costs: UnitCostsOpt = None,
    format: FormatOpt = "table",
) -> None:
    """Find entries whose id, description, category, detail, agency or theme contain every word."""
    from cba.cli.fast_search import print_rows, search

    path = _table(unit_costs)
    query = " ".join(words)
    name, rows, sha256 = search(path, query)
    print_rows(rows, format, name, sha256, query, path)


@costs_app.command("show", **described("show"))
@reports_errors
def costs_show(
    cost_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id, e.g. SS1.0.")],
    price_base: Annotated[
        str | None, typer.Option("--price-base", help="Show the uprating to this year, e.g. 2019/20.")
    ] = None,
    unit_costs: UnitCostsOpt = None,
    deflator: Annotated[
        Path | None, _path_option("--deflator", help="GDP deflator CSV (year,index) instead of the bundled one.")
    ] = None,
    format: FormatOpt = "table",
) -> None:
    """Show one entry with its source, and how it is brought to a price base (the deflator arithmetic)."""
    from cba.cli.costs import show

    show(cost_id, _table(unit_costs), price_base, deflator, format, stdout_console)


@costs_app.command("import", **described("import"))
@reports_errors
def costs_import(
    source: Annotated[
        Path, _path_argument(metavar="FILE", help="GMCA Unit Cost Database workbook (.xlsx) or a CSV table.")
    ],
    output: Annotated[
        Path, _path_option("--output", "-o", help="cba unit-cost table (CSV) to write.", show_default=False)
    ],
    map_: Annotated[
        str | None, typer.Option("--map", help="CSV only: FIELD=Column,... e.g. value=Cost,price_year=Year.")
    ] = None,
    default: Annotated[
        list[str] | None,
        typer.Option(
            "--default",
            metavar="FIELD=VALUE",
            help="CSV only: value for a field the source lacks, e.g. value_type=fiscal.",
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Write the valid entries even if some rows are invalid.")
    ] = False,
    force: ForceOpt = False,
) -> None:
    """Import a unit-cost table, keeping every published value and price year as they are."""
    from cba.cli.costs import run_import

    run_import(source, output, map_, default or [], skip_invalid, force)


class SchemaName(str, Enum):
    scenario = "scenario"
    run = "run"
    tables = "tables"
    costs = "costs"


@app.command(**described("schema"))
@reports_errors
def schema(
    what: Annotated[
        SchemaName,
        typer.Argument(
            metavar="WHAT",
            help="scenario (the input format), run (cba run's JSON), tables "
            "(the JSON of whatif, breakeven, compare, simulate and portfolio) "
            "or costs (the JSON of the costs commands).",
        ),
    ] = SchemaName.scenario,
    write: Annotated[
        Path | None,
        _path_option(
            "--write",
            help="Write the schema to this file (e.g. "
            "scenario.schema.json beside your scenarios) instead of printing it.",
        ),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Print a JSON Schema: of the scenario format (for editors), or of cba's JSON outputs."""
    import json

    if what is SchemaName.scenario:
        from cba.render.json_schema import scenario_schema

        document = scenario_schema()
    else:
        from cba.render.json_schema import SCHEMAS

        document = SCHEMAS[what.value]()
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if write is None:
        sys.stdout.write(text)
        return
    from cba.io.atomic import write_atomically

    if write.is_file():
        from cba.model.errors import OutputError

        with open(write, "rb") as existing:
            head = existing.read(64).lstrip()
        # cba never writes to a scenario, with --force or without: only a JSON document is replaced.
        if write.suffix.lower() in (".yaml", ".yml") or not head.startswith(b"{"):
            raise OutputError(
                f"{write}: not a JSON Schema (a scenario or other file); cba replaces only a schema, "
                "so name a .json file"
            )
        data = text.encode("utf-8")
        # The same size first: a 6 GB file is not read whole to learn that it differs.
        if write.stat().st_size == len(data) and write.read_bytes() == data:
            print(f"{visible(str(write))} is up to date", file=sys.stderr)
            return
    write_atomically(write, lambda temp: temp.write_text(text, encoding="utf-8"), force=force)
    print(
        f"wrote {visible(str(write))}; point an editor at it with a first line "
        f"'# yaml-language-server: $schema={visible(write.name)}' in a scenario beside it",
        file=sys.stderr,
    )


class Starter(str, Enum):
    evaluation = "evaluation"
    business_case = "business-case"


@app.command(**described("init"))
@reports_errors
def init(
    path: Annotated[Path, _path_argument(metavar="FILE.yaml", help="The scenario file to create.", show_default=False)],
    kind: Annotated[
        Starter,
        typer.Option(
            "--kind",
            help="evaluation (actual spend against budget and funding) or "
            "business-case (a forecast appraised the Green Book way, with ranges).",
        ),
    ] = Starter.evaluation,
    force: ForceOpt = False,
) -> None:
    """Write a commented starter scenario that validates and runs; replace its placeholder figures with yours."""
    from importlib.resources import files

    from cba.io.atomic import write_atomically
    from cba.model.errors import UsageError

    if path.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"{path}: a scenario file name must end in .yaml")
    from cba.io.atomic import check_target

    text = files("cba.starters").joinpath(f"{kind.value}.yaml").read_text(encoding="utf-8")
    schema_path = path.parent / "scenario.schema.json"
    # The file's first line points editors at the schema: written when missing, never replaced, and
    # checked with the scenario before either is written, so a refusal leaves nothing half done.
    with_schema = not schema_path.exists() and not schema_path.is_symlink()
    check_target(path, force=force)
    if with_schema:
        check_target(schema_path, force=False)
    write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"), force=force)
    wrote = [str(path)]
    if with_schema:
        import json

        from cba.render.json_schema import scenario_schema

        schema_text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False) + "\n"
        write_atomically(schema_path, lambda temp: temp.write_text(schema_text, encoding="utf-8"), force=False)
        wrote.append(f"{schema_path} (for editors)")
    print(
        f"wrote {visible(' and '.join(wrote))}. Next: edit the figures, then cba validate {visible(str(path))} "
        f"and cba run {visible(str(path))}"
    )


@app.command(**described("validate"))
@reports_errors
def validate(
    files: Annotated[
        list[Path],
        _path_argument(
            metavar="FILE...",
            help="Scenario YAML files and unit-cost CSV tables; folders and glob patterns name the scenarios "
            "in them, as portfolio takes them.",
            show_default=False,
        ),
    ],
    unit_costs: UnitCostsOpt = None,
) -> None:
    """Check scenarios and unit-cost tables without running them; report every problem."""
    from cba.io.discover import scenario_files
    from cba.io.load import load
    from cba.io.unit_cost_table import load_table
    from cba.model.errors import CbaError

    worst = 0
    named: list[Path] = []
    for given in files:  # a folder or a pattern: its scenarios, found as portfolio finds them
        if given.is_file() or (not given.is_dir() and not glob.has_magic(str(given))):
            named.append(given)
            continue
        try:
            named += scenario_files([given]).files
        except CbaError as exc:
            worst = max(worst, report(exc))
    for path in named:
        try:
            if path.suffix.lower() == ".csv":
                load_table(path)
            else:
                loaded = load(path, unit_costs)
                for warning in loaded.warnings:  # valid, with something a reader should know
                    print(warning, file=sys.stderr)
                read_paths = path_reader(loaded)
                if read_paths is not None:  # a path is checked against the run's JSON, appraised so that
                    from cba.engine.run import run  # a path into the appraisal is checked too: run it

                    loaded = load(path, unit_costs, green_book=True)
                    result = run(
                        loaded.scenario,
                        loaded.costs,
                        loaded.provenance(command_line()),
                        reference=loaded.reference,
                        read_paths=read_paths,
                    )
                    refuse_unknown_paths(loaded, result)
        except CbaError as exc:
            worst = max(worst, report(exc))
            continue
        print(f"ok: {visible(str(path))}")  # the answer, so stdout; problems are errors, on stderr
    if worst:
        raise typer.Exit(worst)


def main() -> None:
    from cba.cli.environment import refuse_bad_arguments

    refuse_bad_arguments(sys.argv[1:])  # also done before the fast path: the same answer either way
    try:
        app()
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
