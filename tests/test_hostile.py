"""Hostile input, hostile filesystem, through the console script: no silent wrong figure, no crash,
no clobbered file, no terminal or spreadsheet injection.

Every case asserts the exit code, that stderr is one line per problem with no traceback, and
(where the case could write) that no file was created or changed. Cases that could crash the
interpreter or hang run in a child process with a time limit, so a regression fails the test
instead of killing the run.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from .conftest import BUNDLED_COSTS, DORSET, ROOT, cli

ESC = "\x1b"


def snapshot(folder: Path) -> dict[str, bytes | str]:
    out: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        mode = path.lstat().st_mode
        out[str(path)] = path.read_bytes() if stat.S_ISREG(mode) else stat.filemode(mode)
    return out


def refused(result, code: int = 1) -> None:
    assert result.exit_code == code, (result.exit_code, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert lines and "Traceback" not in result.stderr
    assert all(ESC not in line for line in lines)


def child(*args: object, timeout: int = 120) -> subprocess.CompletedProcess:
    """The console script in a child process (crash- and hang-proof), from the repository root."""
    code = "import sys; from cba.cli.entry import main; sys.argv = ['cba'] + sys.argv[1:]; main()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT)


def scenario(tmp_path: Path, name: str = "s.yaml", **changes) -> Path:
    data = yaml.safe_load(DORSET.read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# Outputs -------------------------------------------------------------------------------

def special_files(tmp_path: Path) -> dict[str, Path]:
    device = tmp_path / "device"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # like /dev/null
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sock = tmp_path / "sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    server.close()
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    return {"device": device, "fifo": fifo, "socket": sock, "folder": folder}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="mknod needs root on POSIX")
@pytest.mark.parametrize("kind", ["device", "fifo", "socket", "folder"])
def test_force_never_replaces_anything_but_a_regular_file(tmp_path, kind):
    target = special_files(tmp_path)[kind]
    before = snapshot(tmp_path)
    refused(cli("export", DORSET, "-o", target, "--force"))
    assert snapshot(tmp_path) == before


def test_two_writers_cannot_both_win(tmp_path):
    from cba.io.atomic import write_atomically
    from cba.model.errors import OutputError

    target = tmp_path / "out.xlsx"

    def slow_write(temp: Path) -> None:
        temp.write_bytes(b"mine")
        target.write_bytes(b"the other writer's")  # another process finished first

    with pytest.raises(OutputError, match="already exists"):
        write_atomically(target, slow_write, force=False)
    assert target.read_bytes() == b"the other writer's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_a_signal_during_a_write_leaves_no_temporary_file(tmp_path, name):
    from cba.io.atomic import write_atomically

    number = getattr(signal, name, None)
    if number is None:
        pytest.skip(f"no {name} here")

    def interrupted(temp: Path) -> None:
        temp.write_bytes(b"half")
        os.kill(os.getpid(), number)

    from cba.model.errors import Interrupted

    with pytest.raises(Interrupted):
        write_atomically(tmp_path / "out.xlsx", interrupted, force=False)
    assert list(tmp_path.iterdir()) == []
    assert signal.getsignal(number) is not None  # the previous handler is back


@pytest.mark.parametrize("args", [["run", DORSET], ["whatif", DORSET, "--vary", "lac=-1"], ["breakeven", DORSET],
                                  ["compare", DORSET, DORSET]])
def test_nothing_is_printed_before_an_output_is_refused(tmp_path, args):
    taken = tmp_path / "taken.xlsx"
    taken.write_bytes(b"precious")
    result = cli(*args, "--xlsx", taken)
    refused(result)
    assert result.stdout == "" and taken.read_bytes() == b"precious"


# Silent wrong figures --------------------------------------------------------------------

@pytest.mark.parametrize("number", ["01750", "30:49", "0x6D6", "0b11011010110", "010.5", "1:20.5"])
def test_yaml_numbers_follow_one_rule(tmp_path, number):
    text = DORSET.read_text(encoding="utf-8").replace("amount: 1849537", f"amount: {number}", 1)
    assert text != DORSET.read_text(encoding="utf-8")
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("run", path)
    refused(result)
    assert f"'{number}' would be read" in result.stderr and "base-10" in result.stderr


def test_yaml_1_2_octal_is_text_and_refused_as_an_amount(tmp_path):
    text = DORSET.read_text(encoding="utf-8").replace("amount: 1849537", "amount: 0o3326", 1)
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    result = cli("run", path)
    refused(result)
    assert "'0o3326' is not an amount cba can read" in result.stderr


def test_underscores_and_plain_decimals_are_numbers(tmp_path):
    text = DORSET.read_text(encoding="utf-8").replace("amount: 1849537", "amount: 1_849_537.00", 1)
    path = tmp_path / "n.yaml"
    path.write_text(text, encoding="utf-8")
    data = json.loads(cli("run", path, "-f", "json").stdout)
    assert data["funding"]["total"] == "1849537.00"


def test_a_duplicated_header_column_is_an_error(tmp_path):
    lines = BUNDLED_COSTS.read_text(encoding="utf-8").splitlines()
    table = tmp_path / "dup.csv"
    table.write_text(lines[0] + ",value\n" + "\n".join(line + ",1" for line in lines[1:]) + "\n", encoding="utf-8")
    result = cli("validate", table)
    refused(result)
    assert "column 'value' appears twice" in result.stderr
    searched = cli("costs", "search", "child", "--unit-costs", table)  # the fast path refuses it too
    refused(searched)
    assert "column 'value' appears twice" in searched.stderr


def test_overrides_are_checked_like_the_file(tmp_path):
    refused(cli("run", DORSET, "--set", "unit_costs=missing.csv"))
    # lac-year is priced in 2019, after a 2010/11 price base: only a deflator could bring it back
    result = cli("run", DORSET, "-a", "lac", "--set", "price_base=2010/11")
    refused(result)
    assert "later than the price base 2010/11" in result.stderr
    refused(cli("whatif", DORSET, "--vary", "lac.deadweight=500%"), 2)
    refused(cli("costs", "show", "SS1.0", "--price-base", "2019/21"), 2)


def test_a_price_year_must_be_a_financial_year(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(BUNDLED_COSTS.read_text(encoding="utf-8").replace(",2013/14,", ",2019/55,", 1), encoding="utf-8")
    result = cli("validate", table)
    refused(result)
    assert "'2019/55' is not a financial year" in result.stderr


# Crashes and hangs -----------------------------------------------------------------------

def test_deep_nesting_is_an_error_not_a_crash(tmp_path):
    deep = tmp_path / "deep.yaml"
    n = 40_000
    deep.write_text("a: " + "[" * n + "]" * n, encoding="utf-8")
    done = child("run", deep)
    assert done.returncode == 1, done.stderr
    assert "nested more than 64 levels deep" in done.stderr and "Traceback" not in done.stderr


def test_thirty_thousand_unknown_keys_are_reported(tmp_path):
    wide = tmp_path / "wide.yaml"
    wide.write_text(DORSET.read_text(encoding="utf-8") + "".join(f"k{i}: 1\n" for i in range(30_000)), encoding="utf-8")
    done = child("validate", wide, timeout=300)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 30_000 and all(": unknown key 'k" in line for line in lines)


@pytest.mark.skipif(os.name != "posix", reason="special files are POSIX")
def test_special_files_are_never_read(tmp_path):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    urandom = tmp_path / "random.yaml"
    urandom.symlink_to("/dev/urandom")
    for target in (fifo, urandom, Path("/dev/zero")):
        done = child("run", target, timeout=60)
        assert done.returncode == 1 and "is not a regular file" in done.stderr, target
    inside = scenario(tmp_path, "inside.yaml", unit_costs="/dev/zero")
    assert child("run", inside, timeout=60).returncode == 1
    assert child("run", DORSET, "--set", "unit_costs=/dev/zero", timeout=60).returncode == 1
    shown = child("costs", "show", "SS1.0", "--price-base", "2019/20", "--deflator", "/dev/zero", timeout=60)
    assert shown.returncode == 1 and "is not a regular file" in shown.stderr


def test_vary_values_are_bounded_like_the_fields_they_override():
    refused(cli("whatif", DORSET, "--vary", "lac=-2000000000"), 2)  # a change beyond 10^9
    refused(cli("whatif", DORSET, "--vary", "lac-year=-5"), 2)  # a negative unit cost


def test_huge_grids_and_numbers_are_refused_before_the_work():
    refused(cli("whatif", DORSET, "--vary", "lac=0:99999:1", "--vary", "lac-year=0:99999:1"), 2)
    refused(cli("whatif", DORSET, "--vary", "lac=1e400"), 2)
    refused(cli("simulate", ROOT / "scenarios" / "dorset-rsw-uncertain.yaml", "--seed", "-1"), 2)


def test_a_file_name_over_the_limit_is_one_line():
    refused(cli("run", "x" * 300 + ".yaml"))


def test_unreadable_files_are_reported_and_validate_goes_on(tmp_path, monkeypatch):
    import cba.io.files

    locked = scenario(tmp_path, "locked.yaml")
    real_open = open

    def deny(path, *args, **kwargs):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(cba.io.files, "open", deny, raising=False)
    result = cli("validate", locked, DORSET)
    refused(result)
    assert f"{locked}:1:1: cannot read file: Permission denied" in result.stderr
    assert f"ok: {DORSET}" in result.stdout


def test_text_that_xml_cannot_hold_still_exports(tmp_path):
    path = scenario(tmp_path, name="odd.yaml", name_="x")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.pop("name_")
    data["name"] = "Odd \uffff name \ufffe"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "odd.xlsx"
    result = cli("export", path, "-o", out)
    assert result.exit_code == 0, result.stderr
    import openpyxl

    assert openpyxl.load_workbook(out)["Summary"]["B2"].value == "Odd  name "


# Imports -----------------------------------------------------------------------------------

def workbook(tmp_path: Path, name: str, sheet_xml: str, shared: str | None = None) -> Path:
    """A minimal .xlsx with one sheet whose XML is given."""
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Social Services" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared is not None:
            z.writestr("xl/sharedStrings.xml", shared)
    return path


SHEET = ('<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         '{dimension}<sheetData>{rows}</sheetData></worksheet>')


def test_imports_refuse_entities_malformed_xml_and_bombs(tmp_path):
    entity = workbook(tmp_path, "entity.xlsx", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
                      + SHEET.format(dimension="", rows="").split("?>", 1)[1])
    malformed = workbook(tmp_path, "malformed.xlsx", "<worksheet><sheetData><row>")
    strings = workbook(tmp_path, "strings.xlsx", SHEET.format(dimension="", rows=""),
                       shared="<sst>" + "<si><t>" + "x" * 1_000_000 + "</t></si>" * 1 + "</sst>" + " " * 70_000_000)
    rows = workbook(tmp_path, "rows.xlsx", SHEET.format(dimension="", rows="".join(f'<row r="{i}"/>' for i in range(1, 250_002))))
    for source, message in ((entity, "declares a DTD or entities"), (malformed, "cannot read the workbook"),
                            (strings, "shared strings unpack to"), (rows, "more than 200,000 rows")):
        out = tmp_path / "out.csv"
        done = child("costs", "import", source, "-o", out, timeout=300)
        assert done.returncode == 1, (source, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, (source, done.stderr)
        assert not out.exists()


def test_a_declared_giant_dimension_does_not_hang(tmp_path):
    row = ('<row r="3"><c r="C3" t="inlineStr"><is><t>SS9.9</t></is></c><c r="D3" t="inlineStr"><is><t>Thing</t></is></c>'
           '<c r="E3" t="inlineStr"><is><t>Each</t></is></c><c r="F3" t="inlineStr"><is><t>Local Authority</t></is></c>'
           '<c r="H3"><v>100</v></c><c r="I3" t="inlineStr"><is><t>2013/14</t></is></c></row>')
    giant = workbook(tmp_path, "giant.xlsx", SHEET.format(dimension='<dimension ref="A1:XFD1048576"/>', rows=row))
    out = tmp_path / "out.csv"
    done = child("costs", "import", giant, "-o", out, timeout=300)
    assert "Traceback" not in done.stderr
    assert done.returncode in (0, 1)


def test_imported_cells_that_look_like_formulas_are_written_as_text(tmp_path):
    source = tmp_path / "mine.csv"
    source.write_text('Code,Item,Per,Cost,Year,Who,Where\nx1,"=HYPERLINK(""http://evil"",""x"")",each,10,2019/20,'
                      'Local Authority,@SUM(A1)\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    result = cli("costs", "import", source, "-o", out, "--map",
                 "id=Code,description=Item,unit=Per,value=Cost,price_year=Year,agency=Who,source=Where",
                 "--default", "value_type=fiscal")
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(A1)" in text


# Terminal and spreadsheet injection --------------------------------------------------------

HOSTILE_NAMES = ["P [/x]", "[link=https://evil.example/]P[/link]", f"clear {ESC}[2J screen",
                 f"{ESC}]8;;https://evil.example{ESC}\\link{ESC}]8;;{ESC}\\", f"{ESC}]52;c;aGVsbG8={chr(7)}clipboard",
                 "[bold red]loud[/]"]


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_user_text_is_inert_in_every_table(tmp_path, hostile):
    data = yaml.safe_load(DORSET.read_text(encoding="utf-8"))
    variant = yaml.safe_load((ROOT / "scenarios" / "dorset-rsw-uncertain.yaml").read_text(encoding="utf-8"))
    data["uncertainty"] = variant["uncertainty"]
    for outcome in data["outcomes"]:
        outcome["attributable"] = outcome["id"] in ("lac", "cin_episodes")
    data["name"] = hostile
    data["cost_lines"][0]["name"] = hostile
    data["outcomes"][3]["measure"] = hostile
    data["claimed"][0]["label"] = hostile
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    table = tmp_path / "t.csv"
    table.write_text(BUNDLED_COSTS.read_text(encoding="utf-8").replace("Looked-after child,", f"{hostile},", 1)
                     if "Looked-after child," in BUNDLED_COSTS.read_text(encoding="utf-8")
                     else BUNDLED_COSTS.read_text(encoding="utf-8"), encoding="utf-8")
    for args in (["run", path], ["whatif", path, "--vary", "lac=-1"], ["simulate", path, "--draws", "200"],
                 ["breakeven", path], ["compare", path, DORSET], ["costs", "--unit-costs", table],
                 ["costs", "show", "lac-year", "--unit-costs", table], ["costs", "search", "child", "--unit-costs", table]):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert ESC not in result.stdout and ESC not in result.stderr, args
        if args[0] in ("run", "whatif", "simulate"):
            visible = hostile.replace(ESC, "\\u001b").replace(chr(7), "\\u0007")
            assert visible in result.stdout, args


def test_csv_cells_and_file_names_are_neutralised(tmp_path):
    odd = tmp_path / '=HYPERLINK("x")+1.yaml'
    odd.write_text(DORSET.read_text(encoding="utf-8").replace("name: Reinvigorating", "name: =cmd|' /C calc'!A0 Reinv", 1),
                   encoding="utf-8")
    out = cli("compare", odd, DORSET, "--format", "csv").stdout
    for line in out.splitlines()[1:]:
        for cell in line.split(",")[:2]:
            assert not cell.lstrip('"').startswith(("=", "+", "-", "@")), cell
    run_csv = cli("run", odd, "--format", "csv").stdout
    assert "\n=" not in run_csv and ",=" not in run_csv


def test_a_newline_in_a_file_name_stays_one_line(tmp_path):
    odd = tmp_path / "two\nlines.yaml"
    odd.write_text("name: [", encoding="utf-8")
    result = cli("run", odd)
    refused(result)
    assert len(result.stderr.strip().splitlines()) == 1 and "two\\u000alines.yaml" in result.stderr


def test_a_foreign_file_is_quoted_only_in_excerpt(tmp_path):
    foreign = tmp_path / "passwd"
    foreign.write_text("root:x:0:0:root:/root:/bin/bash" + ":secret" * 50 + "\n", encoding="utf-8")
    path = scenario(tmp_path, unit_costs=str(foreign))
    result = cli("run", path)
    refused(result)
    assert "secret:secret:secret:secret" not in result.stderr


def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path):
    full = tmp_path / "full"
    full.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=20k", "tmpfs", str(full)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("a small tmpfs cannot be mounted here (needs root)")
    try:
        done = child("export", DORSET, "-o", full / "d.xlsx")
        assert done.returncode == 1
        assert done.stderr.strip() == f"cba: {full / 'd.xlsx'}: cannot write (No space left on device)"
        assert list(full.iterdir()) == []
    finally:
        subprocess.run(["umount", str(full)], check=False)


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_user_text_is_inert_in_the_new_shapes(tmp_path, hostile, monkeypatch):
    """Every label the scenario shapes of issue 12 bring: arms, units, a written value, several values of one
    outcome, results per unit, published results, claims, parties and transfers."""
    data = {
        "name": "Shapes", "organisation": "Anytown", "price_base": "2019/20", "periods": ["2019/20", "2020/21"],
        "net_position_basis": "actual", "appraisal": {"discounting": "green_book"},
        "arms": {"programme": {"label": hostile, "n": 10}, "comparison": {"label": hostile, "n": 12}},
        "report_per": {"label": hostile, "count": 10},
        "parties": [hostile],
        "cost_lines": [{"name": hostile, "arms": {"programme": 900, "comparison": 400}},
                       {"name": "Staff", "units": {"unit": hostile, "price": 100, "actual": {"2019/20": 2}}}],
        "outcomes": [{"id": "o", "measure": hostile, "arms": {"programme": 1, "comparison": 2}, "attributable": True,
                      "value": {"amount": 1000, "unit": hostile, "price_year": "2019/20", "source": hostile}},
                     {"id": "p", "measure": "Second", "volumes": {"2019/20": 1}, "attributable": True,
                      "values": [{"label": hostile, "value": {"amount": 10, "price_year": "2019/20", "source": "s"}},
                                 {"label": "other", "share": 0.5,
                                  "value": {"amount": 20, "price_year": "2019/20", "source": "s"}}]}],
        "transfers": [{"name": hostile, "from": "Local Authority", "to": hostile, "amounts": {"2020/21": 50}}],
        "published_results": [{"label": hostile, "figure": "npv", "value": 1}],
        "claimed": [{"label": hostile, "amount": 5, "share_of": {"label": hostile, "amount": 50}}],
    }
    path = tmp_path / "h.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    visible = hostile.replace(ESC, "\\u001b").replace(chr(7), "\\u0007")
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no header wraps the text
    for args in (["run", path], ["whatif", path, "--vary", "o.deadweight=0.1"]):
        result = cli(*args)
        assert result.exit_code == 0, (args, result.stderr)
        assert ESC not in result.stdout and ESC not in result.stderr, args
        assert visible in result.stdout, args
    shown = cli("run", path).stdout
    assert shown.count(visible) >= 8  # the arms, the units, the transfer, the party, the claim, the results
    assert f"Second: {visible}" in shown and f"p ({visible})" in shown  # a value's label, in two tables
    out = tmp_path / "h.xlsx"
    assert cli("export", path, "-o", out).exit_code == 0
    import openpyxl

    for ws in openpyxl.load_workbook(out).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HYPERLINK" not in cell.value:
                    assert ESC not in cell.value and chr(7) not in cell.value, (ws.title, cell.coordinate)
