"""The one input vocabulary: what `--set`, `--vary`, a range and a switching value name, their limits, their values.

In the model layer, below the engine and io, so that ``--set`` (io), the rules (check) and the sweeps
(engine) read one definition, and so that validating ``uncertainty:`` and parsing ``--vary`` stay light.
A key names one input as ``--set``, ``--vary`` and ``uncertainty:`` write it:

* ``OUTCOME`` (its change, follow_up - baseline: a fall of 60 is -60, everywhere); ``OUTCOME.deadweight``, ``.attribution``,
  ``.displacement``, ``.optimism_bias`` (shares); ``OUTCOME.cohort.size``, ``.engagement``,
  ``.success``; ``OUTCOME.timing.start_year``, ``.duration`` (whole years), ``.drop_off``;
  ``OUTCOME.volumes.2021/22`` (a year's volume);
* ``UNIT_COST`` (its value at its own price year);
* ``costs.LINE`` (a share by which the line's spend differs, every year alike; LINE is the
  line's id, or its position from 0) and ``costs.LINE.optimism_bias``;
* ``appraisal.discount_rate`` (a flat rate for every year; health values keep the schedule's
  differential below it), ``appraisal.health_discount_rate`` (a flat rate for health values alone) and
  ``appraisal.cost_optimism_bias`` (the appraisal-wide uplift on forecast costs).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from cba.model.record import record

ADJUSTMENTS = ("deadweight", "attribution", "displacement")
COHORT = ("size", "engagement", "success")
TIMING = ("start_year", "duration", "drop_off")
WHOLE_YEARS = ("start_year", "duration")
#: Inputs that are shares of something and so lie within 0 and 1.
SHARES = (
    *ADJUSTMENTS,
    "optimism_bias",
    "engagement",
    "success",
    "drop_off",
    "discount_rate",
    "health_discount_rate",
)
MAX_YEARS = 500  # the scenario format's own limit on a lag and a duration


def input_key(key: str) -> str:
    """An input's key in its short form, the one outputs show: ``--set`` names an outcome's or a line's fields
    from the scenario's top (``outcomes.lac.deadweight``, ``cost_lines.team``), and those spellings are
    accepted here too: ``lac.deadweight``, ``costs.team``."""
    if key.startswith("outcomes."):
        return key.removeprefix("outcomes.")
    if key.startswith("cost_lines."):
        return "costs." + key.removeprefix("cost_lines.")
    return key


def input_bounds(key: str) -> tuple[float, float, bool]:
    """(lowest, highest, whole numbers only) the scenario format accepts for an input."""
    last = key.rpartition(".")[2]
    if key.startswith("costs."):
        # a line's change: -100% is no spend at all; its optimism bias: an uplift, 0 or more
        return (0.0, math.inf, False) if last == "optimism_bias" else (-1.0, math.inf, False)
    if key == "appraisal.cost_optimism_bias":
        return 0.0, math.inf, False
    if last in SHARES:
        return 0.0, 1.0, False
    if last == "start_year":
        return 0.0, float(MAX_YEARS), True
    if last == "duration":
        return 1.0, float(MAX_YEARS), True
    if last == "size":
        return 0.0, math.inf, False
    return -math.inf, math.inf, False


#: The largest value --set or --vary may give: the bounds a scenario itself accepts (money and counts up to a
#: trillion), so no input meets a figure the exact engine would refuse, and no percentage overflows.
LIMIT = Decimal(10) ** 12


#: The smallest size of a number --set and --vary take, as a scenario's (yamlsafe.MOST_EXPONENT).
SMALLEST_EXPONENT = 30


def plain_number(text: str) -> Decimal:
    """A number as --set and --vary take one (without its %); UsageError in the words both options use."""
    from decimal import InvalidOperation

    from cba.model.errors import UsageError

    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise UsageError(f"'{text}' is not a number") from None
    if not value.is_finite():
        raise UsageError(f"'{text}' is not a finite number")
    if abs(value) > LIMIT:
        raise UsageError(f"'{text[:40]}' is implausibly large; the limit is {LIMIT:,.0f}")
    if value and value.adjusted() < -SMALLEST_EXPONENT:  # a step of 1e-999999999 would overflow the count
        raise UsageError(f"'{text[:40]}' is implausibly small; give a number of at least 1e-{SMALLEST_EXPONENT}")
    return value


def input_value(text: str, share: bool, written: Decimal, baseline: Decimal | None = None) -> Decimal:
    """One value of an input as ``--set`` and ``--vary`` write it (``text`` a number checked by the caller, or a
    number and %): a percentage of a share is that share (20% is 0.2); of an outcome's change, a share of its
    ``baseline`` (lac=-60% is 60% fewer than at the baseline); of anything else, a change relative to the value
    ``written`` (-20% of a unit cost is 0.8 x it). A plain number is the value itself."""
    if not text.endswith("%"):
        return Decimal(text)
    percent = Decimal(text.removesuffix("%")) / 100
    if share:
        return percent
    if baseline is not None:
        return baseline * percent
    return written * (1 + percent)


def describe_bounds(key: str) -> str:
    low, high, whole = input_bounds(key)
    if whole:
        return f"whole years from {low:g} to {high:g}"
    if math.isinf(high):
        return f"at least {low:g}" + (" (-1 is -100%)" if low == -1 else "")
    return f"within {low:g} and {high:g}"


def out_of_bounds(key: str, values: list[float] | list[Decimal]) -> str | None:
    """What is wrong with values given for an input, in the words ``--set`` and ``--vary`` both use; None if
    nothing: 'a share must be within 0 and 1 (0% and 100%); got 1.5'."""
    low, high, whole = input_bounds(key)
    outside = [v for v in values if not low <= v <= high]
    if outside:
        if (low, high) == (0.0, 1.0):
            what = "a share"
        elif key.startswith("costs.") and not key.endswith(".optimism_bias"):
            what = "a change in spend"
        else:
            what = "the value"
        return (
            f"{what} must be {describe_bounds(key)}"
            + (" (0% and 100%)" if (low, high) == (0.0, 1.0) else "")
            + "; got "
            + ", ".join(f"{v:g}" for v in outside)
        )
    if whole and any(v != int(v) for v in values):
        return f"whole years only; got {', '.join(f'{v:g}' for v in values if v != int(v))}"
    return None


def is_share(key: str) -> bool:
    return key.startswith(("costs.", "appraisal.")) or key.rpartition(".")[2] in SHARES


@record
class InputNames:
    """What each input of a run is in words, for headers: an outcome's measure (and, for one given by baseline
    and follow-up, that its value is the change), a cost line's name, a unit cost's description."""

    names: Mapping[str, str]
    changes: frozenset[str] = frozenset()  # outcomes whose own value is their change

    def label(self, key: str) -> str:
        """``lac (Looked-after children: change)``, ``lac.deadweight (Looked-after children)``,
        ``costs.0 (Programme Management)``; the key as it is when nothing names it."""
        if key in self.names:
            return f"{key} ({self.names[key]}{': change' if key in self.changes else ''})"
        owner = next((k for k in self.names if key.startswith(k + ".")), None)
        return f"{key} ({self.names[owner]})" if owner else key
