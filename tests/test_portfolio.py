"""cba portfolio: many scenarios, one table; totals equal the sum of each file's own cba run."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import jsonschema
import openpyxl
import pytest
import yaml

from .conftest import DORSET, ROOT, cli
from .test_faces_agree import MINIMAL

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The bundled scenarios plus generated variants, in nested folders, beside a copy of the bundled tables."""
    root = tmp_path / "programmes"
    (root / "more").mkdir(parents=True)
    (tmp_path / "unit_costs").mkdir()
    shutil.copy(ROOT / "unit_costs" / "children-social-care.csv", tmp_path / "unit_costs")
    for path in SCENARIOS:
        shutil.copy(path, root / path.name)
    (root / "more" / "minimal.yaml").write_text(MINIMAL.replace("../unit_costs/", "../../unit_costs/"))
    dorset = yaml.safe_load(DORSET.read_text(encoding="utf-8"))
    for basis in ("actual", "budget"):
        variant = dict(dorset, name=f"Dorset on {basis}", net_position_basis=basis)
        variant["outcomes"] = [dict(o, attributable=o["id"] == "lac") for o in dorset["outcomes"]]
        (root / "more" / f"dorset-{basis}.yaml").write_text(yaml.safe_dump(variant, sort_keys=False))
    return root


def portfolio_json(*args) -> tuple[int, dict, str]:
    result = cli("portfolio", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout), result.stderr


def test_totals_are_the_sum_of_each_files_own_run(folder):
    code, data, _ = portfolio_json(folder)
    assert code == 0
    schema = json.loads((ROOT / "schema" / "tables.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    rows = data["tables"]["programmes"]["rows"]
    files = sorted(folder.rglob("*.yaml"))
    assert sorted(r["file"] for r in rows) == sorted(str(f) for f in files)
    expected = {"cost": Decimal(0), "attributable_benefits": Decimal(0), "net_position": Decimal(0),
                "npv": Decimal(0)}
    paying = 0
    for path in files:
        run = json.loads(cli("run", path, "--format", "json").stdout)["headlines"]
        row = next(r for r in rows if r["file"] == str(path))
        for key in ("cost", "attributable_benefits", "net_position"):
            assert row[key] == run[key]["value"], (path, key)
            expected[key] += Decimal(run[key]["value"])
        if "npv" in run:
            assert row["npv"] == run["npv"]["value"]
            expected["npv"] += Decimal(run["npv"]["value"])
            paying += run["payback_years"]["value"] is not None
        else:
            assert row["npv"] is None
            paying += Decimal(run["net_position"]["value"]) >= 0
    facts = data["facts"]
    for key in expected:
        # the total is of the exact figures; each row's JSON is rounded to the penny, so they differ by at most
        # half a penny a row (the bundled examples' NPVs carry fractions of a penny)
        assert abs(Decimal(facts[f"total_{key}"]["value"]) - expected[key]) <= Decimal("0.005") * len(files), key
    assert Decimal(facts["paying_back"]["value"]) == paying
    assert Decimal(facts["programmes"]["value"]) == len(files) and facts["invalid"]["value"] == "0"


def test_parallel_and_serial_give_the_same_table_in_the_same_order(folder):
    serial = portfolio_json(folder, "--jobs", "1")[1]
    parallel = portfolio_json(folder, "--jobs", "2")[1]
    assert serial["tables"] == parallel["tables"] and serial["facts"] == parallel["facts"]


def test_a_broken_file_in_the_middle_hides_nothing(folder):
    (folder / "more" / "b-broken.yaml").write_text("name: [unclosed\n")
    code, data, stderr = portfolio_json(folder)
    assert code == 1
    jsonschema.validate(data, json.loads((ROOT / "schema" / "tables.schema.json").read_text(encoding="utf-8")))
    assert f"{folder / 'more' / 'b-broken.yaml'}:2:1: YAML syntax error" in stderr
    rows = data["tables"]["programmes"]["rows"]
    assert [r["status"] for r in rows].count("invalid") == 1
    assert len([r for r in rows if r["status"] == "ok"]) == len(list(folder.rglob("*.yaml"))) - 1


def test_an_empty_folder_is_a_clear_error(tmp_path):
    result = cli("portfolio", tmp_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{tmp_path}:1:1: no scenarios (*.yaml) found in this folder"


def test_duplicate_names_are_told_apart_by_path_and_a_file_named_twice_is_appraised_once(folder):
    copy = folder / "more" / "dorset-rsw.yaml"
    shutil.copy(folder / "dorset-rsw.yaml", copy)
    code, data, _ = portfolio_json(folder, folder / "dorset-rsw.yaml")
    assert code == 0
    names = [r["name"] for r in data["tables"]["programmes"]["rows"]]
    dorset = "Reinvigorating Social Work (RSW), Dorset"
    assert f"{dorset} [{folder / 'dorset-rsw.yaml'}]" in names and f"{dorset} [{copy}]" in names
    assert len(names) == len(set(names)) == len(list(folder.rglob("*.yaml")))
    assert any("was named more than once" in note and "appraised once" in note for note in data["notes"])


def test_sort_and_where(folder):
    _, data, _ = portfolio_json(folder, "--sort", "npv")
    npvs = [r["npv"] for r in data["tables"]["programmes"]["rows"]]
    appraised = [Decimal(v) for v in npvs if v is not None]
    assert appraised == sorted(appraised, reverse=True) and npvs[:len(appraised)] == [str(v) for v in appraised]
    _, data, _ = portfolio_json(folder, "--where", "net_position>0", "--sort", "name")
    rows = data["tables"]["programmes"]["rows"]
    assert rows and all(Decimal(r["net_position"]) > 0 for r in rows)
    assert [r["name"] for r in rows] == sorted(r["name"] for r in rows)
    bad = cli("portfolio", folder, "--where", "nvp>0")
    assert bad.exit_code == 2 and "no column 'nvp' (did you mean 'npv'?)" in bad.stderr


def test_xlsx_summary_links_each_programmes_own_workbook(folder, tmp_path):
    out = tmp_path / "out" / "portfolio.xlsx"
    out.parent.mkdir()
    result = cli("portfolio", folder, "--xlsx", out)
    assert result.exit_code == 0, result.stderr
    sheet = openpyxl.load_workbook(out)["programmes"]
    header = [c.value for c in sheet[1]]
    links = [row[header.index("Workbook")] for row in sheet.iter_rows(min_row=2) if row[header.index("Workbook")].value]
    assert len(links) == len(list(folder.rglob("*.yaml")))
    for cell in links:
        assert cell.hyperlink.target == cell.value
        target = out.parent / cell.value
        assert openpyxl.load_workbook(target)["Summary"]["A1"].value == "Cost-benefit analysis"
    again = cli("portfolio", folder, "--xlsx", out)
    assert again.exit_code == 1 and "already exists" in again.stderr and again.stdout == ""


def test_every_row_names_its_file_and_the_count_agrees_with_the_exit_code(tmp_path):
    """Issue 31, item 5: a broken scenario's terminal row names its file; filtered out or not, it is counted."""
    shutil.copy(DORSET, tmp_path / "d.yaml")
    (tmp_path / "broken.yaml").write_text("name: x\n", encoding="utf-8")
    result = cli("portfolio", tmp_path)
    assert result.exit_code == 1
    assert "(invalid:" in result.stdout and "broken.yaml)" in result.stdout  # a long path wraps in its cell
    filtered = cli("portfolio", tmp_path, "--where", "npv>0", "-f", "json")
    assert filtered.exit_code == 1 and "broken.yaml" in filtered.stderr
    assert json.loads(filtered.stdout)["facts"]["invalid"]["value"] == "1"


def test_where_suggests_the_column_a_guess_begins():
    result = cli("portfolio", DORSET, "--where", "payback<2")
    assert result.exit_code == 2
    assert "no column 'payback' (did you mean 'payback_years'?)" in result.stderr


def test_validate_takes_folders_and_patterns_as_portfolio_does(tmp_path):
    (tmp_path / "sub").mkdir()
    shutil.copy(DORSET, tmp_path / "sub" / "d.yaml")
    result = cli("validate", tmp_path / "sub")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"ok: {tmp_path}/sub/d.yaml\n"
    result = cli("validate", f"{tmp_path}/sub/*.yaml", DORSET)
    assert result.stdout.splitlines() == [f"ok: {tmp_path}/sub/d.yaml", f"ok: {DORSET}"]
    empty = tmp_path / "empty"
    empty.mkdir()
    result = cli("validate", empty)
    assert result.exit_code == 1 and "no scenarios (*.yaml) found in this folder" in result.stderr
