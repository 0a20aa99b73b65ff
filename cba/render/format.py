"""How figures are written for people: pounds, millions, counts and percentages.

Rounding happens only here (half-up), when a figure is shown; the engine's
figures are exact.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import TYPE_CHECKING, Any

from cba.model.money import whole_pounds

if TYPE_CHECKING:
    from cba.engine.run import ResultCheck
    from cba.engine.timeline import SpreadShape, TransferFlow

#: Rounding for display only, with room for any figure cba can compute.
_DISPLAY = Context(prec=60)


def fmt_gbp(value: Decimal | None, *, pence: bool | None = None) -> str:
    """'£1,234' (or '£1,234.56' when the amount has pence); negatives as '-£1,234'.

    Rounds half-up to the penny and shows pence only when that leaves some (so £98,190.004
    is written £98,190, as its JSON 98190.00 says); ``pence=False`` rounds half-up to the pound.
    """
    if value is None:
        return "–"
    in_pence = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_DISPLAY)
    show_pence = (not whole_pounds(in_pence)) if pence is None else pence
    shown = in_pence if show_pence else value.quantize(Decimal(1), rounding=ROUND_HALF_UP, context=_DISPLAY)
    sign = "-" if shown < 0 else ""
    body = f"{abs(shown):,.2f}" if show_pence else f"{abs(shown):,.0f}"
    return f"{sign}\u00a3{body}"


def fmt_millions(value: Decimal) -> str:
    """'£1.85 million', as reports round headline figures (half-up, 2 decimal places)."""
    shown = (abs(value) / Decimal(1_000_000)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_DISPLAY)
    return f"\u00a3{shown} million"


def fmt_number(value: Decimal, places: int = 0) -> str:
    quantum = Decimal(1).scaleb(-places)
    shown = value.quantize(quantum, rounding=ROUND_HALF_UP, context=_DISPLAY)
    return f"{shown:,.{places}f}"


def fmt_percent(value: Decimal | None, places: int = 1) -> str:
    if value is None:
        return "–"
    return fmt_number(value, places) + "%"


def fmt_years(value: Decimal | None) -> str:
    return "–" if value is None else f"{fmt_number(value, 2)} years"


def arm_size(n: Decimal | None) -> str:
    """An arm's size for people: "n = 100", or what is known when only the arm's mean was published."""
    return "n not published" if n is None else f"n = {fmt_value(n, 'count')}"


def arms_caption(
    arms: tuple[tuple[str, Decimal], tuple[str, Decimal | None] | None],
    size: Callable[[Decimal | None], Any] = arm_size,
    text: Callable[[str], Any] = str,
) -> str:
    """What the arms table compares: two arms and their sizes, or a single arm whose means are changes.
    ``size`` and ``text`` shape the sizes and the labels for a face (the report keeps a size on one line)."""
    (p_label, p_n), comparison = arms
    if comparison is None:
        return f"A single arm: {text(p_label)} ({size(p_n)}), each mean the change per participant"
    c_label, c_n = comparison
    return (
        f"Programme against comparison: {text(p_label)} ({size(p_n)}) against {text(c_label)} ({size(c_n)}), "
        "means per participant"
    )


_PERIOD_NOUNS = {
    "year": ("year", "years"),
    "quarter": ("quarter", "quarters"),
    "month": ("month", "months"),
    "relative": ("year", "years"),
}


def spread_over(shape: SpreadShape) -> str:
    """The periods a spread total covers and how: "over 3 years from 2022/23, evenly"."""
    from cba.model.periods import period_kind

    one, many = _PERIOD_NOUNS[period_kind(shape.start) or "year"]
    how = "evenly" if shape.shares is None else "by shares " + " / ".join(f"{x.normalize():f}" for x in shape.shares)
    return f"over {shape.periods} {one if shape.periods == 1 else many} from {shape.start}, {how}"


def fmt_evidence(source: str | None, note: str | None) -> str:
    """An input's evidence as one text: its source and note, as the scenario writes them ("" when neither)."""
    return "; ".join(t for t in (source, note) if t)


def fmt_spread(shape: SpreadShape) -> str:
    """A spread in words, its totals first: "£300,000 budget and £290,000 actual over 3 years from 2022/23,
    evenly"; a transfer's total alone; a volume as "12 in all"."""
    parts = [
        f"{fmt_value(x, 'count')} in all" if what == "volume" else fmt_gbp(x) + ("" if what == "total" else f" {what}")
        for what, x in shape.totals
    ]
    return f"{' and '.join(parts)} {spread_over(shape)}"


def transfer_how(f: TransferFlow, years: list[str]) -> str:
    """How a transfer's amounts were set, in words, for every face that shows the transfer."""
    how = f"{fmt_gbp(f.per_outcome[1])} per unit of {f.per_outcome[0]}" if f.per_outcome else "amounts by period"
    if f.multiple_of is not None:
        of, times, year = f.multiple_of
        how = f"{fmt_factor(times)} x all {of} paid, in {years[year]}"
    if f.spread is not None:
        how = fmt_spread(f.spread)
    return how + (f", capped at {fmt_gbp(f.cap)}" if f.cap is not None else "")


def fmt_value(value: object, kind: str) -> str:
    """A typed value from a result, written for people: £ for money, % for percentages, separators for counts."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    assert isinstance(value, Decimal), value
    if kind == "money":
        return fmt_gbp(value)
    if kind == "percent":
        return fmt_percent(value)
    if kind == "share":
        return fmt_percent(value * 100)
    if kind == "years":
        return fmt_years(value)
    if kind == "count":
        exponent = value.normalize().as_tuple().exponent
        places = min(max(0, -exponent), 4) if isinstance(exponent, int) else 0
        return fmt_number(value, places)
    return fmt_number(value, 2)


def fmt_factor(value: Decimal) -> str:
    """A multiplier as written: 0.25, 52.14, or a fraction such as 1/12 where no short decimal is exact."""
    if value.normalize().as_tuple().exponent >= -6:  # type: ignore[operator]  # a short decimal, as written
        return f"{value.normalize():f}"
    for denominator in range(2, 1001):  # 1/12 was divided to 28 digits: find the fraction it was
        numerator = (value * denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if abs(value * denominator - numerator) < Decimal("1e-20"):
            return f"{numerator}/{denominator}"
    return fmt_number(value, 6)


def fmt_published(check: ResultCheck) -> str:
    """A published result as the source stated it, its bound first: at its precision when one is given, else as
    written ("at most 2 years", not "at most 2.000000")."""
    bound = "" if check.test == "equals" else f"{check.test} "
    value = check.published
    if check.to is not None:
        return bound + fmt_result(value, check.kind, check.to)
    if check.kind == "money":
        return bound + fmt_gbp(value)
    written = f"{value.normalize():,f}"
    if check.kind == "years":
        return bound + written + (" year" if value == 1 else " years")
    return bound + written + ("%" if check.kind == "percent" else "")


def fmt_result(value: Decimal | None, kind: str, to: Decimal | None = None) -> str:
    """A published result or cba's figure beside it: at the precision printed (``to``), else money with
    its pence and other figures to six places."""
    if value is None:
        return "–"
    places = max(0, -int(to.normalize().as_tuple().exponent)) if to is not None else None
    if kind == "money":
        shown = fmt_gbp(value) if places is None else ("-" if value < 0 else "") + "£" + fmt_number(abs(value), places)
        return shown
    if kind == "count" and places is None:  # a count as the JSON writes it: its own places, at most six
        exact = value.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP, context=_DISPLAY).normalize(_DISPLAY)
        return f"{exact + 0:,f}"
    return fmt_number(value, 6 if places is None else places) + ("%" if kind == "percent" else "")
