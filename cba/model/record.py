"""`@record`: a frozen dataclass whose making costs one small compile, not six.

The engine's results and the model's derived values are frozen dataclasses, some 60 of them
on every run. ``@dataclass(frozen=True)`` compiles `__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__` and `__delattr__` from source text for each class, one ``exec`` apiece: about
0.7 ms a class on this machine, about 35 ms of a 250 ms `cba run` (issue 32; 12 ms now). CPython 3.13
answers the same cost by compiling a class's methods in one go; here only `__init__` is compiled
(it needs the class's own signature, and it runs once per object, so it must stay fast) and the
other five are shared functions that read the class's fields through one ``attrgetter`` made per
class. The class is still a dataclass to the standard library: ``fields``, ``replace`` and
``asdict`` see the same fields, defaults and factories. (``__dataclass_params__`` still reads
``frozen=False``, as the standard library compiled none of the methods; a record's base must be a
record, which the standard library checks through those params.)

What it keeps from ``dataclass(frozen=True)`` (tests/test_record.py compares the two): the
signature and defaults of `__init__` (factories called per object), equality only with the same
class over the fields compared, a hash over the fields hashed, assignment and deletion refused
with ``FrozenInstanceError``, and `__repr__`. What it leaves out, because no record uses it:
``InitVar``, ``kw_only``, ``__post_init__``, ``slots`` and ordering (``errors.Diagnostic`` keeps
the standard decorator for its ``order=True``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import MISSING, FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T", bound=type)


def _setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in zip(self.__record_shown__, self.__record_show__(self)))
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    compare = self.__record_compare__
    return bool(compare(self) == compare(other))


def _hash(self: Any) -> int:
    return hash(self.__record_hash__(self))


def _getter(names: list[str]) -> Callable[[object], tuple[object, ...]]:
    """A getter that always answers a tuple (attrgetter of one name answers the bare value)."""
    if not names:
        return lambda _: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)


class _Factory:
    """The default shown for a field made by a factory, as dataclass shows it in the signature."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def _init_source(fields: list[dataclasses.Field[Any]]) -> tuple[str, dict[str, object]]:
    """`__init__`'s source, as ``dataclass(frozen=True)`` writes it: each field set through
    ``object.__setattr__``, a factory called when its argument was not given."""
    namespace: dict[str, object] = {"__set": object.__setattr__, "__MISSING": _FACTORY}
    params, body = [], []
    for f in fields:
        if not f.init:
            continue
        value = f.name
        if f.default is not MISSING:
            namespace[f"__default_{f.name}"] = f.default
            params.append(f"{f.name}=__default_{f.name}")
        elif f.default_factory is not MISSING:
            namespace[f"__factory_{f.name}"] = f.default_factory
            params.append(f"{f.name}=__MISSING")
            value = f"__factory_{f.name}() if {f.name} is __MISSING else {f.name}"
        else:
            params.append(f.name)
        body.append(f" __set(self, {f.name!r}, {value})")
    for f in fields:  # left out of __init__: a factory is still called (a default stays on the class), as in dataclass
        if not f.init and f.default_factory is not MISSING:
            namespace[f"__factory_{f.name}"] = f.default_factory
            body.append(f" __set(self, {f.name!r}, __factory_{f.name}())")
    return "\n".join([f"def __init__(self, {', '.join(params)}):", *(body or [" pass"])]), namespace


def _make(cls: T, eq: bool) -> T:
    documented = cls.__doc__ is not None
    cls = dataclasses.dataclass(init=False, repr=False, eq=False)(cls)  # type: ignore[assignment]  # the fields, nothing compiled
    fields = list(dataclasses.fields(cls))
    source, namespace = _init_source(fields)
    exec(source, namespace)
    init: Any = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = {f.name: f.type for f in fields if f.init} | {"return": None}
    methods: dict[str, object] = {"__init__": init, "__repr__": _repr, "__setattr__": _setattr, "__delattr__": _delattr}
    if eq:
        methods |= {"__eq__": _eq, "__hash__": _hash}
    for name, method in methods.items():
        if name not in cls.__dict__ or (name == "__hash__" and cls.__dict__[name] is None):
            setattr(cls, name, method)
    cls.__record_shown__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    cls.__record_show__ = staticmethod(_getter([f.name for f in fields if f.repr]))  # type: ignore[attr-defined]
    cls.__record_compare__ = staticmethod(_getter([f.name for f in fields if f.compare]))  # type: ignore[attr-defined]
    cls.__record_hash__ = staticmethod(  # type: ignore[attr-defined]
        _getter([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    )
    if not documented:  # dataclass wrote the doc from the signature before __init__ existed
        import inspect

        cls.__doc__ = cls.__name__ + str(inspect.signature(cls)).replace(" -> None", "")
    return cls


@overload
def record(cls: T, /) -> T: ...
@overload
def record(*, eq: bool = True) -> Callable[[T], T]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: T | None = None, /, *, eq: bool = True) -> T | Callable[[T], T]:
    """``@record`` or ``@record(eq=False)``: as ``@dataclass(frozen=True)`` (with ``eq``), made faster."""
    if cls is None:
        return lambda c: _make(c, eq)
    return _make(cls, eq)
