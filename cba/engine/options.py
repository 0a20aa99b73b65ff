"""``cba options``: a shortlist appraised against business as usual, as the Green Book's economic case does.

Each option is a scenario run on its own (``extends:`` lets an option build on another); this module
takes their present values as the runs computed them and works out, for each option against business as
usual, the added PV costs and PV benefits, the NPSV and BCR, and the value-for-money category; then the
increment of each option over the next cheaper one, and the preferred option with the switching value
that would change the ranking. Pure arithmetic on exact Decimals: nothing here rounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import pairwise

from cba.engine.result import Column, Table, TableResult
from cba.engine.run import RunResult
from cba.engine.value_for_money import BANDS_SOURCE, DFT_BANDS, category
from cba.model.errors import UsageError
from cba.model.record import record

BAU, DO_MINIMUM, OPTION = "business as usual", "do-minimum", "option"


@record
class Option:
    """One scenario of the shortlist: its short name (the file's stem), its role and its run."""

    name: str
    role: str
    run: RunResult


def ratio(benefits: Decimal, costs: Decimal) -> Decimal | None:
    """Added PV benefits over added PV costs; None where the added cost is nil or a saving (no ratio ranks it)."""
    return benefits / costs if costs > 0 else None


def _present_values(option: Option) -> tuple[Decimal, Decimal, Decimal]:
    run = option.run
    values = [run.figure(key).number for key in ("pv_costs", "pv_benefits", "npv")]
    if any(v is None for v in values):  # pragma: no cover - an appraised run has all three
        raise UsageError(f"options: {option.name}: its present values are not known")
    return values[0], values[1], values[2]  # type: ignore[return-value]


def _conventions(run: RunResult) -> tuple[tuple[str, object], ...]:
    """What must be the same in every option for their present values to be compared."""
    t = run.figures.timeline
    return (
        ("price base", run.settings.price_base),
        ("real terms", run.settings.uprated),
        ("discounting", run.settings.discounted),
        ("first appraisal year", t.years[0] if t is not None and t.years else None),
        ("flat discount rate", t.discount_rate if t is not None else None),
        ("health discount rate", t.health_discount_rate if t is not None else None),
    )


def check_shortlist(options: Sequence[Option]) -> None:
    """Refuse a shortlist whose present values cannot be set against each other."""
    if len(options) < 2:
        raise UsageError("options: give business as usual and at least one option")
    names = [o.name for o in options]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise UsageError(f"options: two options are both called {repeated[0]!r} (names are the files' stems)")
    problems = [
        f"options: {o.name} is not appraised (no present values): add an appraisal: section or pass --green-book"
        for o in options
        if not o.run.settings.appraised
    ]
    if problems:
        raise UsageError(*problems)
    first = dict(_conventions(options[0].run))
    for o in options[1:]:
        for what, value in _conventions(o.run):
            if value != first[what]:
                raise UsageError(
                    f"options: {o.name} differs from {options[0].name} in its {what} ({value} against "
                    f"{first[what]}): every option must be appraised on the same conventions"
                )


def _unmonetised(run: RunResult) -> str:
    return run.unmonetised_tally or "none listed"


def appraise_options(options: Sequence[Option], drawn: Sequence[Table] = ()) -> TableResult:
    """The shortlist against business as usual (the first option), and each option over the next cheaper one;
    ``drawn``: the tables of the options drawn over their ranges (``options_value.draw_options``), if asked for."""
    check_shortlist(options)
    values = {o.name: _present_values(o) for o in options}
    base_costs, base_benefits, _ = values[options[0].name]

    against: dict[str, tuple[Decimal, Decimal, Decimal, Decimal | None]] = {}
    for o in options:
        costs, benefits, _ = values[o.name]
        added_costs, added_benefits = costs - base_costs, benefits - base_benefits
        against[o.name] = (
            added_costs,
            added_benefits,
            added_benefits - added_costs,
            ratio(added_benefits, added_costs),
        )
    npsvs = [against[o.name][2] for o in options]
    ranks = {o.name: 1 + sum(1 for v in npsvs if v > against[o.name][2]) for o in options}
    rows = []
    for o in options:
        costs, benefits, npsv = values[o.name]
        added_costs, added_benefits, added_npsv, bcr = against[o.name]
        rows.append(
            (
                o.name,
                o.role,
                o.run.provenance.scenario,
                costs,
                benefits,
                npsv,
                added_costs,
                added_benefits,
                added_npsv,
                bcr,
                "(the comparator)" if o is options[0] else category(bcr),
                Decimal(ranks[o.name]),
                _unmonetised(o.run),
            )
        )
    shortlist = Table(
        "options",
        "Options against business as usual",
        (
            Column("option", "Option", "text"),
            Column("role", "Role", "text"),
            Column("scenario", "Scenario", "text"),
            Column("pv_costs", "PV costs", "money"),
            Column("pv_benefits", "PV benefits", "money"),
            Column("npsv", "NPSV", "money"),
            Column("added_pv_costs", "PV costs against business as usual", "money"),
            Column("added_pv_benefits", "PV benefits against business as usual", "money"),
            Column("npsv_against_bau", "NPSV against business as usual", "money"),
            Column("bcr_against_bau", "BCR against business as usual", "ratio"),
            Column("value_for_money", "Value for money (before unmonetised impacts)", "text"),
            Column("rank", "Rank by NPSV", "count"),
            Column("unmonetised", "Unmonetised impacts", "text"),
        ),
        tuple(rows),
        notes=(BANDS_SOURCE,),
        text_columns=(
            "option",
            "role",
            "added_pv_costs",
            "added_pv_benefits",
            "npsv_against_bau",
            "bcr_against_bau",
            "value_for_money",
            "rank",
        ),
    )
    return TableResult(
        "options",
        tuple(o.run.provenance for o in options),
        (
            _preferred(options, values, against),
            shortlist,
            _incremental(options, values),
            _unmonetised_register(options),
            _bands(),
            *drawn,
        ),
        _notes(options),
    )


def by_cost(options: Sequence[Option], values: dict[str, tuple[Decimal, Decimal, Decimal]]) -> list[Option]:
    """The shortlist from cheapest to dearest PV costs (ties in the order given)."""
    return sorted(options, key=lambda o: values[o.name][0])


def _incremental(options: Sequence[Option], values: dict[str, tuple[Decimal, Decimal, Decimal]]) -> Table:
    ordered = by_cost(options, values)
    rows = []
    for cheaper, dearer in pairwise(ordered):
        added_costs = values[dearer.name][0] - values[cheaper.name][0]
        added_benefits = values[dearer.name][1] - values[cheaper.name][1]
        bcr = ratio(added_benefits, added_costs)
        rows.append(
            (dearer.name, cheaper.name, added_costs, added_benefits, added_benefits - added_costs, bcr, category(bcr))
        )
    return Table(
        "incremental",
        "Each option over the next cheaper one (by PV costs)",
        (
            Column("option", "Option", "text"),
            Column("over", "Over (next cheaper)", "text"),
            Column("added_pv_costs", "Added PV costs", "money"),
            Column("added_pv_benefits", "Added PV benefits", "money"),
            Column("incremental_npsv", "Incremental NPSV", "money"),
            Column("incremental_bcr", "Incremental BCR", "ratio"),
            Column("value_for_money", "Value for money of the increment", "text"),
        ),
        tuple(rows),
        notes=("An option whose incremental BCR is below 1 adds less than it costs over the next cheaper one.",),
    )


def _unmonetised_register(options: Sequence[Option]) -> Table:
    """Every option's impacts not valued in money, as its scenario lists them: weighed beside the categories."""
    rows = tuple((o.name, u.impact, u.direction, u.scale, u.affects) for o in options for u in o.run.unmonetised)
    return Table(
        "unmonetised",
        "Impacts not valued in money, by option (the categories are before them)",
        (
            Column("option", "Option", "text"),
            Column("impact", "Impact", "text"),
            Column("direction", "Direction", "text"),
            Column("scale", "Scale", "text"),
            Column("affects", "Falls on", "text"),
        ),
        rows,
        notes=tuple(f"{o.name}: none listed." for o in options if not o.run.unmonetised),
    )


def _bands() -> Table:
    lowest = [b for _, b in DFT_BANDS]
    rows = tuple((name, low, nxt) for (name, low), nxt in zip(DFT_BANDS, lowest[1:] + [None]))
    return Table(
        "value_for_money_bands",
        "Value-for-money categories (BCR bands)",
        (
            Column("category", "Category", "text"),
            Column("bcr_from", "BCR from (included)", "ratio"),
            Column("bcr_below", "BCR below", "ratio"),
        ),
        rows,
        notes=(BANDS_SOURCE,),
    )


def _preferred(
    options: Sequence[Option],
    values: dict[str, tuple[Decimal, Decimal, Decimal]],
    against: dict[str, tuple[Decimal, Decimal, Decimal, Decimal | None]],
) -> Table:
    """The option with the highest NPSV against business as usual (business as usual itself when none beats it),
    the runner-up, and by how much the preferred option's PV benefits would have to fall (or its PV costs rise)
    for the runner-up to draw level: the switching value of the ranking. A table of one row, so that the CSV
    carries the decision as the JSON and the terminal do."""
    ranked = sorted(options, key=lambda o: -against[o.name][2])  # stable: ties keep the order given
    best, second = ranked[0], ranked[1]
    gap = against[best.name][2] - against[second.name][2]
    costs, benefits, _ = values[best.name]
    return Table(
        "preferred",
        "The preferred option",
        (
            Column("preferred", "Preferred option (highest NPSV against business as usual)", "text"),
            Column("preferred_npsv", "Its NPSV against business as usual", "money"),
            Column("runner_up", "Runner-up", "text"),
            Column("runner_up_npsv", "Runner-up's NPSV against business as usual", "money"),
            Column(
                "switching_value",
                "Switching value: the fall in the preferred option's PV benefits (or rise in its PV costs) at which "
                "the runner-up draws level",
                "money",
            ),
            Column("switching_share_of_benefits", "The switching value as a share of its PV benefits", "share"),
            Column("switching_share_of_costs", "The switching value as a share of its PV costs", "share"),
        ),
        (
            (
                best.name,
                against[best.name][2],
                second.name,
                against[second.name][2],
                gap,
                gap / benefits if benefits else None,  # (no benefits: no share of them)
                gap / costs if costs else None,
            ),
        ),
        transpose_for_text=True,
    )


def _notes(options: Sequence[Option]) -> tuple[str, ...]:
    run = options[0].run
    notes = [
        f"Business as usual is {options[0].name}; every figure 'against business as usual' is the option's less "
        f"{options[0].name}'s. {run.settings.prices}; "
        + ("discounted" if run.settings.discounted else "not discounted")
        + f" from {run.figures.timeline.years[0] if run.figures.timeline else 'the first year'}.",
        "PV costs are after optimism bias; PV benefits are every benefit counted (fiscal, economic and social); "
        "NPSV = PV benefits - PV costs; BCR = PV benefits / PV costs against business as usual, not defined "
        "where the option costs no more.",
        "The value-for-money category is before unmonetised impacts: weigh each option's listed impacts beside it.",
    ]
    notes += [
        f"{o.name} ({o.role}): {o.run.provenance.scenario} ({o.run.provenance.scenario_file.file})."
        + (f" What-if: {'; '.join(o.run.settings.what_if)}." if o.run.settings.what_if else "")
        for o in options
    ]
    return tuple(notes)


def shortlist(runs: Sequence[RunResult], names: Sequence[str], do_minimum: str | None = None) -> list[Option]:
    """The first run is business as usual; ``do_minimum`` (a name) marks the do-minimum among the rest."""
    if do_minimum is not None and do_minimum not in names[1:]:
        raise UsageError(
            f"options: --do-minimum {do_minimum!r} is not one of the options given after business as "
            f"usual ({', '.join(names[1:])})"
        )
    return [
        Option(name, BAU if i == 0 else (DO_MINIMUM if name == do_minimum else OPTION), run)
        for i, (name, run) in enumerate(zip(names, runs))
    ]
