"""Read untrusted YAML: safe loading, exact numbers, and a position for every value.

PyYAML alone is not enough for hand-edited money files: it keeps the last of two
duplicate keys without a word, turns ``1200.10`` into a binary float, and expands
aliases so that a few hundred bytes can become gigabytes in whatever walks them.
So we compose the node tree with the C safe loader and build plain data from the
nodes ourselves, keeping the tree to turn validation paths into line:column.
"""

from __future__ import annotations

import re
import weakref
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cba.model.errors import Diagnostic, InputError

#: Nesting deeper than this is refused; scenarios are four or five levels deep.
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOLS: dict[str, bool] = yaml.constructor.SafeConstructor.bool_values

_TAG = "tag:yaml.org,2002:"


#: The one number rule: plain base-10 digits, an optional sign, decimals and '_' separators.
#: YAML 1.1 also reads 01750 as octal (1,000), 30:49 as base 60 (1,849), 0x1F and 0b101: refused.
_PLAIN_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)\Z")
_PLAIN_DECIMAL = re.compile(
    r"^[-+]?(0|[1-9][0-9]*)?\.[0-9]*([eE][-+]?[0-9]+)?\Z|^[-+]?(0|[1-9][0-9]*)[eE][-+]?[0-9]+\Z"
)


#: Bounds on any number in a scenario, beyond every documented limit (amounts to 10^12) with room to
#: spare, so that no input can overflow or underflow the exact arithmetic (60 digits, money.EXACT_DIGITS).
MOST_DIGITS = 40
MOST_EXPONENT = 30


def _too_many_digits(text: str) -> str:
    shown = text if len(text) <= 24 else f"{text[:12]}...{text[-6:]} ({len(text):,} characters)"
    return (
        f"'{shown}' is beyond any figure cba takes: at most {MOST_DIGITS} digits, "
        f"between 10^-{MOST_EXPONENT} and 10^{MOST_EXPONENT}"
    )


def _not_base_ten(text: str) -> str:
    if ":" in text:
        how = "as a base-60 number (YAML 1.1 reads 30:49 as 1,849)"
    elif text.lstrip("+-").lower().startswith(("0x", "0b", "0o")):
        how = "as a hexadecimal, binary or octal number"
    elif re.fullmatch(r"[-+]?0[0-9_]+", text):
        how = "as an octal number (YAML 1.1 reads a leading 0 as base 8: 010 is 8)"
    elif re.fullmatch(r"[-+]?0[0-9_]*[.eE][0-9eE.+_-]*", text):
        how = "with a leading zero, which cba does not accept in numbers"
    else:  # an explicit tag on text that is no number: !!int 12abc, !!float nan
        return f"'{text[:40]}' is not a number; write plain base-10 digits (e.g. 1750), or quote it if it is text"
    return (
        f"'{text}' would be read {how}; write plain base-10 digits without a leading zero "
        f"(e.g. 1750), or quote it if it is text"
    )


class DateText(str):
    """A YAML timestamp kept as its text, so that validators can say "a date"."""


def _at(name: str, node_or_mark: Any, message: str) -> Diagnostic:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return Diagnostic(name, mark.line + 1, mark.column + 1, message)


def load_yaml(text: str, name: str) -> Any:
    """Parse one YAML document into plain data (floats as Decimal), in one pass over the C parser's events.

    No node tree is kept (at 10,000 cost lines PyYAML's tree is 130 MiB, 50 times the file): ``compose_tree``
    builds one again only when a problem must be positioned or a scenario ``extends`` another.
    Raises InputError listing every problem: syntax, aliases, duplicate keys, unsupported tags,
    infinities and NaNs.
    """
    problems: list[Diagnostic] = []
    aliases: list[Diagnostic] = []
    try:
        # Aliases and nesting are checked on the event stream, which the C parser produces without
        # recursion: composing a 40,000-deep document would overflow the C stack (a crash, not an error).
        found, data = _from_events(yaml.parse(text, Loader=_Loader), name, problems, aliases)
        if found is _AGAIN:  # a second document or a repeated anchor: the composer's own words for it
            yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        if "nesting depth" in what:
            # PyYAML >= 6.0.3 refuses deep flow nesting itself, while scanning ahead of the events
            raise InputError(
                [_at(name, mark, f"nested more than {MAX_DEPTH} levels deep; a scenario needs five or six")]
            ) from None
        lines = text.splitlines()
        if mark is not None and mark.line < len(lines) and "\t" in lines[mark.line]:
            what += " (YAML does not allow tabs for indentation; use spaces)"
        raise InputError([_at(name, mark, f"YAML syntax error: {what}")]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise InputError(
            [Diagnostic(name, line, column, f"character {exc.character!r} is not allowed in YAML; remove it")]
        ) from None
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError([Diagnostic(name, 1, 1, f"YAML error: {first}")]) from None
    if aliases:
        raise InputError(aliases)
    if not found:
        raise InputError([Diagnostic(name, 1, 1, "file holds no YAML document")])
    if problems:
        raise InputError(problems)
    return data


def compose_tree(text: str) -> Node:
    """The node tree of a document ``load_yaml`` has read (so it parses, and holds no alias): built only to
    position a problem or to lay a scenario over the one it extends."""
    root = yaml.compose(text, Loader=_Loader)
    assert root is not None, "load_yaml refuses a file with no document"
    return root


#: A mapping's state between a key and its value: waiting for a key, or the value of a refused key.
_KEY, _SKIP = object(), object()


class _Open:
    """A mapping being read: its data, the key whose value comes next (or _KEY, _SKIP), each key's line."""

    __slots__ = ("data", "key", "lines")

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}
        self.key: Any = _KEY
        self.lines: dict[str, int] = {}


def partial_tree(text: str, wanted: set[str]) -> Node:
    """The node tree of a document ``load_yaml`` has read, with only the ``wanted`` top-level keys' values
    composed: any other key's value is a placeholder scalar at the value's place. One pass over the events.

    So a position in ``outcomes`` costs a node per outcome, not one per figure of 10,000 cost lines.
    A document that is not a mapping is composed whole."""
    events: Any = yaml.parse(text, Loader=_Loader)
    for event in events:
        if isinstance(event, _EVENTS.MappingStartEvent):
            break
        if isinstance(event, (_EVENTS.ScalarEvent, _EVENTS.SequenceStartEvent)):
            return compose_tree(text)
    else:
        return compose_tree(text)
    start = event
    pairs: list[tuple[Node, Node]] = []
    for event in events:
        if isinstance(event, _EVENTS.MappingEndEvent):
            return MappingNode(_TAG + "map", pairs, _marks(start)[0], _marks(event)[1], start.flow_style)
        assert isinstance(event, _EVENTS.ScalarEvent), "load_yaml refuses a key that is not plain text"
        key = ScalarNode(_TAG + "str", event.value, *_marks(event), event.style)
        if event.value in wanted:
            pairs.append((key, _node(events, next(events))))
        else:
            first = next(events)
            pairs.append((key, ScalarNode(_TAG + "null", "", *_marks(first))))
            _skip(events, first)
    raise AssertionError("a mapping has an end")


def _node(events: Any, event: Any) -> Node:
    """The node ``event`` starts, composed from the events that follow it."""
    if isinstance(event, _EVENTS.ScalarEvent):
        return ScalarNode(_scalar_tag(event), event.value, *_marks(event), event.style)
    if isinstance(event, _EVENTS.SequenceStartEvent):
        items: list[Node] = []
        for item in events:
            if isinstance(item, _EVENTS.SequenceEndEvent):
                return SequenceNode(_TAG + "seq", items, _marks(event)[0], _marks(item)[1], event.flow_style)
            items.append(_node(events, item))
    if isinstance(event, _EVENTS.MappingStartEvent):
        pairs: list[tuple[Node, Node]] = []
        for key in events:
            if isinstance(key, _EVENTS.MappingEndEvent):
                return MappingNode(_TAG + "map", pairs, _marks(event)[0], _marks(key)[1], event.flow_style)
            pairs.append((_node(events, key), _node(events, next(events))))
    raise AssertionError(f"no node starts with {event}")


def _marks(event: Any) -> tuple[Any, Any]:
    """An event's start and end marks (the C parser's Mark type, which the stubs do not know)."""
    return event.start_mark, event.end_mark


def _skip(events: Any, event: Any) -> None:
    """Read past the node ``event`` starts."""
    depth = int(isinstance(event, (_EVENTS.MappingStartEvent, _EVENTS.SequenceStartEvent)))
    while depth:
        event = next(events)
        if isinstance(event, (_EVENTS.MappingStartEvent, _EVENTS.SequenceStartEvent)):
            depth += 1
        elif isinstance(event, (_EVENTS.MappingEndEvent, _EVENTS.SequenceEndEvent)):
            depth -= 1


#: ``_from_events``'s answer when the composer must be asked what is wrong.
_AGAIN = object()
_EVENTS = yaml.events
_MERGE = _TAG + "merge"
_IMPLICIT: dict[Any, list[tuple[str, re.Pattern[str]]]] = _Loader.yaml_implicit_resolvers


def _plain_tag(text: str) -> str:
    """The tag YAML 1.1 gives an untagged plain scalar (the composer's resolver, as the C loader uses it)."""
    if text.isascii() and text.isdigit() and (text[0] != "0" or text == "0"):
        return _TAG + "int"  # most scalars in a large scenario: skip the regular expressions
    for tag, pattern in _IMPLICIT.get(text[:1], []) + _IMPLICIT.get(None, []):
        if pattern.match(text):
            return tag
    return _TAG + "str"


def _scalar_tag(event: Any) -> str:
    """A scalar event's tag as the composer resolves it: the tag written, else by its text when it is plain
    (a quoted scalar, or one tagged just '!', is text)."""
    if event.tag not in (None, "!"):
        return event.tag
    return _plain_tag(event.value) if event.implicit[0] else _TAG + "str"


def _from_events(events: Any, name: str, problems: list[Diagnostic], aliases: list[Diagnostic]) -> tuple[Any, Any]:
    """(whether a document was found, its plain data), built as the events arrive: no node is made.

    The rules are ``_build``'s, event by event; a refused key's value is skipped unread, as there."""
    stack: list[Any] = []  # open collections: a list, or an _Open mapping
    data: Any = None
    found: Any = False
    anchors: set[str] = set()
    keys: dict[str, str] = {}
    depth = skip = 0  # skip: the depth of a refused key's (or its value's) collection still being read past
    for event in events:
        kind = type(event)
        if kind is _EVENTS.ScalarEvent or kind is _EVENTS.MappingStartEvent or kind is _EVENTS.SequenceStartEvent:
            if event.anchor is not None:
                if event.anchor in anchors:
                    return _AGAIN, None
                anchors.add(event.anchor)
            if kind is not _EVENTS.ScalarEvent:
                depth += 1
                if depth > MAX_DEPTH:
                    raise InputError(
                        [_at(name, event, f"nested more than {MAX_DEPTH} levels deep; a scenario needs five or six")]
                    )
            if skip:
                skip += kind is not _EVENTS.ScalarEvent
                continue
            top = stack[-1] if stack else None
            if type(top) is _Open and top.key is _KEY:  # a mapping's key
                if kind is not _EVENTS.ScalarEvent:
                    problems.append(_at(name, event, "a key must be plain text, not a list or mapping"))
                    top.key, skip = _SKIP, 1
                    continue
                # One string for each key text: a large scenario's 200,000 period keys are ten strings, kept so
                # by the models (a period is validated as the same str).
                key = keys.setdefault(event.value, event.value)
                if event.tag == _MERGE or (event.tag is None and event.implicit[0] and key == "<<"):
                    problems.append(_at(name, event, "YAML merge keys (<<) are not allowed"))
                    top.key = _SKIP
                elif key in top.lines:
                    problems.append(
                        _at(name, event, f"duplicate key '{key}' (first given on line {top.lines[key]}); remove one")
                    )
                    top.key = _SKIP
                else:
                    top.lines[key] = event.start_mark.line + 1
                    top.key = key
                continue
            if type(top) is _Open and top.key is _SKIP:
                top.key = _KEY
                skip = int(kind is not _EVENTS.ScalarEvent)
                continue
            if kind is _EVENTS.ScalarEvent:
                value = _scalar(_scalar_tag(event).removeprefix(_TAG), event.value, event, name, problems)
            else:
                tag = event.tag
                want = "map" if kind is _EVENTS.MappingStartEvent else "seq"
                if tag is not None and tag != "!" and tag != _TAG + want:
                    problems.append(_at(name, event, f"unsupported YAML tag {tag}"))
                stack.append(_Open() if want == "map" else [])
                continue
        elif kind is _EVENTS.MappingEndEvent or kind is _EVENTS.SequenceEndEvent:
            depth -= 1
            if skip:
                skip -= 1
                continue
            closed = stack.pop()
            value = closed.data if type(closed) is _Open else closed
        elif kind is _EVENTS.AliasEvent:
            aliases.append(_at(name, event, f"YAML alias *{event.anchor} is not allowed; write the value out in full"))
            value = None
            if skip:
                continue
            top = stack[-1] if stack else None
            if type(top) is _Open and top.key in (_KEY, _SKIP):  # an alias as a key: its value is not read
                top.key = _SKIP if top.key is _KEY else _KEY
                continue
        elif kind is _EVENTS.DocumentStartEvent:
            if found:
                return _AGAIN, None
            found = True
            continue
        else:  # stream start and end, document end
            continue
        if not stack:
            data = value
        else:
            top = stack[-1]
            if type(top) is _Open:
                top.data[top.key] = value
                top.key = _KEY
            else:
                top.append(value)
    return found, data


def _build(node: Node, name: str, problems: list[Diagnostic], depth: int) -> Any:
    if depth > MAX_DEPTH:
        problems.append(_at(name, node, f"nested more than {MAX_DEPTH} levels deep"))
        return None
    if isinstance(node, ScalarNode):
        return _scalar(node.tag.removeprefix(_TAG), node.value, node, name, problems)
    if isinstance(node, SequenceNode):
        if node.tag != _TAG + "seq":
            problems.append(_at(name, node, f"unsupported YAML tag {node.tag}"))
        return [_build(item, name, problems, depth + 1) for item in node.value]
    if isinstance(node, MappingNode):
        if node.tag != _TAG + "map":
            problems.append(_at(name, node, f"unsupported YAML tag {node.tag}"))
        result: dict[str, Any] = {}
        first_seen: dict[str, Node] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                problems.append(_at(name, key_node, "a key must be plain text, not a list or mapping"))
                continue
            key = key_node.value
            if key_node.tag == _TAG + "merge":
                problems.append(_at(name, key_node, "YAML merge keys (<<) are not allowed"))
                continue
            if key in first_seen:
                first = first_seen[key].start_mark.line + 1
                problems.append(_at(name, key_node, f"duplicate key '{key}' (first given on line {first}); remove one"))
                continue
            first_seen[key] = key_node
            result[key] = _build(value_node, name, problems, depth + 1)
        return result
    problems.append(_at(name, node, "unsupported YAML node"))
    return None


def _scalar(tag: str, text: str, node: Any, name: str, problems: list[Diagnostic]) -> Any:
    """A scalar's value by its resolved tag (without the prefix); ``node`` is what positions a problem."""
    if tag == "str":
        return text
    if tag == "null":
        return None
    if tag == "bool":
        if text.lower() not in _BOOLS:  # only an explicit !!bool tag gets here with other text
            problems.append(_at(name, node, f"'{text[:40]}' is not true or false"))
            return None
        return _BOOLS[text.lower()]
    if tag == "int":
        cleaned = text.replace("_", "")
        if not _PLAIN_INT.match(cleaned):
            problems.append(_at(name, node, _not_base_ten(text)))
            return None
        if len(cleaned.lstrip("+-")) > MOST_DIGITS:  # int() of over 4,300 digits raises; none is an input
            problems.append(_at(name, node, _too_many_digits(cleaned)))
            return None
        return int(cleaned)
    if tag == "float":
        cleaned = text.replace("_", "")
        if cleaned.lower().lstrip("+-") in (".inf", ".nan"):
            problems.append(_at(name, node, f"'{text}' is not a finite number; give an amount"))
            return None
        if not _PLAIN_DECIMAL.match(cleaned):
            problems.append(_at(name, node, _not_base_ten(text)))
            return None
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            problems.append(_at(name, node, f"'{text}' is not a number cba can read exactly"))
            return None
        if (number and not -MOST_EXPONENT <= number.adjusted() <= MOST_EXPONENT) or len(
            number.as_tuple().digits
        ) > MOST_DIGITS:
            problems.append(_at(name, node, _too_many_digits(cleaned)))
            return None
        return number
    if tag == "timestamp":
        return DateText(text)
    problems.append(_at(name, node, f"unsupported YAML tag !{tag}; write plain text or numbers"))
    return None


def _entries(node: MappingNode) -> dict[str, tuple[Node, Node]]:
    """A mapping node's (key node, value node) by key text, built once per node: diagnostics for
    thousands of keys look each up in constant time instead of scanning the mapping each time."""
    entries = _INDEX.get(node)
    if entries is None:
        entries = {}
        for k, v in node.value:
            if isinstance(k, ScalarNode):
                entries.setdefault(k.value, (k, v))
        _INDEX[node] = entries
    return entries


def build_data(root: Node, name: str) -> Any:
    """Plain data from a node tree already checked by ``load_yaml`` (a merged ``extends`` tree)."""
    problems: list[Diagnostic] = []
    data = _build(root, name, problems, 0)
    if problems:
        raise InputError(problems)
    return data


def item_id(item: Node) -> str | None:
    """A list item's plain ``id``; None when it is not a mapping or has none."""
    found = _entries(item).get("id") if isinstance(item, MappingNode) else None
    return found[1].value if found is not None and isinstance(found[1], ScalarNode) else None


def _ids(node: Node) -> list[str] | None:
    """The ids of a list whose every item is a mapping with a plain ``id``; None for any other list."""
    if not isinstance(node, SequenceNode) or not node.value:
        return None
    ids = []
    for item in node.value:
        found = item_id(item)
        if found is None:
            return None
        ids.append(found)
    return ids


def repeated_ids(root: Node) -> list[tuple[str, Node]]:
    """Items of a list merged by id (``merge_nodes``) whose id an earlier item of the same list has: the merge
    would keep only the last, so a child scenario's repeated id is refused rather than silently dropped."""
    repeated = []
    for node in walk(root):
        ids = _ids(node)
        if ids is None:
            continue
        seen: set[str] = set()
        for item_id, item in zip(ids, node.value):
            if item_id in seen:
                repeated.append((item_id, item))
            seen.add(item_id)
    return repeated


def merge_nodes(base: Node, child: Node) -> Node:
    """``child`` laid over ``base`` (``extends``): mappings merge key by key; a list whose items all carry
    an ``id`` in both merges item by item (an item with a new id is added at the end); anything else in
    the child replaces the base's. Nodes keep their own marks, so a position names the file that wrote it."""
    if isinstance(base, MappingNode) and isinstance(child, MappingNode):
        entries = _entries(child)
        merged = []
        for key, value in base.value:
            found = entries.get(key.value) if isinstance(key, ScalarNode) else None
            merged.append((key, value) if found is None else (found[0], merge_nodes(value, found[1])))
        taken = {k.value for k, _ in base.value if isinstance(k, ScalarNode)}
        merged += [(k, v) for k, v in child.value if not (isinstance(k, ScalarNode) and k.value in taken)]
        return MappingNode(child.tag, merged, child.start_mark, child.end_mark, child.flow_style)
    base_ids, child_ids = _ids(base), _ids(child)
    if base_ids is not None and child_ids is not None:
        by_id = dict(zip(child_ids, child.value))
        items = [merge_nodes(item, by_id[i]) if i in by_id else item for i, item in zip(base_ids, base.value)]
        items += [item for i, item in zip(child_ids, child.value) if i not in base_ids]
        return SequenceNode(child.tag, items, child.start_mark, child.end_mark, child.flow_style)  # type: ignore[attr-defined]  # collection nodes have it; the stubs put it on neither
    return child


def walk(root: Node):
    """Every node of a tree, keys included."""
    stack = [root]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
        elif isinstance(node, SequenceNode):
            stack += node.value


#: Weak, so that an index goes with its document (a portfolio loads thousands).
_INDEX: weakref.WeakKeyDictionary[MappingNode, dict[str, tuple[Node, Node]]] = weakref.WeakKeyDictionary()


def locate(root: Node, loc: tuple[Any, ...]) -> Node:
    """The node that a validation path points at, as deep as the path resolves.

    A part the tree does not hold (a missing key, a union branch's name) is
    skipped, so a missing field points at its parent mapping. ``"[key]"`` after
    a mapping key points at the key itself rather than its value.
    """
    node = root
    key_node: Node | None = None
    for part in loc:
        if part == "[key]" and key_node is not None:
            return key_node
        if isinstance(node, MappingNode):
            found = _entries(node).get(str(part))
            if found is not None:
                key_node, node = found
        elif isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            key_node, node = None, node.value[part]
    return node


def locate_key(root: Node, loc: tuple[Any, ...]) -> Node:
    """The key node named by the last part of ``loc`` (for unknown keys)."""
    parent = locate(root, loc[:-1])
    if isinstance(parent, MappingNode):
        found = _entries(parent).get(str(loc[-1]))
        if found is not None:
            return found[0]
    return parent
