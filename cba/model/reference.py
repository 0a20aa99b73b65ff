"""Reference series the appraisal uses: GDP deflator, discount schedule, optimism-bias grades."""

from __future__ import annotations

from dataclasses import field
from decimal import Decimal

from cba.model.errors import Diagnostic, InputError
from cba.model.record import record
from cba.model.source import Source


@record
class Deflator:
    """Index by year: keys are calendar years ('2019') or financial years ('2019/20')."""

    source: Source
    index: dict[str, Decimal]
    #: years whose index smoothing replaced: year -> (as published, as used)
    replaced: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)

    def smoothed(self) -> Deflator:
        """The series with the pandemic distortion averaged out: measured government output pushed the
        deflator's growth up in 2020 (2020/21) and back down in 2021 (2021/22), so each of the two years takes
        their average growth. The middle index becomes the geometric mean of its neighbours; the two-year
        change, and every other year, is as published."""
        index, replaced = dict(self.index), {}
        for before, middle, after in (("2019/20", "2020/21", "2021/22"), ("2019", "2020", "2021")):
            if all(year in index for year in (before, middle, after)):
                used = (index[before] * index[after]).sqrt()
                replaced[middle] = (index[middle], used)
                index[middle] = used
        return Deflator(self.source, index, replaced)

    def key_for(self, year: str) -> str | None:
        """The series key used for a price year, or None if the series lacks it.

        A financial year is looked up as itself, else at its first calendar year
        (which holds nine of its twelve months); a calendar year as itself.
        """
        if year in self.index:
            return year
        if "/" in year and year[:4] in self.index:
            return year[:4]
        return None

    def indices(self, price_year: str, base: str) -> tuple[Decimal, Decimal]:
        """(index at the base, index at the price year): value x base / year brings a cost to base prices."""
        return self.index[self.key_for(base)], self.index[self.key_for(price_year)]  # type: ignore[index]

    def factor(self, price_year: str, base: str) -> Decimal:
        """value x factor brings a cost from price_year prices to base prices."""
        at_base, at_year = self.indices(price_year, base)
        return at_base / at_year


@record
class DiscountSchedule:
    source: Source
    bands: list[tuple[int, int, Decimal, Decimal]]  # year_from, year_to, standard, health

    def rate(self, year: int, column: str = "standard") -> Decimal:
        for year_from, year_to, standard, health in self.bands:
            if year_from <= year <= year_to:
                return standard if column == "standard" else health
        raise InputError([Diagnostic(self.source.name, 1, 1, f"no discount rate for year {year}")])


@record
class Grades:
    source: Source
    percent: dict[int, Decimal]


@record
class ReferenceData:
    deflator: Deflator
    schedule: DiscountSchedule
    grades: Grades

    @property
    def sources(self) -> list[Source]:
        return [self.deflator.source, self.schedule.source, self.grades.source]
