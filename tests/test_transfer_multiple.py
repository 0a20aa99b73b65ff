"""A transfer as a multiple of another (issue 30, item 3): investors' proceeds as 1.45 x their capital.

The illustrative impact bond (scenarios/impact-bond-example.yaml, worked by hand in tests/test_scenario_shapes.py)
gains investors' capital paid to the council in its first year and proceeds of 1.45 x that capital paid back in
its last; each figure is worked by hand here.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from tests.conftest import ROOT, cli

BOND = ROOT / "scenarios" / "impact-bond-example.yaml"
CAPITAL = """
  - name: Investor capital
    from: Social investors
    to: Local Authority
    amounts: {2022/23: 100000}
  - name: Investor proceeds
    from: Local Authority
    to: Social investors
    multiple_of: {transfer: Investor capital, times: 1.45}
"""


def _q(x: Decimal) -> str:
    return str(x.quantize(Decimal("0.01"), ROUND_HALF_UP))


def _with_capital(write_scenario, extra: str = CAPITAL):
    return write_scenario(BOND.read_text(encoding="utf-8").rstrip("\n") + "\n" + extra)


def test_proceeds_are_the_multiple_of_the_capital_in_the_last_year(write_scenario, monkeypatch):
    base = json.loads(cli("run", BOND, "--format", "json").stdout)
    data = json.loads(cli("run", _with_capital(write_scenario), "--format", "json").stdout)
    proceeds = next(t for t in data["transfers"] if t["name"] == "Investor proceeds")
    assert proceeds["multiple_of"] == {"transfer": "Investor capital", "times": "1.450000", "period": "2023/24"}
    assert proceeds["gross"] == ["0.00", "145000.00"] and proceeds["paid"] == ["0.00", "145000.00"]
    pv = Decimal(145000) / Decimal("1.035")  # paid in the second year, at the standard 3.5%
    assert proceeds["pv"] == _q(pv) == "140096.62"
    # the public purse gets 100,000 now and pays 145,000 a year on: its budget impact moves by 100,000 - 140,096.62
    moved = Decimal(data["appraisal"]["net_present_budget_impact"]) - Decimal(base["appraisal"]["net_present_budget_impact"])
    assert abs(moved - (100000 - pv)) <= Decimal("0.01")
    for key in ("net_position", "npv", "benefit_cost_ratio", "attributable_benefits", "cost"):
        assert data["headlines"].get(key) == base["headlines"].get(key), key  # transfers never move the NPV
    # the fiscal case counts what leaves the public sector: 40,096.62 more, net, over a cost PV of 300,000
    roi = Decimal(data["headlines"]["financial_roi"]["value"])
    assert abs(roi - (Decimal(base["headlines"]["financial_roi"]["value"]) - (pv - 100000) / 300000)) < Decimal("1e-6")
    monkeypatch.setenv("COLUMNS", "240")
    row = next(line for line in cli("run", _with_capital(write_scenario)).stdout.splitlines() if "Investor proceeds" in line)
    assert "1.45 x all Investor capital paid, in 2023/24" in row and "£0 / £145,000" in row


def test_consistency_the_multiple_recalculates_in_the_workbook(write_scenario, tmp_path):
    from tests.test_scenario_shapes import recalculated_like_the_json

    _, book = recalculated_like_the_json(_with_capital(write_scenario), tmp_path)
    ws = book["Transfers"]
    row = next(r for r in range(1, ws.max_row + 1) if str(ws[f"A{r}"].value).startswith("Before the cap (times all"))
    assert (ws[f"B{row}"].value, ws[f"C{row}"].value, ws[f"D{row}"].value) == (1.45, 0, 145000)


def test_a_multiple_names_an_earlier_transfer(write_scenario):
    later = CAPITAL.replace("transfer: Investor capital", "transfer: Investor proceeds")
    result = cli("validate", _with_capital(write_scenario, later))
    assert result.exit_code == 1
    assert result.stderr.strip().endswith(
        "multiple_of names 'Investor proceeds': that is this transfer; name a transfer listed before this one")
    both = CAPITAL.replace("    multiple_of:", "    amounts: {2023/24: 5}\n    multiple_of:")
    result = cli("validate", _with_capital(write_scenario, both))
    assert result.stderr.strip().endswith("give the transfer one way: amounts by period, per_outcome, multiple_of, or spread")


THREE_YEARS = """name: Three years
organisation: Anytown Council
price_base: 2022/23
periods: [2022/23, 2023/24, 2024/25]
net_position_basis: actual
parties: [Social investors]
cost_lines:
  - {name: Service, actual: {2022/23: 1000}}
transfers:
  - {name: Capital, from: Social investors, to: Local Authority, amounts: {2022/23: 2000, 2023/24: 1000}}
  - name: Proceeds
    from: Local Authority
    to: Social investors
    multiple_of: {transfer: Capital, times: 1.5}
"""


def test_by_default_the_multiple_is_paid_in_the_last_period(write_scenario):
    data = json.loads(cli("run", write_scenario(THREE_YEARS), "--format", "json").stdout)
    proceeds = data["transfers"][1]
    assert proceeds["paid"] == ["0.00", "0.00", "4500.00"]  # 1.5 x (2,000 + 1,000), in 2024/25
    assert proceeds["multiple_of"]["period"] == "2024/25"


def _problems(write_scenario, old: str, new: str) -> list[str]:
    path = write_scenario(THREE_YEARS.replace(old, new))
    result = cli("validate", path)
    assert result.exit_code == 1, result.stdout
    return [line.removeprefix(f"{path}:") for line in result.stderr.strip().splitlines()]


def test_each_wrong_multiple_is_one_line_where_written(write_scenario):
    swapped = THREE_YEARS.replace(
        "  - {name: Capital, from: Social investors, to: Local Authority, amounts: {2022/23: 2000, 2023/24: 1000}}\n", ""
    ) + "  - {name: Capital, from: Social investors, to: Local Authority, amounts: {2022/23: 2000}}\n"
    path = write_scenario(swapped)
    assert cli("validate", path).stderr == (
        f"{path}:13:29: multiple_of names 'Capital': it is listed later; name a transfer listed before this one\n"
    )
    assert _problems(write_scenario, "times: 1.5", "times: -1") == ["14:45: times must not be negative"]
    assert _problems(write_scenario, "times: 1.5}", "times: 1.5, period: 2030/31}") == [
        "14:58: period 2030/31 is not one of the scenario's periods (2022/23, 2023/24, 2024/25)"]
    assert _problems(write_scenario, "transfer: Capital", "transfer: Capitol") == [
        "14:29: multiple_of names 'Capitol': no transfer of that name (did you mean 'Capital'?); "
        "name a transfer listed before this one"]
    path = write_scenario(THREE_YEARS.replace("times: 1.5", "times: 0"))
    assert cli("validate", path).exit_code == 0  # nothing paid back is a multiple too
