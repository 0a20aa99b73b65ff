"""Installed like any Python tool: a wheel built from this checkout, in a fresh venv, run from an empty folder.

The wheel must carry its data (the bundled tables, the reference series, the JSON Schemas):
nothing here may reach back into the checkout. The JSON it prints must equal the editable
install's, file names aside (the hashes say the files are the same).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from cba import __version__

from .conftest import DORSET, ROOT, cli


def _without_paths(data: dict) -> dict:
    """A run's JSON with the file names (which depend on where cba is installed) taken out."""
    data = json.loads(json.dumps(data))
    provenance = data["provenance"]
    provenance["command"] = ""
    provenance["scenario"]["file"] = ""
    for item in provenance["inputs"]:
        item["file"] = "" if item["role"] == "scenario" else Path(item["file"]).name
    return data


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the cba console script of a fresh venv holding only the built wheel, an empty working folder)."""
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    wheels = list(dist.glob("cba-*.whl"))
    assert len(wheels) == 1
    env_dir = base / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(wheels[0])],
                   check=True, capture_output=True, timeout=900)
    work = base / "empty folder"
    work.mkdir()
    return bin_dir, work


def _run(bin_dir: Path, work: Path, *args: object) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return subprocess.run([str(bin_dir / "cba"), *map(str, args)], cwd=work, env=env, capture_output=True,
                          text=True, timeout=300)


def test_the_wheel_carries_its_data_and_runs_outside_the_checkout(installed):
    bin_dir, work = installed
    shutil.copy(DORSET, work / "my dorset.yaml")

    found = _run(bin_dir, work, "costs", "search", "foster")
    assert found.returncode == 0, found.stderr
    assert "SS2.0" in found.stdout

    tables = _run(bin_dir, work, "costs", "--list-tables", "--format", "json")
    assert [t["name"] for t in json.loads(tables.stdout)["tables"]] == [
        "children-social-care",
        "edge-of-care-example",
        "wellbeing-and-health",
    ]
    assert all("site-packages" in t["file"] for t in json.loads(tables.stdout)["tables"])

    for extra in ([], ["--green-book", "-a", "lac"]):
        got = _run(bin_dir, work, "run", "my dorset.yaml", "--format", "json", *extra)
        assert got.returncode == 0, got.stderr
        expected = json.loads(cli("run", DORSET, "--format", "json", *extra).stdout)
        assert _without_paths(json.loads(got.stdout)) == _without_paths(expected)

    exported = _run(bin_dir, work, "export", "my dorset.yaml", "-o", "dorset.xlsx")
    assert exported.returncode == 0, exported.stderr
    assert (work / "dorset.xlsx").read_bytes()[:2] == b"PK"

    # The report's template and the starters ship in the wheel too.
    reported = _run(bin_dir, work, "report", "my dorset.yaml", "-o", "dorset.html")
    assert reported.returncode == 0, reported.stderr
    assert 'data-key="net_position" data-value="-1849537.00"' in (work / "dorset.html").read_text(encoding="utf-8")
    started = _run(bin_dir, work, "init", "starter.yaml", "--kind", "business-case")
    assert started.returncode == 0 and _run(bin_dir, work, "run", "starter.yaml").returncode == 0

    for name in ("scenario", "run", "tables"):
        printed = _run(bin_dir, work, "schema", name)
        assert json.loads(printed.stdout) == json.loads((ROOT / "schema" / f"{name}.schema.json").read_text())
    written = _run(bin_dir, work, "schema", "--write", "scenario.schema.json")
    assert written.returncode == 0 and (work / "scenario.schema.json").is_file()
    # the modeline of the bundled scenarios names a schema beside the scenario: it works in the user's folder
    assert (work / "my dorset.yaml").read_text().startswith("# yaml-language-server: $schema=scenario.schema.json")


def test_version_from_one_place_and_python_dash_m(installed):
    bin_dir, work = installed
    version = _run(bin_dir, work, "--version")
    assert version.stdout.strip() == f"cba {__version__}"
    metadata = subprocess.run([str(bin_dir / "python"), "-c", "import importlib.metadata as m; print(m.version('cba'))"],
                              capture_output=True, text=True, check=True)
    assert metadata.stdout.strip() == __version__
    module = subprocess.run([str(bin_dir / "python"), "-m", "cba", "--version"], cwd=work, capture_output=True,
                            text=True, check=True)
    assert module.stdout.strip() == f"cba {__version__}"
