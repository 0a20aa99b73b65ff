"""Rules on outcomes: each named once, its volume and its value each given one way."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.arms import NEEDS_ARMS
from cba.check.periods import later_period_problems
from cba.check.problem import Problem
from cba.check.spreads import profile_problems
from cba.model.scenario import Outcome, Scenario, Timing


def outcome_problems(scenario: Scenario) -> Iterator[Problem]:
    """Each outcome's id once, each outcome sound on its own, and arms where its means need them."""
    seen: set[str] = set()
    first = scenario.periods[0]
    for i, outcome in enumerate(scenario.outcomes):
        if outcome.id in seen:
            yield Problem(("outcomes", i, "id"), False, f"outcome id '{outcome.id}' is used twice")
        seen.add(outcome.id)
        yield from (p.under("outcomes", i) for p in one_outcome_problems(outcome, first))
        if outcome.arms is not None and scenario.arms is None:
            yield Problem(("outcomes", i, "arms"), True, NEEDS_ARMS)
        named: set[str] = set()
        for k, part in enumerate(outcome.values or ()):
            if part.id is None:
                continue
            if part.id in named:
                yield Problem(("outcomes", i, "values", k, "id"), False, f"value id '{part.id}' is used twice")
            named.add(part.id)
    if scenario.remove is not None:  # extends consumes it: left in the data, there is nothing to remove from
        yield Problem(("remove",), True, "remove works with extends: it leaves out items of the scenario extended")


def one_outcome_problems(outcome: Outcome, first: str) -> Iterator[Problem]:
    """One outcome, its paths from the outcome itself: volume, timing, value and cashability."""
    measured = outcome.baseline is not None or outcome.follow_up is not None
    sources = [
        name
        for name, given in (
            ("baseline/follow_up", measured),
            ("cohort", outcome.cohort is not None),
            ("volumes", outcome.volumes is not None),
            ("volume_spread", outcome.volume_spread is not None),
            ("amounts", outcome.amounts is not None),
            ("arms", outcome.arms is not None),
        )
        if given
    ]
    if len(sources) != 1:
        yield Problem(
            (),
            False,
            "give the volume one way: baseline and follow_up, or cohort, or volumes by year, or volume_spread, "
            "or amounts, "
            "or arms" + (f" (got {' and '.join(sources)})" if sources else ""),
        )
    if measured and (outcome.baseline is None or outcome.follow_up is None):
        missing = "follow_up" if outcome.follow_up is None else "baseline"
        yield Problem((), False, f"baseline and follow_up go together: add {missing}")
    yield from money_by_period_problems(outcome, first)
    if outcome.volumes is not None or outcome.volume_spread is not None:
        if outcome.timing != Timing():
            given = "volumes by year already say" if outcome.volumes is not None else "a volume spread already says"
            yield Problem(("timing",), False, f"{given} when the benefit falls; remove timing")
        for period in outcome.volumes or {}:
            yield from (Problem(("volumes", period), True, m) for m in later_period_problems(period, first))
    if outcome.cohort is not None:
        if (outcome.cohort.size is None) == (outcome.cohort.intake is None):
            yield Problem(("cohort",), False, "give the cohort one way: size (everyone reached) or intake (by period)")
        for period in outcome.cohort.intake or {}:
            yield from (Problem(("cohort", "intake", period), True, m) for m in later_period_problems(period, first))
    if outcome.cashable is not None and outcome.value is not None and outcome.value.value_type != "fiscal":
        yield Problem(
            ("cashable",),
            True,
            f"only a fiscal saving can be cashable; this outcome's value is {outcome.value.value_type}",
        )
    yield from _spread_problems(outcome)
    bias = outcome.optimism_bias
    if bias is not None and (bias.grade is None) == (bias.percent is None):
        yield Problem(("optimism_bias",), False, "give either grade or percent")
    if outcome.value is not None and outcome.unit_cost is not None:
        yield Problem(
            ("value",),
            False,
            "give the value of one unit one way: unit_cost (a table's entry) or value (written here), not both",
        )
    if outcome.values is not None:
        yield from _values_problems(outcome)


def _spread_problems(outcome: Outcome) -> Iterator[Problem]:
    spread = outcome.timing.spread
    if spread is None:
        return
    if outcome.timing.duration != 1 or outcome.timing.drop_off != 0:
        yield Problem(
            ("timing", "spread"), True, "spread says how the value falls over its years; remove duration and drop_off"
        )
    yield from profile_problems(("timing", "spread"), spread.years, spread.profile)


def _values_problems(outcome: Outcome) -> Iterator[Problem]:
    values = outcome.values or []
    if outcome.value is not None or outcome.unit_cost is not None:
        yield Problem(
            ("values",),
            True,
            "values lists every value of one unit; move the outcome's own "
            f"{'unit_cost' if outcome.unit_cost else 'value'} into the list",
        )
    for k, part in enumerate(values):
        if (part.unit_cost is None) == (part.value is None):
            yield Problem(
                ("values", k),
                False,
                "give each value one way: unit_cost (a table's entry) or value (written here with its source)",
            )
        if part.share == 0:
            yield Problem(
                ("values", k, "share"),
                False,
                "a share of 0 counts nothing; give a share above 0 (up to 1) or remove the value",
            )
    if outcome.cashable is not None and all(p.value is not None and p.value.value_type != "fiscal" for p in values):
        yield Problem(
            ("cashable",), True, "only a fiscal saving can be cashable; none of this outcome's values is fiscal"
        )


def money_by_period_problems(outcome: Outcome, first: str) -> Iterator[Problem]:
    """``amounts``: the benefit already in pounds by period, its provenance in ``value:`` (which then has no
    amount of its own); elsewhere a written value needs its amount."""
    if outcome.amounts is not None:
        if outcome.value is None:
            yield Problem(
                ("amounts",),
                True,
                "amounts in pounds need value: with their price_year, agency, value_type and source "
                "(and no amount: the amounts are the money)",
            )
        elif outcome.value.amount is not None:
            yield Problem(
                ("value", "amount"), False, "with amounts, the value has no amount: the amounts are the money"
            )
        if outcome.timing.model_fields_set:
            yield Problem(("timing",), False, "amounts by year already say when the benefit falls; remove timing")
        for period in outcome.amounts:
            yield from (Problem(("amounts", period), True, m) for m in later_period_problems(period, first))
        return
    if outcome.value is not None and outcome.value.amount is None and outcome.arms is None:
        yield Problem(
            ("value",),
            False,
            "give the value's amount (the value of one unit, in pounds); leave it out only when the outcome is "
            "already money: amounts: by period, or arms: means in pounds",
        )
    for k, part in enumerate(outcome.values or ()):
        if part.value is not None and part.value.amount is None:
            yield Problem(("values", k, "value"), False, "give the value's amount (the value of one unit, in pounds)")


def evidence_problems(scenario: Scenario) -> Iterator[Problem]:
    """Evidence grades give an outcome's optimism bias, so an outcome gives one or the other; and grades something."""
    for i, o in enumerate(scenario.outcomes):
        if o.evidence is None:
            continue
        if o.optimism_bias is not None:
            yield Problem(
                ("outcomes", i, "evidence"),
                True,
                f"outcome '{o.id}' gives both optimism_bias and evidence; the evidence grades set its optimism bias: "
                "give one",
            )
        if not any((o.evidence.impact, o.evidence.deadweight, o.evidence.cohort)):
            yield Problem(
                ("outcomes", i, "evidence"),
                True,
                "evidence grades nothing: give impact, deadweight or cohort, each 1 (strongest) to 6 (weakest)",
            )
