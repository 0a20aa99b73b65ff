"""``cba sensitivity``: the standard sensitivity set of one appraised scenario, each figure from the exact engine.

* **Cases**: as written; optimistic and pessimistic, every ranged input (``uncertainty:``) at the end of its
  stated range that raises (or lowers) the NPV, all together; the standard discount rate a point either side
  of the schedule's 3.5% (health values keep their differential below it, as a flat rate does); health values
  at the standard rate (no differential), where the scenario has any.
* **Switching values** on three cases: the public-value case (NPV = 0), the fiscal case (financial ROI = 1:
  savings to public budgets, net of payments out of the public sector, equal what the public sector bears)
  and the cashable case (cashable ROI = 1), for each outcome's volume, each unit cost and each cost line.
  Each is goal seek's exact answer (``solve.seek``): the straight line through two runs of the engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from cba.engine.result import Column, Figure, Table, TableResult
from cba.engine.run import RunResult
from cba.engine.solve import Goal, headlines_at, seek
from cba.engine.sweep import input_kind, linear_model
from cba.engine.value_for_money import category
from cba.model.errors import UsageError
from cba.model.inputs import input_bounds
from cba.model.ranges import quantile, uncertain_inputs
from cba.model.reference import ReferenceData
from cba.model.scenario import Distribution, Scenario
from cba.model.unit_cost import UnitCost

#: The discount-rate tests: a flat standard rate a point either side of the schedule's 3.5% for years 0-30.
RATE_TESTS = (Decimal("0.025"), Decimal("0.045"))
#: The health-rate test: health values discounted at the standard rate, without the wealth-effect differential.
HEALTH_AT_STANDARD = Decimal("0.035")
#: The three cases a switching value is sought on: (headline, its break-even, the case in words).
GOALS = (
    ("npv", Decimal(0), "public value (NPV = 0)"),
    ("financial_roi", Decimal(1), "fiscal case (financial ROI = 1)"),
    ("cashable_roi", Decimal(1), "cashable case (cashable ROI = 1)"),
)
CASE_FIGURES = (
    ("pv_costs", "PV costs", "money"),
    ("pv_benefits", "PV benefits", "money"),
    ("npv", "NPV", "money"),
    ("bcr", "BCR", "ratio"),
    ("net_present_budget_impact", "Net present budget impact (all public agencies)", "money"),
    ("financial_roi", "Financial ROI", "ratio"),
    ("cashable_roi", "Cashable ROI", "ratio"),
)


def range_ends(key: str, d: Distribution) -> tuple[Decimal, Decimal, str]:
    """The ends of a stated range (uniform, triangular, a bounded normal), or an unbounded normal's 5th and 95th
    percentiles; whole years where the input takes whole years. With how they were found, in words."""
    if d.low is not None and d.high is not None:
        low, high, how = Decimal(d.low), Decimal(d.high), "the range's ends"
    else:
        low, high = Decimal(repr(quantile(d, 0.05))), Decimal(repr(quantile(d, 0.95)))
        how = "its 5th and 95th percentiles (no stated ends)"
    if input_bounds(key)[2]:
        low, high = low.to_integral_value(), high.to_integral_value()
    return low, high, how


def sensitivity(
    run: RunResult,
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    reference: ReferenceData | None,
    attributable: Iterable[str] = (),
) -> TableResult:
    if not run.settings.appraised:
        raise UsageError(
            "sensitivity: the scenario is not appraised (no present values): add an appraisal: section or pass "
            "--green-book"
        )
    forced = tuple(attributable)

    def figures_at(point: Mapping[str, Decimal]) -> dict[str, Figure]:
        return headlines_at(run, scenario, unit_costs, reference, point, forced)

    # the run's own figures: the scenario as written, or with the what-if settings the notes name
    first = "As written" if not run.settings.what_if else "As run (with the what-if settings)"
    cases: list[tuple[str, str, dict[str, Figure]]] = [(first, "", {f.key: f for f in run.headlines})]
    notes: list[str] = []
    ranges = uncertain_inputs(scenario)
    if ranges:
        good: dict[str, Decimal] = {}
        bad: dict[str, Decimal] = {}
        hows = set()
        for key, d in ranges.items():
            low, high, how = range_ends(key, d)
            hows.add(how)
            at_low, at_high = (figures_at({key: v})["npv"].number for v in (low, high))
            assert at_low is not None and at_high is not None  # an appraised run's NPV is always known
            rising = at_high >= at_low  # an input that moves nothing is taken at its high end in the optimistic case
            good[key], bad[key] = (high, low) if rising else (low, high)
        cases.append(("Optimistic", _point(good), figures_at(good)))
        cases.append(("Pessimistic", _point(bad), figures_at(bad)))
        notes.append(
            "Optimistic (pessimistic): every ranged input at the end of its range that raises (lowers) the NPV on "
            f"its own, all together; the ends are {' or '.join(sorted(hows))}."
        )
    else:
        notes.append(
            "No optimistic or pessimistic case: the scenario gives no ranges (uncertainty:, docs/uncertainty.md)."
        )
    timeline = run.figures.timeline
    health = timeline is not None and any(s.discount_column == "health" for s in timeline.streams)
    if run.settings.discounted:
        for rate in RATE_TESTS:
            point = {"appraisal.discount_rate": rate}
            cases.append((f"Standard discount rate {_pct(rate)} (flat)", _point(point), figures_at(point)))
        notes.append(
            "Discount-rate tests: a flat standard rate of "
            + " and ".join(_pct(r) for r in RATE_TESTS)
            + " in every year, a point either side of the schedule's 3.5%; health values keep the schedule's "
            "differential below it (2 points), never below 0."
        )
        if health:
            point = {"appraisal.health_discount_rate": HEALTH_AT_STANDARD}
            cases.append(
                (f"Health values at the standard rate, {_pct(HEALTH_AT_STANDARD)}", _point(point), figures_at(point))
            )
        else:
            notes.append("No health-rate test: no benefit is discounted at the health rate.")
    else:
        notes.append("No discount-rate tests: the scenario is not discounted.")
    rows = []
    for name, inputs, figures in cases:
        values = [figures[k].number if k in figures else None for k, _, _ in CASE_FIGURES]
        # no BCR (no cost to divide by) is no category: category says "not defined"
        rows.append((name, inputs, *values, category(figures["bcr"].number)))
    case_table = Table(
        "cases",
        "Sensitivity cases",
        (
            Column("case", "Case", "text"),
            Column("inputs", "Inputs set", "text"),
            *(Column(k, label, kind) for k, label, kind in CASE_FIGURES),  # type: ignore[arg-type]
            Column("value_for_money", "Value for money (before unmonetised impacts)", "text"),
        ),
        tuple(rows),
        text_columns=("case", "pv_costs", "pv_benefits", "npv", "bcr", "net_present_budget_impact", "value_for_money"),
    )
    return TableResult(
        "sensitivity",
        (run.provenance,),
        (case_table, _switching(run, scenario, unit_costs, reference, forced)),
        (*notes, *_common_notes(run)),
    )


def _switching(
    run: RunResult,
    scenario: Scenario,
    unit_costs: Mapping[str, UnitCost],
    reference: ReferenceData | None,
    forced: tuple[str, ...],
) -> Table:
    model = linear_model(run.figures, run.settings.appraised)
    keys = [t.outcome for t in model.terms if t.measured]
    keys += [f"{t.outcome}.cohort.success" for t in model.terms if t.volume_kind == "cohort"]
    keys += sorted({t.unit_cost for t in model.terms})
    keys += [c.key for c in model.cost_terms]
    rows = []
    for key in dict.fromkeys(keys):
        found = [seek(run, model, scenario, unit_costs, reference, key, Goal(g, t), forced) for g, t, _ in GOALS]
        why = "; ".join(f"{words}: {s.why}" for s, (_, _, words) in zip(found, GOALS) if s.found is None)
        rows.append(
            (run.input_names.label(key), key, input_kind(key, model), found[0].base, *(s.found for s in found), why)
        )
    return Table(
        "switching_values",
        "Switching values on the public-value, fiscal and cashable cases",
        (
            Column("input", "Input", "text"),
            Column("key", "Key", "text"),
            Column("input_kind", "Kind of value", "text"),
            Column("as_written", "As written", "input"),
            Column("public_value", "Public value (NPV = 0)", "input"),
            Column("fiscal", "Fiscal case (financial ROI = 1)", "input"),
            Column("cashable", "Cashable case (cashable ROI = 1)", "input"),
            Column("no_value", "Where there is none, why", "text"),
        ),
        tuple(rows),
        notes=(
            "Each switching value is the input's value, every other input as written, at which the case breaks "
            "even: an outcome's change as --set writes it (a fall of 60 is -60), a cohort's success share, a unit "
            "cost in pounds, a cost line's proportional change (0.25: a quarter more). cba solve KEY --so "
            "FIGURE=VALUE gives any one of them with the figures around it.",
        ),
        text_columns=("input", "as_written", "public_value", "fiscal", "cashable"),
    )


def _common_notes(run: RunResult) -> tuple[str, ...]:
    notes = [
        run.settings.prices + ".",
        "Fiscal case: savings to public budgets, net of payments out of the public sector, against what the "
        "public sector bears; cashable case: the cashable part of those savings alone.",
    ]
    if run.settings.what_if:
        notes.append("What-if settings: " + "; ".join(run.settings.what_if) + ".")
    return tuple(notes)


def _point(point: Mapping[str, Decimal]) -> str:
    return "; ".join(f"{k}={v.normalize():f}" for k, v in point.items())


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"
