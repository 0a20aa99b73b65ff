"""``cba run --format csv``: the result as one tidy table, a row per figure.

Columns: section, item, kind, measure, period, value. Money values follow the JSON
contract (pounds with two decimal places); user text is neutralised against
spreadsheet formula injection.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import TextIO

from cba.engine.appraisal import Evidence
from cba.engine.result import Kind
from cba.engine.run import RunResult
from cba.render.format import spread_over
from cba.render.json import count, money, ratio, value
from cba.render.safe import csv_cell

COLUMNS = ("section", "item", "kind", "measure", "period", "value")


def evidence(section: str, name: str, given: Evidence) -> list[tuple[object, ...]]:
    """An input's source and note as the scenario writes them, a row each where given."""
    return [
        (section, name, "text", measure, "", csv_cell(text))
        for measure, text in (("source", given.source), ("note", given.note))
        if text is not None
    ]


def rows(result: RunResult) -> list[tuple[object, ...]]:
    a = result.figures
    # a what-if says so before any figure: a reader of the first rows knows these are not the scenario's
    out: list[tuple[object, ...]] = [
        ("what_if", str(i + 1), "text", w, "", "") for i, w in enumerate(result.settings.what_if)
    ]
    out.append(("prices", "", "text", result.settings.prices, "", ""))  # before any figure: what prices they are in
    out += [("headline", f.key, f.kind, f.label, "", value(f.value, f.kind)) for f in result.headlines]
    for f in a.lines:
        out += evidence("cost_line", f.label, f.evidence)
        if not f.quantified:
            out.append(("cost_line", f.label, f.kind.value, "not quantified", "", ""))
            continue
        if f.agency in a.timeline.outside:
            out.append(
                ("cost_line", f.label, "text", "borne by", "", csv_cell(f"{f.agency} (outside the public sector)"))
            )
        for measure in ("budget", "actual"):
            for period, amount in getattr(f, measure).items():
                out.append(("cost_line", f.label, f.kind.value, measure, period, money(amount)))
        if f.netted is not None:  # the line's figures above are the net: the gross and the saving beside them
            out.append(("cost_line", f.label, "text", "saving netted", "", csv_cell(f.netted.label)))
            if f.netted.source is not None:
                out.append(("cost_line", f.label, "text", "saving source", "", csv_cell(f.netted.source)))
            for which in ("gross", "saving"):
                for measure in ("budget", "actual"):
                    for period, amount in getattr(f.netted, which)[measure].items():
                        out.append(("cost_line", f.label, f.kind.value, f"{which} {measure}", period, money(amount)))
        if f.units is not None:
            out.append(("cost_line", f.label, f.kind.value, f"price per {f.units.unit}", "", money(f.units.price)))
            for measure in ("budget", "actual"):
                for period, units in getattr(f.units, measure).items():
                    out.append(("cost_line", f.label, f.kind.value, f"{measure} units", period, count(units)))
    for _, what, name, shape in a.spreads:  # totals published over several periods: how they were spread
        out.append(("spread", name, "text", "item", "", what))
        for measure, amount in shape.totals:
            kind, shown = ("count", count(amount)) if measure == "volume" else ("money", money(amount))
            out.append(("spread", name, kind, "total" if measure == "total" else f"{measure} total", "", shown))
        out.append(("spread", name, "text", "over", "", spread_over(shape)))
    for cost_kind, total in a.by_kind.items():
        for measure in ("budget", "actual"):
            for period, amount in getattr(total, measure).items():
                out.append(("cost_total", total.label, cost_kind.value, measure, period, money(amount)))
    for source in a.funding:
        out.append(("funding", source.name, "money", "amount", "", money(source.amount)))
        out += evidence("funding", source.name, source.evidence)
    for c in a.checks:
        for measure, amount in (("published", c.published), ("computed", c.computed), ("difference", c.difference)):
            out.append(("reconciliation", c.label, c.measure, measure, c.period or "", money(amount)))
    for o in a.outcomes:  # an outcome with several values: a row each, keyed ID#N
        out.append(("outcome", o.stream.key, "count", "change", "", count(o.change)))
        out.append(("outcome", o.stream.key, "money", "value", "", money(o.value)))
        out.append(("outcome", o.stream.key, "money", "attributable_value", "", money(o.attributable_value)))
        if o.stream.timing_note is not None:
            out.append(("outcome", o.stream.key, "text", "timing", "", csv_cell(o.stream.timing_note)))
        out += evidence("outcome", o.stream.key, o.evidence)
    for r in result.result_checks:
        out.append(("published_result", r.label, "text", "figure", "", csv_cell(r.figure)))
        for measure, amount in (
            ("published", r.published),
            ("computed", r.computed),
            ("computed_as_published", r.rounded),
        ):
            out.append(("published_result", r.label, r.kind, measure, "", value(amount, r.kind)))
        out.append(("published_result", r.label, "flag", "agrees", "", r.agrees))
    if a.timeline.pv_costs_outside:  # borne by parties outside the public sector: not in the fiscal case
        out.append(
            ("fiscal_case", "costs outside the public sector", "money", "pv", "", money(a.timeline.pv_costs_outside))
        )
    for transfer in a.timeline.transfers:
        for year, amount in zip(a.timeline.years, transfer.paid):
            out.append(
                ("transfer", transfer.name, "money", f"paid {transfer.payer} to {transfer.payee}", year, money(amount))
            )
        out.append(("transfer", transfer.name, "money", "pv", "", money(transfer.pv)))
    if a.arms is not None:  # the arms' sizes; an empty value: the comparison arm's size was not published
        out.append(("arms", "programme", "count", "n", "", count(a.arms[0][1])))
        if a.arms[1] is not None:  # none in a single-arm study
            out.append(("arms", "comparison", "count", "n", "", count(a.arms[1][1])))
    for arm in a.arm_results:
        arm_kind: Kind = "money" if arm.money else "count"
        for measure, amount in (
            ("programme", arm.programme),
            ("comparison", arm.comparison),
            ("difference", arm.difference),
            ("total", arm.total),
        ):
            out.append(("arms", arm.key, arm_kind, measure, "", value(amount, arm_kind)))
    for oc in a.outcome_costs:
        out.append(("cost_per_outcome", oc.id, "count", "achieved", "", count(oc.count)))
        out.append(("cost_per_outcome", oc.id, "money", "per_outcome", "", money(oc.per_outcome)))
        if oc.participants is not None:
            out.append(("cost_per_outcome", oc.id, "count", "participants", "", count(oc.participants)))
            out.append(("cost_per_outcome", oc.id, "money", "per_participant", "", money(oc.per_participant)))
    for claim in a.claims:
        if claim.realised is None:  # said in words, never an empty figure read as nought
            out.append(("claim", claim.label, "text", "realised", claim.period or "", "not published"))
        for measure, amount in (
            ("claimed", claim.claimed),
            ("base", claim.base),
            ("realised", claim.realised),
            ("difference", claim.difference),
        ):
            out.append(("claim", claim.label, "money", measure, claim.period or "", money(amount)))
        out.append(
            ("claim", claim.label, "percent", "claimed_share_pct", claim.period or "", ratio(claim.claimed_share))
        )
    if result.settings.appraised:  # the value-for-money statement, before the impacts not valued in money
        out.append(
            (
                "value_for_money",
                "category",
                "text",
                "DfT scale, before unmonetised impacts: " + (result.unmonetised_tally or "none listed"),
                "",
                result.value_for_money or "",
            )
        )
    for u in result.unmonetised:  # words only: an impact not valued in money has no value column to misread
        for measure, text in (
            ("direction", u.direction),
            ("scale", u.scale),
            ("affects", u.affects),
            ("source", u.source),
            ("note", u.note),
        ):
            if text is not None:
                out.append(("unmonetised", u.impact, "text", measure, "", csv_cell(text)))
    for st in result.figures.timeline.streams if result.settings.appraised else ():
        e = st.evidence
        if e is None:
            continue
        for aspect, grade in e.graded:
            out.append(
                ("evidence_grade", st.label, "count", aspect, "", "ranged" if aspect in e.ranged else str(grade))
            )
        out.append(
            ("evidence_grade", st.label, "count", "grade_used", "", "none left" if e.grade is None else str(e.grade))
        )
        out.append(("evidence_grade", st.label, "ratio", "optimism_bias", "", ratio(e.share)))
    if result.shows_financial_case:
        out += financial_case_rows(result)
    for s in result.switches:
        out.append(("switching_value", s.outcome, s.volume_kind, s.basis, "", ratio(s.switching_value)))
    return out


def financial_case_rows(result: RunResult) -> list[tuple[object, ...]]:
    """The financial case: each holder's cash by year (and over the whole appraisal), the budget envelope, and the
    reconciliation to the economic case; a figure not known is the text 'not known', never an empty or 0."""
    fc = result.financial_case
    out: list[tuple[object, ...]] = []

    def cell(section: str, item: str, measure: str, period: str, amount: Decimal | None) -> tuple[object, ...]:
        if amount is None:
            return (section, item, "text", measure, period, "not known")
        return (section, item, "money", measure, period, money(amount))

    for r in fc.with_totals:
        period = "" if r.year == "whole appraisal" else r.year
        for measure, amount in (
            ("cash_costs", r.costs),
            ("cashable_savings", r.savings),
            ("transfers", r.transfers),
            ("net_cash", r.net),
            ("cumulative_net_cash", r.cumulative),
        ):
            out.append(cell("financial_case", r.holder, measure, period, amount))
    for e in fc.envelope_rows:
        for measure, amount in (
            ("envelope", e.envelope),
            ("cash_costs", e.costs),
            ("headroom", e.headroom),
            ("cumulative_headroom", e.cumulative),
        ):
            out.append(cell("budget_envelope", fc.envelope_holder, measure, e.year, amount))
    for key, _, amount in fc.reconciliation:
        out.append(cell("financial_case_reconciliation", key, "amount", "", amount))
    return out


def write(result: RunResult, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows(result):
        writer.writerow([csv_cell(cell) if i < 5 else cell for i, cell in enumerate(row)])
