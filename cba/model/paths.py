"""Where a key may appear in a scenario: the fields valid at a path, for suggestions and ``--set``."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel


def candidates(annotation: Any) -> list[Any]:
    """The types an annotation allows, without Annotated, Optional and unions."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return candidates(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [c for arg in typing.get_args(annotation) if arg is not type(None) for c in candidates(arg)]
    return [annotation]


def model_in(annotation: Any) -> type[BaseModel] | None:
    return next((c for c in candidates(annotation) if isinstance(c, type) and issubclass(c, BaseModel)), None)


def container_in(annotation: Any, kind: type) -> Any | None:
    """The element type of a list (kind=list) or the value type of a mapping (kind=dict) the annotation allows."""
    for c in candidates(annotation):
        if typing.get_origin(c) is kind:
            args = typing.get_args(c)
            return args[-1] if args else Any
    return None


def annotation_at(root: type[BaseModel], loc: Iterable[Any]) -> Any | None:
    """The annotation of the value at ``loc`` (keys, list indices, mapping keys), or None if no such place."""
    annotation: Any = root
    for part in loc:
        model = model_in(annotation)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            annotation = model.model_fields[part].annotation
        elif isinstance(part, int) and container_in(annotation, list) is not None:
            annotation = container_in(annotation, list)
        elif container_in(annotation, dict) is not None and part != "[key]":
            annotation = container_in(annotation, dict)
        elif part == "[key]":
            continue
        else:
            return None
    return annotation


def keys_at(root: type[BaseModel], loc: Iterable[Any]) -> list[str]:
    """The keys a mapping at ``loc`` may hold (empty when it is not a model)."""
    model = model_in(annotation_at(root, loc))
    return list(model.model_fields) if model is not None else []
