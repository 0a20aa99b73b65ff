"""Which scenario files a list of paths names: files, folders (recursing into *.yaml) and globs."""

from __future__ import annotations

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
    problems = []
    for given in paths:
        text = str(given)
        if given.is_dir():
            matches = sorted(p for pattern in ("*.yaml", "*.yml") for p in given.rglob(pattern) if p.is_file())
            if not matches:
                problems.append(Diagnostic(text, 1, 1, "no scenarios (*.yaml) found in this folder"))
        elif given.exists():
            matches = [given]
        elif glob.has_magic(text):
            matches = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
            if not matches:
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
