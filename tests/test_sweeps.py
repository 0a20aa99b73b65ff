"""What-if, compare, switching values and Monte Carlo, checked by hand arithmetic."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from cba.engine.appraisal import appraise
from cba.engine.grid import parse_values
from cba.engine.sweep import evaluate, exact_net, linear_model, quantile, sample
from cba.io.load import load
from cba.model.errors import UsageError

from .conftest import DORSET, ROOT, cli

UNCERTAIN = ROOT / "scenarios" / "dorset-rsw-uncertain.yaml"
GRANT = 1849537
LAC = 58664


def rows(*args):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_whatif_lac_falls_by_hand():
    data = rows("whatif", DORSET, "--vary", "lac=-10,-30,-60")
    assert data["attributable"] == ["lac"]
    got = [(r["lac"], r["Attributable benefits"], r["Net position"]) for r in data["rows"]]
    assert got == [(-10, 10 * LAC, 10 * LAC - GRANT), (-30, 30 * LAC, 30 * LAC - GRANT), (-60, 3519840, 3519840 - GRANT)]


def test_whatif_grid_of_change_and_unit_cost():
    data = rows("whatif", DORSET, "--vary", "lac=-100:0:10", "--vary", "lac-year=-20%,0,+20%")
    assert len(data["rows"]) == 11 * 3
    first = data["rows"][0]
    assert (first["lac"], first["lac-year"]) == (-100, pytest.approx(LAC * 0.8))
    assert first["Net position"] == pytest.approx(100 * LAC * 0.8 - GRANT, abs=0.01)
    zero = [r for r in data["rows"] if r["lac"] == 0]
    assert all(r["Net position"] == -GRANT for r in zero)


def test_set_overrides_a_setting_for_the_run():
    data = rows("whatif", DORSET, "--vary", "lac=-60", "--set", "net_position_basis=actual")
    assert data["rows"][0]["Net position"] == 3519840 - 1833165
    discounted = rows("whatif", DORSET, "--vary", "lac=-60", "--set", "appraisal.discounting=green_book",
                      "--set", "appraisal.discount_rate=0.05")
    # benefit in 2018/19 (year 2) at a flat 5%: 3,519,840 / 1.05^2; costs by year discounted the same way
    row = discounted["rows"][0]
    pv_costs = 40318 + 486473 / 1.05 + 798223 / 1.05 ** 2 + 508151 / 1.05 ** 3
    assert row["NPV"] == pytest.approx(3519840 / 1.05 ** 2 - pv_costs, abs=0.01)


@pytest.mark.parametrize("ask", ["--vary lac", "--vary lacc=-1", "--vary lac=abc", "--vary lac=1:0:1",
                                 "--set =3", "--set net_position_basis=bogus"])
def test_bad_asks_are_usage_errors(ask):
    option, value = ask.split(" ", 1)
    args = ["whatif", DORSET] + ([option, value] if option == "--vary" else ["--vary", "lac=-1", option, value])
    result = cli(*args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("cba: ") and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_value_lists():
    assert parse_values("-100:0:50", 0, False) == [-100, -50, 0]
    assert parse_values("-20%,0,+20%", 100, False) == [80, 100, 120]
    assert parse_values("10%,0.3", 0.1, True) == [0.1, 0.3]
    with pytest.raises(UsageError):
        parse_values("1,,2", 0, False)


def test_breakeven_switching_values():
    data = rows("breakeven", DORSET)["switching_values"][0]
    assert D(data["outcome_changes"]["lac"]) == -D(GRANT) / D(LAC)  # a fall of 31.53
    assert round(-D(data["outcome_changes"]["lac"]), 1) == D("31.5")
    assert D(data["outcome_changes"]["cin_episodes"]) == -D(GRANT) / D(1701)
    assert data["unit_cost_pct"]["lac-year"] is None  # nothing attributable uses it
    assert D(data["total_cost_pct"]) == -100  # with no benefits, costs must vanish
    text = cli("breakeven", DORSET).stdout
    assert "a fall of 31.5 in looked-after children" in text


def test_breakeven_unit_cost_and_total_cost_by_hand():
    data = rows("breakeven", UNCERTAIN)["switching_values"][0]
    lac_value, cin_value = 60 * LAC, -340 * 1701  # both attributable here
    net = lac_value + cin_value - GRANT
    assert D(data["unit_cost_pct"]["lac-year"]) == D(-net) / D(lac_value) * 100
    assert D(data["unit_cost_pct"]["cin-new-case-mgmt"]) == D(-net) / D(cin_value) * 100
    assert D(data["total_cost_pct"]) == D(net) / D(GRANT) * 100


def test_compare_side_by_side():
    data = rows("compare", DORSET, UNCERTAIN)
    first, second = (s["figures"] for s in data["scenarios"])
    assert first["Net position"] == str(-GRANT)
    assert second["Net position"] == str(60 * LAC - 340 * 1701 - GRANT)
    assert data["differences_against_first"][0]["Net position"] == str(60 * LAC - 340 * 1701)
    csv_out = cli("compare", DORSET, UNCERTAIN, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("Figure,dorset-rsw,dorset-rsw-uncertain,")


def test_the_uncertain_variant_repeats_the_reference_figures():
    base, variant = load(DORSET).scenario, load(UNCERTAIN).scenario
    assert variant.cost_lines == base.cost_lines and variant.funding == base.funding
    assert variant.published_totals == base.published_totals
    assert [(o.id, o.baseline, o.follow_up, o.unit_cost) for o in variant.outcomes] == \
        [(o.id, o.baseline, o.follow_up, o.unit_cost) for o in base.outcomes]


def test_simulation_is_reproducible_with_a_seed():
    a = rows("simulate", UNCERTAIN, "--draws", "20000", "--seed", "7")
    b = rows("simulate", UNCERTAIN, "--draws", "20000", "--seed", "7")
    c = rows("simulate", UNCERTAIN, "--draws", "20000", "--seed", "8")
    assert a["net_position"] == b["net_position"] and a["histogram"] == b["histogram"]
    assert a["net_position"] != c["net_position"]


def _scenario_with(write_scenario, ranges: str, attributable: str = "true") -> Path:
    from .test_errors import VALID

    text = VALID.replace("    unit_cost: lac-year\n", f"    unit_cost: lac-year\n    attributable: {attributable}\n")
    return write_scenario(text + ranges)


def test_degenerate_distributions_equal_the_deterministic_result(write_scenario):
    # VALID: lac 10 -> 9 at 58,664 against a grant of 1,000: net = 58,664 - 1,000 = 57,664
    path = _scenario_with(write_scenario, """uncertainty:
  unit_costs:
    lac-year: {distribution: uniform, low: 58664, high: 58664}
  outcomes:
    lac:
      change: {distribution: triangular, low: -1, mode: -1, high: -1}
""")
    data = rows("simulate", path, "--draws", "1000")
    assert data["net_position"] == {"p5": 57664.0, "p50": 57664.0, "p95": 57664.0, "mean": 57664.0}
    assert data["probability_pays_back"] == 1.0


def test_percentiles_of_a_known_distribution(write_scenario):
    # net = 1 x U(40,000, 80,000) - 1,000, so its p-quantile is 40,000 + p x 40,000 - 1,000.
    path = _scenario_with(write_scenario, """uncertainty:
  unit_costs:
    lac-year: {distribution: uniform, low: 40000, high: 80000}
""")
    data = rows("simulate", path, "--draws", "400000", "--seed", "3")
    for key, p in (("p5", 0.05), ("p50", 0.5), ("p95", 0.95)):
        assert data["net_position"][key] == pytest.approx(40000 + p * 40000 - 1000, abs=200)  # ~4 standard errors
    # pays back when U >= 1,000: always
    assert data["probability_pays_back"] == 1.0


def test_truncated_normal_stays_in_bounds_and_matches_its_quantiles():
    from cba.model.scenario import Distribution

    d = Distribution(distribution="normal", mean=D(0), sd=D(1), low=D(-1), high=D(2))
    draws = sample(d, 200_000, np.random.default_rng(5))
    assert draws.min() >= -1 and draws.max() <= 2
    for p in (0.05, 0.5, 0.95):
        assert np.quantile(draws, p) == pytest.approx(quantile(d, p), abs=0.02)
    # the untruncated normal's median is its mean
    assert quantile(Distribution(distribution="normal", mean=D(5), sd=D(2)), 0.5) == pytest.approx(5)


def test_tornado_ranks_inputs_by_swing():
    data = rows("simulate", UNCERTAIN, "--draws", "1000")
    bars = data["tornado"]
    assert [b["input"] for b in bars][0] == "lac"
    assert bars == sorted(bars, key=lambda b: -b["swing"])
    # lac change ~ triangular(-90, -60, 0): quantiles by the inverse CDF, F(mode) = 30/90
    q5 = -90 + (0.05 * 90 * 30) ** 0.5
    q95 = 0 - ((1 - 0.95) * 90 * 60) ** 0.5
    lac = bars[0]
    assert lac["low"] == pytest.approx(q5) and lac["high"] == pytest.approx(q95)
    assert lac["swing"] == pytest.approx(LAC * (q95 - q5))


@pytest.mark.parametrize("scenario", [UNCERTAIN, ROOT / "scenarios" / "edge-of-care-example.yaml"])
def test_vectorised_agrees_with_the_exact_engine(scenario):
    loaded = load(scenario)
    result = appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference)
    model = linear_model(loaded.scenario, result)
    rng = np.random.default_rng(11)
    n = 150
    inputs = {t.unit_cost: rng.uniform(0.5, 1.5, n) * t.unit_value for t in model.terms}
    inputs.update({f"{t.outcome}.deadweight": rng.uniform(0, 0.5, n) for t in model.terms})
    inputs.update({t.outcome: rng.uniform(-100, 100, n) for t in model.terms if t.measured})
    fast = evaluate(model, inputs, n)
    for i in range(n):
        point = {k: D(float(v[i])) for k, v in inputs.items()}
        exact = exact_net(loaded.scenario, loaded.unit_costs, point, loaded.reference)
        assert float(exact.net.net) == pytest.approx(fast.net[i], rel=1e-9, abs=1e-6)
        if model.has_appraisal:
            assert float(exact.timeline.net_present_public_value) == pytest.approx(fast.npv[i], rel=1e-9, abs=1e-6)


def test_simulate_needs_ranges():
    result = cli("simulate", DORSET)
    assert result.exit_code == 1 and "no uncertainty: block" in result.stderr


def test_sweep_exports_have_a_table_and_a_chart(tmp_path):
    for args, sheet in ((["whatif", DORSET, "--vary", "lac=-60:0:10"], "What-if"),
                        (["breakeven", UNCERTAIN], "Break-even"),
                        (["simulate", UNCERTAIN, "--draws", "1000"], "Simulation")):
        out = tmp_path / f"{sheet}.xlsx"
        assert cli(*args, "--xlsx", out).exit_code == 0
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == [sheet] and book[sheet]._charts
        again = cli(*args, "--xlsx", out)
        assert again.exit_code == 1 and "already exists" in again.stderr
    whatif = openpyxl.load_workbook(tmp_path / "What-if.xlsx")["What-if"]
    assert [c.value for c in whatif[2]][:3] == [-60, 6 * 10 * LAC, 6 * 10 * LAC - GRANT]


def test_uncertainty_input_errors(write_scenario):
    from .test_errors import VALID

    bad = VALID + """uncertainty:
  unit_costs:
    lac-yr: {distribution: uniform, low: 1, high: 2}
  outcomes:
    lac:
      change: {distribution: triangular, low: -1, mode: 5, high: 0}
      deadweight: {distribution: normal, mean: 0.2, sd: 0.1}
"""
    result = cli("run", write_scenario(bad))
    assert result.exit_code == 1
    text = result.stderr
    assert "unit cost 'lac-yr' is not used by any outcome (did you mean 'lac-year'?)" in text
    assert "mode (5) must lie between low and high" in text
    assert "a normal distribution needs mean, sd, low, high; low is missing" in text
