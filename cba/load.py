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
from .reference_data import (
    DEFAULT_DEFLATOR,
    DEFAULT_GRADES,
    DEFAULT_SCHEDULE,
    ReferenceData,
    load_deflator,
    load_grades,
    load_schedule,
)
from .scenario import AppraisalSettings, Distribution, NetPositionBasis, Outcome, Scenario, Timing, field_names
from .unit_costs import KNOWN_AGENCIES, UnitCostTable, load_table, price_year_start
from .validation import diagnostics, suggest
from .yamlsafe import load_yaml, locate, locate_key

#: The table shipped with cba, used when neither the scenario nor --unit-costs names one.
BUNDLED_UNIT_COSTS = Path(__file__).resolve().parent.parent / "unit_costs" / "children-social-care.csv"


@dataclass(frozen=True)
class Loaded:
    scenario: Scenario
    source: Source
    table: UnitCostTable
    reference: ReferenceData | None = None

    @property
    def sources(self) -> list[Source]:
        """Every input file that produced the result, for provenance."""
        return [self.source, self.table.source] + (self.reference.sources if self.reference else [])


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
    first = int(periods[0][:4])
    for i, outcome in enumerate(scenario.outcomes):
        if outcome.id in seen_outcomes:
            found.append((("outcomes", i, "id"), False, f"outcome id '{outcome.id}' is used twice"))
        seen_outcomes.add(outcome.id)
        found += [(("outcomes", i) + loc, key, message) for loc, key, message in _outcome_problems(outcome, first)]
    found += _settings_problems(scenario)
    for loc, agency in [(("cost_agency",), scenario.cost_agency)] + [
            (("cost_lines", i, "agency"), line.agency) for i, line in enumerate(scenario.cost_lines) if line.agency]:
        if agency not in KNOWN_AGENCIES:
            found.append((loc, False, f"unknown agency '{agency}'{suggest(agency, KNOWN_AGENCIES)}; "
                                      f"use one of: {', '.join(KNOWN_AGENCIES)}"))
    if scenario.net_position_basis is NetPositionBasis.funding and not scenario.funding:
        found.append((("net_position_basis",), False,
                      "net_position_basis is 'funding' but no funding is listed; add funding or use 'actual' or 'budget'"))
    return found


def _outcome_problems(outcome: Outcome, first_year: int) -> list[tuple[tuple[Any, ...], bool, str]]:
    found: list[tuple[tuple[Any, ...], bool, str]] = []
    measured = outcome.baseline is not None or outcome.follow_up is not None
    sources = [name for name, given in (("baseline/follow_up", measured), ("cohort", outcome.cohort is not None),
                                        ("volumes", outcome.volumes is not None)) if given]
    if len(sources) != 1:
        found.append(((), False, "give the volume one way: baseline and follow_up, or cohort, or volumes by year"
                      + (f" (got {' and '.join(sources)})" if sources else "")))
    if measured and (outcome.baseline is None or outcome.follow_up is None):
        missing = "follow_up" if outcome.follow_up is None else "baseline"
        found.append(((), False, f"baseline and follow_up go together: add {missing}"))
    if outcome.volumes is not None:
        if outcome.timing != Timing():
            found.append((("timing",), False, "volumes by year already say when the benefit falls; remove timing"))
        for period in outcome.volumes:
            if int(period[:4]) < first_year:
                found.append((("volumes", period), True, f"period {period} is before the first appraisal period"))
    bias = outcome.optimism_bias
    if bias is not None and (bias.grade is None) == (bias.percent is None):
        found.append((("optimism_bias",), False, "give either grade or percent"))
    return found


def _settings_problems(scenario: Scenario) -> list[tuple[tuple[Any, ...], bool, str]]:
    settings = scenario.appraisal
    if settings is None or settings.cost_optimism_bias is None:
        return []
    bias = settings.cost_optimism_bias
    if (bias.grade is None) == (bias.percent is None):
        return [(("appraisal", "cost_optimism_bias"), False, "give either grade or percent")]
    return []


def needs_reference(scenario: Scenario) -> bool:
    """Whether the appraisal uses the deflator, discount schedule or grade table."""
    return scenario.appraisal is not None or any(o.optimism_bias is not None for o in scenario.outcomes)


def load_reference(scenario: Scenario, scenario_path: Path, position) -> ReferenceData:
    """The reference series the scenario names (relative to it), or the bundled ones."""
    settings = scenario.appraisal or AppraisalSettings()

    def path(given: str | None, default: Path, key: str) -> Path:
        if given is None:
            return Path(os.path.relpath(default)) if default.is_relative_to(Path.cwd()) else default
        resolved = Path(os.path.normpath(scenario_path.parent / given))
        if not resolved.exists():
            line, column = position(("appraisal", key), False)
            raise InputError([Diagnostic(str(scenario_path), line, column, f"{key} file {given} not found (looked for {resolved})")])
        return resolved

    return ReferenceData(
        load_deflator(path(settings.deflator, DEFAULT_DEFLATOR, "deflator")),
        load_schedule(path(settings.discount_schedule, DEFAULT_SCHEDULE, "discount_schedule")),
        load_grades(path(settings.optimism_bias_grades, DEFAULT_GRADES, "optimism_bias_grades")),
    )


def reference_problems(scenario: Scenario, table: UnitCostTable, reference: ReferenceData, scenario_name: str) -> list[Diagnostic]:
    """Grades the table lacks, and deflator years missing for uprating: errors, never guesses."""
    found = []
    grades = reference.grades
    wanted = [o.optimism_bias.grade for o in scenario.outcomes if o.optimism_bias and o.optimism_bias.grade]
    settings = scenario.appraisal
    if settings and settings.cost_optimism_bias and settings.cost_optimism_bias.grade:
        wanted.append(settings.cost_optimism_bias.grade)
    if settings and settings.benefit_optimism_bias == "by_confidence":
        wanted += [table.entries[o.unit_cost].confidence for o in scenario.outcomes if o.unit_cost]
    for grade in sorted(set(wanted) - set(grades.percent)):
        found.append(Diagnostic(grades.source.name, 1, 1, f"no optimism-bias percentage for grade {grade}"))
    if settings and settings.uprate:
        deflator = reference.deflator
        if deflator.key_for(scenario.price_base) is None:
            found.append(Diagnostic(deflator.source.name, 1, 1,
                                    f"no deflator value for the price base {scenario.price_base} of {scenario_name}"))
        for o in scenario.outcomes:
            entry = table.entries.get(o.unit_cost) if o.unit_cost else None
            if entry and entry.price_year != "not stated" and deflator.key_for(entry.price_year) is None:
                found.append(Diagnostic(
                    table.source.name, table.lines[entry.id], table.column(entry.id, "price_year"),
                    f"price year {entry.price_year} of '{entry.id}' is not in the deflator series {deflator.source.name}; "
                    "add it or supply another series",
                ))
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


def distribution_problems(d: Distribution, bounded: bool) -> list[tuple[tuple[Any, ...], str]]:
    """A distribution's parameters: present, ordered, and within 0-1 for adjustments (bounded)."""
    found: list[tuple[tuple[Any, ...], str]] = []
    needs = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("mean", "sd")}[d.distribution]
    if bounded and d.distribution == "normal":
        needs += ("low", "high")
    for name in needs:
        if getattr(d, name) is None:
            found.append(((), f"a {d.distribution} distribution needs {', '.join(needs)}; {name} is missing"))
    if found:
        return found
    if d.low is not None and d.high is not None and d.low > d.high:
        found.append((("low",), f"low ({d.low}) is above high ({d.high})"))
    if d.distribution == "triangular" and not (d.low <= d.mode <= d.high):  # type: ignore[operator]
        found.append((("mode",), f"mode ({d.mode}) must lie between low and high"))
    if d.distribution == "normal" and d.sd <= 0:  # type: ignore[operator]
        found.append((("sd",), "sd must be positive"))
    if bounded and any(v is not None and not 0 <= v <= 1 for v in (d.low, d.high, d.mode)):
        found.append(((), "an adjustment's range must lie within 0 and 1"))
    return found


def uncertainty_problems(scenario: Scenario, table: UnitCostTable) -> list[tuple[tuple[Any, ...], str]]:
    spec = scenario.uncertainty
    if spec is None:
        return []
    found = []
    used = {o.unit_cost for o in scenario.outcomes if o.unit_cost}
    for cost_id, d in spec.unit_costs.items():
        loc = ("uncertainty", "unit_costs", cost_id)
        if cost_id not in used:
            found.append((loc, f"unit cost '{cost_id}' is not used by any outcome{suggest(cost_id, used)}"))
        found += [(loc + sub, message) for sub, message in distribution_problems(d, bounded=False)]
    outcomes = {o.id: o for o in scenario.outcomes}
    for outcome_id, ranges in spec.outcomes.items():
        loc = ("uncertainty", "outcomes", outcome_id)
        outcome = outcomes.get(outcome_id)
        if outcome is None:
            found.append((loc, f"no outcome '{outcome_id}'{suggest(outcome_id, outcomes)}"))
            continue
        if ranges.change is not None and (outcome.baseline is None or outcome.follow_up is None):
            found.append((loc + ("change",), "a range on the change needs an outcome given by baseline and follow_up"))
        for name in ("change", "deadweight", "attribution", "displacement"):
            d = getattr(ranges, name)
            if d is not None:
                found += [(loc + (name,) + sub, message) for sub, message in distribution_problems(d, bounded=name != "change")]
    return found


def price_year_problems(scenario: Scenario, table: UnitCostTable, scenario_name: str) -> list[Diagnostic]:
    """Unit costs priced after the scenario's price base, when no deflator is in use to bring them back."""
    if scenario.appraisal is not None and scenario.appraisal.uprate:
        return []  # the deflator handles any year it holds (checked in reference_problems)
    base = int(scenario.price_base[:4])
    found = []
    for outcome in scenario.outcomes:
        entry = table.get(outcome.unit_cost) if outcome.unit_cost else None
        start = price_year_start(entry.price_year) if entry else None
        if entry and start is not None and start > base:
            found.append(Diagnostic(
                table.source.name, table.lines[entry.id], table.column(entry.id, "price_year"),
                f"price year {entry.price_year} of '{entry.id}' is later than the price base {scenario.price_base} "
                f"of {scenario_name}; give a cost at or before the price base, or set appraisal: {{uprate: true}} to deflate it",
            ))
    return found


GREEN_BOOK = {"discounting": "green_book", "uprate": True}


def load(path: Path, unit_costs: Path | None = None, *, green_book: bool = False) -> Loaded:
    """Read, validate and cross-check a scenario and its unit-cost table (and reference data if used).

    ``green_book`` switches on discounting and uprating, keeping the scenario's other appraisal settings.
    """
    source = read_source(path)
    scenario, root = parse_scenario(source)
    if green_book:
        current = scenario.appraisal.model_dump() if scenario.appraisal else {}
        scenario = scenario.model_copy(update={"appraisal": AppraisalSettings.model_validate({**current, **GREEN_BOOK})})
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
    problems = [Diagnostic(source.name, *position(loc, False), message)
                for loc, message in unit_cost_problems(scenario, table) + uncertainty_problems(scenario, table)]
    problems += price_year_problems(scenario, table, source.name)
    if problems:
        raise InputError(problems)
    reference = None
    if needs_reference(scenario):
        reference = load_reference(scenario, path, position)
        problems = reference_problems(scenario, table, reference, source.name)
        if problems:
            raise InputError(problems)
    return Loaded(scenario, source, table, reference)


def with_overrides(loaded: Loaded, sets: list[str], scenario_path: Path) -> Loaded:
    """The loaded scenario with ``--set KEY=VALUE`` overrides applied and re-validated.

    Raises ``whatif.AskError`` (command-line misuse) for a bad key or value.
    """
    if not sets:
        return loaded
    from .whatif import AskError, apply_sets

    data = apply_sets(loaded.scenario.model_dump(mode="python", exclude_unset=True), sets)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
        raise AskError("--set: " + "; ".join(problems)) from None
    problems = consistency_problems(scenario)
    if problems:
        raise AskError("--set: " + "; ".join(message for _, _, message in problems))
    reference = loaded.reference
    if reference is None and needs_reference(scenario):
        reference = load_reference(scenario, scenario_path, lambda loc, key: (1, 1))
    return Loaded(scenario, loaded.source, loaded.table, reference)
