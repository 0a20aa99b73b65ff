"""``cba options --html``: the shortlist as one self-contained page for a board, from the options result.

The same page conventions as ``cba report`` (``render.html``): inline CSS, no network request, autoescaped
user text with its hidden characters shown, every figure's exact value in ``data-value``.
"""

from __future__ import annotations

from pathlib import Path

from cba.engine.result import TableResult
from cba.render.html import _environment

_ELSEWHERE = {("options", "scenario"), ("options", "unmonetised")}


def render(result: TableResult) -> str:
    first = result.provenance[0]
    preferred = next(t for t in result.tables if t.key == "preferred")
    template = _environment().get_template("options.html.j2")
    return template.render(
        title=first.scenario,
        p=first,
        provenance=result.provenance,
        # the scenario's long name and the impacts' tally are in the footer and the impacts' own table: a board's
        # page keeps the options table to its figures, so it fits a laptop's width without scrolling
        tables=[
            (t, [i for i, c in enumerate(t.columns) if (t.key, c.key) not in _ELSEWHERE])
            for t in result.tables
            if t.key != "preferred"
        ],
        decision=dict(zip((c.key for c in preferred.columns), preferred.rows[0], strict=True)),
        notes=result.notes,
    )


def write(result: TableResult, path: Path, *, force: bool, inputs: list[Path]) -> None:
    """Render, then write atomically (never over a file without ``force``)."""
    from cba.io.atomic import write_atomically

    page = render(result)
    write_atomically(path, lambda temp: temp.write_text(page, encoding="utf-8"), force=force, inputs=inputs)
