"""Issue 28, item 4: enumerated inputs carry a drop-down of what is allowed, which Excel and LibreOffice enforce
(error style "stop": an entry outside the list is refused, not mapped to something else).

The enumerated inputs: the cost basis, the price base, the discounting switch, attributable flags, grades, a
cost line's agency (any public agency: the Lists sheet) and an outcome's unit cost (any of the same kind:
value type, agency and cashability, which decide the totals it counts in; the Lists sheet). The agency and the
unit cost drive their figures: tests/test_perturbation.py moves every line to the next agency and swaps every
unit cost for the next of its kind against ``cba run --set``; here the same two edits go through LibreOffice.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.conftest import ROOT, cli
from tests.test_dashboard import dashboard_rows, near
from tests.test_export import check_headlines, recalculated_all
from tests.test_perturbation import VARIANTS, _path, another_choice, keyed_workbook

CARE = ROOT / "scenarios" / "care-proceedings-example.yaml"
GB = ("--green-book",)
ENUMERATED = (".unit_cost", ".agency", ".value_type", ".grade", ".attributable", "appraisal.discounting", "price_base")


def rule_of(cell):
    rules = [v for v in cell.parent.data_validations.dataValidation if cell.coordinate in v.sqref]
    assert len(rules) == 1, cell.coordinate
    return rules[0]


def allowed(wb, rule) -> list[str]:
    """The values a list rule allows: written into it ("a,b"), or a range of cells."""
    if rule.formula1.startswith('"'):
        return rule.formula1.strip('"').split(",")
    sheet, cells = rule.formula1.rsplit("!", 1)
    return [c.value for row in wb[sheet.strip("'")][cells.replace("$", "")] for c in row]


@pytest.mark.parametrize(("stem", "options"), VARIANTS, ids=lambda v: v if isinstance(v, str) else " ".join(v))
def test_every_enumerated_input_has_a_drop_down_that_refuses_anything_else(stem, options, tmp_path):
    wb, keys, _ = keyed_workbook(_path(stem, tmp_path), options)
    enumerated = [(place, key) for place, key in keys.items() if key and key.endswith(ENUMERATED)]
    assert enumerated
    for (sheet, row, column), key in enumerated:
        cell = wb[sheet].cell(row, column)
        rule = rule_of(cell)
        assert rule.type == "list" and rule.showErrorMessage and rule.errorStyle == "stop", key
        values = allowed(wb, rule)
        shown = str(cell.value).upper() if isinstance(cell.value, bool) else cell.value
        assert shown in values, (key, cell.value, values)  # what it holds is allowed
        if key and key.endswith(".unit_cost"):  # one kind: the Lists sheet's title names it, as the stream does
            assert all(v in [c.value for c in wb["Unit costs"]["A"]] for v in values)


def test_moving_a_line_swapping_a_unit_cost_and_retyping_a_value_recalculate_in_libreoffice(tmp_path):
    wb, keys, _ = keyed_workbook(CARE, GB)
    agency = next(p for p, k in keys.items() if k and k.endswith(".agency") and another_choice(wb, wb[p[0]].cell(*p[1:])))
    unit = next(p for p, k in keys.items() if k and k.endswith(".unit_cost") and another_choice(wb, wb[p[0]].cell(*p[1:])))
    book = tmp_path / "care.xlsx"
    assert cli("export", CARE, *GB, "-o", book).exit_code == 0
    paths, settings = [], []
    for name, (sheet, row, column) in (("agency", agency), ("unit", unit)):
        edited = openpyxl.load_workbook(book)
        cell = edited[sheet].cell(row, column)
        new = another_choice(edited, cell)
        cell.value = new
        paths.append(tmp_path / f"{name}.xlsx")
        edited.save(paths[-1])
        settings.append(f"{keys[(sheet, row, column)]}={new}")
    shapes = _path("shapes", tmp_path)  # a value written in the scenario: fiscal made economic
    written, _, _ = keyed_workbook(shapes, ())
    (place,) = [p for p, k in written.__dict__["_cba_inputs"].items() if k == "outcomes.school.value.value_type"]
    shapes_book = tmp_path / "shapes.xlsx"
    assert cli("export", shapes, "-o", shapes_book).exit_code == 0
    edited = openpyxl.load_workbook(shapes_book)
    edited[place[0]].cell(*place[1:]).value = "economic"
    paths.append(tmp_path / "type.xlsx")
    edited.save(paths[-1])
    before = json.loads(cli("run", CARE, *GB, "--format", "json").stdout)
    recalcs = recalculated_all(paths, tmp_path)
    document = json.loads(cli("run", shapes, "--set", "outcomes.school.value.value_type=economic",
                              "--format", "json").stdout)
    check_headlines(recalcs[-1], document)  # the fiscal case, financial and cashable ROI follow the value type
    assert document["headlines"]["financial_roi"] != json.loads(cli("run", shapes, "--format", "json").stdout)[
        "headlines"]["financial_roi"]
    for setting, recalc in zip(settings, recalcs):
        document = json.loads(cli("run", CARE, *GB, "--set", setting, "--format", "json").stdout)
        check_headlines(recalc, document)
        who = dashboard_rows(recalc["Dashboard"], "Who pays and who benefits (present values)")
        engine = {f["agency"]: f for f in document["appraisal"]["who_pays_and_benefits"]}
        for agency_name, row in who.items():
            if agency_name in engine:
                assert near(row[1], engine[agency_name]["pv_costs"]), (setting, agency_name)
                assert near(row[6], engine[agency_name]["net"]), (setting, agency_name)
            elif agency_name != "All together":  # pays and receives nothing now
                assert near(row[1], "0") and near(row[6], "0"), (setting, agency_name)
        assert document["appraisal"]["who_pays_and_benefits"] != before["appraisal"]["who_pays_and_benefits"]
