"""Rank correlations between ranged inputs, by Iman and Conover's method (1982).

Each input is drawn from its own range as before; then the draws of the correlated inputs are reordered so
that their ranks follow normal scores with the correlation asked for. Each input keeps exactly the draws
(so the distribution) it had, and only their pairing changes. The normal scores are given the correlation
2 sin(pi r / 6), which gives a rank correlation r (a Gaussian copula's relation between Pearson's and
Spearman's); tests/test_correlation.py checks it against that analytic case.

Iman, R. L. and Conover, W. J. (1982), "A distribution-free approach to inducing rank correlation among
input variables", Communications in Statistics - Simulation and Computation 11(3), 311-334.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from cba.model.ranges import pearson_of_scores

# Acklam's rational approximation to the standard normal's inverse CDF (relative error below 1.2e-9): the
# scores only set an order, so this is ample, and numpy has no ndtri of its own.
_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)
_LOW = 0.02425
#: Fewer draws than this are left as drawn: ten ranks carry a correlation only roughly, fewer hardly at all.
FEWEST_DRAWS = 10
#: Shuffles tried before a handful of draws whose shuffles keep falling in step is left as drawn.
RESHUFFLES = 20


def normal_quantile(p: np.ndarray) -> np.ndarray:
    """The standard normal's p-quantile, for 0 < p < 1."""
    out = np.empty_like(p)
    low, high = p < _LOW, p > 1 - _LOW
    mid = ~(low | high)
    q = p[mid] - 0.5
    r = q * q
    a, b = _A, _B
    out[mid] = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (
        ((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1
    )
    c, d = _C, _D
    for mask, sign, tail in ((low, 1.0, p[low]), (high, -1.0, 1 - p[high])):
        t = np.sqrt(-2 * np.log(tail))
        out[mask] = (
            sign
            * (((((c[0] * t + c[1]) * t + c[2]) * t + c[3]) * t + c[4]) * t + c[5])
            / ((((d[0] * t + d[1]) * t + d[2]) * t + d[3]) * t + 1)
        )
    return out


def correlate(
    inputs: dict[str, np.ndarray], pairs: Sequence[tuple[str, str, float]], rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """``inputs`` with the draws of every input named in ``pairs`` (key, key, rank correlation) reordered so
    that their rank correlations are (close to) those asked for; the others as they were."""
    keys = [k for k in dict.fromkeys(k for a, b, _ in pairs for k in (a, b)) if k in inputs]
    if len(keys) < 2:
        return inputs
    size = len(inputs[keys[0]])
    if size < FEWEST_DRAWS:  # too few draws for ranks to carry a correlation: left as drawn
        return inputs
    target = np.eye(len(keys))
    for a, b, rank in pairs:
        i, j = keys.index(a), keys.index(b)
        target[i, j] = target[j, i] = pearson_of_scores(rank)
    scores = normal_quantile(np.arange(1, size + 1) / (size + 1))
    wanted = np.linalg.cholesky(target)
    for _ in range(RESHUFFLES):
        shuffled = np.column_stack([rng.permutation(scores) for _ in keys])
        try:
            # Remove the chance correlation the shuffles have, then give them the target's: T = S Q^-T P^T, with
            # Q Q^T the shuffles' correlation and P P^T the target (both Cholesky factors).
            drawn = np.linalg.cholesky(np.corrcoef(shuffled, rowvar=False))
            break
        except np.linalg.LinAlgError:  # two shuffles in step by chance (a few draws): shuffle again
            continue
    else:
        return inputs
    ordered = shuffled @ np.linalg.inv(drawn).T @ wanted.T
    out = dict(inputs)
    for j, key in enumerate(keys):
        placed = np.empty(size)
        placed[np.argsort(ordered[:, j], kind="stable")] = np.sort(inputs[key], kind="stable")
        out[key] = placed
    return out
