"""Run every golden case through the installed ``cba`` script and write (or compare) what it prints.

    python tests/golden/record.py            # re-record outputs/ (only for an intended change)
    python tests/golden/record.py --check    # the test's comparison, from the shell
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUTPUTS = HERE / "outputs"
sys.path.insert(0, str(HERE))

from cases import BAD, cases  # noqa: E402

ENV = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
ENV.pop("FORCE_COLOR", None)


def _cba() -> str:
    script = Path(sys.executable).parent / "cba"
    return str(script) if script.exists() else shutil.which("cba") or "cba"


def dump_workbook(path: Path) -> str:
    """Every cell of every sheet (formula or value, number format), defined names and charts' titles:
    what a reader of the workbook sees, without the zip's timestamps."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    out = [f"defined names: {sorted((n, d.attr_text) for n, d in book.defined_names.items())}"]
    for sheet in book.worksheets:
        out.append(f"== {sheet.title} ({sheet.dimensions}) freeze={sheet.freeze_panes}")
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    out.append(f"{cell.coordinate}\t{cell.value!r}\t{cell.number_format}")
        out.append(f"charts: {len(sheet._charts)}")
    return "\n".join(out) + "\n"


def run_case(name: str, args: list[str]) -> str:
    with tempfile.TemporaryDirectory() as out:
        argv = [a.replace("{out}", out) for a in args]
        done = subprocess.run([_cba(), *argv], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=300)
        text = f"$ cba {' '.join(args)}\nexit {done.returncode}\n--- stdout\n{done.stdout}--- stderr\n" \
               f"{done.stderr}"
        for made in sorted(Path(out).iterdir()):
            text += f"--- {made.name}\n"
            text += dump_workbook(made) if made.suffix == ".xlsx" else made.read_text()
    return _portable(text, out)


def _portable(text: str, *temporary: str) -> str:
    """The text with this checkout's and the run's own folders named, so it compares on any machine."""
    for folder in temporary:
        text = text.replace(folder, "{tmp}")
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "{when} UTC", text)  # the workbook's "written at"
    return text.replace(str(ROOT), "{root}")


def run_bad(name: str, body: str) -> str:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"{name}.yaml"
        path.write_text(body)
        text = ""
        for command in (["validate"], ["run"], ["run", "--green-book"]):
            done = subprocess.run([_cba(), *command, path.name], cwd=d, env=ENV, capture_output=True, text=True,
                                  timeout=120)
            text += f"$ cba {' '.join(command)} {path.name}\nexit {done.returncode}\n--- stdout\n{done.stdout}" \
                    f"--- stderr\n{done.stderr}"
    return _portable(text, d)


def all_outputs() -> dict[str, str]:
    jobs = [(n, run_case, a) for n, a in cases()] + [(f"bad.{n}", run_bad, b) for n, b in BAD.items()]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        texts = list(pool.map(lambda job: job[1](job[0].removeprefix("bad."), job[2]), jobs))
    return {name: text for (name, _, _), text in zip(jobs, texts)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with outputs/ instead of writing it")
    args = parser.parse_args()
    outputs = all_outputs()
    if args.check:
        differ = [n for n, t in outputs.items() if (OUTPUTS / f"{n}.txt").read_text() != t]
        for name in differ:
            print(f"differs: {name}")
        return 1 if differ else 0
    shutil.rmtree(OUTPUTS, ignore_errors=True)
    OUTPUTS.mkdir()
    for name, text in outputs.items():
        (OUTPUTS / f"{name}.txt").write_text(text)
    print(f"recorded {len(outputs)} outputs in {OUTPUTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
