"""Field types shared by the scenario and unit-cost models."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from cba.model.money import MoneyFormatError, parse_amount

#: Bounds that keep every product of inputs well inside the 60 digits cba computes to (money.EXACT_DIGITS).
MAX_MONEY = 10**12
MAX_QUANTITY = 10**9

_FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})\Z")  # \Z: "2022/23\n" is not a year


def shown_number(amount: Decimal) -> str:
    """A number as a message shows it: whole when short, its ends and length when not (one line, never 5,000 digits)."""
    text = str(amount)
    return text if len(text) <= 24 else f"{text[:12]}...{text[-6:]} ({len(text):,} characters)"


def _money(value: object) -> Decimal:
    try:
        amount = parse_amount(value)
    except MoneyFormatError as exc:
        raise PydanticCustomError("money", str(exc)) from None
    if amount < 0:
        raise PydanticCustomError("money", f"must not be negative (got {shown_number(amount)})")
    if amount > MAX_MONEY:
        raise PydanticCustomError("money", f"{shown_number(amount)} is implausibly large; the limit is £{MAX_MONEY:,}")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise PydanticCustomError(
            "money", f"more than two decimal places ({shown_number(amount)}); give pounds and pence"
        )
    return amount


def _number(value: object, limit: int, example: str) -> Decimal:
    """A number (signed) no larger than ``limit`` either way."""
    try:
        amount = parse_amount(value, what="a number", accepted=f"a number such as {example}")
    except MoneyFormatError as exc:
        raise PydanticCustomError("number", str(exc)) from None
    if abs(amount) > limit:
        raise PydanticCustomError("number", f"{shown_number(amount)} is implausibly large; the limit is {limit:,}")
    return amount


def _quantity(value: object) -> Decimal:
    return _number(value, MAX_QUANTITY, "480 or 12.5")


def _result(value: object) -> Decimal:
    """A figure as a source printed it: money (an NPV, a net cost, negative or not) or a ratio, so limited as
    money is, to a trillion either way."""
    return _number(value, MAX_MONEY, "1.87 or -250000")


_RATIO = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*/\s*([0-9]+(?:\.[0-9]+)?)\s*$")


def _factor(value: object) -> Decimal:
    """A number, or a fraction written a/b (1/12: a month of a yearly cost), divided to 28 digits."""
    match = _RATIO.match(value) if isinstance(value, str) else None
    if match is None:
        return _quantity(value)
    numerator, denominator = Decimal(match.group(1)), Decimal(match.group(2))
    if denominator == 0:
        raise PydanticCustomError("number", f"{value} divides by zero; give a fraction such as 1/12")
    return numerator / denominator


def _count(value: object) -> Decimal:
    amount = _quantity(value)
    if amount < 0:
        raise PydanticCustomError(
            "count", f"a count cannot be negative (got {value}); give the number of cases, 0 or more"
        )
    return amount


def is_financial_year(text: str) -> bool:
    """'2016/17' (April 2016 to March 2017): four digits, a slash, and the next year's last two digits."""
    match = _FINANCIAL_YEAR.match(text)
    return match is not None and (int(match.group(1)) + 1) % 100 == int(match.group(2))


def _not_a_number_year(value: object) -> object:
    """A bare number where a financial year belongs (price_base: 2024) is named as such, with the two years
    it may have meant, rather than pydantic's "Input should be a valid string"."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        raise PydanticCustomError(
            "financial_year",
            f"{value} is a calendar year; write the financial year, {value}/{(value + 1) % 100:02d} "
            f"(April {value} to March {value + 1}) or {value - 1}/{value % 100:02d}",
        )
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        raise PydanticCustomError("financial_year", f"{value} is a number; write a financial year such as 2016/17")
    return value


def _financial_year(value: str) -> str:
    if not is_financial_year(value):
        raise PydanticCustomError("financial_year", f"'{value}' is not a financial year; write it as 2016/17")
    return value


def _period(value: str) -> str:
    from cba.model.periods import period_kind

    if period_kind(value) is None and len(value) == 3 and value.isascii() and value.isdigit():
        raise PydanticCustomError(
            "period",
            f"'{value}' is not a period: inside {{...}} a comma separates entries, so a figure with a thousands "
            f"comma (150,{value}) is split into a number and a key {value}; write it without the comma, or quote it",
        )
    if period_kind(value) is None:
        raise PydanticCustomError(
            "period",
            f"'{value}' is not a period; write a financial year (2024/25), a quarter of one (2024/25 Q1, "
            "April to June), a month (2024-04), or a year of the programme (Year 1) when the source never says "
            "which years",
        )
    return value


def _percent_or_number(value: object, code: str, what: str, accepted: str) -> Decimal:
    """A number written as a decimal (0.2) or a percentage ('20%'), exact; any other form is refused in words."""
    text = value.strip() if isinstance(value, str) else None
    try:
        if text is not None and text.endswith("%"):
            return parse_amount(text[:-1].strip(), what="a percentage") / 100
        return parse_amount(value, what=what, accepted=accepted)
    except MoneyFormatError as exc:
        raise PydanticCustomError(code, str(exc)) from None


def _fraction(value: object) -> Decimal:
    """0 to 1, written as a decimal (0.2) or a percentage ('20%')."""
    amount = _percent_or_number(value, "fraction", "a share", "a share such as 0.2 or '20%'")
    if not 0 <= amount <= 1:
        raise PydanticCustomError("fraction", f"must be between 0 and 1 (0% and 100%), got {value}")
    return amount


def _growth(value: object) -> Decimal:
    """A real price growth a year: -0.5 to 0.5, written as a decimal (0.02) or a percentage ('2%')."""
    amount = _percent_or_number(value, "growth", "a growth rate", "a rate such as 0.02 or '2%'")
    if not -Decimal("0.5") <= amount <= Decimal("0.5"):
        raise PydanticCustomError("growth", f"must be between -0.5 and 0.5 (-50% and 50%) a year, got {value}")
    return amount


def _growth_schedule(value: object) -> Decimal | dict[str, Decimal]:
    """One real growth rate a year (0.02 or '2%'), or rates by financial year ({2024/25: 3%, 2026/27: 2%}).

    One validator for both forms, not a union: a wrong rate or year then gets one message naming it, not one
    per alternative."""
    if not isinstance(value, dict):
        return _growth(value)
    if not value:
        raise PydanticCustomError(
            "growth",
            "gives no years; write a rate such as 0.02, or rates by financial year such as {2024/25: 3%, 2025/26: 2%}",
        )
    rates: dict[str, Decimal] = {}
    for year, rate in value.items():
        _not_a_number_year(int(year) if isinstance(year, str) and year.isascii() and year.isdigit() else year)
        if not isinstance(year, str) or not is_financial_year(year):
            raise PydanticCustomError(
                "growth", f"'{year}' is not a financial year; give rates by year as {{2024/25: 3%, 2025/26: 2%}}"
            )
        try:
            rates[year] = _growth(rate)
        except PydanticCustomError as exc:
            raise PydanticCustomError("growth", f"{year}: {exc.message()}") from None
    return dict(sorted(rates.items()))


_NUMBER_SCHEMA = {"anyOf": [{"type": "number"}, {"type": "string", "pattern": r"^-?£?[0-9][0-9,]*(\.[0-9]+)?$"}]}

#: Pounds, non-negative, at most two decimal places, exact.
Money = Annotated[
    Decimal,
    BeforeValidator(_money),
    WithJsonSchema({**_NUMBER_SCHEMA, "description": "pounds (GBP), e.g. 1234.56 or '£1,234.56'"}),
]
#: A count or other measured quantity (may be fractional, may be negative).
Quantity = Annotated[Decimal, BeforeValidator(_quantity), WithJsonSchema(_NUMBER_SCHEMA)]
#: A published figure: money or a ratio, signed, limited as money is (a council's NPV can pass a billion).
Result = Annotated[Decimal, BeforeValidator(_result), WithJsonSchema(_NUMBER_SCHEMA)]
#: A multiplier: a number, or a fraction such as 1/12 (exact to 28 digits, where a decimal would be rounded).
Factor = Annotated[
    Decimal,
    BeforeValidator(_factor),
    WithJsonSchema(
        {
            "anyOf": [
                _NUMBER_SCHEMA["anyOf"][0],
                _NUMBER_SCHEMA["anyOf"][1],
                {"type": "string", "pattern": r"^ *[0-9]+(\.[0-9]+)? */ *[0-9]+(\.[0-9]+)? *$"},
            ]
        }
    ),
]
#: A number of people or cases: like Quantity, but never negative.
Count = Annotated[
    Decimal,
    BeforeValidator(_count),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^[0-9][0-9,]*(\.[0-9]+)?$"}]}
    ),
]
#: A share from 0 to 1, e.g. deadweight 0.2 or '20%'.
Fraction = Annotated[
    Decimal,
    BeforeValidator(_fraction),
    WithJsonSchema(
        {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string", "pattern": r"^[0-9.]+ ?%$"}]}
    ),
]
_RATE_SCHEMA = {
    "anyOf": [{"type": "number", "minimum": -0.5, "maximum": 0.5}, {"type": "string", "pattern": r"^-?[0-9.]+ ?%$"}]
}
#: Real price growth: one rate a year, or rates by financial year, each year after the last listed taking its rate.
GrowthSchedule = Annotated[
    Decimal | dict[str, Decimal],
    BeforeValidator(_growth_schedule),
    WithJsonSchema(
        {
            "anyOf": [
                *_RATE_SCHEMA["anyOf"],
                {
                    "type": "object",
                    "minProperties": 1,
                    "patternProperties": {r"^[0-9]{4}/[0-9]{2}$": _RATE_SCHEMA},
                    "additionalProperties": False,
                    "description": "rates by financial year; a year after the last listed takes the last rate",
                },
            ]
        }
    ),
]
#: A UK financial year, April to March, written 2016/17.
FinancialYear = Annotated[
    str,
    BeforeValidator(_not_a_number_year),
    AfterValidator(_financial_year),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]{4}/[0-9]{2}$", "examples": ["2016/17"]}),
]


def _price_base(value: str) -> str:
    return value if value == "not stated" else _financial_year(value)


#: The scenario's price base: a financial year, or 'not stated' when the source never says (one type, not a
#: union, so a wrong value gets the financial year's own message rather than one per alternative).
PriceBase = Annotated[
    str,
    BeforeValidator(_not_a_number_year),
    AfterValidator(_price_base),
    WithJsonSchema(
        {
            "anyOf": [{"type": "string", "pattern": r"^[0-9]{4}/[0-9]{2}$"}, {"const": "not stated"}],
            "examples": ["2016/17", "not stated"],
        }
    ),
]
#: An appraisal period: a financial year (2024/25), a quarter of one (2024/25 Q1) or a month (2024-04).
Period = Annotated[
    str,
    AfterValidator(_period),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([0-9]{4}(/[0-9]{2}( Q[1-4])?|-(0[1-9]|1[0-2]))|Year [1-9][0-9]{0,2})$",
            "examples": ["2024/25", "2024/25 Q1", "2024-04", "Year 1"],
        }
    ),
]
Text = Annotated[str, Field(min_length=1)]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$", max_length=64)]
