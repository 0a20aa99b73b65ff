"""``cba solve``: goal seek. The value of one input, the others as written, at which a headline figure takes a
given value; break-even is the case of a net figure at zero.

For an input the figure moves in proportion to (a change, a volume, a unit cost, a share, a cost line: see
``sweep.CURVED``), the exact engine is run at two points and the straight line through them gives the value
exactly, in Decimal; the figure is then computed again at that value, rounded as shown, so the table says
what ``cba run --set KEY=VALUE`` gives. For a lag, a duration, a drop-off or a discount rate, the search is
break-even's own (a grid over the input's whole range, then bisection), and the figure at the value found is
again the exact engine's. A ratio (BCR, ROI) is solved through its numerator less the target times its
denominator, which is straight where the ratio is not.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from cba.engine.appraisal import appraise
from cba.engine.grid import known_input
from cba.engine.result import Column, Figure, Table, TableResult
from cba.engine.run import RunResult, headline_figures
from cba.engine.sweep import (
    CURVED,
    LinearModel,
    Results,
    apply_point,
    base_value,
    input_keys,
    input_kind,
    linear_model,
    solve_for,
)
from cba.model.errors import UsageError, suggest
from cba.model.inputs import input_bounds, is_share, plain_number
from cba.model.record import record
from cba.model.reference import ReferenceData
from cba.model.scenario import Scenario
from cba.model.unit_cost import UnitCost

#: The figures goal seek can aim at, with what the fast model computes for each (for the inputs searched on
#: a grid) and, for a ratio, the headline that is its denominator.
TARGETS: dict[str, tuple[Callable[[Results], np.ndarray], Callable[[Results], np.ndarray | float] | None]] = {
    "attributable_benefits": (lambda r: r.benefits, None),
    "net_position": (lambda r: r.net, None),
    "benefit_cost_ratio": (lambda r: r.benefits, lambda r: r.benefits - r.net),
    "pv_benefits": (lambda r: r.pv_benefits, None),
    "npv": (lambda r: r.npv, None),
    "bcr": (lambda r: r.pv_benefits, lambda r: r.pv_costs),
    # the fiscal case divides by what the public sector bears (a provider's cost is public value, not fiscal)
    "financial_roi": (lambda r: r.pv_fiscal, lambda r: r.pv_public_costs),
    "cashable_roi": (lambda r: r.pv_cashable, lambda r: r.pv_public_costs),
}
DENOMINATORS = {
    "benefit_cost_ratio": "cost",
    "bcr": "pv_costs",
    "financial_roi": "pv_public_costs",
    "cashable_roi": "pv_public_costs",
}
APPRAISED_ONLY = ("pv_benefits", "npv", "bcr", "financial_roi", "cashable_roi")
#: Places a solved value is shown to (and run at): a millionth of a child, a pound or a share.
PLACES = 6


@record
class Goal:
    figure: str
    target: Decimal


def parse_goal(so: str, run: RunResult) -> Goal:
    """``--so FIGURE=VALUE``: a headline key this run has, and a plain number (a ratio as a number: 1.5)."""
    name, sep, text = so.partition("=")
    name = name.strip()
    known = [k for k in TARGETS if run.settings.appraised or k not in APPRAISED_ONLY]
    if not sep or not text.strip():
        raise UsageError(f"--so {so}: write FIGURE=VALUE, e.g. npv=0 or bcr=1.5")
    if name not in known:
        other = (
            "" if run.settings.appraised or name not in APPRAISED_ONLY else " (it needs --green-book or an appraisal)"
        )
        raise UsageError(
            f"--so {name}: not a figure goal seek can aim at{other}{suggest(name, known)}; figures: {', '.join(known)}"
        )
    value = text.strip().replace("£", "").replace(",", "")  # £1,000,000 as a reader writes it
    try:
        return Goal(name, plain_number(value))
    except UsageError as e:
        raise UsageError(f"--so {so}: {e}; the value is a plain number (a ratio as 1.5, money as 250000)") from None


def _bounds(key: str, model: LinearModel) -> tuple[Decimal | None, Decimal | None, bool]:
    """The range the input may take: the scenario format's, and no unit cost below £0 nor a follow-up below 0."""
    low, high, whole = input_bounds(key)
    if key in {t.unit_cost for t in model.terms}:
        low = max(low, 0.0)
    baseline = next((t.baseline for t in model.terms if t.measured and t.outcome == key), None)
    if baseline is not None:
        low = max(low, -float(baseline))
    return (
        Decimal(repr(low)) if math.isfinite(low) else None,
        Decimal(repr(high)) if math.isfinite(high) else None,
        whole,
    )


def headlines_at(
    run: RunResult,
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    reference: ReferenceData | None,
    point: Mapping[str, Decimal],
    forced: Iterable[str],
) -> dict[str, Figure]:
    """The exact engine's headlines, by key, with ``point``'s inputs set (as ``cba run --set`` sets them) and
    ``forced`` outcomes counted as attributable, on the run's own basis and settings."""
    s, costs = apply_point(scenario, unit_costs, point, forced)
    a = appraise(s, costs, attributable=forced, basis=run.settings.basis, reference=reference)
    figures = {f.key: f for f in headline_figures(a, run.settings)}
    # the fiscal ratios' denominator: not a headline, as it equals pv_costs unless a provider bears a cost
    figures["pv_public_costs"] = Figure("pv_public_costs", "", a.timeline.pv_public_costs, "money")
    return figures


@record
class Sought:
    """What goal seek found for one input and one goal: the input as written, the figures there, the value found
    (None: ``why`` says why), the figures at it, and the residual's slope where the line is straight."""

    key: str
    goal: Goal
    base: Decimal
    written: dict[str, Figure]
    found: Decimal | None
    reached: dict[str, Figure] | None
    slope: Decimal | None
    bounds: tuple[Decimal | None, Decimal | None, bool]
    why: str


def seek(
    run: RunResult,
    model: LinearModel,
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    reference: ReferenceData | None,
    key: str,
    goal: Goal,
    attributable: Iterable[str] = (),
) -> Sought:
    """The value of ``key``, every other input as written, at which ``goal`` holds (see the module's docstring)."""
    varied = [t.outcome for t in model.terms if key == t.outcome or key.startswith(f"{t.outcome}.")]
    forced = tuple(dict.fromkeys([*attributable, *varied]))

    def figures_at(value: Decimal) -> dict[str, Figure]:
        return headlines_at(run, scenario, unit_costs, reference, {key: value}, forced)

    def residual(figures: dict[str, Figure]) -> Decimal | None:
        """The figure less its target (for a ratio, times its denominator): zero at the goal."""
        value = figures[goal.figure].number
        if goal.figure in DENOMINATORS:
            below = figures[DENOMINATORS[goal.figure]].number
            return None if value is None or below is None else (value - goal.target) * below
        return None if value is None else value - goal.target

    base = Decimal(repr(base_value(model, key)))
    written = figures_at(base)
    low, high, whole = _bounds(key, model)
    slope: Decimal | None = None
    why = ""
    found: Decimal | None = None
    if residual(written) is None:
        why = f"{goal.figure} is not known for this scenario (no cost to set a ratio against)"
    elif key.rpartition(".")[2] not in CURVED:
        p0 = low if low is not None else base
        f0 = residual(figures_at(p0))
        if f0 is None and p0 != base:  # a ratio with nothing to divide by at the bound (no cost): from as written
            p0, f0 = base, residual(written)
        p1 = high if high is not None else p0 + max(abs(base), abs(p0), Decimal(1))
        f1 = residual(figures_at(p1))
        if f0 is None or f1 is None or f0 == f1:
            why = f"{goal.figure} does not move with {key}"
        else:
            slope = (f1 - f0) / (p1 - p0)
            zero = p0 - f0 / slope
            if (low is None or zero >= low) and (high is None or zero <= high):
                found = zero.quantize(Decimal(1).scaleb(-PLACES), rounding=ROUND_HALF_UP)
            else:
                why = "no value within the input's range reaches it"
    else:
        numerator, denominator = TARGETS[goal.figure]
        target = float(goal.target)

        def at(results: Results) -> np.ndarray:
            over = denominator(results) if denominator is not None else 1.0
            return numerator(results) - target * np.asarray(over)

        zero_found = solve_for(model, key, at, forced)
        if zero_found is None:
            why = "no value within the input's range reaches it"
        else:
            found = Decimal(repr(zero_found))
            found = found.to_integral_value() if whole else found.quantize(Decimal(1).scaleb(-PLACES), ROUND_HALF_UP)
    reached = figures_at(found) if found is not None else None
    return Sought(key, goal, base, written, found, reached, slope, (low, high, whole), why)


def solve(
    run: RunResult,
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    reference: ReferenceData | None,
    vary: str,
    so: str,
    attributable: Iterable[str] = (),
) -> TableResult:
    model = linear_model(run.figures, run.settings.appraised)
    key = known_input(vary, input_keys(model))
    goal = parse_goal(so, run)
    s = seek(run, model, scenario, unit_costs, reference, key, goal, attributable)
    return _table(run, model, key, goal, s.base, s.written, s.found, s.reached, s.slope, s.bounds, s.why)


def _table(
    run: RunResult,
    model: LinearModel,
    key: str,
    goal: Goal,
    base: Decimal,
    written: dict[str, Figure],
    found: Decimal | None,
    reached: dict[str, Figure] | None,
    slope: Decimal | None,
    bounds: tuple[Decimal | None, Decimal | None, bool],
    why: str,
) -> TableResult:
    low, high, whole = bounds
    figure = written[goal.figure]
    kind = input_kind(key, model)
    fkind = figure.kind
    per_unit = None
    if slope is not None:  # the residual's slope is the figure's, times the denominator for a ratio
        per_unit = slope if goal.figure not in DENOMINATORS else None
    columns = (
        Column("input", "Input", "text"),
        Column("key", "Key", "text"),
        Column("figure", "Figure", "text"),
        Column("target", "Target", fkind),
        Column("as_written", "Input as written", kind),  # type: ignore[arg-type]  # money, share or count
        Column("figure_as_written", "Figure as written", fkind),
        Column("solved", "Solved value", kind),  # type: ignore[arg-type]
        Column("figure_at_solved", "Figure at the solved value", fkind),
        Column("per_unit", "Figure per unit of the input", fkind),
    )
    row = (
        run.input_names.label(key),
        key,
        figure.label,
        goal.target,
        base,
        figure.number,
        found,
        None if reached is None else reached[goal.figure].number,
        per_unit,
    )
    span = f"{'no lower bound' if low is None else f'{low.normalize():f}'} to {'no upper bound' if high is None else f'{high.normalize():f}'}"
    notes = [
        f"Goal seek: the value of {key}, every other input as written, at which {goal.figure} is "
        f"{goal.target.normalize():f}; the input may range from {span}.",
    ]
    if found is None:
        notes.append(f"No value: {why}.")
    elif key.rpartition(".")[2] in CURVED:
        notes.append(
            "Found as break-even finds a lag, duration, drop-off or rate: a grid over the whole range, then "
            f"bisection; {'whole years: the first whole year past the crossing' if whole else 'shown to 6 decimal places'}."
        )
    else:
        notes.append(
            f"Solved exactly from the straight line through two runs of the engine, shown to {PLACES} decimal "
            f"places; the figure beside it is cba run --set {key}={found.normalize():f}."
        )
    if is_share(key):
        notes.append("A share is a share: 0.2 is 20%.")
    notes.append(run.settings.prices + ".")  # the figure's prices travel with it
    if run.settings.what_if:
        notes.append("What-if settings: " + "; ".join(run.settings.what_if) + ".")
    table = Table(
        "solve",
        f"Goal seek: {key} so that {goal.figure} = {goal.target.normalize():f}",
        columns,
        (row,),
        transpose_for_text=True,
    )
    return TableResult("solve", (run.provenance,), (table,), tuple(notes))
