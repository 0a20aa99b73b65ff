"""Published results that name a figure by its path in ``cba run --format json``, read from that document.

The document is built once with exact figures (``json.exact_run_document``), so a path finds what the JSON
shows at that path, compared exactly rather than as rounded for the JSON. Paths are written as
``cba.model.figure_path`` reads them; a path that finds nothing is answered with the names found where it
stopped, the closest first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from cba.engine.run import PathFigure, RunResult
from cba.model.errors import closest, one_line
from cba.model.figure_path import Step, steps, written
from cba.render.json import Exact, exact_run_document
from cba.render.json_schema import FIGURE_NAMES as NAMES

#: Fields that tell apart items named alike: switching values by basis, an outcome's values by part.
QUALIFIERS = ("basis", "kind")
#: Why a figure is not there when a whole part of the document is null.
ABSENT = {
    "appraisal": "needs an appraisal (an appraisal: block, or --green-book)",
    "arms": "the scenario has no arms",
    "units": "the line is not written as units times a price",
    "conversion": "the outcome has no conversion",
    "unit_cost": "the outcome has no unit cost",
    "per_outcome": "the transfer is not paid per outcome",
}
_MOST_LISTED = 12


def read_paths(result: RunResult, paths: Sequence[str]) -> dict[str, PathFigure]:
    """Each path's figure in this run's JSON (the document is built once for them all)."""
    document = exact_run_document(result)
    return {path: read(document, path) for path in paths}


def read(document: dict[str, Any], path: str) -> PathFigure:
    try:
        walk = steps(path)
    except ValueError as exc:  # the scenario's rules refuse these first; a --set can still bring one
        return PathFigure(None, "ratio", unknown=f"cannot read the path: {exc}")
    node: Any = document
    for i, step in enumerate(walk):
        here = written(walk[:i]) or "the JSON"
        if node is None:
            return PathFigure(None, "ratio", why_none=ABSENT.get(walk[i - 1].text, f"{here} is null in this run"))
        if isinstance(node, dict):
            if step.text not in node:
                return _unknown(
                    walk, i, f"no '{step.text}' in {here}", [k for k, v in node.items() if _holds_figures(v)]
                )
            node = node[step.text]
        elif isinstance(node, list):
            if not step.pick:
                first = _names(node, document)[:1] or ["0"]
                return PathFigure(
                    None, "ratio", unknown=f"{here} is a list: pick an item in brackets, e.g. {here}[{first[0]}]"
                )
            found = _pick(node, step.text, here, document)
            if isinstance(found, _Ambiguous):
                return PathFigure(None, "ratio", unknown=found.message)
            if isinstance(found, _Missing):
                return _unknown(walk, i, found.message, sorted(set(_names(node, document))))
            node = found
        else:
            return PathFigure(None, "ratio", unknown=f"{here} is a single value: nothing is below it")
    whole = written(walk)
    if isinstance(node, Exact):
        return PathFigure(node.exact, node.kind)
    if node is None:
        return PathFigure(None, "ratio", why_none=ABSENT.get(walk[-1].text, f"{whole} is null in this run"))
    if isinstance(node, dict):
        figures = [k for k, v in node.items() if _holds_figures(v)]
        return PathFigure(None, "ratio", unknown=f"{whole} holds several figures: name one of {_listed(figures)}")
    if isinstance(node, list):
        return PathFigure(None, "ratio", unknown=f"{whole} is a list: pick an item in brackets")
    return PathFigure(
        None, "ratio", unknown=f"{whole} is {'a flag' if isinstance(node, bool) else 'text'}, not a figure"
    )


def _pick(items: list[Any], text: str, here: str, document: dict[str, Any]) -> Any:
    """The item of the list at ``here`` that the text names; else why not."""
    if items and all(isinstance(x, dict) for x in items):
        named = [x for x in items if text in _names_of(x)]
        qualifier = ""
        if not named and ", " in text:  # "lac, npv": the name, then what tells items named alike apart
            text, qualifier = text.rsplit(", ", 1)
            named = [x for x in items if text in _names_of(x)]
        if qualifier:
            named = [x for x in named if qualifier in _qualifiers(x)]
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            told = [f"[{text}, {q[0]}]" for q in (_qualifiers(x) for x in named) if q]
            how = f"write {' or '.join(told)}" if told else "pick one by its place, from 0"
            return _Ambiguous(f"{here}[{text}] names {len(named)} items: {how}")
    else:
        periods = _periods_for(len(items), document)
        if text in periods:
            return items[periods.index(text)]
    if text.isdigit():
        if int(text) < len(items):
            return items[int(text)]
        return _Missing(f"{here} has {len(items)} items: [{text}] is past its end")
    return _Missing(f"no item [{text}] in {here}")


class _Missing:
    """A pick that names no item."""

    def __init__(self, message: str) -> None:
        self.message = message


class _Ambiguous(_Missing):
    """A pick that names more than one item: answered with how to tell them apart, not with a near name."""


def _names_of(item: dict[str, Any]) -> list[str]:
    """Every name an item answers to, in NAMES' order (an arm's item by its key, the outcome's id, or its label);
    the first is the name cba writes."""
    return [v for k in NAMES if isinstance(v := item.get(k), str)]


def _qualifiers(item: dict[str, Any]) -> list[str]:
    found = [v for k in QUALIFIERS if isinstance(v := item.get(k), str)]
    part = item.get("part")
    if isinstance(part, dict):
        found += [str(part.get("label")), str(part.get("number"))]
    return found


def _names(items: list[Any], document: dict[str, Any]) -> list[str]:
    if items and all(isinstance(x, dict) for x in items):
        return [names[0] for x in items if (names := _names_of(x))] or [str(i) for i in range(len(items))]
    return list(_periods_for(len(items), document)) or [str(i) for i in range(len(items))]


def _periods_for(length: int, document: dict[str, Any]) -> list[str]:
    """The periods a list of figures by period runs over: the appraisal's, else the scenario's."""
    appraisal = document.get("appraisal") or {}
    for periods in (appraisal.get("years") or [], document["provenance"]["scenario"]["periods"]):
        if len(periods) == length:
            return list(periods)
    return []


def _holds_figures(node: Any) -> bool:
    if isinstance(node, Exact):
        return True
    if isinstance(node, dict):
        return any(_holds_figures(v) for v in node.values())
    if isinstance(node, list):
        return any(_holds_figures(v) for v in node)
    return False


def _unknown(walk: tuple[Step, ...], i: int, message: str, there: list[str]) -> PathFigure:
    """The path stops at step i: say so, with the closest name found there as a whole path to copy."""
    name = closest(walk[i].text, there)
    near = ""
    if name is not None:
        fixed = (*walk[:i], Step(name, walk[i].pick or not _plain(name)), *walk[i + 1 :])
        near = f" (did you mean '{one_line(written(fixed), 160)}'?)"
    listed = f"; it has {_listed(there)}" if there else ""
    return PathFigure(None, "ratio", unknown=message + near + listed)


def _plain(key: str) -> bool:
    """A key written after a dot (else in brackets): one without dots or brackets of its own."""
    return not any(c in key for c in ".[]")


def _listed(names: list[str]) -> str:
    shown = ", ".join(one_line(n, 40) for n in names[:_MOST_LISTED])
    return shown + (f" and {len(names) - _MOST_LISTED} more" if len(names) > _MOST_LISTED else "")


def figure_paths(document: dict[str, Any]) -> Iterator[tuple[str, Exact]]:
    """Every figure in a document built by ``exact_run_document``, with its path as a published result names it
    (an item named alike by others picked by its basis or part, else by its place)."""

    def walk(node: Any, at: str) -> Iterator[tuple[str, Exact]]:
        if isinstance(node, Exact):
            yield at, node
        elif isinstance(node, dict):
            for k, v in node.items():
                yield from walk(v, f"{at}.{k}" if at and _plain(k) else f"{at}[{k}]" if at else k)
        elif isinstance(node, list):
            names = _names(node, document)
            seen = {n: names.count(n) for n in names}
            for j, (item, n) in enumerate(zip(node, names)):
                pick = n if seen[n] == 1 else _told(item, n, j)
                yield from walk(item, f"{at}[{pick}]")

    return walk(document, "")


def _told(item: Any, name: str, place: int) -> str:
    q = _qualifiers(item) if isinstance(item, dict) else []
    return f"{name}, {q[0]}" if q else str(place)
