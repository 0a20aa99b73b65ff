"""The files a scenario names, found and read: its unit-cost tables (bundled by name, or paths relative
to the scenario) and the reference series its appraisal uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cba.io.files import (
    BUNDLED_PREFIX,
    BUNDLED_TABLES,
    BUNDLED_UNIT_COSTS,
    beside,
    bundled_table,
    looks_like_a_name,
    option_table,
    shipped,
)
from cba.io.positions import Positions
from cba.io.reference_data import (
    BUNDLED_DEFLATORS,
    DEFAULT_DEFLATOR,
    DEFAULT_GRADES,
    DEFAULT_SCHEDULE,
    load_deflator,
    load_grades,
    load_schedule,
)
from cba.io.unit_cost_table import load_table
from cba.model.cost_book import CostBook
from cba.model.errors import InputError, suggest
from cba.model.reference import ReferenceData
from cba.model.scenario import AppraisalSettings, Scenario


def table_path(given: str, scenario_path: Path) -> Path:
    """A table a scenario names: a bundled table by name (``children-social-care``, ``bundled:...``),
    else a path relative to the scenario."""
    return bundled_table(given) or beside(scenario_path, given)


def table_sources(
    scenario: Scenario, scenario_path: Path, override: Path | None
) -> list[tuple[str, Path, list[str], tuple[Any, ...]]]:
    """(name, path, overrides, position in the scenario) for each unit-cost table to load."""
    if override is not None:
        return [(override.stem, option_table(override), [], ())]
    given = scenario.unit_costs
    if given is None:
        return [(BUNDLED_UNIT_COSTS.stem, shipped(BUNDLED_UNIT_COSTS), [], ())]
    if isinstance(given, str):
        return [
            (
                Path(given.removeprefix(BUNDLED_PREFIX)).stem,
                shipped(table_path(given, scenario_path)),
                [],
                ("unit_costs",),
            )
        ]
    return [
        (t.name, shipped(table_path(t.path, scenario_path)), list(t.overrides), ("unit_costs", i, "path"))
        for i, t in enumerate(given)
    ]


def load_cost_book(scenario: Scenario, scenario_path: Path, override: Path | None, position: Positions) -> CostBook:
    """Every unit-cost table the scenario names (or the one ``--unit-costs`` gives), read and checked."""
    tables, problems = [], []
    names = set()
    for name, path, _, loc in table_sources(scenario, scenario_path, override):
        if name in names:
            problems.append(position.at(loc, False, f"two unit-cost tables are named '{name}'"))
            continue
        names.add(name)
        if loc and not path.exists():
            given = scenario.unit_costs if isinstance(scenario.unit_costs, str) else scenario.unit_costs[loc[1]].path  # type: ignore[index]
            if looks_like_a_name(given):
                message = (
                    f"no bundled unit-cost table named '{given}'{suggest(given.removeprefix(BUNDLED_PREFIX), BUNDLED_TABLES)}"
                    f"; bundled tables: {', '.join(BUNDLED_TABLES)} (or give a path to a CSV file)"
                )
            else:
                message = f"unit-cost table {given} not found (looked for {path})"
            problems.append(position.at(loc, False, message))
            continue
        try:
            tables.append((name, load_table(path)))
        except InputError as exc:
            problems += exc.diagnostics
    if problems:
        raise InputError(problems)
    overrides = {name: set(over) for name, _, over, _ in table_sources(scenario, scenario_path, override)}
    for i, (name, over) in enumerate(overrides.items()):
        for other in over - names:
            problems.append(
                position.at(
                    ("unit_costs", i, "overrides"),
                    False,
                    f"table '{name}' overrides '{other}', which is not one of the tables{suggest(other, names)}",
                )
            )
    if problems:
        raise InputError(problems)
    return CostBook(tables, overrides)


def load_reference(scenario: Scenario, scenario_path: Path, position: Positions) -> ReferenceData:
    """The reference series the scenario names (relative to it), or the bundled ones."""
    settings = scenario.appraisal or AppraisalSettings()

    def path(given: str | None, default: Path, key: str) -> Path:
        if given is None:
            return shipped(default)
        if key == "deflator" and given in BUNDLED_DEFLATORS:
            return shipped(BUNDLED_DEFLATORS[given])
        resolved = beside(scenario_path, given)
        if not resolved.exists():
            raise InputError(
                [position.at(("appraisal", key), False, f"{key} file {given} not found (looked for {resolved})")]
            )
        return resolved

    return ReferenceData(
        load_deflator(path(settings.deflator, DEFAULT_DEFLATOR, "deflator")),
        load_schedule(path(settings.discount_schedule, DEFAULT_SCHEDULE, "discount_schedule")),
        load_grades(path(settings.optimism_bias_grades, DEFAULT_GRADES, "optimism_bias_grades")),
    )
