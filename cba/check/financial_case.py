"""Rules on the financial case's inputs: the budget envelope and the deflator's forecast growth."""

from __future__ import annotations

from collections.abc import Iterator

from cba.check.periods import later_period_problems
from cba.check.problem import Problem
from cba.model.scenario import Scenario


def financial_case_problems(scenario: Scenario) -> Iterator[Problem]:
    """An envelope's periods are the scenario's kind, from its first; it is a public budget holder's; a deflator
    forecast needs a run in real terms (otherwise no cash figure is inflated from the price base)."""
    envelope = scenario.budget_envelope
    if envelope is not None:
        for period in envelope.amounts:
            for message in later_period_problems(period, scenario.periods[0]):
                yield Problem(("budget_envelope", "amounts", period), True, message)
        if envelope.holder is not None and envelope.holder in scenario.parties:
            yield Problem(
                ("budget_envelope", "holder"),
                False,
                f"'{envelope.holder}' is a party outside the public sector (parties:); the financial case is the "
                "public budget holders' cash: name an agency",
            )
    if scenario.deflator_forecast is not None and not scenario.in_real_terms:
        yield Problem(
            ("deflator_forecast",),
            True,
            "a deflator forecast inflates real-terms figures to cash, but this scenario is not in real terms "
            "(real_terms: false, no price base, or years of the programme): remove it",
        )
