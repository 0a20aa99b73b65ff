"""An input file as cba read it: the provenance every output names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """An input file as read: its name as the user gave it, its text, and its content hash."""

    name: str
    path: Path
    text: str
    sha256: str
