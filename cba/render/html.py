"""``cba report``: one self-contained HTML page of a ``RunResult`` (and its simulation, if any).

The page is for programme boards and councillors: it opens from a shared drive or an email
attachment, makes no network request (CSS and SVG charts are inline), prints on A4 and reads
on a phone. Jinja2 autoescapes every value, so scenario text can never become markup; the
figures are the result's own, written by ``render.format`` and carried in ``data-value``
attributes exactly as ``--format json`` writes them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from cba.engine.appraisal import KIND_LABELS
from cba.engine.breakeven import basis_label
from cba.engine.result import TableResult
from cba.engine.run import RunResult
from cba.engine.timeline import no_payback
from cba.model.errors import escape_hidden
from cba.model.periods import step
from cba.model.record import record
from cba.model.scenario import CostKind
from cba.render import json as json_face
from cba.render.format import (
    arm_size,
    arms_caption,
    fmt_evidence,
    fmt_factor,
    fmt_gbp,
    fmt_number,
    fmt_percent,
    fmt_published,
    fmt_result,
    fmt_spread,
    fmt_value,
    transfer_how,
)


@record
class Chart:
    title: str
    svg: str
    note: str = ""  # what the caption must add for the chart to agree with the headline


def _arms_caption(arms: Any) -> object:
    """The arms table's caption: labels escaped, each size on one line."""
    from markupsafe import Markup, escape

    return Markup(arms_caption(arms, size=_unbroken(arm_size), text=lambda label: str(escape(label))))


def _unbroken(format_: Callable[..., str]) -> Callable[..., object]:
    """``format_`` with its figure in a ``<span class="m">`` that the page never breaks across lines.

    A browser may break "-£1,849,537" after its sign or a narrow cell inside it; a board member
    must never read half a figure. Text (a name, a note) is left free to wrap.
    """

    def unbroken(value: object, *args: object) -> object:
        from markupsafe import Markup

        text = format_(value, *args)
        if isinstance(value, str) or (args and args[0] == "text"):
            return text
        return Markup('<span class="m">%s</span>') % text  # % escapes the figure: it stays inert

    return unbroken


def _shown_text(value: object) -> object:
    """Every value the page prints: user text with its hidden characters (C1, bidi, zero-width) shown escaped,
    before autoescape makes it text; markup cba built (a figure's span) is left as it is."""
    from markupsafe import Markup

    if isinstance(value, str) and not isinstance(value, Markup):
        return escape_hidden(value)
    return value


def _environment():
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("cba.render", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
        finalize=_shown_text,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["gbp"] = _unbroken(fmt_gbp)
    env.filters["pct"] = _unbroken(fmt_percent)
    env.filters["num"] = _unbroken(fmt_number)
    env.filters["shown"] = _unbroken(fmt_value)
    env.filters["arms_caption"] = _arms_caption
    env.filters["factor"] = _unbroken(fmt_factor)
    env.filters["spread"] = fmt_spread
    env.filters["evidence"] = fmt_evidence
    env.filters["transfer_how"] = transfer_how
    env.filters["result"] = _unbroken(fmt_result)
    env.filters["published"] = _unbroken(fmt_published)
    env.filters["exact"] = json_face.value
    return env


def _charts(result: RunResult, simulation: TableResult | None) -> list[Chart]:
    from cba.render import charts

    a = result.figures
    total = a.total
    out = [
        Chart(
            "Budget and actual spend by year",
            charts.budget_actual(
                list(a.periods), [total.budget[p] for p in a.periods], [total.actual[p] for p in a.periods]
            ),
        )
    ]
    t = a.timeline
    if t is not None and t.streams:
        costs, fiscal, benefits = t.cumulative()
        payback = result.figure("payback_years").number if result.settings.appraised else None
        # The headline's cost: present-value costs when appraised, else the net position's cost on its basis
        # (funding received, say), which the yearly costs (actual spend) need not reach.
        appraised = result.settings.appraised
        cost = result.figure("pv_costs").number if appraised else a.net.cost
        words = "the present value of the costs" if appraised else result.settings.basis_label
        label = "PV of costs" if appraised else f"Cost in the headline ({words})"
        reference = (label, cost) if cost is not None and costs and cost != costs[-1] else None
        note = ""
        if reference is not None:
            note = (
                f"The costs by year are {result.settings.cost_measure} spend, "
                f"{fmt_gbp(costs[-1])} in all; the headline's cost is {words}, {fmt_gbp(cost)}: the level line."
            )
        out.append(
            Chart(
                "Cumulative costs and benefits",
                charts.cumulative(list(t.years), costs, fiscal, benefits, payback, t.discounted, reference),
                note,
            )
        )
    if simulation is not None:
        tables = {table.key: table for table in simulation.tables}
        hist, bars = tables["histogram"], tables["tornado"]
        measure = "NPV" if result.settings.appraised else "net position"
        out.append(
            Chart(
                f"Distribution of the {measure}",
                charts.histogram(hist.amounts("low"), hist.amounts("high"), hist.amounts("draws"), measure),
            )
        )
        if bars.rows:
            out.append(
                Chart(
                    f"Tornado: how far the {measure} moves with each uncertain input alone at its 5th and 95th "
                    "percentile, the others as written, widest swing first",
                    charts.tornado(
                        [str(x) for x in bars.column("name")],
                        bars.amounts("at_low"),
                        bars.amounts("at_high"),
                        result.headline.number or Decimal(0),
                        measure,
                    ),
                )
            )
    return out


def render(result: RunResult, simulation: TableResult | None = None) -> str:
    """The report page as one HTML string."""
    from cba.render.text import conclusion, describe_switch

    a = result.figures
    kinds = [k for k in CostKind if k in a.by_kind]
    switches = [(s.basis, describe_switch(s, basis_label(result, s.basis))) for s in result.switches]
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=result,
        a=a,
        p=result.provenance,
        kinds=kinds,
        kind_labels=KIND_LABELS,
        conclusion=conclusion(result).plain,
        switches=switches,
        charts=_charts(result, simulation),
        simulation=simulation,
        sim_tables={t.key: t for t in simulation.tables} if simulation else {},
        who=a.timeline.who_pays_and_benefits() if result.settings.appraised else [],
        unquantified=[f.label for f in a.lines if not f.quantified],
        no_payback=no_payback(a.timeline.length_in_years) if a.timeline is not None else "",
        step=step(a.periods[0]),
    )


def write(result: RunResult, path: Path, simulation: TableResult | None, *, force: bool, inputs: list[Path]) -> None:
    """Render, then write atomically (never over a file without ``force``)."""
    from cba.io.atomic import write_atomically

    page = render(result, simulation)
    write_atomically(path, lambda temp: temp.write_text(page, encoding="utf-8"), force=force, inputs=inputs)
