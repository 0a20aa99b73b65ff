"""``cba simulate``: Monte Carlo over a scenario's ranges: percentiles, chance of paying back, histogram, tornado.

Draws are float64 (numpy); every figure in the result is rounded to the penny (money)
or to six places (ratios) before it leaves the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal

import numpy as np

from cba.engine.correlation import correlate
from cba.engine.result import Column, Figure, Table, TableResult, to_pennies, to_ratio
from cba.engine.run import RunResult
from cba.engine.sweep import (
    base_value,
    evaluate,
    input_kind,
    linear_model,
    sample,
    switching_value,
    tornado,
)
from cba.model.errors import Diagnostic, InputError
from cba.model.ranges import DEFAULT_DRAWS, DEFAULT_SEED, quantile
from cba.model.scenario import Distribution

#: Draws are evaluated in chunks of this size. Up to one chunk, the draws are kept and summarised
#: directly; beyond it, they are drawn again from the same seed (the same numbers) in passes that
#: keep only summaries, so memory does not grow with the number of draws.
CHUNK = 1_000_000
#: Fine bins used to find an order statistic without keeping every draw.
FINE_BINS = 1 << 16
QUANTILES = (5, 50, 95)
SLICE = 1 << 17


def _lerp(a: float, b: float, t: float) -> float:
    """Linear interpolation exactly as numpy's percentile does it (so summaries match np.percentile)."""
    d = b - a
    return b - d * (1 - t) if t >= 0.5 else a + d * t


def _ranks(n: int) -> list[tuple[int, int, float]]:
    """For each quantile: the two order statistics np.percentile's linear method reads, and the weight."""
    out = []
    for q in QUANTILES:
        h = (q / 100) * (n - 1)
        lo = math.floor(h)
        out.append((lo, min(lo + 1, n - 1), h - lo))
    return out


class _Draws:
    """The draws of every summarised series, chunk by chunk, the same numbers every pass (one seed)."""

    def __init__(self, model, ranges, draws: int, seed: int, forced: list[str], pairs=()):
        self.model, self.ranges, self.draws, self.seed, self.forced = model, ranges, draws, seed, forced
        self.pairs = pairs  # rank correlations: (key, key, rank)

    def chunks(self):
        rng = np.random.default_rng(self.seed)
        for start in range(0, self.draws, CHUNK):
            size = min(CHUNK, self.draws - start)
            inputs = {key: sample(d, size, rng) for key, d in self.ranges.items()}
            if self.pairs:  # (only then: a scenario without correlations draws the numbers it always drew)
                inputs = correlate(inputs, self.pairs, rng)
            part = evaluate(self.model, inputs, size, self.forced)
            # fiscal_gap >= 0 exactly when the financial ROI ((fiscal PV - paid outside) / public cost PV) is at least
            # 1: the fiscal case counts the costs the public sector bears, not a provider's
            yield (
                size,
                {
                    "net_position": part.net,
                    "npv": part.npv,
                    "bcr": part.bcr,
                    "fiscal_gap": part.pv_fiscal - part.pv_public_costs - self.model.pv_paid_out,
                    "cashable_gap": part.pv_cashable - part.pv_public_costs - self.model.pv_paid_out,
                },
            )
            del inputs, part  # free this chunk before the next is drawn: one chunk in memory at a time


def _summaries(draws: _Draws, keys: list[str], headline: str, advance) -> dict:
    """Per series: p5, p50, p95 (as np.percentile computes them) and the mean; the headline's 20-bin
    histogram and how many draws are >= 0. One pass when the draws fit in a chunk, else three."""
    n = draws.draws
    if n <= CHUNK:
        size, values = next(draws.chunks())
        advance(size)
        out = {
            k: {f"p{q}": float(np.percentile(values[k], q)) for q in QUANTILES} | {"mean": float(values[k].mean())}
            for k in keys
        }
        counts, edges = np.histogram(values[headline], bins=20)
        return out | {
            "above_zero_mean": float(np.maximum(values[headline], 0.0).mean()),
            "histogram": (counts, edges),
            "paying": int(np.count_nonzero(values[headline] >= 0)),
            "fiscal_paying": int(np.count_nonzero(values["fiscal_gap"] >= 0)),
            "cashable_paying": int(np.count_nonzero(values["cashable_gap"] >= 0)),
        }
    low = {k: math.inf for k in keys}
    high = {k: -math.inf for k in keys}
    sums: dict[str, list[float]] = {k: [] for k in keys}
    paying = fiscal_paying = cashable_paying = 0
    above_zero: list[float] = []  # the headline's draws below zero counted as zero: for the EVPI
    for size, values in draws.chunks():  # pass 1: range, sum, paying back
        above_zero.append(float(np.maximum(values[headline], 0.0).sum()))
        for k in keys:
            low[k], high[k] = min(low[k], float(values[k].min())), max(high[k], float(values[k].max()))
            sums[k].append(float(values[k].sum()))
        paying += int(np.count_nonzero(values[headline] >= 0))
        fiscal_paying += int(np.count_nonzero(values["fiscal_gap"] >= 0))
        cashable_paying += int(np.count_nonzero(values["cashable_gap"] >= 0))
        advance(size)
        del values
    fine = {k: np.zeros(FINE_BINS, dtype=np.int64) for k in keys}
    counts = np.zeros(20, dtype=np.int64)
    for size, values in draws.chunks():  # pass 2: where each order statistic lies
        for part in range(0, size, SLICE):  # binning makes index arrays as long as its input: keep them short
            for k in keys:
                fine[k] += np.histogram(values[k][part : part + SLICE], bins=FINE_BINS, range=(low[k], high[k]))[0]
            counts += np.histogram(
                values[headline][part : part + SLICE], bins=20, range=(low[headline], high[headline])
            )[0]
        del values
    edges = np.histogram_bin_edges(np.empty(0), bins=20, range=(low[headline], high[headline]))
    ranks = _ranks(n)
    wanted: dict[str, dict[int, int]] = {}  # series -> bin -> draws in earlier bins
    for k in keys:
        before = np.concatenate(([0], np.cumsum(fine[k])[:-1]))
        bins = {int(np.searchsorted(np.cumsum(fine[k]), r, side="right")) for lo, hi, _ in ranks for r in (lo, hi)}
        wanted[k] = {b: int(before[b]) for b in bins}
    kept: dict[str, dict[int, list[np.ndarray]]] = {k: {b: [] for b in wanted[k]} for k in keys}
    fine_edges = {k: np.histogram_bin_edges(np.empty(0), bins=FINE_BINS, range=(low[k], high[k])) for k in keys}
    for size, values in draws.chunks():  # pass 3: the draws in those bins only
        for part in range(0, size, SLICE):
            for k in keys:
                piece = values[k][part : part + SLICE]
                index = np.clip(np.searchsorted(fine_edges[k], piece, side="right") - 1, 0, FINE_BINS - 1)
                for b in wanted[k]:
                    kept[k][b].append(piece[index == b])
        del values

    def order(k: str, r: int) -> float:
        """The draw of rank r in series k: found in its fine bin among the draws kept from that bin."""
        b = int(np.searchsorted(np.cumsum(fine[k]), r, side="right"))
        inside = np.sort(np.concatenate(kept[k][b]))
        return float(inside[r - wanted[k][b]])

    out = {}
    for k in keys:
        out[k] = {f"p{q}": _lerp(order(k, lo), order(k, hi), t) for q, (lo, hi, t) in zip(QUANTILES, ranks)}
        out[k]["mean"] = math.fsum(sums[k]) / n
    return out | {
        "above_zero_mean": math.fsum(above_zero) / n,
        "histogram": (counts, edges),
        "paying": paying,
        "fiscal_paying": fiscal_paying,
        "cashable_paying": cashable_paying,
    }


def _typed(kind: str, *values: float) -> tuple[Decimal | None, ...]:
    return tuple(to_pennies(v) if kind == "money" else to_ratio(v) for v in values)


def _switch_row(model, key: str, d: Distribution, forced: list[str], measure: str) -> tuple:
    kind = input_kind(key, model)
    value = switching_value(model, key, forced, measure)
    if value is None:
        return (key, kind, *_typed(kind, base_value(model, key)), None, "never zero for any value this input may take")
    low, high = quantile(d, 0.05), quantile(d, 0.95)
    return (key, kind, *_typed(kind, base_value(model, key), value), "yes" if low <= value <= high else "no")


def headline_uncertainty(
    run: RunResult,
    ranges: dict[str, Distribution],
    *,
    draws: int = DEFAULT_DRAWS,
    seed: int = DEFAULT_SEED,
    attributable: Iterable[str] = (),
    correlations: Sequence[tuple[str, str, float]] = (),
) -> tuple[Figure, ...]:
    """A scenario with ranges: its headline measure's simulated median and the chance it falls below zero, to
    stand beside the figure as written on every face. The same draws as ``simulate`` with this seed."""
    model = linear_model(run.figures, run.settings.appraised)
    key = "npv" if model.has_appraisal else "net_position"
    summary = _summaries(
        _Draws(model, ranges, draws, seed, list(attributable), correlations), [key], key, lambda size: None
    )
    measure, below = ("NPV", "a negative NPV") if model.has_appraisal else ("net position", "a net cost")
    return (
        Figure(
            "simulated_median",
            f"Median {measure} over {draws:,} draws of the ranges (seed {seed})",
            to_pennies(summary[key]["p50"]),
            "money",
        ),
        Figure(
            "chance_below_zero",
            f"Chance of {below} over {draws:,} draws (seed {seed})",
            to_ratio(100 * (draws - summary["paying"]) / draws),
            "percent",
        ),
    )


def simulate(
    run: RunResult,
    ranges: dict[str, Distribution],
    *,
    draws: int,
    seed: int,
    attributable: Iterable[str] = (),
    advance: Callable[[int], None] = lambda size: None,
    correlations: Sequence[tuple[str, str, float]] = (),
) -> TableResult:
    """Draw every uncertain input, evaluate the linear model, and rank the inputs (``advance`` reports progress)."""
    if not ranges:
        raise InputError(
            [
                Diagnostic(
                    run.provenance.scenario_file.file,
                    1,
                    1,
                    "no uncertainty: block in this scenario; give ranges for unit costs or outcomes "
                    "(see the documentation, docs/uncertainty.md, 'What-if, comparison, break-even and uncertainty')",
                )
            ]
        )
    forced = list(attributable)
    model = linear_model(run.figures, run.settings.appraised)
    appraised = model.has_appraisal
    keys = ["net_position", "npv", "bcr"] if appraised else ["net_position"]
    headline_key = "npv" if appraised else "net_position"
    summary = _summaries(_Draws(model, ranges, draws, seed, forced, correlations), keys, headline_key, advance)
    measure = "NPV" if appraised else "net position"

    series = [("net_position", f"Net position (against {run.settings.basis_label})", "money")]
    if appraised:
        series += [("npv", "NPV", "money"), ("bcr", "BCR", "ratio")]
    per = run.figures.report_per  # per family: each statistic over the count (a positive scale keeps its rank)
    if per is not None:
        series += [("net_position_per_unit", f"Net position per {per[0]}", "money")]
        series += [("npv_per_unit", f"NPV per {per[0]}", "money")] if appraised else []
    rows = []
    for name, label in (("p5", "5th percentile"), ("p50", "Median"), ("p95", "95th percentile"), ("mean", "Mean")):
        cells: list[object] = [label]
        for key, _, kind in series:
            x = summary[key.removesuffix("_per_unit")][name] / (float(per[1]) if key.endswith("_per_unit") else 1.0)  # type: ignore[index]
            cells.append(to_pennies(x) if kind == "money" else to_ratio(x))
        rows.append(tuple(cells))
    percentiles = Table(
        "percentiles",
        f"Monte Carlo: {run.provenance.scenario} ({draws:,} draws, seed {seed})",
        (Column("statistic", "Statistic", "text"), *(Column(k, label, kind) for k, label, kind in series)),  # type: ignore[arg-type]
        tuple(rows),
        transpose_for_text=True,
    )

    counts, edges = summary["histogram"]
    histogram = Table(
        "histogram",
        f"Distribution of the {measure}",
        (
            Column("low", "From", "money"),
            Column("high", "To", "money"),
            Column("draws", "Draws", "count"),
            Column("share", "Share of draws (%)", "percent"),
        ),
        tuple(
            (
                to_pennies(float(edges[i])),
                to_pennies(float(edges[i + 1])),
                Decimal(int(c)),
                to_ratio(100 * float(c) / draws),
            )
            for i, c in enumerate(counts)
        ),
        chart="histogram",
    )
    bars = tornado(model, ranges, forced, "npv" if appraised else "net")
    names = run.input_names  # each input by its name beside its key
    tornado_table = Table(
        "tornado",
        f"Tornado: each input alone at its 5th and 95th percentile ({measure})",
        (
            Column("name", "Input", "text"),
            Column("input", "Key (as --set and --vary name it)", "text"),
            Column("input_kind", "Kind of input", "text"),
            Column("low", "Low", "input"),
            Column("high", "High", "input"),
            Column("at_low", f"{measure} at low", "money"),
            Column("at_high", f"{measure} at high", "money"),
            Column("swing", "Swing", "money"),
        ),
        tuple(
            (
                names.label(b.key),
                b.key,
                input_kind(b.key, model),
                *_typed(input_kind(b.key, model), b.low_input, b.high_input),
                to_pennies(b.net_at_low),
                to_pennies(b.net_at_high),
                to_pennies(b.swing),
            )
            for b in bars
        ),
        chart="tornado",
        text_columns=("name", "low", "high", "at_low", "at_high", "swing"),
    )
    switching = Table(
        "switching",
        f"Switching values: each uncertain input alone, the others as written, where the {measure} is zero",
        (
            Column("name", "Input", "text"),
            Column("input", "Key (as --set and --vary name it)", "text"),
            Column("input_kind", "Kind of input", "text"),
            Column("as_written", "As written", "input"),
            Column("switching_value", "Switching value", "input"),
            Column("in_range", "Inside its 5th-95th percentile range", "text"),
        ),
        tuple(
            (names.label(key), *_switch_row(model, key, d, forced, "npv" if appraised else "net"))
            for key, d in ranges.items()
        ),
        text_columns=("name", "as_written", "switching_value", "in_range"),
    )
    facts: tuple[Figure, ...] = (
        Figure("draws", "Draws", Decimal(draws), "count"),
        Figure("seed", "Seed", str(seed), "text"),  # an identifier, not a quantity: no separators
        Figure(
            "probability_pays_back",
            "Chance the public value covers the cost (NPV >= 0)"
            if appraised
            else "Chance the benefits cover the cost (net position >= 0)",
            to_ratio(100 * summary["paying"] / draws),
            "percent",
        ),
    )
    mean, above_zero = summary[headline_key]["mean"], summary["above_zero_mean"]
    facts += (
        Figure(
            "evpi",
            f"Expected value of perfect information on the decision to fund ({measure})",
            to_pennies(above_zero - max(mean, 0.0)),
            "money",
        ),
    )
    if appraised:  # a finance officer's "pays back": the fiscal savings alone cover the cost
        # the public sector's costs only, when a party outside it (a provider) bears some
        cost = "public cost PV" if model.pv_public_costs != model.pv_costs else "cost PV"
        facts += (
            Figure(
                "probability_fiscal_payback",
                f"Chance the fiscal savings cover the cost (financial ROI >= 1: fiscal PV >= {cost})",
                to_ratio(100 * summary["fiscal_paying"] / draws),
                "percent",
            ),
            Figure(
                "probability_cashable_payback",
                f"Chance the cashable savings alone cover the cost (cashable PV >= {cost})",
                to_ratio(100 * summary["cashable_paying"] / draws),
                "percent",
            ),
        )
    notes = (
        (
            run.settings.prices + ".",  # the draws' prices travel with them
            f"Outcomes treated as attributable: {', '.join(forced) or 'as the scenario says'}.",
            "float64 Monte Carlo over the appraisal's structure; money rounded half-up to the penny.",
            f"Expected value of perfect information (EVPI) = E[max({measure}, 0)] - max(E[{measure}], 0) over the "
            "draws, funding or not as the only choice: the most that learning every uncertain input before "
            "deciding could be worth; nil when every draw points the same way.",
        )
        + (
            (
                "Rank correlations, drawn by Iman and Conover's method (each input keeps its own range): "
                + "; ".join(f"{a} with {b}, {r:g}" for a, b, r in correlations)
                + ".",
            )
            if correlations
            else ("Every ranged input is drawn independently of the others (no correlations: given).",)
        )
        + (
            (
                f"Payments outside the public sector (PV £{model.pv_paid_out:,.2f} as written) count against the fiscal "
                "and cashable savings, held as written in every draw.",
            )
            if model.pv_paid_out
            else ()
        )
    )
    return TableResult("simulate", (run.provenance,), (percentiles, histogram, tornado_table, switching), notes, facts)
