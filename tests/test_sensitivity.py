"""``cba sensitivity``: the standard sensitivity set, worked out by hand where the arithmetic allows."""

from __future__ import annotations

import json
from decimal import Decimal, localcontext
from pathlib import Path

from .conftest import cli, run_json

ROOT = Path(__file__).resolve().parent.parent
OPTION_B = ROOT / "scenarios" / "options" / "option-b-multi-agency-hub.yaml"
UNCERTAIN = ROOT / "scenarios" / "dorset-rsw-uncertain.yaml"
PENNY, SIX = Decimal("0.01"), Decimal("0.000001")

#: One year, the price base: nothing is discounted or deflated, so every figure is a sum. Costs £100,000;
#: a is fiscal and cashable (1 x £60,000), b fiscal, not cashable (2 x £20,000), c social (3 x £10,000).
#: NPV = 60,000 + 40,000 + 30,000 - 100,000 = 30,000; fiscal 100,000 - 100,000 = 0; cashable 60,000 - 100,000.
ONE_YEAR = """\
name: Three kinds of value in one year
organisation: Test
price_base: 2022/23
periods: [2022/23]
net_position_basis: budget
appraisal: {discounting: green_book}
cost_lines:
  - name: Service
    budget: {2022/23: 100000}
outcomes:
"""
VALUE = """\
  - id: {id}
    measure: {id}
    volumes: {{2022/23: {n}}}
    attributable: true
    value: {{amount: {amount}, unit: per case, price_year: 2022/23, value_type: {kind}, {cashable}source: test}}
"""


def _one_year(tmp_path: Path) -> Path:
    path = tmp_path / "one-year.yaml"
    text = ONE_YEAR + "".join(
        VALUE.format(id=i, n=n, amount=a, kind=k, cashable=c)
        for i, n, a, k, c in (
            ("a", 1, 60000, "fiscal", "cashable: true, "),
            ("b", 2, 20000, "fiscal", "cashable: false, "),
            ("c", 3, 10000, "social", ""),
        )
    )
    path.write_text(text, encoding="utf-8")
    return path


def sensitivity_json(*args: object) -> dict:
    result = cli("sensitivity", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_switching_values_on_three_cases_by_hand(tmp_path):
    rows = {r["key"]: r for r in sensitivity_json(_one_year(tmp_path))["tables"]["switching_values"]["rows"]}
    a, b, costs = rows["scenario/a.value"], rows["scenario/b.value"], rows["costs.0"]
    # a's value: public value 60,000 - 30,000; the fiscal case already breaks even; cashable needs 100,000
    assert (a["as_written"], a["public_value"], a["fiscal"], a["cashable"]) == (
        "60000.00", "30000.00", "60000.00", "100000.00"
    )
    # b's value: 20,000 - 30,000 / 2 cases; fiscal as written; b is not cashable, so the cashable case ignores it
    assert (b["public_value"], b["fiscal"], b["cashable"]) == ("5000.00", "20000.00", None)
    assert "cashable case (cashable ROI = 1): cashable_roi does not move with scenario/b.value" in b["no_value"]
    # the cost line: 30% more costs NPV 30,000; the fiscal case is level; 40% less brings costs to 60,000
    assert (costs["public_value"], costs["fiscal"], costs["cashable"]) == ("0.300000", "0.000000", "-0.400000")


def test_discount_rate_tests_by_hand():
    """Option B: costs £190,000 a year in cash over 2022/23 and 2023/24 (the second deflated by
    102.0 / 107.975), placement-years 2 then 6 at £60,000. At a flat rate r: PV costs 190,000 (1 + k / (1 + r)),
    PV benefits 120,000 + 360,000 / (1 + r)."""
    cases = {c["case"]: c for c in sensitivity_json(OPTION_B)["tables"]["cases"]["rows"]}
    with localcontext() as exact:
        exact.prec = 50
        k = Decimal("102.0") / Decimal("107.975")
        for rate, name in ((Decimal("0.025"), "Standard discount rate 2.5% (flat)"),
                           (Decimal("0.045"), "Standard discount rate 4.5% (flat)")):
            costs = 190000 * (1 + k / (1 + rate))
            benefits = 120000 + 360000 / (1 + rate)
            row = cases[name]
            assert row["inputs"] == f"appraisal.discount_rate={rate.normalize()}"
            assert row["pv_costs"] == str(costs.quantize(PENNY))
            assert row["pv_benefits"] == str(benefits.quantize(PENNY))
            assert row["npv"] == str((benefits - costs).quantize(PENNY))
            assert row["bcr"] == str((benefits / costs).quantize(SIX))
    assert cases["As written"]["npv"] == "104409.67" and cases["As written"]["value_for_money"] == "low"
    assert not any(c.startswith("Health values") for c in cases)  # no health values: no health-rate test


def test_the_health_rate_test_runs_as_cba_run_set_consistency():
    edge = ROOT / "scenarios" / "edge-of-care-example.yaml"
    cases = {c["case"]: c for c in sensitivity_json(edge)["tables"]["cases"]["rows"]}
    health = cases["Health values at the standard rate, 3.5%"]
    figures = run_json(edge, "--set", "appraisal.health_discount_rate=0.035")["headlines"]
    assert health["npv"] == figures["npv"]["value"] and health["pv_costs"] == cases["As written"]["pv_costs"]
    assert Decimal(health["pv_benefits"]) < Decimal(cases["As written"]["pv_benefits"])  # discounted harder


def test_optimistic_and_pessimistic_cases_take_the_stated_ends():
    """dorset-rsw-uncertain: looked-after children fell (a saving) and child-in-need episodes rose by 340 (a
    cost). So the NPV rises with the looked-after-child unit cost and a larger fall, and falls with the
    child-in-need unit cost and a larger rise, and rises with the deadweight on that rise (less of it is the
    programme's). The stated ends, by hand."""
    data = sensitivity_json(UNCERTAIN, "--green-book")
    cases = {c["case"]: c for c in data["tables"]["cases"]["rows"]}
    optimistic = dict(part.split("=") for part in cases["Optimistic"]["inputs"].split("; "))
    pessimistic = dict(part.split("=") for part in cases["Pessimistic"]["inputs"].split("; "))
    assert optimistic["lac-year"] == "75000" and pessimistic["lac-year"] == "45000"
    assert optimistic["lac"] == "-90" and pessimistic["lac"] == "0"
    assert optimistic["cin-new-case-mgmt"] == "1400" and pessimistic["cin-new-case-mgmt"] == "2000"
    assert optimistic["cin_episodes"] == "0" and pessimistic["cin_episodes"] == "680"  # normal(340, 100) in [0, 680]
    assert optimistic["cin_episodes.deadweight"] == "0.3" and pessimistic["cin_episodes.deadweight"] == "0"
    for name, point in (("Optimistic", optimistic), ("Pessimistic", pessimistic)):
        sets = [x for k, v in point.items() for x in ("--set", f"{k}={v}")]
        figures = run_json(UNCERTAIN, "--green-book", *sets)["headlines"]  # consistency: the case is cba run --set
        assert cases[name]["npv"] == figures["npv"]["value"], name
    assert Decimal(cases["Pessimistic"]["npv"]) < Decimal(cases["As written"]["npv"]) < Decimal(
        cases["Optimistic"]["npv"]
    )


def test_an_unappraised_scenario_is_refused_in_one_line():
    result = cli("sensitivity", ROOT / "scenarios" / "dorset-rsw.yaml")
    assert result.exit_code == 2 and "not appraised" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_the_json_follows_its_schema_and_the_csv_carries_it():
    import csv
    import io

    import jsonschema

    data = sensitivity_json(OPTION_B)
    jsonschema.validate(data, json.loads((ROOT / "schema" / "tables.schema.json").read_text(encoding="utf-8")))
    out = cli("sensitivity", OPTION_B, "--format", "csv").stdout
    sections = out.split("\n\n")
    assert len(sections) == len(data["tables"])
    for section, table in zip(sections, data["tables"].values()):
        assert len(list(csv.DictReader(io.StringIO(section)))) == len(table["rows"])


def test_the_ends_of_a_normal_without_both_bounds_are_its_5th_and_95th_percentiles():
    from cba.engine.sensitivity import range_ends
    from cba.model.scenario import Distribution

    low, high, how = range_ends("x", Distribution(distribution="normal", mean=10, sd=2, low=-100))
    assert (round(float(low), 4), round(float(high), 4)) == (6.7103, 13.2897)  # 10 -/+ 1.6449 x 2
    assert how == "its 5th and 95th percentiles (no stated ends)"
    low, high, how = range_ends("x.timing.duration", Distribution(distribution="uniform", low="1.4", high="3.6"))
    assert (low, high, how) == (1, 4, "the range's ends")  # whole years


def test_an_input_that_moves_nothing_is_taken_at_its_high_end_when_optimistic(tmp_path):
    """A range on c's deadweight moves the NPV; a range on the value of an outcome with no volume (d) moves
    nothing: optimistic takes its high end, pessimistic its low (the rule for a tie)."""
    path = _one_year(tmp_path)
    text = path.read_text(encoding="utf-8") + VALUE.format(id="d", n=0, amount=5000, kind="social", cashable="")
    text += "uncertainty:\n  outcomes:\n    c: {deadweight: {distribution: uniform, low: 0, high: 0.5}}\n"
    text += "  unit_costs:\n    scenario/d.value: {distribution: uniform, low: 1000, high: 9000}\n"
    path.write_text(text, encoding="utf-8")
    result = cli("sensitivity", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    cases = {c["case"]: c for c in json.loads(result.stdout)["tables"]["cases"]["rows"]}
    assert "scenario/d.value=9000" in cases["Optimistic"]["inputs"]
    assert "scenario/d.value=1000" in cases["Pessimistic"]["inputs"]
    assert "c.deadweight=0" in cases["Optimistic"]["inputs"] and "c.deadweight=0.5" in cases["Pessimistic"]["inputs"]
    # by hand: c's deadweight at 0.5 halves its 30,000
    assert cases["Pessimistic"]["npv"] == "15000.00" and cases["Optimistic"]["npv"] == "30000.00"


def test_every_kind_of_input_has_its_switching_values_and_a_what_if_says_so():
    edge = ROOT / "scenarios" / "edge-of-care-example.yaml"
    data = sensitivity_json(edge, "--set", "camhs=-30")
    keys = [r["key"] for r in data["tables"]["switching_values"]["rows"]]
    assert keys == ["camhs", "placements.cohort.success", "wellbeing.cohort.success", "eoc-camhs", "eoc-earnings",
                    "eoc-missing", "eoc-placement", "eoc-wellbeing", "costs.0", "costs.1", "costs.2", "costs.3"]
    camhs = data["tables"]["switching_values"]["rows"][0]
    assert camhs["as_written"] == "-30"
    assert any(n.startswith("What-if settings: ") for n in data["notes"])
