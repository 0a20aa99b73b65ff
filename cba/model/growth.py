"""Real price growth over the GDP deflator (a relative price effect): one rate a year, or rates by financial year.

A price in one year's prices, grown in real terms, is x (1 + r_y) for each financial year y after its price year
up to the year it is spent or saved in (÷ for each year back to a year before its price year). With one rate,
that is (1 + r)^years. With rates by year, each year takes the rate listed for it or, when it is not listed,
the rate of the latest year listed before it ("3% in 2024/25, 2% from 2025/26": every later year 2%). A year
before the first listed has no rate: the rules refuse a schedule that starts after the first year it is needed
for (cba.check.growth), so no year is quietly given 0%.
"""

from __future__ import annotations

from decimal import Decimal

from cba.model.periods import label_at, month_number
from cba.model.record import record

ONE = Decimal(1)


def year_start(financial_year: str) -> int:
    """The calendar year a financial year starts in: 2024 for 2024/25 (and for a calendar year 2024)."""
    return int(financial_year[:4])


def year_name(start: int) -> str:
    """2024/25 for 2024."""
    return label_at("year", 12 * start)


def growth_origin(price_year: str, first: str) -> int:
    """Months from the April of a price year (a financial year, or a calendar year taken at the financial year it
    starts, as the deflator takes it) to the first appraisal period's start: period t is then
    (origin + t x months a period) // 12 whole financial years from the price year."""
    return month_number(first) - 12 * year_start(price_year)


@record
class RealGrowth:
    """Real price growth from a price year: ``rate`` every year, or ``by_year`` (financial year, rate) in order."""

    rate: Decimal | None
    by_year: tuple[tuple[str, Decimal], ...] = ()

    @staticmethod
    def of(written: Decimal | dict[str, Decimal] | None) -> RealGrowth | None:
        """The growth a scenario writes (``real_growth:``), or None where it writes none."""
        if written is None:
            return None
        if isinstance(written, dict):
            return RealGrowth(None, tuple(sorted(written.items())))
        return RealGrowth(written)

    @property
    def first_listed(self) -> int | None:
        """The first financial year (its start) a schedule by year gives a rate for; None for one rate a year."""
        return year_start(self.by_year[0][0]) if self.by_year else None

    def rate_in(self, start: int) -> Decimal:
        """The rate in the financial year starting in April of ``start``."""
        if self.rate is not None:
            return self.rate
        found = None
        for year, rate in self.by_year:
            if year_start(year) > start:
                break
            found = rate
        if found is None:
            raise ValueError(f"real growth by year starts at {self.by_year[0][0]}, after {year_name(start)}")
        return found

    def factor(self, price_year: int, years: int) -> Decimal:
        """The growth over ``years`` whole financial years from the price year (its start), back when negative."""
        if self.rate is not None:
            return (ONE + self.rate) ** years  # as (1 + r)^n always was: the same Decimal, digit for digit
        product = ONE
        for step in range(1, abs(years) + 1):
            # forward: the years after the price year; back: the price year and those before it, down to the year after
            product *= ONE + self.rate_in(price_year + step if years > 0 else price_year + 1 - step)
        return product if years >= 0 else ONE / product

    def needed_from(self, price_year: int, first_years: int) -> int:
        """The first financial year whose rate a growth from ``price_year`` needs, when the first year grown is
        ``first_years`` years from it: the year after the price year, or earlier when the appraisal starts
        before the price year."""
        return price_year + min(1, first_years + 1)

    def describe(self) -> str:
        """In words, for every face: '2% a year', or '3% in 2024/25, 2% from 2025/26' (2% in each later year too)."""
        if self.rate is not None:
            return f"{_percent(self.rate)} a year"
        parts = [f"{_percent(r)} in {y}" for y, r in self.by_year[:-1]]
        last_year, last = self.by_year[-1]
        parts.append(f"{_percent(last)} from {last_year}")
        return ", ".join(parts)


def _percent(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
