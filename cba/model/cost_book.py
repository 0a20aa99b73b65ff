"""Several unit-cost tables at once: ids namespaced by table, overrides explicit, conflicts errors."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from cba.model.errors import suggest
from cba.model.record import record
from cba.model.unit_cost import UnitCost, UnitCostTable


class CostRefError(LookupError):
    """A unit-cost reference that names nothing, or names entries in several tables."""


@record
class CostBook:
    """Named tables; a reference is NAME/ID, or a plain ID found in one table (or won by an override)."""

    tables: list[tuple[str, UnitCostTable]]
    overrides: dict[str, set[str]]  # table name -> names of the tables it overrides

    def _candidates(self, ref: str) -> list[tuple[str, UnitCostTable]]:
        name, sep, cost_id = ref.rpartition("/")
        if sep:
            return [(n, t) for n, t in self.tables if n == name and cost_id in t.entries]
        return [(n, t) for n, t in self.tables if ref in t.entries]

    def resolve(self, ref: str) -> tuple[str, UnitCostTable, UnitCost]:
        """The table and entry a reference means; raises CostRefError with the reason."""
        cost_id = ref.rpartition("/")[2]
        found = self._candidates(ref)
        if not found:
            raise CostRefError(self._unknown(ref))
        if len(found) > 1:
            names = {n for n, _ in found}
            winners = [(n, t) for n, t in found if names - {n} <= self.overrides.get(n, set())]
            if len(winners) != 1:
                listed = " or ".join(f"{n}/{cost_id}" for n, _ in found)
                raise CostRefError(
                    f"unit cost '{ref}' is in several tables ({', '.join(sorted(names))}); write {listed}, "
                    f"or let one table override the others (overrides: [...])"
                )
            found = winners
        name, table = found[0]
        return name, table, table.entries[cost_id]

    def _unknown(self, ref: str) -> str:
        """Why a reference names nothing, with the reference the user most likely meant."""
        name, sep, cost_id = ref.rpartition("/")
        where = ", ".join(t.source.name for _, t in self.tables)
        names = [n for n, _ in self.tables]
        if sep:
            elsewhere = [n for n, t in self.tables if cost_id in t.entries]
            if elsewhere:  # the id exists, in another table: say which, rather than a near id in this one
                plain = f" (or just {cost_id})" if len(elsewhere) == 1 else ""
                return (
                    f"unknown unit cost '{ref}': '{cost_id}' is not in table '{name}' but is in "
                    f"{' and '.join(elsewhere)}; write {' or '.join(f'{n}/{cost_id}' for n in elsewhere)}{plain}"
                )
            if name not in names:
                return f"unknown unit cost '{ref}': no table is named '{name}'{suggest(name, names)}; tables: {', '.join(names)}"
            table = next(t for n, t in self.tables if n == name)
            return f"unknown unit cost '{ref}' in {table.source.name}{suggest(cost_id, table.entries)}"
        known = [i for _, t in self.tables for i in t.entries]
        return f"unknown unit cost '{ref}' in {where}{suggest(ref, known)}"

    def get(self, ref: str) -> UnitCost | None:
        try:
            return self.resolve(ref)[2]
        except CostRefError:
            return None

    def location(self, ref: str, field: str) -> tuple[str, int, int]:
        """File, line and column of a field of the entry a reference means, for diagnostics."""
        _, table, entry = self.resolve(ref)
        return (table.source.name, *table.position(entry.id, field))

    def entries_for(self, refs: list[str]) -> dict[str, UnitCost]:
        """Reference -> entry for the references given (all must resolve)."""
        return {ref: self.resolve(ref)[2] for ref in refs}

    def with_value(self, ref: str, value: Decimal) -> CostBook:
        """The book with one entry's value replaced (``--set lac-year=60000``); everything else as read."""
        name, table, entry = self.resolve(ref)
        changed = replace(table, entries={**table.entries, entry.id: entry.model_copy(update={"value": value})})
        return replace(self, tables=[(n, changed if n == name and t is table else t) for n, t in self.tables])

    @property
    def sources(self):
        return [t.source for _, t in self.tables]
