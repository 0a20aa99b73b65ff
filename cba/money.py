"""Exact money: parsing what people type, and formatting for display.

Every amount is a Decimal from the file's own digits; nothing passes through a
binary float. Rounding happens only here, when an amount is shown.
"""

from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Context, Decimal

#: Rounding for display only, with room for any figure cba can compute.
_DISPLAY = Context(prec=60)

_PLAIN = re.compile(r"^\d+(\.\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")

ACCEPTED = "a number such as 1234.56, or text such as '£1,234.56'"


class MoneyFormatError(ValueError):
    pass


def parse_amount(value: object, *, what: str = "an amount in pounds", accepted: str = ACCEPTED) -> Decimal:
    """Turn a YAML/CSV value into an exact Decimal, or say precisely why not.

    Accepted: integers, exact decimals, and text with an optional leading '£'
    and optional comma thousands separators ('£1,234.56'). Refused: booleans,
    dates, NaN and infinity, and continental forms such as '1.234,56', whose
    meaning cannot be known for sure.
    """
    if isinstance(value, bool):
        raise MoneyFormatError(f"expected {what}, got a boolean ({str(value).lower()}); write {accepted}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise MoneyFormatError(f"expected {what}, got {value}")
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise MoneyFormatError(f"expected {what}, got {value}")
        return Decimal(repr(value))
    if isinstance(value, (_dt.date, _dt.datetime)) or type(value).__name__ == "DateText":
        raise MoneyFormatError(f"expected {what}, got a date ({value}); write {accepted}")
    if isinstance(value, str):
        text, sign = value.strip(), ""
        if text.startswith("-"):
            text, sign = text[1:], "-"
        text = text.removeprefix("\u00a3")
        if _PLAIN.match(text):
            return Decimal(sign + text)
        if _GROUPED.match(text):
            return Decimal(sign + text.replace(",", ""))
        raise MoneyFormatError(f"'{value}' is not an amount cba can read; write {accepted}")
    if value is None:
        raise MoneyFormatError(f"expected {what}, got nothing")
    kind = {dict: "a mapping", list: "a list"}.get(type(value), type(value).__name__)
    raise MoneyFormatError(f"expected {what}, got {kind}")


def whole_pounds(value: Decimal) -> bool:
    return value == value.to_integral_value()


def fmt_gbp(value: Decimal | None, *, pence: bool | None = None) -> str:
    """'£1,234' (or '£1,234.56' when the amount has pence); negatives as '-£1,234'.

    Rounds half-up to the penny; ``pence=False`` rounds half-up to the pound.
    """
    if value is None:
        return "–"
    show_pence = (not whole_pounds(value)) if pence is None else pence
    quantum = Decimal("0.01") if show_pence else Decimal(1)
    shown = value.quantize(quantum, rounding=ROUND_HALF_UP, context=_DISPLAY)
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
