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

from . import __version__

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
        from .errors import InputError, OutputError

        try:
            return command(*args, **kwargs)
        except InputError as exc:
            for diagnostic in exc.diagnostics:
                print(str(diagnostic), file=sys.stderr)
            raise typer.Exit(1) from None
        except OutputError as exc:
            print(f"cba: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None

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
    from .appraisal import appraise
    from .errors import Diagnostic, InputError
    from .load import load
    from .scenario import NetPositionBasis

    loaded = load(scenario, unit_costs, green_book=green_book)
    known = {o.id for o in loaded.scenario.outcomes}
    unknown = [a for a in attributable or [] if a not in known]
    if unknown:
        from .validation import suggest

        raise InputError([
            Diagnostic(loaded.source.name, 1, 1, f"--attributable {a}: no outcome with that id{suggest(a, known)}")
            for a in unknown
        ])
    result = appraise(
        loaded.scenario,
        loaded.table.entries,
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
        from .export_xlsx import export

        export(loaded, result, xlsx, force=force, attributable=attributable or ())
    if format is Format.json:
        import json

        from .report import to_json

        print(json.dumps(to_json(loaded, result), indent=2, ensure_ascii=False))
    else:
        from .render_text import render

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
    from .export_xlsx import export as write_workbook

    loaded, result = _appraise(scenario, unit_costs, attributable, basis, green_book)
    write_workbook(loaded, result, output, force=force, attributable=attributable or ())
    print(f"wrote {output}", file=sys.stderr)


@app.command()
@reports_errors
def costs(
    unit_costs: UnitCostsOpt = None,
    format: Annotated[TableFormat, typer.Option("--format", "-f", help="table, json or csv.")] = TableFormat.table,
) -> None:
    """List the unit-cost table: value, unit, price year, agency, confidence and source."""
    from .load import BUNDLED_UNIT_COSTS
    from .unit_costs import load_table

    table = load_table(unit_costs or BUNDLED_UNIT_COSTS, str(unit_costs) if unit_costs else None)
    rows = [entry.model_dump(mode="json") for entry in table.entries.values()]
    if format is TableFormat.json:
        import json

        print(json.dumps({"file": table.source.name, "sha256": table.source.sha256, "entries": rows}, indent=2, ensure_ascii=False))
        return
    if format is TableFormat.csv:
        import csv

        from .unit_costs import COLUMNS

        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: _csv_safe(v) for k, v in row.items()} for row in rows)
        return
    from .render_costs import render_costs

    render_costs(_stdout_console(), table)


def _csv_safe(value: object) -> object:
    # OWASP CSV injection: a cell a spreadsheet would run as a formula is prefixed with a quote.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r", "\n"):
        return "'" + value
    return value


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format (for editors: validation, autocompletion)."""
    import json

    from .scenario import Scenario

    print(json.dumps(Scenario.model_json_schema(), indent=2, ensure_ascii=False))


@app.command()
@reports_errors
def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario YAML files and unit-cost CSV tables.", show_default=False)],
    unit_costs: UnitCostsOpt = None,
) -> None:
    """Check scenarios and unit-cost tables without running them; report every problem."""
    from .errors import InputError
    from .load import load
    from .unit_costs import load_table

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


def main() -> None:
    app()
