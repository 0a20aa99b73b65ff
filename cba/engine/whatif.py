"""``cba whatif``: the appraisal at each point of a grid of inputs, as one typed table."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

import numpy as np

from cba.engine.grid import parse_grid
from cba.engine.result import Column, Table, TableResult, to_pennies, to_ratio
from cba.engine.run import RunResult
from cba.engine.sweep import evaluate, input_kind, linear_model


def column_key(input_key: str) -> str:
    """A snake_case JSON key for an input such as 'lac-year' or 'lac.deadweight'."""
    return "vary_" + re.sub(r"[^a-z0-9]+", "_", input_key.lower()).strip("_")


def _cost_notes(run: RunResult, keys: list[str]) -> tuple[str, ...]:
    """Why a change in spend leaves the net position where it is: on the funding basis the benefits are set
    against the funding, which a change in spend does not move."""
    if not keys or run.settings.basis.value != "funding":
        return ()
    where = " (the NPV, over the spend, moves)" if run.settings.appraised else ""
    return (
        f"{', '.join(keys)}: a change in spend does not move the net position, which sets the benefits against the "
        f"funding received{where}; --basis actual sets them against the spend.",
    )


def whatif(run: RunResult, asks: list[str], attributable: Iterable[str] = ()) -> TableResult:
    """Evaluate every combination of the ``--vary`` values; an outcome with an input varied counts as attributable."""
    model = linear_model(run.figures, run.settings.appraised)
    grid = parse_grid(asks, model)
    outcomes = {t.outcome for t in model.terms}
    # an outcome whose inputs are varied counts, or varying them would show nothing
    varied = [o for k in grid.keys for o in outcomes if k == o or k.startswith(f"{o}.")]
    forced = list(dict.fromkeys([*attributable, *varied]))
    results = evaluate(model, {k: np.array(v) for k, v in grid.columns().items()}, len(grid.points), forced)
    # an input is shown by its name beside its key (costs.0 says nothing to a reader; --vary takes the key)
    names = run.input_names
    inputs = [
        Column(column_key(k), names.label(k), input_kind(k, model))  # type: ignore[arg-type]
        for k in grid.keys
    ]
    columns = inputs + [
        Column("attributable_benefits", "Attributable benefits", "money"),
        Column("net_position", f"Net position (against {run.settings.basis_label})", "money"),
    ]
    if model.has_appraisal:
        columns += [Column("npv", "NPV", "money"), Column("bcr", "BCR", "ratio")]
    per = run.figures.report_per  # results per family: the net (and NPV) over the count
    if per is not None:
        columns.append(Column("net_position_per_unit", f"Net position per {per[0]}", "money"))
        if model.has_appraisal:
            columns.append(Column("npv_per_unit", f"NPV per {per[0]}", "money"))
    rows = []
    for i, point in enumerate(grid.points):
        row: list[object] = [Decimal(repr(v)) for v in point]
        row += [to_pennies(float(results.benefits[i])), to_pennies(float(results.net[i]))]
        if model.has_appraisal:
            row += [to_pennies(float(results.npv[i])), to_ratio(float(results.bcr[i]))]
        if per is not None:
            row.append(to_pennies(float(results.net[i]) / float(per[1])))
            if model.has_appraisal:
                row.append(to_pennies(float(results.npv[i]) / float(per[1])))
        rows.append(tuple(row))
    notes = (
        run.settings.prices + ".",  # the figures' prices travel with them
        f"Outcomes treated as attributable: {', '.join(forced) or 'as the scenario says'}.",
        "An outcome's value is its change (follow-up - baseline; negative is a fall); a unit cost's, its value "
        "at its own price year; a share is a share (0.2 for 20%); a cost line's is the share by which its "
        "spend differs; a lag or duration, whole years.",
        *grid.notes,
        *_cost_notes(run, [k for k in grid.keys if k.startswith("costs.") and not k.endswith(".optimism_bias")]),
        "Computed in float64 over the appraisal's structure; money rounded half-up to the penny.",
    )
    table = Table("whatif", f"What-if: {run.provenance.scenario}", tuple(columns), tuple(rows), chart="line")
    return TableResult("whatif", (run.provenance,), (table,), notes)
