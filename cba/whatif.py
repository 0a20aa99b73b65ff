"""What-if grids, overrides and switching values: parsing the command line's asks into inputs."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .appraisal import Appraisal, ZERO
from .green_book import timed_volumes
from .scenario import Scenario
from .sweep import ADJUSTMENTS, LinearModel, base_value, input_keys


class AskError(ValueError):
    """A --vary or --set that cannot be understood (command-line misuse)."""


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise AskError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise AskError(f"'{text}' is not a finite number")
    return value


def parse_values(spec: str, base: float, adjustment: bool) -> list[float]:
    """'-10,-30,-60', '-100:0:10' (start:stop:step, stop included), '-20%,0,+20%'.

    A percentage is relative to the value as written (-20% of a unit cost is 0.8 x it),
    except for an adjustment (deadweight and the like), where 20% is the share 0.2. In a
    list with any percentage, every bare number is a percentage too ('-20%,0,+20%').
    """
    values: list[float] = []
    items = [i.strip() for i in spec.split(",")]
    # "-20%,0,+20%": when any value is a percentage, a bare number in the list is one too.
    relative = any(i.endswith("%") for i in items)
    for item in items:
        item = item.strip()
        if not item:
            raise AskError(f"empty value in '{spec}'")
        if ":" in item:
            parts = item.split(":")
            if len(parts) != 3:
                raise AskError(f"range '{item}' must be start:stop:step")
            start, stop, step = (_number(p) for p in parts)
            if step == 0 or (stop - start) / step < 0:
                raise AskError(f"range '{item}' never reaches its stop")
            count = int((stop - start) / step) + 1
            if count > 100_000:
                raise AskError(f"range '{item}' has {count:,} values; at most 100,000")
            values += [float(start + i * step) for i in range(count)]
        elif item.endswith("%") and adjustment:
            values.append(float(_number(item[:-1]) / 100))
        elif item.endswith("%") or (relative and not adjustment):
            values.append(base * (1 + float(_number(item.removesuffix("%")) / 100)))
        else:
            values.append(float(_number(item)))
    return values


@dataclass(frozen=True)
class Grid:
    keys: list[str]
    points: list[tuple[float, ...]]

    def columns(self) -> dict[str, list[float]]:
        return {k: [p[i] for p in self.points] for i, k in enumerate(self.keys)}


def parse_grid(asks: list[str], model: LinearModel) -> Grid:
    """Every combination of the --vary values (a grid)."""
    keys, axes = [], []
    known = input_keys(model)
    for ask in asks:
        key, sep, spec = ask.partition("=")
        key = key.strip()
        if not sep:
            raise AskError(f"--vary {ask}: write KEY=VALUES, e.g. lac=-10,-30,-60")
        if key not in known:
            from .validation import suggest

            raise AskError(f"--vary {key}: not an input of this scenario{suggest(key, known)}; "
                           f"inputs: {', '.join(known)}")
        if key in keys:
            raise AskError(f"--vary {key} is given twice")
        keys.append(key)
        axes.append(parse_values(spec, base_value(model, key), key.partition(".")[2] in ADJUSTMENTS))
    points = list(itertools.product(*axes))
    if len(points) > 1_000_000:
        raise AskError(f"the grid has {len(points):,} points; at most 1,000,000")
    return Grid(keys, points)


def apply_sets(data: dict[str, Any], sets: list[str]) -> dict[str, Any]:
    """Set dotted scalar keys (appraisal.discount_rate=0.05) in a scenario's plain data."""
    from .yamlsafe import load_yaml

    for ask in sets:
        key, sep, text = ask.partition("=")
        if not sep or not key.strip():
            raise AskError(f"--set {ask}: write KEY=VALUE, e.g. appraisal.discount_rate=0.05")
        try:
            value, _ = load_yaml(text or "''", "--set")
        except Exception:  # an InputError: the value is not YAML
            raise AskError(f"--set {ask}: the value is not a plain value") from None
        if isinstance(value, (dict, list)):
            raise AskError(f"--set {key}: only single values can be set")
        parts = key.strip().split(".")
        node = data
        for part in parts[:-1]:
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
            if not isinstance(node, dict):
                raise AskError(f"--set {key}: {part} is not a group of settings")
        node[parts[-1]] = value
    return data


@dataclass(frozen=True)
class Switching:
    """Switching values (Green Book): how far an input must move for the net position to reach zero."""

    outcome_changes: dict[str, Decimal | None]  # outcome -> change (follow_up - baseline) at break-even
    unit_cost_pct: dict[str, Decimal | None]  # unit cost -> % change that flips the sign
    total_cost_pct: Decimal | None
    measure: str  # "net position" or "NPV"


def switching_values(scenario: Scenario, result: Appraisal, *, present_value: bool = False) -> Switching:
    """Exact switching values over the undiscounted net position, or over the NPV.

    An outcome is treated as attributable for its own switching value; the others count
    as the scenario says.
    """
    t = result.timeline
    outcomes = {o.id: o for o in scenario.outcomes}
    if present_value:
        cost, total = t.pv_costs, t.pv_benefits
        contribution = {s.outcome: t.pv_stream(s) for s in t.streams}
    else:
        cost, total = result.net.cost, result.net.benefits
        contribution = {o.id: o.attributable_value for o in result.outcomes}
    changes: dict[str, Decimal | None] = {}
    for s in t.streams:
        o = outcomes[s.outcome]
        if s.unit_cost is None or o.volumes is not None:
            continue
        profile = timed_volumes(Decimal(1), o.timing.start_year, o.timing.duration, o.timing.drop_off)
        factors = t.factors[s.discount_column] if present_value else None
        years = sum((v * (factors[y] if factors else 1) for y, v in profile.items()), ZERO)
        per_unit = s.unit_value * s.additionality * (1 - s.optimism_bias) * years
        others = total - contribution[s.outcome]
        changes[s.outcome] = None if per_unit == 0 else -(cost - others) / per_unit
    by_unit: dict[str, Decimal] = {}
    for s in t.streams:
        ref = outcomes[s.outcome].unit_cost
        if ref is not None and s.counted:
            by_unit[ref] = by_unit.get(ref, ZERO) + contribution[s.outcome]
    net = total - cost
    unit_pct = {u: (None if c == 0 else -net / c * 100) for u, c in by_unit.items()}
    for o in scenario.outcomes:
        if o.unit_cost is not None:
            unit_pct.setdefault(o.unit_cost, None)
    return Switching(changes, unit_pct, None if cost == 0 else net / cost * 100,
                     "NPV" if present_value else "net position")


def describe_change(change: Decimal | None, measure: str) -> str:
    if change is None:
        return "no value: the outcome is not priced"
    if change < 0:
        return f"a fall of {abs(change):,.1f} in {measure.lower()}"
    return f"a rise of {change:,.1f} in {measure.lower()} (the other benefits already exceed the cost)"
