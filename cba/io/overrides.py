"""``--set KEY=VALUE``: overrides applied to a scenario before its files are loaded.

A key is a dotted path of scenario fields; list items are addressed by position or by
id or name: ``appraisal.discount_rate=0.05``, ``outcomes.lac.deadweight=0.2``,
``outcomes.0.cohort.engagement=0.5``; an outcome or cost line with an id can be named by it
alone: ``cpp.cohort.engagement=0.5``, ``team.optimism_bias.percent=20``. Each key is
checked against the scenario format, with suggestions from the names valid at that place.
"""

from __future__ import annotations

from typing import Any

from cba.model.errors import UsageError, suggest
from cba.model.paths import candidates, container_in, model_in
from cba.model.scenario import Scenario


def _item(items: list[Any], part: str, key: str, where: str) -> int:
    if part.isdigit():
        index = int(part)
        if index < len(items):
            return index
        raise UsageError(f"--set {key}: {where} has {len(items)} items; {part} is out of range")
    names = [str(i.get("id", i.get("name", ""))) if isinstance(i, dict) else "" for i in items]
    if part in names:
        return names.index(part)
    raise UsageError(f"--set {key}: no item '{part}' in {where}{suggest(part, names)}")


def _by_id(parts: list[str], data: dict[str, Any]) -> list[str]:
    """``cpp.cohort.engagement`` is ``outcomes.cpp.cohort.engagement``: an outcome or cost line named by its id;
    ``costs.team`` (as --vary and uncertainty name a line) is ``cost_lines.team``."""
    named_costs = any(
        isinstance(i, dict) and i.get("id") == "costs" for g in ("outcomes", "cost_lines") for i in data.get(g) or []
    )
    if parts[0] == "costs" and len(parts) > 1 and not named_costs:  # an item with id costs keeps its name
        return ["cost_lines", *parts[1:]]
    if parts[0] in Scenario.model_fields:
        return parts
    for group in ("outcomes", "cost_lines"):
        if any(isinstance(item, dict) and item.get("id") == parts[0] for item in data.get(group) or []):
            return [group, *parts]
    ids = [
        str(item.get("id"))
        for group in ("outcomes", "cost_lines")
        for item in data.get(group) or []
        if isinstance(item, dict) and item.get("id")
    ]
    raise UsageError(
        f"--set {'.'.join(parts)}: '{parts[0]}' is not a setting of the scenario, an outcome or a cost "
        f"line{suggest(parts[0], [*Scenario.model_fields, *ids])}"
    )


def apply_sets(data: dict[str, Any], sets: list[str]) -> dict[str, Any]:
    """Set dotted scalar keys in a scenario's plain data; UsageError for a key the format does not have."""
    from cba.io.yamlsafe import load_yaml

    for ask in sets:
        key, sep, text = ask.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set {ask}: write KEY=VALUE, e.g. appraisal.discount_rate=0.05")
        try:
            value, _ = load_yaml(text or "''", "--set")
        except Exception:  # an InputError: the value is not YAML
            raise UsageError(f"--set {ask}: the value is not a plain value") from None
        if isinstance(value, (dict, list)):
            raise UsageError(f"--set {key}: only single values can be set")
        parts = _by_id(key.split("."), data)
        node: Any = data
        annotation: Any = Scenario
        where = "the scenario"
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            model = model_in(annotation)
            if isinstance(node, list):
                index = _item(node, part, key, where)
                annotation = container_in(annotation, list)
                if last:
                    raise UsageError(f"--set {key}: give a setting of the item, e.g. {key}.deadweight")
                node, where = node[index], f"{where}.{part}"
                continue
            if model is not None:
                if part not in model.model_fields:
                    raise UsageError(
                        f"--set {key}: '{part}' is not a setting of {where}{suggest(part, model.model_fields)}"
                    )
                annotation = model.model_fields[part].annotation
            elif container_in(annotation, dict) is not None:
                annotation = container_in(annotation, dict)
            else:
                raise UsageError(f"--set {key}: {where} is a single value, not a group of settings")
            if last:
                if not any(
                    model_in(c) is None and container_in(c, list) is None and container_in(c, dict) is None
                    for c in candidates(annotation)
                ):
                    raise UsageError(f"--set {key}: a group of settings; set one of its values")
                node[part] = value
            else:
                if node.get(part) is None:
                    node[part] = {}
                node, where = node[part], part if where == "the scenario" else f"{where}.{part}"
    return data
