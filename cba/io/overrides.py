"""``--set KEY=VALUE``: overrides applied to a scenario's plain data before it is validated again."""

from __future__ import annotations

from typing import Any

from cba.model.errors import UsageError


def apply_sets(data: dict[str, Any], sets: list[str]) -> dict[str, Any]:
    """Set dotted scalar keys (appraisal.discount_rate=0.05) in a scenario's plain data."""
    from cba.io.yamlsafe import load_yaml

    for ask in sets:
        key, sep, text = ask.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set {ask}: write KEY=VALUE, e.g. appraisal.discount_rate=0.05")
        try:
            value, _ = load_yaml(text or "''", "--set")
        except Exception:  # an InputError: the value is not YAML
            raise UsageError(f"--set {ask}: the value is not a plain value") from None
        if isinstance(value, (dict, list)):
            raise UsageError(f"--set {key}: only single values can be set")
        parts = key.strip().split(".")
        node = data
        for part in parts[:-1]:
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
            if not isinstance(node, dict):
                raise UsageError(f"--set {key}: {part} is not a group of settings")
        node[parts[-1]] = value
    return data
