"""The Lists sheet: the allowed values of the workbook's drop-downs that are too long, or too free in their
text, to write into the validation itself (issue 28, item 4: an enumerated input refuses what is not allowed,
in Excel and LibreOffice alike).

- Public agencies: who may bear a cost line. A line borne outside the public sector stays where it is: moving
  it in or out changes what the fiscal case counts, which the workbook's rows are laid out for.
- Unit costs of one kind: the entries an outcome's unit cost may be swapped for. A kind keeps what the workbook
  cannot follow or cba run would refuse: the cashability (a fiscal benefit's 'not known' cashable figures are
  written as such), the unit (another would need a conversion the scenario states), and where it matters
  whether the price year is in the deflator series (real terms), whether the entry is graded (optimism bias
  by confidence), and the value type (an outcome's own cashable share is of a fiscal saving). Within a kind the
  value, price year, grade, value type and agency are looked up by the id, and every total follows them.
- Agencies a written value may benefit: the run's public agencies and its unit costs' agencies.
"""

from __future__ import annotations

from cba.engine.run import RunResult, UnitCostUse
from cba.engine.timeline import BenefitStream
from cba.io.desugar import SCENARIO_TABLE
from cba.model.unit_cost import UnitCost
from cba.render.xlsx_cells import Book, put_header, set_widths, text_cell
from cba.render.xlsx_places import Lists

Kind = tuple[object, ...]


def type_fixed(s: BenefitStream) -> bool:
    """Whether a stream's value type must stay as written: an outcome's own cashable share is of a fiscal saving
    (cba run refuses it on any other), and a fiscal benefit whose cashability is not stated makes the cashable
    figures 'not known', which the workbook says as written."""
    return s.cashable_share is not None or s.unit_cost is None or s.unit_cost.cashable is None


def unit_kind(result: RunResult, use: UnitCostUse, s: BenefitStream) -> Kind:
    """What an entry must share with a stream's unit cost to take its place (see the module's words)."""
    e, t = use.entry, result.figures.timeline
    in_series = t.deflator is None or (e.price_year != "not stated" and t.deflator.key_for(e.price_year) is not None)
    graded = by_confidence(result, s) and e.confidence is None
    value_type = e.value_type.value if type_fixed(s) else None
    # the unit too: a weekly cost where a yearly one was needs a conversion, which cba run asks the scenario for
    return (use.table, e.cashable, e.unit, in_series, graded, value_type)


def swappable(result: RunResult) -> dict[str, UnitCostUse]:
    """The entries that an id can name alone, by id: from a table, not the scenario's written values; the only
    entry with that id (another table's would make it ambiguous); and not named elsewhere in the scenario (a
    range), which would then name a unit cost no outcome uses."""
    counts: dict[str, int] = {}
    for use in result.unit_costs:
        counts[use.entry.id] = counts.get(use.entry.id, 0) + 1
    return {
        use.entry.id: use
        for use in result.unit_costs
        if use.table != SCENARIO_TABLE and counts[use.entry.id] == 1 and use.entry.id not in result.named_unit_costs
    }


def by_confidence(result: RunResult, s: BenefitStream) -> bool:
    return s.optimism_bias_basis.endswith("the unit cost's confidence")


def lists_sheet(book: Book, result: RunResult) -> Lists | None:
    t = result.figures.timeline
    entries = swappable(result)
    kinds: dict[Kind, list[str]] = {}  # each kind's ids, worked out once however many streams share it
    stream_kind: dict[str, Kind] = {}
    for s in t.streams:
        use = entries.get(s.unit_cost_ref)
        if use is None or s.unit_cost is None:
            continue
        kind = stream_kind[s.key] = unit_kind(result, use, s)
        if kind not in kinds:
            kinds[kind] = [i for i, other in entries.items() if unit_kind(result, other, s) == kind]
    public = sorted({f.agency for f in t.who_pays_and_benefits()} - t.outside | {t.lead_agency})
    agencies = result.settings.appraised and any(f.agency not in t.outside for f in t.cost_flows)
    written = any(written_field(s.unit_cost_ref, s.unit_cost) for s in t.streams)
    if not kinds and not agencies and not written:
        return None
    ws = book.wb.create_sheet("Lists")
    known = sorted(set(public) | {use.entry.agency for use in result.unit_costs}) if written else []
    columns: list[tuple[str, list[str]]] = [("Public agencies (who may bear a cost line)", public)] if agencies else []
    if written:  # a value written in the scenario may name any agency; these are the ones the run knows
        columns.append(("Agencies (whom a written value benefits)", known))
    for kind, ids in kinds.items():
        _, cashable, unit, _, _, value_type = kind
        cashability = {True: "cashable", False: "non-cashable", None: "cashability not stated"}[cashable]  # type: ignore[index]
        columns.append((f"Unit costs: {unit}, {cashability}" + (f", {value_type}" if value_type else ""), ids))
    put_header(ws, 1, [title for title, _ in columns])
    ranges = []
    for column, (_, values) in enumerate(columns, start=1):
        for r, value in enumerate(values, start=2):
            text_cell(ws, r, column, value)
        letter = ws.cell(1, column).column_letter
        ranges.append(f"'Lists'!${letter}$2:${letter}${1 + len(values)}")
    set_widths(ws, {ws.cell(1, c).column_letter: 32 for c in range(1, len(columns) + 1)})
    first = int(agencies) + int(written)
    of_kind = dict(zip(kinds, ranges[first:]))
    return Lists(
        agencies=ranges[0] if agencies else None,
        unit_costs={key: of_kind[kind] for key, kind in stream_kind.items()},
        kind_agencies={
            key: tuple(sorted({entries[i].entry.agency for i in kinds[kind]})) for key, kind in stream_kind.items()
        },
        benefit_agencies=ranges[first - 1] if written else None,
        benefit_agency_names=tuple(known),
    )


def written_field(ref: str, unit_cost: UnitCost | None) -> str | None:
    """The scenario field of a value written in the scenario (outcomes.X.value, outcomes.X.values.N.value), from
    its reference in the run; None for a table's unit cost, or money given by period (each pound is £1, which
    no field holds)."""
    if not ref.startswith(f"{SCENARIO_TABLE}/") or unit_cost is None or unit_cost.unit.startswith("£1 ("):
        return None
    outcome, _, which = ref.removeprefix(f"{SCENARIO_TABLE}/").rpartition(".")
    if which == "value":
        return f"outcomes.{outcome}.value"
    return f"outcomes.{outcome}.values.{int(which.removeprefix('value')) - 1}.value"
