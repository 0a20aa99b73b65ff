"""Load a scenario and its unit-cost table, checking everything before any figure is computed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import Node

from .errors import Diagnostic, InputError
from .files import Source, read_source
from .scenario import NetPositionBasis, Scenario, field_names
from .unit_costs import UnitCostTable, load_table, price_year_start
from .validation import diagnostics, suggest
from .yamlsafe import load_yaml, locate, locate_key

#: The table shipped with cba, used when neither the scenario nor --unit-costs names one.
BUNDLED_UNIT_COSTS = Path(__file__).resolve().parent.parent / "unit_costs" / "children-social-care.csv"


@dataclass(frozen=True)
class Loaded:
    scenario: Scenario
    source: Source
    table: UnitCostTable


def _positioner(root: Node):
    def position(loc: tuple[Any, ...], key: bool) -> tuple[int, int]:
        node = locate_key(root, loc) if key and loc else locate(root, loc)
        return node.start_mark.line + 1, node.start_mark.column + 1

    return position


def parse_scenario(source: Source) -> tuple[Scenario, Node]:
    """Validate a scenario's text; raise InputError with every problem, positioned."""
    data, root = load_yaml(source.text, source.name)
    if not isinstance(data, dict):
        raise InputError([Diagnostic(source.name, 1, 1, "expected a mapping of scenario keys (name, periods, cost_lines, ...)")])
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(diagnostics(exc, source.name, _positioner(root), field_names())) from None
    problems = [
        Diagnostic(source.name, *_positioner(root)(loc, key), message)
        for loc, key, message in consistency_problems(scenario)
    ]
    if problems:
        raise InputError(problems)
    return scenario, root


def consistency_problems(scenario: Scenario) -> list[tuple[tuple[Any, ...], bool, str]]:
    """Problems that no single field shows: periods, duplicates, unquantified amounts.

    Each is (path in the file, whether the path names a key, message).
    """
    found: list[tuple[tuple[Any, ...], bool, str]] = []
    periods = list(scenario.periods)
    known = ", ".join(periods)
    seen_periods: set[str] = set()
    for i, period in enumerate(periods):
        if period in seen_periods:
            found.append((("periods", i), False, f"period {period} is listed twice"))
        seen_periods.add(period)
    starts = [int(p[:4]) for p in periods]
    if starts != sorted(starts):
        found.append((("periods",), False, "periods must be listed in time order"))
    seen_lines: dict[tuple[str, str], int] = {}
    for i, line in enumerate(scenario.cost_lines):
        ident = (line.name, line.kind.value)
        if ident in seen_lines:
            found.append((("cost_lines", i, "name"), False,
                          f"cost line '{line.name}' ({line.kind.value}) appears twice (first is cost_lines[{seen_lines[ident]}])"))
        seen_lines.setdefault(ident, i)
        for measure in ("budget", "actual"):
            for period in getattr(line, measure):
                if period not in seen_periods:
                    found.append((("cost_lines", i, measure, period), True,
                                  f"period {period} is not one of the scenario's periods ({known})"))
        if not line.quantified and (line.budget or line.actual):
            found.append((("cost_lines", i, "quantified"), False,
                          "a line marked quantified: false cannot carry amounts; remove them or the flag"))
    for i, total in enumerate(scenario.published_totals):
        if total.period is not None and total.period not in seen_periods:
            found.append((("published_totals", i, "period"), False,
                          f"period {total.period} is not one of the scenario's periods ({known})"))
    seen_outcomes: set[str] = set()
    for i, outcome in enumerate(scenario.outcomes):
        if outcome.id in seen_outcomes:
            found.append((("outcomes", i, "id"), False, f"outcome id '{outcome.id}' is used twice"))
        seen_outcomes.add(outcome.id)
    if scenario.net_position_basis is NetPositionBasis.funding and not scenario.funding:
        found.append((("net_position_basis",), False,
                      "net_position_basis is 'funding' but no funding is listed; add funding or use 'actual' or 'budget'"))
    return found


def resolve_table_path(scenario: Scenario, scenario_path: Path, override: Path | None) -> Path:
    if override is not None:
        return override
    if scenario.unit_costs:
        return Path(os.path.normpath(scenario_path.parent / scenario.unit_costs))
    return BUNDLED_UNIT_COSTS


def unit_cost_problems(scenario: Scenario, table: UnitCostTable) -> list[tuple[tuple[Any, ...], str]]:
    found = []
    for i, outcome in enumerate(scenario.outcomes):
        if outcome.unit_cost and table.get(outcome.unit_cost) is None:
            found.append((("outcomes", i, "unit_cost"),
                          f"unknown unit cost '{outcome.unit_cost}' in {table.source.name}{table.suggestion(outcome.unit_cost)}"))
    return found


def price_year_problems(scenario: Scenario, table: UnitCostTable, scenario_name: str) -> list[Diagnostic]:
    """Unit costs priced after the scenario's price base: cba has no index to deflate them."""
    base = int(scenario.price_base[:4])
    found = []
    for outcome in scenario.outcomes:
        entry = table.get(outcome.unit_cost) if outcome.unit_cost else None
        start = price_year_start(entry.price_year) if entry else None
        if entry and start is not None and start > base:
            found.append(Diagnostic(
                table.source.name, table.lines[entry.id], table.column(entry.id, "price_year"),
                f"price year {entry.price_year} of '{entry.id}' is later than the price base {scenario.price_base} "
                f"of {scenario_name}; cba has no uprating index to bring it back, so give a cost at or before the price base",
            ))
    return found


def load(path: Path, unit_costs: Path | None = None) -> Loaded:
    """Read, validate and cross-check a scenario and its unit-cost table."""
    source = read_source(path)
    scenario, root = parse_scenario(source)
    position = _positioner(root)
    table_path = resolve_table_path(scenario, path, unit_costs)
    try:
        table = load_table(table_path)
    except InputError as exc:
        if unit_costs is None and scenario.unit_costs and not table_path.exists():
            line, column = position(("unit_costs",), False)
            raise InputError([Diagnostic(source.name, line, column,
                                         f"unit-cost table {scenario.unit_costs} not found (looked for {table_path})")]) from None
        raise exc
    problems = [Diagnostic(source.name, *position(loc, False), message) for loc, message in unit_cost_problems(scenario, table)]
    problems += price_year_problems(scenario, table, source.name)
    if problems:
        raise InputError(problems)
    return Loaded(scenario, source, table)
