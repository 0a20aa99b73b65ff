"""Hostile input, round 3 (issue 33): the environment, the streams, and arguments Python would quietly repair.

Through the console script, each case asserts the exit code, one line per problem on stderr, no
traceback, and (where a figure is printed) the right figure.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import DORSET, ROOT, cli
from .test_hostile import ESC
from .test_hostile import child, refused, snapshot

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


# Paths resolve as the OS does ------------------------------------------------------------

def test_dot_dot_after_a_link_goes_up_from_the_links_target(tmp_path, monkeypatch):
    (tmp_path / "real" / "sub").mkdir(parents=True)
    (tmp_path / "lnk").symlink_to(tmp_path / "real" / "sub")
    table = (ROOT / "unit_costs" / "children-social-care.csv").read_text(encoding="utf-8")
    (tmp_path / "real" / "costs.csv").write_text(table, encoding="utf-8")
    (tmp_path / "costs.csv").write_text("\n".join(table.splitlines()[:2]) + "\n", encoding="utf-8")  # a decoy
    text = DORSET.read_text(encoding="utf-8").replace("unit_costs: children-social-care", "unit_costs: ../costs.csv")
    assert "../costs.csv" in text
    (tmp_path / "real" / "sub" / "s.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    through_link, direct = cli("run", "lnk/s.yaml", "-f", "json"), cli("run", "real/sub/s.yaml", "-f", "json")
    assert through_link.exit_code == 0, through_link.stderr
    import json

    assert json.loads(through_link.stdout)["net_position"] == json.loads(direct.stdout)["net_position"]
    assert json.loads(through_link.stdout)["provenance"]["inputs"][1]["file"] == "real/costs.csv"


def test_extends_at_a_link_loop_or_with_a_nul_is_one_line(tmp_path):
    (tmp_path / "loop1").symlink_to(tmp_path / "loop2")
    (tmp_path / "loop2").symlink_to(tmp_path / "loop1")
    (tmp_path / "a.yaml").write_text("extends: loop1\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text('extends: "a\\0b"\n', encoding="utf-8")
    result = cli("run", tmp_path / "a.yaml")
    refused(result)
    assert result.stderr == f"{tmp_path}/a.yaml:1:10: extends: cannot read file: Too many levels of symbolic links\n"
    result = cli("run", tmp_path / "b.yaml")
    refused(result)
    assert result.stderr == f"{tmp_path}/b.yaml:1:10: extends: the file name contains a NUL character\n"


def test_extends_refuses_an_id_given_twice_in_one_list(tmp_path):
    shutil.copy(DORSET, tmp_path / "d.yaml")
    child = tmp_path / "c.yaml"
    child.write_text("extends: d.yaml\noutcomes:\n  - {id: lac, attributable: true}\n  - {id: lac, deadweight: 0}\n",
                     encoding="utf-8")
    result = cli("run", child)
    refused(result)
    assert result.stderr == (f"{child}:4:5: id 'lac' is given twice in this list; with extends, write each id once "
                             "(the merge would keep only the last)\n")


@pytest.mark.parametrize("through", ["extends", "directly"])
def test_a_foreign_file_is_named_never_echoed(tmp_path, through):
    secret = tmp_path / "shadow"
    secret.write_text("root: $6$secret-hash:19000\ndaemon: $6$other-hash:1\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("extends: shadow\n", encoding="utf-8")
    result = cli("run", tmp_path / ("s.yaml" if through == "extends" else "shadow"))
    refused(result)
    assert "secret-hash" not in result.stderr and "daemon" not in result.stderr
    assert result.stderr.splitlines() == [
        f"{secret}:1:1: not a cba scenario: none of its keys is a scenario key; "
        "expected a mapping of scenario keys (name, periods, cost_lines, ...)"
    ]


# Every table validated like the unit-cost table -------------------------------------------

EDGE = ROOT / "scenarios" / "edge-of-care-example.yaml"


def with_reference(tmp_path: Path, key: str, text: str) -> Path:
    (tmp_path / "ref.csv").write_text(text, encoding="utf-8")
    scenario = EDGE.read_text(encoding="utf-8").replace("appraisal:\n", f"appraisal:\n  {key}: ref.csv\n", 1)
    assert f"{key}: ref.csv" in scenario
    (tmp_path / "unit_costs").mkdir(exist_ok=True)
    shutil.copy(ROOT / "unit_costs" / "edge-of-care-example.csv", tmp_path / "unit_costs")
    path = tmp_path / "scenarios" / "s.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(scenario.replace("ref.csv", "../ref.csv"), encoding="utf-8")
    return path


BUNDLED_DEFLATOR = (ROOT / "unit_costs" / "gdp-deflator-financial-year-2022eq100.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("key", "text", "expected"),
    [
        ("deflator", BUNDLED_DEFLATOR + "2019/20,50\n",
         ["ref.csv:72:1: year 2019/20 is listed twice (first at line 61); give one index a year"]),
        ("deflator", "year,index\n2019/2O,90\n2020/21,1e-999999999\n2021/22,0\n",
         ["ref.csv:2:1: year '2019/2O' is neither a calendar year (2019) nor a financial year (2019/20)",
          "ref.csv:3:1: index must be from 0.001 to 1,000,000 (the reference year is near 100), got 1E-999999999",
          "ref.csv:4:1: index must be from 0.001 to 1,000,000 (the reference year is near 100), got 0"]),
        ("discount_schedule", "year_from,year_to,standard,health\n0,1e999999,0.035,0.015\n",
         ["ref.csv:2:1: year_to 1e999999 is not a whole number from 0 to 1000"]),
        ("discount_schedule", "year_from,year_to,standard,health\n0,30,-2,0.015\n31,75,0.03,1.5\n",
         ["ref.csv:2:1: standard rate must be a share from 0 to 1 (0.035 is 3.5%), got -2",
          "ref.csv:3:1: health rate must be a share from 0 to 1 (0.035 is 3.5%), got 1.5"]),
        ("discount_schedule", "year_from,year_to,standard,health\n0,30,0.035,0.015\n32,75,0.03,0.0129\n",
         ["ref.csv:3:1: bands must run on from year 0 without gaps or overlaps: expected year_from 31"]),
        ("optimism_bias_grades", "grade,percent\n1,-100\n2,5\n2,6\n3,201\n",
         ["ref.csv:2:1: percent must be from 0 to 200, got -100",
          "ref.csv:4:1: grade 2 is listed twice (first at line 3)",
          "ref.csv:5:1: percent must be from 0 to 200, got 201"]),
    ],
)
def test_reference_series_are_validated_row_by_row(tmp_path, key, text, expected):
    path = with_reference(tmp_path, key, text)
    result = cli("run", path)
    refused(result)
    shown = [line.split("ref.csv", 1)[1] for line in result.stderr.splitlines()]
    assert shown == [line.split("ref.csv", 1)[1] for line in expected]


def test_a_csv_field_longer_than_csvs_default_limit_is_read(tmp_path):
    rows = (ROOT / "unit_costs" / "children-social-care.csv").read_text(encoding="utf-8").splitlines()
    first = rows[1].split(",")
    first[1] = "y" * 200_000
    (tmp_path / "t.csv").write_text("\n".join([rows[0], ",".join(first), *rows[2:]]) + "\n", encoding="utf-8")
    result = cli("costs", "search", "agency", "--unit-costs", tmp_path / "t.csv")
    assert result.exit_code == 0 and "Traceback" not in result.stderr, result.stderr
    assert "agency-sw-gross" in result.stdout


def test_costs_import_refuses_a_csv_with_a_column_twice(tmp_path):
    (tmp_path / "dup.csv").write_text("code,cost,cost,price\nA1,100,200,2019\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = cli("costs", "import", tmp_path / "dup.csv", "--map", "id=code", "--map", "value=cost",
                 "-o", tmp_path / "out.csv")
    refused(result)
    assert "dup.csv:1:1: column 'cost' appears twice; which one holds the figures cannot be known" in result.stderr
    assert snapshot(tmp_path) == before


# Exact arithmetic stays exact inside the limits; beyond them, one line ---------------------

AT_THE_LIMITS = """\
name: At the documented limits
organisation: Anytown
price_base: 2022/23
periods: [2022/23]
net_position_basis: actual
cost_lines:
  - {name: Service, actual: {2022/23: 300000.37}}
outcomes:
  - id: x
    measure: things
    volumes: {2022/23: 1000000000}
    value: {amount: 1000000000000, unit: per thing, price_year: 2022/23, source: "a hand calculation"}
    conversion: {factor: 1000000000, reason: "as many again"}
    attributable: true
"""


def test_benefits_less_cost_reconcile_to_the_penny_at_the_limits(tmp_path):
    import json

    (tmp_path / "s.yaml").write_text(AT_THE_LIMITS, encoding="utf-8")
    result = cli("run", tmp_path / "s.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    net = json.loads(result.stdout)["net_position"]
    # £10^12 x 10^9 x 10^9 = £10^30 of benefits, less £300,000.37: by hand, 10^30 - 300000.37.
    assert net["attributable_benefits"] == "1" + "0" * 30 + ".00"
    assert net["net"] == "9" * 24 + "699999.63"  # 28 digits gave ...700000.00


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("actual: {2022/23: 300000.37}", "actual: {2022/23: " + "9" * 5000 + "}",
         "'999999999999...999999 (5,000 characters)' is beyond any figure cba takes"),
        ("attributable: true", "attributable: true\n    deadweight: 1.0e-400", "'1.0e-400' is beyond any figure cba takes"),
        ("volumes: {2022/23: 1000000000}", "volumes: {2022/23: 1.0e+999999999}",
         "'1.0e+999999999' is beyond any figure cba takes"),
    ],
)
def test_a_number_beyond_any_limit_is_one_line(tmp_path, old, new, message):
    (tmp_path / "s.yaml").write_text(AT_THE_LIMITS.replace(old, new), encoding="utf-8")
    result = cli("run", tmp_path / "s.yaml", "-f", "json")
    refused(result)
    assert message in result.stderr and len(result.stderr.splitlines()) == 1 and len(result.stderr) < 300


def test_a_unit_cost_cell_of_5000_digits_is_one_short_line(tmp_path):
    import csv

    rows = list(csv.reader((ROOT / "unit_costs" / "children-social-care.csv").open(encoding="utf-8")))
    rows[1][rows[0].index("value")] = "9" * 5000
    with (tmp_path / "t.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    result = cli("costs", "--unit-costs", tmp_path / "t.csv")
    refused(result)
    assert result.stderr.endswith(
        "value: 999999999999...999999 (5,000 characters) is implausibly large; the limit is £1,000,000,000,000\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["whatif", DORSET, "--vary", "lac=0:1:1e-999999999"], "'1e-999999999' is implausibly small"),
        (["whatif", DORSET, "--vary", "lac=0:1:1e-5000"], "'1e-5000' is implausibly small"),
        (["run", DORSET, "--set", "lac=1e-31"], "'1e-31' is implausibly small"),
        (["portfolio", DORSET, "--where", "npv>NaN"], "--where npv>NaN: 'NaN' is not a finite number"),
        (["portfolio", DORSET, "--where", "npv>15%"], "--where npv>15%: npv is not a ratio"),
    ],
)
def test_option_numbers_beyond_any_limit_are_one_line(args, message):
    result = cli(*args)
    refused(result, 2)
    assert message in result.stderr


def test_a_bcr_percentage_in_where_is_a_ratio(tmp_path):
    for name in ("dorset-rsw.yaml", "edge-of-care-example.yaml"):
        shutil.copy(ROOT / "scenarios" / name, tmp_path)
    shutil.copytree(ROOT / "unit_costs", tmp_path.parent / "unit_costs", dirs_exist_ok=True)
    as_ratio = cli("portfolio", tmp_path, "--where", "bcr>1.5", "-f", "csv")
    as_percent = cli("portfolio", tmp_path, "--where", "bcr>150%", "-f", "csv")
    assert as_percent.exit_code == as_ratio.exit_code == 0, as_percent.stderr
    assert as_percent.stdout == as_ratio.stdout and "edge-of-care" in as_ratio.stdout  # BCR 3.45 > 1.5


# Nothing hangs; signals stop a portfolio's workers and leave nothing behind ----------------

def test_jobs_are_capped_at_the_cores_and_the_files():
    from cba.cli.portfolio import most_jobs

    cores = os.cpu_count() or 1
    assert most_jobs(10**30, 1000) == cores
    assert most_jobs(16, 2) == min(2, cores)
    assert most_jobs(1, 1000) == 1
    result = cli("portfolio", DORSET, "--jobs", "1" + "0" * 30)
    assert result.exit_code == 0 and result.stderr == "", result.stderr


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="POSIX signals")
def test_sigterm_stops_a_portfolio_its_workers_and_its_staging_folder(tmp_path):
    for i in range(300):
        shutil.copy(DORSET, tmp_path / f"d{i}.yaml")
    process = subprocess.Popen([SCRIPT, "portfolio", ".", "--jobs", "2", "--xlsx", "p.xlsx"], cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    workers = subprocess.run(["ps", "--ppid", str(process.pid), "-o", "pid="], capture_output=True, text=True)
    process.send_signal(signal.SIGTERM)
    sent = time.monotonic()
    _, stderr = process.communicate(timeout=120)
    # At once, not after the scenarios still queued: 300 take about 30 s here.
    assert time.monotonic() - sent < 5
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert stderr.strip().splitlines()[-1] == "cba: interrupted; nothing was written"
    time.sleep(0.5)
    for pid in workers.stdout.split():
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".yaml")) == []


def far_tail(tmp_path: Path, low: float, high: float) -> Path:
    path = tmp_path / "t.yaml"
    shutil.copy(DORSET, tmp_path / "d.yaml")
    path.write_text("extends: d.yaml\nuncertainty:\n  outcomes:\n    lac:\n      change: "
                    f"{{distribution: normal, mean: 0, sd: 1, low: {low}, high: {high}}}\n", encoding="utf-8")
    return path


def test_simulate_draws_from_a_far_tail_without_looping(tmp_path):
    import json

    # Redrawing until a draw lands in 8..9 sd would take about 10^15 tries a draw (it looped for ever).
    result = child("simulate", far_tail(tmp_path, 8, 9), "--draws", "20000", "-f", "json", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(result.stdout)["command"] == "simulate"


def test_a_range_beyond_any_draw_is_refused(tmp_path):
    result = cli("simulate", far_tail(tmp_path, 40, 41))
    refused(result)
    assert "low to high (40 to 41) lies so far in the tail of a normal with mean 0 and sd 1 that no draw" in result.stderr


# costs import: regular files only; a damaged workbook is one line ----------------------------

def hostile_workbook(tmp_path: Path, damage: str) -> Path:
    """A valid GMCA-layout workbook, then damaged at the zip level as an attacker would."""
    import struct
    import zipfile

    from .test_cost_library import gmca_workbook

    good, bad = tmp_path / "good.xlsx", tmp_path / f"{damage}.xlsx"
    gmca_workbook(good)
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as archive:
        member = archive.getinfo("xl/worksheets/sheet2.xml")
    offset = member.header_offset
    if damage == "encrypted":  # the general-purpose flag's bit 0, in the local header and the central directory
        data[offset + 6] |= 1
        index = data.find(b"xl/worksheets/sheet2.xml", data.find(b"PK\x01\x02"))
        central = data.rfind(b"PK\x01\x02", 0, index)
        data[central + 8] |= 1
    elif damage in ("method99", "method97"):
        method = 99 if damage == "method99" else 97
        struct.pack_into("<H", data, offset + 8, method)
        index = data.find(b"xl/worksheets/sheet2.xml", data.find(b"PK\x01\x02"))
        central = data.rfind(b"PK\x01\x02", 0, index)
        struct.pack_into("<H", data, central + 10, method)
    elif damage == "deflate":  # corrupt the compressed bytes of the member
        name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
        start = offset + 30 + name_length + extra_length
        for i in range(start, start + 16):
            data[i] ^= 0xFF
    elif damage == "shared-string":  # a cell pointing at shared string 99999, of none
        import re

        with zipfile.ZipFile(good) as archive, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as out:
            for item in archive.infolist():
                body = archive.read(item)
                if item.filename == "xl/worksheets/sheet2.xml":
                    body, count = re.subn(rb't="inlineStr"><is><t>[^<]*</t></is>', b't="s"><v>99999</v>', body, 1)
                    assert count == 1
                out.writestr(item, body)
        return bad
    bad.write_bytes(bytes(data))
    return bad


@pytest.mark.parametrize("damage", ["encrypted", "method99", "method97", "deflate", "shared-string"])
def test_a_damaged_workbook_is_one_line(tmp_path, damage):
    source = hostile_workbook(tmp_path, damage)
    before = snapshot(tmp_path)
    result = cli("costs", "import", source, "-o", tmp_path / "out.csv")
    refused(result)
    assert result.stderr.startswith(f"{source}:1:1: "), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert snapshot(tmp_path) == before


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero")
@pytest.mark.parametrize("kind", ["fifo", "zero"])
def test_costs_import_reads_regular_files_only(tmp_path, kind):
    source = tmp_path / "s.xlsx"
    if kind == "fifo":
        os.mkfifo(source)
    else:
        source.symlink_to("/dev/zero")
    result = child("costs", "import", source, "-o", tmp_path / "out.csv", timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stderr == (f"{source}:1:1: is not a regular file (a device, pipe, socket or folder); "
                             "cba reads only regular files\n")
    assert not (tmp_path / "out.csv").exists()


# Portfolio: links to folders are not followed; an unreadable folder is not silently left out ---

def test_a_recursive_glob_does_not_follow_links_to_folders(tmp_path):
    (tmp_path / "f" / "sub").mkdir(parents=True)
    (tmp_path / "g").mkdir()
    shutil.copy(DORSET, tmp_path / "f" / "d.yaml")
    shutil.copy(ROOT / "scenarios" / "edge-of-care-example.yaml", tmp_path / "f" / "sub")
    shutil.copy(ROOT / "scenarios" / "care-proceedings-example.yaml", tmp_path / "g")
    shutil.copytree(ROOT / "unit_costs", tmp_path / "unit_costs")
    for name in ("l1", "l2"):
        (tmp_path / "f" / name).symlink_to(".")  # glob's ** went round these for ever
    (tmp_path / "f" / "lg").symlink_to(tmp_path / "g")
    def files(pattern: str) -> list[str]:
        # In a child process with a time limit: glob's ** took for ever here, and would hang the suite.
        result = child("portfolio", f"{tmp_path}/{pattern}", "-f", "csv", timeout=60)
        assert result.returncode == 0, result.stderr
        return sorted(str(Path(row["file"]).relative_to(tmp_path)) for row in csv.DictReader(io.StringIO(result.stdout)))

    assert files("f/**/*.yaml") == files("f") == ["f/d.yaml", "f/sub/edge-of-care-example.yaml"]
    assert files("f/**/sub/*.yaml") == ["f/sub/edge-of-care-example.yaml"]


def test_an_unreadable_folder_is_a_problem_not_left_out(tmp_path, monkeypatch):
    from cba.io import discover

    (tmp_path / "f" / "locked").mkdir(parents=True)
    shutil.copy(DORSET, tmp_path / "f" / "d.yaml")
    real_scandir = os.scandir

    def scandir(path):  # as a folder without read permission answers (root reads every folder)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discover.os, "scandir", scandir)
    with pytest.raises(discover.InputError) as caught:
        discover.scenario_files([tmp_path / "f"])
    assert [str(d) for d in caught.value.diagnostics] == [f"{tmp_path}/f/locked:1:1: cannot read folder: Permission denied"]


def test_a_dangling_programmes_link_is_refused_before_the_work(tmp_path):
    (tmp_path / "p-programmes").symlink_to(tmp_path / "nowhere")
    before = snapshot(tmp_path)
    result = cli("portfolio", DORSET, "--xlsx", tmp_path / "p.xlsx")
    refused(result)
    assert result.stderr == f"cba: {tmp_path}/p-programmes: a link to nothing; remove it, or point it at a folder\n"
    assert snapshot(tmp_path) == before


# The OS's answers are one line; outputs go through links; text is inert ------------------

LONG = "a" * 300


@pytest.mark.parametrize(
    "args",
    [
        ["export", DORSET, "-o", f"{LONG}.xlsx"],
        ["run", DORSET, "--unit-costs", f"{LONG}.csv"],
        ["costs", "search", "child", "--unit-costs", f"{LONG}.csv"],
        ["costs", "import", f"{LONG}.xlsx", "-o", "x.csv"],
        ["portfolio", LONG],
        ["portfolio", DORSET, "--xlsx", f"{LONG}.xlsx"],
        ["report", DORSET, "-o", f"{LONG}.html"],
        ["run", f"{LONG}.yaml"],
    ],
)
def test_a_name_over_the_os_limit_is_one_line(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    refused(result)
    assert len(result.stderr.splitlines()) == 1 and "File name too long" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_long_timeline_stores_its_results(tmp_path):
    # 500 quarters, the longest duration the format takes: a cumulative chain of about 2,000 frames (from 150
    # quarters on it was a RecursionError).
    text = (ROOT / "scenarios" / "quarterly-follow-up-example.yaml").read_text(encoding="utf-8")
    assert "timing: {start_year: 2, duration: 6}" in text
    path = tmp_path / "q.yaml"
    path.write_text(text.replace("timing: {start_year: 2, duration: 6}", "timing: {start_year: 0, duration: 500}"),
                    encoding="utf-8")
    shutil.copytree(ROOT / "unit_costs", tmp_path / "unit_costs")
    path.write_text(path.read_text(encoding="utf-8").replace("../unit_costs", "unit_costs"), encoding="utf-8")
    result = cli("export", path, "-o", tmp_path / "q.xlsx")
    assert result.exit_code == 0, result.stderr
    import openpyxl

    formulas = openpyxl.load_workbook(tmp_path / "q.xlsx")
    stored = openpyxl.load_workbook(tmp_path / "q.xlsx", data_only=True)
    blank = [f"{ws.title}!{c.coordinate}" for ws in formulas.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f" and stored[ws.title][c.coordinate].value is None]
    assert blank == []


def test_force_writes_through_a_link_and_refuses_a_loop(tmp_path):
    (tmp_path / "real.xlsx").write_bytes(b"old")
    (tmp_path / "link.xlsx").symlink_to("real.xlsx")
    result = cli("export", DORSET, "-o", tmp_path / "link.xlsx", "--force")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "link.xlsx").is_symlink() and (tmp_path / "real.xlsx").read_bytes()[:2] == b"PK"
    (tmp_path / "a.xlsx").symlink_to("b.xlsx")
    (tmp_path / "b.xlsx").symlink_to("a.xlsx")
    before = snapshot(tmp_path)
    result = cli("export", DORSET, "-o", tmp_path / "a.xlsx", "--force")
    refused(result)
    assert result.stderr == f"cba: {tmp_path}/a.xlsx: a symbolic link that loops; cba writes through a link only to a file\n"
    assert snapshot(tmp_path) == before


def test_init_checks_before_it_writes_and_leaves_a_dangling_schema_link(tmp_path):
    (tmp_path / "scenario.schema.json").symlink_to("nowhere")
    result = cli("init", tmp_path / "s.yaml")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "scenario.schema.json").is_symlink() and not (tmp_path / "nowhere").exists()
    assert cli("validate", tmp_path / "s.yaml").exit_code == 0


def test_schema_write_never_replaces_a_scenario(tmp_path):
    scenario = tmp_path / "s.yaml"
    shutil.copy(DORSET, scenario)
    before = snapshot(tmp_path)
    result = cli("schema", "--write", scenario, "--force")
    refused(result)
    assert "not a JSON Schema (a scenario or other file); cba replaces only a schema" in result.stderr
    assert snapshot(tmp_path) == before


def test_schema_write_compares_sizes_before_reading(tmp_path, monkeypatch):
    target = tmp_path / "big.json"
    target.write_text("{" + " " * 100_000 + "}", encoding="utf-8")
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    result = cli("schema", "--write", target, "--force")
    assert result.exit_code == 0, result.stderr
    assert target not in read  # a different size: replaced without reading it whole


@pytest.mark.parametrize(
    "args",
    [["export", DORSET, "-o", "\x1b]52;c;aGk=\x07.xlsx"], ["init", "\x1b[2J.yaml"]],
)
def test_file_names_in_wrote_lines_are_inert(tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert ESC not in result.stdout + result.stderr and "\\u001b" in result.stdout + result.stderr


def hostile_name(tmp_path: Path, name: str) -> Path:
    shutil.copy(DORSET, tmp_path / "d.yaml")
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: d.yaml\nname: {json_string(name)}\n", encoding="utf-8")
    return path


def json_string(text: str) -> str:
    import json

    return json.dumps(text)


def test_json_escapes_c1_bidi_and_zero_width(tmp_path):
    path = hostile_name(tmp_path, "Prog\u0085ramme \u202egnp.exe\u200b")
    result = cli("run", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\u0085\u202e\u200b")
    assert '"name": "Prog\\u0085ramme \\u202egnp.exe\\u200b"' in result.stdout
    import json

    assert json.loads(result.stdout)["provenance"]["scenario"]["name"] == "Prog\u0085ramme \u202egnp.exe\u200b"


@pytest.mark.parametrize("command", [["run"], ["compare", DORSET], ["breakeven"], ["portfolio"]])
def test_a_carriage_return_cannot_start_a_formula_row_in_csv(tmp_path, command):
    path = hostile_name(tmp_path, "Programme\r=cmd|' /C calc'!A0")
    args = [command[0], *command[1:], path, "-f", "csv"] if command[0] != "compare" else ["compare", DORSET, path, "-f", "csv"]
    result = cli(*args)
    assert result.exit_code in (0, 1), result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    cells = [cell for row in rows for cell in row]
    assert "\r" not in result.stdout
    for cell in cells:
        for line in cell.split("\n"):
            assert not line.startswith("="), cell
    # A spreadsheet starts a row at each line end: no physical line may start with a formula either.
    assert not any(line.startswith("=") for line in result.stdout.splitlines())


def test_bidi_and_zero_width_are_escaped_in_tables_and_diagnostics(tmp_path):
    path = hostile_name(tmp_path, "Programme \u202eevil\u2066 \u200b")
    result = cli("run", path)
    assert result.exit_code == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\u202e\u2066\u200b")
    assert "\\u202e" in result.stdout
    bad = tmp_path / "b\u202eb.yaml"
    result = cli("run", bad)
    refused(result)
    assert "\u202e" not in result.stderr and "\\u202e" in result.stderr


# Labels are whole: a sweep of stray whitespace through every label-bearing field ------------

from .test_errors import VALID  # noqa: E402  (the valid base every label case edits)

LABEL_FIELDS = {
    "price_base": ("price_base: 2019/20", "price_base: {}", "2019/20"),
    "a period": ("periods: [2018/19, 2019/20]", "periods: [2018/19, {}]", "2019/20"),
    "a period key": ("budget: {2018/19: 500, 2019/20: 500}", "budget: {{2018/19: 500, {}: 500}}", "2019/20"),
    "a cost line's price_basis": ("  - name: Training\n", "  - name: Training\n    price_basis: {}\n", "2019/20"),
    "an outcome's id": ("id: lac", "id: {}", "lac"),
    "a unit-cost reference": ("unit_cost: lac-year", "unit_cost: {}", "lac-year"),
    "a value's price_year": (
        "    unit_cost: lac-year\n",
        "    value: {{amount: 100, unit: per child, price_year: {}, source: test}}\n",
        "2019/20",
    ),
}


@pytest.mark.parametrize("field", sorted(LABEL_FIELDS))
@pytest.mark.parametrize("stray", ["{}\n", "{}\r\n", " {}", "{} ", "\t{}", "{}\u00a0", "\n{}"])
def test_a_label_with_stray_whitespace_is_refused_in_every_field(write_scenario, field, stray):
    old, new, label = LABEL_FIELDS[field]
    assert old in VALID, field
    text = VALID.replace(old, new.format(json_string(stray.format(label))))
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1, (field, stray, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and all(ESC not in line for line in result.stderr.splitlines())


@pytest.mark.parametrize("stray", ["2019/20\n", " 2019/20", "2019/20 "])
@pytest.mark.parametrize("where", ["--set price_base", "costs show --price-base", "--set price_basis"])
def test_a_label_with_stray_whitespace_is_refused_on_the_command_line(stray, where):
    if where == "--set price_base":
        result = cli("run", DORSET, "--set", f"price_base={json_string(stray)}")
    elif where == "costs show --price-base":
        result = cli("costs", "show", "lac-year", "--price-base", stray)
    else:
        result = cli("run", DORSET, "--set", f"cost_lines.0.price_basis={json_string(stray)}")
    assert "2019/20" in result.stderr and "financial year" in result.stderr
    refused(result, 2)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0 or not shutil.which("setpriv"),
                    reason="needs root to run the console script as another user (root reads every file)")
@pytest.mark.parametrize("command", [["validate", "{a}", "{b}"], ["costs", "import", "{a}", "-o", "{out}"],
                                     ["run", "{a}"]])
def test_an_unreadable_file_is_exit_1_and_validate_goes_on(command):
    import tempfile

    folder = Path(tempfile.mkdtemp())
    try:
        folder.chmod(0o777)
        a, b = folder / "a.yaml", folder / "b.yaml"
        shutil.copy(DORSET, a)
        shutil.copy(DORSET, b)
        a.chmod(0)
        args = [part.format(a=a, b=b, out=folder / "out.csv") for part in command]
        result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", SCRIPT, *args],
                                capture_output=True, text=True, timeout=120, cwd="/")
        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[0] == f"{a}:1:1: cannot read file: Permission denied"
        if command[0] == "validate":
            assert result.stdout == f"ok: {b}\n"
        assert not (folder / "out.csv").exists()
    finally:
        shutil.rmtree(folder)


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE")
@pytest.mark.parametrize(
    "args",
    [["export", DORSET, "-o", "o.xlsx"], ["run", DORSET, "--xlsx", "o.xlsx"], ["report", DORSET, "-o", "o.html"],
     ["portfolio", DORSET, "--xlsx", "o.xlsx"]],
)
def test_a_file_size_limit_is_one_line_per_file_and_leaves_nothing_half_written(tmp_path, args):
    import resource

    def limit() -> None:  # as a quota or `ulimit -f` would: writes past 20 kB fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    result = subprocess.run([SCRIPT, *map(str, args)], capture_output=True, text=True, timeout=120, cwd=tmp_path,
                            preexec_fn=limit)
    assert result.returncode == 1
    no_traceback(result)
    lines = result.stderr.strip().splitlines()
    assert lines and all("cannot write (File too large)" in line or line.startswith("wrote ") for line in lines)
    assert not [p for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    for written in tmp_path.rglob("*.xlsx"):  # what is there is whole (the small summary of a portfolio)
        import zipfile

        assert zipfile.is_zipfile(written)


def test_tagged_text_is_not_explained_as_octal(write_scenario):
    text = VALID.replace("amount: 1000", "amount: !!int 12abc").replace("baseline: 10", "baseline: !!float nan")
    result = cli("validate", write_scenario(text))
    refused(result)
    assert "octal" not in result.stderr
    assert "'12abc' is not a number" in result.stderr
    leading = cli("validate", write_scenario(VALID.replace("amount: 1000", "amount: 01750"), "o.yaml"))
    assert "as an octal number" in leading.stderr


def test_bidi_c1_and_zero_width_are_shown_escaped_in_the_report_and_the_csv(tmp_path):
    """The report and the CSV show a name's hidden characters as the terminal does (\\u202e), so none reorders
    or hides what a board member or a spreadsheet user reads; line breaks stay what they are."""
    path = hostile_name(tmp_path, "Prog\u0085ramme \u202egnp.exe\u200b")
    page = tmp_path / "r.html"
    assert cli("report", path, "-o", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert not any(ch in html for ch in "\u0085\u202e\u200b")
    assert "Prog\\u0085ramme \\u202egnp.exe\\u200b" in html
    funded = tmp_path / "f.yaml"
    funded.write_text(
        'extends: d.yaml\nfunding: [{name: "Gr\\u0085ant \\u202etnarg\\u200b", amount: 1849537}]\n', encoding="utf-8"
    )
    result = cli("run", funded, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert not any(ch in result.stdout for ch in "\u0085\u202e\u200b")
    names = {row[1] for row in csv.reader(io.StringIO(result.stdout)) if row[0] == "funding"}
    assert names == {"Gr\\u0085ant \\u202etnarg\\u200b"}
