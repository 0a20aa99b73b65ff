"""The command line: load, call the core, render. Nothing here computes a figure.

Heavy modules (pydantic models, rich, openpyxl) are imported inside the commands
that need them, so ``cba --version`` and ``--help`` start fast and ``cba run``
never loads openpyxl or numpy.
"""

from __future__ import annotations

import functools
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cba import __version__

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Cost-benefit analysis for public-service programmes, from YAML scenarios.",
)


class Format(str, Enum):
    table = "table"
    json = "json"


class TableFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Basis(str, Enum):
    funding = "funding"
    actual = "actual"
    budget = "budget"


def _stdout_console():
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    # Piped output: wide enough that tables are not wrapped into unreadable columns.
    return Console(width=int(os.environ.get("COLUMNS", 160)), soft_wrap=False)


def reports_errors(command):
    """Turn input and output errors into one line each on stderr and exit 1, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from cba.model.errors import InputError, OutputError

        try:
            return command(*args, **kwargs)
        except InputError as exc:
            for diagnostic in exc.diagnostics:
                print(str(diagnostic), file=sys.stderr)
            raise typer.Exit(1) from None
        except OutputError as exc:
            print(f"cba: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
        except ValueError as exc:
            from cba.model.errors import UsageError

            if not isinstance(exc, UsageError):
                raise
            print(f"cba: {exc}", file=sys.stderr)
            raise typer.Exit(2) from None

    return wrapper


def _version(value: bool) -> None:
    if value:
        print(f"cba {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = None,
) -> None:
    pass


ScenarioArg = Annotated[Path, typer.Argument(help="Scenario YAML file.", show_default=False)]
UnitCostsOpt = Annotated[
    Optional[Path],
    typer.Option("--unit-costs", help="Unit-cost table (CSV) to use instead of the one the scenario names."),
]


AttributableOpt = Annotated[
    Optional[list[str]],
    typer.Option("--attributable", "-a", metavar="ID", help="Treat this outcome id as attributable (repeatable): a what-if."),
]
BasisOpt = Annotated[
    Optional[Basis], typer.Option("--basis", help="Set benefits against funding, actual spend or budget.")
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the output file if it exists.")]
GreenBookOpt = Annotated[
    bool, typer.Option("--green-book", help="Appraise the Green Book way: discount (3.5% schedule) and uprate unit costs.")
]


def _appraise(scenario: Path, unit_costs: Optional[Path], attributable: Optional[list[str]], basis: Optional[Basis],
              green_book: bool = False):
    from cba.engine.appraisal import appraise
    from cba.io.load import load
    from cba.model.errors import Diagnostic, InputError
    from cba.model.scenario import NetPositionBasis

    loaded = load(scenario, unit_costs, green_book=green_book)
    known = {o.id for o in loaded.scenario.outcomes}
    unknown = [a for a in attributable or [] if a not in known]
    if unknown:
        from cba.model.errors import suggest

        raise InputError([
            Diagnostic(loaded.source.name, 1, 1, f"--attributable {a}: no outcome with that id{suggest(a, known)}")
            for a in unknown
        ])
    result = appraise(
        loaded.scenario,
        loaded.unit_costs,
        attributable=attributable or (),
        basis=NetPositionBasis(basis.value) if basis else None,
        reference=loaded.reference,
    )
    return loaded, result


@app.command()
@reports_errors
def run(
    scenario: ScenarioArg,
    unit_costs: UnitCostsOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table (for people) or json (for programs).")] = Format.table,
    attributable: AttributableOpt = None,
    basis: BasisOpt = None,
    detail: Annotated[bool, typer.Option("--detail", help="Also show every line by year.")] = False,
    xlsx: Annotated[Optional[Path], typer.Option("--xlsx", help="Also export the audit workbook to this file.")] = None,
    force: ForceOpt = False,
    green_book: GreenBookOpt = False,
) -> None:
    """Appraise a scenario: budget vs actual, reconciliation, outcomes and net position."""
    loaded, result = _appraise(scenario, unit_costs, attributable, basis, green_book)
    if xlsx is not None:
        from cba.render.xlsx import export

        export(loaded, result, xlsx, force=force, attributable=attributable or ())
    if format is Format.json:
        import json

        from cba.render.json import to_json

        print(json.dumps(to_json(loaded, result), indent=2, ensure_ascii=False))
    else:
        from cba.render.text import render

        render(_stdout_console(), loaded, result, detail=detail)
    if xlsx is not None:
        print(f"wrote {xlsx}", file=sys.stderr)


@app.command()
@reports_errors
def export(
    scenario: ScenarioArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="Workbook to write (.xlsx).", show_default=False)],
    unit_costs: UnitCostsOpt = None,
    attributable: AttributableOpt = None,
    basis: BasisOpt = None,
    force: ForceOpt = False,
    green_book: GreenBookOpt = False,
) -> None:
    """Export the appraisal as an Excel workbook with live formulas, sources and reconciliation."""
    from cba.render.xlsx import export as write_workbook

    loaded, result = _appraise(scenario, unit_costs, attributable, basis, green_book)
    write_workbook(loaded, result, output, force=force, attributable=attributable or ())
    print(f"wrote {output}", file=sys.stderr)


costs_app = typer.Typer(no_args_is_help=False, help="The unit-cost library: list, search, show, import.")
app.add_typer(costs_app, name="costs")


@costs_app.callback(invoke_without_command=True)
@reports_errors
def costs(
    ctx: typer.Context,
    unit_costs: UnitCostsOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")] = TableFormat.table,
) -> None:
    """List the unit-cost table: value, unit, price year, agency, confidence and source."""
    if ctx.invoked_subcommand is not None:
        return
    from cba.io.unit_cost_table import load_table

    table = load_table(unit_costs or _bundled_costs())
    rows = [entry.model_dump(mode="json") for entry in table.entries.values()]
    if format is TableFormat.json:
        import json

        print(json.dumps({"file": table.source.name, "sha256": table.source.sha256, "entries": rows}, indent=2, ensure_ascii=False))
        return
    if format is TableFormat.csv:
        import csv

        from cba.model.unit_cost import COLUMNS

        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _csv_safe(v) for k, v in row.items()} for row in rows)
        return
    from cba.render.costs import render_costs

    render_costs(_stdout_console(), table)


@costs_app.command("search")
@reports_errors
def costs_search(
    words: Annotated[list[str], typer.Argument(help="Words to find (all of them), case-insensitive.")],
    unit_costs: UnitCostsOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")] = TableFormat.table,
) -> None:
    """Find entries whose id, description, category, detail, agency or theme contain every word."""
    from cba.cli.fast_search import print_rows, search

    path = unit_costs or _bundled_costs()
    name, rows = search(path, " ".join(words))
    print_rows(rows, format.value, name)


def _bundled_costs() -> Path:
    from cba.cli.entry import bundled_costs

    return bundled_costs()


@costs_app.command("show")
@reports_errors
def costs_show(
    cost_id: Annotated[str, typer.Argument(metavar="ID", help="Entry id, e.g. SS1.0.")],
    price_base: Annotated[Optional[str], typer.Option("--price-base", help="Show the uprating to this year, e.g. 2019/20.")] = None,
    unit_costs: UnitCostsOpt = None,
    deflator: Annotated[Optional[Path], typer.Option("--deflator", help="GDP deflator CSV (year,index) instead of the bundled one.")] = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")] = TableFormat.table,
) -> None:
    """Show one entry with its source, and how it is brought to a price base (the deflator arithmetic)."""
    from cba.cli.costs import show

    show(cost_id, unit_costs or _bundled_costs(), price_base, deflator, format.value, _stdout_console)


@costs_app.command("import")
@reports_errors
def costs_import(
    source: Annotated[Path, typer.Argument(help="GMCA Unit Cost Database workbook (.xlsx) or a CSV table.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="cba unit-cost table (CSV) to write.", show_default=False)],
    map_: Annotated[Optional[str], typer.Option("--map", help="CSV only: FIELD=Column,... e.g. value=Cost,price_year=Year.")] = None,
    default: Annotated[Optional[list[str]], typer.Option("--default", metavar="FIELD=VALUE",
                                                         help="CSV only: value for a field the source lacks, e.g. value_type=fiscal.")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Write the valid entries even if some rows are invalid.")] = False,
    force: ForceOpt = False,
) -> None:
    """Import a unit-cost table, keeping every published value and price year as they are."""
    from cba.cli.costs import run_import

    run_import(source, output, map_, default or [], skip_invalid, force)


def _csv_safe(value: object) -> object:
    # OWASP CSV injection: a cell a spreadsheet would run as a formula is prefixed with a quote.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        return "'" + value
    return value


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors: validation, autocompletion)."""
    import json

    from cba.model.scenario import Scenario

    print(json.dumps(Scenario.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
@reports_errors
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files and unit-cost CSV tables.", show_default=False)],
    unit_costs: UnitCostsOpt = None,
) -> None:
    """Check scenarios and unit-cost tables without running them; report every problem."""
    from cba.io.load import load
    from cba.io.unit_cost_table import load_table
    from cba.model.errors import InputError

    failed = False
    for path in files:
        try:
            if path.suffix.lower() == ".csv":
                load_table(path)
            else:
                load(path, unit_costs)
        except InputError as exc:
            failed = True
            for diagnostic in exc.diagnostics:
                print(str(diagnostic), file=sys.stderr)
            continue
        print(f"ok: {path}", file=sys.stderr)
    if failed:
        raise typer.Exit(1)


# What-if, comparison, switching values and uncertainty ------------------------------

VaryOpt = Annotated[list[str], typer.Option("--vary", metavar="KEY=VALUES",
                                            help="Vary an input: OUTCOME=-10,-30,-60 (its change), UNIT_COST=-20%,0,+20%, "
                                                 "OUTCOME.deadweight=0:0.5:0.1. Repeat for a grid.")]
SetOpt = Annotated[Optional[list[str]], typer.Option("--set", metavar="KEY=VALUE",
                                                     help="Override a setting for this run, e.g. appraisal.discount_rate=0.05.")]
SweepFormatOpt = Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")]
XlsxOpt = Annotated[Optional[Path], typer.Option("--xlsx", help="Also write the table and a chart to this workbook.")]


def _emit(format: TableFormat, title: str, headers: list[str], rows: list[list], data: dict) -> None:
    """Print rows as a rich table, JSON (``data``) or CSV (formula-safe)."""
    if format is TableFormat.json:
        import json

        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    elif format is TableFormat.csv:
        import csv

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([[_csv_safe(c) for c in row] for row in rows])
    else:
        from cba.render.tables import table

        _stdout_console().print(table(title, headers, [[_cell(c) for c in row] for row in rows]))


def _cell(value) -> str:
    from cba.render.tables import gbp

    if isinstance(value, str):
        return value
    return gbp(value)


def _prepare(scenario: Path, unit_costs: Optional[Path], sets: Optional[list[str]], green_book: bool):
    from cba.engine.appraisal import appraise
    from cba.io.load import load, with_overrides

    loaded = with_overrides(load(scenario, unit_costs, green_book=green_book), sets or [], scenario)
    result = appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference)
    return loaded, result


@app.command()
@reports_errors
def compare(
    scenarios: Annotated[list[Path], typer.Argument(help="Two or more scenario files; differences are against the first.")],
    unit_costs: UnitCostsOpt = None,
    format: SweepFormatOpt = TableFormat.table,
    green_book: GreenBookOpt = False,
) -> None:
    """Compare the headline figures of several scenarios side by side."""
    from cba.render.json import headlines

    if len(scenarios) < 2:
        raise typer.BadParameter("give at least two scenarios", param_hint="SCENARIOS")
    runs = [_appraise(path, unit_costs, None, None, green_book) for path in scenarios]
    figures = [headlines(loaded, result) for loaded, result in runs]
    metrics = [m for m in figures[0] if any(f.get(m) is not None for f in figures)]
    metrics += [m for f in figures for m in f if m not in metrics and any(g.get(m) is not None for g in figures)]
    names = [path.stem for path in scenarios]
    headers = ["Figure"] + [n for i, n in enumerate(names) for n in ([n] if i == 0 else [n, f"{n} − first"])]
    rows = []
    for m in metrics:
        row: list = [m]
        base = figures[0].get(m)
        for i, f in enumerate(figures):
            value = f.get(m)
            row.append(value)
            if i:
                row.append(None if value is None or base is None else value - base)
        rows.append(row)
    data = {
        "scenarios": [{"file": l.source.name, "sha256": l.source.sha256, "name": l.scenario.name,
                       "figures": {k: (None if v is None else str(v)) for k, v in f.items()}}
                      for (l, _), f in zip(runs, figures)],
        "differences_against_first": [{k: (None if v is None or figures[0].get(k) is None else str(v - figures[0][k]))
                                       for k, v in f.items()} for f in figures[1:]],
    }
    if format is TableFormat.table:
        from cba.render.tables import ratio

        rows = [[r[0]] + [(ratio(c) if "ratio" in r[0].lower() or "roi" in r[0].lower() or "payback" in r[0].lower()
                           else c) for c in r[1:]] for r in rows]
    legend = "; ".join(f"{path.stem}: {loaded.scenario.name}" for path, (loaded, _) in zip(scenarios, runs))
    _emit(format, "Comparison (differences against the first scenario)", headers, rows, data)
    if format is TableFormat.table:
        print(legend, file=sys.stderr)


@app.command()
@reports_errors
def whatif(
    scenario: ScenarioArg,
    vary: VaryOpt,
    set_: SetOpt = None,
    unit_costs: UnitCostsOpt = None,
    attributable: AttributableOpt = None,
    format: SweepFormatOpt = TableFormat.table,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
    green_book: GreenBookOpt = False,
) -> None:
    """Evaluate the scenario at each value (or grid of values) of one or more inputs."""
    import numpy as np

    from cba.engine.grid import parse_grid
    from cba.engine.sweep import evaluate, linear_model

    loaded, result = _prepare(scenario, unit_costs, set_, green_book)
    model = linear_model(loaded.scenario, result)
    grid = parse_grid(vary, model)
    outcomes = {o.id for o in loaded.scenario.outcomes}
    forced = list(attributable or []) + [k.partition(".")[0] for k in grid.keys if k.partition(".")[0] in outcomes]
    columns = grid.columns()
    res = evaluate(model, {k: np.array(v) for k, v in columns.items()}, len(grid.points), forced)
    appraisal = model.has_appraisal
    headers = list(grid.keys) + ["Attributable benefits", "Net position"] + (["NPV", "BCR"] if appraisal else [])
    rows = []
    for i, point in enumerate(grid.points):
        # Sweep figures are floats: money is rounded to the penny so no binary noise is printed.
        row: list = [round(v, 6) for v in point] + [round(float(res.benefits[i]), 2), round(float(res.net[i]), 2)]
        if appraisal:
            row += [round(float(res.npv[i]), 2), round(float(res.bcr[i]), 6)]
        rows.append(row)
    data = {"scenario": loaded.source.name, "sha256": loaded.source.sha256, "inputs": grid.keys,
            "attributable": sorted(set(forced)), "rows": [dict(zip(headers, r)) for r in rows],
            "note": "sweep figures are float64 (numpy); money in pounds"}
    shown = [[f"{c:g}" for c in r[:len(grid.keys)]] + r[len(grid.keys):len(grid.keys) + 3]
             + ([f"{r[-1]:.2f}"] if appraisal else []) for r in rows]
    _emit(format, f"What-if: {loaded.scenario.name}", headers, shown if format is TableFormat.table else rows, data)
    if xlsx is not None:
        from cba.render.xlsx_tables import write_table

        n = len(grid.keys)
        write_table(xlsx, loaded, sheet="What-if", what=f"cba whatif --vary {' --vary '.join(vary)}", headers=headers,
                    rows=rows,
                    money_columns={n + 1, n + 2} | ({n + 3} if appraisal else set()), chart="line",
                    chart_title=f"Net position against {grid.keys[0]}", x_col=1, y_cols=(n + 2,), force=force)
        print(f"wrote {xlsx}", file=sys.stderr)


@app.command()
@reports_errors
def breakeven(
    scenario: ScenarioArg,
    set_: SetOpt = None,
    unit_costs: UnitCostsOpt = None,
    format: SweepFormatOpt = TableFormat.table,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
    green_book: GreenBookOpt = False,
) -> None:
    """Switching values: the change in each outcome, unit cost and total cost that brings the net position to zero."""
    from cba.engine.switching import describe_change, switching_values

    loaded, result = _prepare(scenario, unit_costs, set_, green_book)
    measures = [switching_values(loaded.scenario, result)]
    if loaded.scenario.appraisal is not None:
        measures.append(switching_values(loaded.scenario, result, present_value=True))
    names = {o.id: o.measure for o in loaded.scenario.outcomes}
    headers = ["Input", "Kind"] + [f"Switching value ({m.measure})" for m in measures]
    rows = []
    for outcome in measures[0].outcome_changes:
        rows.append([outcome, "outcome change"] + [describe_change(m.outcome_changes[outcome], names[outcome]) for m in measures])
    for unit in measures[0].unit_cost_pct:
        rows.append([unit, "unit cost"] + [
            "no attributable benefit uses it" if m.unit_cost_pct[unit] is None else f"{m.unit_cost_pct[unit]:+,.1f}%"
            for m in measures])
    rows.append(["total cost", "cost"] + ["–" if m.total_cost_pct is None else f"{m.total_cost_pct:+,.1f}%" for m in measures])
    data = {"scenario": loaded.source.name, "sha256": loaded.source.sha256, "switching_values": [
        {"measure": m.measure,
         "outcome_changes": {k: None if v is None else str(v) for k, v in m.outcome_changes.items()},
         "unit_cost_pct": {k: None if v is None else str(v) for k, v in m.unit_cost_pct.items()},
         "total_cost_pct": None if m.total_cost_pct is None else str(m.total_cost_pct)} for m in measures]}
    _emit(format, "Switching values (Green Book): the change at which the net position reaches zero", headers, rows, data)
    if format is TableFormat.table:
        print("An outcome is treated as attributable for its own switching value; change = follow-up - baseline, "
              "for the outcome's timing as written.", file=sys.stderr)
    if xlsx is not None:
        from cba.render.xlsx_tables import write_table

        swing = [[k, float(v)] for k, v in measures[0].unit_cost_pct.items() if v is not None]
        if measures[0].total_cost_pct is not None:
            swing.append(["total cost", float(measures[0].total_cost_pct)])
        write_table(xlsx, loaded, sheet="Break-even", what="cba breakeven", headers=["Input", "% change that flips the sign"],
                    rows=sorted(swing, key=lambda r: abs(r[1])), money_columns=set(), chart="tornado",
                    chart_title="Switching values (% change)", x_col=1, y_cols=(2,), force=force)
        print(f"wrote {xlsx}", file=sys.stderr)


@app.command()
@reports_errors
def simulate(
    scenario: ScenarioArg,
    draws: Annotated[int, typer.Option("--draws", "-n", min=1, max=50_000_000, help="Number of Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same numbers.")] = 20200301,
    set_: SetOpt = None,
    unit_costs: UnitCostsOpt = None,
    attributable: AttributableOpt = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table or json.")] = Format.table,
    xlsx: XlsxOpt = None,
    force: ForceOpt = False,
    green_book: GreenBookOpt = False,
) -> None:
    """Monte Carlo over the scenario's ranges: percentiles, chance of paying back, histogram and tornado."""
    from cba.engine.uncertainty import run_simulation

    loaded, result = _prepare(scenario, unit_costs, set_, green_book)
    if xlsx is not None:
        from cba.io.atomic import check_target

        check_target(xlsx, force=force, inputs=[s.path for s in loaded.sources])
    sim = run_simulation(loaded, result, draws=draws, seed=seed, attributable=attributable or [],
                         progress=format is Format.table)
    if format is Format.json:
        import json

        print(json.dumps(sim.to_json(loaded), indent=2, ensure_ascii=False))
    else:
        sim.render(_stdout_console(), loaded)
    if xlsx is not None:
        from cba.render.xlsx_tables import write_table

        rows = [[f"{lo:,.0f} to {hi:,.0f}", int(c)] for lo, hi, c in sim.histogram_bins()]
        write_table(xlsx, loaded, sheet="Simulation", what=f"cba simulate --draws {draws} --seed {seed}",
                    headers=["Net position (£)", "Draws"], rows=rows, money_columns=set(), chart="bar",
                    chart_title="Simulated net position", x_col=1, y_cols=(2,), force=force)
        print(f"wrote {xlsx}", file=sys.stderr)


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        # Output piped into `head` and the like: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
