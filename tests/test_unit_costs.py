"""The bundled unit-cost table and the CSV loader's checks."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest

from cba.io.unit_cost_table import load_table
from cba.model.errors import InputError
from cba.model.unit_cost import COLUMNS

from .conftest import BUNDLED_COSTS, cli

HEADER = ",".join(COLUMNS[:13])  # id ... notes; theme, category, detail, licence are optional
ROW = "x1,Thing,per year,100,2019/20,Local Authority,,fiscal,true,2,Somewhere,,"


def test_bundled_table_holds_the_report_costs_with_provenance():
    table = load_table(BUNDLED_COSTS)
    # Values as quoted in the Dorset report, Appendix 3.
    expected = {"lac-year": 58664, "cin-new-case-mgmt": 1701, "agency-sw-gross": 41000, "agency-sw-net": 6000}
    for cost_id, value in expected.items():
        entry = table.get(cost_id)
        assert entry.value == Decimal(value)
        assert entry.price_year and entry.source and 1 <= entry.confidence <= 6
    assert table.get("lac-year").price_year == "2019"  # "Based on 2019 prices" (footnote 11)
    assert table.get("cin-new-case-mgmt").cashable is False


def write(tmp_path, *rows, header=HEADER):
    path = tmp_path / "costs.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def problems(path):
    with pytest.raises(InputError) as info:
        load_table(path)
    return [str(d).split(":", 1)[1] for d in info.value.diagnostics]


def test_a_valid_row_loads(tmp_path):
    table = load_table(write(tmp_path, ROW))
    assert table.get("x1").value == Decimal(100)
    assert table.lines["x1"] == 2


def test_row_errors_name_line_and_column(tmp_path):
    bad_value = ROW.replace(",100,", ",£1.234,56,").replace("£1.234,56", '"1.234,56"')
    bad_type = ROW.replace(",fiscal,", ",fiskal,")
    duplicate = ROW
    got = problems(write(tmp_path, ROW, bad_value, bad_type, duplicate))
    # Columns counted by hand: "x1,Thing,per year," is 18 characters, so value starts at 19;
    # "100,2019/20,Local Authority,," is 29 more, so value_type starts at 48.
    assert got[0].startswith("3:19: value: '1.234,56' is not an amount")
    assert got[1].startswith("4:48: value_type: Input should be 'fiscal', 'economic' or 'social'")
    assert got[2] == "5:1: duplicate id 'x1' (first on line 2)"


def test_negative_cost_and_bad_price_year(tmp_path):
    got = problems(write(tmp_path, ROW.replace(",100,2019/20,", ",-5,2019-20,")))
    assert any(p.startswith("2:19: value: must not be negative") for p in got)
    assert any(p.startswith("2:22: price_year:") for p in got)


def test_header_problems(tmp_path):
    got = problems(write(tmp_path, ROW, header=HEADER.replace("value_type", "valuetype")))
    assert "1:59: unknown column 'valuetype' (did you mean 'value_type'?)" in got
    assert "1:1: missing required column 'value_type'" in got


def test_wrong_field_count(tmp_path):
    assert problems(write(tmp_path, ROW + ",extra")) == ["2:1: 14 fields, expected 13 (one per column)"]


def test_costs_command_lists_the_table():
    out = cli("costs").stdout
    entries = [line for line in out.splitlines() if line.startswith(("lac-year ", "SS1.0 "))]
    assert len(entries) == 2 and "£58,664" in entries[0] and "£51,080" in entries[1]  # one line per entry
    data = json.loads(cli("costs", "--format", "json").stdout)
    assert len(out.splitlines()) == len(data["entries"]) + 2  # then the count with the hash, and a hint
    full = cli("costs", "--full").stdout
    assert "Community Care" in full  # --full carries sources
    data = json.loads(cli("costs", "--format", "json").stdout)
    assert {e["id"] for e in data["entries"]} >= {"lac-year", "cin-new-case-mgmt"}
    assert next(e for e in data["entries"] if e["id"] == "lac-year")["value"] == "58664"


def test_costs_csv_output_neutralises_formulas(tmp_path):
    path = write(tmp_path, ROW.replace("Thing", "=HYPERLINK(1)"))
    out = cli("costs", "--unit-costs", path, "--format", "csv").stdout
    assert ",'=HYPERLINK(1)," in out


def test_unit_costs_option_overrides_the_scenario_table(tmp_path):
    from .conftest import DORSET

    path = write(tmp_path, ROW.replace("x1,", "lac-year,").replace(",100,", ",1000,"),
                 ROW.replace("x1,", "cin-new-case-mgmt,"))
    data = json.loads(cli("run", DORSET, "--unit-costs", path, "--format", "json").stdout)
    lac = next(o for o in data["outcomes"] if o["id"] == "lac")
    assert lac["value"] == "60000.00"  # 60 fewer children at the table's £1,000
    assert data["provenance"]["inputs"][1] == {"role": "unit costs", "name": path.stem, "file": str(path),
                                               "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def test_unknown_agency_is_refused_with_a_suggestion(tmp_path):
    got = problems(write(tmp_path, ROW.replace("Local Authority", "Local Authorty")))
    assert got[0].startswith("2:31: agency: unknown agency 'Local Authorty' (did you mean 'Local Authority'?)")


def test_agency_matching_ignores_case(tmp_path):
    assert load_table(write(tmp_path, ROW.replace("Local Authority", "local authority"))).get("x1").agency == "Local Authority"


def test_price_year_after_the_price_base_is_an_error(write_scenario, tmp_path):
    from .test_errors import VALID

    table = tmp_path / "unit_costs" / "children-social-care.csv"
    text = table.read_text(encoding="utf-8").replace("per year,58664,2019,", "per year,58664,2021/22,")
    table.write_text(text, encoding="utf-8")
    result = cli("run", write_scenario(VALID))
    assert result.exit_code == 1
    # lac-year is on line 2 of the table; its price_year field starts after
    # 'lac-year,"Looked-after child, fiscal cost of care per child",per year,58664,' (76 characters).
    assert result.stderr.startswith(f"{table}:2:77: price year 2021/22 of 'lac-year' is later than the price base 2019/20")
