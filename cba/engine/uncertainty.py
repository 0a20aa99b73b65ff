"""Monte Carlo over a scenario's ranges: draws, percentiles, chance of paying back, tornado."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.console import Console

from cba.engine.appraisal import Appraisal
from cba.engine.sweep import (
    LinearModel,
    Results,
    TornadoBar,
    evaluate,
    linear_model,
    sample,
    tornado,
    uncertain_inputs,
)
from cba.io.load import Loaded
from cba.model.errors import Diagnostic, InputError
from cba.render.tables import gbp, print_histogram, ratio, table

#: Draws are evaluated in chunks of this size, so memory stays flat and progress can be shown.
CHUNK = 1_000_000


@dataclass
class Simulation:
    draws: int
    seed: int
    model: LinearModel
    net: np.ndarray
    npv: np.ndarray | None
    bcr: np.ndarray | None
    bars: list[TornadoBar]
    attributable: list[str]

    def percentiles(self, values: np.ndarray) -> dict[str, float]:
        p5, p50, p95 = np.percentile(values, [5, 50, 95])
        return {"p5": float(p5), "p50": float(p50), "p95": float(p95), "mean": float(values.mean())}

    @property
    def headline(self) -> np.ndarray:
        """The figure that decides "pays back": NPV with an appraisal, else the net position."""
        return self.npv if self.npv is not None else self.net

    @property
    def probability_pays_back(self) -> float:
        return float(np.mean(self.headline >= 0))

    def histogram_bins(self) -> list[tuple[float, float, int]]:
        counts, edges = np.histogram(self.headline, bins=20)
        return [(float(edges[i]), float(edges[i + 1]), int(c)) for i, c in enumerate(counts)]

    def to_json(self, loaded: Loaded) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": loaded.source.name, "sha256": loaded.source.sha256, "draws": self.draws, "seed": self.seed,
            "attributable_forced": self.attributable,
            "net_position": self.percentiles(self.net),
            "probability_pays_back": self.probability_pays_back,
            "pays_back_measure": "npv" if self.npv is not None else "net_position",
            "histogram": [{"low": lo, "high": hi, "count": c} for lo, hi, c in self.histogram_bins()],
            "tornado": [{"input": b.key, "low": b.low_input, "high": b.high_input, "at_low": b.net_at_low,
                         "at_high": b.net_at_high, "swing": b.swing} for b in self.bars],
            "note": "float64 Monte Carlo; inputs at their 5th and 95th percentiles for the tornado",
        }
        if self.npv is not None:
            out["npv"] = self.percentiles(self.npv)
            out["bcr"] = self.percentiles(self.bcr)  # type: ignore[arg-type]
        return out

    def render(self, console: Console, loaded: Loaded) -> None:
        rows = [["Net position", *[gbp(v) for v in self.percentiles(self.net).values()]]]
        if self.npv is not None:
            rows.append(["NPV", *[gbp(v) for v in self.percentiles(self.npv).values()]])
            rows.append(["BCR", *[ratio(v) for v in self.percentiles(self.bcr).values()]])  # type: ignore[arg-type]
        console.print(table(f"Monte Carlo: {loaded.scenario.name} ({self.draws:,} draws, seed {self.seed})",
                            ["Figure", "5th percentile", "Median", "95th percentile", "Mean"], rows))
        measure = "NPV" if self.npv is not None else "net position"
        console.print(f"Probability the programme pays back ({measure} ≥ 0): {100 * self.probability_pays_back:.1f}%")
        print_histogram(console, f"Distribution of the {measure}", self.headline)
        console.print(table(f"Tornado: each input alone at its 5th and 95th percentile ({measure})",
                            ["Input", "Low", "High", f"{measure} at low", f"{measure} at high", "Swing"],
                            [[b.key, _input(b.low_input), _input(b.high_input), gbp(b.net_at_low), gbp(b.net_at_high),
                              gbp(b.swing)] for b in self.bars]))


def _input(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


def run_simulation(loaded: Loaded, result: Appraisal, *, draws: int, seed: int, attributable: list[str],
                   progress: bool = True) -> Simulation:
    """Draw every uncertain input, evaluate the linear model, and rank the inputs."""
    ranges = uncertain_inputs(loaded.scenario)
    if not ranges:
        raise InputError([Diagnostic(loaded.source.name, 1, 1,
                                     "no uncertainty: block in this scenario; give ranges for unit costs or outcomes "
                                     "(see the README, 'Uncertainty')")])
    model = linear_model(loaded.scenario, result)
    rng = np.random.default_rng(seed)
    chunks = [min(CHUNK, draws - start) for start in range(0, draws, CHUNK)]
    parts: list[Results] = []
    show = progress and draws >= 2 * CHUNK and Console(stderr=True).is_interactive

    def run_chunks(advance=lambda size: None) -> None:
        for size in chunks:
            inputs = {key: sample(d, size, rng) for key, d in ranges.items()}
            parts.append(evaluate(model, inputs, size, attributable))
            advance(size)

    if show:  # a bar only for runs of a second or more, and only on a terminal
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("Simulating", total=draws)
            run_chunks(lambda size: bar.advance(task, size))
    else:
        run_chunks()
    net = np.concatenate([p.net for p in parts])
    npv = bcr = None
    if model.has_appraisal:
        npv = np.concatenate([p.npv for p in parts])
        bcr = np.concatenate([p.bcr for p in parts])
    measure = "npv" if model.has_appraisal else "net"
    return Simulation(draws, seed, model, net, npv, bcr, tornado(model, ranges, attributable, measure), attributable)
