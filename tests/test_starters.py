"""`cba init` writes starters that validate and run; the documented field reference is the models'."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest

from tests.conftest import ROOT, cli


@pytest.mark.parametrize("kind", ["evaluation", "business-case"])
def test_init_writes_a_scenario_that_validates_and_runs(tmp_path, kind):
    path = tmp_path / "programme.yaml"
    result = cli("init", path, "--kind", kind)
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=scenario.schema.json")
    assert (tmp_path / "scenario.schema.json").is_file()
    assert cli("validate", path).exit_code == 0
    run = cli("run", path, "-f", "json")
    assert run.exit_code == 0, run.stderr
    figures = {k: v["value"] for k, v in json.loads(run.stdout)["headlines"].items()}
    if kind == "evaluation":
        # Budget 90,000 + 110,000 + 20,000; actual 85,000 + 112,000 + 18,500 + 3,000 (unplanned venue hire).
        assert Decimal(figures["budget_total"]) == 220000 and Decimal(figures["actual_total"]) == 218500
        # Nothing attributable, so the net position is the grant: -£250,000.
        assert Decimal(figures["net_position"]) == -250000
    else:
        assert figures["npv"] is not None and run.stdout.count('"appraised": true') == 1
        assert cli("simulate", path, "-n", "200").exit_code == 0


def test_init_never_overwrites_without_force(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("name: my own work\n", encoding="utf-8")
    result = cli("init", path)
    assert result.exit_code == 1 and "already exists; use --force" in result.stderr
    assert path.read_text(encoding="utf-8") == "name: my own work\n"
    assert cli("init", tmp_path / "x.txt").exit_code == 2


def test_the_documented_field_reference_is_generated_from_the_models():
    from cba.render.field_reference import field_reference

    page = (ROOT / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    found = re.search(r"\]\]\] -->\n(\| Key \|.*?)<!-- \[\[\[end\]\]\] -->", page, re.S)
    assert found, "docs/scenario-format.md has no generated field reference"
    assert found.group(1) == field_reference(), "run: cog -r -I docs docs/scenario-format.md"


def test_field_reference_names_every_key_of_the_schema():
    from cba.render.field_reference import field_reference

    table = field_reference()
    schema = json.loads((ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8"))
    for key in schema["properties"]:
        assert f"| `{key}` |" in table
    for key in ("cost_lines[].budget", "outcomes[].cohort.engagement", "outcomes[].conversion.reason",
                "appraisal.horizon_years", "uncertainty.unit_costs.ID.distribution", "outcomes[].source"):
        assert f"| `{key}` |" in table
