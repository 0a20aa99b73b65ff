"""The scenario: what a programme cost, what it was funded with, and what changed.

These models hold a scenario exactly as written; the arithmetic over them lives
in ``appraisal``. Unknown keys are errors everywhere, so a typo never silently
drops a figure.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .types import FinancialYear, Identifier, Money, Quantity, Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CostKind(str, Enum):
    """How a cost line relates to the plan: the sub-totals a finance officer reports."""

    direct = "direct"  # planned programme spend
    unplanned = "unplanned"
    committed = "committed"  # earmarked for a future period, not yet spent
    in_kind = "in_kind"  # contributed resources (staff time, offices)


class NetPositionBasis(str, Enum):
    """Which cost the benefits are set against in the net position."""

    funding = "funding"  # the grant(s) received: what the Dorset report used
    actual = "actual"
    budget = "budget"


class FundingSource(_Strict):
    name: Text
    amount: Money
    funder: str | None = None
    note: str | None = None


class PublishedLineTotals(_Strict):
    """A line's totals as printed in the source document, to reconcile against."""

    budget: Money | None = None
    actual: Money | None = None


class CostLine(_Strict):
    name: Text
    kind: CostKind = CostKind.direct
    category: str | None = None
    budget: dict[FinancialYear, Money] = Field(default_factory=dict, description="budgeted amount by period")
    actual: dict[FinancialYear, Money] = Field(default_factory=dict, description="actual amount by period")
    quantified: bool = Field(True, description="false for costs known to exist but not measured (e.g. in-kind time)")
    published: PublishedLineTotals | None = None
    note: str | None = None


class PublishedTotal(_Strict):
    """A total printed in the source (a sub-total row, a column total) to check."""

    label: Text
    measure: Literal["budget", "actual"]
    kinds: list[CostKind] | None = Field(None, description="cost kinds summed; omit for all kinds")
    period: FinancialYear | None = Field(None, description="one period; omit for all periods")
    value: Money


class Outcome(_Strict):
    """A measured change in demand, priced at a unit cost of that demand.

    A fall from ``baseline`` to ``follow_up`` saves ``(baseline - follow_up) x unit cost``;
    a rise costs the same amount.
    """

    id: Identifier
    measure: Text
    baseline: Quantity
    follow_up: Quantity
    baseline_period: str | None = None
    follow_up_period: str | None = None
    unit_cost: Identifier | None = Field(None, description="id of the unit cost that prices one unit of the measure")
    attributable: bool = Field(False, description="whether the change is attributed to the programme")
    source: str | None = None
    note: str | None = None


class Scenario(_Strict):
    """One programme's costs, funding and outcomes over its appraisal periods."""

    name: Text
    organisation: Text
    currency: Literal["GBP"] = "GBP"
    price_base: FinancialYear
    periods: list[FinancialYear] = Field(min_length=1)
    description: str | None = None
    source: str | None = None
    unit_costs: str | None = Field(None, description="unit-cost table, relative to this file")
    net_position_basis: NetPositionBasis = NetPositionBasis.funding
    funding: list[FundingSource] = Field(default_factory=list)
    cost_lines: list[CostLine] = Field(min_length=1)
    published_totals: list[PublishedTotal] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)


def field_names() -> set[str]:
    """Every key a scenario may use anywhere, for "did you mean" suggestions."""
    names: set[str] = set()
    for model in (Scenario, FundingSource, PublishedLineTotals, CostLine, PublishedTotal, Outcome):
        names.update(model.model_fields)
    return names

