"""`@record` behaves as `@dataclass(frozen=True)` does, for everything a record uses.

Each check builds the same class body twice, once with each decorator, and compares what the
standard library's own decorator does (the reference) with what `record` does.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
from dataclasses import FrozenInstanceError, field

import pytest

import cba
from cba.model.record import record


def _body() -> dict[str, object]:
    return {
        "__annotations__": {"a": "int", "b": "str", "c": "dict[str, int]", "d": "int", "e": "int", "f": "int"},
        "__doc__": "A record for the test.",
        "b": "x",
        "c": field(default_factory=dict),
        "d": field(default=4, repr=False),
        "e": field(default=5, compare=False),
        "f": field(default=6, init=False),
    }


def _pair() -> tuple[type, type]:
    reference = dataclasses.dataclass(frozen=True)(type("R", (), _body()))
    ours = record(type("R", (), _body()))
    return reference, ours


def test_init_signature_defaults_and_factories_are_the_standard_librarys() -> None:
    reference, ours = _pair()
    assert str(inspect.signature(ours)) == str(inspect.signature(reference))
    assert [p.name for p in inspect.signature(ours).parameters.values()] == ["a", "b", "c", "d", "e"]
    x, y = ours(1), ours(1)
    assert (x.a, x.b, x.c, x.d, x.e, x.f) == (1, "x", {}, 4, 5, 6)
    assert x.c is not y.c  # the factory is called for each object
    assert vars(ours(2, "y", {"k": 1}, 7, 8)) == vars(reference(2, "y", {"k": 1}, 7, 8))
    with pytest.raises(TypeError):
        ours()  # a required field is still required


def test_repr_equality_and_hash_are_the_standard_librarys() -> None:
    reference, ours = _pair()
    assert repr(ours(1, "y")) == repr(reference(1, "y")) == "R(a=1, b='y', c={}, e=5, f=6)"
    assert ours(1) == ours(1, e=99)  # e is not compared
    assert ours(1) != ours(2)
    assert ours(1) != reference(1)  # another class is never equal, as with dataclass
    assert not ours(1) == reference(1) and not reference(1) == ours(1)
    hashable = record(type("H", (), {"__annotations__": {"a": "int", "b": "str"}, "__doc__": "h"}))
    assert hash(hashable(1, "q")) == hash(hashable(1, "q"))
    assert len({hashable(1, "q"), hashable(1, "q"), hashable(2, "q")}) == 2


def test_assignment_and_deletion_are_refused() -> None:
    _, ours = _pair()
    x = ours(1)
    with pytest.raises(FrozenInstanceError, match="cannot assign to field 'a'"):
        x.a = 2
    with pytest.raises(FrozenInstanceError, match="cannot delete field 'a'"):
        del x.a
    with pytest.raises(FrozenInstanceError):
        x.new = 1  # a name that is not a field, as for a frozen dataclass
    assert x.a == 1


def test_the_standard_librarys_helpers_see_the_same_fields() -> None:
    reference, ours = _pair()
    assert [f.name for f in dataclasses.fields(ours)] == [f.name for f in dataclasses.fields(reference)]
    assert dataclasses.asdict(ours(1)) == dataclasses.asdict(reference(1))
    changed = dataclasses.replace(ours(1, "y"), a=3)
    assert (type(changed), changed.a, changed.b) == (ours, 3, "y")


def test_a_record_extends_a_record_and_eq_false_keeps_identity() -> None:
    base = record(type("Base", (), {"__annotations__": {"a": "int"}, "__doc__": "b"}))
    child = record(type("Child", (base,), {"__annotations__": {"b": "int"}, "b": 2, "__doc__": "c"}))
    assert repr(child(1)) == "Child(a=1, b=2)"
    plain = record(eq=False)(type("P", (), {"__annotations__": {"a": "int"}, "__doc__": "p"}))
    one = plain(1)
    assert one == one and one != plain(1)  # identity, as dataclass(eq=False)
    assert hash(one) == object.__hash__(one)


def test_an_undocumented_record_is_documented_by_its_signature() -> None:
    reference = dataclasses.dataclass(frozen=True)(type("U", (), {"__annotations__": {"a": "int"}, "__doc__": None}))
    ours = record(type("U", (), {"__annotations__": {"a": "int"}, "__doc__": None}))
    assert ours.__doc__ == reference.__doc__ == "U(a: 'int')"


def _cba_records() -> list[type]:
    found = []
    for info in pkgutil.walk_packages(cba.__path__, "cba."):
        if info.name.endswith("__main__"):
            continue  # running it would start the CLI
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == info.name and "__record_compare__" in value.__dict__:
                found.append(value)
    return found


def test_every_record_in_cba_takes_its_fields_in_order() -> None:
    records = _cba_records()
    assert len(records) > 60  # every engine result and derived value, not a handful
    for cls in records:
        wanted = [f.name for f in dataclasses.fields(cls) if f.init]
        assert list(inspect.signature(cls).parameters) == wanted, cls
        assert cls.__setattr__.__name__ == "_setattr", cls


def test_a_field_left_out_of_init_does_not_end_the_signature():
    body = {"__annotations__": {"a": "int", "b": "int", "c": "int"}, "__doc__": "d", "b": field(default=1, init=False),
            "c": 2}
    reference = dataclasses.dataclass(frozen=True)(type("R", (), dict(body)))
    ours = record(type("R", (), dict(body)))
    assert str(inspect.signature(ours)) == str(inspect.signature(reference)) == "(a: 'int', c: 'int' = 2) -> None"
    assert vars(ours(5, 6)) == vars(reference(5, 6)) == {"a": 5, "c": 6}


def test_a_classs_own_methods_are_kept_and_its_own_eq_still_gets_a_hash():
    def own_eq(self, other):
        return isinstance(other, type(self))

    def own_repr(self):
        return "mine"

    def make(decorate):
        body = {"__annotations__": {"a": "int"}, "__doc__": "o", "__eq__": own_eq, "__repr__": own_repr}
        return decorate(type("O", (), body))

    reference, ours = make(dataclasses.dataclass(frozen=True)), make(record)
    assert repr(ours(1)) == repr(reference(1)) == "mine"
    assert ours(1) == ours(2)  # its own equality
    assert hash(ours(1)) == hash((1,)) and hash(reference(1)) == hash((1,))  # the fields' hash, as dataclass gives


def test_a_field_kept_out_of_the_hash_is_left_out_and_the_others_are_hashed():
    def make(decorate):
        body = {"__annotations__": {"a": "int", "tags": "dict"}, "__doc__": "h",
                "tags": field(default_factory=dict, hash=False)}
        return decorate(type("H", (), body))

    reference, ours = make(dataclasses.dataclass(frozen=True)), make(record)
    assert hash(ours(1)) == hash(reference(1)) == hash((1,))  # the dict is left out, so hashing works
    assert hash(ours(1)) != hash(ours(2))


def test_only_init_is_compiled_for_a_record():
    """The point of a record: every other method is one shared function, not compiled per class."""
    from cba.model import record as module

    for cls in _cba_records():
        for name, shared in (("__repr__", module._repr), ("__setattr__", module._setattr),
                             ("__delattr__", module._delattr)):
            assert cls.__dict__.get(name, shared) is shared, (cls, name)
        if "__eq__" in cls.__dict__ and cls.__dict__["__eq__"] is not module._eq:
            continue  # a class with its own equality keeps it
        assert cls.__eq__ is module._eq or cls.__eq__ is object.__eq__, cls


def test_a_classs_own_hash_is_kept():
    def make(decorate):
        body = {"__annotations__": {"a": "int"}, "__doc__": "k", "__hash__": lambda self: 7}
        return decorate(type("K", (), body))

    assert hash(make(record)(1)) == hash(make(dataclasses.dataclass(frozen=True))(1)) == 7
