"""Rules on a programme arm set against a comparison arm (means per participant)."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.problem import Problem
from cba.model.scenario import Scenario

NEEDS_ARMS = (
    "means per participant need the arms they come from: add arms: {programme: {label: ..., n: ...}, "
    "comparison: {label: ..., n: ...}}"
)


def arm_problems(scenario: Scenario) -> Iterator[Problem]:
    """Each arm has participants: results per participant divide by them."""
    if scenario.arms is not None:
        for name in ("programme", "comparison"):
            if getattr(scenario.arms, name).n == 0:
                yield Problem(("arms", name, "n"), False, "an arm needs participants: n must be more than 0")
