"""A scenario changed in place with its comments and layout kept (``cba diff``'s patch and ``--write``).

ruamel.yaml's round trip keeps comments, key order, flow or block style and quoting; the file is
re-emitted with the indentation it already has. Before anything is changed the unchanged file is
emitted once: if that is not the file itself, byte for byte, no indentation cba knows reproduces its
layout, and the patch is refused rather than re-laying out lines nobody edited. The changes are
the ``--set`` keys themselves, applied by ``overrides.apply_sets``, so the patch and ``cba run --set``
cannot mean different things.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from cba.model.errors import UsageError

#: (mapping, sequence, offset) indentations tried, the bundled scenarios' first
INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (2, 4, 0), (4, 4, 0))


def _represent_decimal(representer: Any, value: Decimal) -> Any:
    """A Decimal as a plain YAML number, as the scenario format writes one (never 4E+2)."""
    whole = value == value.to_integral_value()
    text = format(value.normalize(), "f") if whole else format(value, "f")
    return representer.represent_scalar("tag:yaml.org,2002:" + ("int" if whole else "float"), text)


def _yaml(indent: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 1_000_000  # never fold a long line the file did not fold
    yaml.indent(mapping=indent[0], sequence=indent[1], offset=indent[2])
    yaml.representer.add_representer(Decimal, _represent_decimal)
    return yaml


def _dump(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def patched(text: str, sets: list[str], name: str) -> tuple[str, dict[str, str]]:
    """The scenario's text with ``sets`` applied, every other line as it was; and the unit costs among them
    (reference -> value), which live in a table, not in this file. UsageError when the layout cannot be
    kept or a key names nothing in this file (a scenario that ``extends`` another holds only its own)."""
    from cba.io.overrides import apply_sets

    for indent in INDENTS:
        yaml = _yaml(indent)
        try:
            if _dump(yaml, yaml.load(text)) == text:
                break
        except Exception:  # not YAML ruamel can read back: cba's own loader reports the file's problems
            raise UsageError(f"{name}: cannot be patched in place; apply the --set lines instead") from None
    else:
        raise UsageError(
            f"{name}: its layout cannot be kept exactly (no indentation cba knows writes it back unchanged); "
            "apply the --set lines instead"
        )
    data = yaml.load(text)
    try:
        _, later = apply_sets(data, sets)
    except UsageError as exc:
        raise UsageError(f"{name}: {exc}") from None
    return _dump(yaml, data), later
