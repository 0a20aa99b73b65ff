"""``cba portfolio``: many programmes' headline figures in one table, with totals.

Each row comes from one scenario's own ``RunResult`` (the same figures ``cba run`` prints);
a scenario that cannot be appraised gets a row marked invalid and its problems, and
never hides the others.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from cba.engine.result import Column, Figure, Table, TableResult
from cba.engine.run import RunResult
from cba.model.errors import UsageError, suggest
from cba.model.provenance import Provenance
from cba.model.record import record

ZERO = Decimal(0)


@record
class Programme:
    """One scenario's row: its headline figures, or why it could not be appraised."""

    file: str
    name: str = ""
    organisation: str = ""
    periods: str = ""
    basis: str = ""
    cost: Decimal | None = None
    attributable_benefits: Decimal | None = None
    net_position: Decimal | None = None
    npv: Decimal | None = None
    bcr: Decimal | None = None
    payback_years: Decimal | None = None
    findings: int | None = (
        None  # published totals that are not the sum of their cells, published results cba differs on
    )
    problems: tuple[str, ...] = ()  # the error lines of an invalid scenario
    provenance: Provenance | None = None
    workbook: str | None = None  # the programme's own workbook, when one was written

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def pays_back(self) -> bool:
        """Appraised: a payback period within the appraisal; otherwise benefits at least cover the cost."""
        if not self.valid:
            return False
        if self.npv is not None:
            return self.payback_years is not None
        return self.net_position is not None and self.net_position >= 0


def programme(result: RunResult, file: str) -> Programme:
    appraised = result.settings.appraised
    value = {f.key: f.number for f in result.headlines}
    p = result.provenance
    return Programme(
        file=file,
        name=p.scenario,
        organisation=p.organisation,
        periods=f"{p.periods[0]} to {p.periods[-1]}",
        basis=result.settings.basis_label,
        cost=value["cost"],
        attributable_benefits=value["attributable_benefits"],
        net_position=value["net_position"],
        npv=value["npv"] if appraised else None,
        bcr=value["bcr"] if appraised else value["benefit_cost_ratio"],
        payback_years=value["payback_years"] if appraised else None,
        findings=result.findings,
        provenance=p,
    )


COLUMNS = (
    Column("name", "Programme", "text"),
    Column("organisation", "Organisation", "text"),
    Column("file", "File", "text"),
    Column("periods", "Periods", "text"),
    Column("basis", "Cost basis", "text"),
    Column("cost", "Cost", "money"),
    Column("attributable_benefits", "Attributable benefits", "money"),
    Column("net_position", "Net position (undiscounted)", "money"),
    Column("npv", "NPV", "money"),
    Column("bcr", "BCR", "ratio"),
    Column("payback_years", "Payback (years)", "years"),
    Column("pays_back", "Pays back", "flag"),
    Column("findings", "Reconciliation findings", "count"),
    Column("status", "Status", "text"),
)
KINDS = {c.key: c.kind for c in COLUMNS}
SORTS = {"npv": True, "bcr": True, "cost": True, "name": False}  # key -> descending
_OPERATORS = (
    ("<=", operator.le),
    (">=", operator.ge),
    ("!=", operator.ne),
    ("=", operator.eq),
    ("<", operator.lt),
    (">", operator.gt),
)


def cells(p: Programme, names: dict[str, int]) -> dict[str, object]:
    name = p.name or f"(invalid: {p.file})"  # the file, so the terminal's row says which one
    if names.get(p.name, 0) > 1:
        name = f"{p.name} [{p.file}]"  # two scenarios with one name: the path tells them apart
    return {
        "name": name,
        "organisation": p.organisation,
        "file": p.file,
        "periods": p.periods,
        "basis": p.basis,
        "cost": p.cost,
        "attributable_benefits": p.attributable_benefits,
        "net_position": p.net_position,
        "npv": p.npv,
        "bcr": p.bcr,
        "payback_years": p.payback_years,
        "pays_back": p.pays_back,
        "findings": None if p.findings is None else Decimal(p.findings),
        "status": "ok" if p.valid else "invalid",
    }


def _column_hint(key: str) -> str:
    """A column for a name the user guessed: one it begins (payback -> payback_years), else the closest."""
    starting = [c for c in KINDS if c.startswith(key.lower()) or key.lower().startswith(c)]
    if len(starting) == 1:
        return f" (did you mean '{starting[0]}'?)"
    return suggest(key, KINDS)


def condition(text: str):
    """A --where filter, COLUMN OP VALUE (OP one of = != < <= > >=), as a test on a row's cells."""
    for symbol, test in _OPERATORS:  # noqa: B007 (the lambdas returned below use it)
        key, sep, wanted = text.partition(symbol)
        if sep:
            key, wanted = key.strip(), wanted.strip()
            break
    else:
        raise UsageError(f"--where {text}: write COLUMN OP VALUE, e.g. npv>0 or status=invalid")
    if key not in KINDS:
        raise UsageError(f"--where {text}: no column '{key}'{_column_hint(key)}; columns: {', '.join(KINDS)}")
    kind = KINDS[key]
    if kind in ("text", "flag"):
        if symbol not in ("=", "!="):
            raise UsageError(f"--where {text}: {key} is text; use = or !=")
        target: object = (
            {"true": True, "yes": True, "false": False, "no": False}.get(wanted.lower(), wanted)
            if kind == "flag"
            else wanted
        )
        return lambda row: test(row[key], target)  # type: ignore[arg-type]  # a text or flag cell against its like
    plain = wanted.replace(",", "").replace("£", "")
    try:
        number = Decimal(plain.removesuffix("%"))
    except InvalidOperation:
        raise UsageError(f"--where {text}: '{wanted}' is not a number") from None
    if not number.is_finite():  # NaN compares false with everything: the filter would silently show nothing
        raise UsageError(f"--where {text}: '{wanted}' is not a finite number")
    if plain.endswith("%"):  # bcr>150% is a BCR over 1.5 (it compared against 150)
        if kind != "ratio":
            raise UsageError(f"--where {text}: {key} is not a ratio; give it as a number, without %")
        number /= 100
    return lambda row: row[key] is not None and test(row[key], number)


def portfolio(
    programmes: list[Programme],
    *,
    sort: str | None = None,
    where: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> TableResult:
    """The table of programmes (filtered, then sorted), with totals over the rows shown."""
    tests = [condition(w) for w in where]
    names: dict[str, int] = {}
    for p in programmes:
        names[p.name] = names.get(p.name, 0) + 1
    rows = [cells(p, names) for p in programmes]
    kept = [(p, row) for p, row in zip(programmes, rows) if all(test(row) for test in tests)]
    if sort is not None:
        descending = SORTS[sort]
        present = [item for item in kept if item[1][sort] is not None]
        missing = [item for item in kept if item[1][sort] is None]
        present.sort(key=lambda item: item[1][sort], reverse=descending)  # type: ignore[arg-type, return-value]  # one column: all numbers, or all names
        kept = present + missing
    shown = [p for p, _ in kept]
    valid = [p for p in shown if p.valid]

    def total(key: str) -> Decimal:
        return sum((getattr(p, key) for p in valid if getattr(p, key) is not None), ZERO)

    facts = (
        Figure("programmes", "Programmes shown", Decimal(len(shown)), "count"),
        # Every scenario, shown or filtered out: the count agrees with the exit code and the errors on stderr.
        Figure(
            "invalid", "Scenarios that could not be appraised", Decimal(sum(not p.valid for p in programmes)), "count"
        ),
        Figure("paying_back", "Programmes that pay back", Decimal(sum(p.pays_back for p in valid)), "count"),
        Figure("total_cost", "Total cost (each on its own basis)", total("cost"), "money"),
        Figure("total_attributable_benefits", "Total attributable benefits", total("attributable_benefits"), "money"),
        Figure("total_net_position", "Total net position (undiscounted)", total("net_position"), "money"),
        Figure("total_npv", "Total NPV (appraised programmes)", total("npv"), "money"),
    )
    table = Table(
        "programmes",
        "Portfolio",
        COLUMNS + ((Column("workbook", "Workbook", "text"),) if any(p.workbook for p in shown) else ()),
        tuple(
            tuple(row[c.key] for c in COLUMNS) + ((p.workbook,) if any(q.workbook for q in shown) else ())
            for p, row in kept
        ),
        text_columns=(
            "name",
            "cost",
            "attributable_benefits",
            "net_position",
            "npv",
            "bcr",
            "payback_years",
            "pays_back",
            "findings",
            "status",
        ),
    )
    explain = [
        "Pays back: appraised programmes with a payback period inside the appraisal; others whose "
        "attributable benefits cover their cost. Totals are over the valid programmes shown."
    ]
    return TableResult(
        "portfolio", tuple(p.provenance for p in valid if p.provenance), (table,), tuple(explain + list(notes)), facts
    )
