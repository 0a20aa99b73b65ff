"""The Excel export: recomputed by a real spreadsheet engine, it must equal `cba run --format json`."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from .conftest import DORSET, cli

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


#: A LibreOffice profile that recalculates every formula when an xlsx is loaded. Without it LibreOffice keeps
#: the values stored in the file ("never recalculate" is its default for files from Excel-like writers),
#: so a check through it would compare cba's stored results with themselves: a planted wrong value
#: survived. 0 is "always recalculate" (org.openoffice.Office.Calc/Formula/Load, OOXMLRecalcMode and
#: ODFRecalcMode).
RECALCULATE_ON_LOAD = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def recalculating_profile(tmp_path: Path) -> Path:
    """A fresh LibreOffice user profile that recalculates on load (see RECALCULATE_ON_LOAD)."""
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE_ON_LOAD, encoding="utf-8")
    return profile


def recalculated(path: Path, tmp_path: Path) -> openpyxl.Workbook:
    """Open the workbook in LibreOffice headless with recalculation on load forced, and read the values it
    computed (test_libreoffice_really_recalculates shows that a planted wrong stored value is replaced)."""
    assert SOFFICE, "LibreOffice is needed: apt-get install libreoffice-calc-nogui (.ci/run installs it)"
    out = tmp_path / "recalculated"
    out.mkdir(parents=True, exist_ok=True)
    profile = recalculating_profile(tmp_path)
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
         "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True, capture_output=True, timeout=180,
    )
    return openpyxl.load_workbook(out / path.name, data_only=True)


def recalculated_all(paths: list[Path], tmp_path: Path) -> list[openpyxl.Workbook]:
    """``recalculated`` for many workbooks in one LibreOffice start (each start takes seconds). The names must
    differ: LibreOffice writes each into one folder under its own name."""
    assert SOFFICE, "LibreOffice is needed: apt-get install libreoffice-calc-nogui (.ci/run installs it)"
    assert len({p.name for p in paths}) == len(paths)
    out = tmp_path / "recalculated"
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={recalculating_profile(tmp_path).as_uri()}",
         "--convert-to", "xlsx", "--outdir", str(out), *map(str, paths)],
        check=True, capture_output=True, timeout=600,
    )
    return [openpyxl.load_workbook(out / p.name, data_only=True) for p in paths]


def with_planted_value(path: Path, target: Path, sheet_xml: str, coordinate: str, planted: str) -> None:
    """A copy of a workbook whose one formula cell stores ``planted`` as its result (the formula kept)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            body = source.read(item)
            if item.filename == sheet_xml:
                pattern = rb'(<c r="' + coordinate.encode() + rb'"[^>]*>(?:<f>[^<]*</f>))<v>[^<]*</v>'
                body, count = re.subn(pattern, rb"\1<v>" + planted.encode() + rb"</v>", body, count=1)
                assert count == 1, f"no stored formula result at {coordinate} in {sheet_xml}"
            out.writestr(item, body)


def check_formula_results(formulas, stored, other) -> int:
    """Every formula cell's stored result equals another engine's value of it (``other(sheet, cell)``):
    numbers to 1e-9 relative, text exactly. Returns how many formula cells were compared."""
    from numbers import Real

    def numeric(x) -> bool:
        return isinstance(x, Real) and not isinstance(x, bool)

    count = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                count += 1
                mine, theirs = stored[ws.title][cell.coordinate].value, other(ws.title, cell.coordinate)
                where = (f"{ws.title}!{cell.coordinate}", cell.value, mine, theirs)
                if numeric(mine) or numeric(theirs):
                    assert numeric(mine) and numeric(theirs), where
                    assert abs(float(mine) - float(theirs)) <= 1e-9 * max(1.0, abs(float(theirs))), where
                else:
                    assert (mine or "") == (theirs or ""), where
    return count


def pennies(value) -> Decimal:
    return Decimal(str(round(float(value), 2))).quantize(Decimal("0.01"))


def money(text: str) -> Decimal:
    return Decimal(text).quantize(Decimal("0.01"))


def labelled(ws, column: int = 2) -> dict[str, object]:
    return {row[0]: row[column - 1] for row in ws.iter_rows(values_only=True) if row and row[0]}


def summary_by_key(book) -> dict[str, object]:
    """The Summary sheet's headline cells by their key (column C), as the spreadsheet computed them."""
    return {r[2]: r[1] for r in book["Summary"].iter_rows(min_row=2, values_only=True) if r[2] and r[2] != "Key"}


def check_headlines(book, data) -> None:
    """Every headline figure of ``cba run --format json`` is on the Summary sheet and agrees to the penny.

    The workbook computes in binary floating point, the engine in exact decimals: money agrees when the
    difference is under half a penny, ratios (six places) under half a millionth, each with a relative
    allowance of 1e-14 for the last digits a double cannot hold (only a huge ratio needs it). Percentages are fractions
    in the workbook (shown with a % format) and percents in JSON.
    """
    summary = summary_by_key(book)
    assert set(summary) == set(data["headlines"])
    for key, h in data["headlines"].items():
        got = summary[key]
        if h["value"] is None:
            # no figure: blank, no payback, or a cost or spend that is not known (never a 0)
            assert got in ("", None) or str(got).startswith(("does not pay back within", "not known (")), (key, got)
            continue
        expected = Decimal(h["value"])
        value = Decimal(repr(float(got))) * (100 if h["kind"] == "percent" else 1)
        # a double carries about 16 significant digits, and a workbook's sums and quotients lose a few units in
        # the last of them: a ratio of -168,598,066.978467 (benefits over a penny of cost) is good to about 1e-6
        relative = abs(expected) * Decimal("1e-14")
        tolerance = (Decimal("0.0051") if h["kind"] == "money" else Decimal("0.0000006")) + relative
        assert abs(value - expected) < tolerance, (key, got, h["value"])


def check_against_json(book, data) -> None:
    check_headlines(book, data)
    costs = book["Costs"]
    header = [c.value for c in costs[1]]
    rows = {(r[0], r[1]): r for r in costs.iter_rows(min_row=2, values_only=True) if r[0] and r[1]}
    b_col, a_col, v_col = header.index("Budget total"), header.index("Actual total"), header.index("Variance £")
    for line in data["costs"]["lines"]:
        row = rows[(line["label"], line["kind"])]
        assert pennies(row[b_col]) == money(line["budget_total"]), line["label"]
        assert pennies(row[a_col]) == money(line["actual_total"]), line["label"]
        if line["variance"] is None:  # nothing budgeted: no overspend to show
            assert row[v_col] == "not budgeted", line["label"]
        else:
            assert pennies(row[v_col]) == money(line["variance"]), line["label"]
        for period, amount in line["actual"].items():
            assert pennies(row[header.index(f"Actual {period}")] or 0) == money(amount)
    kind_rows = {r[0]: r for r in costs.iter_rows(min_row=2, values_only=True) if r[0] and not r[1]}
    labels = {"direct": "Planned (direct) spend", "unplanned": "Unplanned spend", "committed": "Committed spend",
              "in_kind": "In-kind costs"}
    for kind, figures in data["costs"]["by_kind"].items():
        row = kind_rows[labels[kind]]
        assert pennies(row[a_col]) == money(figures["actual_total"])
        assert pennies(row[b_col]) == money(figures["budget_total"])
        for period, amount in figures["budget"].items():
            assert pennies(row[header.index(f"Budget {period}")]) == money(amount)

    recon = {}
    for r in book["Reconciliation"].iter_rows(min_row=2, values_only=True):
        if not any(r):
            break  # the published totals end at the first empty row (published results follow)
        if r[0] and r[1] is not None:
            recon[r[0]] = r
    assert len(recon) == len(data["reconciliation"]["checks"])
    for check in data["reconciliation"]["checks"]:
        row = recon[check["label"]]
        assert pennies(row[2]) == money(check["computed"]), check["label"]
        assert pennies(row[3]) == money(check["difference"]), check["label"]
        assert row[4] == ("agrees" if check["agrees"] else "DOES NOT AGREE")

    benefits = {r[0]: r for r in book["Benefits"].iter_rows(min_row=2, values_only=True) if r[0]}
    for outcome in data["outcomes"]:  # an outcome with several values has a row each, ID#N
        row = benefits[outcome["id"] if outcome["part"] is None else f"{outcome['id']}#{outcome['part']['number']}"]
        assert row[4] is None if outcome["change"] is None else Decimal(str(row[4])) == Decimal(outcome["change"])
        if outcome["value"] is not None:
            assert pennies(row[8]) == money(outcome["value"])
            assert pennies(row[9]) == money(outcome["attributable_value"])
    for s in data["switching_values"]:
        if s["basis"] != "net_position":
            continue
        row = benefits.get(s["outcome"]) or benefits[f"{s['outcome']}#1"]
        if s["units_needed"] is None:
            assert row[10] in ("", None)
        else:
            assert abs(Decimal(str(row[10])) - Decimal(s["units_needed"])) < Decimal("0.000001")

    a = data["appraisal"]
    assert "Appraisal" in book.sheetnames  # benefit streams by year, discounted or not
    if a is not None:
        sheet = labelled(book["Appraisal"])
        for vt in ("fiscal", "economic", "social"):
            assert pennies(sheet[f"PV of {vt} benefits"]) == money(a["pv_benefits"][vt])
        for agency, value in a["pv_fiscal_by_agency"].items():
            assert pennies(sheet[f"PV of fiscal benefits to {agency}"]) == money(value)


def export_and_json(scenario: Path, out: Path, *extra: str):
    result = cli("export", scenario, "-o", out, *extra)
    assert result.exit_code == 0, result.stderr
    data = json.loads(cli("run", scenario, "--format", "json", *extra).stdout)
    return data


def test_dorset_workbook_recomputes_to_the_cli_figures(tmp_path):
    out = tmp_path / "dorset.xlsx"
    data = export_and_json(DORSET, out)
    book = recalculated(out, tmp_path)
    check_against_json(book, data)
    # and, independently, the report's own figures
    summary = summary_by_key(book)
    assert summary["budget_total"] == 1955037
    assert summary["net_position"] == -1849537


def test_dorset_lac_what_if_workbook(tmp_path):
    out = tmp_path / "lac.xlsx"
    data = export_and_json(DORSET, out, "--attributable", "lac")
    book = recalculated(out, tmp_path)
    check_against_json(book, data)
    assert summary_by_key(book)["attributable_benefits"] == 60 * 58664


def test_appraisal_workbook_recomputes_to_the_cli_figures(tmp_path):
    from .test_green_book import EXAMPLE

    out = tmp_path / "eoc.xlsx"
    data = export_and_json(EXAMPLE, out)
    book = recalculated(out, tmp_path)
    check_against_json(book, data)
    assert round(summary_by_key(book)["payback_years"], 2) == 1.56  # worked by hand in test_green_book


def test_dorset_green_book_workbook(tmp_path):
    out = tmp_path / "gb.xlsx"
    data = export_and_json(DORSET, out, "--green-book", "--attributable", "lac")
    check_against_json(recalculated(out, tmp_path), data)


def _many_lines_scenario(lines: int, years: int) -> str:
    periods = [f"{2010 + i}/{(11 + i) % 100:02d}" for i in range(years)]
    out = ["name: Many lines", "organisation: Test council", f"price_base: {periods[-1]}",
           f"periods: [{', '.join(periods)}]", "unit_costs: ../unit_costs/children-social-care.csv",
           "net_position_basis: actual", "funding:", "  - {name: Grant A, amount: 1000000.25}",
           "  - {name: Grant B, amount: '£250,000.50'}", "cost_lines:"]
    kinds = ["direct", "direct", "unplanned", "committed"]
    for i in range(lines):
        kind = kinds[i % 4]
        budget = ", ".join(f"{p}: {(i * 37 + j * 11) % 5000}.{(i + j) % 100:02d}" for j, p in enumerate(periods))
        actual = ", ".join(f"{p}: {(i * 53 + j * 7) % 6000}.{(i * j) % 100:02d}" for j, p in enumerate(periods))
        out.append(f"  - name: Line {i}")
        out.append(f"    kind: {kind}")
        if kind == "direct":
            out.append(f"    budget: {{{budget}}}")
        out.append(f"    actual: {{{actual}}}")
    out.append("  - {name: Volunteer time, kind: in_kind, quantified: false}")
    out += ["published_totals:", "  - {label: Grand total, measure: actual, value: 1}",
            f"  - {{label: Planned budget {periods[1]}, measure: budget, kinds: [direct], period: {periods[1]}, value: 2}}",
            "outcomes:",
            "  - {id: lac, measure: Looked-after children, baseline: 100, follow_up: 93.5, unit_cost: lac-year, attributable: true}",
            "  - {id: cin, measure: CIN cases, baseline: 400, follow_up: 420, unit_cost: cin-new-case-mgmt, attributable: true}",
            "  - {id: other, measure: Unpriced, baseline: 1, follow_up: 2}"]
    return "\n".join(out) + "\n"


def test_many_lines_and_years_workbook_recomputes(tmp_path, write_scenario):
    scenario = write_scenario(_many_lines_scenario(120, 12))
    out = tmp_path / "many.xlsx"
    data = export_and_json(scenario, out)
    assert len(data["costs"]["lines"]) == 120
    check_against_json(recalculated(out, tmp_path), data)


FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\t=1", "\r=2", "=cmd|' /C calc'!A0"]


def test_user_text_never_becomes_a_formula(tmp_path, write_scenario):
    import yaml

    doc = {
        "name": FORMULAS[0], "organisation": FORMULAS[3], "price_base": "2019/20", "periods": ["2019/20"],
        "unit_costs": "../unit_costs/children-social-care.csv",
        "funding": [{"name": FORMULAS[1], "funder": FORMULAS[6], "amount": 10}],
        "cost_lines": [{"name": f, "budget": {"2019/20": 1}, "actual": {"2019/20": 2}} for f in FORMULAS],
        "published_totals": [{"label": FORMULAS[2], "measure": "actual", "value": 14}],
        "outcomes": [{"id": "lac", "measure": FORMULAS[4], "baseline": 2, "follow_up": 1, "unit_cost": "lac-year"}],
    }
    scenario = write_scenario(yaml.safe_dump(doc))
    out = tmp_path / "inject.xlsx"
    assert cli("export", scenario, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    formulas = [c.value for ws in book for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas, "the workbook should hold our own formulas"
    for formula in formulas:
        for text in FORMULAS:
            assert text.strip() not in formula
    texts = {c.value for ws in book for row in ws.iter_rows() for c in row if c.data_type == "s"}
    for text in FORMULAS:
        assert text in texts or text.replace("\r", "\n") in texts  # YAML turns a quoted CR into LF


def test_totals_and_headlines_are_formulas_and_inputs_are_values(tmp_path):
    out = tmp_path / "d.xlsx"
    assert cli("export", DORSET, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    costs = book["Costs"]
    header = [c.value for c in costs[1]]
    for row in costs.iter_rows(min_row=2):
        if row[0].value and row[1].value in ("direct", "unplanned", "committed"):
            assert row[header.index("Actual 2017/18")].data_type == "n"
            for name in ("Budget total", "Actual total"):
                assert row[header.index(name)].data_type == "f", (row[0].value, name)
            variance = row[header.index("Variance £")]
            if row[1].value == "direct":
                assert variance.data_type == "f" and row[header.index("Variance %")].data_type == "f"
            else:  # unplanned and committed spend had no budget: no variance to compute
                assert variance.value == "not budgeted", row[0].value
    summary = book["Summary"]
    heads = [r for r in summary.iter_rows(min_row=2) if r[2].value and r[2].value != "Key"]
    assert len(heads) == 10 and all(r[1].data_type == "f" for r in heads)
    assert set(book.defined_names) >= {"budget_total", "actual_total", "funding_total", "attributable_benefits",
                                       "cost_basis", "price_base", "appraisal_cost", "net_position"}
    assert "Unit costs" in book.sheetnames and "Reconciliation" in book.sheetnames
    units = {r[0]: r for r in book["Unit costs"].iter_rows(min_row=2, values_only=True)}
    assert units["lac-year"][3] == 58664 and units["lac-year"][4] == "2019" and units["lac-year"][10]
    assert costs.freeze_panes == "B2"
    assert book["Summary"]._charts and book["Years"]._charts
    summary_text = " ".join(str(c.value) for row in summary.iter_rows() for c in row if c.value)
    import hashlib

    assert hashlib.sha256(DORSET.read_bytes()).hexdigest() in summary_text


def test_existing_file_is_kept_without_force(tmp_path):
    out = tmp_path / "d.xlsx"
    out.write_bytes(b"precious")
    result = cli("export", DORSET, "-o", out)
    assert result.exit_code == 1
    assert result.stderr.strip() == f"cba: {out}: already exists; use --force to overwrite it"
    assert out.read_bytes() == b"precious"
    assert cli("export", DORSET, "-o", out, "--force").exit_code == 0
    assert out.read_bytes()[:2] == b"PK"


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    out = tmp_path / "d.xlsx"
    out.write_bytes(b"previous")

    def broken_save(workbook, filename, results):
        Path(filename).write_bytes(b"PK half a workbook")
        raise RuntimeError("disk full, simulated")

    import cba.render.xlsx_write

    monkeypatch.setattr(cba.render.xlsx_write, "save", broken_save)  # the writer every workbook goes through
    with pytest.raises(RuntimeError):
        cli("export", DORSET, "-o", out, "--force")
    assert out.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xlsx"]


@pytest.mark.parametrize("target", ["missing-folder/d.xlsx", "."])
def test_unwritable_paths_give_one_line(tmp_path, target):
    out = tmp_path / target
    result = cli("export", DORSET, "-o", out)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith(f"cba: {out}")


def test_never_writes_over_an_input(tmp_path, write_scenario):
    from .test_errors import VALID

    scenario = write_scenario(VALID)
    before = scenario.read_bytes()
    result = cli("export", scenario, "-o", scenario, "--force")
    assert result.exit_code == 1 and "is one of the input files" in result.stderr
    assert scenario.read_bytes() == before


def test_run_with_xlsx_writes_and_prints(tmp_path):
    out = tmp_path / "r.xlsx"
    result = cli("run", DORSET, "--xlsx", out)
    assert result.exit_code == 0 and "Net cost of £1.85 million" in result.stdout
    assert out.exists() and f"wrote {out}" in result.stderr


def test_appraisal_sheet_is_formulas_over_named_inputs(tmp_path):
    from .test_green_book import EXAMPLE

    out = tmp_path / "eoc.xlsx"
    assert cli("export", EXAMPLE, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert set(book.defined_names) >= {"pv_costs", "npv", "bcr", "financial_roi", "payback_years",
                                       "net_present_budget_impact"}
    sheet = book["Appraisal"]
    assert sheet._charts, "costs against benefits over time, crossing at break-even"
    labels = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert all(c.data_type == "f" for c in labels["Discount factor, standard (DF_0 = 1; DF_t = DF_t-1 / (1 + r_t))"][3:8])
    rates = labels["Discount rate, standard (the Discount schedule's band, or the Assumptions' flat rate)"]
    assert all(c.data_type == "f" and "'Discount schedule'!" in c.value for c in rates[2:8])  # looked up
    for label in ("Net present public value (all benefits PV - cost PV)", "Public value ROI / BCR (all benefits PV / cost PV)",
                  "Payback period (years)"):
        assert labels[label][1].data_type == "f", label


def _chart_series(path: Path):
    """(chart title, line chart?, [(values range, categories range)], axes' delete flags) for each chart."""
    import re
    import zipfile

    from lxml import etree

    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
          "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = etree.fromstring(archive.read(name))
            title = "".join(root.xpath("c:chart/c:title//a:t/text()", namespaces=ns))
            series = [(s.xpath("string(c:val//c:f)", namespaces=ns), s.xpath("string(c:cat//c:f)", namespaces=ns),
                       s.xpath("string(c:smooth/@val)", namespaces=ns)) for s in root.xpath("//c:ser", namespaces=ns)]
            deleted = root.xpath("//c:catAx/c:delete/@val | //c:valAx/c:delete/@val", namespaces=ns)
            yield title, bool(root.xpath("//c:lineChart", namespaces=ns)), series, deleted


def _cells(book, reference: str) -> list:
    from openpyxl.utils import range_boundaries

    sheet, span = reference.rsplit("!", 1)
    ws = book[sheet.strip("'")]
    min_col, min_row, max_col, max_row = range_boundaries(span.replace("$", ""))
    return [ws.cell(r, c).value for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)]


@pytest.mark.parametrize("args", [[DORSET, "-a", "lac", "--green-book"],
                                  [DORSET.parent / "edge-of-care-example.yaml"]], ids=["dorset-lac", "edge-of-care"])
def test_every_chart_plots_its_figures_on_the_right_categories(args, tmp_path):
    out = tmp_path / "charts.xlsx"
    assert cli("export", *args, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out, data_only=True)  # the stored results: no recalculation needed
    charts = list(_chart_series(out))
    assert len(charts) == 5  # the Summary's, the Years', the Appraisal's and the Dashboard's two
    for title, line, series, deleted in charts:
        assert series and all(flag == "0" for flag in deleted), (title, deleted)  # axes shown
        for values, categories, smooth in series:
            points, labels = _cells(book, values), _cells(book, categories)
            assert len(points) == len(labels), (title, values, categories)  # every point on its own label
            assert all(isinstance(v, (int, float)) for v in points), (title, values, points)
            assert all(label not in (None, "") for label in labels), (title, categories, labels)
            if line:
                assert smooth == "0", title  # straight lines: no overshoot between the points
    appraisal = next(c for c in charts if c[0].startswith("Costs and benefits over time"))
    years = [f"{y} (t={t})" for t, y in enumerate(json.loads(cli("run", *args, "--format", "json").stdout)["appraisal"]["years"])]
    for values, categories, _ in appraisal[2]:
        assert _cells(book, categories) == years  # t = 0 is the first year, not a blank 'Setting' column
    costs_row, benefits_row = (int(v.rsplit("$", 1)[1]) for v, _, _ in appraisal[2])
    assert book["Appraisal"].cell(costs_row, 1).value == "Cumulative PV of costs"
    assert book["Appraisal"].cell(benefits_row, 1).value == "Cumulative PV of benefits (all counted)"


def test_money_and_counts_are_formatted_as_computed(tmp_path):
    from cba.render.xlsx_cells import COUNT_WHOLE, GBP, GBP_PENCE

    out = tmp_path / "formats.xlsx"
    assert cli("export", DORSET.parent / "edge-of-care-example.yaml", "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out, data_only=True)
    summary = {r[2].value: r for r in book["Summary"].iter_rows(min_row=2) if r[2].value}
    # £3,990,914.77 as cba run prints it (it used to show £3,990,915), and whole figures without pence.
    assert summary["attributable_benefits"][1].number_format == GBP_PENCE
    assert summary["budget_total"][1].number_format == GBP
    checked = 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            figures = [c for c in row if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
            money = [c for c in figures if c.number_format in (GBP, GBP_PENCE)]
            # pence on every money figure of a row where any has pence (issue 28: one format a row), else none
            row_has_pence = any(round(c.value * 100) % 100 != 0 for c in money)
            for cell in row:
                assert ".#" not in cell.number_format, (ws.title, cell.coordinate, cell.number_format)  # no '4,890.'
            for cell in money:
                checked += 1
                assert (cell.number_format == GBP_PENCE) == row_has_pence, (ws.title, cell.coordinate, cell.value)
            for cell in figures:
                if cell.number_format == COUNT_WHOLE:
                    assert cell.value == int(cell.value), (ws.title, cell.coordinate, cell.value)
    assert checked > 50


def test_the_guide_sheet_comes_first_and_links_every_sheet_and_headline(tmp_path):
    out = tmp_path / "guide.xlsx"
    assert cli("export", DORSET, "-a", "lac", "--green-book", "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "Guide" and book.active.title == "Guide"
    guide = book["Guide"]
    pairs = [(c.value, c.hyperlink.location) for row in guide.iter_rows() for c in row if c.hyperlink]
    for sheet in book.sheetnames[1:]:
        assert (sheet, f"'{sheet}'!A1") in pairs
    links = {text: where for text, where in pairs if not where.endswith("!A1")}  # headlines and names
    assert any(c.value == f"cba export {DORSET} -a lac --green-book -o {out}" for row in guide.iter_rows() for c in row)
    data = json.loads(cli("run", DORSET, "-a", "lac", "--green-book", "--format", "json").stdout)
    summary = book["Summary"]
    for key, figure in data["headlines"].items():
        cell = links[figure["label"]].split("!")[1]
        assert summary[cell].offset(column=1).value == key  # the link lands on that headline's own cell
    for name, target in book.defined_names.items():
        if name in links:
            assert links[name] == target.attr_text, name  # each named cell a formula reads is one click away
    assert {"npv", "pv_costs", "budget_total", "attributable_benefits"} <= set(links)


def test_the_simulation_workbook_carries_every_summary_and_how_to_reproduce_it(tmp_path):
    uncertain = DORSET.parent / "dorset-rsw-uncertain.yaml"
    out = tmp_path / "sim.xlsx"
    args = ("simulate", uncertain, "-n", "3000", "--seed", "11", "--green-book")
    assert cli(*args, "--xlsx", out).exit_code == 0
    data = json.loads(cli(*args, "--format", "json").stdout)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["percentiles", "histogram", "tornado", "switching"]
    first = {row[0].value: row[1].value for row in book["percentiles"].iter_rows() if row[0].value}
    for row in data["tables"]["percentiles"]["rows"]:  # 5th, median, 95th and the mean
        assert pennies(first[row["statistic"]]) == money(row["net_position"])
    assert first["Draws"] == 3000 and first["Seed"] == "11"
    for key in ("probability_pays_back", "probability_fiscal_payback"):
        fact = data["facts"][key]
        assert abs(first[fact["label"]] - float(fact["value"]) / 100) < 1e-9
    assert first["Command"].startswith("cba simulate") and "--seed 11" in first["Command"]
    assert len(book["tornado"]._charts) == 1 and book["tornado"].max_row > len(data["tables"]["tornado"]["rows"])


SECOND_ENGINE_CASES = [[DORSET], [DORSET, "-a", "lac", "--green-book"], [DORSET.parent / "edge-of-care-example.yaml"],
                       [DORSET.parent / "dorset-rsw-uncertain.yaml", "--green-book"],
                       [DORSET.parent / "family-support-example.yaml", "--green-book"],
                       [DORSET.parent / "court-arms-example.yaml", "--green-book"],
                       [DORSET.parent / "impact-bond-example.yaml"]]


@pytest.mark.parametrize("args", SECOND_ENGINE_CASES,
                         ids=["dorset", "dorset-lac-gb", "edge-of-care", "uncertain-gb", "family-support-gb", "court-arms-gb",
                              "impact-bond"])
def test_a_second_engine_recalculates_the_bundled_workbooks_to_the_same_figures(args, tmp_path):
    """The `formulas` package (Excel semantics in Python, independent of LibreOffice and of cba's own
    evaluator) recalculates a copy of the workbook with every stored result removed."""
    import formulas

    out = tmp_path / "engine.xlsx"
    assert cli("export", *args, "-o", out).exit_code == 0
    stored = openpyxl.load_workbook(out, data_only=True)
    with_formulas = openpyxl.load_workbook(out)
    blank = tmp_path / "blank.xlsx"
    with_formulas.save(blank)  # openpyxl writes formulas without results: nothing to copy from
    assert openpyxl.load_workbook(blank, data_only=True)["Summary"]["B9"].value is None
    solution = formulas.ExcelModel().loads(str(blank)).finish().calculate()
    computed = {}
    for key, value in solution.items():
        book_sheet, _, cell = key.rpartition("!")
        if ":" in cell or "]" not in book_sheet:
            continue
        sheet = book_sheet.split("]", 1)[1].strip("'")
        computed[(sheet.upper(), cell.upper())] = value.value[0, 0] if hasattr(value, "value") else value
    checked = check_formula_results(with_formulas, stored, lambda sheet, cell: computed[(sheet.upper(), cell)])
    assert checked > 80  # the smallest bundled workbook (one line, one outcome) has 91 formulas
    data = json.loads(cli("run", *args, "--format", "json").stdout)
    check_headlines(stored, data)


def test_a_formula_cba_cannot_evaluate_is_one_line_and_writes_nothing(tmp_path):
    from cba.model.errors import OutputError
    from cba.render.xlsx_write import save_with_results

    wb = openpyxl.Workbook()
    wb.active["A1"] = "=VLOOKUP(1,B1:B2,1)"  # not a function cba writes: a defect, reported, not a traceback
    with pytest.raises(OutputError) as caught:
        save_with_results(wb, tmp_path / "x.xlsx")
    assert caught.value.lines() == ["cba: cannot store the workbook's formula results (function VLOOKUP is not one "
                                    "cba writes); nothing was written. This is a defect in cba: please report it "
                                    "with the scenario"]


def test_libreoffice_really_recalculates(tmp_path):
    """The LibreOffice checks are evidence only if LibreOffice computes the formulas itself: a wrong value
    planted as one formula's stored result must come back corrected, and (the check failing on a planted
    fault) a profile without forced recalculation keeps it."""
    path = tmp_path / "d.xlsx"
    assert cli("export", DORSET, "-o", path).exit_code == 0
    formulas = openpyxl.load_workbook(path)
    stored = openpyxl.load_workbook(path, data_only=True)
    summary = formulas["Summary"]
    cell = next(c for row in summary.iter_rows() for c in row
                if c.data_type == "f" and isinstance(stored["Summary"][c.coordinate].value, (int, float))
                and abs(stored["Summary"][c.coordinate].value) > 1000)
    truth = stored["Summary"][cell.coordinate].value
    planted = tmp_path / "planted.xlsx"
    with_planted_value(path, planted, f"xl/worksheets/sheet{formulas.sheetnames.index('Summary') + 1}.xml",
                       cell.coordinate, "12345")
    assert openpyxl.load_workbook(planted, data_only=True)["Summary"][cell.coordinate].value == 12345

    again = recalculated(planted, tmp_path / "forced")
    assert Decimal(str(again["Summary"][cell.coordinate].value)) == Decimal(str(truth)) != 12345

    kept = tmp_path / "default" / "recalculated"
    kept.mkdir(parents=True)
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'plain').as_uri()}",
                    "--convert-to", "xlsx", "--outdir", str(kept), str(planted)],
                   check=True, capture_output=True, timeout=180)
    assert openpyxl.load_workbook(kept / planted.name, data_only=True)["Summary"][cell.coordinate].value == 12345


@pytest.mark.parametrize(
    "args",
    [
        ["export", DORSET, "-o", "{out}"],
        ["run", DORSET, "--xlsx", "{out}"],
        ["whatif", DORSET, "--vary", "lac=-10,-30", "--xlsx", "{out}"],
        ["compare", DORSET, DORSET, "--xlsx", "{out}"],
        ["breakeven", DORSET, "--xlsx", "{out}"],
        ["simulate", "scenarios/dorset-rsw-uncertain.yaml", "-n", "500", "--xlsx", "{out}"],
        ["portfolio", "scenarios", "--xlsx", "{out}"],
        ["options", "scenarios/options/business-as-usual.yaml", "scenarios/options/option-b-multi-agency-hub.yaml",
         "--xlsx", "{out}"],
    ],
    ids=["export", "run", "whatif", "compare", "breakeven", "simulate", "portfolio", "options"],
)
def test_every_workbook_cba_writes_stores_its_results(tmp_path, monkeypatch, args):
    """One save path (issue 28, item 5): a reader that does not calculate (pandas, openpyxl, a file preview)
    finds a value in every formula cell of every workbook cba writes, the portfolio's per-programme ones too."""
    from .conftest import ROOT

    monkeypatch.chdir(ROOT)
    out = tmp_path / "out.xlsx"
    result = cli(*[str(a).format(out=out) for a in args])
    assert result.exit_code == 0, result.stderr
    books = [out, *sorted((tmp_path / "out-programmes").glob("*.xlsx"))]
    if args[0] == "portfolio":
        # the summary and each bundled scenario's own, the options shortlist's in its folder too
        assert len(books) == 1 + len(list((ROOT / "scenarios").rglob("*.yaml")))
    import re
    import zipfile

    # A formula cell as openpyxl leaves it, with no result: no type and an empty value. A result of ""
    # is stored typed (t="str"), which readers show as an empty cell, as Excel does.
    unstored = re.compile(rb'<c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?><f>[^<]*</f><v(?:></v>|\s*/>)</c>')
    for book in books:
        with zipfile.ZipFile(book) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/"):
                    assert not unstored.search(archive.read(name)), (book.name, name)
        stored = openpyxl.load_workbook(book, data_only=True)
        if "Summary" in stored.sheetnames:  # a programme's workbook: its headline figures are there to read
            assert sum(isinstance(c.value, (int, float)) for row in stored["Summary"].iter_rows() for c in row) >= 5
