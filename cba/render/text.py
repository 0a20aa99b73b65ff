"""The appraisal as rich tables for a terminal. Display rounding happens here only."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Console
from rich.table import Table

from cba import __version__
from cba.engine.appraisal import KIND_LABELS, ZERO, Appraisal, Figures
from cba.io.load import Loaded
from cba.model.scenario import CostKind, NetPositionBasis, PublishedTotal
from cba.render.format import fmt_gbp, fmt_millions, fmt_number, fmt_percent

ROUNDING_NOTE = (
    "Amounts in pounds, computed exactly; shown to the whole pound (half-up) unless they carry pence. "
    "Percentages to one decimal place. Variance = actual - budget (positive = overspend)."
)


def _money_table(title: str, first: str, *money_cols: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    table.add_column(first)
    for col in money_cols:
        table.add_column(col, justify="right")
    return table


def _variance_cells(f: Figures) -> list[str]:
    return [fmt_gbp(f.budget_total), fmt_gbp(f.actual_total), fmt_gbp(f.variance), fmt_percent(f.variance_pct)]


def _published_for(totals: list[PublishedTotal], kinds: set[CostKind] | None) -> list[PublishedTotal]:
    """Published whole-period totals covering exactly these kinds (None: every kind)."""
    found = []
    for t in totals:
        if t.period is not None:
            continue
        tk = set(t.kinds) if t.kinds is not None else None
        if tk == kinds or (kinds is None and tk == set(CostKind)):
            found.append(t)
    return found


def _published_row(table: Table, totals: list[PublishedTotal]) -> None:
    if not totals:
        return
    budget = next((t for t in totals if t.measure == "budget"), None)
    actual = next((t for t in totals if t.measure == "actual"), None)
    labels = "; ".join(t.label for t in totals)
    table.add_row(
        f"[dim]  as published ({labels})[/]",
        f"[dim]{fmt_gbp(budget.value)}[/]" if budget else "",
        f"[dim]{fmt_gbp(actual.value)}[/]" if actual else "",
        "",
        "",
    )


def lines_table(loaded: Loaded, result: Appraisal) -> Table:
    table = _money_table("Budget vs actual by line", "Line", "Budget", "Actual", "Variance £", "Variance %")
    published = loaded.scenario.published_totals
    for kind, sub in result.by_kind.items():
        for f in result.lines:
            if f.kind is kind and f.quantified:
                cells = _variance_cells(f)
                if not f.budgeted:
                    cells = ["not budgeted", cells[1], "", ""]
                table.add_row("  " + f.label, *cells)
        table.add_row(f"[bold]{KIND_LABELS[kind]}[/]", *[f"[bold]{c}[/]" for c in _variance_cells(sub)])
        _published_row(table, _published_for(published, {kind}))
        table.add_section()
    table.add_row("[bold]Total[/]", *[f"[bold]{c}[/]" for c in _variance_cells(result.total)])
    _published_row(table, _published_for(published, None))
    return table


def periods_table(result: Appraisal) -> Table:
    kinds = [k for k in (CostKind.direct, CostKind.unplanned, CostKind.committed, CostKind.in_kind) if k in result.by_kind]
    headers = ["Budget"] + [f"Actual: {KIND_LABELS[k].split(' ')[0].lower()}" for k in kinds]
    table = _money_table("Budget vs actual by year", "Period", *headers, "Total actual", "Variance £", "Variance %")
    total = result.total
    for p in result.periods:
        row = [fmt_gbp(total.budget[p])] + [fmt_gbp(result.by_kind[k].actual[p]) for k in kinds]
        variance = total.period_variance(p)
        pct = None if total.budget[p] == 0 else variance * 100 / total.budget[p]
        table.add_row(p, *row, fmt_gbp(total.actual[p]), fmt_gbp(variance), fmt_percent(pct))
    table.add_section()
    row = [fmt_gbp(total.budget_total)] + [fmt_gbp(result.by_kind[k].actual_total) for k in kinds]
    table.add_row("[bold]Total[/]", *row, fmt_gbp(total.actual_total), fmt_gbp(total.variance), fmt_percent(total.variance_pct))
    return table


def detail_table(result: Appraisal) -> Table:
    table = Table(title="Lines by year (budget / actual)", title_justify="left", title_style="bold")
    table.add_column("Line")
    for p in result.periods:
        table.add_column(p, justify="right")
    for f in result.lines:
        if f.quantified:
            table.add_row(f.label, *[f"{fmt_gbp(f.budget[p])} / {fmt_gbp(f.actual[p])}" for p in result.periods])
    return table


def funding_table(loaded: Loaded, result: Appraisal) -> Table:
    table = _money_table("Funding", "Source", "Amount")
    for source in loaded.scenario.funding:
        table.add_row(source.name, fmt_gbp(source.amount))
    table.add_section()
    table.add_row("[bold]Total funding[/]", f"[bold]{fmt_gbp(result.funding_total)}[/]")
    table.add_row("Funding less total actual spend", fmt_gbp(result.funding_total - result.total.actual_total))
    return table


def reconciliation(console: Console, result: Appraisal) -> None:
    wrong = result.disagreements
    if wrong:
        table = _money_table(
            "Reconciliation: published totals that do not equal the sum of their cells",
            "Published total", "Published", "Computed", "Difference",
        )
        for c in wrong:
            table.add_row(c.label, fmt_gbp(c.published), fmt_gbp(c.computed), fmt_gbp(c.difference))
        console.print(table)
    agreed = len(result.checks) - len(wrong)
    console.print(
        f"Reconciliation: {agreed} of {len(result.checks)} published totals agree with cba's sums; "
        f"{len(wrong)} do not (difference = published - computed)."
    )
    for w in result.identical:
        amounts = " / ".join(fmt_gbp(a) for a in w.amounts)
        names = ", ".join(f"'{n}'" for n in w.lines)
        console.print(
            f"[yellow]Warning:[/] lines {names} carry identical {w.measure} figures in every period "
            f"({amounts}); check for a copy error."
        )


def outcomes_table(result: Appraisal, conversions: dict[str, str]) -> Table:
    table = Table(title="Outcomes (a fall in demand is a saving)", title_justify="left", title_style="bold")
    for col, justify in (("Outcome", "left"), ("Baseline", "right"), ("Follow-up", "right"), ("Change", "right"),
                         ("Unit cost", "right"), ("Value at unit cost", "right"), ("Attributable", "left")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for o in result.outcomes:
        unit = "not priced" if o.unit_cost is None else f"{fmt_gbp(o.unit_cost.value)} {o.unit_cost.unit}"
        if o.stream.conversion != 1:
            unit += f" × {o.stream.conversion} ({conversions[o.id]})"
        table.add_row(
            o.measure, _count(o.baseline), _count(o.follow_up),
            "–" if o.change is None else f"{o.change:+,}", unit, "–" if o.value is None else fmt_gbp(o.value),
            "yes" if o.attributable else "no",
        )
    return table


def _count(value: Decimal | None) -> str:
    return "–" if value is None else fmt_number(value, _places(value))


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


BASIS_LABELS = {
    NetPositionBasis.funding: "funding received",
    NetPositionBasis.actual: "total actual spend",
    NetPositionBasis.budget: "total budget",
}


def net_position(console: Console, loaded: Loaded, result: Appraisal) -> None:
    net = result.net
    table = _money_table("Net position", "", "Amount")
    table.add_row(f"Cost ({BASIS_LABELS[net.basis]})", fmt_gbp(net.cost))
    table.add_row("Attributable benefits", fmt_gbp(net.benefits))
    label = "Net benefit" if net.net >= 0 else "Net cost"
    table.add_row(f"[bold]{label}[/]", f"[bold]{fmt_gbp(abs(net.net))}[/]")
    if net.benefits and net.benefit_cost_ratio is not None:
        table.add_row("Benefit-cost ratio (benefits ÷ cost)", fmt_number(net.benefit_cost_ratio, 2))
    console.print(table)
    if net.net < 0:
        console.print(f"[bold]Net cost of {fmt_millions(-net.net)}[/]: the attributable benefits do not cover the cost.")
    else:
        console.print(f"[bold]Net benefit of {fmt_millions(net.net)}[/]: attributable benefits exceed the cost.")
    for b in result.break_even:
        measure = next(o.measure for o in result.outcomes if o.id == b.outcome)
        if b.units_needed <= 0:
            console.print(f"Break-even on {measure.lower()}: already covered by the other attributable benefits.")
            continue
        need = f"({fmt_gbp(b.cost)} - {fmt_gbp(b.other_benefits)} other benefits)" if b.other_benefits else fmt_gbp(b.cost)
        console.print(
            f"Break-even: {fmt_number(b.units_needed, 1)} fewer {measure.lower()} for one year "
            f"({need} ÷ {fmt_gbp(b.unit_cost.value)} {b.unit_cost.unit})."
        )
    if result.unquantified:
        console.print("Costs not quantified (not in any total): " + "; ".join(result.unquantified) + ".")


def _fmt_ratio(value: Decimal | None) -> str:
    return "–" if value is None else fmt_number(value, 2)


def appraisal_section(console: Console, loaded: Loaded, result: Appraisal) -> None:
    """Green Book / GM CBA results: adjustments, year-by-year flows, PVs, ROI, payback, who gains."""
    t = result.timeline
    settings = loaded.scenario.appraisal
    console.print("[bold]Appraisal (Green Book / GM CBA)[/]")
    for note in t.notes:
        console.print(note)
    if t.cost_optimism_bias:
        console.print(f"Optimism bias on costs: +{fmt_number(t.cost_optimism_bias * 100, 1)}% (shown as its own column).")
    priced = [s for s in t.streams if s.unit_cost is not None]
    if settings is not None and settings.uprate and priced:
        table = Table(title=f"Unit costs at the {loaded.scenario.price_base} price base", title_justify="left", title_style="bold")
        for col in ("Unit cost", "Value", "Price year", "Uprating factor", "At price base"):
            table.add_column(col, justify="left" if col in ("Unit cost", "Price year") else "right")
        seen = set()
        for s in priced:
            u = s.unit_cost
            if u.id in seen:  # type: ignore[union-attr]
                continue
            seen.add(u.id)  # type: ignore[union-attr]
            year = u.price_year + (" (warning: not stated; taken as the price base)" if u.price_year == "not stated" else "")  # type: ignore[union-attr]
            table.add_row(u.id, fmt_gbp(u.value), year, fmt_number(s.uprate_factor, 4), fmt_gbp(s.unit_value, pence=True))  # type: ignore[union-attr]
        console.print(table)
    adjustments = Table(title="Adjustments by outcome (applied in this order)", title_justify="left", title_style="bold")
    for col in ("Outcome", "Counted", "Deadweight", "Attribution", "Displacement", "Additionality", "Optimism bias",
                "Discounting"):
        adjustments.add_column(col, justify="left" if col in ("Outcome", "Counted", "Optimism bias", "Discounting") else "right")
    for s in t.streams:
        counted = "yes" if s.counted else ("not attributable" if s.unit_cost else "not priced")
        adjustments.add_row(s.outcome, counted, fmt_percent(s.deadweight * 100), fmt_percent(s.attribution * 100),
                            fmt_percent(s.displacement * 100), fmt_number(s.additionality, 4),
                            f"-{fmt_number(s.optimism_bias * 100, 1)}% ({s.optimism_bias_basis})" if s.optimism_bias else "none",
                            s.discount_column)
    console.print(adjustments)

    counted = [s for s in t.streams if s.counted]
    nominal = Table(title="Year by year, undiscounted (benefits after adjustments; whole pounds)",
                    title_justify="left", title_style="bold")
    discounted = Table(title="Year by year, discounted (whole pounds)", title_justify="left", title_style="bold")
    for table in (nominal, discounted):
        table.add_column("Year (t)", no_wrap=True)
    for col in (["Costs", "Optimism bias"] if t.cost_optimism_bias else ["Costs"]) + [s.outcome for s in counted] + [
            "Net", "Cumulative net"]:
        nominal.add_column(col, justify="right", no_wrap=True)
    for col in ("Discount factor", "PV costs", "PV benefits", "PV net", "Cumulative PV net"):
        discounted.add_column(col, justify="right", no_wrap=True)
    cum = cum_pv = ZERO
    pv_costs = t.pv_cost_by_year
    pv_benefits = t.benefits_by_year(discounted=True)
    for i, label in enumerate(t.years):
        cost = t.costs_adjusted[i]
        benefits = [s.counted_value(i) for s in counted]
        net = sum(benefits, ZERO) - cost
        cum += net
        pv_net = pv_benefits[i] - pv_costs[i]
        cum_pv += pv_net
        whole = [t.costs[i]] + ([cost - t.costs[i]] if t.cost_optimism_bias else []) + benefits + [net, cum]
        nominal.add_row(f"{label} ({i})", *[fmt_gbp(v, pence=False) for v in whole])
        discounted.add_row(f"{label} ({i})", fmt_number(t.factors["standard"][i], 4),
                           *[fmt_gbp(v, pence=False) for v in (pv_costs[i], pv_benefits[i], pv_net, cum_pv)])
    console.print(nominal)
    console.print(discounted)

    pv = t.pv_by_value_type()
    results = _money_table("Appraisal results", "", "Value")
    results.add_row("PV of costs (after optimism bias)", fmt_gbp(t.pv_costs))
    for vt in ("fiscal", "economic", "social"):
        results.add_row(f"PV of {vt} benefits", fmt_gbp(pv[vt]))
    for name, value in sorted(t.pv_fiscal_by("cashable").items()):
        results.add_row(f"  of which {name}", fmt_gbp(value))
    results.add_row("Net present budget impact (fiscal PV - cost PV)", fmt_gbp(t.net_present_budget_impact))
    results.add_row("[bold]Net present public value (all benefits PV - cost PV)[/]", f"[bold]{fmt_gbp(t.net_present_public_value)}[/]")
    results.add_row("Financial ROI (fiscal PV ÷ cost PV)", _fmt_ratio(t.financial_roi))
    results.add_row("Public value ROI / BCR (all benefits PV ÷ cost PV)", _fmt_ratio(t.benefit_cost_ratio))
    payback = t.payback
    results.add_row("Payback period", "does not pay back within the appraisal period" if payback is None
                    else f"{fmt_number(payback, 2)} years")
    console.print(results)
    who = _money_table("Who pays and who benefits (PV)", "Agency", "Costs", "Fiscal benefits", "Net")
    for flow in t.who_pays_and_benefits():
        who.add_row(flow.agency, fmt_gbp(flow.pv_costs), fmt_gbp(flow.pv_fiscal_benefits), fmt_gbp(flow.net))
    console.print(who)


def footer(console: Console, loaded: Loaded) -> None:
    console.print(f"[dim]{ROUNDING_NOTE}[/]")
    labelled = [("Scenario", loaded.source)] + [(f"Unit costs ({name})", t.source) for name, t in loaded.costs.tables]
    if loaded.reference is not None:
        labelled += list(zip(("Deflator", "Discount schedule", "Optimism-bias grades"), loaded.reference.sources))
    for label, source in labelled:
        console.print(f"[dim]{label}: {source.name} sha256:{source.sha256}[/]")
    console.print(f"[dim]cba {__version__}[/]")


def render(console: Console, loaded: Loaded, result: Appraisal, *, detail: bool = False) -> None:
    s = loaded.scenario
    console.print(f"[bold]{s.name}[/] — {s.organisation}")
    discounted = s.appraisal is not None and s.appraisal.discounting == "green_book"
    console.print(f"Periods {s.periods[0]} to {s.periods[-1]}; price base {s.price_base}; {s.currency}; "
                  + ("discounted (see Appraisal below)." if discounted else "undiscounted."))
    console.print(lines_table(loaded, result))
    console.print(periods_table(result))
    if detail:
        console.print(detail_table(result))
    if s.funding:
        console.print(funding_table(loaded, result))
    reconciliation(console, result)
    if result.outcomes:
        console.print(outcomes_table(result, {o.id: o.conversion.reason for o in s.outcomes if o.conversion}))
    net_position(console, loaded, result)
    if s.appraisal is not None:
        appraisal_section(console, loaded, result)
    footer(console, loaded)
