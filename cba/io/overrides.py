"""``--set KEY=VALUE``: overrides applied to a scenario before its files are loaded.

A key is a dotted path of scenario fields; list items are addressed by position or by
id or name: ``appraisal.discount_rate=0.05``, ``outcomes.lac.deadweight=0.2``,
``outcomes.0.cohort.engagement=0.5``; an outcome or cost line with an id can be named by it
alone: ``cpp.cohort.engagement=0.5``, ``team.optimism_bias.percent=20``. Each key is
checked against the scenario format, with suggestions from the names valid at that place.

Every input ``--vary`` and ``uncertainty:`` name is a key here too, with the same value
(``cba.model.inputs``): ``lac=-30`` (the change, follow-up - baseline; ``-10%`` is 10% of the
baseline), ``lac.optimism_bias=0.1`` and ``costs.team.optimism_bias=0.2`` (shares),
``costs.team=-0.1`` (its spend 10% lower, every period alike) and a unit cost's reference
(``lac-year=60000``, its value at its own price year; ``-10%`` of it), which is applied once the
tables are read; a value written in the scenario by the name --vary gives it (``scenario/lac.value``,
``scenario/lac.value2`` for an outcome's second value), its amount set the same way.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from cba.io.desugar import SCENARIO_TABLE
from cba.model.errors import UsageError, suggest
from cba.model.inputs import input_key, input_value, is_share, out_of_bounds, plain_number
from cba.model.paths import candidates, container_in, model_in
from cba.model.scenario import Scenario


def _position(part: str) -> bool:
    """An item's position: ASCII digits only ("²".isdigit() is True, and int("²") raises)."""
    return part.isascii() and part.isdigit()


def _item(items: list[Any], part: str, key: str, where: str) -> int:
    if _position(part):
        if len(part) > 9:  # far beyond any list, and int() of 4,300 digits raises
            raise UsageError(f"--set {key}: {where} has {len(items)} items; {part[:12]}... is out of range")
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
    refs = sorted(unit_cost_refs(data))
    # A setting one level down named by its last part (discount_rate for appraisal.discount_rate).
    nested = [f"{group}.{name}" for group, name in _nested_settings() if name == parts[0]]
    hint = (
        f" (did you mean '{nested[0]}'?)"
        if len(nested) == 1
        else suggest(parts[0], [*Scenario.model_fields, *ids, *refs])
    )
    raise UsageError(
        f"--set {'.'.join(parts)}: '{parts[0]}' is not a setting of the scenario, an outcome, a cost "
        f"line or a unit cost an outcome uses{hint}"
    )


def _nested_settings() -> list[tuple[str, str]]:
    """(group, setting) for the settings of the scenario's groups of settings (appraisal, ...)."""
    found = []
    for group, info in Scenario.model_fields.items():
        model = next((model_in(c) for c in candidates(info.annotation) if model_in(c) is not None), None)
        if model is not None:
            found += [(group, name) for name in model.model_fields]
    return found


def _number(key: str, text: str) -> str:
    """The value of an input as --vary writes one: a number, or a number and %, within the limit --vary keeps."""
    plain = text.strip().removesuffix("%")
    try:
        finite = Decimal(plain).is_finite()
    except InvalidOperation:
        finite = False
    if not finite:
        raise UsageError(f"--set {key}: '{text}' is not a number (or a number and %)")
    try:
        plain_number(plain)
    except UsageError as exc:  # too large: 1e999999% would overflow the arithmetic
        raise UsageError(f"--set {key}: {exc}") from None
    return text.strip()


def _in_bounds(key: str, name: str, value: Decimal) -> Decimal:
    """The value within what the scenario format accepts for the input, in the words --vary uses."""
    wrong = out_of_bounds(name, [value])
    if wrong:
        raise UsageError(f"--set {key}: {wrong}")
    return value


def _named(group: list[Any], part: str) -> dict[str, Any] | None:
    """The outcome or cost line with that id (or, for a line, position), if any."""
    for i, item in enumerate(group):
        if isinstance(item, dict) and (
            item.get("id") == part or (_position(part) and len(part) < 10 and int(part) == i)
        ):
            return item
    return None


def _written_value(data: dict[str, Any], key: str, text: str) -> bool:
    """``scenario/ID.value`` (or ``scenario/ID.valueK``, an outcome's K-th value): a value written in the
    scenario, named as --vary and uncertainty name it, set at its own price year (or by a percentage of it)
    as a table's unit cost is; False when the key is not one."""
    if not key.startswith(SCENARIO_TABLE + "/"):
        return False
    outcome_id, dot, which = key.removeprefix(SCENARIO_TABLE + "/").rpartition(".")
    outcome = _named([o for o in data.get("outcomes") or [] if isinstance(o, dict)], outcome_id) if dot else None
    value: Any = None
    if outcome is not None and which == "value" and not outcome.get("amounts") and not outcome.get("arms"):
        value = outcome.get("value")
    elif outcome is not None and which.startswith("value") and which[5:].isascii() and which[5:].isdigit():
        parts = outcome.get("values") or []
        k = int(which[5:]) - 1 if len(which) <= 10 else -1
        value = parts[k].get("value") if 0 <= k < len(parts) and isinstance(parts[k], dict) else None
    if not isinstance(value, dict) or value.get("amount") is None:
        return False  # not a value written with an amount: the path reports what it is
    amount = input_value(_number(key, text), False, Decimal(str(value["amount"])))
    if amount < 0:
        raise UsageError(f"--set {key}: a value must not be negative, as in a table")
    value["amount"] = amount
    return True


def _input(data: dict[str, Any], key: str, text: str) -> bool:
    """Apply one ``--set`` written as --vary names an input where its meaning differs from the field's path;
    False when the key is not such an input (it is then a path)."""
    name = input_key(key)
    parts = name.split(".")
    outcomes = [o for o in data.get("outcomes") or [] if isinstance(o, dict)]
    lines = [c for c in data.get("cost_lines") or [] if isinstance(c, dict)]
    outcome = _named(outcomes, parts[0]) if not _position(parts[0]) else None
    if outcome is not None and len(parts) == 1:  # its change, follow-up - baseline
        if outcome.get("baseline") is None or outcome.get("follow_up") is None:
            raise UsageError(
                f"--set {key}: '{parts[0]}' is not given by baseline and follow_up, so it has no change to set; "
                f"set its own fields (e.g. {parts[0]}.cohort.size)"
            )
        baseline = Decimal(str(outcome["baseline"]))
        change = input_value(_number(key, text), False, Decimal(0), baseline)
        outcome["follow_up"] = baseline + change
        if outcome["follow_up"] < 0:
            raise UsageError(f"--set {key}: a change of {change} takes the count below 0 (baseline {baseline})")
        return True
    if name == "appraisal.cost_optimism_bias" or (
        parts[-1] == "optimism_bias" and (outcome is not None or (parts[0] == "costs" and len(parts) == 3))
    ):  # a share, as --vary takes it; the file writes {percent: 10}
        if parts[0] == "costs" and _named(lines, parts[1]) is None:
            return False  # the path reports the missing line
        share = _in_bounds(key, name, input_value(_number(key, text), True, Decimal(0)))
        target = data.setdefault("appraisal", {}) if parts[0] == "appraisal" else (outcome or _named(lines, parts[1]))
        assert target is not None
        target[parts[-1]] = {"percent": share * 100}
        return True
    if parts[0] == "costs" and len(parts) == 2 and is_share(name):  # the share by which the line's spend differs
        line = _named(lines, parts[1])
        if line is None:
            return False
        scale = 1 + _in_bounds(key, name, input_value(_number(key, text), True, Decimal(0)))
        for field in ("budget", "actual"):
            line[field] = {p: Decimal(str(v)) * scale for p, v in (line.get(field) or {}).items()}
        units = line.get("units")
        if isinstance(units, dict):  # units x price: as many units, each costing the same
            for field in ("budget", "actual"):
                units[field] = {p: Decimal(str(v)) * scale for p, v in (units.get(field) or {}).items()}
        return True
    return False


def unit_cost_refs(data: dict[str, Any]) -> set[str]:
    """The unit-cost references the outcomes use: inputs ``--set`` can name (``lac-year=60000``)."""
    refs = set()
    for o in data.get("outcomes") or []:
        if isinstance(o, dict):
            refs.add(o.get("unit_cost"))
            refs |= {v.get("unit_cost") for v in o.get("values") or [] if isinstance(v, dict)}
    return {r for r in refs if isinstance(r, str)}


def apply_sets(data: dict[str, Any], sets: list[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """Set dotted scalar keys in a scenario's plain data; UsageError for a key the format does not have.

    Returns the data, and the unit costs to set once the tables are read (reference -> the value as written)."""
    from cba.io.yamlsafe import load_yaml

    later: dict[str, str] = {}
    for ask in sets:
        key, sep, text = ask.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set {ask}: write KEY=VALUE, e.g. appraisal.discount_rate=0.05")
        if key == "extends":  # read before --set applies: setting it would be accepted and ignored
            raise UsageError(
                f"--set {key}: the scenario a file extends is read before --set applies; "
                "write a scenario with extends: instead"
            )
        if key in unit_cost_refs(data):
            later[key] = _number(key, text)
            continue
        if _written_value(data, key, text):
            continue
        if _input(data, key, text):
            continue
        try:
            value = load_yaml(text or "''", "--set")
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
    return data, later
