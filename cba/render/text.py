"""``cba run`` for a terminal: rich tables of one ``RunResult``. Display rounding happens here only.

User text (line names, measures, file names) is always passed as ``rich.text.Text``
through ``safe.inert``, never as markup.
"""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cba.engine.appraisal import KIND_LABELS, ZERO, Check, Figures
from cba.engine.breakeven import basis_label
from cba.engine.result import Figure
from cba.engine.run import PAID_OUT, RunResult, fiscal_cost, less
from cba.engine.switching import OutcomeSwitch
from cba.engine.timeline import no_payback
from cba.engine.value_for_money import band_words
from cba.model.growth import RealGrowth, year_name
from cba.model.periods import step, which_year
from cba.model.scenario import CostKind
from cba.render.fit import fitted
from cba.render.format import (
    arms_caption,
    fmt_evidence,
    fmt_factor,
    fmt_gbp,
    fmt_millions,
    fmt_number,
    fmt_percent,
    fmt_published,
    fmt_result,
    fmt_spread,
    fmt_value,
    transfer_how,
)
from cba.render.safe import inert

ROUNDING_NOTE = (
    "Amounts in pounds, computed exactly; shown to the whole pound (half-up) unless they carry pence. "
    "Percentages to one decimal place. Variance = actual - budget (positive = overspend)."
)


def _styled(text: str, style: str) -> Text:
    out = inert(text)
    out.stylize(style)
    return out


def _money_table(title: str, first: str, *money_cols: str) -> Table:
    return _titled_table(title, (first,), money_cols)


def _titled_table(title: str, text_cols: tuple[str, ...], figure_cols: tuple[str, ...] = ()) -> Table:
    """A table titled above its left edge: its text columns, then its figures' (right-justified)."""
    table = Table(title=title, title_justify="left", title_style="bold")
    for col in text_cols:
        table.add_column(col)
    for col in figure_cols:
        table.add_column(col, justify="right")
    return table


def _variance_cells(f: Figures) -> list[str]:
    if f.variance is None:
        return ["not budgeted", fmt_gbp(f.actual_total), "", ""]
    return [fmt_gbp(f.budget_total), fmt_gbp(f.actual_total), fmt_gbp(f.variance), fmt_percent(f.variance_pct)]


def _published_for(checks: list[Check], kinds: set[CostKind] | None) -> list[Check]:
    """Published whole-period totals covering exactly these kinds (None: every kind)."""
    found = []
    for c in checks:
        if c.line is not None or c.period is not None:
            continue
        ck = set(c.kinds) if c.kinds is not None else None
        if ck == kinds or (kinds is None and ck == set(CostKind)):
            found.append(c)
    return found


def _published_row(table: Table, checks: list[Check]) -> None:
    if not checks:
        return
    budget = next((c for c in checks if c.measure == "budget"), None)
    actual = next((c for c in checks if c.measure == "actual"), None)
    labels = "; ".join(c.label for c in checks)
    table.add_row(
        _styled(f"  as published ({labels})", "dim"),
        _styled(fmt_gbp(budget.published), "dim") if budget else "",
        _styled(fmt_gbp(actual.published), "dim") if actual else "",
        "",
        "",
    )


def lines_table(result: RunResult) -> Table:
    a = result.figures
    table = _money_table("Budget vs actual by line", "Line", "Budget", "Actual", "Variance £", "Variance %")
    for kind, sub in a.by_kind.items():
        for f in a.lines:
            if f.kind is kind and f.quantified:
                cells = _variance_cells(f)
                table.add_row(inert("  " + f.label), *cells)
        table.add_row(_styled(KIND_LABELS[kind], "bold"), *[_styled(c, "bold") for c in _variance_cells(sub)])
        _published_row(table, _published_for(a.checks, {kind}))
        table.add_section()
    table.add_row(_styled("Total", "bold"), *[_styled(c, "bold") for c in _variance_cells(a.total)])
    _published_row(table, _published_for(a.checks, None))
    return table


def periods_table(result: RunResult) -> Table:
    a = result.figures
    kinds = [k for k in CostKind if k in a.by_kind]
    headers = ["Budget"] + [f"Actual: {KIND_LABELS[k].split(' ')[0].lower()}" for k in kinds]
    table = _money_table(
        f"Budget vs actual by {step(a.periods[0])}", "Period", *headers, "Total actual", "Variance £", "Variance %"
    )
    total = a.total
    for p in a.periods:
        row = [fmt_gbp(total.budget[p])] + [fmt_gbp(a.by_kind[k].actual[p]) for k in kinds]
        table.add_row(
            p,
            *row,
            fmt_gbp(total.actual[p]),
            fmt_gbp(total.period_variance(p)),
            fmt_percent(total.period_variance_pct(p)),
        )
    table.add_section()
    row = [fmt_gbp(total.budget_total)] + [fmt_gbp(a.by_kind[k].actual_total) for k in kinds]
    table.add_row(
        _styled("Total", "bold"),
        *row,
        fmt_gbp(total.actual_total),
        fmt_gbp(total.variance),
        fmt_percent(total.variance_pct),
    )
    return table


def detail_table(result: RunResult) -> Table:
    a = result.figures
    table = Table(title=f"Lines by {step(a.periods[0])} (budget / actual)", title_justify="left", title_style="bold")
    table.add_column("Line")
    for p in a.periods:
        table.add_column(p, justify="right")
    for f in a.lines:
        if f.quantified:
            table.add_row(inert(f.label), *[f"{fmt_gbp(f.budget[p])} / {fmt_gbp(f.actual[p])}" for p in a.periods])
    return table


def units_table(result: RunResult) -> Table:
    """Lines costed as units x price: the price, and the units budgeted and used by period."""
    a = result.figures
    table = Table(
        title="Lines costed as units x price (units budgeted / used)", title_justify="left", title_style="bold"
    )
    for col in ("Line", "Unit", "Price", *a.periods):
        table.add_column(col, justify="left" if col in ("Line", "Unit") else "right")
    for f in a.lines:
        if f.units is not None:
            u = f.units
            price = fmt_gbp(u.price) + (f" ({u.price_ref})" if u.price_ref else "")
            table.add_row(
                inert(f.label),
                inert(u.unit),
                inert(price),
                *[f"{fmt_value(u.budget[p], 'count')} / {fmt_value(u.actual[p], 'count')}" for p in a.periods],
            )
    return table


def netted_table(result: RunResult) -> Table:
    """Savings netted against cost lines: the gross, the saving and the net the line counts."""
    table = _titled_table(
        "Savings netted against cost lines (the line counts gross - saving; the saving is not counted again as a "
        "benefit)",
        ("Line", "Saving", "Of"),
        ("Gross", "Less saving", "Net"),
    )
    for f in result.figures.lines:
        n = f.netted
        if n is None:
            continue
        for measure in ("budget", "actual"):
            if n.total("gross", measure) or n.total("saving", measure):
                table.add_row(
                    inert(f.label),
                    inert(n.label),
                    measure,
                    fmt_gbp(n.total("gross", measure)),
                    fmt_gbp(n.total("saving", measure)),
                    fmt_gbp(getattr(f, f"{measure}_total")),
                )
    return table


def spreads_table(result: RunResult) -> Table:
    """Figures published as a total over several periods: what each total was and how it was spread."""
    table = _titled_table(
        "Totals published over several periods, spread over them (each period takes its share; the last takes "
        "what is left, so the periods sum to the total)",
        ("Item", "What", "Total, spread"),
    )
    for _, what, name, shape in result.figures.spreads:
        table.add_row(inert(name), what, fmt_spread(shape))
    return table


def arms_table(result: RunResult) -> Table:
    """Means per participant in each arm, their difference, and the programme arm's total."""
    a = result.figures
    assert a.arms is not None
    p_n = a.arms[0][1]
    table = Table(
        title=inert(arms_caption(a.arms)),
        title_justify="left",
        title_style="bold",
    )
    for col in ("Item", "Programme", "Comparison", "Difference", f"Total (x {fmt_value(p_n, 'count')})"):
        table.add_column(col, justify="left" if col == "Item" else "right")
    for r in a.arm_results:
        shown = (lambda v: fmt_gbp(v)) if r.money else (lambda v: fmt_value(v, "count"))
        label = r.label + (" (cost)" if r.kind == "cost" else "")
        compared = "none" if r.comparison is None else shown(r.comparison)  # a single arm's mean is the change
        table.add_row(inert(label), shown(r.programme), compared, shown(r.difference), shown(r.total))
    return table


def funding_table(result: RunResult) -> Table:
    a = result.figures
    table = _money_table("Funding", "Source", "Amount")
    for source in a.funding:
        table.add_row(inert(source.name), fmt_gbp(source.amount))
    table.add_section()
    table.add_row(_styled("Total funding", "bold"), _styled(fmt_gbp(a.funding_total), "bold"))
    table.add_row("Funding less total actual spend", fmt_gbp(result.figure("funding_less_actual").number))
    return table


def reconciliation(console: Console, result: RunResult) -> None:
    a = result.figures
    wrong = a.disagreements
    if wrong:
        table = _money_table(
            "Reconciliation: published totals that do not equal the sum of their cells",
            "Published total",
            "Published",
            "Computed",
            "Difference",
        )
        for c in wrong:
            table.add_row(inert(c.label), fmt_gbp(c.published), fmt_gbp(c.computed), fmt_gbp(c.difference))
        console.print(fitted(table))
    agreed = len(a.checks) - len(wrong)
    console.print(
        f"Reconciliation: {agreed} of {len(a.checks)} published totals agree with cba's sums; "
        f"{len(wrong)} do not (difference = published - computed)."
    )
    for w in a.identical:
        amounts = " / ".join(fmt_gbp(x) for x in w.amounts)
        names = ", ".join(f"'{n}'" for n in w.lines)
        console.print(
            Text.assemble(
                ("Warning:", "yellow"),
                inert(
                    f" lines {names} carry identical {w.measure} figures in every period ({amounts}); check for a copy error."
                ),
            )
        )


def outcomes_table(result: RunResult) -> Table:
    table = Table(title="Outcomes (a fall in demand is a saving)", title_justify="left", title_style="bold")
    for col, justify in (
        ("Outcome", "left"),
        ("Baseline", "right"),
        ("Follow-up", "right"),
        ("Change", "right"),
        ("Unit cost", "right"),
        ("Value at unit cost", "right"),
        ("Attributable", "left"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    arms = {r.key: r for r in result.figures.arm_results if r.kind == "outcome"}
    for o in result.figures.outcomes:
        unit = "not priced" if o.unit_cost is None else f"{fmt_gbp(o.unit_cost.value)} {o.unit_cost.unit}"
        if o.id in arms:  # not a before and after: the comparison and programme arms, each x the programme's n
            single = arms[o.id].comparison is None  # a single arm: its mean x n is the change itself
            table.add_row(
                inert(o.label),
                "none (a single arm)" if single else fmt_value(o.baseline, "count") + " (comparison)",
                fmt_value(o.follow_up, "count") + (" (programme: the change)" if single else " (programme)"),
                ("+" if o.change is not None and o.change > 0 else "") + fmt_value(o.change, "count"),
                inert(unit),
                "–" if o.value is None else fmt_gbp(o.value),
                "yes" if o.attributable else "no",
            )
            continue
        if o.unit_cost is not None:  # its prices beside its value: brought to the price base, or as published
            if o.unit_cost.price_year == "not stated":
                unit += (
                    " (prices not stated)"
                    if result.settings.price_base == "not stated"
                    else " (price year not stated: taken as the price base)"
                )
            elif result.settings.uprated:
                unit += f" ({o.unit_cost.price_year} prices × {fmt_number(o.stream.uprate_factor, 4)})"
            else:
                unit += f" ({o.unit_cost.price_year} prices, as published)"
        if o.stream.conversion_reason is not None:
            unit += f" × {fmt_factor(o.stream.conversion)} ({o.stream.conversion_reason})"
        if o.stream.share != 1:
            unit += f" × share {fmt_value(o.stream.share, 'count')}"
        label = inert(o.label)
        if o.stream.timing_note is not None:  # when it falls, beside the outcome: cba's default, said as such
            label += f"\n(timing {o.stream.timing_note})"
        table.add_row(
            label,
            fmt_value(o.baseline, "count"),
            fmt_value(o.follow_up, "count"),
            "–" if o.change is None else ("+" if o.change > 0 else "") + fmt_value(o.change, "count"),
            inert(unit),
            "–" if o.value is None else fmt_gbp(o.value),
            "yes" if o.attributable else "no",
        )
    return table


def outcome_costs_table(result: RunResult) -> Table:
    """The cost set against benefits per outcome achieved and per participant, wherever there are counts."""
    table = Table(
        title=f"Cost per outcome (cost set against benefits: {result.settings.basis_label}, undiscounted)",
        title_justify="left",
        title_style="bold",
    )
    for col in ("Outcome", "Achieved", "Cost per outcome", "Participants", "Cost per participant", "Attributable"):
        table.add_column(col, justify="left" if col in ("Outcome", "Attributable") else "right")
    for c in result.figures.outcome_costs:
        table.add_row(
            inert(c.measure),
            fmt_value(c.count, "count"),
            fmt_gbp(c.per_outcome),
            "–" if c.participants is None else fmt_value(c.participants, "count"),
            "–" if c.per_participant is None else fmt_gbp(c.per_participant),
            "yes" if c.attributable else "no (what each would have cost, had the programme achieved it)",
        )
    return table


def lower_first(text: str) -> str:
    """'Looked-after children' -> 'looked-after children'; acronyms ('CIN episodes') stay as written."""
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def switch_amount(s: OutcomeSwitch, needed: Decimal) -> str:
    measure = lower_first(s.measure)
    if s.volume_kind == "change":  # the change as --vary writes it, and in words
        return f"a change of {fmt_number(-needed, 1)} ({fmt_number(needed, 1)} fewer {measure})"
    if s.volume_kind == "cohort":
        return f"{fmt_number(needed, 1)} achieving the outcome ({measure})"
    return f"{fmt_number(needed, 1)} {measure} in total, in the yearly pattern given"


def describe_switch(s: OutcomeSwitch, basis: str) -> str:
    """One switching value in words, with the arithmetic that gives it."""
    needed = s.units_needed
    measure = lower_first(s.measure)
    if needed is None:
        return f"Break-even on {measure} ({basis}): none; one unit is worth nothing after adjustments."
    if needed <= 0:
        return (
            f"Break-even on {measure} ({basis}): already covered by the other attributable benefits "
            f"({fmt_gbp(s.other_benefits)} against {fmt_gbp(s.cost)}; one unit is worth {fmt_gbp(s.per_unit)})."
        )
    if s.other_benefits > 0:
        need = f"({fmt_gbp(s.cost)} - {fmt_gbp(s.other_benefits)} other benefits)"
    elif s.other_benefits < 0:  # other outcomes lose value: more to cover, not "- -£578,340"
        need = f"({fmt_gbp(s.cost)} + {fmt_gbp(-s.other_benefits)} lost on other outcomes)"
    else:
        need = fmt_gbp(s.cost)
    parts = [fmt_gbp(s.unit_cost) + (f" (its {s.values} values at the price base)" if s.values > 1 else "")]
    if s.uprating != 1:
        parts.append(f"uprating {fmt_number(s.uprating, 4)}")
    if s.conversion != 1:
        parts.append(f"conversion {fmt_factor(s.conversion)}")
    if s.additionality != 1:
        parts.append(f"additionality {fmt_number(s.additionality, 4)}")
    if s.optimism_bias:
        parts.append(f"(1 - optimism bias {fmt_percent(s.optimism_bias * 100)})")
    if s.timing != 1:
        unit = {1: "years", 4: "quarters", 12: "months"}[s.per_year]
        parts.append(f"{fmt_number(s.timing, 4)} {'discounted ' if s.basis == 'npv' else ''}{unit}")
    how = f" = {' × '.join(parts)}" if len(parts) > 1 else ""
    return f"Break-even ({basis}): {switch_amount(s, needed)}; {need} ÷ {fmt_gbp(s.per_unit)} per unit{how}."


def conclusion(result: RunResult) -> Text:
    """The report's one conclusion, from the headline figure (NPV when appraised, else the net position), with
    what its ranges' draws say beside it when the scenario has ranges, and, when the scenario lists impacts not
    valued in money, that it is before them (the value-for-money judgement weighs both)."""
    said = _with_draws(result)
    tally = result.unmonetised_tally
    category = result.value_for_money
    if category is not None:  # the value-for-money statement, before what is not valued in money
        return Text.assemble(
            said,
            f" On the Department for Transport's scale that is {category} value for money ({band_words(category)}),"
            " before the impacts "
            + (f"not valued in money: {tally}, to weigh beside it." if tally else "not valued in money (none listed)."),
        )
    if tally is None:
        return said
    return Text.assemble(said, f" That is before the impacts not valued in money: {tally}, to weigh beside it.")


def _with_draws(result: RunResult) -> Text:
    said = _conclusion(result)
    above = result.unfunded_spend
    if above is not None and not result.settings.appraised:  # the funding basis leaves the council's own out
        said = Text.assemble(
            said,
            f" A further {fmt_gbp(above)} was spent above the funding and is not in this net position "
            "(--basis actual sets the benefits against all the spend).",
        )
    if result.simulated is None or not result.figures.net.cost_known:
        return said
    (median, chance), drawn = result.simulated, result.drawn
    assert drawn is not None  # set with the simulated headlines (RunResult.with_uncertainty)
    draws, seed = drawn
    measure = "NPV" if result.settings.appraised else "net position"
    below = "a negative NPV" if result.settings.appraised else "a net cost"
    return Text.assemble(
        said,
        f" That is as written; over {draws:,} draws of its ranges (seed {seed}) the median {measure} is "
        f"{fmt_gbp(median.number or ZERO)} and the chance of {below} {fmt_value(chance.number, 'percent')}.",
    )


def _conclusion(result: RunResult) -> Text:
    head: Figure = result.headline
    value = head.number or ZERO
    if not result.figures.net.cost_known:
        benefits = result.figure("pv_benefits" if result.settings.appraised else "attributable_benefits").number
        what = "PV of benefits" if result.settings.appraised else "Attributable benefits"
        return Text.assemble(
            (f"{what} of {fmt_millions(benefits or ZERO)}", "bold"),
            "; the cost is not known (no cost is quantified), so whether they cover it cannot be said.",
        )
    if result.settings.appraised:
        bcr = result.figure("bcr").number
        words = "public value exceeds the cost" if value >= 0 else "the cost exceeds the public value"
        ratio = f", BCR {fmt_number(bcr, 2)}" if bcr is not None else ""
        return Text.assemble(
            ("Net present value ", "bold"),
            (fmt_gbp(value), "bold"),
            f"{ratio}: {words} over the appraisal (discounted"
            + (", after optimism bias)." if result.figures.timeline.cost_bias_applied else ")."),
        )
    if value < 0:
        return Text.assemble(
            (f"Net cost of {fmt_millions(-value)}", "bold"),
            f": the attributable benefits do not cover the cost ({result.settings.basis_label}).",
        )
    return Text.assemble(
        (f"Net benefit of {fmt_millions(value)}", "bold"),
        f": attributable benefits exceed the cost ({result.settings.basis_label}).",
    )


def unmonetised_table(result: RunResult) -> Table:
    """The impacts not valued in money, as the scenario lists them, to weigh beside the headline."""
    measure = "NPV" if result.settings.appraised else "net position"
    table = _titled_table(
        f"Impacts not valued in money (not in the {measure}: weigh them beside it)",
        ("Impact", "Direction", "Scale", "Affects", "Evidence (source; note)"),
    )
    for u in result.unmonetised:
        evidence = fmt_evidence(u.source, u.note) or "–"
        table.add_row(inert(u.impact), u.direction, u.scale, inert(u.affects or "not stated"), inert(evidence))
    return table


def net_position(console: Console, result: RunResult) -> None:
    net = result.figures.net
    title = "Net position (undiscounted)" + (
        ": an undiscounted summary, not the conclusion (that is the appraisal's, below)"
        if result.settings.appraised
        else ""
    )
    table = _money_table(title, "", "Amount")
    if not net.cost_known:
        table.add_row(f"Cost ({result.settings.basis_label})", "not known")
        table.add_row("Attributable benefits", fmt_gbp(net.benefits))
        table.add_row(_styled("Net position", "bold"), _styled("not known", "bold"))
    else:
        table.add_row(f"Cost ({result.settings.basis_label})", fmt_gbp(net.cost))
        table.add_row("Attributable benefits", fmt_gbp(net.benefits))
        label = "Net benefit" if net.net >= 0 else "Net cost"
        if result.settings.appraised:  # one conclusion: the appraisal's; this is a summary, not in bold
            table.add_row(f"{label}, undiscounted", fmt_gbp(abs(net.net)))
        else:
            table.add_row(_styled(label, "bold"), _styled(fmt_gbp(abs(net.net)), "bold"))
        if result.unfunded_spend is not None:
            table.add_row("Spent above the funding (not in this net position)", fmt_gbp(result.unfunded_spend))
    if net.cost_known and net.benefits and net.benefit_cost_ratio is not None:
        table.add_row("Benefit-cost ratio (benefits ÷ cost)", fmt_number(net.benefit_cost_ratio, 2))
    console.print(fitted(table))
    if not result.settings.appraised:
        console.print(conclusion(result))
    for s in result.switches:
        if s.basis == "net_position":
            console.print(inert(describe_switch(s, basis_label(result, s.basis))))
    for note in result.figures.cost_notes:
        console.print(inert(note))
    unquantified = [f.label for f in result.figures.lines if not f.quantified]
    if unquantified:
        console.print(inert("Costs not quantified (not in any total): " + "; ".join(unquantified) + "."))


def claims_table(result: RunResult) -> Table:
    """Each benefit claimed before the programme beside the attributable benefit realised on its footing."""
    table = Table(
        title="Claimed before the programme, against realised (attributable benefits, undiscounted)",
        title_justify="left",
        title_style="bold",
    )
    for col in ("Claim", "Covers", "Claimed", "Share of base", "Realised", "Realised - claimed", "Realised % of claim"):
        table.add_column(col, justify="left" if col in ("Claim", "Covers") else "right")
    for c in result.figures.claims:
        share = "" if c.claimed_share is None else f"{fmt_percent(c.claimed_share)} of {fmt_gbp(c.base)}"
        table.add_row(
            inert(c.label),
            "all years" if c.period is None else which_year(c.period),
            fmt_gbp(c.claimed),
            share,
            "not published" if c.realised is None else fmt_gbp(c.realised),
            "" if c.difference is None else fmt_gbp(c.difference),
            "" if c.realised_share is None else fmt_percent(c.realised_share),
        )
    bases = "; ".join(f"{c.label}: the base is {c.base_label}" for c in result.figures.claims if c.base_label)
    if bases:
        table.caption = inert(bases + ".")
    return table


def transfers_table(result: RunResult) -> Table:
    """Money moved between parties: by whom, to whom, how much (after any cap) and its present value."""
    t = result.figures.timeline
    table = Table(
        title="Transfers (not in the net position or the NPV: what one party pays, another receives)",
        title_justify="left",
        title_style="bold",
    )
    years = " / ".join(t.years)
    for col in ("Transfer", "From", "To", "How much", f"Before the cap ({years})", f"Paid ({years})", "Paid", "PV"):
        table.add_column(col, justify="left" if col in ("Transfer", "From", "To", "How much") else "right")
    for f in t.transfers:
        how = transfer_how(f, t.years)
        table.add_row(
            inert(f.name),
            inert(f.payer),
            inert(f.payee),
            inert(how),
            " / ".join(fmt_gbp(x) for x in f.gross),
            " / ".join(fmt_gbp(x) for x in f.paid),
            fmt_gbp(f.total),
            fmt_gbp(f.pv),
        )
    return table


def _fmt_ratio(value: Decimal | None) -> str:
    return "–" if value is None else fmt_number(value, 2)


def real_costs_table(t) -> Table:
    """Each cost line in each year it has spend: as written, the factor to the price base, and the result."""
    table = Table(
        title=f"Costs in real terms ({t.price_base} prices; factor = deflator at the price base ÷ deflator "
        "in the line's prices)",
        title_justify="left",
        title_style="bold",
    )
    for col in (
        "Cost line",
        "Year",
        "As written",
        "Prices",
        "Factor",
        f"{t.price_base} prices",
        "Optimism bias",
        "With optimism bias",
    ):
        table.add_column(col, justify="left" if col in ("Cost line", "Year", "Prices", "Optimism bias") else "right")
    for flow in t.cost_flows:
        for i, amount in enumerate(flow.amounts):
            if not amount:
                continue
            prices = f"outturn {t.years[i]}" if flow.price_basis == "outturn" else f"{flow.price_basis} prices"
            bias = (
                f"+{fmt_number(flow.uplift * 100, 1)}% ({flow.optimism_bias_basis})"
                if flow.uplift
                else "none (outturn)"
                if flow.optimism_bias and not flow.forecast
                else "none"
            )
            table.add_row(
                inert(flow.line),
                t.years[i],
                fmt_gbp(amount),
                prices,
                fmt_number(flow.factors[i], 4),
                fmt_gbp(flow.real[i]),
                bias,
                fmt_gbp(flow.adjusted[i]),
            )
    return table


def appraisal_section(console: Console, result: RunResult) -> None:
    """Green Book / GM CBA results: adjustments, year-by-year flows, PVs, ROI, payback, who gains."""
    t = result.figures.timeline
    console.print(_styled("Appraisal (Green Book / GM CBA)", "bold"))
    for note in t.notes:
        console.print(inert(note))
    priced = [s for s in t.streams if s.unit_cost is not None]
    if result.settings.uprated and priced:
        table = Table(
            title=f"Unit costs at the {result.provenance.price_base} price base",
            title_justify="left",
            title_style="bold",
        )
        for col in ("Unit cost", "Value", "Price year", "Uprating factor", "At price base"):
            table.add_column(col, justify="left" if col in ("Unit cost", "Price year") else "right")
        seen = set()
        for s in priced:
            u = s.unit_cost
            assert u is not None  # priced streams have their unit cost
            if u.id in seen:
                continue
            seen.add(u.id)
            year = u.price_year + (
                " (warning: not stated; taken as the price base)"
                if u.price_year == "not stated" and result.settings.price_base != "not stated"
                else ""
            )
            table.add_row(
                inert(u.id),
                fmt_gbp(u.value),
                year,
                fmt_number(s.uprate_factor, 4),
                fmt_gbp(s.unit_value),
            )
        console.print(fitted(table))
    adjustments = Table(
        title="Adjustments by outcome (applied in this order)", title_justify="left", title_style="bold"
    )
    for col in (
        "Outcome",
        "Counted",
        "Deadweight",
        "Attribution",
        "Displacement",
        "Additionality",
        "Optimism bias",
        "Discounting",
    ):
        adjustments.add_column(
            col, justify="left" if col in ("Outcome", "Counted", "Optimism bias", "Discounting") else "right"
        )
    for s in t.streams:
        adjustments.add_row(
            inert(s.label),
            "yes" if s.counted else ("not attributable" if s.unit_cost else "not priced"),
            fmt_percent(s.deadweight * 100),
            fmt_percent(s.attribution * 100),
            fmt_percent(s.displacement * 100),
            fmt_number(s.additionality, 4),
            f"-{fmt_number(s.optimism_bias * 100, 1)}% ({s.optimism_bias_basis})" if s.optimism_bias else "none",
            s.discount_column,
        )
    console.print(fitted(adjustments))
    graded = [s for s in t.streams if s.evidence is not None]
    if graded:
        table = _titled_table(
            "Benefit optimism bias from the evidence grades (1 strongest, 6 weakest; the weakest left counts)",
            ("Outcome",),
            ("Impact", "Deadweight", "Cohort", "Unit cost", "Grade used", "Optimism bias"),
        )
        for s in graded:
            e = s.evidence
            assert e is not None
            given = dict(e.graded)
            table.add_row(
                inert(s.label),
                *(
                    "ranged" if a in e.ranged else ("–" if a not in given else str(given[a]))
                    for a in ("impact", "deadweight", "cohort", "unit cost")
                ),
                "none left" if e.grade is None else str(e.grade),
                fmt_percent(e.share * 100),
            )
        console.print(fitted(table))
        grades = t.grades.source.name if t.grades is not None else "the grade table"
        console.print(
            inert(
                f"Grades looked up in {grades}; an aspect the scenario ranges in uncertainty: is left out (its risk is "
                "in the ranges); the unit cost's confidence counts under benefit_optimism_bias: by_confidence."
            )
        )

    grown = [s for s in t.streams if s.growth is not None]
    lines = [f for f in t.cost_flows if f.real_growth is not None]
    if grown or lines:
        table = _titled_table(
            "Real price growth over the GDP deflator (relative price effects): the factor in each year",
            ("Item", "Rate a year"),
            tuple(t.years),
        )
        for s in grown:
            assert s.growth is not None
            table.add_row(
                inert(f"{s.label} (from its unit cost's price year, {year_name(s.growth_price_year)})"),
                _growth_rate(s.growth),
                *(fmt_number(s.growth_at(i), 4) for i in range(len(t.years))),
            )
        for f in lines:
            assert f.real_growth is not None
            table.add_row(
                inert(f"{f.line} (from {f.price_basis} prices)"),
                _growth_rate(f.real_growth),
                *(fmt_number(x, 4) for x in f.growth),
            )
        console.print(fitted(table))

    if t.real_terms:
        console.print(fitted(real_costs_table(t)))
    counted = [s for s in t.streams if s.counted]
    prices = f"in {t.price_base} prices" if t.real_terms else "as written, each in its own prices (not real terms)"
    step = "Year by year" if t.per_year == 1 else "Period by period"
    nominal = Table(
        title=f"{step}, undiscounted: costs and benefits {prices}; benefits after adjustments; whole pounds",
        title_justify="left",
        title_style="bold",
    )
    discounted = Table(title=f"{step}, discounted (whole pounds)", title_justify="left", title_style="bold")
    for table in (nominal, discounted):
        table.add_column("Year (t)" if t.per_year == 1 else "Period (t)", no_wrap=True)
    cost_columns = ["Costs as written"] + ([f"Costs, {t.price_base} prices"] if t.real_terms else [])
    if t.cost_bias_applied:
        cost_columns += ["Optimism bias", "Costs with optimism bias"]
    for col in cost_columns + [s.label for s in counted] + ["Net", "Cumulative net"]:
        nominal.add_column(inert(col), justify="right", no_wrap=True)
    for col in ("Discount factor", "PV costs", "PV benefits", "PV net", "Cumulative PV net"):
        discounted.add_column(col, justify="right", no_wrap=True)
    cum = cum_pv = ZERO
    pv_costs = t.pv_cost_by_year
    pv_benefits = t.benefits_by_year(discounted=True)
    written, real, adjusted = t.costs, t.costs_real, t.costs_adjusted
    for i, label in enumerate(t.years):
        cost = adjusted[i]
        benefits = [s.counted_value(i) for s in counted]
        net = sum(benefits, ZERO) - cost
        cum += net
        pv_net = pv_benefits[i] - pv_costs[i]
        cum_pv += pv_net
        whole = (
            [written[i]]
            + ([real[i]] if t.real_terms else [])
            + ([cost - real[i], cost] if t.cost_bias_applied else [])
            + benefits
            + [net, cum]
        )
        nominal.add_row(f"{label} ({i})", *[fmt_gbp(v, pence=False) for v in whole])
        discounted.add_row(
            f"{label} ({i})",
            fmt_number(t.factors["standard"][i], 4),
            *[fmt_gbp(v, pence=False) for v in (pv_costs[i], pv_benefits[i], pv_net, cum_pv)],
        )
    console.print(fitted(nominal))
    console.print(fitted(discounted))

    pv = t.pv_by_value_type()
    results = _money_table("Appraisal results", "", "Value")
    results.add_row(result.figure("pv_costs").label, fmt_gbp(result.figure("pv_costs").number))
    if t.pv_costs_outside:  # a provider's cost: public value, not the public purse's
        results.add_row(
            "  of which borne outside the public sector (not in the fiscal case)", fmt_gbp(t.pv_costs_outside)
        )
    for vt in ("fiscal", "economic", "social"):
        results.add_row(f"PV of {vt} benefits", fmt_gbp(pv[vt]))
    for name, value in sorted(t.pv_fiscal_by("cashable").items()):
        results.add_row(f"  of which {name}", fmt_gbp(value))
    out = PAID_OUT if t.pv_paid_out else ""
    if t.pv_paid_out:
        results.add_row("PV paid outside the public sector (transfers, net)", fmt_gbp(t.pv_paid_out))
    results.add_row(
        f"Net present budget impact, all public agencies together (fiscal PV - {fiscal_cost(t)}{out})",
        fmt_gbp(result.figure("net_present_budget_impact").number),
    )
    lead = result.figure("lead_agency_budget_impact")
    results.add_row(lead.label, fmt_gbp(lead.number))
    results.add_row(
        _styled("Net present public value (all benefits PV - cost PV)", "bold"),
        _styled(fmt_gbp(result.figure("npv").number), "bold"),
    )
    results.add_row(
        f"Financial ROI ({less('fiscal PV', out)} ÷ {fiscal_cost(t)})",
        _fmt_ratio(result.figure("financial_roi").number),
    )
    results.add_row("Public value ROI / BCR (all benefits PV ÷ cost PV)", _fmt_ratio(result.figure("bcr").number))
    payback = result.figure("payback_years").number
    if not result.figures.net.cost_known:
        shown_payback = "cost not known"
    else:
        shown_payback = no_payback(t.length_in_years) if payback is None else f"{fmt_number(payback, 2)} years"
    results.add_row("Payback period", shown_payback)
    console.print(fitted(results))
    moved = bool(t.transfers)
    who = _money_table(
        "Who pays and who benefits (PV)",
        "Agency",
        "Costs",
        "Fiscal benefits",
        *(("Transfers paid", "Transfers received") if moved else ()),
        "Net",
    )
    for flow in t.who_pays_and_benefits():
        moves = (fmt_gbp(flow.pv_paid), fmt_gbp(flow.pv_received)) if moved else ()
        who.add_row(
            inert(flow.agency), fmt_gbp(flow.pv_costs), fmt_gbp(flow.pv_fiscal_benefits), *moves, fmt_gbp(flow.net)
        )
    console.print(fitted(who))
    for switch in result.switches:
        if switch.basis == "npv":
            console.print(inert(describe_switch(switch, basis_label(result, switch.basis))))
    console.print(conclusion(result))


def _cash(value: Decimal | None) -> str:
    return "not known" if value is None else fmt_gbp(value)


def financial_case_section(console: Console, result: RunResult, detail: bool) -> None:
    """The public budget holders' cash by year (all together; with --detail each holder, and the reconciliation
    to the economic case), and the budget envelope when the scenario gives one."""
    from cba.engine.financial_case import ALL  # here: a run without a financial case need not load its module

    fc = result.financial_case
    rows = [r for r in fc.rows if detail or r.holder == ALL]
    table = _titled_table(
        "Financial case: cash by year (money of the day, no optimism bias)" + ("" if detail else f" - {ALL.lower()}"),
        ("Year", "Budget holder") if detail else ("Year",),
        ("Cash costs", "Cashable savings", "Transfers", "Net cash", "Cumulative"),
    )
    wholes = [fc.total(h) for h in ((*fc.holders, ALL) if detail else (ALL,))]
    for r in [*rows, *wholes]:
        holder = f"{r.holder} (lead)" if r.holder == fc.lead else r.holder
        table.add_row(
            *((inert(r.year), inert(holder)) if detail else (inert(r.year),)),
            *(_cash(v) for v in (r.costs, r.savings, r.transfers, r.net, r.cumulative)),
        )
    console.print(fitted(table))
    if fc.envelope_rows:
        envelope = _titled_table(
            f"Budget envelope: {fc.envelope_holder}'s cash costs against the cash it has",
            ("Year",),
            ("Envelope", "Cash costs", "Headroom", "Cumulative headroom"),
        )
        for e in fc.envelope_rows:
            envelope.add_row(inert(e.year), *(_cash(v) for v in (e.envelope, e.costs, e.headroom, e.cumulative)))
        console.print(fitted(envelope))
    if detail:
        bridge = _titled_table("From the financial case to the economic case (whole appraisal)", ("Step",), ("Amount",))
        for _, label, amount in fc.reconciliation:
            bridge.add_row(inert(label), _cash(amount))
        console.print(fitted(bridge))
    for note in fc.notes:
        console.print(inert(note))


def result_checks_table(result: RunResult) -> Table:
    """Published results (a BCR, an NPV, a payback claim) against cba's figures at the precision printed."""
    table = Table(
        title="Published results against cba's figures (cba's rounded half-up to the precision printed)",
        title_justify="left",
        title_style="bold",
    )
    for col in ("Published result", "Figure", "Published", "cba, as printed", "cba, exact", "Status"):
        table.add_column(col, justify="right" if col in ("Published", "cba, as printed", "cba, exact") else "left")
    for c in result.result_checks:
        published = fmt_published(c)
        precision = f" (to {c.to.normalize():f})" if c.to is not None else ""
        status = "agrees" if c.agrees else (f"not computed: {c.why_none}" if c.computed is None else "DOES NOT AGREE")
        table.add_row(
            inert(c.label),
            inert(c.figure + precision),
            published,
            fmt_result(c.rounded, c.kind, c.to),
            fmt_result(c.computed, c.kind),
            _styled(status, "bold red") if not c.agrees else status,
        )
    return table


def footer(console: Console, result: RunResult) -> None:
    console.print(_styled(ROUNDING_NOTE, "dim"))
    for f in result.provenance.files:
        label = f"Unit costs ({f.name})" if f.role == "unit costs" else f.role.capitalize()
        console.print(_styled(f"{label}: {f.file} sha256:{f.sha256}", "dim"))
    console.print(_styled(f"cba {result.provenance.cba_version}", "dim"))


def headlines_table(result: RunResult) -> Table:
    """Every headline figure, under the labels JSON, CSV and the workbook's Summary use."""
    table = Table(title="Headline figures", title_justify="left", title_style="bold")
    table.add_column("Figure")
    table.add_column("Value", justify="right")
    for f in result.headlines:
        label = _styled(f.label, "bold") if f.key == result.headline.key else inert(f.label)
        table.add_row(label, result.unknown(f.key) or fmt_value(f.value, f.kind))
    return table


def what_if_line(result: RunResult) -> Text | None:
    """'What-if: lac counted as attributable (--attributable), ...': first, so no one takes it for the base case."""
    if not result.settings.what_if:
        return None
    return Text.assemble(_styled("What-if: ", "bold"), inert("; ".join(result.settings.what_if)), ".")


def render(console: Console, result: RunResult, *, detail: bool = False) -> None:
    p = result.provenance
    marked = what_if_line(result)
    if marked is not None:
        console.print(marked)
    console.print(Text.assemble(_styled(p.scenario, "bold"), " — ", inert(p.organisation)))
    console.print(
        f"Periods {p.periods[0]} to {p.periods[-1]}; price base {p.price_base}; {p.currency}; "
        + ("discounted (see Appraisal below)." if result.settings.discounted else "undiscounted.")
    )
    if not result.settings.uprated:  # where the headline is: these figures are not in the price base's prices
        console.print(_styled(result.settings.prices + ".", "bold"))
    console.print(fitted(headlines_table(result)))
    console.print(fitted(lines_table(result)))
    console.print(fitted(periods_table(result)))
    if result.figures.arm_results:
        console.print(fitted(arms_table(result)))
    if any(f.units for f in result.figures.lines):
        console.print(fitted(units_table(result)))
    if result.figures.spreads:
        console.print(fitted(spreads_table(result)))
    if any(f.netted for f in result.figures.lines):
        console.print(fitted(netted_table(result)))
    if detail:
        console.print(fitted(detail_table(result)))
    if result.figures.funding:
        console.print(fitted(funding_table(result)))
    reconciliation(console, result)
    if result.figures.outcomes:
        console.print(fitted(outcomes_table(result)))
    if result.figures.outcome_costs:
        console.print(fitted(outcome_costs_table(result)))
    net_position(console, result)
    if result.figures.claims:
        console.print(fitted(claims_table(result)))
    if result.figures.timeline.transfers:
        console.print(fitted(transfers_table(result)))
    if result.settings.appraised:
        appraisal_section(console, result)
    if result.shows_financial_case:
        financial_case_section(console, result, detail)
    if result.unmonetised:
        console.print(fitted(unmonetised_table(result)))
    if result.result_checks:
        console.print(fitted(result_checks_table(result)))
    footer(console, result)


def _growth_rate(growth: RealGrowth) -> str:
    """One rate as a percentage; rates by year in words, each later year at the last."""
    return fmt_percent(growth.rate * 100) if growth.rate is not None else growth.describe()
