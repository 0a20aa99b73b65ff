"""An input file as cba read it: the provenance every output names."""

from __future__ import annotations

from pathlib import Path

from cba.model.record import record


@record
class Source:
    """An input file as read: its name as the user gave it, its text, and its content hash."""

    name: str
    path: Path
    text: str
    sha256: str
