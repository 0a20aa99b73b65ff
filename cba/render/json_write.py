"""JSON on a stream, as cba writes it: ``json.dumps(document, indent=2, ensure_ascii=False)`` byte for byte,
with every control and invisible character escaped, written piece by piece.

Why not ``json.dumps``: with ``indent`` it runs the pure-Python encoder and holds every chunk of the document
at once (at 10,000 cost lines, 60-78 MiB of chunks and 0.7 s). Here strings go through the C string encoder,
a dict of plain values is joined in one step, and a ``Rows`` list (a run's cost lines) is encoded one item
at a time as it is written, so a line's dict exists only while it is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring  # the C encoder when the extension is built (CPython's is)
from typing import Any, Generic, TextIO, TypeVar, overload

T = TypeVar("T")

#: What json.dumps leaves raw with ensure_ascii=False (it escapes C0 itself): the same set as
#: cba.model.errors.escape_controls, less C0. Outside strings JSON has none of them.
_INVISIBLE = re.compile(r"[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")

#: Characters written between batches: big enough that a write call is rare, small against the document.
_BATCH = 1 << 16


class Rows(Sequence[dict[str, Any]], Generic[T]):
    """A list in a document whose items are made when read: ``make(item)`` for each of ``items``.

    Indexing and iteration make the item again each time; nothing is kept. The JSON writer writes it as a list.
    """

    def __init__(self, items: Sequence[T], make: Callable[[T], dict[str, Any]]):
        self._items, self._make = items, make

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, slice):
            return [self._make(x) for x in self._items[i]]
        return self._make(self._items[i])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._make, self._items)


def _escape(m: re.Match[str]) -> str:
    return f"\\u{ord(m.group()):04x}"


def write_json(document: Any, out: TextIO) -> None:
    """Write ``document`` and a newline to ``out``, in batches."""
    batch: list[str] = []
    size = 0
    for piece in _pieces(document, 0):
        batch.append(piece)
        size += len(piece)
        if size >= _BATCH:
            out.write(_INVISIBLE.sub(_escape, "".join(batch)))
            batch, size = [], 0
    batch.append("\n")
    out.write(_INVISIBLE.sub(_escape, "".join(batch)))


def _key(k: Any) -> str:
    if isinstance(k, str):
        return encode_basestring(k)
    if k is True or k is False or k is None:
        return '"' + {True: "true", False: "false", None: "null"}[k] + '"'
    if isinstance(k, (int, float)):
        return '"' + _scalar(k) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _scalar(v: Any) -> str:
    if isinstance(v, str):
        return encode_basestring(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return int.__repr__(v)
    if isinstance(v, float):
        if v != v:
            return "NaN"
        if v in (float("inf"), float("-inf")):
            return "Infinity" if v > 0 else "-Infinity"
        return float.__repr__(v)
    raise TypeError(f"Object of type {type(v).__name__} is not JSON serializable")


def _encode(v: Any, level: int) -> str:
    """One value as indented JSON text, whole (for anything small enough to hold: a line, a table row)."""
    if isinstance(v, dict):
        if not v:
            return "{}"
        pad = "\n" + "  " * (level + 1)
        inner = ("," + pad).join(_key(k) + ": " + _encode(x, level + 1) for k, x in v.items())
        return "{" + pad + inner + "\n" + "  " * level + "}"
    if isinstance(v, (list, tuple, Rows)):
        if not v:
            return "[]"
        pad = "\n" + "  " * (level + 1)
        return "[" + pad + ("," + pad).join(_encode(x, level + 1) for x in v) + "\n" + "  " * level + "]"
    return _scalar(v)


def _pieces(v: Any, level: int) -> Iterator[str]:
    """The text of ``v`` in pieces: a ``Rows`` item by item, any collection holding one part by part,
    anything else whole."""
    if isinstance(v, Rows):
        if not v:
            yield "[]"
            return
        pad = "\n" + "  " * (level + 1)
        opening = "[" + pad
        for item in v:
            yield opening
            yield _encode(item, level + 1)
            opening = "," + pad
        yield "\n" + "  " * level + "]"
    elif isinstance(v, dict) and v and _holds_rows(v.values()):
        pad = "\n" + "  " * (level + 1)
        opening = "{" + pad
        for k, x in v.items():
            yield opening + _key(k) + ": "
            yield from _pieces(x, level + 1)
            opening = "," + pad
        yield "\n" + "  " * level + "}"
    elif isinstance(v, (list, tuple)) and v and _holds_rows(v):
        pad = "\n" + "  " * (level + 1)
        opening = "[" + pad
        for x in v:
            yield opening
            yield from _pieces(x, level + 1)
            opening = "," + pad
        yield "\n" + "  " * level + "]"
    else:
        yield _encode(v, level)


def _holds_rows(values: Any) -> bool:
    """Whether a ``Rows`` is anywhere below: only a run's top levels are walked twice for it."""
    for x in values:
        if isinstance(x, Rows):
            return True
        if isinstance(x, dict) and _holds_rows(x.values()):
            return True
        if isinstance(x, (list, tuple)) and _holds_rows(x):
            return True
    return False
