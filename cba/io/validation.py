"""Turn pydantic's validation errors into one-line, positioned diagnostics."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from cba.model.errors import Diagnostic, suggest
from cba.model.paths import keys_at

#: (loc, point_at_key) -> (line, column)
Positioner = Callable[[tuple[Any, ...], bool], tuple[int, int]]


def dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _describe(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def diagnostics(
    exc: ValidationError,
    name: str,
    position: Positioner,
    known_keys: Iterable[str] = (),
    model: type[BaseModel] | None = None,
) -> list[Diagnostic]:
    """One positioned diagnostic per pydantic error. An unknown key's suggestions come from the keys
    valid at its place in ``model`` (when given), else from ``known_keys``."""
    errors = exc.errors(include_url=False)
    # A misspelt required key shows as two errors (unknown 'nmae', missing 'name');
    # keep only the unknown key, whose message already suggests the right spelling.
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    misspelt = set()
    for e in errors:
        if e["type"] == "extra_forbidden":
            loc = tuple(e["loc"])
            import difflib  # only for a misspelt key: 1.5 ms a plain run does not need

            for close in difflib.get_close_matches(
                str(loc[-1]), [str(m[-1]) for m in missing if m[:-1] == loc[:-1]], n=1, cutoff=0.6
            ):
                misspelt.add(loc[:-1] + (close,))
    result = []
    for error in errors:
        if error["type"] == "missing" and tuple(error["loc"]) in misspelt:
            continue
        loc = tuple(error["loc"])
        kind = error["type"]
        where = dotted(loc)
        if kind == "missing":
            message = f"missing required key '{loc[-1]}'" + (f" in {dotted(loc[:-1])}" if len(loc) > 1 else "")
            line, column = position(loc[:-1], False)
        elif kind == "extra_forbidden":
            key = str(loc[-1])
            parent = dotted(loc[:-1])
            known = keys_at(model, loc[:-1]) if model is not None else known_keys
            message = f"unknown key '{key}'" + (f" in {parent}" if parent else "") + suggest(key, known)
            line, column = position(loc, True)
        else:
            message = error["msg"]
            if kind in ("enum", "literal_error") or kind.endswith("_type") or kind.endswith("_parsing"):
                message += f" (got {_describe(error.get('input'))})"
            if where:
                message = f"{where}: {message}"
            line, column = position(loc, False)
        file_of = getattr(position, "file", None)  # a scenario that extends another: the file that wrote it
        written_in = file_of(getattr(position, "last")) if file_of else name  # noqa: B009 (Positions only)
        result.append(Diagnostic(written_in, line, column, message))
    return result
