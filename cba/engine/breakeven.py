"""``cba breakeven``: every switching value of a run, as one typed table (see ``switching``)."""

from __future__ import annotations

from cba.engine.result import Column, Table, TableResult
from cba.engine.run import RunResult
from cba.engine.switching import OutcomeSwitch

UNITS = {
    "change": "change, follow-up - baseline",
    "cohort": "achieving it",
    "volumes": "in total, in the yearly pattern given",
}


def basis_label(run: RunResult, basis: str) -> str:
    if basis == "npv":
        return "over the appraisal, NPV = 0"
    return f"undiscounted, against {run.settings.basis_label}"


def switch_unit(s: OutcomeSwitch) -> str:
    return f"{s.measure} ({UNITS[s.volume_kind]})"


def breakeven(run: RunResult) -> TableResult:
    """One table per basis: the undiscounted net position, and (when appraised) the NPV."""
    columns: tuple[Column, ...] = (
        Column("input", "Input", "text"),
        Column("kind", "Kind", "text"),
        Column("input_kind", "Kind of value", "text"),
        Column("switching_value", "Switching value", "input"),
        Column("unit", "Of", "text"),
        Column("as_written", "As written", "count"),
        Column("cost_to_cover", "Cost to cover", "money"),
        Column("per_unit", "Worth of one unit (divisor)", "money"),
    )
    per = run.figures.report_per
    if per is not None:  # evaluations publish per family: the switching volume and the volume as written, per family
        columns += (
            Column("switching_value_per_unit", f"Switching value per {per[0]}", "ratio"),
            Column("as_written_per_unit", f"As written per {per[0]}", "ratio"),
        )
    tables = []
    for basis in ("net_position", "npv") if run.settings.appraised else ("net_position",):
        rows = [
            (
                s.outcome,
                "outcome",
                "ratio",
                s.switching_value,
                switch_unit(s),
                s.written_value,
                s.cost - s.other_benefits,
                s.per_unit,
            )
            + (
                ()
                if per is None
                else (None if s.switching_value is None else s.switching_value / per[1], s.written_value / per[1])
            )
            for s in run.switches
            if s.basis == basis
        ]
        rows += [
            (
                c.input,
                c.kind,
                "percent",
                c.percent,
                "% change" + (f": {c.why_none}" if c.why_none else ""),
                None,
                None,
                None,
            )
            + (() if per is None else (None, None))
            for c in run.cost_switches
            if c.basis == basis
        ]
        tables.append(
            Table(
                basis,
                f"Switching values, {basis_label(run, basis)}",
                columns,
                tuple(rows),
                chart="tornado",
                text_columns=tuple(c.key for c in columns if c.key != "input_kind"),
            )
        )
    notes: tuple[str, ...] = (
        run.settings.prices + ".",  # the values' prices travel with them
        "Switching value: an outcome's value, or the % change in a unit cost or in total cost, at which benefits "
        "exactly cover the cost on the basis named. An outcome's value is written as --vary and --set take it: "
        "its change, follow-up - baseline (a fall of 60 is -60), or the number achieving it. "
        "'As written': that value in the scenario.",
        "Worth of one unit = unit cost x uprating x conversion x additionality x (1 - optimism bias) x the years "
        "one unit's benefit falls in (discounted for NPV); an outcome counts as attributable for its own value.",
        "No value (–): one unit is worth nothing (not priced, or 100% deadweight), nothing attributable uses the "
        "cost, or the value would lie outside what the input can be (a unit cost or a total cost below nothing).",
    )
    if not run.figures.net.cost_known:
        notes = (
            "No break-even: the cost is not known (no cost line is quantified), so no volume can be said to cover it.",
            *notes,
        )
    return TableResult("breakeven", (run.provenance,), tuple(tables), notes)
