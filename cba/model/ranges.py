"""A scenario's ranges (its ``uncertainty:`` block) as inputs: each range's key, where it is written, and its
quantiles. Light (no numpy): the rules use it to check a range against the value as written, and the
sweeps to draw from it.
"""

from __future__ import annotations

import math
from typing import Any

from cba.model.inputs import ADJUSTMENTS, COHORT, TIMING
from cba.model.scenario import Distribution, Scenario


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
    return TruncatedNormal.of(d).quantile(p)


def _cdf(z: float) -> float:
    """The standard normal's CDF through erfc: precise far into the lower tail (NormalDist.cdf computes
    1 + erf(z), which loses every digit there: at -8 sd it is 4% out, enough to move a percentile)."""
    return 0.5 * math.erfc(-z / math.sqrt(2))


class TruncatedNormal:
    """A normal cut to [low, high], by its inverse CDF: exact however far into a tail the interval lies.

    Above the mean the interval is mirrored below it, where the CDF keeps its precision: at 8 to 9 sd
    above, the CDF is 1 - 6e-16 and 1 - 1e-19 (both 1.0 as floats), mirrored 6e-16 and 1e-19. Only an
    interval whose mass is below the smallest float (about 38 sd out) cannot be drawn from: ``mass`` is 0.
    """

    def __init__(self, mean: float, sd: float, low: float, high: float):
        from statistics import NormalDist  # here: only a normal range needs it, and start-up stays light

        self.mean, self.sd, self.standard = mean, sd, NormalDist()
        z_low, z_high = (low - mean) / sd, (high - mean) / sd
        self.mirrored = z_low > -z_high  # more of the interval above the mean than below: mirror it
        if self.mirrored:
            z_low, z_high = -z_high, -z_low
        self.z_low, self.z_high = z_low, z_high
        self.p_low, self.p_high = _cdf(z_low), _cdf(z_high)
        self.mass = self.p_high - self.p_low

    @classmethod
    def of(cls, d: Distribution) -> TruncatedNormal:
        low = -math.inf if d.low is None else float(d.low)
        high = math.inf if d.high is None else float(d.high)
        return cls(float(d.mean), float(d.sd), low, high)  # type: ignore[arg-type]

    def quantile(self, p: float) -> float:
        """The value with a share p of the truncated distribution below it."""
        q = self.p_low + (1 - p if self.mirrored else p) * self.mass
        q = min(max(q, math.ulp(0.0), self.p_low), self.p_high, 1 - 2**-53)  # inv_cdf takes 0 < q < 1 only
        z = min(max(self.standard.inv_cdf(q), self.z_low), self.z_high)
        return self.mean + self.sd * (-z if self.mirrored else z)


def ranged_inputs(scenario: Scenario) -> list[tuple[str, tuple[Any, ...], Distribution]]:
    """(input key, where the range is written in the scenario, its distribution) for every range."""
    spec = scenario.uncertainty
    if spec is None:
        return []
    found: list[tuple[str, tuple[Any, ...], Distribution]] = [
        (cost_id, ("uncertainty", "unit_costs", cost_id), d) for cost_id, d in spec.unit_costs.items()
    ]
    for outcome, ranges in spec.outcomes.items():
        at: tuple[Any, ...] = ("uncertainty", "outcomes", outcome)
        if ranges.change is not None:
            found.append((outcome, (*at, "change"), ranges.change))
        for name in (*ADJUSTMENTS, "optimism_bias"):
            if getattr(ranges, name) is not None:
                found.append((f"{outcome}.{name}", (*at, name), getattr(ranges, name)))
        for group, names in (("cohort", COHORT), ("timing", TIMING)):
            part = getattr(ranges, group)
            for name in names:
                if part is not None and getattr(part, name) is not None:
                    found.append((f"{outcome}.{group}.{name}", (*at, group, name), getattr(part, name)))
        for period, d in ranges.volumes.items():
            found.append((f"{outcome}.volumes.{period}", (*at, "volumes", period), d))
    for line, line_ranges in spec.cost_lines.items():
        at = ("uncertainty", "cost_lines", line)
        if line_ranges.change is not None:
            found.append((f"costs.{line}", (*at, "change"), line_ranges.change))
        if line_ranges.optimism_bias is not None:
            found.append((f"costs.{line}.optimism_bias", (*at, "optimism_bias"), line_ranges.optimism_bias))
    if spec.appraisal is not None:
        for name in ("discount_rate", "health_discount_rate", "cost_optimism_bias"):
            if getattr(spec.appraisal, name) is not None:
                found.append((f"appraisal.{name}", ("uncertainty", "appraisal", name), getattr(spec.appraisal, name)))
    return found


#: The draws and seed of a simulation when no option gives them (``cba simulate``, and the headline of a
#: scenario with ranges on every face), so that the two agree.
DEFAULT_DRAWS, DEFAULT_SEED = 10_000, 20200301


def uncertain_inputs(scenario: Scenario) -> dict[str, Distribution]:
    """Input key -> distribution, from the scenario's ``uncertainty`` block."""
    return {key: d for key, _, d in ranged_inputs(scenario)}


def pearson_of_scores(rank: float) -> float:
    """The correlation of normal scores that gives a rank correlation ``rank`` (Pearson's relation for a
    Gaussian copula, rank = 6/pi asin(r/2)): what Iman and Conover's method is given."""
    return 2 * math.sin(math.pi * rank / 6)


def correlated_pairs(scenario: Scenario) -> list[tuple[str, str, float]]:
    """(input key, input key, rank correlation) for each correlation the scenario's ``uncertainty`` gives."""
    spec = scenario.uncertainty
    return [] if spec is None else [(c.between[0], c.between[1], float(c.rank)) for c in spec.correlations]
