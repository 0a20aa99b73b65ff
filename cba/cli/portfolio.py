"""Running ``cba portfolio``: scenarios appraised in parallel processes, in a fixed order, with progress.

Each worker loads a scenario exactly as ``cba run`` does and sends back one small row; the
unit-cost tables it reads are parsed once per worker (``io.unit_cost_table``). With
``--xlsx``, each worker also writes its programme's own workbook into a staging folder,
and nothing reaches the requested place unless every file could be written.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from cba.cli.options import Appraisal
from cba.engine.portfolio import Programme, programme
from cba.model.errors import CbaError, OutputError
from cba.model.record import record

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


@record
class Options:
    appraisal: Appraisal
    command: str
    workbooks: Path | None  # staging folder for each programme's workbook, or None


def _worker_start() -> None:
    import gc

    gc.enable()  # a worker appraises thousands of scenarios: keep its memory flat


def _pool_worker_start() -> None:
    import signal

    _worker_start()
    # Ctrl-C reaches every process of the terminal's group: the parent alone answers it, and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def appraise(job: tuple[int, Path, Options]) -> Programme:
    """One scenario's row (run in a worker process): its headline figures, or its problems."""
    index, path, options = job
    from cba.cli.common import path_reader, refuse_unknown_paths
    from cba.engine.run import run
    from cba.io.load import load
    from cba.model.errors import UsageError, suggest
    from cba.model.scenario import NetPositionBasis

    try:
        loaded = load(
            path,
            options.appraisal.unit_costs,
            green_book=options.appraisal.green_book,
            sets=list(options.appraisal.sets),
        )
        known = [o.id for o in loaded.scenario.outcomes]
        for a in options.appraisal.attributable:
            if a not in known:
                raise UsageError(f"--attributable {a}: no outcome with that id in {path}{suggest(a, known)}")
        result = run(
            loaded.scenario,
            loaded.costs,
            loaded.provenance(options.command),
            reference=loaded.reference,
            attributable=[a for a in options.appraisal.attributable if a in known],
            basis=NetPositionBasis(options.appraisal.basis) if options.appraisal.basis else None,
            read_paths=path_reader(loaded),
            green_book=options.appraisal.green_book,
        )
        refuse_unknown_paths(loaded, result)
        row = programme(result, str(path))
        if options.workbooks is not None:
            from dataclasses import replace

            from cba.render.xlsx import export

            name = f"{index + 1:04d}-{path.stem}.xlsx"
            # The one save path: results stored beside the formulas, written atomically, a full disk one line.
            export(result, options.workbooks / name, force=False)
            row = replace(row, workbook=name)
        return row
    except CbaError as exc:
        return Programme(file=str(path), problems=tuple(exc.lines()))


def appraise_all(
    paths: list[Path], options: Options, jobs: int, progress: Callable[[int, int], None] = lambda done, total: None
) -> list[Programme]:
    """Every scenario's row, in the order of ``paths``, using ``jobs`` processes (1: in this process)."""
    work = [(i, path, options) for i, path in enumerate(paths)]
    if jobs <= 1 or len(paths) == 1:
        _worker_start()
        rows = []
        for job in work:
            rows.append(appraise(job))
            progress(len(rows), len(work))
        return rows
    rows = []
    chunk = max(1, min(64, len(work) // (jobs * 8)))
    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_pool_worker_start)
    try:
        for row in pool.map(appraise, work, chunksize=chunk):  # map keeps the input order
            rows.append(row)
            progress(len(rows), len(work))
    except BaseException:
        # Ctrl-C, SIGTERM or a failure: the workers stop now. Leaving the pool's block would wait for
        # every scenario still queued, and a signal to this process alone would leave them running.
        workers = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(timeout=5)
        raise
    pool.shutdown()
    return rows


def most_jobs(jobs: int, files: int) -> int:
    """Processes worth starting: no more than the cores (more only contend for them) or the files."""
    return max(1, min(jobs, os.cpu_count() or 1, files))


class Bar:
    """A progress bar on stderr, only on a terminal, and only once a run has taken about a second."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.start = time.monotonic()
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __call__(self, done: int, total: int) -> None:
        if not self.console.is_interactive:
            return
        if self.bar is None:
            if time.monotonic() - self.start < 1:
                return
            from rich.progress import Progress

            self.bar = Progress(console=self.console, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("Appraising", total=total)
        assert self.task is not None
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def staging_folder(target: Path) -> Path:
    parent = target.parent if str(target.parent) else Path(".")
    try:
        return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise OutputError(f"{target}: cannot write ({exc.strerror or exc})") from None


def move_workbooks(staging: Path, folder: Path, force: bool) -> None:
    """Move every staged workbook into ``folder`` (made if missing); existing files only with ``force``."""
    from cba.io.atomic import new_file_mode

    folder.mkdir(exist_ok=True)
    mode = new_file_mode()
    for staged in sorted(staging.iterdir()):
        target = folder / staged.name
        if target.exists() and not force:
            raise OutputError(f"{target}: already exists; use --force to overwrite it")
        if mode is not None:
            os.chmod(staged, mode)
        os.replace(staged, target)
    shutil.rmtree(staging, ignore_errors=True)


def report_problems(rows: list[Programme]) -> None:
    for row in rows:
        for line in row.problems:
            print(line, file=sys.stderr)
