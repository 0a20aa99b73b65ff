"""Load a scenario and its unit-cost table, checking everything before any figure is computed."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cba.engine.appraisal import deflated_years
from cba.engine.inputs import ADJUSTMENTS, COHORT, TIMING, describe_bounds, input_bounds
from cba.engine.result import InputFile, Provenance
from cba.engine.run import FIGURE_KEYS
from cba.io.files import (
    BUNDLED_PREFIX,
    BUNDLED_TABLES,
    BUNDLED_UNIT_COSTS,
    bundled_table,
    looks_like_a_name,
    option_table,
    read_source,
    shipped,
)
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
from cba.io.validation import diagnostics
from cba.io.yamlsafe import build_data, load_yaml, locate, locate_key
from cba.model.cost_book import CostBook, CostRefError
from cba.model.errors import Diagnostic, InputError, suggest
from cba.model.periods import EXAMPLES, MONTHS, NAMES, financial_year, month_number, period_kind
from cba.model.reference import ReferenceData
from cba.model.scenario import (
    AppraisalSettings,
    CostKind,
    Distribution,
    MoneyValue,
    NetPositionBasis,
    Outcome,
    ReportPer,
    Scenario,
    Timing,
)
from cba.model.source import Source
from cba.model.unit_cost import KNOWN_AGENCIES, UnitCost, price_year_start


@dataclass(frozen=True)
class Loaded:
    scenario: Scenario
    source: Source
    costs: CostBook
    reference: ReferenceData | None = None
    bases: tuple[Source, ...] = ()  # the scenarios this one extends, nearest first

    @property
    def sources(self) -> list[Source]:
        """Every input file that produced the result, for provenance."""
        tables = [s for s in self.costs.sources if s is not self.source]  # values written in the scenario: listed once
        return [self.source, *self.bases, *tables] + (self.reference.sources if self.reference else [])

    def provenance(self, command: str) -> Provenance:
        """Which files (with their hashes) and which command produced a result from this scenario."""
        from cba import __version__

        files = [InputFile("scenario", "scenario", self.source.name, self.source.sha256)]
        files += [InputFile("base scenario", "base scenario", b.name, b.sha256) for b in self.bases]
        files += [InputFile("unit costs", name, t.source.name, t.source.sha256) for name, t in self.costs.tables
                  if t.source is not self.source]  # values written in the scenario: already listed
        if self.reference is not None:
            roles = ("deflator", "discount schedule", "optimism-bias grades")
            files += [InputFile(role, role, s.name, s.sha256) for role, s in zip(roles, self.reference.sources)]
        s = self.scenario
        return Provenance(s.name, s.organisation, s.currency, s.price_base, tuple(s.periods), tuple(files),
                          __version__, command)

    @property
    def unit_costs(self) -> dict[str, UnitCost]:
        """Each unit-cost reference the outcomes use, resolved to its entry (what appraise takes)."""
        return self.costs.entries_for(sorted({ref for o in self.scenario.outcomes for _, ref in o.priced_by()}))


class _Positioner:
    """Where a path of the scenario was written: (line, column), and in which file (``extends``)."""

    def __init__(self, root: Node, name: str, origins: dict[int, str] | None = None):
        self.root, self.name, self.origins = root, name, origins or {}
        self.last: Node = root

    def __call__(self, loc: tuple[Any, ...], key: bool) -> tuple[int, int]:
        node = locate_key(self.root, loc) if key and loc else locate(self.root, loc)
        self.last = node
        return node.start_mark.line + 1, node.start_mark.column + 1

    def file(self, node: Node) -> str:
        return self.origins.get(id(node), self.name)

    def at(self, loc: tuple[Any, ...], key: bool, message: str) -> Diagnostic:
        line, column = self(loc, key)
        return Diagnostic(self.file(self.last), line, column, message)


def _positioner(root: Node, name: str = "", origins: dict[int, str] | None = None) -> _Positioner:
    return _Positioner(root, name, origins)


MAX_EXTENDS = 8


def _extended(data: dict, root: Node, source: Source, chain: tuple[Path, ...] = ()) -> tuple[Node, list[Source], dict[int, str]]:
    """The scenario's node tree laid over the one it ``extends`` (and that one's, in turn), with the files
    read and the file each base node came from. A base must be a valid scenario on its own."""
    from cba.io.yamlsafe import build_data, merge_nodes, walk

    given = data["extends"]
    here = _Positioner(root, source.name)
    chain = chain + (source.path.resolve(),)
    if not isinstance(given, str) or not given.strip():
        raise InputError([here.at(("extends",), False, "extends: give the path of the scenario this one builds on, "
                                                       "relative to this file")])
    path = Path(os.path.normpath(source.path.parent / given))
    if path.resolve() in chain:
        loop = " -> ".join(p.name for p in chain + (path.resolve(),))
        raise InputError([here.at(("extends",), False, f"extends makes a loop ({loop})")])
    if len(chain) > MAX_EXTENDS:
        raise InputError([here.at(("extends",), False, f"extends is nested more than {MAX_EXTENDS} files deep")])
    try:
        base = read_source(path, str(Path(os.path.normpath(Path(source.name).parent / given))))
    except InputError as exc:
        raise InputError([here.at(("extends",), False, f"extends: {d.message}") for d in exc.diagnostics]) from None
    base_data, base_root = load_yaml(base.text, base.name)
    if not isinstance(base_data, dict):
        raise InputError([Diagnostic(base.name, 1, 1, "expected a mapping of scenario keys (name, periods, cost_lines, ...)")])
    sources, origins = [base], {}
    if "extends" in base_data:
        base_root, more, origins = _extended(base_data, base_root, base, chain)
        sources += more
        base_data = build_data(base_root, base.name)
    try:
        Scenario.model_validate(base_data)
    except ValidationError as exc:
        raise InputError(diagnostics(exc, base.name, _Positioner(base_root, base.name, origins), model=Scenario)) from None
    _rebase_paths(base_root, path.parent, source.path.parent)
    for node in walk(base_root):
        origins.setdefault(id(node), base.name)
    child = MappingNode(root.tag, [(k, v) for k, v in root.value if getattr(k, "value", None) != "extends"],
                        root.start_mark, root.end_mark, root.flow_style)
    return merge_nodes(base_root, child), sources, origins


def _rebase_paths(root: Node, base_dir: Path, child_dir: Path) -> None:
    """Make the file paths a base scenario names relative to the scenario that extends it (names of
    bundled tables and series stay as they are)."""
    def rebase(node: Node) -> None:
        if isinstance(node, ScalarNode) and node.value and not looks_like_a_name(node.value) \
                and node.value not in BUNDLED_DEFLATORS and not os.path.isabs(node.value):
            node.value = os.path.relpath(os.path.normpath(base_dir / node.value), child_dir)

    entries = {k.value: v for k, v in root.value} if isinstance(root, MappingNode) else {}
    tables = entries.get("unit_costs")
    if isinstance(tables, ScalarNode):
        rebase(tables)
    elif isinstance(tables, SequenceNode):
        for item in tables.value:
            for k, v in item.value if isinstance(item, MappingNode) else ():
                if k.value == "path":
                    rebase(v)
    settings = entries.get("appraisal")
    for k, v in settings.value if isinstance(settings, MappingNode) else ():
        if k.value in ("deflator", "discount_schedule", "optimism_bias_grades"):
            rebase(v)


def parse_scenario(source: Source, unit_costs: Path | None = None) -> tuple[Scenario, _Positioner, list[Source], list[Diagnostic]]:
    """Validate a scenario's text: the model, or every problem in the file, positioned.

    Returns the scenario with its consistency problems (periods, duplicates), so the caller can
    report them with the unit-cost problems in one pass. A file that does not fit the model raises,
    but with its unit-cost references checked too: a typo in a count does not hide one in an id.
    """
    data, root = load_yaml(source.text, source.name)
    if not isinstance(data, dict):
        raise InputError([Diagnostic(source.name, 1, 1, "expected a mapping of scenario keys (name, periods, cost_lines, ...)")])
    bases: list[Source] = []
    origins: dict[int, str] = {}
    if "extends" in data:
        root, bases, origins = _extended(data, root, source)
        data = build_data(root, source.name)
    position = _positioner(root, source.name, origins)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = diagnostics(exc, source.name, position, model=Scenario)
        raise InputError(problems + _raw_reference_problems(data, source, unit_costs, position)) from None
    return scenario, position, bases, [position.at(loc, key, message)
                                       for loc, key, message in consistency_problems(scenario)]


def _raw_reference_problems(data: dict, source: Source, override: Path | None, position) -> list[Diagnostic]:
    """Unknown unit-cost ids in a scenario that failed validation, read from its raw outcomes."""
    from pydantic import TypeAdapter

    try:
        tables = TypeAdapter(Scenario.model_fields["unit_costs"].annotation).validate_python(data.get("unit_costs"))
        holder = Scenario.model_construct(unit_costs=tables)
        costs = load_cost_book(holder, source.path, override, position, source.name)
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


def consistency_problems(scenario: Scenario) -> list[tuple[tuple[Any, ...], bool, str]]:
    """Problems that no single field shows: periods, duplicates, unquantified amounts.

    Each is (path in the file, whether the path names a key, message).
    """
    found: list[tuple[tuple[Any, ...], bool, str]] = []
    periods = list(scenario.periods)
    known = ", ".join(periods)

    def not_a_period(loc: tuple[Any, ...], key: bool, period: str) -> None:
        found.append((loc, key, f"period {period} is not one of the scenario's periods ({known})"))

    seen_periods: set[str] = set()
    for i, period in enumerate(periods):
        if period in seen_periods:
            found.append((("periods", i), False, f"period {period} is listed twice"))
        seen_periods.add(period)
    kind = period_kind(periods[0])
    for i, period in enumerate(periods):
        if period_kind(period) != kind:  # one kind of period a scenario: its appraisal steps by one of them
            found.append((("periods", i), False, f"period {period} is {PERIOD_NOUN[period_kind(period)]}, but the "
                                                 f"scenario's first period {periods[0]} is {PERIOD_NOUN[kind]}; "
                                                 f"give every period as {NAMES[kind]} ({EXAMPLES[kind]})"))
    starts = [month_number(p) for p in periods]
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
                    not_a_period(("cost_lines", i, measure, period), True, period)
        if line.arms is not None:
            if scenario.arms is None:
                found.append((("cost_lines", i, "arms"), True, NEEDS_ARMS))
            if line.budget or line.actual or line.units:
                found.append((("cost_lines", i, "arms"), True, "give the line's amounts one way: amounts, units, "
                                                             "or means per participant in each arm"))
            if line.arms.period is not None and line.arms.period not in seen_periods:
                not_a_period(("cost_lines", i, "arms", "period"), False, line.arms.period)
        if line.units is not None:
            u = line.units
            if line.budget or line.actual:
                found.append((("cost_lines", i, "units"), True, "give the line's amounts one way: budget and actual "
                                                              "amounts, or units times a price, not both"))
            if (u.price is None) == (u.unit_cost is None):
                found.append((("cost_lines", i, "units"), False, "give the price of one unit: price (pounds) or "
                                                               "unit_cost (a table's entry), one of them"))
            for measure in ("budget", "actual"):
                for period, count in getattr(u, measure).items():
                    if period not in seen_periods:
                        not_a_period(("cost_lines", i, "units", measure, period), True, period)
                    elif count < 0:
                        found.append((("cost_lines", i, "units", measure, period), False,
                                      f"{count} units: a number of units cannot be negative"))
        if not line.quantified and (line.budget or line.actual or line.units):
            found.append((("cost_lines", i, "quantified"), False,
                          "a line marked quantified: false cannot carry amounts; remove them or the flag"))
    for i, total in enumerate(scenario.published_totals):
        if total.period is not None and total.period not in seen_periods:
            not_a_period(("published_totals", i, "period"), False, total.period)
    parties = list(KNOWN_AGENCIES) + list(scenario.parties)
    outcome_ids = [o.id for o in scenario.outcomes]
    for i, transfer in enumerate(scenario.transfers):
        for field_name, alias in (("payer", "from"), ("payee", "to")):
            party = getattr(transfer, field_name)
            if party not in parties:
                found.append((("transfers", i, alias), False,
                              f"unknown party '{party}'{suggest(party, parties)}; use an agency or add it to parties: "
                              f"[{party}]"))
        if transfer.payer == transfer.payee:
            found.append((("transfers", i, "to"), False, "a transfer moves money between two parties; from and to "
                                                         "are the same"))
        if (transfer.amounts is None) == (transfer.per_outcome is None):
            found.append((("transfers", i), False, "give the transfer one way: amounts by period, or per_outcome"))
        for period in transfer.amounts or {}:
            if period not in seen_periods:
                not_a_period(("transfers", i, "amounts", period), True, period)
        if transfer.per_outcome is not None and transfer.per_outcome.outcome not in outcome_ids:
            found.append((("transfers", i, "per_outcome", "outcome"), False,
                          f"no outcome '{transfer.per_outcome.outcome}'{suggest(transfer.per_outcome.outcome, outcome_ids)}"))
    for i, result in enumerate(scenario.published_results):
        stated = [k for k in ("value", "at_most", "at_least") if getattr(result, k) is not None]
        if len(stated) != 1:
            found.append((("published_results", i), False,
                          f"give exactly one of value, at_most or at_least (got {', '.join(stated) or 'none'})"))
        if result.figure not in FIGURE_KEYS:
            found.append((("published_results", i, "figure"), False,
                          f"unknown figure '{result.figure}'{suggest(result.figure, FIGURE_KEYS)}; "
                          f"use one of: {', '.join(FIGURE_KEYS)}"))
        elif result.figure.endswith("_per_unit") or result.figure == "cost_per_unit":
            if scenario.report_per is None and scenario.arms is None:  # arms report per participant
                found.append((("published_results", i, "figure"), False,
                              f"'{result.figure}' is a result per unit; add report_per: {{label: family, count: N}}"))
    for i, claim in enumerate(scenario.claimed):
        if claim.period is not None and claim.per == "total":
            found.append((("claimed", i, "period"), True,
                          "a claim per: total covers the whole appraisal; remove period or use per: year"))
        elif claim.period is not None and claim.period not in seen_periods and not (
                kind != "year" and period_kind(claim.period) == "year"
                and any(financial_year(p) == claim.period for p in periods)):  # a year of quarters or months
            not_a_period(("claimed", i, "period"), False, claim.period)
    seen_outcomes: set[str] = set()
    first = periods[0]
    for i, outcome in enumerate(scenario.outcomes):
        if outcome.id in seen_outcomes:
            found.append((("outcomes", i, "id"), False, f"outcome id '{outcome.id}' is used twice"))
        seen_outcomes.add(outcome.id)
        found += [(("outcomes", i) + loc, key, message) for loc, key, message in _outcome_problems(outcome, first)]
        if outcome.arms is not None and scenario.arms is None:
            found.append((("outcomes", i, "arms"), True, NEEDS_ARMS))
    if scenario.arms is not None:
        for name in ("programme", "comparison"):
            if getattr(scenario.arms, name).n == 0:
                found.append((("arms", name, "n"), False, "an arm needs participants: n must be more than 0"))
    found += _settings_problems(scenario)
    for loc, agency in [(("cost_agency",), scenario.cost_agency)] + [
            (("cost_lines", i, "agency"), line.agency) for i, line in enumerate(scenario.cost_lines) if line.agency] + [
            (("outcomes", i, "value", "agency"), o.value.agency) for i, o in enumerate(scenario.outcomes) if o.value] + [
            (("outcomes", i, "values", k, "value", "agency"), p.value.agency) for i, o in enumerate(scenario.outcomes)
            for k, p in enumerate(o.values or ()) if p.value]:
        if agency not in KNOWN_AGENCIES:
            found.append((loc, False, f"unknown agency '{agency}'{suggest(agency, KNOWN_AGENCIES)}; "
                                      f"use one of: {', '.join(KNOWN_AGENCIES)}"))
    if scenario.net_position_basis is NetPositionBasis.funding and not scenario.funding:
        found.append((("net_position_basis",), False,
                      "net_position_basis is 'funding' but no funding is listed; add funding or use 'actual' or 'budget'"))
    return found


#: "a financial year", "a quarter", "a month": what a period is, in a sentence.
PERIOD_NOUN = {"year": "a financial year", "quarter": "a quarter", "month": "a month", None: "not a period"}


def _later_period_problems(period: str, first: str) -> list[str]:
    """A period an outcome names (volumes or intakes may run past the scenario's periods): of the periods'
    kind, and not before the first."""
    kind = period_kind(first)
    if period_kind(period) != kind:
        return [f"period {period} is {PERIOD_NOUN[period_kind(period)]}, but the scenario's periods are "
                f"{NAMES[kind]} ({EXAMPLES[kind]})"]  # type: ignore[index]
    if month_number(period) < month_number(first):
        return [f"period {period} is before the first appraisal period"]
    return []


def _outcome_problems(outcome: Outcome, first: str) -> list[tuple[tuple[Any, ...], bool, str]]:
    found: list[tuple[tuple[Any, ...], bool, str]] = []
    measured = outcome.baseline is not None or outcome.follow_up is not None
    sources = [name for name, given in (("baseline/follow_up", measured), ("cohort", outcome.cohort is not None),
                                        ("volumes", outcome.volumes is not None), ("arms", outcome.arms is not None))
               if given]
    if len(sources) != 1:
        found.append(((), False, "give the volume one way: baseline and follow_up, or cohort, or volumes by year, "
                                 "or arms"
                      + (f" (got {' and '.join(sources)})" if sources else "")))
    if measured and (outcome.baseline is None or outcome.follow_up is None):
        missing = "follow_up" if outcome.follow_up is None else "baseline"
        found.append(((), False, f"baseline and follow_up go together: add {missing}"))
    if outcome.volumes is not None:
        if outcome.timing != Timing():
            found.append((("timing",), False, "volumes by year already say when the benefit falls; remove timing"))
        for period in outcome.volumes:
            found += [(("volumes", period), True, message) for message in _later_period_problems(period, first)]
    if outcome.cohort is not None:
        if (outcome.cohort.size is None) == (outcome.cohort.intake is None):
            found.append((("cohort",), False, "give the cohort one way: size (everyone reached) or intake (by period)"))
        for period in outcome.cohort.intake or {}:
            found += [(("cohort", "intake", period), True, message) for message in _later_period_problems(period, first)]
    if outcome.cashable is not None and outcome.value is not None and outcome.value.value_type != "fiscal":
        found.append((("cashable",), True, "only a fiscal saving can be cashable; this outcome's value is "
                                          f"{outcome.value.value_type}"))
    spread = outcome.timing.spread
    if spread is not None:
        if outcome.timing.duration != 1 or outcome.timing.drop_off != 0:
            found.append((("timing", "spread"), True, "spread says how the value falls over its years; "
                                                      "remove duration and drop_off"))
        if isinstance(spread.profile, list):
            total = sum(spread.profile, Decimal(0))
            if len(spread.profile) != spread.years:
                found.append((("timing", "spread", "profile"), False,
                              f"the profile gives {len(spread.profile)} shares for {spread.years} years; give one a year"))
            elif total != 1:
                found.append((("timing", "spread", "profile"), False,
                              f"the shares sum to {total}; they must sum to exactly 1"))
    bias = outcome.optimism_bias
    if bias is not None and (bias.grade is None) == (bias.percent is None):
        found.append((("optimism_bias",), False, "give either grade or percent"))
    if outcome.value is not None and outcome.unit_cost is not None:
        found.append((("value",), False, "give the value of one unit one way: unit_cost (a table's entry) or value "
                                         "(written here), not both"))
    if outcome.values is not None:
        if outcome.value is not None or outcome.unit_cost is not None:
            found.append((("values",), True, "values lists every value of one unit; move the outcome's own "
                                             f"{'unit_cost' if outcome.unit_cost else 'value'} into the list"))
        for k, part in enumerate(outcome.values):
            if (part.unit_cost is None) == (part.value is None):
                found.append((("values", k), False, "give each value one way: unit_cost (a table's entry) or value "
                                                    "(written here with its source)"))
            if part.share == 0:
                found.append((("values", k, "share"), False, "a share of 0 counts nothing; give a share above 0 "
                                                             "(up to 1) or remove the value"))
        if outcome.cashable is not None and all(p.value is not None and p.value.value_type != "fiscal"
                                                for p in outcome.values):
            found.append((("cashable",), True, "only a fiscal saving can be cashable; none of this outcome's values "
                                              "is fiscal"))
    return found


#: The table that holds the values outcomes write themselves (``value:``); its entries are OUTCOME.value.
SCENARIO_TABLE = "scenario"


NEEDS_ARMS = ("means per participant need the arms they come from: add arms: {programme: {label: ..., n: ...}, "
              "comparison: {label: ..., n: ...}}")


def with_arms(scenario: Scenario) -> Scenario:
    """Means per participant as the programme arm's totals: an outcome's change is (programme - comparison) x n,
    a cost line's actual is the same difference of costs x n; results are given per participant too."""
    arms = scenario.arms
    if arms is None:
        return scenario
    n = arms.programme.n
    outcomes = [o.model_copy(update={"baseline": o.arms.comparison * n, "follow_up": o.arms.programme * n})
                if o.arms is not None else o for o in scenario.outcomes]
    lines = [line.model_copy(update={"actual": {line.arms.period or scenario.periods[0]:
                                                (line.arms.programme - line.arms.comparison) * n}})
             if line.arms is not None else line for line in scenario.cost_lines]
    update: dict[str, Any] = {"outcomes": outcomes, "cost_lines": lines}
    if scenario.report_per is None:
        update["report_per"] = ReportPer(label="participant", count=n)
    return scenario.model_copy(update=update)


def with_unit_prices(scenario: Scenario, costs: CostBook) -> Scenario:
    """Cost lines given as units x price, with their budget and actual amounts computed exactly."""
    if not any(line.units for line in scenario.cost_lines):
        return scenario
    lines = []
    for line in scenario.cost_lines:
        u = line.units
        if u is not None:
            price = u.price if u.price is not None else costs.resolve(u.unit_cost)[2].value  # type: ignore[arg-type]
            line = line.model_copy(update={"budget": {p: n * price for p, n in u.budget.items()},
                                           "actual": {p: n * price for p, n in u.actual.items()},
                                           "units": u.model_copy(update={"price": price})})  # the price used
        lines.append(line)
    return scenario.model_copy(update={"cost_lines": lines})


def with_written_values(scenario: Scenario, costs: CostBook, source: Source, position) -> tuple[Scenario, CostBook]:
    """Outcomes priced by a ``value:`` written in the scenario, as entries of a table named ``scenario`` (its
    file is the scenario), so that every face lists them with the unit costs, with their source and price year."""
    from cba.model.unit_cost import WrittenValues

    written = [(i, o) for i, o in enumerate(scenario.outcomes)
               if o.value is not None or any(p.value is not None for p in o.values or ())]
    if not written:
        return scenario, costs
    if any(name == SCENARIO_TABLE for name, _ in costs.tables):
        raise InputError([position.at(("unit_costs",), False, f"a unit-cost table may not be named "
                                                               f"'{SCENARIO_TABLE}': outcomes' own values use it")])
    entries, lines, outcomes = {}, {}, list(scenario.outcomes)
    positions: dict[tuple[str, str], tuple[int, int]] = {}

    def entry(i: int, where: tuple[Any, ...], entry_id: str, v: MoneyValue, description: str) -> str:
        try:
            entries[entry_id] = UnitCost(
                id=entry_id, description=description, unit=v.unit,
                value=v.amount, price_year=v.price_year, agency=v.agency, value_type=v.value_type,
                cashable=v.cashable, confidence=v.confidence, source=v.source)
        except ValidationError as exc:  # the scenario's model checks the same fields; this is a backstop
            raise InputError(diagnostics(exc, source.name, lambda loc, key: position(("outcomes", i, *where), False))) from None
        lines[entry_id] = position(("outcomes", i, *where), False)[0]
        for name in ("amount", "price_year", "confidence", "agency"):
            positions[(entry_id, name)] = position(("outcomes", i, *where, name), False)
        return f"{SCENARIO_TABLE}/{entry_id}"

    for i, o in written:
        if o.value is not None:
            ref = entry(i, ("value",), f"{o.id}.value", o.value, f"{o.measure} (the value written in the scenario)")
            outcomes[i] = o.model_copy(update={"unit_cost": ref})
            continue
        parts = list(o.values or ())
        for k, part in enumerate(parts):
            if part.value is not None:
                ref = entry(i, ("values", k, "value"), f"{o.id}.value{k + 1}", part.value,
                            f"{o.measure}, {part.label or part.value.agency} (a value written in the scenario)")
                parts[k] = part.model_copy(update={"unit_cost": ref})
        outcomes[i] = o.model_copy(update={"values": parts})
    table = WrittenValues(source, entries, lines, positions=positions)
    return (scenario.model_copy(update={"outcomes": outcomes}),
            CostBook([*costs.tables, (SCENARIO_TABLE, table)], costs.overrides))


def outturn_bias_problems(scenario: Scenario, basis: NetPositionBasis | None = None) -> list[tuple[tuple[Any, ...], str]]:
    """Where optimism bias is asked for on outturn, with why not: it corrects forecasts, and outturn is known.

    It applies to a budget (the budget basis) and to committed spend. A line's own setting on an outturn
    line, a category whose lines are all outturn, or an appraisal-wide setting when every cost set against
    the benefits is outturn would uplift nothing it may uplift: each is an error, at its place in the file.
    """
    settings = scenario.appraisal
    basis = basis or scenario.net_position_basis
    if basis is NetPositionBasis.budget:
        return []
    why = (f"optimism bias corrects forecasts, but {{what}} outturn (actual spend, as net_position_basis is "
           f"{basis.value}), which is known; {{fix}}")
    found: list[tuple[tuple[Any, ...], str]] = []
    quantified = [(i, line) for i, line in enumerate(scenario.cost_lines) if line.quantified and line.actual]
    for i, line in quantified:
        if line.optimism_bias is not None and line.optimism_bias.percent != 0 and line.kind is not CostKind.committed:
            found.append((("cost_lines", i, "optimism_bias"), why.format(
                what=f"cost line '{line.name}' is", fix="remove it, or give the line kind: committed if it is not yet spent")))
    if settings is None:
        return found
    for category, bias in settings.category_optimism_bias.items():
        members = [line for _, line in quantified if line.category == category and line.optimism_bias is None]
        if bias.percent != 0 and members and not any(line.kind is CostKind.committed for line in members):
            found.append((("appraisal", "category_optimism_bias", category), why.format(
                what=f"every line of category '{category}' is", fix="remove it, or mark the lines not yet spent committed")))
    bias = settings.cost_optimism_bias
    if bias is not None and bias.percent != 0 and not any(line.kind is CostKind.committed for _, line in quantified):
        found.append((("appraisal", "cost_optimism_bias"), why.format(
            what="every cost set against the benefits here is",
            fix="remove it, add the committed (not yet spent) lines it should apply to, or appraise the budget as a "
                "forecast with net_position_basis: budget")))
    return found


def _settings_problems(scenario: Scenario) -> list[tuple[tuple[Any, ...], bool, str]]:
    settings = scenario.appraisal
    found: list[tuple[tuple[Any, ...], bool, str]] = []
    if settings is not None and settings.horizon_years is not None:
        # the periods' span in years, rounded up: a horizon is in whole years
        months = month_number(max(scenario.periods, key=month_number)) - month_number(scenario.periods[0]) \
            + MONTHS[period_kind(scenario.periods[0]) or "year"]
        span = -(-months // 12)
        if settings.horizon_years < span:
            found.append((("appraisal", "horizon_years"), False,
                          f"horizon_years {settings.horizon_years} is shorter than the scenario's periods ({span} years, "
                          f"{scenario.periods[0]} to {scenario.periods[-1]}), so spend after it would be dropped; "
                          f"give at least {span}"))
    settings_biases = [] if settings is None else (
        [(("appraisal", "cost_optimism_bias"), settings.cost_optimism_bias)]
        + [(("appraisal", "category_optimism_bias", c), b) for c, b in settings.category_optimism_bias.items()])
    line_biases = [(("cost_lines", i, "optimism_bias"), line.optimism_bias) for i, line in enumerate(scenario.cost_lines)]
    malformed = False
    for path, bias in settings_biases + line_biases:
        if bias is not None and (bias.grade is None) == (bias.percent is None):
            found.append((path, False, "give either grade or percent"))
            malformed = True
    categories = {line.category for line in scenario.cost_lines if line.category is not None}
    for category in (settings.category_optimism_bias if settings is not None else {}):
        if category not in categories:
            found.append((("appraisal", "category_optimism_bias", category), True,
                          f"no cost line has category '{category}'{suggest(category, sorted(categories))}"))
    seen: dict[str, int] = {}
    for i, line in enumerate(scenario.cost_lines):
        if line.id is not None and line.id in seen:
            found.append((("cost_lines", i, "id"), False, f"cost line id '{line.id}' is used twice "
                                                          f"(first is cost_lines[{seen[line.id]}])"))
        seen.setdefault(line.id or "", i)
    if not malformed:
        found += [(path, path[1] == "category_optimism_bias", problem) for path, problem in outturn_bias_problems(scenario)]
    return found


def needs_reference(scenario: Scenario) -> bool:
    """Whether the appraisal uses the deflator, discount schedule or grade table."""
    return (scenario.appraisal is not None or any(o.optimism_bias is not None for o in scenario.outcomes)
            or any(line.optimism_bias is not None for line in scenario.cost_lines))


def load_reference(scenario: Scenario, scenario_path: Path, position) -> ReferenceData:
    """The reference series the scenario names (relative to it), or the bundled ones."""
    settings = scenario.appraisal or AppraisalSettings()

    def path(given: str | None, default: Path, key: str) -> Path:
        if given is None:
            return shipped(default)
        if key == "deflator" and given in BUNDLED_DEFLATORS:
            return shipped(BUNDLED_DEFLATORS[given])
        resolved = Path(os.path.normpath(scenario_path.parent / given))
        if not resolved.exists():
            raise InputError([position.at(("appraisal", key), False, f"{key} file {given} not found (looked for {resolved})")])
        return resolved

    return ReferenceData(
        load_deflator(path(settings.deflator, DEFAULT_DEFLATOR, "deflator")),
        load_schedule(path(settings.discount_schedule, DEFAULT_SCHEDULE, "discount_schedule")),
        load_grades(path(settings.optimism_bias_grades, DEFAULT_GRADES, "optimism_bias_grades")),
    )


def reference_problems(scenario: Scenario, costs: CostBook, reference: ReferenceData, scenario_name: str) -> list[Diagnostic]:
    """Grades the table lacks, and deflator years missing for uprating: errors, never guesses."""
    found = []
    grades = reference.grades
    wanted = [o.optimism_bias.grade for o in scenario.outcomes if o.optimism_bias and o.optimism_bias.grade]
    settings = scenario.appraisal
    cost_biases = [line.optimism_bias for line in scenario.cost_lines] + (
        [settings.cost_optimism_bias, *settings.category_optimism_bias.values()] if settings else [])
    wanted += [b.grade for b in cost_biases if b is not None and b.grade]
    if settings and settings.benefit_optimism_bias == "by_confidence":
        for o, ref in [(o, ref) for o in scenario.outcomes if not o.optimism_bias for _, ref in o.priced_by()]:
            entry = costs.get(ref)
            if entry is not None and entry.confidence is None:
                found.append(Diagnostic(*costs.location(ref, "confidence"),
                                        f"'{entry.id}' has no confidence grade, so benefit_optimism_bias: by_confidence "
                                        f"cannot price outcome '{o.id}'; grade it or give the outcome an optimism_bias"))
            elif entry is not None:
                wanted.append(entry.confidence)
    for grade in sorted(set(wanted) - set(grades.percent)):
        found.append(Diagnostic(grades.source.name, 1, 1, f"no optimism-bias percentage for grade {grade}"))
    if settings and settings.uprate:
        deflator = reference.deflator
        if deflator.key_for(scenario.price_base) is None:
            found.append(Diagnostic(deflator.source.name, 1, 1,
                                    f"no deflator value for the price base {scenario.price_base} of {scenario_name}"))
        # real terms: outturn spend is deflated from its own period, a line with a stated price basis from that year
        for year in dict.fromkeys(deflated_years(scenario)):
            if deflator.key_for(year) is None:
                found.append(Diagnostic(deflator.source.name, 1, 1,
                                        f"no deflator value for {year}, needed to bring the costs of {scenario_name} "
                                        f"to {scenario.price_base} prices; add it or supply another series"))
        for ref in [ref for o in scenario.outcomes for _, ref in o.priced_by()]:
            entry = costs.get(ref)
            if entry and entry.price_year != "not stated" and deflator.key_for(entry.price_year) is None:
                found.append(Diagnostic(
                    *costs.location(ref, "price_year"),
                    f"price year {entry.price_year} of '{entry.id}' is not in the deflator series {deflator.source.name}; "
                    "add it or supply another series",
                ))
    return found


TIME_RATES = ("per week", "per month", "per day", "per hour", "weekly", "monthly", "daily", "hourly")
#: A yearly cost prices a year: in a scenario by quarters or months, a unit of the outcome is shorter.
YEAR_RATES = ("per year", "per annum", "annual", "yearly", "a year")
SHORT = {"quarter": ("1/4", "a quarter of a yearly cost"), "month": ("1/12", "a month of a yearly cost")}


def table_path(given: str, scenario_path: Path) -> Path:
    """A table a scenario names: a bundled table by name (``children-social-care``, ``bundled:...``),
    else a path relative to the scenario."""
    return bundled_table(given) or Path(os.path.normpath(scenario_path.parent / given))


def table_sources(scenario: Scenario, scenario_path: Path, override: Path | None) -> list[tuple[str, Path, list[str], tuple]]:
    """(name, path, overrides, position in the scenario) for each unit-cost table to load."""
    if override is not None:
        return [(override.stem, option_table(override), [], ())]
    given = scenario.unit_costs
    if given is None:
        return [(BUNDLED_UNIT_COSTS.stem, shipped(BUNDLED_UNIT_COSTS), [], ())]
    if isinstance(given, str):
        return [(Path(given.removeprefix(BUNDLED_PREFIX)).stem, shipped(table_path(given, scenario_path)), [],
                 ("unit_costs",))]
    return [(t.name, shipped(table_path(t.path, scenario_path)), list(t.overrides), ("unit_costs", i, "path"))
            for i, t in enumerate(given)]


def load_cost_book(scenario: Scenario, scenario_path: Path, override: Path | None, position, scenario_name: str) -> CostBook:
    tables, problems = [], []
    names = set()
    for name, path, overrides, loc in table_sources(scenario, scenario_path, override):
        if name in names:
            problems.append(position.at(loc, False, f"two unit-cost tables are named '{name}'"))
            continue
        names.add(name)
        if loc and not path.exists():
            given = scenario.unit_costs if isinstance(scenario.unit_costs, str) else scenario.unit_costs[loc[1]].path  # type: ignore[index]
            if looks_like_a_name(given):
                message = (f"no bundled unit-cost table named '{given}'{suggest(given.removeprefix(BUNDLED_PREFIX), BUNDLED_TABLES)}"
                           f"; bundled tables: {', '.join(BUNDLED_TABLES)} (or give a path to a CSV file)")
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
            problems.append(position.at(("unit_costs", i, "overrides"), False,
                                        f"table '{name}' overrides '{other}', which is not one of the tables{suggest(other, names)}"))
    if problems:
        raise InputError(problems)
    return CostBook(tables, overrides)


def unit_cost_problems(scenario: Scenario, costs: CostBook) -> list[tuple[tuple[Any, ...], str]]:
    """References that resolve to nothing or to several tables, and time-rate costs used without a conversion."""
    found = []
    kind = period_kind(scenario.periods[0])
    for i, outcome in enumerate(scenario.outcomes):
        for where, ref in outcome.priced_by():
            try:
                _, _, entry = costs.resolve(ref)
            except CostRefError as exc:
                found.append((("outcomes", i, *where), str(exc)))
                continue
            unit = entry.unit.strip().lower()
            if outcome.conversion is None and any(unit.startswith(rate) for rate in TIME_RATES):
                example = {"per week": "52.14, reason: weeks in a year", "weekly": "52.14, reason: weeks in a year",
                           "per month": "12, reason: months in a year", "monthly": "12, reason: months in a year",
                           "per day": "365.25, reason: days in a year", "daily": "365.25, reason: days in a year"}
                hint = next((v for k, v in example.items() if unit.startswith(k)), "the hours one unit takes, reason: ...")
                found.append((("outcomes", i, *where),
                              f"'{ref}' is priced {entry.unit.lower()} but outcome '{outcome.id}' needs a cost per unit "
                              f"of the outcome; add conversion: {{factor: {hint}}} (or the factor that fits)"))
            elif outcome.conversion is None and kind in SHORT and unit.startswith(YEAR_RATES):
                factor, part = SHORT[kind]
                found.append((("outcomes", i, *where),
                              f"'{ref}' is priced {entry.unit.lower()} but the scenario's periods are {NAMES[kind]}: "
                              f"add conversion: {{factor: {factor}, reason: {part}}} if the volume counts {kind}s, or "
                              f"{{factor: 1, reason: the volume counts years}} if it counts years"))
    for i, line in enumerate(scenario.cost_lines):
        if line.units is not None and line.units.unit_cost:
            try:
                costs.resolve(line.units.unit_cost)
            except CostRefError as exc:
                found.append((("cost_lines", i, "units", "unit_cost"), str(exc)))
    return found


def distribution_problems(d: Distribution, key: str = "") -> list[tuple[tuple[Any, ...], str]]:
    """A distribution's parameters: present, ordered, and within what the input ``key`` accepts."""
    low, high, whole = input_bounds(key)
    bounded = not (math.isinf(low) and math.isinf(high))
    found: list[tuple[tuple[Any, ...], str]] = []
    needs = {"uniform": ("low", "high"), "triangular": ("low", "mode", "high"), "normal": ("mean", "sd")}[d.distribution]
    if d.distribution == "normal" and (not math.isinf(low) or not math.isinf(high)):
        needs += ("low", "high")  # a normal's tails would cross the input's limits: it must be truncated
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
    if bounded and any(v is not None and not low <= v <= high for v in (d.low, d.high, d.mode)):
        what = "an adjustment's" if key.rpartition(".")[2] in ADJUSTMENTS else f"{key}'s"
        found.append(((), f"{what} range must be {describe_bounds(key)}"))
    return found


def uncertainty_problems(scenario: Scenario, costs: CostBook) -> list[tuple[tuple[Any, ...], str]]:
    """Every range names an input the scenario has, of the right kind, within what that input accepts."""
    from cba.engine.appraisal import is_forecast, line_key

    spec = scenario.uncertainty
    if spec is None:
        return []
    found = []
    used = {ref for o in scenario.outcomes for _, ref in o.priced_by()}
    for cost_id, d in spec.unit_costs.items():
        loc = ("uncertainty", "unit_costs", cost_id)
        if cost_id not in used:
            found.append((loc, f"unit cost '{cost_id}' is not used by any outcome{suggest(cost_id, used)}"))
        found += [(loc + sub, message) for sub, message in distribution_problems(d)]
    outcomes = {o.id: o for o in scenario.outcomes}
    for outcome_id, ranges in spec.outcomes.items():
        loc = ("uncertainty", "outcomes", outcome_id)
        outcome = outcomes.get(outcome_id)
        if outcome is None:
            found.append((loc, f"no outcome '{outcome_id}'{suggest(outcome_id, outcomes)}"))
            continue
        kind = "volumes" if outcome.volumes is not None else "cohort" if outcome.cohort is not None else "change"
        if ranges.change is not None and (outcome.baseline is None or outcome.follow_up is None):
            found.append((loc + ("change",), "a range on the change needs an outcome given by baseline and follow_up"))
        if ranges.cohort is not None and kind != "cohort":
            found.append((loc + ("cohort",), "a range on the cohort needs an outcome given by a cohort"))
        if ranges.timing is not None and kind == "volumes":
            found.append((loc + ("timing",), "volumes by year already say when the benefit falls; give ranges for "
                                             "the years' volumes instead"))
        fixed = outcome.timing.spread is not None or (outcome.cohort is not None and outcome.cohort.intake)
        if ranges.timing is not None and fixed:
            for name in ("duration", "drop_off"):
                if getattr(ranges.timing, name) is not None:
                    why = "spreads its value over set years" if outcome.timing.spread else "takes people on by intake"
                    found.append((loc + ("timing", name), f"outcome '{outcome_id}' {why}: only the lag (start_year) "
                                                          f"can have a range"))
        for period in ranges.volumes:
            if period not in (outcome.volumes or {}):
                found.append((loc + ("volumes", period), f"outcome '{outcome_id}' has no volume for {period}"
                              + (f"; its years: {', '.join(outcome.volumes)}" if outcome.volumes else
                                 "; a range by year needs volumes given by year")))
        named = [(name, getattr(ranges, name), f"{outcome_id}.{name}")
                 for name in ("change", *ADJUSTMENTS, "optimism_bias")]
        named += [((group, name), getattr(part, name), f"{outcome_id}.{group}.{name}")
                  for group, names in (("cohort", COHORT), ("timing", TIMING))
                  if (part := getattr(ranges, group)) is not None for name in names]
        named += [(("volumes", period), d, f"{outcome_id}.volumes.{period}") for period, d in ranges.volumes.items()]
        for sub, d, key in named:
            if d is not None:
                where = loc + (sub if isinstance(sub, tuple) else (sub,))
                found += [(where + s, message) for s, message in
                          distribution_problems(d, key if sub != "change" else "")]
    basis = scenario.net_position_basis
    lines = {line_key(line, i).removeprefix("costs."): line for i, line in enumerate(scenario.cost_lines)}
    for name, ranges in spec.cost_lines.items():
        loc = ("uncertainty", "cost_lines", name)
        line = lines.get(name)
        if line is None:
            found.append((loc, f"no cost line '{name}'{suggest(name, lines)}; name a line by its id, or by its "
                               "position (0 for the first) when it has none"))
            continue
        if not line.quantified:
            found.append((loc, f"cost line '{line.name}' is not quantified, so nothing of it can vary"))
        if ranges.optimism_bias is not None and not is_forecast(line, basis):
            found.append((loc + ("optimism_bias",), f"optimism bias corrects forecasts, but cost line '{line.name}' "
                                                    f"is outturn (actual spend, as net_position_basis is {basis.value})"))
        for sub in ("change", "optimism_bias"):
            d = getattr(ranges, sub)
            if d is not None:
                key = f"costs.{name}" + ("" if sub == "change" else ".optimism_bias")
                found += [(loc + (sub,) + s, message) for s, message in distribution_problems(d, key)]
    if spec.appraisal is not None:
        loc = ("uncertainty", "appraisal")
        settings = scenario.appraisal
        if spec.appraisal.discount_rate is not None and (settings is None or settings.discounting != "green_book"):
            found.append((loc + ("discount_rate",), "a range on the discount rate needs a discounted appraisal "
                                                    "(appraisal: {discounting: green_book})"))
        if spec.appraisal.cost_optimism_bias is not None and not any(
                is_forecast(line, basis) and line.quantified and line.optimism_bias is None
                and (settings is None or line.category not in settings.category_optimism_bias)
                for line in scenario.cost_lines):
            found.append((loc + ("cost_optimism_bias",), "no forecast cost line (a budget, or committed spend) takes "
                                                         "the appraisal-wide optimism bias, so its range moves nothing"))
        for name in ("discount_rate", "cost_optimism_bias"):
            d = getattr(spec.appraisal, name)
            if d is not None:
                found += [(loc + (name,) + s, message) for s, message in distribution_problems(d, f"appraisal.{name}")]
    return found


def price_year_problems(scenario: Scenario, costs: CostBook, scenario_name: str) -> list[Diagnostic]:
    """Unit costs priced after the scenario's price base, when no deflator is in use to bring them back."""
    if scenario.appraisal is not None and scenario.appraisal.uprate:
        return []  # the deflator handles any year it holds (checked in reference_problems)
    base = int(scenario.price_base[:4])
    found = []
    for ref in [ref for outcome in scenario.outcomes for _, ref in outcome.priced_by()]:
        entry = costs.get(ref)
        start = price_year_start(entry.price_year) if entry else None
        if entry and start is not None and start > base:
            found.append(Diagnostic(
                *costs.location(ref, "price_year"),
                f"price year {entry.price_year} of '{entry.id}' is later than the price base {scenario.price_base} "
                f"of {scenario_name}; give a cost at or before the price base, or set appraisal: {{uprate: true}} to deflate it",
            ))
    return found


GREEN_BOOK = {"discounting": "green_book", "uprate": True}


def load(path: Path, unit_costs: Path | None = None, *, green_book: bool = False, sets: list[str] | None = None) -> Loaded:
    """Read, validate and cross-check a scenario and its unit-cost table (and reference data if used).

    ``sets`` (``--set KEY=VALUE``) override fields before any file the scenario names is
    loaded, so an overridden table or price base is checked like one written in the file.
    ``green_book`` switches on discounting and uprating, keeping the scenario's other appraisal settings.
    """
    source = read_source(path)
    scenario, position, bases, problems = parse_scenario(source, unit_costs)
    if sets:
        scenario = with_overrides(scenario, sets)
    if green_book:
        current = scenario.appraisal.model_dump() if scenario.appraisal else {}
        scenario = scenario.model_copy(update={"appraisal": AppraisalSettings.model_validate({**current, **GREEN_BOOK})})
    try:
        costs = load_cost_book(scenario, path, unit_costs, position, source.name)
    except InputError as exc:
        raise InputError(problems + exc.diagnostics) from None
    if not problems:  # an outcome that writes its value wrongly is reported as written, not as a table entry
        scenario, costs = with_written_values(scenario, costs, source, position)
    problems += [position.at(loc, False, message)
                 for loc, message in unit_cost_problems(scenario, costs) + uncertainty_problems(scenario, costs)]
    if not problems:
        scenario = with_arms(with_unit_prices(scenario, costs))
    if not problems:
        problems += price_year_problems(scenario, costs, source.name)
    if problems:
        raise InputError(problems)
    reference = None
    if needs_reference(scenario):
        reference = load_reference(scenario, path, position)
        problems = reference_problems(scenario, costs, reference, source.name)
        if problems:
            raise InputError(problems)
    return Loaded(scenario, source, costs, reference, tuple(bases))


def with_overrides(scenario: Scenario, sets: list[str]) -> Scenario:
    """The scenario with ``--set KEY=VALUE`` overrides applied and validated again (UsageError if not valid)."""
    from cba.io.overrides import apply_sets
    from cba.model.errors import UsageError

    data = apply_sets(scenario.model_dump(mode="python", exclude_unset=True), sets)
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
        raise UsageError("--set: " + "; ".join(problems)) from None
    problems = consistency_problems(changed)
    if problems:
        raise UsageError("--set: " + "; ".join(message for _, _, message in problems))
    return changed
