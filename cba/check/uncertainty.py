"""Rules on the scenario's ranges: each names an input the scenario has, within what that input accepts."""

from __future__ import annotations

import math
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from cba.check.problem import Problem
from cba.engine.appraisal import is_forecast, line_key
from cba.model.cost_book import CostBook
from cba.model.errors import suggest
from cba.model.inputs import ADJUSTMENTS, COHORT, TIMING, describe_bounds, input_bounds
from cba.model.ranges import TruncatedNormal, pearson_of_scores, quantile, ranged_inputs
from cba.model.scenario import Distribution, Scenario


def distribution_problems(d: Distribution, key: str = "") -> list[Problem]:
    """A distribution's parameters: present, ordered, and within what the input ``key`` accepts (paths
    from the distribution)."""
    low, high, _ = input_bounds(key)
    bounded = not (math.isinf(low) and math.isinf(high))
    found: list[Problem] = []
    needs: tuple[str, ...] = {
        "uniform": ("low", "high"),
        "triangular": ("low", "mode", "high"),
        "normal": ("mean", "sd"),
    }[d.distribution]
    if d.distribution == "normal" and (not math.isinf(low) or not math.isinf(high)):
        needs += ("low", "high")  # a normal's tails would cross the input's limits: it must be truncated
    for name in needs:
        if getattr(d, name) is None:
            found.append(
                Problem((), False, f"a {d.distribution} distribution needs {', '.join(needs)}; {name} is missing")
            )
    if found:
        return found
    if d.low is not None and d.high is not None and d.low > d.high:
        found.append(Problem(("low",), False, f"low ({d.low}) is above high ({d.high})"))
    if d.distribution == "triangular" and not (d.low <= d.mode <= d.high):  # type: ignore[operator]
        found.append(Problem(("mode",), False, f"mode ({d.mode}) must lie between low and high"))
    if d.distribution == "normal" and d.sd <= 0:  # type: ignore[operator]
        found.append(Problem(("sd",), False, "sd must be positive"))
    elif d.distribution == "normal" and not found and TruncatedNormal.of(d).mass <= 0:
        found.append(
            Problem(
                ("low",),
                False,
                f"low to high ({d.low} to {d.high}) lies so far in the tail of a normal with mean {d.mean} and "
                f"sd {d.sd} that no draw can fall in it; move the bounds or the mean, or widen sd",
            )
        )
    if bounded and any(v is not None and not low <= v <= high for v in (d.low, d.high, d.mode)):
        what = "an adjustment's" if key.rpartition(".")[2] in ADJUSTMENTS else f"{key}'s"
        found.append(Problem((), False, f"{what} range must be {describe_bounds(key)}"))
    return found


def _within(loc: tuple[Any, ...], problems: list[Problem]) -> list[Problem]:
    return [p.under(*loc) for p in problems]


def uncertainty_problems(scenario: Scenario, costs: CostBook) -> Iterator[Problem]:
    """Every range names an input the scenario has, of the right kind, within what that input accepts."""
    spec = scenario.uncertainty
    if spec is None:
        return
    used = {ref for o in scenario.outcomes for _, ref in o.priced_by()}
    for cost_id, d in spec.unit_costs.items():
        loc: tuple[Any, ...] = ("uncertainty", "unit_costs", cost_id)
        if cost_id not in used:
            yield Problem(loc, False, f"unit cost '{cost_id}' is not used by any outcome{suggest(cost_id, used)}")
        yield from _within(loc, distribution_problems(d))
    yield from _outcome_range_problems(scenario)
    yield from _cost_line_range_problems(scenario)
    yield from _appraisal_range_problems(scenario)
    yield from _correlation_problems(scenario)


def _outcome_range_problems(scenario: Scenario) -> Iterator[Problem]:
    assert scenario.uncertainty is not None
    outcomes = {o.id: o for o in scenario.outcomes}
    for outcome_id, ranges in scenario.uncertainty.outcomes.items():
        loc: tuple[Any, ...] = ("uncertainty", "outcomes", outcome_id)
        outcome = outcomes.get(outcome_id)
        if outcome is None:
            yield Problem(loc, False, f"no outcome '{outcome_id}'{suggest(outcome_id, outcomes)}")
            continue
        kind = "volumes" if outcome.volumes is not None else "cohort" if outcome.cohort is not None else "change"
        # (the rules as written leave baseline and follow_up both given or both absent)
        if ranges.change is not None and outcome.baseline is None:
            yield Problem(
                loc + ("change",), False, "a range on the change needs an outcome given by baseline and follow_up"
            )
        if ranges.cohort is not None and kind != "cohort":
            yield Problem(loc + ("cohort",), False, "a range on the cohort needs an outcome given by a cohort")
        if ranges.timing is not None and kind == "volumes":
            yield Problem(
                loc + ("timing",),
                False,
                "volumes by year already say when the benefit falls; give ranges for the years' volumes instead",
            )
        fixed = outcome.timing.spread is not None or (outcome.cohort is not None and outcome.cohort.intake)
        if ranges.timing is not None and fixed:
            for name in ("duration", "drop_off"):
                if getattr(ranges.timing, name) is not None:
                    why = "spreads its value over set years" if outcome.timing.spread else "takes people on by intake"
                    yield Problem(
                        loc + ("timing", name),
                        False,
                        f"outcome '{outcome_id}' {why}: only the lag (start_year) can have a range",
                    )
        for period in ranges.volumes:
            if period not in (outcome.volumes or {}):
                yield Problem(
                    loc + ("volumes", period),
                    False,
                    f"outcome '{outcome_id}' has no volume for {period}"
                    + (
                        f"; its years: {', '.join(outcome.volumes)}"
                        if outcome.volumes
                        else "; a range by year needs volumes given by year"
                    ),
                )
        named: list[tuple[Any, Distribution | None, str]] = [
            (name, getattr(ranges, name), f"{outcome_id}.{name}") for name in ("change", *ADJUSTMENTS, "optimism_bias")
        ]
        named += [
            ((group, name), getattr(part, name), f"{outcome_id}.{group}.{name}")
            for group, names in (("cohort", COHORT), ("timing", TIMING))
            if (part := getattr(ranges, group)) is not None
            for name in names
        ]
        named += [(("volumes", period), d, f"{outcome_id}.volumes.{period}") for period, d in ranges.volumes.items()]
        for sub, d, key in named:
            if d is not None:
                where = loc + (sub if isinstance(sub, tuple) else (sub,))
                yield from _within(where, distribution_problems(d, key if sub != "change" else ""))


def _cost_line_range_problems(scenario: Scenario) -> Iterator[Problem]:
    assert scenario.uncertainty is not None
    basis = scenario.net_position_basis
    lines = {line_key(line, i).removeprefix("costs."): line for i, line in enumerate(scenario.cost_lines)}
    for name, ranges in scenario.uncertainty.cost_lines.items():
        loc: tuple[Any, ...] = ("uncertainty", "cost_lines", name)
        line = lines.get(name)
        if line is None:
            yield Problem(
                loc,
                False,
                f"no cost line '{name}'{suggest(name, lines)}; name a line by its id, or by its "
                "position (0 for the first) when it has none",
            )
            continue
        if not line.quantified:
            yield Problem(loc, False, f"cost line '{line.name}' is not quantified, so nothing of it can vary")
        if ranges.optimism_bias is not None and not is_forecast(line, basis):
            yield Problem(
                loc + ("optimism_bias",),
                False,
                f"optimism bias corrects forecasts, but cost line '{line.name}' is outturn (actual spend, "
                f"as net_position_basis is {basis.value})",
            )
        for sub in ("change", "optimism_bias"):
            d = getattr(ranges, sub)
            if d is not None:
                key = f"costs.{name}" + ("" if sub == "change" else ".optimism_bias")
                yield from _within(loc + (sub,), distribution_problems(d, key))


def _appraisal_range_problems(scenario: Scenario) -> Iterator[Problem]:
    assert scenario.uncertainty is not None
    ranges = scenario.uncertainty.appraisal
    if ranges is None:
        return
    basis = scenario.net_position_basis
    loc: tuple[Any, ...] = ("uncertainty", "appraisal")
    settings = scenario.appraisal
    for name in ("discount_rate", "health_discount_rate"):
        if getattr(ranges, name) is not None and (settings is None or settings.discounting != "green_book"):
            yield Problem(
                loc + (name,),
                False,
                "a range on the discount rate needs a discounted appraisal (appraisal: {discounting: green_book})",
            )
    if ranges.cost_optimism_bias is not None and not any(
        is_forecast(line, basis)
        and line.quantified
        and line.optimism_bias is None
        and (settings is None or line.category not in settings.category_optimism_bias)
        for line in scenario.cost_lines
    ):
        yield Problem(
            loc + ("cost_optimism_bias",),
            False,
            "no forecast cost line (a budget, or committed spend) "
            "takes the appraisal-wide optimism bias, so its range "
            "moves nothing",
        )
    for name in ("discount_rate", "health_discount_rate", "cost_optimism_bias"):
        d = getattr(ranges, name)
        if d is not None:
            yield from _within(loc + (name,), distribution_problems(d, f"appraisal.{name}"))


def _percent(bias: Any) -> Decimal | None:
    """An optimism-bias setting as a share when written as a percentage (a grade needs the grade table)."""
    return None if bias is None or bias.percent is None else bias.percent / 100


def written_value(scenario: Scenario, costs: CostBook, key: str) -> Decimal | None:
    """An input's value as the scenario writes it, on the scale its range uses; None where that needs more than
    the scenario and its tables (a grade's percentage, the discount schedule)."""
    outcomes = {o.id: o for o in scenario.outcomes}
    head, _, rest = key.partition(".")
    if key.startswith("costs."):
        line_id, _, field = key.removeprefix("costs.").partition(".")
        lines = {line_key(line, i).removeprefix("costs."): line for i, line in enumerate(scenario.cost_lines)}
        if line_id not in lines:
            return None
        return Decimal(0) if not field else _percent(lines[line_id].optimism_bias)
    if key == "appraisal.cost_optimism_bias":
        return _percent(scenario.appraisal.cost_optimism_bias) if scenario.appraisal else None
    if key in ("appraisal.discount_rate", "appraisal.health_discount_rate"):
        return getattr(scenario.appraisal, key.removeprefix("appraisal.")) if scenario.appraisal else None
    if head in outcomes:
        o = outcomes[head]
        if not rest:
            return None if o.baseline is None or o.follow_up is None else o.follow_up - o.baseline
        if rest in ADJUSTMENTS:
            return getattr(o, rest)
        if rest == "optimism_bias":
            return _percent(o.optimism_bias)
        group, _, name = rest.partition(".")
        if group == "cohort" and o.cohort is not None:
            return o.cohort.people if name == "size" else getattr(o.cohort, name)
        if group == "timing":
            return Decimal(getattr(o.timing, name))
        if group == "volumes" and o.volumes is not None:
            return o.volumes.get(name)
        return None
    entry = costs.get(key)
    return None if entry is None else entry.value


def range_warnings(scenario: Scenario, costs: CostBook) -> Iterator[Problem]:
    """A value as written outside its own range's 5th to 95th percentiles: the run's headline then uses a value
    the scenario itself calls unlikely (not an error: the range may be a deliberate test)."""
    for key, path, d in ranged_inputs(scenario):
        written = written_value(scenario, costs, key)
        if written is None:
            continue
        low, high = quantile(d, 0.05), quantile(d, 0.95)
        if not low <= float(written) <= high:
            yield Problem(
                path,
                False,
                f"warning: {key} as written ({written.normalize():f}) lies outside its own range's 5th to 95th "
                f"percentiles ({low:,.6g} to {high:,.6g}); the headline figures use the value as written",
            )


def is_positive_definite(matrix: list[list[float]]) -> bool:
    """Cholesky, by hand (a handful of inputs; checking a scenario imports no numpy)."""
    n = len(matrix)
    lower = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            total = matrix[i][j] - sum(lower[i][k] * lower[j][k] for k in range(j))
            if i == j:
                if total <= 1e-12:
                    return False
                lower[i][i] = math.sqrt(total)
            else:
                lower[i][j] = total / lower[j][j]
    return True


def _correlation_problems(scenario: Scenario) -> Iterator[Problem]:
    assert scenario.uncertainty is not None
    ranged = [key for key, _, _ in ranged_inputs(scenario)]
    seen: dict[frozenset[str], int] = {}
    pairs: list[tuple[str, str, float]] = []
    for i, c in enumerate(scenario.uncertainty.correlations):
        loc: tuple[Any, ...] = ("uncertainty", "correlations", i)
        for j, key in enumerate(c.between):
            if key not in ranged:
                yield Problem(
                    loc + ("between", j),
                    False,
                    f"'{key}' has no range in the uncertainty block{suggest(key, ranged)}; a correlation joins two "
                    f"ranged inputs ({', '.join(ranged) or 'none given'})",
                )
        if c.between[0] == c.between[1]:
            yield Problem(loc + ("between",), False, f"'{c.between[0]}' is named twice: name two inputs")
            continue
        if not -1 < c.rank < 1:
            yield Problem(
                loc + ("rank",),
                False,
                f"rank {c.rank} must lie strictly between -1 and 1 (at 1 or -1 one input is a function of the "
                "other: write 0.99 for inputs almost in step)",
            )
            continue
        pair = frozenset(c.between)
        if pair in seen:
            yield Problem(
                loc, False, f"this pair is already correlated (correlations[{seen[pair]}]): give each pair once"
            )
            continue
        seen[pair] = i
        if all(key in ranged for key in c.between):  # (a name without a range is reported above)
            pairs.append((c.between[0], c.between[1], float(c.rank)))
    keys = list(dict.fromkeys(k for a, b, _ in pairs for k in (a, b)))
    matrix = [[1.0 if a == b else 0.0 for b in keys] for a in keys]
    for a, b, rank in pairs:
        i, j = keys.index(a), keys.index(b)
        matrix[i][j] = matrix[j][i] = pearson_of_scores(rank)
    if keys and not is_positive_definite(matrix):
        yield Problem(
            ("uncertainty", "correlations"),
            False,
            "taken together these correlations are impossible (no set of inputs can have them all: the matrix is "
            "not positive definite); weaken the strongest, or those that contradict each other",
        )
