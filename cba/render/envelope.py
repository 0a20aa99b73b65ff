"""What every JSON document cba prints starts with: schema version, command and provenance.

Kept free of heavy imports, so the fast paths (``costs search``) can use it too.
"""

from __future__ import annotations

import shlex
import sys
from typing import Any

#: The version of every JSON output's shape (``schema/*.schema.json``).
SCHEMA_VERSION = 3  # 3: appraisal cost_lines in real terms replace the one cost_optimism_bias


def table_inputs(*tables: tuple[str, str, str]) -> dict[str, Any]:
    """The provenance of a unit-cost command: (name, file, sha256) of each table read."""
    from cba import __version__

    return {
        "cba_version": __version__,
        "command": shlex.join(["cba", *sys.argv[1:]]),
        "inputs": [
            {"role": "unit costs", "name": name, "file": file, "sha256": sha256} for name, file, sha256 in tables
        ],
    }


def envelope(command: str, provenance: Any, body: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION, "command": command, "provenance": provenance, **body}
