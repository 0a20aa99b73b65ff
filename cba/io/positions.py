"""Where a path of the scenario was written: line, column, and which file (a base it ``extends``)."""

from __future__ import annotations

from typing import Any

from yaml.nodes import Node

from cba.check.problem import At, Problem
from cba.io.yamlsafe import locate, locate_key, partial_tree
from cba.model.errors import Diagnostic


class Positions:
    """Positions of a scenario's node tree; ``origins`` names the file of each node a base contributed.

    Given the text instead of a tree, a tree is composed when a position is first asked for, and then only the
    top-level keys asked for (``yamlsafe.partial_tree``): a scenario with nothing to place never builds one, and
    placing an outcome's value does not build the cost lines' (at 10,000 lines, 50 times the file)."""

    def __init__(self, root: Node | str, name: str, origins: dict[int, str] | None = None):
        self.name, self.origins = name, origins or {}
        self._text: str | None = root if isinstance(root, str) else None
        self._tree: Node | None = None if isinstance(root, str) else root
        self._composed: set[str] = set()  # the top-level keys whose values the partial tree holds
        self.last: Node | None = None

    def root(self, loc: tuple[Any, ...] = ()) -> Node:
        """A tree that holds ``loc``: given, or composed from the text with the top-level keys asked for so far."""
        if self._text is None:
            assert self._tree is not None
            return self._tree
        # A top-level key, and its value's first mark, are in every partial tree: compose only to go inside.
        top = loc[0] if len(loc) > 1 and isinstance(loc[0], str) else None
        if self._tree is None or (top is not None and top not in self._composed):
            if top is not None:
                self._composed.add(top)
            self._tree = partial_tree(self._text, self._composed)
        return self._tree

    def __call__(self, loc: tuple[Any, ...], key: bool) -> tuple[int, int]:
        root = self.root(loc)
        node = locate_key(root, loc) if key and loc else locate(root, loc)
        self.last = node
        return node.start_mark.line + 1, node.start_mark.column + 1

    def file(self, node: Node) -> str:
        return self.origins.get(id(node), self.name)

    def at(self, loc: tuple[Any, ...], key: bool, message: str) -> Diagnostic:
        line, column = self(loc, key)
        assert self.last is not None
        return Diagnostic(self.file(self.last), line, column, message)

    def place(self, problem: Problem) -> Diagnostic:
        """A rule's problem as a diagnostic in the file it was written in."""
        where = problem.location
        if isinstance(where, At):
            return Diagnostic(where.file, where.line, where.column, problem.message)
        return self.at(where, problem.key, problem.message)

    def place_all(self, problems: list[Problem]) -> list[Diagnostic]:
        return [self.place(p) for p in problems]
