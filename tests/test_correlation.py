"""Correlated ranges (Iman and Conover) and the expected value of perfect information, against analytic cases.

Both scenarios below are one year, the price base: nothing is discounted or uprated, so the NPV is the sum of
the unit costs drawn less the cost, and its distribution is known exactly when the unit costs are normal.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pytest

from cba.engine.correlation import correlate, normal_quantile
from cba.model.ranges import pearson_of_scores

from .conftest import cli, only_problem

TABLE = """\
id,description,unit,value,price_year,agency,agency_detail,value_type,cashable,confidence,source,url,notes
u1,First saving,per case,150000,2022/23,Local Authority,,fiscal,true,1,test,,
u2,Second saving,per case,50000,2022/23,Local Authority,,fiscal,true,1,test,,
"""
SCENARIO = """\
name: Two normal savings
organisation: Test
price_base: 2022/23
periods: [2022/23]
unit_costs: table.csv
net_position_basis: budget
appraisal: {{discounting: green_book}}
cost_lines:
  - name: Service
    budget: {{2022/23: {cost}}}
outcomes:
  - {{id: a, measure: a, volumes: {{2022/23: 1}}, unit_cost: u1, attributable: true}}
  - {{id: b, measure: b, volumes: {{2022/23: {b}}}, unit_cost: u2, attributable: true}}
uncertainty:
  unit_costs:
    u1: {{distribution: normal, mean: 150000, sd: {sd1}}}
    u2: {{distribution: normal, mean: 50000, sd: 10000}}
{correlations}"""


def _scenario(tmp_path: Path, *, cost: int = 100000, b: int = 1, sd1: int = 30000, correlations: str = "") -> Path:
    (tmp_path / "table.csv").write_text(TABLE, encoding="utf-8")
    path = tmp_path / "two.yaml"
    path.write_text(SCENARIO.format(cost=cost, b=b, sd1=sd1, correlations=correlations), encoding="utf-8")
    return path


def _simulate(path: Path, draws: int = 200_000) -> dict:
    result = cli("simulate", path, "--draws", draws, "--seed", 11, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_normal_scores_match_the_inverse_normal():
    p = np.array([1e-9, 0.001, 0.02425, 0.025, 0.5, 0.8, 0.975, 0.999999])
    expected = [NormalDist().inv_cdf(x) for x in p]
    assert np.allclose(normal_quantile(p), expected, rtol=2e-9, atol=1e-9)
    assert round(float(normal_quantile(np.array([0.975]))[0]), 6) == 1.959964  # the familiar 1.96


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx, ry = np.argsort(np.argsort(x)), np.argsort(np.argsort(y))
    return float(np.corrcoef(rx, ry)[0, 1])


def test_iman_conover_gives_the_rank_correlations_and_keeps_each_range():
    rng = np.random.default_rng(5)
    n = 200_000
    drawn = {"a": rng.uniform(0, 1, n), "b": rng.triangular(0, 3, 4, n), "c": rng.normal(0, 1, n),
             "d": rng.uniform(0, 1, n)}
    out = correlate(drawn, [("a", "b", 0.6), ("b", "c", -0.3)], rng)
    assert abs(_spearman(out["a"], out["b"]) - 0.6) < 0.01
    assert abs(_spearman(out["b"], out["c"]) + 0.3) < 0.01
    assert abs(_spearman(out["a"], out["c"])) < 0.25  # implied by the two, not asked for
    for key in drawn:  # each input keeps exactly the draws it had: its distribution is untouched
        assert np.array_equal(np.sort(out[key]), np.sort(drawn[key]))
    assert out["d"] is drawn["d"]  # an input in no pair is left as drawn


def test_correlated_normal_savings_spread_as_the_analytic_case(tmp_path):
    """NPV = u1 + u2 - 100,000 with u1 ~ N(150,000, 30,000), u2 ~ N(50,000, 10,000). With rank correlation
    0.7 the normal scores, and so the normals themselves, have Pearson correlation r = 2 sin(0.7 pi / 6);
    the NPV is normal with sd sqrt(30,000^2 + 10,000^2 + 2 r 30,000 x 10,000). Independent: sqrt(1e9)."""
    for correlations, rho in (("", 0.0), ("  correlations:\n    - {between: [u1, u2], rank: 0.7}\n",
                                          2 * math.sin(0.7 * math.pi / 6))):
        data = _simulate(_scenario(tmp_path, correlations=correlations))
        row = {r["statistic"]: r for r in data["tables"]["percentiles"]["rows"]}
        sd = math.sqrt(30000**2 + 10000**2 + 2 * rho * 30000 * 10000)
        width = float(row["95th percentile"]["npv"]) - float(row["5th percentile"]["npv"])
        assert abs(width / (2 * 1.6448536 * sd) - 1) < 0.015, (correlations, width, sd)
        assert abs(float(row["Mean"]["npv"]) - 100000) < 300
        assert ("Rank correlations" in " ".join(data["notes"])) == bool(correlations)
    assert round(pearson_of_scores(0.7), 6) == 0.716736


def test_the_expected_value_of_perfect_information_by_hand(tmp_path):
    """NPV = u1 - 100,000 (u2's outcome has no volume), u1 ~ N(150,000, 40,000): NPV ~ N(50,000, 40,000).
    EVPI = E[max(NPV, 0)] - max(E[NPV], 0) = sigma phi(mu / sigma) + mu Phi(mu / sigma) - mu = £2,023.47."""
    mu, sigma = 50000.0, 40000.0
    z = mu / sigma
    evpi = sigma * NormalDist().pdf(z) + mu * NormalDist().cdf(z) - mu
    assert round(evpi, 2) == 2023.47
    data = _simulate(_scenario(tmp_path, b=0, sd1=40000))
    got = float(data["facts"]["evpi"]["value"])
    assert abs(got - evpi) < 75, got  # about five standard errors of the estimate at 200,000 draws
    # a decision no draw disputes is worth nothing to learn more about: every NPV above zero
    sure = _simulate(_scenario(tmp_path, b=0, sd1=1000), draws=20_000)  # N(50,000, 1,000): 50 sd above 0
    assert sure["facts"]["evpi"]["value"] == "0.00"
    # and a decision every draw says no to: N(-50,000, 1,000), never funded, nothing to learn
    never = _simulate(_scenario(tmp_path, cost=200000, b=0, sd1=1000), draws=20_000)
    assert never["facts"]["evpi"]["value"] == "0.00"


@pytest.mark.parametrize(
    ("correlations", "message"),
    [
        ("    - {between: [u1, u9], rank: 0.5}\n", "'u9' has no range in the uncertainty block"),
        ("    - {between: [u1, u1], rank: 0.5}\n", "'u1' is named twice"),
        ("    - {between: [u1, u2], rank: 1}\n", "must lie strictly between -1 and 1"),
        ("    - {between: [u1, u2], rank: -1}\n", "rank -1 must lie strictly between -1 and 1"),
        ("    - {between: [u1, u2], rank: 0.5}\n    - {between: [u2, u1], rank: 0.2}\n", "already correlated"),
    ],
)
def test_a_correlation_that_cannot_be_drawn_is_one_clear_line(tmp_path, correlations, message):
    path = _scenario(tmp_path, correlations="  correlations:\n" + correlations)
    line = only_problem(path)
    assert line.startswith(f"{path}:") and message in line, line
    if "u9" in correlations:  # at the name, listing what is ranged
        text = path.read_text(encoding="utf-8").splitlines()
        row = next(i for i, t in enumerate(text, start=1) if "u9" in t)
        assert line.startswith(f"{path}:{row}:{text[row - 1].index('u9') + 1}: ") and "(u1, u2)" in line, line


def test_every_bad_correlation_is_reported_where_it_is_written(tmp_path):
    path = _scenario(tmp_path, correlations="  correlations:\n    - {between: [u1, u1], rank: 0.5}\n"
                                            "    - {between: [u1, u2], rank: 2}\n"
                                            "    - {between: [u1, u2], rank: 0.3}\n"
                                            "    - {between: [u2, u1], rank: 0.3}\n"
                                            "    - {between: [u2, u9], rank: 0.1}\n")
    result = cli("validate", path)
    lines = [line.removeprefix(f"{path}:") for line in result.stderr.strip().splitlines()]
    assert result.exit_code == 1 and len(lines) == 4, lines
    # each at the value it is about: the pair's list, the rank, the repeated item, the unknown name
    assert lines[0].startswith("19:17: 'u1' is named twice")
    assert lines[1].startswith("20:33: rank 2 must lie strictly between -1 and 1")
    assert lines[2].startswith("22:7: this pair is already correlated (correlations[2])")
    assert lines[3].startswith("23:22: 'u9' has no range")
    impossible = _scenario(tmp_path, correlations="  correlations:\n    - {between: [u1, u2], rank: 0.9}\n")
    impossible.write_text(impossible.read_text(encoding="utf-8").replace("rank: 0.9", "rank: 0.99")
                          .replace("u2: {distribution", "u2: {distribution"), encoding="utf-8")
    assert cli("validate", impossible).exit_code == 0  # possible: one pair, however strong, short of 1


def test_a_negative_correlation_is_possible_and_an_unnamed_pair_is_independent(tmp_path):
    assert cli("validate", _scenario(tmp_path, correlations="  correlations:\n    - {between: [u1, u2], rank: -0.5}\n")
               ).exit_code == 0
    # three inputs, two pairs named and the third left independent (0): possible, so drawn
    text = _scenario(tmp_path).read_text(encoding="utf-8").replace(
        "  - {id: b,", "  - {id: c, measure: c, volumes: {2022/23: 1}, unit_cost: u3, attributable: true}\n  - {id: b,"
    )
    text += ("    u3: {distribution: uniform, low: 500, high: 1500}\n  correlations:\n"
             "    - {between: [u1, u2], rank: 0.5}\n    - {between: [u2, u3], rank: 0.5}\n")
    (tmp_path / "table.csv").write_text(TABLE + "u3,Third,per case,1000,2022/23,Local Authority,,fiscal,true,1,t,,\n",
                                        encoding="utf-8")
    three = tmp_path / "three.yaml"
    three.write_text(text, encoding="utf-8")
    assert cli("validate", three).exit_code == 0


def test_impossible_correlations_together_are_refused(tmp_path):
    text = _scenario(tmp_path).read_text(encoding="utf-8").replace(
        "  - {id: b,", "  - {id: c, measure: c, volumes: {2022/23: 1}, unit_cost: u3, attributable: true}\n  - {id: b,"
    )
    text += (
        "    u3: {distribution: uniform, low: 500, high: 1500}\n  correlations:\n"
        "    - {between: [u1, u2], rank: 0.9}\n    - {between: [u2, u3], rank: 0.9}\n"
        "    - {between: [u1, u3], rank: -0.9}\n"
    )
    (tmp_path / "table.csv").write_text(TABLE + "u3,Third,per case,1000,2022/23,Local Authority,,fiscal,true,1,t,,\n",
                                        encoding="utf-8")
    path = tmp_path / "three.yaml"
    path.write_text(text, encoding="utf-8")
    row = text.splitlines().index("    - {between: [u1, u2], rank: 0.9}") + 1
    line = only_problem(path)  # at the list of correlations, which together are the fault
    assert line.startswith(f"{path}:{row}:5: taken together these correlations are impossible"), line


def test_too_few_draws_or_one_ranged_input_are_left_as_drawn():
    rng = np.random.default_rng(1)
    few = {"a": rng.uniform(0, 1, 9), "b": rng.uniform(0, 1, 9)}  # nine draws: left as drawn; ten are ordered
    out = correlate(few, [("a", "b", 0.9)], rng)
    assert out["a"] is few["a"] and out["b"] is few["b"]
    enough = {"a": rng.uniform(0, 1, 10), "b": rng.uniform(0, 1, 10)}
    out = correlate(enough, [("a", "b", 0.9)], rng)
    assert not (np.array_equal(out["a"], enough["a"]) and np.array_equal(out["b"], enough["b"]))
    alone = {"a": rng.uniform(0, 1, 1000)}  # its partner is not drawn: nothing to pair it with
    assert correlate(alone, [("a", "z", 0.5)], rng)["a"] is alone["a"]


def test_shuffles_that_keep_falling_in_step_leave_the_draws_as_drawn():
    """A generator whose shuffles never move anything: every pair of score columns is identical, so their
    correlation matrix cannot be factored; after its reshuffles the draws are left as they were."""

    class InStep:
        def permutation(self, x):
            return np.array(x)

    drawn = {"a": np.linspace(0, 1, 50), "b": np.linspace(1, 0, 50)}
    out = correlate(drawn, [("a", "b", 0.5)], InStep())  # type: ignore[arg-type]
    assert out["a"] is drawn["a"] and out["b"] is drawn["b"]


def test_the_rule_factors_a_correlation_matrix_as_numpy_does():
    """The rule's own Cholesky (checking imports no numpy) against numpy's eigenvalues, on matrices either side."""
    from cba.check.uncertainty import is_positive_definite

    for a, b, c in ((0.9, 0.9, 0.5), (0.9, 0.9, 0.7), (0.5, 0.5, -0.5), (0.5, 0.5, 0.0), (0.95, -0.95, 0.9)):
        matrix = [[1.0, a, c], [a, 1.0, b], [c, b, 1.0]]
        assert is_positive_definite(matrix) == bool(np.all(np.linalg.eigvalsh(matrix) > 0)), (a, b, c)
