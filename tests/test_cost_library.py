"""The unit-cost library: GMCA import, CSV import, search, show, several tables, unit conversions."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D

import openpyxl

from cba.io.unit_cost_table import load_table

from .conftest import BUNDLED_COSTS, ROOT, cli
from .test_errors import VALID


def gmca_workbook(path):
    """A small workbook in the GMCA Unit Cost Database layout."""
    wb = openpyxl.Workbook()
    intro = wb.active
    intro.title = "Introduction"
    intro["A1"] = "Unit Cost Database"
    intro["A3"] = "This work is licensed under a Creative Commons Attribution 4.0 International License (CC BY 4.0)."
    ws = wb.create_sheet("Social Services")
    ws.append(["Unit Cost Database: Social Services"])
    ws.append(["Category", "Detail", "Cost code", "Description", "Unit", "Agency", "Agency detail", "Value (£)",
               "Price year", "Uprated value", "Source", "Notes"])
    ws.append(["SOCIAL SERVICES", "LOOKED AFTER CHILDREN", "SS1.0", "Child taken into care", "Per year",
               "Local Authority", "Social Services", 51080, "2013/14", "=H3*1.1", "DfE (2014)", "average"])
    ws.append([None, None, "SS1.1", "Child taken into care: low cost", "Per year", "Local Authority", None, 29580,
               "2010/11", None, None, None])
    ws.append([None, "FOSTER CARE", "SS2.0", "Foster care", "Per week", "LA", "Social Services", 700.5, 2014])
    ws.append([None, None, None, "A sub-heading row without a code"])
    ws.append([None, None, "SS2.9", "Training session, value missing", "Per session", "Local Authority"])
    ws.append([None, None, "SS3.0", "Residential care", "Per week", "Local Authority", None, "n/a", "2013/14"])
    ws.merge_cells("A3:A5")  # merged category cells, as the published workbook has
    crime = wb.create_sheet("Crime")
    crime.append(["Crime"])
    crime.append(["Category", "Detail", "Cost code"])
    crime.append(["CRIME", "DOMESTIC VIOLENCE", "CR2.0.4", "Domestic violence incident", "Per incident",
                  "Criminal Justice System", None, "£193", "2008/09"])
    lookups = wb.create_sheet("Lookups")
    lookups.append(["year", "deflator"])
    wb.save(path)


def test_import_of_the_gmca_workbook_layout(tmp_path):
    source, out = tmp_path / "GMCA_UCD.xlsx", tmp_path / "gmca.csv"
    gmca_workbook(source)
    result = cli("costs", "import", source, "-o", out)
    assert result.exit_code == 1  # SS3.0's value is garbled: reported, nothing written
    assert "Social Services, row 8, code SS3.0: value: 'n/a' is not an amount" in result.stderr
    assert not out.exists()
    result = cli("costs", "import", source, "-o", out, "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert "4 entries; 2 rows without a code or value skipped; 1 invalid rows left out" in result.stderr
    table = load_table(out)
    assert list(table.entries) == ["SS1.0", "SS1.1", "SS2.0", "CR2.0.4"]
    ss10, ss11, ss20, cr = (table.entries[k] for k in ("SS1.0", "SS1.1", "SS2.0", "CR2.0.4"))
    assert (ss10.value, ss10.price_year, ss10.unit, ss10.agency, ss10.agency_detail) == \
        (D(51080), "2013/14", "Per year", "Local Authority", "Social Services")
    assert (ss10.theme, ss10.category, ss10.detail) == ("Social Services", "SOCIAL SERVICES", "LOOKED AFTER CHILDREN")
    assert ss10.source == "DfE (2014)" and ss10.notes == "average"
    assert ss10.licence.startswith("This work is licensed under a Creative Commons")
    # category and detail filled down through merged and blank cells
    assert (ss11.category, ss11.detail) == ("SOCIAL SERVICES", "LOOKED AFTER CHILDREN")
    assert (ss20.category, ss20.detail) == ("SOCIAL SERVICES", "FOSTER CARE")
    assert ss11.source == "GMCA Unit Cost Database (GMCA_UCD.xlsx), sheet Social Services"
    # a numeric price year becomes text; pence kept; the agency alias named
    assert (ss20.value, ss20.price_year, ss20.agency) == (D("700.5"), "2014", "Local Authority")
    assert (cr.value, cr.theme, cr.agency, cr.value_type.value) == (D(193), "Crime", "Criminal Justice System", "fiscal")
    assert ss10.cashable is None and ss10.confidence is None  # not in the workbook: not invented
    again = cli("costs", "import", source, "-o", out, "--skip-invalid")
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_import_of_a_users_csv_with_a_mapping(tmp_path):
    source, out = tmp_path / "finance.csv", tmp_path / "local.csv"
    source.write_text("Code,Item,Per,Cost,Year,Who\nF1,Family worker hour,per hour,31.50,2022/23,local authority\n"
                      ",blank code,per hour,1,2022/23,Local Authority\nF2,Bad,per hour,lots,2022/23,Local Authority\n",
                      encoding="utf-8")
    args = ["costs", "import", source, "-o", out, "--map", "id=Code,description=Item,unit=Per,value=Cost,price_year=Year,agency=Who",
            "--default", "value_type=fiscal", "--default", "source=Anytown finance system, 2023"]
    failed = cli(*args)
    assert failed.exit_code == 1 and "row for 'F2': value: 'lots' is not an amount" in failed.stderr
    assert cli(*args, "--skip-invalid").exit_code == 0
    entry = load_table(out).entries["F1"]
    assert (entry.value, entry.unit, entry.agency, entry.source) == (D("31.50"), "per hour", "Local Authority",
                                                                      "Anytown finance system, 2023")
    bad_map = cli("costs", "import", source, "-o", tmp_path / "x.csv", "--map", "value=Price")
    assert bad_map.exit_code == 1 and "no column 'Price'" in bad_map.stderr


def test_search_finds_words_case_insensitively():
    out = cli("costs", "search", "FOSTER", "care").stdout
    assert "SS2.0" in out and "SS3.0" not in out
    data = json.loads(cli("costs", "search", "looked", "after", "--format", "json").stdout)
    ids = [m["id"] for m in data["matches"]]
    assert "lac-year" in ids and "SS1.0" in ids
    assert all("looked" in (m["description"] + m["detail"] + m["category"]).lower() for m in data["matches"])


def test_fast_search_path_matches_the_full_cli():
    # `cba costs search` skips typer's parameter building; both paths must print the same.
    code = "import sys; sys.argv = ['cba'] + sys.argv[1:]; from cba.cli.entry import main; main()"
    fast = subprocess.run([sys.executable, "-c", code, "costs", "search", "foster", "--format", "json"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    assert json.loads(fast.stdout) == json.loads(cli("costs", "search", "foster", "--format", "json").stdout)
    heavy = subprocess.run([sys.executable, "-c", code + "; print(sorted(m for m in ('pydantic.main', 'rich.table') "
                            "if m in sys.modules), 'typer' in sys.modules, file=sys.stderr)", "costs", "search", "foster"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    assert heavy.stderr.strip().endswith("[] False")  # not even typer is imported


def test_show_explains_the_uprating():
    data = json.loads(cli("costs", "show", "SS1.0", "--price-base", "2019/20", "--format", "json").stdout)
    up = data["uprating"]
    # ONS YBGB by financial year, the mean of its four quarters April to March:
    # 2019/20 = (90.2 + 90.6 + 91.1 + 91.9) / 4 = 90.95; 2013/14 = (81.6 + 82.2 + 82.3 + 82.6) / 4 = 82.175.
    # 51,080 x 90.95 / 82.175 = 56,534.54 (issue 11: "about £56,535"; the calendar series gave £56,383).
    assert (up["deflator_at_base"], up["deflator_at_price_year"]) == ("90.95", "82.175")
    assert D(up["value_at_price_base"]) == D(51080) * D("90.95") / D("82.175")
    text = cli("costs", "show", "SS1.0", "--price-base", "2019/20").stdout
    assert "£51,080 × 90.95 ÷ 82.175 = £56,534.54" in text
    assert cli("costs", "show", "SS1.O").exit_code == 1


def test_several_tables_namespaced_with_explicit_overrides(write_scenario, tmp_path):
    local = tmp_path / "unit_costs" / "local.csv"
    local.write_text(BUNDLED_COSTS.read_text(encoding="utf-8").splitlines()[0] + "\n"
                     + "lac-year,Local LAC cost,per year,60000,2019/20,Local Authority,,fiscal,true,2,Anytown,,,,,,\n",
                     encoding="utf-8")
    tables = """unit_costs:
  - {name: bundled, path: ../unit_costs/children-social-care.csv}
  - {name: local, path: ../unit_costs/local.csv%s}
"""
    base = VALID.replace("unit_costs: ../unit_costs/children-social-care.csv\n", "").replace(
        "    unit_cost: lac-year\n", "    unit_cost: lac-year\n    attributable: true\n")
    ambiguous = cli("run", write_scenario(base + tables % ""))
    assert ambiguous.exit_code == 1
    assert "is in several tables (bundled, local); write bundled/lac-year or local/lac-year" in ambiguous.stderr
    overridden = json.loads(cli("run", write_scenario(base + tables % ", overrides: [bundled]"), "-f", "json").stdout)
    assert next(o for o in overridden["outcomes"] if o["id"] == "lac")["value"] == "60000.00"
    assert [t["name"] for t in overridden["provenance"]["inputs"] if t["role"] == "unit costs"] == ["bundled", "local"]
    explicit = json.loads(cli("run", write_scenario(base.replace("unit_cost: lac-year", "unit_cost: bundled/lac-year")
                                                    + tables % ""), "-f", "json").stdout)
    assert next(o for o in explicit["outcomes"] if o["id"] == "lac")["value"] == "58664.00"
    bad = cli("run", write_scenario(base + tables % ", overrides: [bundle]"))
    assert "overrides 'bundle', which is not one of the tables (did you mean 'bundled'?)" in bad.stderr


def test_a_weekly_cost_needs_an_explicit_conversion(write_scenario):
    text = VALID.replace("unit_cost: lac-year", "unit_cost: SS2.0").replace("    baseline: 10\n", "    baseline: 10\n    attributable: true\n")
    result = cli("run", write_scenario(text))
    assert result.exit_code == 1
    assert "'SS2.0' is priced per week but outcome 'lac' needs a cost per unit of the outcome; add conversion: " \
           "{factor: 52.14, reason: weeks in a year}" in result.stderr
    converted = text.replace("unit_cost: SS2.0", "unit_cost: SS2.0\n    conversion: {factor: 52.14, reason: weeks in a year}")
    data = json.loads(cli("run", write_scenario(converted), "-f", "json").stdout)
    lac = next(o for o in data["outcomes"] if o["id"] == "lac")
    assert D(lac["value"]) == 1 * D(700) * D("52.14")  # 10 -> 9 children, a year of foster care each
    assert lac["conversion"] == {"factor": "52.14", "reason": "weeks in a year"}
    assert "× 52.14 (weeks in a year)" in cli("run", write_scenario(converted)).stdout


def test_bundled_table_carries_the_gmca_children_entries():
    table = load_table(BUNDLED_COSTS)
    # from ../shared/reference/unit-costs-reference.md, "Headline entries"
    expected = {"SS1.0": (51080, "2013/14"), "SS2.0": (700, "2013/14"), "SS3.0": (2995, "2013/14"),
                "SS3.1": (2947, "2013/14"), "SS4.0": (900, "2004/05"), "SS4.1": (25000, "2005/06"),
                "SS5.0": (1416, "2008/09"), "SS6.2": (117, "2009/10"), "SS6.3": (362, "2009/10"),
                "SS18.2": (57, "2013/14")}
    for code, (value, year) in expected.items():
        assert (table.entries[code].value, table.entries[code].price_year) == (D(value), year), code
    assert len(table.entries) == 84 + 4


def test_a_broken_workbook_is_one_line_not_a_traceback(tmp_path):
    source = tmp_path / "broken.xlsx"
    source.write_bytes(b"not a zip file")
    result = cli("costs", "import", source, "-o", tmp_path / "out.csv")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{source}:1:1: not a workbook (.xlsx is a zip archive)"
    assert not (tmp_path / "out.csv").exists()


def test_import_refuses_an_output_name_that_is_not_csv(tmp_path):
    target = tmp_path / "costs.xlsx"
    result = cli("costs", "import", ROOT / "unit_costs" / "children-social-care.csv", "-o", target)
    assert result.exit_code == 2 and "an imported unit-cost table is CSV" in result.stderr
    assert not target.exists()
