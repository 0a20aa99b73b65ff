"""One problem a rule finds, in one shape, wherever it was written."""

from __future__ import annotations

from typing import Any

from cba.model.record import record


@record
class At:
    """A place in a file other than the scenario (a unit-cost table, a reference series): 1-based."""

    file: str
    line: int
    column: int


@record
class Problem:
    """What is wrong and where: ``location`` is a path into the scenario (keys and indexes, as in
    ``("cost_lines", 0, "budget", "2019/20")``) or an ``At`` in another file; ``key`` says the path
    names a mapping's key (point at the key, not its value)."""

    location: tuple[Any, ...] | At
    key: bool
    message: str

    @classmethod
    def in_file(cls, file: str, line: int, column: int, message: str) -> Problem:
        """A problem at a place in a table or series (a cell: no key to point at)."""
        return cls(At(file, line, column), False, message)

    @classmethod
    def of_file(cls, file: str, message: str) -> Problem:
        """A problem with a table or series as a whole (reported at its start)."""
        return cls(At(file, 1, 1), False, message)

    def under(self, *prefix: Any) -> Problem:
        """The same problem, its path taken from a part of the scenario at ``prefix``."""
        assert isinstance(self.location, tuple)
        return Problem((*prefix, *self.location), self.key, self.message)
