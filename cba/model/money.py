"""Exact money: parsing what people type into Decimals.

Every amount is a Decimal from the file's own digits; nothing passes through a
binary float. Rounding for display lives in ``cba.render.format``.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import re
from decimal import Decimal

#: Significant digits of every Decimal operation cba does. The documented limits (amounts to £10^12,
#: volumes to 10^9, shares and conversions as large) multiply to about 10^30 with pennies: 33 digits,
#: more over many periods and lines. Python's default of 28 rounded such a net position to the
#: nearest £100,000 (...699999.63 shown as ...700000.00); 60 keeps every documented case exact.
EXACT_DIGITS = 60
decimal.getcontext().prec = EXACT_DIGITS  # this thread (the command's)
decimal.DefaultContext.prec = EXACT_DIGITS  # and any thread or worker started later

_PLAIN = re.compile(r"^\d+(\.\d+)?\Z")
_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?\Z")

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
    kinds: dict[type, str] = {dict: "a mapping", list: "a list"}
    kind = kinds.get(type(value), type(value).__name__)
    raise MoneyFormatError(f"expected {what}, got {kind}")


def whole_pounds(value: Decimal) -> bool:
    return value == value.to_integral_value()
