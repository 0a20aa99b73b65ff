"""Whether a file's data is a scenario at all, before any of its keys is judged."""

from __future__ import annotations

from cba.model.errors import Diagnostic, InputError
from cba.model.scenario import Scenario

NOT_A_SCENARIO = "expected a mapping of scenario keys (name, periods, cost_lines, ...)"


def scenario_data(data: object, name: str) -> dict:
    """The data of a file that is a scenario at all; otherwise one line naming the file and nothing of it.

    A file with none of the scenario's keys is not a scenario with mistakes: listing its keys as unknown
    would echo a foreign file line by line (``extends: /etc/shadow`` printed every password hash).
    """
    if not isinstance(data, dict):
        raise InputError([Diagnostic(name, 1, 1, NOT_A_SCENARIO)])
    if not any(isinstance(key, str) and key in Scenario.model_fields for key in data):
        raise InputError(
            [Diagnostic(name, 1, 1, f"not a cba scenario: none of its keys is a scenario key; {NOT_A_SCENARIO}")]
        )
    return data
