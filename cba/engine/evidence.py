"""A benefit's optimism bias from the grades of its evidence (issue 29, item 4): pure functions.

The GMCA method grades confidence in each benefit from the quality of its evidence (of impact, of the
deadweight assumption, of the cohort data) and sets an optimism-bias haircut from the grade, reduced where a
risk is handled explicitly (``../shared/reference/appraisal-method.md``). cba's rule, stated on every face:

- the aspects graded are the outcome's ``evidence:`` (impact, deadweight, cohort) and, under
  ``benefit_optimism_bias: by_confidence``, its unit cost's confidence grade (the price);
- an aspect whose input the scenario ranges in ``uncertainty:`` is left out: its risk is then in the ranges
  (impact: the change, the volumes or the cohort's success; deadweight: the deadweight; cohort: the cohort's size
  or engagement; the price: the unit cost);
- the grade used is the weakest (highest) of those left, looked up in the optimism-bias grade table (a named,
  replaceable file); with none left, no optimism bias.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from cba.model.record import record
from cba.model.scenario import Outcome, Scenario
from cba.model.unit_cost import UnitCost

HUNDRED = Decimal(100)


@record
class EvidenceDerivation:
    """How a benefit's optimism bias came from its evidence grades, aspect by aspect."""

    graded: tuple[tuple[str, int], ...]  # (aspect, grade) as given
    ranged: tuple[str, ...]  # aspects left out: the scenario ranges their inputs explicitly
    grade: int | None  # the weakest grade left (None: every graded risk is ranged)
    share: Decimal  # the optimism bias, a share (0.15 for 15%)
    source: str | None = None

    @property
    def basis(self) -> str:
        """In words, for every face: 'evidence grade 4 (the weakest of impact 2, deadweight 4; cohort ranged)'."""
        used = [f"{aspect} {grade}" for aspect, grade in self.graded if aspect not in self.ranged]
        left = f"; {', '.join(self.ranged)} ranged explicitly" if self.ranged else ""
        if self.grade is None:
            return f"evidence grades: none left ({', '.join(self.ranged)} ranged explicitly)"
        return f"evidence grade {self.grade} (the weakest of {', '.join(used)}{left})"


def ranged_aspects(scenario: Scenario, o: Outcome, unit_ref: str | None) -> set[str]:
    """The aspects of an outcome whose inputs ``uncertainty:`` ranges."""
    u = scenario.uncertainty
    if u is None:
        return set()
    out: set[str] = set()
    mine = u.outcomes.get(o.id)
    if mine is not None:
        cohort = mine.cohort
        if mine.change is not None or mine.volumes or (cohort is not None and cohort.success is not None):
            out.add("impact")
        if mine.deadweight is not None:
            out.add("deadweight")
        if cohort is not None and (cohort.size is not None or cohort.engagement is not None):
            out.add("cohort")
    if unit_ref is not None and unit_ref in u.unit_costs:
        out.add("unit cost")
    return out


def derive(
    o: Outcome, unit: UnitCost | None, grades: Mapping[int, Decimal], ranged: set[str], by_confidence: bool
) -> EvidenceDerivation:
    """The optimism bias of one value of an outcome that gives ``evidence:``."""
    assert o.evidence is not None
    e = o.evidence
    graded = [(a, g) for a, g in (("impact", e.impact), ("deadweight", e.deadweight), ("cohort", e.cohort)) if g]
    if by_confidence and unit is not None and unit.confidence is not None:
        graded.append(("unit cost", unit.confidence))
    left = [g for a, g in graded if a not in ranged]
    grade = max(left) if left else None
    share = grades[grade] / HUNDRED if grade is not None else Decimal(0)
    return EvidenceDerivation(
        tuple(graded),
        tuple(a for a, _ in graded if a in ranged),
        grade,
        share,
        e.source,
    )
