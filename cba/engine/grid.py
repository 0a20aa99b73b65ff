"""What-if grids: the command line's --vary asks turned into points to evaluate."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

from cba.engine.sweep import LinearModel, base_value, input_keys
from cba.model.errors import UsageError, suggest
from cba.model.inputs import input_key, input_value, is_share, out_of_bounds, plain_number
from cba.model.record import record
from cba.model.types import MAX_MONEY, MAX_QUANTITY

MAX_POINTS = 1_000_000
_number = plain_number  # the one parser --set uses too


def parse_values(spec: str, base: float, adjustment: bool, baseline: float | None = None) -> list[float]:
    """'-10,-30,-60', '-100:0:10' (start:stop:step, stop included), '-20%,0,+20%'.

    A percentage is relative to the value as written (-20% of a unit cost is 0.8 x it), except for a share
    (deadweight, engagement, a cost line's change, a discount rate), where 20% is 0.2, and for an outcome's
    change, where it is a share of the baseline (``baseline`` given): lac=-60% is a fall of 60% of the
    children counted at the baseline, as a reader takes "60% fewer". In a list with any percentage, every
    bare number is a percentage too ('-20%,0,+20%').
    """
    values: list[float] = []
    items = [i.strip() for i in spec.split(",")]
    # "-20%,0,+20%": when any value is a percentage, a bare number in the list is one too.
    relative = any(i.endswith("%") for i in items)
    for item in items:
        item = item.strip()
        if not item:
            raise UsageError(f"empty value in '{spec}'")
        if ":" in item:
            parts = item.split(":")
            if len(parts) != 3:
                raise UsageError(f"range '{item}' must be start:stop:step")
            start, stop, step = (_number(p) for p in parts)
            if step == 0 or (stop - start) / step < 0:
                raise UsageError(f"range '{item}' never reaches its stop")
            count = int((stop - start) / step) + 1
            if count > 100_000:
                raise UsageError(f"range '{item}' has {count:,} values; at most 100,000")
            values += [float(start + i * step) for i in range(count)]
        elif item.endswith("%") or (relative and not adjustment):  # the rule --set follows too
            percent = f"{_number(item.removesuffix('%'))}%"
            of = None if baseline is None else Decimal(repr(baseline))
            values.append(float(input_value(percent, adjustment, Decimal(repr(base)), of)))
        else:
            values.append(float(_number(item)))
    return values


@record
class Grid:
    keys: list[str]
    points: list[tuple[float, ...]]
    notes: tuple[str, ...] = ()  # what a percentage was taken to mean, where that is not plain

    def columns(self) -> dict[str, list[float]]:
        return {k: [p[i] for p in self.points] for i, k in enumerate(self.keys)}


def known_input(key: str, known: list[str]) -> str:
    """The input a --vary names, in its one spelling; UsageError naming the near ones when it names none."""
    key = input_key(key.strip())
    if key not in known:
        raise UsageError(
            f"--vary {key}: not an input of this scenario{suggest(key, known)}; inputs: {', '.join(known)}"
        )
    return key


def parse_grid(asks: list[str], model: LinearModel) -> Grid:
    """Every combination of the --vary values (a grid)."""
    keys, axes, notes = [], [], []
    known = input_keys(model)
    baselines = {t.outcome: t.baseline for t in model.terms if t.measured}
    for ask in asks:
        key, sep, spec = ask.partition("=")
        if not sep:
            raise UsageError(f"--vary {ask}: write KEY=VALUES, e.g. lac=-10,-30,-60")
        key = known_input(key, known)
        if key in keys:
            raise UsageError(f"--vary {key} is given twice")
        keys.append(key)
        share = is_share(key)
        baseline = None
        if key in baselines and "%" in spec:
            baseline = baselines[key]
            if not baseline:
                raise UsageError(
                    f"--vary {key}: a percentage of an outcome's change is a share of its baseline, and its "
                    "baseline is 0; give the change as a number (a fall of 10 is -10)"
                )
            notes.append(
                f"{key}: a percentage is a share of the baseline ({baseline:,g}): -10% is a change of "
                f"{-baseline / 10:,g}, 10% fewer than at the baseline."
            )
        values = parse_values(spec, base_value(model, key), share, baseline)
        wrong = out_of_bounds(key, values)
        if wrong:
            raise UsageError(f"--vary {key}: {wrong}")
        if key in {t.unit_cost for t in model.terms} and any(not 0 <= v <= MAX_MONEY for v in values):
            raise UsageError(f"--vary {key}: a unit cost must lie between £0 and £{MAX_MONEY:,}, as in a table")
        if not share and key not in {t.unit_cost for t in model.terms} and any(abs(v) > MAX_QUANTITY for v in values):
            raise UsageError(f"--vary {key}: a change of more than {MAX_QUANTITY:,} is implausible, as in a scenario")
        axes.append(values)
    size = math.prod(len(axis) for axis in axes)  # before the grid is built: 10^5 x 10^5 would not fit
    if size > MAX_POINTS:
        raise UsageError(f"the grid has {size:,} points; at most {MAX_POINTS:,}")
    return Grid(keys, list(itertools.product(*axes)), tuple(notes))
