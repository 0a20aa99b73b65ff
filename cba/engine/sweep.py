"""Vectorised what-if sweeps and Monte Carlo over the appraisal's linear structure (numpy).

For a fixed scenario every benefit is linear in its inputs:
``volume x unit value x uprating x (1 - dw) x (1 - at) x (1 - dp) x (1 - ob) x years``,
where ``years`` is the sum of the outcome's timing profile (undiscounted) or of the
profile times the discount factors (present value). So the exact engine is run once
to fix the profile, discount factors and costs, and the varied inputs are evaluated
as float64 arrays: a million draws in milliseconds. Tests check these figures against
the exact Decimal engine run once per draw (agreement to 1e-9 relative).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

import numpy as np

from cba.engine.appraisal import Appraisal, appraise
from cba.model.reference import ReferenceData
from cba.model.scenario import Distribution, Scenario
from cba.model.unit_cost import UnitCost

ADJUSTMENTS = ("deadweight", "attribution", "displacement")


def input_kind(key: str, model: "LinearModel") -> str:
    """What a varied input is, for writing its values: a unit cost is money, an adjustment a share, else a count."""
    if key in {t.unit_cost for t in model.terms}:
        return "money"
    return "share" if key.partition(".")[2] in ADJUSTMENTS else "count"


@dataclass(frozen=True)
class Term:
    """One priced outcome as a linear term of the net position."""

    outcome: str
    unit_cost: str
    counted: bool
    measured: bool  # given by baseline and follow_up, so its change can vary
    volume: float  # volume saved at the base case (for volumes by year: 1, the profile holds them)
    unit_value: float  # at its own price year
    uprate: float
    deadweight: float
    attribution: float
    displacement: float
    optimism_bias: float
    years: float  # sum of the timing profile
    pv_years: float  # sum of the profile x discount factors
    value_type: str


@dataclass(frozen=True)
class LinearModel:
    terms: list[Term]
    cost: float  # the net position's cost (funding, actual or budget)
    pv_costs: float
    has_appraisal: bool


def linear_model(result: Appraisal, appraised: bool) -> LinearModel:
    """Freeze everything but the varied inputs, from one run of the exact engine."""
    t = result.timeline
    terms = []
    for s in t.streams:
        if s.unit_cost is None:
            continue
        if s.volume_kind == "volumes":
            volume, profile = Decimal(1), dict(s.volumes)
        else:
            volume, profile = s.volume, s.profile
        factors = t.factors[s.discount_column]
        terms.append(Term(
            outcome=s.outcome,
            unit_cost=s.unit_cost_ref,  # the reference as written (ID or TABLE/ID), the key --vary uses
            counted=s.counted,
            measured=s.volume_kind == "change",
            volume=float(volume),
            unit_value=float(s.unit_cost.value),
            uprate=float(s.uprate_factor * s.conversion),
            deadweight=float(s.deadweight),
            attribution=float(s.attribution),
            displacement=float(s.displacement),
            optimism_bias=float(s.optimism_bias),
            years=float(sum(profile.values(), Decimal(0))),
            pv_years=float(sum((v * factors[y] for y, v in profile.items() if y < len(factors)), Decimal(0))),
            value_type=s.unit_cost.value_type.value,
        ))
    return LinearModel(terms, float(result.net.cost), float(t.pv_costs), appraised)


def input_keys(model: LinearModel) -> list[str]:
    """Names of the inputs a sweep can vary: OUTCOME (its change), UNIT_COST, OUTCOME.deadweight, ..."""
    keys = [t.outcome for t in model.terms if t.measured]
    keys += sorted({t.unit_cost for t in model.terms})
    keys += [f"{t.outcome}.{a}" for t in model.terms for a in ADJUSTMENTS]
    return keys


@dataclass(frozen=True)
class Results:
    benefits: np.ndarray
    net: np.ndarray
    pv_benefits: np.ndarray
    npv: np.ndarray

    @property
    def bcr(self) -> np.ndarray:
        return self.pv_benefits / self._pv_costs if self._pv_costs else np.full_like(self.npv, np.nan)

    _pv_costs: float = 0.0
    pv_fiscal: np.ndarray | None = None  # PV of the fiscal benefits only: the financial ROI's numerator


def evaluate(model: LinearModel, inputs: Mapping[str, np.ndarray | float], size: int,
             attributable: Iterable[str] = ()) -> Results:
    """Net position (and NPV) for ``size`` points; ``inputs`` maps input keys to arrays or scalars.

    An outcome key holds its change (follow_up - baseline); a unit-cost key its value at its
    price year (scaled by the uprating factor, as the exact engine does); ``OUTCOME.deadweight``
    and the like a share.
    """
    forced = set(attributable)
    benefits = np.zeros(size)
    pv_benefits = np.zeros(size)
    pv_fiscal = np.zeros(size)
    for t in model.terms:
        if not (t.counted or t.outcome in forced):
            continue
        volume = -np.asarray(inputs[t.outcome]) if t.outcome in inputs else t.volume
        unit = np.asarray(inputs.get(t.unit_cost, t.unit_value)) * t.uprate
        adjust = (1 - t.optimism_bias)
        for name in ADJUSTMENTS:
            adjust = adjust * (1 - np.asarray(inputs.get(f"{t.outcome}.{name}", getattr(t, name))))
        base = volume * unit * adjust
        benefits = benefits + base * t.years
        pv_benefits = pv_benefits + base * t.pv_years
        if t.value_type == "fiscal":
            pv_fiscal = pv_fiscal + base * t.pv_years
    return Results(benefits, benefits - model.cost, pv_benefits, pv_benefits - model.pv_costs, model.pv_costs,
                   pv_fiscal)


def apply_point(scenario: Scenario, unit_costs: Mapping[str, UnitCost], point: Mapping[str, Decimal],
                attributable: Iterable[str] = ()) -> tuple[Scenario, dict[str, UnitCost]]:
    """The scenario and unit costs with one point's inputs set, for the exact engine."""
    forced = set(attributable)
    costs = dict(unit_costs)
    outcomes = []
    for o in scenario.outcomes:
        update: dict = {}
        if o.id in point:
            update["follow_up"] = o.baseline + point[o.id]  # type: ignore[operator]
        for name in ADJUSTMENTS:
            if f"{o.id}.{name}" in point:
                update[name] = point[f"{o.id}.{name}"]
        if o.id in forced:
            update["attributable"] = True
        outcomes.append(o.model_copy(update=update) if update else o)
    for key, value in point.items():
        if key in costs:
            costs[key] = costs[key].model_copy(update={"value": value})
    return scenario.model_copy(update={"outcomes": outcomes}), costs


def exact_net(scenario: Scenario, unit_costs: Mapping[str, UnitCost], point: Mapping[str, Decimal],
              reference: ReferenceData | None, attributable: Iterable[str] = ()) -> Appraisal:
    s, costs = apply_point(scenario, unit_costs, point, attributable)
    return appraise(s, costs, reference=reference)


# Distributions ------------------------------------------------------------------

def sample(d: Distribution, size: int, rng: np.random.Generator) -> np.ndarray:
    """Draws from a distribution; a normal with bounds is truncated by redrawing what falls outside."""
    if d.distribution == "uniform":
        low, high = float(d.low), float(d.high)  # type: ignore[arg-type]
        return np.full(size, low) if low == high else rng.uniform(low, high, size)
    if d.distribution == "triangular":
        low, mode, high = float(d.low), float(d.mode), float(d.high)  # type: ignore[arg-type]
        return np.full(size, mode) if low == high else rng.triangular(low, mode, high, size)
    mean, sd = float(d.mean), float(d.sd)  # type: ignore[arg-type]
    low = -math.inf if d.low is None else float(d.low)
    high = math.inf if d.high is None else float(d.high)
    draws = rng.normal(mean, sd, size)
    outside = (draws < low) | (draws > high)
    while outside.any():
        draws[outside] = rng.normal(mean, sd, int(outside.sum()))
        outside = (draws < low) | (draws > high)
    return draws


def quantile(d: Distribution, p: float) -> float:
    """The p-quantile, analytically (truncated normal through the standard normal's CDF)."""
    if d.distribution == "uniform":
        return float(d.low) + p * (float(d.high) - float(d.low))  # type: ignore[arg-type]
    if d.distribution == "triangular":
        a, c, b = float(d.low), float(d.mode), float(d.high)  # type: ignore[arg-type]
        if a == b:
            return c
        if p < (c - a) / (b - a):
            return a + math.sqrt(p * (b - a) * (c - a))
        return b - math.sqrt((1 - p) * (b - a) * (b - c))
    normal = NormalDist(float(d.mean), float(d.sd))  # type: ignore[arg-type]
    lo = 0.0 if d.low is None else normal.cdf(float(d.low))
    hi = 1.0 if d.high is None else normal.cdf(float(d.high))
    return normal.inv_cdf(lo + p * (hi - lo))


def uncertain_inputs(scenario: Scenario) -> dict[str, Distribution]:
    """Input key -> distribution, from the scenario's ``uncertainty`` block."""
    spec = scenario.uncertainty
    if spec is None:
        return {}
    found = dict(spec.unit_costs)
    for outcome, ranges in spec.outcomes.items():
        if ranges.change is not None:
            found[outcome] = ranges.change
        for name in ADJUSTMENTS:
            if getattr(ranges, name) is not None:
                found[f"{outcome}.{name}"] = getattr(ranges, name)
    return found


def base_value(model: LinearModel, key: str) -> float:
    """An input's value in the scenario as written."""
    outcome, _, adjustment = key.partition(".")
    for t in model.terms:
        if adjustment and t.outcome == outcome:
            return getattr(t, adjustment)
        if t.outcome == key:
            return -t.volume
        if t.unit_cost == key:
            return t.unit_value
    raise KeyError(key)


@dataclass(frozen=True)
class TornadoBar:
    key: str
    low_input: float
    high_input: float
    net_at_low: float
    net_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.net_at_high - self.net_at_low)


def tornado(model: LinearModel, ranges: Mapping[str, Distribution], attributable: Iterable[str] = (),
            measure: str = "net") -> list[TornadoBar]:
    """Each input alone at its 5th and 95th percentile, the others as written; widest swing first."""
    bars = []
    for key, d in ranges.items():
        low, high = quantile(d, 0.05), quantile(d, 0.95)
        results = evaluate(model, {key: np.array([low, high])}, 2, attributable)
        values = getattr(results, measure)
        bars.append(TornadoBar(key, low, high, float(values[0]), float(values[1])))
    return sorted(bars, key=lambda b: -b.swing)
