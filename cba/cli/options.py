"""Every option two or more commands share, declared once, with no typer import.

The typer commands build their parameters from these declarations (``cba.cli.app``), and the
console script's fast path (``cba.cli.entry``) parses a plain ``cba run`` or ``costs search`` with
the very same ones, so a flag, a choice or a default cannot differ between the two paths.
After pip-tools' ``scripts/options.py`` and sqlite-utils' ``output_options``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from cba.model.record import record

FormatName = Literal["table", "json", "csv"]
BasisName = Literal["funding", "actual", "budget"]
FORMATS: tuple[str, ...] = get_args(FormatName)
BASES: tuple[str, ...] = get_args(BasisName)


@record
class Option:
    """One option: its parameter name, its flags, what it takes, and its help."""

    dest: str  # the parameter's name in the command
    flags: tuple[str, ...]
    help: str
    kind: Literal["path", "text", "choice", "switch"] = "text"
    choices: tuple[str, ...] = ()
    repeat: bool = False  # may be given more than once: a list
    metavar: str | None = None
    default: object = None

    def takes_value(self) -> bool:
        return self.kind != "switch"


UNIT_COSTS = Option(
    "unit_costs", ("--unit-costs",), "Unit-cost table (CSV) to use instead of the one the scenario names.", kind="path"
)
FORMAT = Option(
    "format",
    ("--format", "-f"),
    "table (for people), json or csv (for programs).",
    kind="choice",
    choices=FORMATS,
    default="table",
)
ATTRIBUTABLE = Option(
    "attributable",
    ("--attributable", "-a"),
    "Treat this outcome id as attributable (repeatable): a what-if.",
    repeat=True,
    metavar="ID",
)
BASIS = Option(
    "basis", ("--basis",), "Set benefits against funding, actual spend or budget.", kind="choice", choices=BASES
)
SET = Option(
    "set_",
    ("--set",),
    "Set an input for this run, named and valued as --vary names it (lac=-30: 30 fewer; lac.deadweight=0.2; "
    "lac-year=-10%; costs.0=-0.1), or any scenario field by its path (appraisal.discount_rate=0.05).",
    repeat=True,
    metavar="KEY=VALUE",
)
GREEN_BOOK = Option(
    "green_book",
    ("--green-book",),
    "Appraise the Green Book way: discount (3.5% schedule) and uprate unit costs.",
    kind="switch",
    default=False,
)
DETAIL = Option("detail", ("--detail",), "Also show every line by year.", kind="switch", default=False)
XLSX = Option("xlsx", ("--xlsx",), "Also write the result to this workbook (.xlsx).", kind="path")
FORCE = Option("force", ("--force",), "Overwrite the output file if it exists.", kind="switch", default=False)
STRICT = Option(
    "strict",
    ("--strict",),
    "Exit 1 when a published result does not agree with cba's figure (or cannot be checked), one line each.",
    kind="switch",
    default=False,
)

#: How a scenario is appraised: every command that appraises takes these.
APPRAISAL = (UNIT_COSTS, ATTRIBUTABLE, BASIS, SET, GREEN_BOOK)
#: Where a table result goes: stdout in a format, and a workbook beside it.
OUTPUT = (FORMAT, XLSX, FORCE)
#: ``cba run``'s own, in the order its help lists them.
RUN = (UNIT_COSTS, FORMAT, ATTRIBUTABLE, BASIS, SET, GREEN_BOOK, DETAIL, STRICT, XLSX, FORCE)
#: ``cba costs search``'s.
SEARCH = (UNIT_COSTS, FORMAT)


def _strings(values: object) -> tuple[str, ...]:
    """A repeatable option's values (None when it was not given)."""
    return tuple(str(v) for v in values) if isinstance(values, (list, tuple)) else ()


@record
class Appraisal:
    """The appraisal options as one value: what ``prepare`` loads and runs with."""

    unit_costs: Path | None = None
    attributable: tuple[str, ...] = ()
    basis: str | None = None
    sets: tuple[str, ...] = ()
    green_book: bool = False

    @classmethod
    def of(cls, given: dict[str, object]) -> Appraisal:
        """From parsed options keyed by ``dest`` (absent or None: the default)."""
        unit_costs = given.get("unit_costs")
        basis = given.get("basis")
        return cls(
            unit_costs=Path(str(unit_costs)) if unit_costs is not None else None,
            attributable=_strings(given.get("attributable")),
            basis=str(basis) if basis is not None else None,
            sets=_strings(given.get("set_")),
            green_book=bool(given.get("green_book")),
        )


@record
class Output:
    """The output options as one value."""

    format: str = "table"
    xlsx: Path | None = None
    force: bool = False

    @classmethod
    def of(cls, given: dict[str, object]) -> Output:
        xlsx = given.get("xlsx")
        return cls(
            str(given.get("format") or "table"), Path(str(xlsx)) if xlsx is not None else None, bool(given.get("force"))
        )


def parse_plain(argv: list[str], options: tuple[Option, ...]) -> tuple[list[str], dict[str, object]] | None:
    """A plain command line (its arguments, and the given options keyed by ``dest``), or None when it needs the
    full parser: an unknown option, ``--opt=value``, a missing value, or a value outside an option's choices
    (the full parser writes the usage messages)."""
    by_flag = {flag: option for option in options for flag in option.flags}
    given: dict[str, object] = {}
    arguments: list[str] = []
    rest = iter(argv)
    for arg in rest:
        option = by_flag.get(arg)
        if option is None:
            if arg.startswith("-"):
                return None  # --help, --opt=value, another command's option: typer's to handle
            arguments.append(arg)
            continue
        if not option.takes_value():
            given[option.dest] = True
            continue
        value = next(rest, None)
        if value is None or (option.choices and value not in option.choices):
            return None
        if option.repeat:
            given.setdefault(option.dest, [])
            given[option.dest].append(value)  # type: ignore[attr-defined]
        else:
            given[option.dest] = value
    return arguments, given
