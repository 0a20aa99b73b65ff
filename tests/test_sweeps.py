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
from cba.engine.sweep import evaluate, exact_net, linear_model, sample
from cba.model.ranges import quantile
from cba.io.load import load
from cba.model.errors import UsageError
from cba.model.scenario import NetPositionBasis

from .conftest import DORSET, ROOT, cli

UNCERTAIN = ROOT / "scenarios" / "dorset-rsw-uncertain.yaml"
GRANT = 1849537
LAC = 58664


def rows(*args):
    result = cli(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def table(data, key: str) -> list[dict]:
    """A table of a JSON result, its money and ratio strings as exact Decimals."""
    kinds = {c["key"]: c["kind"] for c in data["tables"][key]["columns"]}
    return [{k: (D(v) if v is not None and kinds[k] not in ("text", "flag") else v) for k, v in row.items()}
            for row in data["tables"][key]["rows"]]


def test_whatif_lac_falls_by_hand():
    data = rows("whatif", DORSET, "--vary", "lac=-10,-30,-60")
    assert "Outcomes treated as attributable: lac." in data["notes"]
    got = [(r["vary_lac"], r["attributable_benefits"], r["net_position"]) for r in table(data, "whatif")]
    assert got == [(-10, 10 * LAC, 10 * LAC - GRANT), (-30, 30 * LAC, 30 * LAC - GRANT), (-60, 3519840, 3519840 - GRANT)]
    assert data["tables"]["whatif"]["rows"][0]["net_position"] == "-1262897.00"  # money: two places, no float


def test_whatif_grid_of_change_and_unit_cost():
    data = rows("whatif", DORSET, "--vary", "lac=-100:0:10", "--vary", "lac-year=-20%,0,+20%")
    got = table(data, "whatif")
    assert len(got) == 11 * 3
    first = got[0]
    assert (first["vary_lac"], first["vary_lac_year"]) == (-100, D(LAC) * D("0.8"))
    assert first["net_position"] == 100 * LAC * D("0.8") - GRANT
    zero = [r for r in got if r["vary_lac"] == 0]
    assert all(r["net_position"] == -GRANT for r in zero)


def test_set_overrides_a_setting_for_the_run():
    data = rows("whatif", DORSET, "--vary", "lac=-60", "--set", "net_position_basis=actual")
    assert table(data, "whatif")[0]["net_position"] == 3519840 - 1833165
    discounted = rows("whatif", DORSET, "--vary", "lac=-60", "--set", "appraisal.discounting=green_book",
                      "--set", "appraisal.discount_rate=0.05")
    # benefit in 2018/19 (year 2) at a flat 5%: 3,519,840 / 1.05^2; costs by year discounted the same way
    row = table(discounted, "whatif")[0]
    pv_costs = 40318 + 486473 / 1.05 + 798223 / 1.05 ** 2 + 508151 / 1.05 ** 3
    assert float(row["npv"]) == pytest.approx(3519840 / 1.05 ** 2 - pv_costs, abs=0.006)


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
    data = rows("breakeven", DORSET)
    assert data["tables"]["net_position"]["title"] == "Switching values, undiscounted, against funding received"
    got = {r["input"]: r for r in table(data, "net_position")}
    lac = got["lac"]
    # written as --vary writes the change, follow-up - baseline: 31.53 fewer is -31.53, against -60 as written
    assert lac["switching_value"] == -(D(GRANT) / D(LAC)).quantize(D("0.000001"))
    assert lac["per_unit"] == LAC and lac["cost_to_cover"] == GRANT and lac["as_written"] == -60
    cin = got["cin_episodes"]  # CIN episodes rose by 340 (4,150 -> 4,490): 1,087.32 fewer would cover the grant
    assert cin["switching_value"] == -(D(GRANT) / D(1701)).quantize(D("0.000001"))
    assert cin["as_written"] == 340
    assert got["lac-year"]["switching_value"] is None  # nothing attributable uses it
    assert got["total cost"]["switching_value"] == -100  # with no benefits, costs must vanish
    text = cli("breakeven", DORSET).stdout
    assert "-31.53" in text and "Looked-after children (change, follow-up - baseline)" in text
    assert "-100.0%" in text  # a % change is written as a percentage, an outcome's units as a number


def test_run_and_breakeven_agree_on_every_switching_value():
    # One definition: the JSON of run and of breakeven carry the same figures for every outcome and basis.
    for args in ([DORSET, "-a", "lac"], [ROOT / "scenarios" / "edge-of-care-example.yaml"], [UNCERTAIN, "--green-book"]):
        run = rows("run", *args)
        data = rows("breakeven", *args)
        by_outcome = {(r["input"], basis == "npv"): r["switching_value"] for basis in data["tables"]
                      for r in table(data, basis) if r["kind"] == "outcome"}
        assert len(by_outcome) == len(run["switching_values"]) > 0
        for s in run["switching_values"]:
            assert by_outcome[(s["outcome"], s["basis"] == "npv")] == D(s["switching_value"]), s
            assert D(s["switching_value"]) == (-1 if s["volume_kind"] == "change" else 1) * D(s["units_needed"])


def test_breakeven_unit_cost_and_total_cost_by_hand():
    got = {r["input"]: r["switching_value"] for r in table(rows("breakeven", UNCERTAIN), "net_position")
           if r["kind"] != "outcome"}
    lac_value, cin_value = 60 * LAC, -340 * 1701  # both attributable here
    net = lac_value + cin_value - GRANT
    six = D("0.000001")
    assert got["lac-year"] == (D(-net) / D(lac_value) * 100).quantize(six)
    assert got["cin-new-case-mgmt"] == (D(-net) / D(cin_value) * 100).quantize(six)
    assert got["total cost"] == (D(net) / D(GRANT) * 100).quantize(six)


def test_compare_side_by_side():
    data = rows("compare", DORSET, UNCERTAIN)
    got = {r["scenario"]: r for r in table(data, "comparison")}
    assert got["dorset-rsw"]["net_position"] == -GRANT
    assert got["dorset-rsw-uncertain"]["net_position"] == 60 * LAC - 340 * 1701 - GRANT
    assert got["dorset-rsw-uncertain - dorset-rsw"]["net_position"] == 60 * LAC - 340 * 1701
    assert [p["scenario"]["file"] for p in data["provenance"]] == [str(DORSET), str(UNCERTAIN)]
    csv_out = cli("compare", DORSET, UNCERTAIN, "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("scenario,name,budget_total,")
    assert csv_out[1].startswith("dorset-rsw,")


def test_the_uncertain_variant_extends_the_reference_and_changes_only_what_it_says():
    base, loaded = load(DORSET).scenario, load(UNCERTAIN)
    variant = loaded.scenario
    assert variant.cost_lines == base.cost_lines and variant.funding == base.funding
    assert variant.published_totals == base.published_totals and variant.claimed == base.claimed
    # outcomes merge by id: the same seven, in the base's order, two of them now attributable
    assert [o.model_copy(update={"attributable": False}) for o in variant.outcomes] == list(base.outcomes)
    assert [o.id for o in variant.outcomes if o.attributable] == ["cin_episodes", "lac"]
    assert variant.name.endswith("with ranges (illustrative)") and variant.uncertainty is not None
    assert [s.name for s in loaded.sources[:2]] == [str(UNCERTAIN), str(DORSET)]  # both in the provenance


def test_simulation_is_reproducible_with_a_seed():
    a = rows("simulate", UNCERTAIN, "--draws", "20000", "--seed", "7")
    b = rows("simulate", UNCERTAIN, "--draws", "20000", "--seed", "7")
    c = rows("simulate", UNCERTAIN, "--draws", "20000", "--seed", "8")
    assert a["tables"] == b["tables"]
    assert a["tables"]["percentiles"] != c["tables"]["percentiles"]


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
    assert [r["net_position"] for r in table(data, "percentiles")] == [57664] * 4  # p5, median, p95, mean
    assert data["tables"]["percentiles"]["rows"][0]["net_position"] == "57664.00"
    assert data["facts"]["probability_pays_back"]["value"] == "100.000000"


def test_percentiles_of_a_known_distribution(write_scenario):
    # net = 1 x U(40,000, 80,000) - 1,000, so its p-quantile is 40,000 + p x 40,000 - 1,000.
    path = _scenario_with(write_scenario, """uncertainty:
  unit_costs:
    lac-year: {distribution: uniform, low: 40000, high: 80000}
""")
    data = rows("simulate", path, "--draws", "400000", "--seed", "3")
    got = table(data, "percentiles")
    for row, p in zip(got, (0.05, 0.5, 0.95)):
        assert float(row["net_position"]) == pytest.approx(40000 + p * 40000 - 1000, abs=200)  # ~4 standard errors
    # pays back when U >= 1,000: always
    assert D(data["facts"]["probability_pays_back"]["value"]) == 100


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
    bars = table(data, "tornado")
    assert [b["input"] for b in bars][0] == "lac"
    assert bars == sorted(bars, key=lambda b: -b["swing"])
    # lac change ~ triangular(-90, -60, 0): quantiles by the inverse CDF, F(mode) = 30/90
    # (-78.381..., -16.432...); a count is taken, shown and evaluated to one decimal place (issue 27, item 7)
    q5 = round(-90 + (0.05 * 90 * 30) ** 0.5, 1)
    q95 = round(0 - ((1 - 0.95) * 90 * 60) ** 0.5, 1)
    lac = bars[0]
    assert (lac["low"], lac["high"]) == (D("-78.4"), D("-16.4")) and (q5, q95) == (-78.4, -16.4)
    assert float(lac["swing"]) == pytest.approx(LAC * (q95 - q5), abs=0.006)


#: One outcome priced by five values (payers and a social value), one at a share: issue 12's values.
SEVERAL_VALUES = ROOT / "scenarios" / "care-proceedings-example.yaml"
#: Quarters: timing counts quarters and discounting is by elapsed time (issue 12's shorter periods).
QUARTERS = ROOT / "scenarios" / "quarterly-follow-up-example.yaml"


#: Quarters again, with a horizon that cuts the benefit short (a year: its last three quarters fall after it)
#: and a saving cashable from the fourth quarter: every path of the vectorised timing at once.
CUT_SHORT = QUARTERS.read_text().replace(
    "appraisal: {discounting: green_book, uprate: true}",
    "appraisal: {discounting: green_book, uprate: true, horizon_years: 1}").replace(
    "    timing: {start_year: 2, duration: 6}", "    timing: {start_year: 2, duration: 6}\n    cashable: {share: 0.5, from_year: 3}")


@pytest.mark.parametrize("scenario", [UNCERTAIN, ROOT / "scenarios" / "edge-of-care-example.yaml", SEVERAL_VALUES,
                                      QUARTERS, "cut short"])
def test_vectorised_agrees_with_the_exact_engine(scenario, tmp_path):
    if scenario == "cut short":
        scenario = tmp_path / "cut-short.yaml"
        scenario.write_text(CUT_SHORT)
        assert "horizon_years: 1" in CUT_SHORT and "from_year: 3" in CUT_SHORT
    loaded = load(scenario)
    result = appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference)
    model = linear_model(result, loaded.scenario.appraisal is not None)
    rng = np.random.default_rng(11)
    n = 150
    inputs = {t.unit_cost: rng.uniform(0.5, 1.5, n) * t.unit_value for t in model.terms}
    inputs.update({f"{t.outcome}.deadweight": rng.uniform(0, 0.5, n) for t in model.terms})
    inputs.update({t.outcome: rng.uniform(-100, 100, n) for t in model.terms if t.measured})
    if scenario.name == "cut-short.yaml":  # its lag, duration and rate move too: the per-draw timing path
        inputs.update({"lac.timing.start_year": rng.integers(0, 4, n).astype(float),
                       "lac.timing.duration": rng.integers(1, 8, n).astype(float),
                       "appraisal.discount_rate": rng.uniform(0.01, 0.08, n)})
    fast = evaluate(model, inputs, n)
    for i in range(n):
        point = {k: D(float(v[i])) for k, v in inputs.items()}
        exact = exact_net(loaded.scenario, loaded.unit_costs, point, loaded.reference)
        assert float(exact.net.net) == pytest.approx(fast.net[i], rel=1e-9, abs=1e-6)
        if model.has_appraisal:
            assert float(exact.timeline.net_present_public_value) == pytest.approx(fast.npv[i], rel=1e-9, abs=1e-6)
            pv = exact.timeline.pv_by_value_type()
            assert float(pv["fiscal"]) == pytest.approx(fast.pv_fiscal[i], rel=1e-9, abs=1e-6)
            assert float(exact.timeline.pv_cashable) == pytest.approx(fast.pv_cashable[i], rel=1e-9, abs=1e-6)


def test_simulate_needs_ranges():
    result = cli("simulate", DORSET)
    assert result.exit_code == 1 and "no uncertainty: block" in result.stderr


def test_sweep_exports_have_a_table_and_a_chart(tmp_path):
    for args, sheets in ((["whatif", DORSET, "--vary", "lac=-60:0:10"], ["whatif"]),
                         (["breakeven", UNCERTAIN], ["net_position"]),
                         (["simulate", UNCERTAIN, "--draws", "1000"], ["percentiles", "histogram", "tornado", "switching"])):
        out = tmp_path / f"{sheets[0]}.xlsx"
        done = cli(*args, "--xlsx", out)
        assert done.exit_code == 0, done.stderr
        book = openpyxl.load_workbook(out)
        assert book.sheetnames == sheets and any(book[s]._charts for s in sheets)
        again = cli(*args, "--xlsx", out)
        assert again.exit_code == 1 and "already exists" in again.stderr and again.stdout == ""
    whatif = openpyxl.load_workbook(tmp_path / "whatif.xlsx")["whatif"]
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


def test_streamed_summaries_equal_the_summaries_of_every_draw_kept(monkeypatch):
    """Beyond one chunk the draws are not kept: three passes over the same seeded draws must give what
    np.percentile, np.histogram and the mean give on all the draws at once."""
    from cba.engine import uncertainty
    from cba.engine.run import run
    from cba.model.ranges import uncertain_inputs

    loaded = load(UNCERTAIN, green_book=True)
    result = run(loaded.scenario, loaded.costs, loaded.provenance("test"), reference=loaded.reference)
    model = linear_model(result.figures, True)
    ranges = uncertain_inputs(loaded.scenario)
    keys = ["net_position", "npv", "bcr"]
    monkeypatch.setattr(uncertainty, "CHUNK", 1000)
    draws = uncertainty._Draws(model, ranges, 5003, 7, [])
    every = {k: np.concatenate([values[k] for _, values in draws.chunks()]) for k in keys}  # all 5,003 kept
    streamed = uncertainty._summaries(draws, keys, "npv", lambda n: None)
    for key in keys:
        for q in (5, 50, 95):
            assert streamed[key][f"p{q}"] == float(np.percentile(every[key], q)), (key, q)  # bit for bit
        assert streamed[key]["mean"] == pytest.approx(float(every[key].mean()), rel=1e-12)
    counts, edges = np.histogram(every["npv"], bins=20)
    assert (streamed["histogram"][0] == counts).all() and (streamed["histogram"][1] == edges).all()
    assert streamed["paying"] == int((every["npv"] >= 0).sum())
    fiscal = np.concatenate([values["fiscal_gap"] for _, values in draws.chunks()])
    assert streamed["fiscal_paying"] == int((fiscal >= 0).sum()) and 0 < streamed["fiscal_paying"] < 5003


def test_simulate_answers_both_payback_questions(tmp_path):
    # Cost 1,500 (undiscounted appraisal, no optimism bias). One fiscal unit worth U ~ Uniform(0, 2,000) and one
    # social unit worth 1,000. Public value: U + 1,000 >= 1,500 when U >= 500, a chance of 1,500/2,000 = 75%.
    # Fiscal savings alone: U >= 1,500, a chance of 500/2,000 = 25%.
    (tmp_path / "t.csv").write_text(
        "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
        "fisc,A fiscal saving,per case,1000,2019/20,Local Authority,fiscal,true,3,hand-made\n"
        "soc,A social value,per case,1000,2019/20,Local Authority,social,false,3,hand-made\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("""\
name: Two payback questions
organisation: Test
price_base: 2019/20
periods: [2019/20]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: none}
cost_lines:
  - {name: Team, budget: {2019/20: 1500}, actual: {2019/20: 1500}}
outcomes:
  - {id: a, measure: Fiscal cases, baseline: 1, follow_up: 0, unit_cost: fisc, attributable: true}
  - {id: b, measure: Social cases, baseline: 1, follow_up: 0, unit_cost: soc, attributable: true}
uncertainty:
  unit_costs:
    fisc: {distribution: uniform, low: 0, high: 2000}
""", encoding="utf-8")
    facts = rows("simulate", tmp_path / "s.yaml", "--draws", "200000", "--seed", "7")["facts"]
    assert float(facts["probability_pays_back"]["value"]) == pytest.approx(75, abs=0.5)
    assert float(facts["probability_fiscal_payback"]["value"]) == pytest.approx(25, abs=0.5)
    assert "NPV >= 0" in facts["probability_pays_back"]["label"]
    assert "financial ROI >= 1" in facts["probability_fiscal_payback"]["label"]


def _points(key: str, base: float, n: int, rng) -> np.ndarray:
    """n values an input may take: within its limits, whole years where it is a lag or a duration."""
    from cba.model.inputs import input_bounds

    low, high, whole = input_bounds(key)
    if whole:
        return rng.integers(int(low), min(int(high), 9) + 1, n).astype(float)
    if (low, high) == (0.0, 1.0):
        return rng.uniform(0, 1, n)
    if key.startswith(("costs.", "appraisal.")):
        return rng.uniform(max(low, -0.9), 0.9, n)
    return base * rng.uniform(0.2, 2.0, n) if base else rng.uniform(0, 50, n)


BUSINESS_CASE = ROOT / "cba" / "starters" / "business-case.yaml"


@pytest.mark.parametrize("scenario", [ROOT / "scenarios" / "edge-of-care-example.yaml", BUSINESS_CASE, UNCERTAIN,
                                      SEVERAL_VALUES, QUARTERS])
def test_every_input_of_the_appraisal_agrees_with_the_exact_engine(scenario):
    """Issue 11: any numeric input can vary, and the vectorised path agrees with the exact engine (1e-9 relative)
    for every kind: change, cohort, timing (lag and duration move years), per-year volumes, shares, optimism
    bias, unit costs, cost lines and the discount rate, each alone and all at once."""
    from cba.engine.sweep import base_value, input_keys

    loaded = load(scenario, green_book=scenario == UNCERTAIN)
    result = appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference)
    model = linear_model(result, loaded.scenario.appraisal is not None)
    keys = input_keys(model)
    if scenario.name == "edge-of-care-example.yaml":  # it has an input of every kind
        for expected in ("camhs", "eoc-placement", "placements.deadweight", "placements.optimism_bias",
                         "placements.cohort.engagement", "placements.timing.start_year", "placements.timing.duration",
                         "placements.timing.drop_off", "missing.volumes.2022/23", "costs.0", "costs.3.optimism_bias",
                         "appraisal.discount_rate", "appraisal.cost_optimism_bias"):
            assert expected in keys, expected
    rng = np.random.default_rng(5)
    n = 12
    cases = [{k: _points(k, base_value(model, k), n, rng)} for k in keys]
    cases.append({k: _points(k, base_value(model, k), n, rng) for k in keys})  # everything at once
    for inputs in cases:
        forced = [t.outcome for t in model.terms]
        fast = evaluate(model, inputs, n, forced)
        for i in range(n):
            point = {k: D(repr(float(v[i]))) for k, v in inputs.items()}
            exact = exact_net(loaded.scenario, loaded.unit_costs, point, loaded.reference, forced)
            label = (sorted(inputs)[:3], i)
            assert float(exact.net.net) == pytest.approx(fast.net[i], rel=1e-9, abs=1e-6), label
            if model.has_appraisal:
                t = exact.timeline
                assert float(t.pv_costs) == pytest.approx(np.broadcast_to(fast.pv_costs, (n,))[i], rel=1e-9), label
                assert float(t.net_present_public_value) == pytest.approx(fast.npv[i], rel=1e-9, abs=1e-6), label
                assert float(t.pv_by_value_type()["fiscal"]) == pytest.approx(fast.pv_fiscal[i], rel=1e-9, abs=1e-6), label


def test_switching_values_cover_every_uncertain_input_by_hand(tmp_path):
    # Cost £1,000 in year 0 (outturn). Benefit: 1 case a year from year 1, worth £1,100 (price base year, no
    # adjustments), for 1 year as written. By hand, with the others as written:
    # * discount rate: 1,100 / (1 + r) = 1,000 at r = 10% exactly;
    # * unit cost: U / 1.035 = 1,000 (the Green Book's 3.5% in year 1) at U = 1,035;
    # * duration: with 1 year the NPV is 1,100 / 1.035 - 1,000 = 62.80 > 0, and each further year only adds
    #   (1,100 x 0.4^k / 1.035^(k+1)): it is never zero for any duration;
    # * the team's spend: -1,000 x (1 + s) + 1,100 / 1.035 = 0 at s = 1,100 / 1,035 - 1 = 6.28%;
    # * the case's start year: a benefit in year 2 is worth 1,100 / 1.035^2 = 1,026.86, in year 3 992.14: going out
    #   from year 1, 3 is the first whole year at which the NPV is below zero.
    (tmp_path / "t.csv").write_text(
        "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
        "case,A case avoided,per case,1100,2020/21,Local Authority,fiscal,true,3,hand-made\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text("""\
name: Switching by hand
organisation: Test
price_base: 2020/21
periods: [2020/21]
unit_costs: t.csv
net_position_basis: actual
appraisal: {discounting: green_book, uprate: false}
cost_lines:
  - {id: team, name: Team, budget: {2020/21: 1000}, actual: {2020/21: 1000}}
outcomes:
  - {id: a, measure: Cases, baseline: 1, follow_up: 0, unit_cost: case, attributable: true,
     timing: {start_year: 1, duration: 1, drop_off: 0.6}}
uncertainty:
  unit_costs:
    case: {distribution: uniform, low: 900, high: 1300}
  outcomes:
    a:
      timing:
        duration: {distribution: uniform, low: 1, high: 3}
        start_year: {distribution: uniform, low: 3, high: 3}   # a single value: the edges of its range
  cost_lines:
    team: {change: {distribution: uniform, low: -0.1, high: 0.2}}
  appraisal:
    discount_rate: {distribution: uniform, low: 0.0, high: 0.15}
""", encoding="utf-8")
    data = rows("simulate", tmp_path / "s.yaml", "--draws", "2000")
    switching = {r["input"]: r for r in table(data, "switching")}
    assert set(switching) == {"case", "a.timing.duration", "a.timing.start_year", "costs.team", "appraisal.discount_rate"}
    assert switching["appraisal.discount_rate"]["switching_value"] == D("0.1")
    assert switching["case"]["switching_value"] == D("1035")
    assert switching["costs.team"]["switching_value"] == round(D(1100) / D(1035) - 1, 6)
    assert switching["a.timing.start_year"]["switching_value"] == 3
    assert switching["a.timing.start_year"]["in_range"] == "yes"  # 3 lies within [3, 3]: the range includes its ends
    assert switching["case"]["in_range"] == "yes" and switching["appraisal.discount_rate"]["in_range"] == "yes"
    assert switching["a.timing.duration"]["switching_value"] is None  # never below zero: one year already pays
    tornado_inputs = {r["input"] for r in table(data, "tornado")}
    assert tornado_inputs == set(switching)
    # the lag from the other side: written as year 5 (926.20 < 1,000) or year 3 (992.14), going down the first
    # whole year at which the NPV is above zero is year 2 (1,026.86), not the year as written
    from cba.engine.sweep import switching_value

    # and written as year 2, the crossing begins at the year as written: the first year past it, 3
    for written, first in ((5, 2), (3, 2), (2, 3)):
        later = load(tmp_path / "s.yaml", sets=[f"outcomes.a.timing.start_year={written}"])
        result = appraise(later.scenario, later.unit_costs, reference=later.reference)
        assert switching_value(linear_model(result, True), "a.timing.start_year", (), "npv") == first


@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ("  outcomes:\n    camhs:\n      cohort: {engagement: {distribution: uniform, low: 0.1, high: 0.2}}\n",
         "a range on the cohort needs an outcome given by a cohort"),
        ("  outcomes:\n    missing:\n      timing: {duration: {distribution: uniform, low: 1, high: 2}}\n",
         "volumes by year already say when the benefit falls"),
        ("  outcomes:\n    missing:\n      volumes: {2024/25: {distribution: uniform, low: 1, high: 2}}\n",
         "outcome 'missing' has no volume for 2024/25; its years: 2021/22, 2022/23, 2023/24"),
        ("  outcomes:\n    placements:\n      cohort: {engagement: {distribution: uniform, low: 0.5, high: 1.2}}\n",
         "placements.cohort.engagement's range must be within 0 and 1"),
        ("  outcomes:\n    placements:\n      timing: {duration: {distribution: uniform, low: 0, high: 3}}\n",
         "placements.timing.duration's range must be whole years from 1 to 500"),
        ("  cost_lines:\n    teem: {change: {distribution: uniform, low: -0.1, high: 0.1}}\n",
         "no cost line 'teem'"),
        ("  cost_lines:\n    '0': {optimism_bias: {distribution: uniform, low: 0, high: 0.2}}\n",
         "optimism bias corrects forecasts, but cost line 'Edge of care team' is outturn"),
        ("  cost_lines:\n    '1': {change: {distribution: uniform, low: -1.5, high: 0.1}}\n",
         "costs.1's range must be at least -1 (-1 is -100%)"),
    ],
)
def test_ranges_name_inputs_the_scenario_has(write_scenario, ranges, message):
    from .test_green_book import EXAMPLE

    text = EXAMPLE.read_text(encoding="utf-8").replace("unit_costs: edge-of-care-example", "unit_costs: ../unit_costs/t.csv")
    path = write_scenario(text + "\nuncertainty:\n" + ranges)
    (path.parent.parent / "unit_costs" / "t.csv").write_bytes((ROOT / "unit_costs" / "edge-of-care-example.csv").read_bytes())
    result = cli("validate", path)
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_a_discount_rate_range_needs_discounting(write_scenario):
    from .test_errors import VALID

    result = cli("validate", write_scenario(VALID + "uncertainty:\n  appraisal:\n    discount_rate: "
                                            "{distribution: uniform, low: 0.01, high: 0.05}\n"))
    assert result.exit_code == 1 and "a range on the discount rate needs a discounted appraisal" in result.stderr


def test_dorset_what_if_in_real_terms_by_hand():
    # 60 fewer looked-after children, the Green Book way (3.5%, uprated, real terms), price base 2019/20:
    # benefit: 60 x 58,664 at 2019 prices x 90.95 / 90.3 (financial-year 2019/20 over calendar 2019), in 2018/19
    # (year 2) so / 1.035^2; costs: Table 5 actual spend by year, each in its own year's prices, x 90.95 / 85.65,
    # 87.0 and 88.825 for 2016/17 to 2018/19 (2019/20 is the base), discounted the same way.
    from .test_green_book import DORSET_REAL_PV_COSTS

    benefit = D(60 * LAC) * D("90.95") / D("90.3") / D("1.035") ** 2
    data = rows("whatif", DORSET, "--vary", "lac=-30,-60", "--green-book")
    row = {r["vary_lac"]: r for r in table(data, "whatif")}[-60]
    assert abs(row["npv"] - (benefit - DORSET_REAL_PV_COSTS)) <= D("0.01")
    assert row["bcr"] == round(benefit / DORSET_REAL_PV_COSTS, 6)
    # BCR 1.885: about 1.89 pounds of fiscal saving, in 2019/20 prices, per pound spent
    assert round(row["bcr"], 3) == D("1.885")


def test_set_names_an_outcome_by_its_id_alone():
    # 60 x 80% x 25% = 12 placements a year; at 50% engagement, 60 x 50% x 25% = 7.5: both ways of naming it agree,
    # and every benefit of placements scales by 7.5 / 12.
    from .test_green_book import EXAMPLE

    base = rows("run", EXAMPLE)["appraisal"]
    by_id = rows("run", EXAMPLE, "--set", "placements.cohort.engagement=0.5")["appraisal"]
    by_place = rows("run", EXAMPLE, "--set", "outcomes.0.cohort.engagement=0.5")["appraisal"]
    assert by_id == by_place
    before = next(b for b in base["benefits"] if b["outcome"] == "placements")
    after = next(b for b in by_id["benefits"] if b["outcome"] == "placements")
    assert [D(v) for v in after["volumes"]] == [D(v) * D("7.5") / 12 for v in before["volumes"]]
    wrong = cli("run", EXAMPLE, "--set", "placments.cohort.engagement=0.5")
    assert wrong.exit_code == 2 and "(did you mean 'placements'?)" in wrong.stderr


def test_percentile_ranks_by_hand():
    """np.percentile's linear method, worked by hand: for q% of n draws, h = (n - 1) x q / 100; it reads the
    order statistics floor(h) and floor(h) + 1 (at most the last) and weights the second by h - floor(h).
    For 11 draws: 5% -> h = 0.5 (draws 0 and 1, half way); 50% -> h = 5 (draw 5 exactly); 95% -> h = 9.5."""
    from cba.engine.uncertainty import _ranks

    assert _ranks(11) == [(0, 1, 0.5), (5, 6, 0.0), (9, 10, 0.5)]
    assert _ranks(2) == [(0, 1, 0.05), (0, 1, 0.5), (0, 1, 0.95)]


def test_a_seed_draws_a_million_at_a_time(monkeypatch):
    """What a seed means: past a million draws, every input is drawn a million at a time from the one
    generator, so the chunk size decides which numbers a seeded run of more draws than that sees; it is part
    of the reproducibility promise (the same seed, the same figures), not only a bound on memory."""
    import types

    from cba.engine import uncertainty

    sizes: list[int] = []

    def sample(d, size, rng):
        sizes.append(size)
        return np.zeros(size)

    def evaluate(model, inputs, size, forced):
        zero = np.zeros(size)
        return types.SimpleNamespace(net=zero, npv=zero, bcr=zero, pv_fiscal=zero, pv_costs=zero, pv_cashable=zero,
                                     pv_public_costs=zero)

    monkeypatch.setattr(uncertainty, "sample", sample)
    monkeypatch.setattr(uncertainty, "evaluate", evaluate)
    draws = uncertainty._Draws(types.SimpleNamespace(pv_paid_out=0.0), {"lac": None}, 2_000_001, 7, [])
    assert [size for size, _ in draws.chunks()] == [1_000_000, 1_000_000, 1]
    assert sizes == [1_000_000, 1_000_000, 1]


def test_the_discount_rate_is_an_input_only_of_a_discounted_appraisal():
    from dataclasses import replace

    from cba.engine.sweep import input_keys

    loaded = load(QUARTERS)  # appraised and discounted (green_book)
    model = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference), True)
    assert model.discounted and "appraisal.discount_rate" in input_keys(model)
    assert "appraisal.discount_rate" not in input_keys(replace(model, discounted=False))
    assert "appraisal.discount_rate" not in input_keys(replace(model, has_appraisal=False))


def test_a_sweeps_rate_is_that_of_the_year_its_period_ends_in():
    """The schedule's bands by hand: 3.5% for years 0-30, 3% for 31-75 (standard), 1.5% and 1.29% (health).
    A quarter t ends in year ceil(t / 4): quarter 120 in year 30, quarter 121 in year 31."""
    from dataclasses import replace

    from cba.engine.sweep import _rate

    loaded = load(QUARTERS)
    quarters = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference), True)
    assert quarters.per_year == 4 and quarters.discount_rate is None
    assert [_rate(quarters, t, "standard") for t in (0, 1, 120, 121, 300, 301)] == [0.035, 0.035, 0.035, 0.03,
                                                                                   0.03, 0.025]
    assert [_rate(quarters, t, "health") for t in (120, 121)] == [0.015, 0.0129]
    years = replace(quarters, per_year=1)
    assert [_rate(years, t, "standard") for t in (30, 31, 75, 76)] == [0.035, 0.03, 0.03, 0.025]
    assert _rate(replace(quarters, discount_rate=0.05), 121, "standard") == 0.05
    with pytest.raises(ValueError, match="no discount rate for year 1001"):
        _rate(years, 1001, "standard")


def test_a_sweeps_benefit_cost_ratio_is_unknown_without_a_cost():
    from cba.engine.sweep import Results

    r = Results(np.array([5.0, 5.0, 5.0]), np.zeros(3), np.array([6.0, 6.0, 3.0]), np.zeros(3),
                np.array([0.0, 1.0, 2.0]), np.zeros(3), np.zeros(3), np.array([0.0, 1.0, 2.0]))
    ratio = r.bcr
    assert np.isnan(ratio[0]) and ratio[1] == 6.0 and ratio[2] == 1.5


def test_the_exact_engine_at_a_point_counts_the_forced_outcomes_only():
    """Dorset with -a lac: 60 fewer looked-after children x £58,664 = £3,519,840 against the £1,849,537 grant,
    a net benefit of £1,670,303; without it, nothing is attributable: a net cost of £1,849,537."""
    loaded = load(DORSET)
    forced = exact_net(loaded.scenario, loaded.unit_costs, {}, loaded.reference, attributable=["lac"])
    assert forced.net.net == D(3_519_840 - GRANT)
    plain = exact_net(loaded.scenario, loaded.unit_costs, {}, loaded.reference)
    assert plain.net.net == -D(GRANT)


def test_an_unbounded_normal_is_drawn_once_and_a_bounded_one_redrawn_inside():
    """A normal with no bounds keeps every draw (one call to the generator); with bounds, draws outside are
    drawn again until every one is inside."""
    from cba.model.scenario import Distribution

    class Counting:
        def __init__(self) -> None:
            self.rng, self.calls = np.random.default_rng(1), 0

        def normal(self, mean, sd, size):
            self.calls += 1
            assert self.calls < 50, "drawn again and again"
            return self.rng.normal(mean, sd, size)

    once = Counting()
    draws = sample(Distribution(distribution="normal", mean=0, sd=1), 1000, once)  # type: ignore[arg-type]
    assert once.calls == 1 and draws.min() < -2 and draws.max() > 2
    bounded = Counting()
    inside = sample(Distribution(distribution="normal", mean=0, sd=1, low=-1, high=2), 1000, bounded)  # type: ignore[arg-type]
    assert bounded.calls > 1 and inside.min() >= -1 and inside.max() <= 2
    above = Counting()
    only_low = sample(Distribution(distribution="normal", mean=0, sd=1, low=-1), 1000, above)  # type: ignore[arg-type]
    assert only_low.min() >= -1 and only_low.max() > 2


def test_each_inputs_value_as_written():
    """What a what-if's percentages and a switching value's "as written" start from, read off the scenario:
    Dorset's looked-after children fell by 60 (480 to 420): -60; the every-input scenario's placements
    deadweight 0.2, cohort 60 x 0.8 x 0.25, lag 1, duration 3, drop-off 0.1; missing episodes 40 in 2022/23;
    a line's change 0 (as written); committed sessions' optimism bias: grade 3 (the appraisal-wide setting,
    10% in the bundled grades); the discount rate of year 1 (3.5%)."""
    from cba.engine.sweep import base_value

    dorset = load(DORSET)
    model = linear_model(appraise(dorset.scenario, dorset.unit_costs, reference=dorset.reference,
                                  attributable=["lac"]), False)
    assert base_value(model, "lac") == -60 and base_value(model, "lac-year") == LAC
    every = load(ROOT / "bench" / "every-input-uncertain.yaml")
    model = linear_model(appraise(every.scenario, every.unit_costs, reference=every.reference), True)
    expected = {"placements.deadweight": 0.2, "placements.cohort.size": 60, "placements.cohort.engagement": 0.8,
                "placements.cohort.success": 0.25, "placements.timing.start_year": 1, "placements.timing.duration": 3,
                "placements.timing.drop_off": 0.1, "missing.volumes.2021/22": 30, "missing.volumes.2022/23": 40,
                "costs.team": 0.0, "appraisal.discount_rate": 0.035}
    assert {key: base_value(model, key) for key in expected} == pytest.approx(expected)
    grade3 = base_value(model, "costs.sessions.optimism_bias")
    assert grade3 == pytest.approx(0.10) and base_value(model, "appraisal.cost_optimism_bias") == grade3
    with pytest.raises(KeyError):
        base_value(model, "nothing")
    # a schedule of one's own whose rate changes after the first year: the first year's rate is the one written
    from dataclasses import replace

    own = replace(model, rate_bands=((0, 1, 0.05, 0.02), (2, 1000, 0.03, 0.01)))
    assert base_value(own, "appraisal.discount_rate") == 0.05


def test_dorsets_switching_values_by_hand():
    """With -a lac the benefit is 60 x £58,664 = £3,519,840 against the £1,849,537 grant. The net is zero when the
    change is -1,849,537 / 58,664 = -31.5276 children (written: -60), or a looked-after child is worth
    1,849,537 / 60 = £30,825.62 (written: £58,664). A net of exactly £1 at the value as written is not zero."""
    from dataclasses import replace

    from cba.engine.sweep import switching_value

    loaded = load(DORSET)
    model = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference,
                                  attributable=["lac"]), False)
    assert switching_value(model, "lac", ["lac"]) == pytest.approx(-GRANT / LAC, abs=1e-9)
    assert switching_value(model, "lac-year", ["lac"]) == pytest.approx(GRANT / 60, abs=1e-7)
    a_pound_over = replace(model, cost=3_519_840.0 - 1.0)
    assert switching_value(a_pound_over, "lac", ["lac"]) == pytest.approx(-(3_519_839.0 / LAC), abs=1e-9)


def test_whatif_names_a_cost_line_beside_its_key():
    """--vary takes a cost line by its key (costs.0, or costs.ID); the table shows which line that is."""
    data = rows("whatif", DORSET, "-a", "lac", "--basis", "actual", "--vary", "costs.0=0,-10%")
    first = data["tables"]["whatif"]["columns"][0]
    assert (first["key"], first["label"]) == ("vary_costs_0", "costs.0 (Programme Management)")


def test_a_switching_value_at_the_edge_of_an_inputs_range():
    """With nothing to cover (no cost), the every-input scenario's net is zero only where no placement is
    achieved: engagement 0, the lowest share there is; there the net touches zero without crossing it."""
    from dataclasses import replace

    from cba.engine.sweep import base_value, switching_value

    every = load(ROOT / "bench" / "every-input-uncertain.yaml")
    model = linear_model(appraise(every.scenario, every.unit_costs, reference=every.reference), True)
    free = replace(model, cost=0.0, cost_terms=(), pv_costs=0.0)
    placements_only = replace(free, terms=[t for t in free.terms if t.outcome == "placements"])
    assert switching_value(placements_only, "placements.cohort.engagement") == 0.0
    dorset = load(DORSET)
    plain = linear_model(appraise(dorset.scenario, dorset.unit_costs, reference=dorset.reference), False)
    assert base_value(plain, "appraisal.cost_optimism_bias") == 0.0  # no line takes an appraisal-wide bias


def test_inputs_bounds_and_shares():
    """What each kind of input accepts, as the rules and the sweeps read it (engine/inputs.py)."""
    from cba.check.uncertainty import distribution_problems
    from cba.model.inputs import describe_bounds, is_share
    from cba.model.scenario import Distribution

    assert describe_bounds("x.cohort.size") == "at least 0"
    assert describe_bounds("costs.team") == "at least -1 (-1 is -100%)"
    assert describe_bounds("costs.team.optimism_bias") == "at least 0"
    assert describe_bounds("appraisal.cost_optimism_bias") == "at least 0"
    zero_to_ten = Distribution(distribution="uniform", low=0, high=10)
    assert distribution_problems(zero_to_ten, "x.cohort.size") == []
    assert [p.message for p in distribution_problems(Distribution(distribution="uniform", low=-1, high=10),
                                                      "x.cohort.size")] == ["x.cohort.size's range must be at least 0"]
    assert [is_share(k) for k in ("costs.team", "appraisal.discount_rate", "lac.deadweight", "lac", "SS1.0",
                                  "lac.cohort.size")] == [True, True, True, False, False, False]


def test_an_input_has_one_name_in_set_and_vary():
    """--set names fields from the scenario's top (outcomes.lac.deadweight, cost_lines.0.agency); --vary and
    uncertainty by the short form (lac.deadweight, costs.0). Each now takes the other's spelling too, and
    outputs show the short form. Consistency between the two spellings, not a figure."""
    short = rows("whatif", DORSET, "-a", "lac", "--vary", "lac.deadweight=0,0.2", "--vary", "costs.0=0,-10%")
    long = rows("whatif", DORSET, "-a", "lac", "--vary", "outcomes.lac.deadweight=0,0.2",
                "--vary", "cost_lines.0=0,-10%")
    assert short["tables"] == long["tables"]
    by_short, by_long = (rows("run", DORSET, "--set", f"{name}.0.agency=NHS") for name in ("costs", "cost_lines"))
    assert {k: v for k, v in by_short.items() if k != "provenance"} == \
        {k: v for k, v in by_long.items() if k != "provenance"}
    assert by_short["costs"]["lines"][0]["agency"] == "NHS"
    # 60 fewer looked-after children, 20% of which would have happened anyway: 48 x £58,664
    assert D(table(short, "whatif")[2]["attributable_benefits"]) == 48 * LAC


TWO_CROSSINGS = """\
name: Two discount rates break even
organisation: Test
price_base: 2020/21
periods: [2020/21, 2021/22, 2022/23]
unit_costs: t.csv
net_position_basis: actual
appraisal: {{discounting: green_book, uprate: false, discount_rate: {rate}}}
cost_lines:
  - {{id: team, name: Team, budget: {{2020/21: 1000, 2022/23: 1660}}, actual: {{2020/21: 1000, 2022/23: 1660}}}}
outcomes:
  - {{id: a, measure: Cases, volumes: {{2021/22: 1}}, unit_cost: case, attributable: true}}
"""


@pytest.mark.parametrize(("written", "nearest"), [("0.2", "low"), ("0.04", "low"), ("0.4", "high"), ("0.9", "high")])
def test_of_two_switching_values_the_nearest_to_the_value_as_written(tmp_path, written, nearest):
    """NPV(r) = -1,000 + 2,600 x + -1,660 x^2 with x = 1 / (1 + r) is zero where 1,000 t^2 - 2,600 t + 1,660 = 0,
    t = 1 + r: t = 1.3 -/+ sqrt(0.03), so r = 0.3 - sqrt(0.03) = 0.126795 and r = 0.3 + sqrt(0.03) = 0.473205.
    Neither lies on the search's grid (steps of 0.00025), so each is found by bisection; going out from the
    rate as written, the nearer one."""
    from cba.engine.sweep import switching_value

    (tmp_path / "t.csv").write_text(
        "id,description,unit,value,price_year,agency,value_type,cashable,confidence,source\n"
        "case,A case avoided,per case,2600,2020/21,Local Authority,fiscal,true,3,hand-made\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text(TWO_CROSSINGS.format(rate=written), encoding="utf-8")
    loaded = load(tmp_path / "s.yaml")
    model = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference), True)
    root = {"low": 0.3 - 0.03 ** 0.5, "high": 0.3 + 0.03 ** 0.5}[nearest]
    assert switching_value(model, "appraisal.discount_rate", (), "npv") == pytest.approx(root, abs=1e-10)


def test_a_linear_inputs_switching_value_far_from_the_value_as_written():
    """Dorset with -a lac against a grant of £1 billion: 1,000,000,000 / 60 = £16,666,666.67 a child-year covers
    it, 284 times the £58,664 written (a search that looked only within 100 times missed it); and a change of
    -1,000,000,000 / 58,664 = -17,046.233 children. With no cost at all, the zero is where nothing is saved."""
    from dataclasses import replace

    from cba.engine.sweep import switching_value

    loaded = load(DORSET)
    model = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference,
                                  attributable=["lac"]), False)
    billion = replace(model, cost=1e9)
    assert switching_value(billion, "lac-year", ["lac"]) == pytest.approx(1e9 / 60, rel=1e-12)
    assert switching_value(billion, "lac", ["lac"]) == pytest.approx(-1e9 / LAC, rel=1e-12)
    free = replace(model, cost=0.0)
    assert switching_value(free, "lac", ["lac"]) == 0.0
    assert switching_value(free, "lac-year", ["lac"]) == 0.0
    assert switching_value(free, "lac.deadweight", ["lac"]) == 1.0  # all of it would have happened anyway: exactly
    # on the actual basis (£1,833,165 spent), the spend of every line cut by 100% leaves the benefit of 60 fewer
    # looked-after children, £3,519,840 > 0, and no cut reaches zero: on its own the first line (Programme
    # Management, £279,594) is cut by 100% at -1 exactly when nothing else costs or saves anything
    spent = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference,
                                  basis=NetPositionBasis.actual), False)
    first_only = replace(spent, terms=[], cost_terms=spent.cost_terms[:1], cost=spent.cost_terms[0].total)
    assert switching_value(first_only, "costs.0") == -1.0
    # a deadweight share (0 to 1) that would need to be negative: 3,519,840 x (1 - d) = 1e9 has no share
    assert switching_value(billion, "lac.deadweight", ["lac"]) is None
    # and one inside its bounds: 3,519,840 x (1 - d) = 1,849,537 at d = 1 - 1,849,537 / 3,519,840 = 47.45%
    assert switching_value(model, "lac.deadweight", ["lac"]) == pytest.approx(1 - GRANT / (60 * LAC), abs=1e-12)


def test_a_whole_years_switching_value_never_lies_past_the_last_year_allowed():
    """A lag of 0 to 500 years. Undiscounted, a benefit counts the same in any year within a horizon of 501 years,
    so the net never reaches zero for any lag allowed; at 501, past the last year a scenario may write, the
    horizon would cut it: that is no switching value."""
    from dataclasses import replace

    from cba.engine.sweep import switching_value

    loaded = load(DORSET)
    model = linear_model(appraise(loaded.scenario, loaded.unit_costs, reference=loaded.reference,
                                  attributable=["lac"]), False)
    assert switching_value(replace(model, horizon=501), "lac.timing.start_year", ["lac"]) is None
    assert switching_value(replace(model, horizon=500), "lac.timing.start_year", ["lac"]) == 500
    # a grant equal to the benefit, 60 x £58,664 = £3,519,840: the net is exactly zero at the lag as written (2),
    # and at every other lag, with no horizon; the lag as written is the answer
    assert switching_value(replace(model, cost=60 * 58664.0), "lac.timing.start_year", ["lac"]) == 2


# A normal cut far in its tail: drawn by its inverse CDF, exact (issue 33) ------------------

def tail_quantile(a: float, b: float, p: float) -> float:
    """By hand: the p-quantile of a standard normal cut to [a, b] with 0 < a, by bisection on the upper-tail
    probability 0.5 erfc(x / sqrt 2), which is precise out there."""
    import math

    def tail(x: float) -> float:
        return 0.5 * math.erfc(x / math.sqrt(2))

    low, high = a, b
    for _ in range(200):
        middle = (low + high) / 2
        low, high = (middle, high) if (tail(a) - tail(middle)) / (tail(a) - tail(b)) < p else (low, middle)
    return low


@pytest.mark.parametrize("p", [0.05, 0.5, 0.95])
def test_a_normal_cut_far_in_its_tail_has_its_exact_quantiles(p):
    from cba.model.ranges import TruncatedNormal

    assert TruncatedNormal(0, 1, 8, 9).quantile(p) == pytest.approx(tail_quantile(8, 9, p), abs=1e-9)
    assert TruncatedNormal(0, 1, -9, -8).quantile(1 - p) == pytest.approx(-tail_quantile(8, 9, p), abs=1e-9)
    assert TruncatedNormal(100, 10, 180, 190).quantile(p) == pytest.approx(100 + 10 * tail_quantile(8, 9, p), abs=1e-7)


def test_a_normal_cut_at_one_side_has_its_ends_and_its_middle():
    import math
    from statistics import NormalDist

    from cba.model.ranges import TruncatedNormal

    above = TruncatedNormal(0, 1, 0, math.inf)  # the upper half: its median is the 75th percentile of N(0, 1)
    assert above.quantile(0.5) == pytest.approx(NormalDist().inv_cdf(0.75), abs=1e-12)
    assert above.quantile(0.0) == 0
    assert 8 < above.quantile(1.0) < 40  # the top share: finite, never an error
    below = TruncatedNormal(0, 1, -math.inf, 0)
    assert below.quantile(0.5) == pytest.approx(NormalDist().inv_cdf(0.25), abs=1e-12)
    assert -40 < below.quantile(0.0) < -8 and below.quantile(1.0) == 0
    whole = TruncatedNormal(5, 2, -math.inf, math.inf)
    assert whole.quantile(1.0) > 5 + 2 * 8 and whole.quantile(0.5) == pytest.approx(5, abs=1e-12)
    centred = TruncatedNormal(10, 3, 7, 13)  # symmetric about the mean: mirrored or not, the same
    assert centred.quantile(0.5) == pytest.approx(10, abs=1e-12)
    assert centred.quantile(0.9) == pytest.approx(20 - centred.quantile(0.1), abs=1e-12)



@pytest.mark.parametrize(("low", "high"), [(8, 9), (-9, -8), (1, 3), (-0.5, 3)])
def test_sampling_a_cut_normal_keeps_every_draw_inside_with_the_right_median(low, high):
    from cba.model.ranges import TruncatedNormal
    from cba.model.scenario import Distribution

    d = Distribution.model_validate({"distribution": "normal", "mean": 0, "sd": 1, "low": low, "high": high})
    draws = sample(d, 20_000, np.random.default_rng(7))
    assert draws.min() >= low and draws.max() <= high
    # the median of 20,000 draws lies within 3% of the interval's width of the true median
    assert abs(float(np.median(draws)) - TruncatedNormal(0, 1, low, high).quantile(0.5)) < 0.03 * (high - low)


def test_redrawing_a_cut_normal_is_bounded_then_the_inverse_cdf_draws_the_rest():
    """Redrawing what falls outside is kept while at least half the mass is inside ([0, inf) holds exactly
    half), for at most 100 rounds; whatever is still outside then comes from the inverse CDF. A generator
    whose normals always miss shows the bound: one first draw and exactly 100 redraws, then no loop."""
    import math

    from cba.engine.sweep import MOST_REDRAWS
    from cba.model.scenario import Distribution

    class AlwaysMissing:
        def __init__(self) -> None:
            self.normals = 0
            self.inner = np.random.default_rng(1)

        def normal(self, mean, sd, size):
            self.normals += 1
            assert self.normals <= 1000, "redrawing without a bound"
            return np.full(size, -1.0)  # below low = 0: outside, every time

        def uniform(self, low, high, size):
            return self.inner.uniform(low, high, size)

    d = Distribution.model_validate({"distribution": "normal", "mean": 0, "sd": 1, "low": 0})
    rng = AlwaysMissing()
    draws = sample(d, 1000, rng)  # type: ignore[arg-type]
    assert rng.normals == 1 + MOST_REDRAWS == 101
    assert draws.min() >= 0 and not math.isinf(draws.max())
    assert abs(float(np.median(draws)) - 0.6745) < 0.1  # the upper half's median: N(0, 1)'s 75th percentile
