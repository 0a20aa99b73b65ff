"""Hostile input, round 3 (issue 33): the environment, the streams, and arguments Python would quietly repair.

Through the console script, each case asserts the exit code, one line per problem on stderr, no
traceback, and (where a figure is printed) the right figure.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import DORSET, ROOT, cli
from .test_hostile import refused, snapshot

SCRIPT = shutil.which("cba") or str(Path(sys.executable).parent / "cba")


def console(*args: object, env: dict[str, str] | None = None, **kwargs) -> subprocess.CompletedProcess:
    """The installed console script in its own process (signals, streams and the environment are its own)."""
    return subprocess.run([SCRIPT, *map(str, args)], capture_output=True, text=True, timeout=120, cwd=ROOT,
                          env={**os.environ, **(env or {})}, **kwargs)


def no_traceback(result) -> None:
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr


# The environment ------------------------------------------------------------------------

@pytest.mark.parametrize("columns", ["0", "-5", "abc", "80.5", "1e3", "99999999999999999999"])
def test_a_bad_columns_is_ignored_with_a_note_and_the_table_still_prints(columns):
    result = console("run", DORSET, env={"COLUMNS": columns})
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert result.stderr.splitlines() == [
        f"cba: COLUMNS={columns} ignored: expected a whole number of columns from 1 to 10,000; "
        "using the terminal's width (160 when piped)"
    ]
    assert "-£1,849,537" in result.stdout  # Dorset's net position (funding received), as published


def test_an_empty_columns_is_unset():
    result = console("costs", env={"COLUMNS": ""})
    assert result.returncode == 0 and result.stderr == ""
    assert "lac-year" in result.stdout


@pytest.mark.parametrize("value", ["²", "1" * 26, "-1", "0"])
def test_a_bad_input_limit_is_ignored_with_a_note(value):
    result = console("validate", DORSET, env={"CBA_MAX_INPUT_BYTES": value})
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"cba: CBA_MAX_INPUT_BYTES={value[:40]} ignored: expected a whole number of bytes")
    assert result.stdout.startswith("ok: ")


def test_an_output_that_cannot_encode_the_pound_sign_gets_escapes():
    result = console("run", DORSET, env={"PYTHONIOENCODING": "ascii"})
    assert result.returncode == 0, result.stderr
    no_traceback(result)
    assert "-\\xa31,849,537" in result.stdout


@pytest.mark.parametrize("args", [["--version"], ["validate", DORSET], ["run", DORSET], ["costs"]])
def test_a_closed_stdout_ends_quietly(args):
    process = subprocess.Popen([SCRIPT, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader has gone, as `| true` or `| head -0` leaves it
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1
    assert stderr == "", stderr


def test_ctrl_c_is_one_line_and_exit_130(tmp_path):
    # A portfolio of many copies takes long enough to be interrupted mid-run.
    for i in range(200):
        shutil.copy(DORSET, tmp_path / f"d{i}.yaml")
    process = subprocess.Popen([SCRIPT, "portfolio", tmp_path, "--jobs", "1"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, cwd=ROOT)
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert stderr.strip().splitlines()[-1] == "cba: interrupted; nothing was written"
    assert "Traceback" not in stderr and "Aborted" not in stderr


# Arguments Python would repair ---------------------------------------------------------------

def test_a_trailing_slash_on_a_scenario_is_refused():
    result = cli("run", f"{DORSET}/")
    refused(result, 2)
    assert result.stderr == f"cba: {DORSET}/: a file name cannot end with '/'; write {DORSET}\n"


def test_a_trailing_slash_on_an_output_is_refused_and_nothing_written(tmp_path):
    before = snapshot(tmp_path)
    refused(cli("export", DORSET, "-o", f"{tmp_path}/o.xlsx/"), 2)
    assert snapshot(tmp_path) == before


def test_an_empty_path_is_not_the_current_folder(tmp_path, monkeypatch):
    shutil.copy(DORSET, tmp_path / "d.yaml")
    monkeypatch.chdir(tmp_path)
    result = cli("portfolio", "")
    refused(result, 2)
    assert "an empty argument names no file or folder" in result.stderr


def test_set_extends_is_refused_not_ignored():
    result = cli("run", DORSET, "--set", "extends=other.yaml")
    refused(result, 2)
    assert "--set extends: the scenario a file extends is read before --set applies" in result.stderr


@pytest.mark.parametrize("position", ["²", "٣", "9" * 5000])
def test_set_positions_are_ascii_digits_of_a_sane_length(position):
    result = cli("run", DORSET, "--set", f"outcomes.{position}.deadweight=0.1")
    refused(result, 2)
    assert len(result.stderr.splitlines()) == 1 and len(result.stderr) < 500


@pytest.mark.parametrize("args", [["--version"], ["validate", DORSET], ["run", DORSET]])
def test_a_stdout_closed_before_start_is_written_to_nowhere(args):
    result = subprocess.run([SCRIPT, *map(str, args)], stdout=None, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            timeout=60, pass_fds=(), close_fds=True,
                            preexec_fn=lambda: os.close(1))
    assert result.returncode == 0 and result.stderr == "", result.stderr
