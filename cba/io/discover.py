"""Which scenario files a list of paths names: files, folders (recursing into *.yaml) and globs."""

from __future__ import annotations

import fnmatch
import glob
import os
from dataclasses import dataclass, field
from pathlib import Path

from cba.model.errors import Diagnostic, InputError


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def scenario_files(paths: list[Path]) -> Found:
    """Every scenario the paths name, in the order given (a folder's files sorted), each file once.

    A path that names nothing is an InputError; so is a folder or glob with no scenario in it.
    """
    found = Found()
    seen: dict[str, Path] = {}
    problems: list[Diagnostic] = []
    for given in paths:
        text = str(given)
        if given.is_dir():
            matches = _under(given, problems)
            if not matches and not problems:
                problems.append(Diagnostic(text, 1, 1, "no scenarios (*.yaml) found in this folder"))
        elif given.exists():
            matches = [given]
        elif glob.has_magic(text):
            matches = _matching(text, problems)
            if not matches and not problems:
                problems.append(Diagnostic(text, 1, 1, "no file matches this pattern"))
        else:
            problems.append(Diagnostic(text, 1, 1, "no such file or folder"))
            matches = []
        for path in matches:
            key = os.path.normcase(str(path.resolve()))
            if key in seen:
                found.notes.append(f"{path} was named more than once (as {seen[key]}); appraised once")
                continue
            seen[key] = path
            found.files.append(path)
    if problems:
        raise InputError(problems)
    return found


def _under(folder: Path, problems: list[Diagnostic]) -> list[Path]:
    """Scenario files (*.yaml, *.yml) in a folder and below.

    Links to folders are not followed (two links to '.' made glob's ``**`` explode), and a folder that
    cannot be read is a problem, not silently left out of the totals.
    """

    def unreadable(exc: OSError) -> None:
        problems.append(Diagnostic(str(exc.filename or folder), 1, 1, f"cannot read folder: {exc.strerror or exc}"))

    found = []
    for top, folders, files in os.walk(folder, onerror=unreadable, followlinks=False):
        folders.sort()
        for name in files:
            path = Path(top) / name
            if name.lower().endswith((".yaml", ".yml")) and path.is_file():
                found.append(path)
    return sorted(found)


def _matching(pattern: str, problems: list[Diagnostic]) -> list[Path]:
    """Files a glob names. A recursive ``**`` walks without following links to folders; other patterns
    are the standard glob's (one level each, no recursion to explode)."""
    if "**" not in pattern:
        return sorted(Path(p) for p in glob.glob(pattern) if Path(p).is_file())
    parts = Path(pattern).parts
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    folder = Path(*parts[:fixed]) if fixed else Path(".")
    rest = "/".join(parts[fixed:])
    # '**/' matches no folder as well as any: 'f/**/*.yaml' names f/a.yaml too, as glob's does.
    patterns = {rest, rest.replace("**/", "")}
    return sorted({p for p in _under(folder, problems) if any(_glob_match(p.relative_to(folder), q) for q in patterns)})


def _glob_match(relative: Path, pattern: str) -> bool:
    """Part by part, as glob matches: '*' within one folder name, '**' across any number of them."""
    names, wanted = relative.parts, pattern.split("/")

    def match(i: int, j: int) -> bool:
        if j == len(wanted):
            return i == len(names)
        if wanted[j] == "**":
            return any(match(k, j + 1) for k in range(i, len(names) + 1))
        return i < len(names) and fnmatch.fnmatchcase(names[i], wanted[j]) and match(i + 1, j + 1)

    return match(0, 0)
