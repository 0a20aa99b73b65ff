"""What-if grids: the command line's --vary asks turned into points to evaluate."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from cba.engine.sweep import ADJUSTMENTS, LinearModel, base_value, input_keys
from cba.model.errors import UsageError, suggest


def _number(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise UsageError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise UsageError(f"'{text}' is not a finite number")
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
            raise UsageError(f"--vary {ask}: write KEY=VALUES, e.g. lac=-10,-30,-60")
        if key not in known:
            raise UsageError(f"--vary {key}: not an input of this scenario{suggest(key, known)}; "
                           f"inputs: {', '.join(known)}")
        if key in keys:
            raise UsageError(f"--vary {key} is given twice")
        keys.append(key)
        axes.append(parse_values(spec, base_value(model, key), key.partition(".")[2] in ADJUSTMENTS))
    points = list(itertools.product(*axes))
    if len(points) > 1_000_000:
        raise UsageError(f"the grid has {len(points):,} points; at most 1,000,000")
    return Grid(keys, points)
