"""Vectorised what-if sweeps and Monte Carlo over the appraisal's structure (numpy).

For a fixed scenario a benefit in year t is
``volume x unit value x uprating x (1 - dw) x (1 - at) x (1 - dp) x (1 - ob) x w_t``,
where the volume is a change, cohort x engagement x success, or a given volume for each
year, and ``w_t`` is the timing profile: (1 - drop-off)^k in year lag + k for k below the
duration, nothing after the horizon. Costs in year t are each line's real spend x (1 + a
change) x (1 + its optimism bias, on forecasts). Present values weight year t by the
discount factor DF_t. The exact engine is run once to fix whatever does not vary; the
varied inputs are float64 arrays: a million draws in well under a second. Tests check these
figures against the exact Decimal engine run once per point, for every kind of input
(agreement to 1e-9 relative).

Input keys (``lac``, ``lac.cohort.engagement``, ``costs.team``, ``appraisal.discount_rate`` ...) are
described in ``cba.model.inputs``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

import numpy as np

from cba.engine.appraisal import Appraisal, appraise
from cba.engine.timeline import BenefitStream
from cba.model.growth import year_start
from cba.model.inputs import (
    ADJUSTMENTS,
    COHORT,
    TIMING,
    WHOLE_YEARS,
    input_bounds,
    is_share,
)
from cba.model.ranges import TruncatedNormal, quantile
from cba.model.record import record
from cba.model.reference import ReferenceData
from cba.model.scenario import AppraisalSettings, Distribution, OptimismBias, Scenario
from cba.model.unit_cost import UnitCost


@record
class Term:
    """One priced outcome, with every input its benefit depends on."""

    outcome: str
    unit_cost: str
    counted: bool
    volume_kind: str  # change, cohort or volumes
    volume: float  # the volume as the engine took it (for volumes by year: 1, the profile holds them)
    unit_value: float  # at its own price year
    uprate: float  # uprating x any stated conversion x the value's share (one of several payers)
    deadweight: float
    attribution: float
    displacement: float
    optimism_bias: float
    years: float  # sum of the timing profile
    pv_years: float  # sum of the profile x discount factors
    value_type: str
    discount_column: str  # standard or health
    cohort: tuple[float, float, float]  # size, engagement, success
    timing: tuple[int, int, float]  # start_year, duration, drop_off
    spread: tuple[float, ...]  # each year's share, for a value that is a total over several years (else empty)
    cashable: float  # the cashable share of a fiscal benefit (from cashable_from on)
    cashable_from: int
    pv_cash_years: float  # the discounted profile from cashable_from on
    by_year: tuple[tuple[str, int, float], ...]  # volumes given by year: (period, year index, volume), else empty
    baseline: float | None = None  # a measured change's baseline: a percentage change is a share of it
    #: real price growth: (rate a year, months from the price year's April to the first period, months a
    #: period), as the exact engine's BenefitStream holds it; None: none. With rates by year, the rate is the
    #: last listed (every later year's) and growth_table holds the rest
    growth: tuple[float, int, int] | None = None
    #: rates by year: (k0, the exact engine's factor k0, k0 + 1, ... whole years from the price year up to the
    #: last listed year's); past the table each year grows at the last rate. None: one rate a year
    growth_table: tuple[int, tuple[float, ...]] | None = None

    def grown(self, year: np.ndarray | int) -> np.ndarray | float:
        """The real price growth factor in each year (1 without growth)."""
        if self.growth is None:
            return 1.0
        rate, origin, months = self.growth
        k = (origin + np.asarray(year) * months) // 12
        if self.growth_table is None:
            return (1.0 + rate) ** k
        k0, table = self.growth_table
        past = k - k0 - (len(table) - 1)  # years past the table, each at the last rate
        return np.asarray(table)[np.clip(k - k0, 0, len(table) - 1)] * (1.0 + rate) ** np.maximum(past, 0)

    @property
    def measured(self) -> bool:
        """Given by baseline and follow_up, so its change can vary."""
        return self.volume_kind == "change"


@record
class CostTerm:
    """One quantified cost line: real spend by year, and what its optimism bias is and comes from."""

    key: str  # costs.ID or costs.N
    real: tuple[float, ...]  # at the price base (as written when not in real terms), before optimism bias
    total: float  # the line's total as written on the net position's measure (budget or actual)
    forecast: bool
    optimism_bias: float
    bias_from_appraisal: bool  # the appraisal-wide setting, so appraisal.cost_optimism_bias moves it
    public: bool = True  # borne by the public sector (not by a party outside it): in the fiscal case


@record
class LinearModel:
    terms: list[Term]
    cost: float  # the net position's cost (funding, actual or budget)
    pv_costs: float
    has_appraisal: bool
    cost_terms: tuple[CostTerm, ...]
    cost_from_lines: bool  # the net position's cost is the lines' total (actual or budget basis)
    discounted: bool
    years_label: tuple[str, ...]  # the timeline's years
    horizon: int | None  # in periods: a given horizon cuts benefits; without one the timeline grows with them
    rate_bands: tuple[tuple[int, int, float, float], ...]  # the schedule: from, to, standard, health
    discount_rate: float | None  # a flat rate in place of the schedule (appraisal.discount_rate)
    per_year: int  # periods in a year: discounting is by elapsed time
    health_rate: float | None  # a flat rate for health values (appraisal.health_discount_rate)
    #: PV paid outside the public sector (transfers to investors) as written: in the fiscal case, held fixed
    pv_paid_out: float
    #: the net position's cost is the appraisal's undiscounted: real terms, forecasts with their optimism bias
    cost_as_appraised: bool
    pv_public_costs: float  # the fiscal case's cost: PV of what the public sector bears


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
        terms.append(
            Term(
                outcome=s.outcome,
                unit_cost=s.unit_cost_ref,  # the reference as written (ID or TABLE/ID), the key --vary uses
                counted=s.counted,
                volume_kind=s.volume_kind,
                volume=float(volume),
                unit_value=float(s.unit_cost.value),
                uprate=float(s.uprate_factor * s.conversion * s.share),
                deadweight=float(s.deadweight),
                attribution=float(s.attribution),
                displacement=float(s.displacement),
                optimism_bias=float(s.optimism_bias),
                years=float(sum((v * s.growth_at(y) for y, v in profile.items()), Decimal(0))),
                pv_years=float(
                    sum((v * factors[y] * s.growth_at(y) for y, v in profile.items()), Decimal(0))
                ),  # a profile ends within the timeline
                value_type=s.unit_cost.value_type.value,
                discount_column=s.discount_column,
                cohort=tuple(float(x) for x in s.cohort),  # type: ignore[arg-type]
                timing=(s.start_year, s.duration, float(s.drop_off)),
                spread=tuple(float(x) for x in s.spread),
                cashable=float(s.cashable_share if s.cashable_share is not None else int(s.unit_cost.cashable is True)),
                cashable_from=s.cashable_from,
                pv_cash_years=float(
                    sum(
                        (v * factors[y] * s.growth_at(y) for y, v in profile.items() if s.cashable_from <= y),
                        Decimal(0),
                    )
                ),
                by_year=tuple((t.years[y], y, float(v)) for y, v in sorted(s.volumes.items()))
                if s.volume_kind == "volumes"
                else (),
                baseline=None if s.baseline is None else float(s.baseline),
                growth=None if s.growth is None else (float(_last_rate(s)), s.growth_origin, s.period_months),
                growth_table=_growth_table(s),
            )
        )
    costs = tuple(
        CostTerm(
            f.key,
            tuple(float(r) for r in f.real),
            float(sum(f.amounts, Decimal(0))),
            f.forecast,
            float(f.optimism_bias),
            f.optimism_bias_from == "appraisal",
            f.agency not in t.outside,
        )
        for f in t.cost_flows
    )
    return LinearModel(
        terms,
        float(result.net.cost),
        float(t.pv_costs),
        appraised,
        costs,
        result.net.basis.value != "funding",
        t.discounted,
        tuple(t.years),
        None if t.horizon_years is None else t.horizon_years * t.per_year,
        tuple((a, b, float(s), float(h)) for a, b, s, h in t.discount_bands),
        None if t.discount_rate is None else float(t.discount_rate),
        t.per_year,
        None if t.health_discount_rate is None else float(t.health_discount_rate),
        float(t.pv_paid_out),
        appraised and result.net.basis.value != "funding" and any(f.quantified for f in result.lines),
        float(t.pv_public_costs),
    )


def input_keys(model: LinearModel) -> list[str]:
    """Names of every input a sweep can vary, in the order a reader meets them."""
    keys = [t.outcome for t in model.terms if t.measured]
    keys += sorted({t.unit_cost for t in model.terms})
    for t in model.terms:
        keys += [f"{t.outcome}.{a}" for a in (*ADJUSTMENTS, "optimism_bias")]
        if t.volume_kind == "cohort":
            keys += [f"{t.outcome}.cohort.{c}" for c in COHORT]
        if t.volume_kind == "volumes":
            keys += [f"{t.outcome}.volumes.{period}" for period, _, _ in t.by_year]
        elif t.spread:  # a spread value: only the lag can move; the shares are the profile
            keys.append(f"{t.outcome}.timing.start_year")
        else:
            keys += [f"{t.outcome}.timing.{c}" for c in TIMING]
    for c in model.cost_terms:
        keys += [c.key] + ([f"{c.key}.optimism_bias"] if c.forecast else [])
    if model.has_appraisal and model.discounted:
        keys.append("appraisal.discount_rate")
        if any(t.discount_column == "health" for t in model.terms):
            keys.append("appraisal.health_discount_rate")
    if any(c.forecast and c.bias_from_appraisal for c in model.cost_terms):
        keys.append("appraisal.cost_optimism_bias")
    return list(dict.fromkeys(keys))  # an outcome with several values has a term for each, and one set of inputs


def input_kind(key: str, model: LinearModel) -> str:
    """What a varied input is, for writing its values: money (a unit cost), a share, or a count."""
    if key in {t.unit_cost for t in model.terms}:
        return "money"
    if is_share(key):
        return "share"
    return "count"


@record
class Results:
    benefits: np.ndarray
    net: np.ndarray
    pv_benefits: np.ndarray
    npv: np.ndarray
    pv_costs: np.ndarray | float
    pv_fiscal: np.ndarray  # PV of the fiscal benefits only: the financial ROI's numerator
    pv_cashable: np.ndarray  # PV of the cashable part of them
    pv_public_costs: np.ndarray | float  # PV of the costs the public sector bears: the fiscal case's cost

    @property
    def bcr(self) -> np.ndarray:
        costs = np.broadcast_to(np.asarray(self.pv_costs, dtype=float), self.npv.shape)
        # no cost, no ratio (NaN, shown as unknown): divided only where there is a cost
        return np.divide(self.pv_benefits, costs, out=np.full(self.npv.shape, np.nan), where=costs != 0)


def _band(model: LinearModel, t: int) -> tuple[float, float]:
    """The schedule's (standard, health) rates for period t: those of the year it ends in (period t of p a
    year ends in year ceil(t / p))."""
    year = -(-t // model.per_year)
    for year_from, year_to, standard, health in model.rate_bands:
        if year_from <= year <= year_to:
            return standard, health
    raise ValueError(f"no discount rate for year {year}")  # as the exact engine: it ran on these years first


def _rate(model: LinearModel, t: int, column: str) -> float:
    """The rate of period t as written, as the exact engine takes it (timeline.discount_rates): a flat
    standard rate keeps the schedule's wealth-effect differential off the health rate, never below 0."""
    if column == "health" and model.health_rate is not None:
        return model.health_rate
    if column == "standard" and model.discount_rate is not None:
        return model.discount_rate
    standard, health = _band(model, t)
    if model.discount_rate is not None:
        return max(model.discount_rate - (standard - health), 0.0)
    return standard if column == "standard" else health


def _powers(base: np.ndarray, count: int) -> np.ndarray:
    """base^0 .. base^(count-1) for each point, one row per point, by repeated products (a power is slower,
    and 0^0 must be 1 as the exact engine's repeated product gives it)."""
    out = np.empty((count, base.size))  # built row by row (contiguous), returned one row per point
    out[0] = 1.0
    for k in range(1, count):
        np.multiply(out[k - 1], base, out=out[k])
    return out.T


@record(eq=False)
class _Rates:
    """Discount rates varied point by point: a flat standard rate, a flat health rate, or both."""

    standard: np.ndarray | None
    health: np.ndarray | None


def _varied_rates(model: LinearModel, inputs: Mapping[str, np.ndarray | float], size: int) -> _Rates | None:
    if not model.discounted:
        return None
    standard, health = (
        np.broadcast_to(np.asarray(inputs[key], dtype=float), (size,)) if key in inputs else None
        for key in ("appraisal.discount_rate", "appraisal.health_discount_rate")
    )
    return None if standard is None and health is None else _Rates(standard, health)


def _factors(model: LinearModel, column: str, years: int, rate: _Rates | None) -> np.ndarray:
    """Discount factors for t = 0 .. years-1: a row (as written) or, when the rate varies, one row per point."""
    # one evaluate asks for the same factors once per term: keep the last few (arrays of a million rows)
    key = (id(model), column, years, None if rate is None else id(rate))
    if key not in _FACTORS:
        if len(_FACTORS) > 8 or any(held is not rate for _, held, _ in _FACTORS.values()):
            _FACTORS.clear()  # a new set of draws: the old rows are no longer wanted
        # the model and the rate are held with their factors, so that their ids cannot be reused while cached
        _FACTORS[key] = (model, rate, _discount(model, column, years, rate))
    return _FACTORS[key][2]


_FACTORS: dict[tuple, tuple[LinearModel, _Rates | None, np.ndarray]] = {}


def _discount(model: LinearModel, column: str, years: int, rate: _Rates | None) -> np.ndarray:
    if not model.discounted:
        return np.ones(years)
    step = 1.0 / model.per_year  # by elapsed time: a period of 1/p of a year discounts by (1 + r)^(1/p)
    flat = None if rate is None else rate.standard if column == "standard" else rate.health
    if flat is not None:  # a flat rate for every year, as appraisal.discount_rate gives the exact engine
        return _powers((1 / (1 + flat)) ** step, years)
    if rate is not None and rate.standard is not None and model.health_rate is None:
        # the health column under a varied standard rate keeps the schedule's differential, never below 0
        gaps = np.array([standard - health for standard, health in (_band(model, t) for t in range(years))])
        varied = np.maximum(rate.standard[:, None] - gaps[None, :], 0.0)
        varied[:, 0] = 0.0  # DF_0 = 1
        return 1 / np.cumprod((1 + varied) ** step, axis=1)
    rates = np.array([_rate(model, t, column) for t in range(years)])
    rates[0] = 0.0  # DF_0 = 1
    return 1 / np.cumprod((1 + rates) ** step)


def _timed(
    term: Term, inputs: Mapping[str, np.ndarray | float], model: LinearModel, size: int, rate: _Rates | None
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """(sum of the timing profile, its sum weighted by discount factors, that sum from the cashable year on)
    for each point."""
    varied = {c: f"{term.outcome}.timing.{c}" in inputs for c in TIMING}
    if not any(varied.values()) and rate is None:
        return term.years, term.pv_years, term.pv_cash_years
    start0, duration0, drop0 = term.timing
    start = np.rint(np.asarray(inputs.get(f"{term.outcome}.timing.start_year", start0), dtype=float)).astype(np.int64)
    duration = np.rint(np.asarray(inputs.get(f"{term.outcome}.timing.duration", duration0), dtype=float)).astype(
        np.int64
    )
    drop = np.asarray(inputs.get(f"{term.outcome}.timing.drop_off", drop0), dtype=float)
    start, duration, drop = (np.broadcast_to(a, (size,)) for a in (start, duration, drop))
    if term.spread:  # the shares as given; only the lag moves
        k = np.arange(len(term.spread))
        year = start[:, None] + k[None, :]
        weight = np.tile(np.asarray(term.spread, dtype=float), (size, 1))
    else:
        k = np.arange(int(duration.max()))
        year = start[:, None] + k[None, :]
        weight = _powers(np.ascontiguousarray(1 - drop), k.size)
        weight[k[None, :] >= duration[:, None]] = 0.0
    if model.horizon is not None:
        weight[year >= model.horizon] = 0.0
    if term.growth is not None:  # each year at its real price
        weight = weight * term.grown(year)
    span = int(year.max()) + 1
    factors = _factors(model, term.discount_column, span, rate)
    if factors.ndim == 1:
        discounted = weight * factors[year]
    else:
        discounted = weight * np.take_along_axis(factors, year, axis=1)
    return weight.sum(axis=1), discounted.sum(axis=1), (discounted * (year >= term.cashable_from)).sum(axis=1)


def _last_rate(s: BenefitStream) -> Decimal:
    """One rate a year, or a schedule's last (every year after its last listed year)."""
    assert s.growth is not None
    return s.growth.rate if s.growth.rate is not None else s.growth.by_year[-1][1]


def _growth_table(s: BenefitStream) -> tuple[int, tuple[float, ...]] | None:
    """For rates by year: the exact engine's factors from year 0's whole years to the last listed year's."""
    if s.growth is None or not s.growth.by_year:
        return None
    k0 = s.growth_years(0)
    last = year_start(s.growth.by_year[-1][0]) - s.growth_price_year
    return k0, tuple(float(s.growth.factor(s.growth_price_year, k)) for k in range(k0, max(k0, last) + 1))


def _volume(term: Term, inputs: Mapping[str, np.ndarray | float]) -> np.ndarray | float:
    if term.volume_kind == "change" and term.outcome in inputs:
        return -np.asarray(inputs[term.outcome])
    if term.volume_kind == "cohort" and any(f"{term.outcome}.cohort.{c}" in inputs for c in COHORT):
        size, engagement, success = (
            np.asarray(inputs.get(f"{term.outcome}.cohort.{c}", base)) for c, base in zip(COHORT, term.cohort)
        )
        return size * engagement * success
    return term.volume


def _costs(
    model: LinearModel, inputs: Mapping[str, np.ndarray | float], size: int, rate: _Rates | None
) -> tuple[np.ndarray | float, np.ndarray | float, np.ndarray | float]:
    """(the net position's cost, PV of costs after optimism bias, PV of the public sector's part) for each point."""
    varied = [c for c in model.cost_terms if c.key in inputs or f"{c.key}.optimism_bias" in inputs]
    shared = "appraisal.cost_optimism_bias" in inputs
    if not varied and not shared and rate is None:
        return model.cost, model.pv_costs, model.pv_public_costs
    cost: np.ndarray | float = model.cost
    pv: np.ndarray | float = 0.0
    public: np.ndarray | float = 0.0
    years = len(model.years_label)
    factors = _factors(model, "standard", years, rate)
    for c in model.cost_terms:
        change = np.asarray(inputs.get(c.key, 0.0), dtype=float)
        bias: np.ndarray | float = c.optimism_bias
        if shared and c.bias_from_appraisal:
            bias = inputs["appraisal.cost_optimism_bias"]
        bias = np.asarray(inputs.get(f"{c.key}.optimism_bias", bias), dtype=float)
        uplift = bias if c.forecast else 0.0
        discounted = factors @ np.array(c.real) if factors.ndim == 2 else float(np.dot(factors, c.real))
        pv = pv + discounted * (1 + change) * (1 + uplift)
        if c.public:
            public = public + discounted * (1 + change) * (1 + uplift)
        if model.cost_as_appraised:  # the undiscounted cost moves as the appraisal's does, uplift and all
            written = c.optimism_bias if c.forecast else 0.0
            cost = cost + sum(c.real) * ((1 + change) * (1 + uplift) - (1 + written))
        elif model.cost_from_lines and c.key in inputs:
            cost = cost + c.total * change
    return cost, pv, public


def evaluate(
    model: LinearModel, inputs: Mapping[str, np.ndarray | float], size: int, attributable: Iterable[str] = ()
) -> Results:
    """Net position (and NPV) for ``size`` points; ``inputs`` maps input keys to arrays or scalars.

    An outcome key holds its change (follow_up - baseline); a unit-cost key its value at its
    price year (scaled by the uprating factor, as the exact engine does); a share a share;
    a lag or a duration whole years (a drawn value is rounded to the nearest year).
    """
    forced = set(attributable)
    rate = _varied_rates(model, inputs, size)
    benefits = np.zeros(size)
    pv_benefits = np.zeros(size)
    pv_fiscal = np.zeros(size)
    pv_cashable = np.zeros(size)
    for t in model.terms:
        if not (t.counted or t.outcome in forced):
            continue
        base: np.ndarray | float
        unit = np.asarray(inputs.get(t.unit_cost, t.unit_value)) * t.uprate
        adjust = 1 - np.asarray(inputs.get(f"{t.outcome}.optimism_bias", t.optimism_bias))
        for name in ADJUSTMENTS:
            adjust = adjust * (1 - np.asarray(inputs.get(f"{t.outcome}.{name}", getattr(t, name))))
        years: np.ndarray | float
        if t.volume_kind == "volumes":
            volumes = [np.asarray(inputs.get(f"{t.outcome}.volumes.{period}", v)) for period, _, v in t.by_year]
            factors = _factors(model, t.discount_column, len(model.years_label), rate)
            volumes = [v * t.grown(y) for v, (_, y, _) in zip(volumes, t.by_year)]  # at each year's real price
            years = sum(volumes, np.zeros(size))
            discounted = [
                v * (factors[:, y] if factors.ndim == 2 else factors[y]) for v, (_, y, _) in zip(volumes, t.by_year)
            ]
            pv_years = sum(discounted, np.zeros(size))
            pv_cash_years = sum(
                (d for d, (_, y, _) in zip(discounted, t.by_year) if y >= t.cashable_from), np.zeros(size)
            )
            base = unit * adjust
        else:
            years, pv_years, pv_cash_years = _timed(t, inputs, model, size, rate)
            base = _volume(t, inputs) * unit * adjust
        benefits = benefits + base * years
        pv_benefits = pv_benefits + base * pv_years
        if t.value_type == "fiscal":
            pv_fiscal = pv_fiscal + base * pv_years
            pv_cashable = pv_cashable + base * pv_cash_years * t.cashable
    cost, pv_costs, pv_public = _costs(model, inputs, size, rate)
    return Results(
        benefits, benefits - cost, pv_benefits, pv_benefits - pv_costs, pv_costs, pv_fiscal, pv_cashable, pv_public
    )


def apply_point(
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    point: Mapping[str, Decimal],
    attributable: Iterable[str] = (),
) -> tuple[Scenario, dict[str, UnitCost]]:
    """The scenario and unit costs with one point's inputs set, for the exact engine."""
    from cba.engine.appraisal import line_key

    forced = set(attributable)
    costs = dict(unit_costs)
    outcomes = []
    for o in scenario.outcomes:
        update: dict = {}
        mine = {k.removeprefix(f"{o.id}."): v for k, v in point.items() if k.startswith(f"{o.id}.")}
        if o.id in point:
            update["follow_up"] = o.baseline + point[o.id]  # type: ignore[operator]
        for name in ADJUSTMENTS:
            if name in mine:
                update[name] = mine[name]
        if "optimism_bias" in mine:
            update["optimism_bias"] = OptimismBias(percent=mine["optimism_bias"] * 100)
        if any(f"cohort.{c}" in mine for c in COHORT):
            update["cohort"] = o.cohort.model_copy(  # type: ignore[union-attr]  # ranges on a cohort need one
                update={c: mine[f"cohort.{c}"] for c in COHORT if f"cohort.{c}" in mine}
            )
        if any(f"timing.{c}" in mine for c in TIMING):
            update["timing"] = o.timing.model_copy(
                update={
                    c: (int(mine[f"timing.{c}"].to_integral_value()) if c in WHOLE_YEARS else mine[f"timing.{c}"])
                    for c in TIMING
                    if f"timing.{c}" in mine
                }
            )
        given = {k.removeprefix("volumes."): v for k, v in mine.items() if k.startswith("volumes.")}
        if given:
            update["volumes"] = {**(o.volumes or {}), **given}
        if o.id in forced:
            update["attributable"] = True
        outcomes.append(o.model_copy(update=update) if update else o)
    lines = []
    for i, line in enumerate(scenario.cost_lines):
        key = line_key(line, i)
        update = {}
        if key in point:
            scale = 1 + point[key]
            update = {
                "budget": {p: v * scale for p, v in line.budget.items()},
                "actual": {p: v * scale for p, v in line.actual.items()},
            }
        if f"{key}.optimism_bias" in point:
            update["optimism_bias"] = OptimismBias(percent=point[f"{key}.optimism_bias"] * 100)
        lines.append(line.model_copy(update=update) if update else line)
    changes: dict = {"outcomes": outcomes, "cost_lines": lines}
    new: dict = {}
    for name in ("discount_rate", "health_discount_rate"):
        if f"appraisal.{name}" in point:
            new[name] = point[f"appraisal.{name}"]
    if "appraisal.cost_optimism_bias" in point:
        new["cost_optimism_bias"] = OptimismBias(percent=point["appraisal.cost_optimism_bias"] * 100)
    if new:  # only an appraisal has these inputs (input_keys)
        changes["appraisal"] = (scenario.appraisal or AppraisalSettings()).model_copy(update=new)
    for key, value in point.items():
        if key in costs:
            costs[key] = costs[key].model_copy(update={"value": value})
    return scenario.model_copy(update=changes), costs


def exact_net(
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    point: Mapping[str, Decimal],
    reference: ReferenceData | None,
    attributable: Iterable[str] = (),
) -> Appraisal:
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
    truncated = TruncatedNormal(mean, sd, low, high)
    draws = rng.normal(mean, sd, size)
    outside = (draws < low) | (draws > high)
    # Redrawing what falls outside is exact and fast while most draws land inside (the seeds' results
    # stay as they were); far in a tail it would loop for ever, so the inverse CDF takes over.
    rounds = 0
    while outside.any() and truncated.mass >= 0.5 and rounds < MOST_REDRAWS:
        draws[outside] = rng.normal(mean, sd, int(outside.sum()))
        outside = (draws < low) | (draws > high)
        rounds += 1
    if outside.any():
        shares = rng.uniform(0.0, 1.0, int(outside.sum()))
        draws[outside] = np.fromiter((truncated.quantile(p) for p in shares), float, len(shares))
    return draws


#: Rounds of redrawing before the inverse CDF draws what is left (with half the mass inside, 2^-100 of
#: the draws are still outside after 100 rounds).
MOST_REDRAWS = 100


def base_value(model: LinearModel, key: str) -> float:
    """An input's value in the scenario as written."""
    for t in model.terms:
        if key == t.outcome:
            return -t.volume
        if key == t.unit_cost:
            return t.unit_value
        if key.startswith(f"{t.outcome}."):
            rest = key.removeprefix(f"{t.outcome}.")
            if rest in (*ADJUSTMENTS, "optimism_bias"):
                return getattr(t, rest)
            group, _, name = rest.partition(".")
            if group == "cohort":
                return t.cohort[COHORT.index(name)]
            if group == "timing":
                return float(t.timing[TIMING.index(name)])
            if group == "volumes":
                return next(v for period, _, v in t.by_year if period == name)
    for c in model.cost_terms:
        if key == c.key:
            return 0.0
        if key == f"{c.key}.optimism_bias":
            return c.optimism_bias
    if key == "appraisal.discount_rate":
        return _rate(model, 1, "standard")
    if key == "appraisal.health_discount_rate":
        return _rate(model, 1, "health")
    if key == "appraisal.cost_optimism_bias":
        return next((c.optimism_bias for c in model.cost_terms if c.bias_from_appraisal), 0.0)
    raise KeyError(key)


@record
class TornadoBar:
    key: str
    low_input: float
    high_input: float
    net_at_low: float
    net_at_high: float

    @property
    def swing(self) -> float:
        return abs(self.net_at_high - self.net_at_low)


def tornado(
    model: LinearModel, ranges: Mapping[str, Distribution], attributable: Iterable[str] = (), measure: str = "net"
) -> list[TornadoBar]:
    """Each input alone at its 5th and 95th percentile, the others as written; widest swing first. A count
    (children, episodes) is taken to one decimal place, as a reader is shown it, and evaluated there."""
    bars = []
    for key, d in ranges.items():
        low, high = quantile(d, 0.05), quantile(d, 0.95)
        if input_bounds(key)[2]:  # a lag or a duration: whole years, as evaluate takes them
            low, high = float(round(low)), float(round(high))
        elif input_kind(key, model) == "count":
            low, high = round(low, 1), round(high, 1)
        results = evaluate(model, {key: np.array([low, high])}, 2, attributable)
        values = getattr(results, measure)
        bars.append(TornadoBar(key, low, high, float(values[0]), float(values[1])))
    return sorted(bars, key=lambda b: -b.swing)


#: The inputs a measure is not a straight line in: when a benefit falls and how it fades, and the rate it is
#: discounted at. Every other input (a change, a volume, a unit cost, a share, a cost line) moves the net
#: position and the NPV in proportion, so two points give its zero exactly, however far it lies.
CURVED = ("start_year", "duration", "drop_off", "discount_rate", "health_discount_rate")


def switching_value(
    model: LinearModel,
    key: str,
    attributable: Iterable[str] = (),
    measure: str = "net",
) -> float | None:
    """The value of one input, the others as written, at which ``measure`` is zero; None if it never is
    for any value the input may take. Goal seek (``cba solve``) is the same search aimed at any value."""
    return solve_for(model, key, lambda results: getattr(results, measure), attributable)


def solve_for(
    model: LinearModel,
    key: str,
    residual: Callable[[Results], np.ndarray],
    attributable: Iterable[str] = (),
) -> float | None:
    """The value of one input, the others as written, at which ``residual`` of the results is zero.

    For an input the residual is a straight line in, the line's zero. For a lag, a duration, a drop-off or a
    discount rate (each has a finite domain), a grid over the whole domain finds where the residual meets or
    crosses zero, and the one nearest the value as written is taken: a crossing's zero found by bisection,
    or for whole years, the first whole year past it going out from the value as written.
    """
    low, high, whole = input_bounds(key)
    base = base_value(model, key)

    def at(points: np.ndarray) -> np.ndarray:
        return residual(evaluate(model, {key: points}, points.size, attributable))

    if key.rpartition(".")[2] not in CURVED:
        # The line through two points: a finite bound is one of them, so a zero at a bound (no cost and nothing
        # achieved; a cost line cut by 100%) is found exactly there, not a rounding error to one side of it.
        p0 = low if math.isfinite(low) else base
        p1 = high if math.isfinite(high) else p0 + max(abs(base), abs(p0), 1.0)  # a step the value's size
        f0, f1 = (float(v) for v in at(np.array([p0, p1])))
        if f0 == f1:
            return None  # the measure does not depend on it (nothing attributable uses it)
        zero = p0 - f0 * (p1 - p0) / (f1 - f0)  # exactly p0 when the measure is zero there
        return zero if low <= zero <= high else None
    grid = np.arange(low, high + 1) if whole else np.unique(np.concatenate([np.linspace(low, high, 4001), [base]]))
    values = at(grid.astype(float))
    found: list[float] = [float(x) for x in grid[values == 0]]  # zero on the grid itself (base is on it)
    for i in np.flatnonzero(values[:-1] * values[1:] < 0):  # strictly across zero between two points
        a, b = float(grid[i]), float(grid[i + 1])
        if whole:  # the first whole value past the crossing, going out from the value as written
            found.append(b if a >= base else a)
        else:
            found.append(_bisect(at, a, b, float(values[i])))
    return min(found, key=lambda x: abs(x - base)) if found else None


def _bisect(at: Callable[[np.ndarray], np.ndarray], a: float, b: float, fa: float) -> float:
    """The zero of ``at`` between a and b, where it crosses zero strictly (``fa`` is its value at a), to within
    1e-12: the inputs searched this way (a drop-off, a discount rate) lie within 0 and 1, and a grid step of
    1/4000 halves to that in 32 steps."""
    for _ in range(200):
        mid = (a + b) / 2
        if b - a <= 1e-12:
            return mid
        fm = float(at(np.array([mid]))[0])
        if (fm > 0) == (fa > 0):  # a zero exactly at mid is kept as the bracket's end and converged on
            a, fa = mid, fm
        else:
            b = mid
    raise AssertionError(f"no zero found between {a} and {b}")  # the bracket was not one: a defect, not an input
