"""How a published result names a figure of ``cba run --format json``: the same key path the JSON uses.

``npv`` names a headline (``headlines.npv.value``); any other figure is a path of keys joined by dots, with a
list's item picked in brackets by what names it (its id, outcome, agency, name, key or label), by its period
for a list of figures by period, or by its place from 0::

    outcomes[lac].attributable_value
    appraisal.who_pays_and_benefits[Local Authority].net
    switching_values[lac, npv].units_needed        # a second name picks among items named alike
    appraisal.benefits[lac].volumes[2018/19]
    costs.lines[Programme Management].actual.2016/17

Only the syntax lives here (a pure function, for the scenario's rules); what a path finds is read from the
JSON document itself, so the paths are the JSON's by construction.
"""

from __future__ import annotations

from cba.model.record import record

#: Most characters in a path: longer than any the JSON can hold, short enough to keep errors on one line.
MOST_CHARACTERS = 300


@record
class Step:
    """One step down the document: a key of an object, or (``pick``) an item of a list."""

    text: str
    pick: bool = False

    def __str__(self) -> str:
        return f"[{self.text}]" if self.pick else f".{self.text}"


def is_path(figure: str) -> bool:
    """A path rather than a headline's key."""
    return "." in figure or "[" in figure


def steps(path: str) -> tuple[Step, ...]:
    """The path's steps; ValueError, in words for the scenario's author, when it cannot be read."""
    if len(path) > MOST_CHARACTERS:
        raise ValueError(f"a figure's path has at most {MOST_CHARACTERS} characters (got {len(path)})")
    found: list[Step] = []
    key = ""
    i = 0
    while i < len(path):
        c = path[i]
        if c == "[":
            end = path.find("]", i + 1)
            if end == -1:
                raise ValueError(f"'[' at character {i + 1} is not closed with ']'")
            picked = path[i + 1 : end].strip()
            if not picked:
                raise ValueError(f"empty [] at character {i + 1}: name the item, e.g. [lac] or [0]")
            if key:
                found.append(Step(key))
                key = ""
            elif not found:
                raise ValueError("a path starts with a key of the JSON, e.g. outcomes[lac].value")
            found.append(Step(picked, pick=True))
            i = end + 1
            if i < len(path) and path[i] not in ".[":
                raise ValueError(f"expected '.' or '[' after ']' at character {i + 1}")
            if i < len(path) and path[i] == "." and i + 1 == len(path):
                raise ValueError("a path does not end with '.'")
            if i < len(path) and path[i] == ".":
                i += 1
            continue
        if c == "]":
            raise ValueError(f"']' at character {i + 1} closes no '['")
        if c == ".":
            if not key:
                raise ValueError(f"an empty key at character {i + 1} (two dots, or a leading dot)")
            found.append(Step(key))
            key = ""
            if i + 1 == len(path):
                raise ValueError("a path does not end with '.'")
        else:
            key += c
        i += 1
    if key:
        found.append(Step(key))
    if not found:
        raise ValueError("an empty path")
    return tuple(found)


def written(path: tuple[Step, ...]) -> str:
    """The steps as a path again (the first key without its dot)."""
    return "".join(map(str, path)).removeprefix(".")
