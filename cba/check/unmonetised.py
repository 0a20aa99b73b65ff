"""Rules on the impacts not valued in money."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.problem import Problem
from cba.model.scenario import Scenario


def unmonetised_problems(scenario: Scenario) -> Iterator[Problem]:
    """Each impact is listed once: a second entry would be counted twice in the conclusion's tally."""
    seen: dict[str, int] = {}
    for i, item in enumerate(scenario.unmonetised):
        key = " ".join(item.impact.casefold().split())
        if key in seen:
            yield Problem(
                ("unmonetised", i, "impact"),
                False,
                f"'{item.impact}' is listed already (unmonetised item {seen[key] + 1}); list each impact once",
            )
        else:
            seen[key] = i
