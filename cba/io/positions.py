"""Where a path of the scenario was written: line, column, and which file (a base it ``extends``)."""

from __future__ import annotations

from typing import Any

from yaml.nodes import Node

from cba.check.problem import At, Problem
from cba.io.yamlsafe import locate, locate_key
from cba.model.errors import Diagnostic


class Positions:
    """Positions of a scenario's node tree; ``origins`` names the file of each node a base contributed."""

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

    def place(self, problem: Problem) -> Diagnostic:
        """A rule's problem as a diagnostic in the file it was written in."""
        where = problem.location
        if isinstance(where, At):
            return Diagnostic(where.file, where.line, where.column, problem.message)
        return self.at(where, problem.key, problem.message)

    def place_all(self, problems: list[Problem]) -> list[Diagnostic]:
        return [self.place(p) for p in problems]
