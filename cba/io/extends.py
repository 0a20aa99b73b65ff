"""A scenario laid over the one it ``extends``: the base's node tree merged with the child's, each node
remembering its file, and the base's file paths made relative to the child."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from cba.io.files import beside, looks_like_a_name, read_source
from cba.io.positions import Positions
from cba.io.reference_data import BUNDLED_DEFLATORS
from cba.io.scenario_shape import scenario_data
from cba.io.validation import diagnostics
from cba.io.yamlsafe import build_data, compose_tree, item_id, load_yaml, merge_nodes, repeated_ids, walk
from cba.model.errors import Diagnostic, InputError, suggest
from cba.model.scenario import Scenario
from cba.model.source import Source

MAX_EXTENDS = 8


def extended(
    data: dict, root: Node, source: Source, chain: tuple[Path, ...] = ()
) -> tuple[Node, list[Source], dict[int, str]]:
    """The scenario's node tree laid over the one it ``extends`` (and that one's, in turn), with the files
    read and the file each base node came from. A base must be a valid scenario on its own."""
    given = data["extends"]
    here = Positions(root, source.name)
    chain = chain + (Path(os.path.realpath(source.path)),)  # realpath: Path.resolve raises on a link loop
    if not isinstance(given, str) or not given.strip():
        raise InputError(
            [
                here.at(
                    ("extends",),
                    False,
                    "extends: give the path of the scenario this one builds on, relative to this file",
                )
            ]
        )
    if "\0" in given:
        raise InputError([here.at(("extends",), False, "extends: the file name contains a NUL character")])
    path = beside(source.path, given)
    if Path(os.path.realpath(path)) in chain:
        loop = " -> ".join(p.name for p in chain + (Path(os.path.realpath(path)),))
        raise InputError([here.at(("extends",), False, f"extends makes a loop ({loop})")])
    if len(chain) > MAX_EXTENDS:
        raise InputError([here.at(("extends",), False, f"extends is nested more than {MAX_EXTENDS} files deep")])
    try:
        shown = Path(os.path.normpath(Path(source.name).parent / given))
        base = read_source(path, str(shown if os.path.realpath(shown) == os.path.realpath(path) else path))
    except InputError as exc:
        raise InputError([here.at(("extends",), False, f"extends: {d.message}") for d in exc.diagnostics]) from None
    base_data = scenario_data(load_yaml(base.text, base.name), base.name)
    base_root = compose_tree(base.text)
    sources, origins = [base], dict[int, str]()
    if "extends" in base_data:
        base_root, more, origins = extended(base_data, base_root, base, chain)
        sources += more
        base_data = build_data(base_root, base.name)
    try:
        Scenario.model_validate(base_data)
    except ValidationError as exc:
        raise InputError(
            diagnostics(exc, base.name, Positions(base_root, base.name, origins), model=Scenario)
        ) from None
    _rebase_paths(base_root, Path(os.path.realpath(path)).parent, Path(os.path.realpath(source.path)).parent)
    for node in walk(base_root):
        origins.setdefault(id(node), base.name)
    repeated = repeated_ids(root)
    if repeated:
        raise InputError(
            [
                Diagnostic(
                    source.name,
                    item.start_mark.line + 1,
                    item.start_mark.column + 1,
                    f"id '{item_id}' is given twice in this list; with extends, write each id once "
                    "(the merge would keep only the last)",
                )
                for item_id, item in repeated
            ]
        )
    removed = next((v for k, v in root.value if getattr(k, "value", None) == "remove"), None)
    if removed is not None:
        base_root = _without(base_root, removed, source.name, base.name)
    child = MappingNode(
        root.tag,
        [(k, v) for k, v in root.value if getattr(k, "value", None) not in ("extends", "remove")],
        root.start_mark,
        root.end_mark,
        root.flow_style,  # type: ignore[attr-defined]  # as in yamlsafe.merge_nodes
    )
    return merge_nodes(base_root, child), sources, origins


def _without(base: Node, removed: Node, name: str, base_name: str) -> Node:
    """The base with the items ``remove:`` names left out: ``[id, ...]`` from whichever of the base's lists holds
    it, or ``{list: [id, ...]}``. An id the base does not have, or that names items of two lists, is an error
    at the id."""
    lists = {
        k.value: v
        for k, v in (base.value if isinstance(base, MappingNode) else ())
        if isinstance(k, ScalarNode) and isinstance(v, SequenceNode)
    }

    def at(node: Node, message: str) -> Diagnostic:
        return Diagnostic(name, node.start_mark.line + 1, node.start_mark.column + 1, message)

    asked: list[tuple[Node, list[str]]] = []  # (the id as written, the lists it may come from)
    if isinstance(removed, SequenceNode):
        asked = [(n, list(lists)) for n in removed.value]
    elif isinstance(removed, MappingNode):
        for k, v in removed.value:
            if getattr(k, "value", None) not in lists:
                known = ", ".join(sorted(lists)) or "none"
                raise InputError(
                    [
                        at(
                            k,
                            f"remove: {base_name} has no list '{k.value}'{suggest(str(k.value), lists)}; its lists: {known}",
                        )
                    ]
                )
            asked += [(n, [k.value]) for n in (v.value if isinstance(v, SequenceNode) else [v])]
    else:
        raise InputError(
            [at(removed, "remove: give the ids of items to leave out, as a list: remove: [old-line, lac]")]
        )
    problems, gone = [], set()
    for node, names in asked:
        wanted = str(node.value) if isinstance(node, ScalarNode) else ""
        holders = [n for n in names if any(item_id(i) == wanted for i in lists[n].value)]
        if not holders:
            every = [i for n in names for x in lists[n].value if (i := item_id(x)) is not None]
            problems.append(at(node, f"remove: {base_name} has no item with id '{wanted}'{suggest(wanted, every)}"))
        elif len(holders) > 1:
            problems.append(
                at(
                    node,
                    f"remove: '{wanted}' names items of {' and '.join(holders)}; write remove: {{{holders[0]}: [{wanted}]}}",
                )
            )
        else:
            gone.add((holders[0], wanted))
    if problems:
        raise InputError(problems)
    kept = []
    for k, v in base.value:  # a mapping: the lists came from it
        if isinstance(k, ScalarNode) and k.value in lists:
            items = [i for i in v.value if (k.value, item_id(i)) not in gone]
            v = SequenceNode(v.tag, items, v.start_mark, v.end_mark, v.flow_style)
        kept.append((k, v))
    return MappingNode(base.tag, kept, base.start_mark, base.end_mark, base.flow_style)  # type: ignore[attr-defined]


def _rebase_paths(root: Node, base_dir: Path, child_dir: Path) -> None:
    """Make the file paths a base scenario names relative to the scenario that extends it (names of
    bundled tables and series stay as they are)."""

    def rebase(node: Node) -> None:
        if (
            isinstance(node, ScalarNode)
            and node.value
            and not looks_like_a_name(node.value)
            and node.value not in BUNDLED_DEFLATORS
            and not os.path.isabs(node.value)
        ):
            node.value = os.path.relpath(os.path.normpath(base_dir / node.value), child_dir)

    entries = {k.value: v for k, v in root.value} if isinstance(root, MappingNode) else {}
    tables = entries.get("unit_costs")
    if isinstance(tables, ScalarNode):
        rebase(tables)
    elif isinstance(tables, SequenceNode):
        for item in tables.value:
            for k, v in item.value if isinstance(item, MappingNode) else ():
                if k.value == "path":
                    rebase(v)
    settings = entries.get("appraisal")
    for k, v in settings.value if isinstance(settings, MappingNode) else ():
        if k.value in ("deflator", "discount_schedule", "optimism_bias_grades"):
            rebase(v)
