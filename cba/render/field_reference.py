"""The scenario format as a Markdown table, generated from the pydantic models.

The documentation's "Field reference" (docs/scenario-format.md) is this output, pasted there by cog;
a test regenerates it, so the reference cannot fall behind the models.
"""

from __future__ import annotations

import enum
import types
import typing
from decimal import Decimal

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

#: What the annotated types of cba.model.types are called for people.
_TYPE_NAMES = {
    "Money": "pounds",
    "Quantity": "number",
    "Count": "count (0 or more)",
    "Fraction": "share (0-1 or '20%')",
    "FinancialYear": "financial year (2019/20)",
    "PriceBase": "financial year (2019/20) or 'not stated'",
    "Period": "period (2019/20, 2019/20 Q1, 2019-04 or Year 1)",
    "Factor": "number or fraction (1/12)",
    "Identifier": "id",
    "Text": "text",
    "CostRef": "unit-cost id",
}


#: The validator behind each annotated type, by function name (pydantic unwraps the alias).
_VALIDATOR_NAMES = {
    "_money": "pounds",
    "_quantity": "number",
    "_count": "count (0 or more)",
    "_fraction": "share (0-1 or '20%')",
    "_financial_year": "financial year (2019/20)",
    "_price_base": "financial year (2019/20) or 'not stated'",
    "_period": "period (2019/20, 2019/20 Q1, 2019-04 or Year 1)",
    "_factor": "number or fraction (1/12)",
    "_growth": "rate a year (0.02 or '2%')",
    "_growth_schedule": "rate a year (0.02 or '2%'), or financial year → rate",
}


def _by_validator(metadata) -> str | None:
    for item in metadata:
        name = getattr(getattr(item, "func", None), "__name__", "")
        if name in _VALIDATOR_NAMES:
            return _VALIDATOR_NAMES[name]
    return None


def _name(annotation: object, metadata=()) -> str:
    """A field's type in words: 'pounds', 'list of cost line', 'financial year → pounds'."""
    from cba.model import scenario
    from cba.model import types as cba_types

    named = _by_validator(metadata)
    if named:
        return named
    for alias, words in _TYPE_NAMES.items():
        if annotation is getattr(cba_types, alias, None) or annotation is getattr(scenario, alias, None):
            return words
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_name(a) for a in args if a is not type(None))
    if origin is list:
        return f"list of {_name(args[0])}"
    if origin is dict:
        return f"{_name(args[0])} → {_name(args[1])}"
    if origin is typing.Literal:
        return " | ".join(f"`{a}`" for a in args)
    if origin is typing.Annotated:
        return _name(args[0], annotation.__metadata__)  # type: ignore[attr-defined]
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return " | ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _heading(annotation)
    names: dict[object, str] = {str: "text", int: "whole number", bool: "true/false", Decimal: "number"}
    return names.get(annotation, str(annotation))


def _heading(model: type[BaseModel]) -> str:
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in model.__name__).strip()
    return words


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in typing.get_args(annotation) for m in _models(a)]


def _default(field) -> str:
    if field.is_required():
        return "required"
    if field.default_factory is not None:
        return "empty"
    value = field.default
    if value is None or value is PydanticUndefined:
        return "none"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, BaseModel):
        return "see below"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def _rows(model: type[BaseModel], prefix: str, seen: set[type]) -> list[tuple[str, str, str, str]]:
    rows = []
    nested: list[tuple[str, type[BaseModel]]] = []
    for key, field in model.model_fields.items():
        path = f"{prefix}{field.alias or key}"  # as a scenario writes it (a transfer's from and to)
        description = field.description or ""
        inner = _models(field.annotation)
        if inner and not description:
            description = " ".join((inner[0].__doc__ or "").split()) if inner[0].__doc__ else ""
        rows.append((path, _name(field.annotation, field.metadata), _default(field), description))
        for m in inner:
            if m not in seen:
                origins = [typing.get_origin(field.annotation)] + [
                    typing.get_origin(a) for a in typing.get_args(field.annotation)
                ]
                suffix = ".ID." if dict in origins else ("[]." if list in origins else ".")
                nested.append((f"{path}{suffix}", m))
    for prefix_, m in nested:
        seen.add(m)
        rows += _rows(m, prefix_, seen)
    return rows


def field_reference() -> str:
    """Every key of a scenario: where it goes, its type, its default and what it means."""
    from cba.model.scenario import Scenario

    lines = ["| Key | Type | Default | Meaning |", "|---|---|---|---|"]
    for path, kind, default, description in _rows(Scenario, "", {Scenario}):
        cell = description.replace("|", "\\|").replace("\n", " ")
        kind = kind.replace("|", "\\|")
        lines.append(f"| `{path}` | {kind} | {default} | {cell} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(field_reference(), end="")
