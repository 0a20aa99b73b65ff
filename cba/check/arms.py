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
    """Each arm has participants: results per participant divide by them. A comparison mean needs the comparison
    arm it comes from: a single-arm study's means are each a change per participant."""
    if scenario.arms is None:
        return
    for name in ("programme", "comparison"):
        arm = getattr(scenario.arms, name)
        if arm is not None and arm.n == 0:
            yield Problem(("arms", name, "n"), False, "an arm needs participants: n must be more than 0")
    if scenario.arms.comparison is not None:
        return
    single = (
        "the scenario's arms have no comparison arm (a single-arm study, whose means are each a change per "
        "participant): remove this comparison mean, or add arms: comparison: {label: ...}"
    )
    for i, line in enumerate(scenario.cost_lines):
        if line.arms is not None and line.arms.comparison is not None:
            yield Problem(("cost_lines", i, "arms", "comparison"), True, single)
    for i, outcome in enumerate(scenario.outcomes):
        if outcome.arms is not None and outcome.arms.comparison is not None:
            yield Problem(("outcomes", i, "arms", "comparison"), True, single)


def counterfactual_problems(scenario: Scenario) -> Iterator[Problem]:
    """An outcome measured against a comparison arm already has its counterfactual: deadweight on top counts it
    twice (Green Book), unless the scenario says why it applies."""
    for i, o in enumerate(scenario.outcomes):
        if o.arms is not None and o.deadweight > 0 and o.deadweight_reason is None:
            yield Problem(
                ("outcomes", i, "deadweight"),
                False,
                f"outcome '{o.id}' is measured against a comparison arm, which already is the counterfactual: "
                "deadweight on top counts it twice; remove it, or say why it applies with deadweight_reason:",
            )
