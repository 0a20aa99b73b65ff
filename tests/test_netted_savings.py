"""A saving netted against a cost line (issue 30, item 3): a source's "net cost per case", where the service's
own spend avoided some costs in the same period. The line counts gross - saving; every face shows all three.
Every expected figure is worked by hand here."""

from __future__ import annotations


import pytest

from tests.conftest import cli, only_problem, run_json

NET = """name: Net cost per case (illustrative)
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24]
net_position_basis: actual
cost_lines:
  - name: Intensive support
    budget: {2022/23: 200000, 2023/24: 200000}
    actual: {2022/23: 180000, 2023/24: 220000}
    saving:
      label: Placement costs avoided while the service ran
      actual: {2022/23: 30000, 2023/24: 50000}
      source: "Illustrative: the provider's quarterly returns"
  - name: Training
    actual: {2022/23: 10000}
outcomes:
  - id: lac
    measure: Children kept out of care
    volumes: {2023/24: 4}
    value: {amount: 50000, unit: per child-year, price_year: 2022/23, source: Illustrative}
    attributable: true
report_per: {label: case, count: 40}
"""


def _json(path, *args: str):
    return run_json(path, *args)


def test_the_line_counts_gross_less_the_saving(write_scenario):
    data = _json(write_scenario(NET))
    line = data["costs"]["lines"][0]
    # 180,000 - 30,000 and 220,000 - 50,000: the net is what the line counts
    assert line["actual"] == {"2022/23": "150000.00", "2023/24": "170000.00"}
    assert line["actual_total"] == "320000.00" and line["budget_total"] == "400000.00"
    assert line["netted"]["gross_total"] == {"budget": "400000.00", "actual": "400000.00"}
    assert line["netted"]["saving_total"] == {"budget": "0.00", "actual": "80000.00"}
    assert line["netted"]["source"] == "Illustrative: the provider's quarterly returns"
    h = data["headlines"]
    # cost 320,000 + 10,000 training; the saving is not a benefit again: 4 children x 50,000 = 200,000
    assert h["cost"]["value"] == "330000.00" and h["attributable_benefits"]["value"] == "200000.00"
    assert h["net_position"]["value"] == "-130000.00"
    assert h["cost_per_unit"]["value"] == "8250.00"  # the net cost per case: 330,000 / 40


def test_every_face_shows_gross_saving_and_net(write_scenario, tmp_path, monkeypatch):
    path = write_scenario(NET)
    monkeypatch.setenv("COLUMNS", "200")
    row = next(r for r in cli("run", path).stdout.splitlines() if "│ actual" in r and "Intensive support" in r)
    assert "Placement costs avoided while the service ran" in row
    assert [c.strip() for c in row.split("│")[4:7]] == ["£400,000", "£80,000", "£320,000"]
    csv = cli("run", path, "--format", "csv").stdout.splitlines()
    assert "cost_line,Intensive support,direct,gross actual,2023/24,220000.00" in csv
    assert "cost_line,Intensive support,direct,saving actual,2023/24,50000.00" in csv
    assert "cost_line,Intensive support,direct,actual,2023/24,170000.00" in csv
    out = tmp_path / "r.html"
    assert cli("report", path, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert 'id="netted"' in html and "Placement costs avoided while the service ran" in html


def test_consistency_the_net_is_live_in_the_recalculated_workbook(write_scenario, tmp_path):
    import openpyxl

    from tests.test_export import recalculated
    from tests.test_scenario_shapes import recalculated_like_the_json

    out, book = recalculated_like_the_json(write_scenario(NET), tmp_path)
    ws = book["Savings"]
    rows = {ws.cell(r, 2).value: [ws.cell(r, c).value for c in (3, 4, 5)] for r in range(2, ws.max_row + 1)}
    assert rows["gross actual"] == [180000, 220000, 400000]
    assert rows["net actual"] == [150000, 170000, 320000]
    # the auditor changes a saving: the Costs sheet's net follows
    edited = openpyxl.load_workbook(out)
    saving_row = next(r for r in range(2, 20) if str(edited["Savings"].cell(r, 2).value).startswith("less:") and
                      edited["Savings"].cell(r, 3).value)
    edited["Savings"].cell(saving_row, 4).value = 20000
    edited.save(tmp_path / "edited.xlsx")
    (tmp_path / "again").mkdir()
    costs = recalculated(tmp_path / "edited.xlsx", tmp_path / "again")["Costs"]
    row = next(r for r in range(2, costs.max_row + 1) if costs.cell(r, 1).value == "Intensive support")
    assert [costs.cell(row, c).value for c in (6, 7, 8)] == [150000, 200000, 350000]


def test_a_saving_nets_against_units_times_a_price(write_scenario, tmp_path):
    from tests.test_scenario_shapes import recalculated_like_the_json

    units = NET.replace(
        "    budget: {2022/23: 200000, 2023/24: 200000}\n    actual: {2022/23: 180000, 2023/24: 220000}\n",
        "    units: {unit: case, price: 4500, actual: {2022/23: 40, 2023/24: 50}}\n",
    )
    data = _json(write_scenario(units))
    line = data["costs"]["lines"][0]
    # 40 x 4,500 = 180,000 less 30,000; 50 x 4,500 = 225,000 less 50,000
    assert line["actual"] == {"2022/23": "150000.00", "2023/24": "175000.00"}
    _, book = recalculated_like_the_json(write_scenario(units), tmp_path)
    assert book["Savings"]["C2"].value == 180000  # the gross is the Units sheet's units x price


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("actual: {2022/23: 30000, 2023/24: 50000}", "actual: {2022/23: 30000, 2023/24: 250000}"),
            "s.yaml:12:41: the saving in 2023/24 (£250,000) is more than the line's actual there (£220,000); "
            "a saving larger than the cost is a benefit: give it as an outcome",
        ),
        (
            ("actual: {2022/23: 30000, 2023/24: 50000}", "actual: {2022/23: 30000}\n      budget: {2021/22: 5}"),
            "s.yaml:13:16: period 2021/22 is not one of the scenario's periods (2022/23, 2023/24)",
        ),
        (
            ("    budget: {2022/23: 200000, 2023/24: 200000}\n    actual: {2022/23: 180000, 2023/24: 220000}\n",
             "    quantified: false\n"),
            "s.yaml:8:17: a line marked quantified: false cannot carry amounts; remove them or the flag",
        ),
    ],
)
def test_a_bad_saving_is_one_positioned_line(write_scenario, change, message):
    old, new = change
    assert old in NET
    assert only_problem(write_scenario(NET.replace(old, new, 1))).endswith(message)


VENUE = "  - name: Training\n    actual: {2022/23: 10000}\n"


@pytest.mark.parametrize(
    ("saving", "message"),
    [
        (  # nothing budgeted for the line: even £1 of budgeted saving is more than its budget there
            "{label: Room hire refunded, budget: {2022/23: 1}}",
            "s.yaml:18:59: the saving in 2022/23 (£1) is more than the line's budget there (£0); a saving larger "
            "than the cost is a benefit: give it as an outcome",
        ),
        (
            "{label: Room hire refunded, actual: {2021/22: 1}}",
            "s.yaml:18:50: period 2021/22 is not one of the scenario's periods (2022/23, 2023/24)",
        ),
    ],
)
def test_a_saving_on_a_later_line_is_checked_too(write_scenario, saving, message):
    # a line without a saving (Training) comes first: the rules go on past it to the line that has one
    text = NET.replace(VENUE, VENUE + f"  - name: Venue\n    actual: {{2022/23: 500}}\n    saving: {saving}\n")
    assert only_problem(write_scenario(text)).endswith(message)


def test_a_saving_as_large_as_the_line_leaves_a_net_of_nothing(write_scenario):
    data = _json(write_scenario(NET.replace("actual: {2022/23: 30000, 2023/24: 50000}",
                                            "actual: {2022/23: 180000, 2023/24: 50000}")))
    assert data["costs"]["lines"][0]["actual"] == {"2022/23": "0.00", "2023/24": "170000.00"}
