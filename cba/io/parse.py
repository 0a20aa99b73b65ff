"""A scenario's text as the model: YAML with positions, laid over any base it ``extends``, validated.

A file that does not fit the model raises with every problem in it, positioned, and with its unit-cost
references checked too: a typo in a count does not hide one in an id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cba.io.extends import extended
from cba.io.positions import Positions
from cba.io.resolve import load_cost_book
from cba.io.scenario_shape import scenario_data
from cba.io.validation import diagnostics
from cba.io.yamlsafe import build_data, compose_tree, load_yaml
from cba.model.cost_book import CostRefError
from cba.model.errors import Diagnostic, InputError
from cba.model.scenario import CostLine, Scenario
from cba.model.source import Source


def parse_scenario(source: Source, unit_costs: Path | None = None) -> tuple[Scenario, Positions, list[Source]]:
    """The scenario a file holds, where each of its paths was written, and the bases it extends."""
    data = scenario_data(load_yaml(source.text, source.name), source.name)
    bases: list[Source] = []
    if "extends" in data:
        root, bases, origins = extended(data, compose_tree(source.text), source)
        data = build_data(root, source.name)
        position = Positions(root, source.name, origins)
    else:
        position = Positions(source.text, source.name)  # composed only if a problem must be placed
    _validate_lines_as_read(data)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = diagnostics(exc, source.name, position, model=Scenario)
        raise InputError(problems + _raw_reference_problems(data, source, unit_costs, position)) from None
    return scenario, position, bases


def _validate_lines_as_read(data: dict[str, Any]) -> None:
    """Each cost line made a model in turn, its plain dict dropped as soon as the model is made.

    Validating the whole scenario at once holds every line twice at its peak, as plain data and as models (at
    10,000 lines, a fifth of a run's memory). A line that does not validate stops this: the scenario's own
    validation then reports it, and every other problem, where it was written. A model in the list is taken
    as it is (pydantic does not validate an instance again)."""
    lines = data.get("cost_lines")
    if not isinstance(lines, list):
        return
    for i, item in enumerate(lines):
        try:
            lines[i] = CostLine.model_validate(item)
        except ValidationError:
            return


def _raw_reference_problems(
    data: dict[str, Any], source: Source, override: Path | None, position: Positions
) -> list[Diagnostic]:
    """Unknown unit-cost ids in a scenario that failed validation, read from its raw outcomes."""
    from pydantic import TypeAdapter  # only for a file that failed

    try:
        field: Any = Scenario.model_fields["unit_costs"].annotation
        tables = TypeAdapter[Any](field).validate_python(data.get("unit_costs"))
        holder = Scenario.model_construct(unit_costs=tables)  # type: ignore[call-arg]  # only the tables are read
        costs = load_cost_book(holder, source.path, override, position)
    except (ValidationError, InputError, OSError):
        return []  # the table itself is reported once the scenario validates
    found = []
    outcomes = data.get("outcomes")
    for i, outcome in enumerate(outcomes if isinstance(outcomes, list) else []):
        ref = outcome.get("unit_cost") if isinstance(outcome, dict) else None
        if isinstance(ref, str):
            try:
                costs.resolve(ref)
            except CostRefError as exc:
                found.append(position.at(("outcomes", i, "unit_cost"), False, str(exc)))
    return found
