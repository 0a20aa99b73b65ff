"""``cba compare``: the headline figures of several runs side by side, with differences against the first."""

from __future__ import annotations

from decimal import Decimal

from cba.engine.result import Column, Table, TableResult
from cba.engine.run import RunResult


def compare(runs: list[RunResult], names: list[str]) -> TableResult:
    """One row per scenario (``names``: short names, e.g. file stems), then one per difference against the first."""
    keys: list[str] = []
    kinds = {}
    labels = {}
    for run in runs:
        for f in run.headlines:
            if f.key not in kinds:
                keys.append(f.key)
                kinds[f.key], labels[f.key] = f.kind, f.label
    columns = (
        Column("scenario", "Scenario", "text"),
        Column("name", "Name", "text"),
        *(Column(k, labels[k], kinds[k]) for k in keys),
    )
    values = [{f.key: f.number for f in run.headlines} for run in runs]
    rows = [(n, run.provenance.scenario, *(v.get(k) for k in keys)) for n, run, v in zip(names, runs, values)]
    first = values[0]

    def minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
        return None if a is None or b is None else a - b

    rows += [
        (f"{n} - {names[0]}", "difference", *(minus(v.get(k), first.get(k)) for k in keys))
        for n, v in zip(names[1:], values[1:])
    ]
    table = Table(
        "comparison",
        "Comparison (differences against the first scenario)",
        columns,
        tuple(rows),
        transpose_for_text=True,
    )
    notes = tuple(
        f"{n}: {run.provenance.scenario} ({run.provenance.scenario_file.file}). {run.settings.prices}."
        for n, run in zip(names, runs)
    )
    return TableResult("compare", tuple(r.provenance for r in runs), (table,), notes)
