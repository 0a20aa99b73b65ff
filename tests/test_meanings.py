"""Every figure says what it means (issue 27): limits, what-if marks, unknowns. Figures are worked by hand here."""

from __future__ import annotations

import json
from decimal import Decimal as D

from .conftest import cli

TABLE = (
    "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
    "case,A case avoided,per case,50000,2020/21,Local Authority,fiscal,true,3,hand-made\n"
)
SMALL = """\
name: Small programme
organisation: A council
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
funding: [{name: Grant, amount: 100000}]
cost_lines:
  - {name: Team, budget: {2020/21: 100000}, actual: {2020/21: 100000}}
outcomes:
  - {id: cases, measure: Cases avoided, volumes: {2020/21: VOLUME}, unit_cost: case, attributable: true}
"""


def scenario(tmp_path, volume: str = "0", extra: str = "") -> str:
    (tmp_path / "t.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.replace("VOLUME", volume) + extra, encoding="utf-8")
    return str(path)


def test_an_outcome_with_no_volume_still_breaks_even(tmp_path):
    """No case avoided yet: £100,000 to cover at £50,000 a case is 2 cases, in the one year given."""
    data = json.loads(cli("breakeven", scenario(tmp_path), "--format", "json").stdout)
    row = data["tables"]["net_position"]["rows"][0]
    assert (row["input"], D(row["switching_value"]), D(row["as_written"])) == ("cases", D(2), D(0))


def test_a_published_result_may_be_as_large_as_money_may(tmp_path):
    """A net cost printed as -£1.5bn is a figure money may reach (to £10^12), not 'implausibly large'."""
    big = "published_results:\n  - {label: Table 1, figure: net_position, value: -1500000000}\n"
    result = cli("validate", scenario(tmp_path, "1", big))
    assert result.exit_code == 0, result.stderr
    too_big = "published_results:\n  - {label: Table 1, figure: net_position, value: 2000000000000}\n"
    refused = cli("validate", scenario(tmp_path, "1", too_big))
    assert refused.exit_code == 1
    assert "2000000000000 is implausibly large; the limit is 1,000,000,000,000" in refused.stderr
