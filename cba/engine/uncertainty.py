"""``cba simulate``: Monte Carlo over a scenario's ranges: percentiles, chance of paying back, histogram, tornado.

Draws are float64 (numpy); every figure in the result is rounded to the penny (money)
or to six places (ratios) before it leaves the engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

import numpy as np

from cba.engine.result import Column, Figure, Table, TableResult, to_pennies, to_ratio
from cba.engine.run import RunResult
from cba.engine.sweep import evaluate, linear_model, sample, tornado
from cba.model.errors import Diagnostic, InputError
from cba.model.scenario import Distribution

#: Draws are evaluated in chunks of this size into preallocated arrays, so memory stays flat.
CHUNK = 1_000_000


def simulate(run: RunResult, ranges: dict[str, Distribution], *, draws: int, seed: int,
             attributable: Iterable[str] = (), advance: Callable[[int], None] = lambda size: None) -> TableResult:
    """Draw every uncertain input, evaluate the linear model, and rank the inputs (``advance`` reports progress)."""
    if not ranges:
        raise InputError([Diagnostic(run.provenance.scenario_file.file, 1, 1,
                                     "no uncertainty: block in this scenario; give ranges for unit costs or outcomes "
                                     "(see the README, 'Uncertainty')")])
    forced = list(attributable)
    model = linear_model(run.figures, run.settings.appraised)
    rng = np.random.default_rng(seed)
    net = np.empty(draws)
    npv = np.empty(draws) if model.has_appraisal else None
    bcr = np.empty(draws) if model.has_appraisal else None
    for start in range(0, draws, CHUNK):
        size = min(CHUNK, draws - start)
        inputs = {key: sample(d, size, rng) for key, d in ranges.items()}
        part = evaluate(model, inputs, size, forced)
        net[start:start + size] = part.net
        if npv is not None and bcr is not None:
            npv[start:start + size] = part.npv
            bcr[start:start + size] = part.bcr
        advance(size)
    headline = npv if npv is not None else net
    measure = "NPV" if npv is not None else "net position"

    series = [("net_position", f"Net position (against {run.settings.basis_label})", "money", net)]
    if npv is not None and bcr is not None:
        series += [("npv", "NPV", "money", npv), ("bcr", "BCR", "ratio", bcr)]
    stats = [("p5", 5), ("p50", 50), ("p95", 95)]
    rows = []
    for name, label in (("p5", "5th percentile"), ("p50", "Median"), ("p95", "95th percentile"), ("mean", "Mean")):
        cells: list[object] = [label]
        for _, _, kind, values in series:
            x = float(values.mean()) if name == "mean" else float(np.percentile(values, dict(stats)[name]))
            cells.append(to_pennies(x) if kind == "money" else to_ratio(x))
        rows.append(tuple(cells))
    percentiles = Table("percentiles", f"Monte Carlo: {run.provenance.scenario} ({draws:,} draws, seed {seed})",
                        (Column("statistic", "Statistic", "text"),
                         *(Column(k, label, kind) for k, label, kind, _ in series)),  # type: ignore[arg-type]
                        tuple(rows), transpose_for_text=True)

    counts, edges = np.histogram(headline, bins=20)
    histogram = Table("histogram", f"Distribution of the {measure}",
                      (Column("low", "From", "money"), Column("high", "To", "money"), Column("draws", "Draws", "count"),
                       Column("share", "Share of draws (%)", "percent")),
                      tuple((to_pennies(float(edges[i])), to_pennies(float(edges[i + 1])), Decimal(int(c)),
                             to_ratio(100 * float(c) / draws)) for i, c in enumerate(counts)),
                      chart="histogram")
    bars = tornado(model, ranges, forced, "npv" if npv is not None else "net")
    tornado_table = Table(
        "tornado", f"Tornado: each input alone at its 5th and 95th percentile ({measure})",
        (Column("input", "Input", "text"), Column("low", "Low", "ratio"), Column("high", "High", "ratio"),
         Column("at_low", f"{measure} at low", "money"), Column("at_high", f"{measure} at high", "money"),
         Column("swing", "Swing", "money")),
        tuple((b.key, to_ratio(b.low_input), to_ratio(b.high_input), to_pennies(b.net_at_low),
               to_pennies(b.net_at_high), to_pennies(b.swing)) for b in bars),
        chart="tornado")
    facts = (
        Figure("draws", "Draws", Decimal(draws), "count"),
        Figure("seed", "Seed", Decimal(seed), "count"),
        Figure("probability_pays_back", f"Probability the programme pays back ({measure} >= 0), %",
               to_ratio(100 * float(np.mean(headline >= 0))), "percent"),
    )
    notes = (f"Outcomes treated as attributable: {', '.join(forced) or 'as the scenario says'}.",
             "float64 Monte Carlo over the appraisal's linear structure; money rounded half-up to the penny.")
    return TableResult("simulate", (run.provenance,), (percentiles, histogram, tornado_table), notes, facts)
