"""Rules on savings netted against a cost line (``saving:``): in the scenario's periods, and never more than
the line's own cost in a period (a saving larger than the cost is a benefit, and belongs with the outcomes)."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.periods import not_a_period
from cba.check.problem import Problem
from cba.model.cost_book import CostBook
from cba.model.scenario import Scenario


def saving_period_problems(scenario: Scenario) -> Iterator[Problem]:
    """As written: each period a saving names is one of the scenario's."""
    for i, line in enumerate(scenario.cost_lines):
        if line.saving is None:
            continue
        for measure in ("budget", "actual"):
            for period in getattr(line.saving, measure):
                if period not in scenario.periods:
                    yield not_a_period(scenario, ("cost_lines", i, "saving", measure, period), True, period)


def saving_size_problems(scenario: Scenario, costs: CostBook, scenario_name: str) -> Iterator[Problem]:
    """Once every line's amounts are known (units x price, arms, spreads): no saving exceeds its line's cost."""
    for i, line in enumerate(scenario.cost_lines):
        if line.saving is None:
            continue
        for measure in ("budget", "actual"):
            gross = getattr(line, measure)
            for period, amount in getattr(line.saving, measure).items():
                if amount > gross.get(period, 0):
                    yield Problem(
                        ("cost_lines", i, "saving", measure, period),
                        False,
                        f"the saving in {period} (£{amount:,}) is more than the line's {measure} there "
                        f"(£{gross.get(period, 0):,}); a saving larger than the cost is a benefit: give it "
                        "as an outcome",
                    )
