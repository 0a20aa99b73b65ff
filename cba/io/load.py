"""Load a scenario and its unit-cost table, checking everything before any figure is computed.

The phases, each on what the one before guarantees (after beancount's ``loader._load``):
read -> parse (positions, ``extends``, the model) -> check as written -> overrides -> totals spread over
periods -> read the tables -> values written in the scenario -> check with the tables -> desugar (units x
price, arms) -> check prices and savings -> savings netted -> read the reference series -> check with them
-> ``Loaded``. Every rule is in ``cba.check``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from cba.check import phases
from cba.check.reference import needs_reference
from cba.io.desugar import with_arms, with_netted_savings, with_spreads, with_unit_prices, with_written_values
from cba.io.files import read_source
from cba.io.parse import parse_scenario
from cba.io.positions import Positions
from cba.io.resolve import load_cost_book, load_reference
from cba.model.cost_book import CostBook
from cba.model.errors import Diagnostic, InputError, UsageError
from cba.model.provenance import InputFile, Provenance
from cba.model.record import record
from cba.model.reference import ReferenceData
from cba.model.scenario import AppraisalSettings, Scenario
from cba.model.source import Source
from cba.model.unit_cost import UnitCost


@record
class Loaded:
    scenario: Scenario
    source: Source
    costs: CostBook
    reference: ReferenceData | None = None
    bases: tuple[Source, ...] = ()  # the scenarios this one extends, nearest first
    warnings: tuple[Diagnostic, ...] = ()  # not wrong, but a reader should know: printed on stderr, file:line
    #: where the scenario's paths were written; asked only to place a finding (its tree is composed then, if at all)
    position: Positions | None = None

    def result_at(self, i: int) -> Diagnostic:
        """Where published result ``i`` was written (no message): for --strict."""
        return self._at(("published_results", i))

    def figure_at(self, i: int) -> Diagnostic:
        """Where published result ``i``'s figure was written: for a wrong path."""
        return self._at(("published_results", i, "figure"))

    def _at(self, loc: tuple[str | int, ...]) -> Diagnostic:
        if self.position is None:
            return Diagnostic(self.source.name, 1, 1, "")
        return self.position.at(loc, False, "")

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
        files += [
            InputFile("unit costs", name, t.source.name, t.source.sha256)
            for name, t in self.costs.tables
            if t.source is not self.source
        ]  # values written in the scenario: already listed
        if self.reference is not None:
            roles = ("deflator", "discount schedule", "optimism-bias grades")
            files += [InputFile(role, role, s.name, s.sha256) for role, s in zip(roles, self.reference.sources)]
        s = self.scenario
        return Provenance(
            s.name, s.organisation, s.currency, s.price_base, tuple(s.periods), tuple(files), __version__, command
        )

    @property
    def unit_costs(self) -> dict[str, UnitCost]:
        """Each unit-cost reference the outcomes use, resolved to its entry (what appraise takes)."""
        return self.costs.entries_for(sorted({ref for o in self.scenario.outcomes for _, ref in o.priced_by()}))


GREEN_BOOK = {"discounting": "green_book", "uprate": True}


def load(
    path: Path, unit_costs: Path | None = None, *, green_book: bool = False, sets: list[str] | None = None
) -> Loaded:
    """Read, validate and cross-check a scenario and its unit-cost table (and reference data if used).

    ``sets`` (``--set KEY=VALUE``) override fields before any file the scenario names is
    loaded, so an overridden table or price base is checked like one written in the file.
    ``green_book`` switches on discounting and uprating, keeping the scenario's other appraisal settings.
    """
    source = read_source(path)
    scenario, position, bases = parse_scenario(source, unit_costs)
    problems = position.place_all(phases.as_written(scenario))
    unit_sets: dict[str, str] = {}
    if sets:
        scenario, unit_sets = with_overrides(scenario, sets)
    if green_book:
        if scenario.price_base == "not stated" or scenario.relative_periods:
            why = (
                "its price_base is not stated"
                if scenario.price_base == "not stated"
                else "its periods are years of the programme (Year 1, ...), which name no financial year to deflate from"
            )
            raise UsageError(f"--green-book discounts in real terms at a stated price base, and {why}")
        current = scenario.appraisal.model_dump() if scenario.appraisal else {}
        scenario = scenario.model_copy(
            # the Green Book's real prices whatever the scenario says (it may opt out only of its own appraisal)
            update={"appraisal": AppraisalSettings.model_validate({**current, **GREEN_BOOK}), "real_terms": True}
        )
    if not problems:  # before the tables: every later rule, and the engine, see amounts by period
        scenario = with_spreads(scenario)
    try:
        costs = load_cost_book(scenario, path, unit_costs, position)
    except InputError as exc:
        raise InputError(problems + exc.diagnostics) from None
    if unit_sets:
        costs = with_unit_costs(costs, unit_sets)
    if not problems:  # an outcome that writes its value wrongly is reported as written, not as a table entry
        scenario, costs = with_written_values(scenario, costs, source, position)
    problems += position.place_all(phases.with_costs(scenario, costs))
    if not problems:
        scenario = with_arms(with_unit_prices(scenario, costs))
    if not problems:
        problems += position.place_all(phases.priced(scenario, costs, source.name))
    if problems:
        raise InputError(problems)
    scenario = with_netted_savings(scenario)  # last: a line's gross is known once units, arms and spreads are
    warned = tuple(position.place_all(phases.warnings(scenario, costs)))
    reference = None
    if needs_reference(scenario):
        reference = load_reference(scenario, path, position)
        problems = position.place_all(phases.with_reference(scenario, costs, reference, source.name))
        if problems:
            raise InputError(problems)
    return Loaded(scenario, source, costs, reference, tuple(bases), warned, position)


def with_unit_costs(costs: CostBook, sets: dict[str, str]) -> CostBook:
    """The tables with ``--set REF=VALUE`` unit costs applied: the value at the entry's own price year, or a
    percentage change of it, as ``--vary`` takes one."""
    from cba.model.cost_book import CostRefError
    from cba.model.inputs import input_value
    from cba.model.types import MAX_MONEY

    for ref, text in sets.items():
        try:
            written = costs.resolve(ref)[2].value
        except CostRefError as exc:
            raise UsageError(f"--set {ref}: {exc}") from None
        value = input_value(text, False, written)
        if not 0 <= value <= MAX_MONEY:
            raise UsageError(f"--set {ref}: a unit cost must lie between £0 and £{MAX_MONEY:,}, as in a table")
        costs = costs.with_value(ref, value)
    return costs


def with_overrides(scenario: Scenario, sets: list[str]) -> tuple[Scenario, dict[str, str]]:
    """The scenario with ``--set KEY=VALUE`` overrides applied and validated again (UsageError if not valid),
    and the unit costs to set once the tables are read."""
    from cba.io.overrides import apply_sets

    data, unit_sets = apply_sets(scenario.model_dump(mode="python", exclude_unset=True), sets)
    try:
        changed = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors(include_url=False)]
        raise UsageError("--set: " + "; ".join(problems)) from None
    found = phases.as_written(changed)
    if found:
        raise UsageError("--set: " + "; ".join(p.message for p in found))
    return changed, unit_sets
