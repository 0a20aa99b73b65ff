"""``cba diff EDITED.xlsx [SCENARIO]``: an auditor's edits read back as a change to the scenario.

The phases, each a function: read the workbook and what made it (``read``); build the same workbook
from the scenario, refusing one whose files changed since (``rebuild``); compare (``xlsx_diff.changes``);
say it as ``--set`` lines and as a patch that keeps the file's comments and layout (``io.yaml_patch``);
and with ``--write``, apply the patch.
"""

from __future__ import annotations

import difflib
import json
import shlex
import sys
from pathlib import Path
from typing import Any

from cba.cli.options import APPRAISAL, FORCE, RUN, STRICT, Appraisal, Option, parse_plain
from cba.model.errors import CbaError, Diagnostic, InputError, UsageError, one_line
from cba.model.record import record

#: ``cba export``'s own options, as its command line is recorded on the Summary
EXPORT = (*APPRAISAL, Option("output", ("--output", "-o"), "", kind="path"), FORCE, STRICT)


@record
class Diff:
    """What ``cba diff`` found: the changes, the run that says them, and the patch (or why there is none)."""

    workbook: str
    scenario: Path
    sha256: str
    changes: tuple[Any, ...]  # xlsx_diff.CellChange
    run: str
    patch: str | None  # the scenario's new text, or None
    why_no_patch: str
    unit_costs: dict[str, str]  # set by --set only: they live in a table


def read(path: Path) -> Any:
    """The edited workbook (formulas as written, not values); a damaged or foreign file is one line."""
    import zipfile

    from openpyxl import load_workbook

    from cba.io.import_costs import DAMAGED, check_workbook

    name = str(path)
    if not path.exists():
        raise InputError([Diagnostic(name, 1, 1, "no such file")])
    check_workbook(path, name)
    try:
        return load_workbook(path)
    except (*DAMAGED, zipfile.BadZipFile, OSError) as exc:
        message = f"not a workbook cba can read: {one_line(str(exc) or type(exc).__name__, 120)}"
        raise InputError([Diagnostic(name, 1, 1, message)]) from None


def rebuild(book: Any, name: str, scenario: Path | None) -> tuple[Path, str, Appraisal, Any, Any]:
    """The scenario, its recorded SHA-256, the run's options, and the workbook built again with its keys."""
    from cba.cli.common import prepare
    from cba.render.xlsx import build_workbook
    from cba.render.xlsx_diff import provenance, sha256

    made = provenance(book, name)
    argv = shlex.split(made.command)[1:]
    if not argv or argv[0] not in ("export", "run"):
        what = argv[0] if argv else "nothing"
        raise UsageError(
            f"{name}: written by `cba {what}`, whose workbook is a table of results, not the model; "
            "diff a workbook from cba export"
        )
    parsed = parse_plain(argv[1:], EXPORT if argv[0] == "export" else RUN)
    if parsed is None or len(parsed[0]) != 1:
        raise UsageError(f"{name}: cannot read the command that made it ({one_line(made.command, 100)})")
    given = parsed[1]
    path = scenario or Path(made.scenario)
    recorded = next(sha for label, _, sha in made.files if label == "Scenario file")
    if not path.is_file():
        raise UsageError(f"{name}: made from {path}, which is not here; give the scenario: cba diff {name} SCENARIO")
    if sha256(path) != recorded:
        raise UsageError(
            f"{path}: has changed since {name} was exported (its SHA-256 is {sha256(path)[:12]}..., the "
            f"workbook's {recorded[:12]}...): export the workbook again, or give the scenario it was made from"
        )
    appraisal = Appraisal.of(given)
    _, result = prepare(path, appraisal)
    now = {f.sha256 for f in result.provenance.files}
    for label, file, sha in made.files:
        if sha not in now:
            raise UsageError(
                f"{name}: its {label.lower()} ({file}) is not the one this scenario now reads (SHA-256 "
                f"{sha[:12]}...): export the workbook again"
            )
    return path, recorded, appraisal, result, build_workbook(result, keys=True)


def diff(workbook: Path, scenario: Path | None) -> Diff:
    from cba.io.yaml_patch import patched
    from cba.render.xlsx_cells import input_keys
    from cba.render.xlsx_diff import changes

    edited = read(workbook)
    name = str(workbook)
    path, sha, appraisal, _, built = rebuild(edited, name, scenario)
    found = tuple(changes(built, input_keys(built), edited))
    sets = [c.setting for c in found if c.setting]
    if sets:  # the changes must make a valid scenario, as cba run would read them
        _check(path, appraisal, [c for c in found if c.setting], name)
    run = shlex.join(["cba", "run", str(path), *_options(appraisal), *(a for s in sets for a in ("--set", s))])
    patch: str | None = None
    why = ""
    later: dict[str, str] = {}
    if sets:
        try:
            patch, later = patched(path.read_text(encoding="utf-8"), sets, str(path))
        except CbaError as exc:
            why = str(exc)
    return Diff(name, path, sha, found, run, patch, why, later)


def _check(path: Path, appraisal: Appraisal, keyed: list[Any], name: str) -> None:
    """Refuse changes that do not make a valid scenario, naming the cell of each one that does not."""
    from cba.cli.common import prepare

    def with_sets(sets: list[str]) -> Appraisal:
        return Appraisal(
            appraisal.unit_costs,
            appraisal.attributable,
            appraisal.basis,
            (*appraisal.sets, *sets),
            appraisal.green_book,
        )

    try:
        prepare(path, with_sets([c.setting for c in keyed]))
        return
    except CbaError as together:
        problems = []
        for c in keyed:  # which cells: each change alone
            try:
                prepare(path, with_sets([c.setting]))
            except CbaError as exc:
                problems.append(Diagnostic(name, 1, 1, f"{c.sheet}!{c.cell} ({c.label}): {one_line(str(exc), 300)}"))
        if not problems:  # each is valid alone, not together
            problems.append(Diagnostic(name, 1, 1, f"its changes together do not make a valid scenario: {together}"))
        raise InputError(problems) from None


def _options(appraisal: Appraisal) -> list[str]:
    """The recorded run's options, so that the same run is repeated with the changes on top."""
    found = [a for outcome in appraisal.attributable for a in ("-a", outcome)]
    if appraisal.basis:
        found += ["--basis", appraisal.basis]
    if appraisal.green_book:
        found.append("--green-book")
    if appraisal.unit_costs:
        found += ["--unit-costs", str(appraisal.unit_costs)]
    return found + [a for s in appraisal.sets for a in ("--set", s)]


def show(found: Diff, format: str) -> None:
    """Print the diff: for people, or as JSON."""
    from cba.render.safe import visible

    keyed = [c for c in found.changes if c.key]
    other = [c for c in found.changes if not c.key]
    if format == "json":
        document = {
            "workbook": found.workbook,
            "scenario": str(found.scenario),
            "sha256": found.sha256,
            "changes": [_change(c) for c in keyed],
            "not_expressible": [_change(c) for c in other],
            "run": found.run if keyed else None,
            "patch": _unified(found) if found.patch is not None else None,
            "why_no_patch": found.why_no_patch or None,
            "unit_costs": found.unit_costs,
        }
        print(json.dumps(document, indent=2, ensure_ascii=False))
        return
    source = visible(str(found.scenario))
    if not found.changes:
        print(f"No input of {visible(found.workbook)} differs from {source} (SHA-256 {found.sha256[:12]}...).")
        return
    print(f"{len(keyed)} input(s) of {visible(found.workbook)} differ from {source} (SHA-256 {found.sha256[:12]}...):")
    for c in keyed:
        where = f" ({c.key} is a unit-cost table's entry: --set only)" if c.key in found.unit_costs else ""
        setting = visible(c.setting or "")
        print(f"  {c.sheet}!{c.cell}  {visible(c.label)}: {_shown(c.was)} -> {_shown(c.now)}  --set {setting}{where}")
    if other:
        print("Not expressible as a change to the scenario (cba keeps them as the scenario and its tables give them):")
        for c in other:
            print(f"  {c.sheet}!{c.cell}  {visible(c.label)}: {_shown(c.was)} -> {_shown(c.now)}  ({c.why})")
    if not keyed:
        return
    print("The same run with the changes:")
    print(f"  {visible(found.run)}")
    if found.patch is not None:
        print(f"As a change to {source} (cba diff --write applies it):")
        for line in _unified(found).splitlines():  # the file's text, shown inert line by line
            print(visible(line))
    elif found.why_no_patch:
        print(f"No patch: {visible(found.why_no_patch)}")


def _unified(found: Diff) -> str:
    old = found.scenario.read_text(encoding="utf-8").splitlines(keepends=True)
    new = (found.patch or "").splitlines(keepends=True)
    name = str(found.scenario)
    return "".join(difflib.unified_diff(old, new, name, f"{name} (edited in {found.workbook})"))


def _shown(value: object) -> str:
    from cba.render.safe import visible
    from cba.render.xlsx_diff import set_text

    return "(empty)" if value is None else visible(set_text(value))


def _change(c: Any) -> dict[str, object]:
    return {
        "sheet": c.sheet,
        "cell": c.cell,
        "label": c.label,
        "was": None if c.was is None else _json_value(c.was),
        "now": None if c.now is None else _json_value(c.now),
        "set": c.setting,
        "why": c.why or None,
    }


def _json_value(value: object) -> object:
    from cba.render.xlsx_diff import set_text

    return value if isinstance(value, (bool, str)) else set_text(value)


def write(found: Diff) -> None:
    """Apply the patch to the scenario (``--write``: the user asked), atomically."""
    from cba.io.atomic import write_atomically
    from cba.render.safe import visible

    keyed = [c for c in found.changes if c.key and c.key not in found.unit_costs]
    if not keyed:
        print(
            f"nothing to write: no change of {visible(found.workbook)} is a change to {visible(str(found.scenario))}",
            file=sys.stderr,
        )
        return
    if found.patch is None:
        raise UsageError(f"--write: {found.why_no_patch}")
    text = found.patch
    write_atomically(found.scenario, lambda temp: temp.write_text(text, encoding="utf-8"), force=True)
    print(
        f"wrote {visible(str(found.scenario))}: {len(keyed)} change(s) from {visible(found.workbook)}", file=sys.stderr
    )
    if found.unit_costs:
        print(f"not written (unit-cost tables, --set only): {', '.join(sorted(found.unit_costs))}", file=sys.stderr)
