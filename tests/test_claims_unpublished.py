"""A claim whose realised value is not published (issue 30, item 3): shown alone on every face, never set against
the benefits, never a shortfall of the whole claim.

Dorset's proposal claimed £9,314,674 of annual savings by the end of year 3, 'almost 26%' of £36,036,769
(Appendix 4); cba sets it against the attributable benefits it finds for 2018/19. Here the claim says its realised
value was not published.
"""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook

from tests.conftest import DORSET, cli

WRITTEN = "    period: 2018/19\n    share_of:"


def _unpublished(write_scenario):
    text = DORSET.read_text(encoding="utf-8")
    assert WRITTEN in text
    return write_scenario(text.replace(WRITTEN, "    period: 2018/19\n    realised: not published\n    share_of:"))


def test_an_unpublished_realised_value_is_said_on_every_face(write_scenario, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    path = _unpublished(write_scenario)
    data = json.loads(cli("run", path, "--format", "json").stdout)
    (claim,) = data["claims"]
    assert claim["claimed"] == "9314674.00" and claim["claimed_share_pct"] == "25.847695"  # 9,314,674 / 36,036,769 x 100 = 25.84769461...
    assert (claim["realised"], claim["realised_note"], claim["difference"], claim["realised_pct_of_claim"]) == (
        None, "not published", None, None)
    plain = json.loads(cli("run", DORSET, "--format", "json").stdout)
    assert data["headlines"] == plain["headlines"]  # a claim never moves a headline
    row = next(line for line in cli("run", path).stdout.splitlines() if "Annual savings by the end of year 3" in line)
    assert "not published" in row and "-£9,314,674" not in row
    rows = [r for r in csv.reader(io.StringIO(cli("run", path, "--format", "csv").stdout)) if r[0] == "claim"]
    assert ["claim", claim["label"], "text", "realised", "2018/19", "not published"] in rows
    assert [r[5] for r in rows if r[3] in ("realised", "difference") and r[2] == "money"] == ["", ""]
    book = tmp_path / "d.xlsx"
    assert cli("export", path, "-o", book).exit_code == 0
    ws = load_workbook(book)["Claims"]
    assert (ws["E2"].value, ws["F2"].value) == ("not published", None)
    report = tmp_path / "d.html"
    assert cli("report", path, "-o", report).exit_code == 0
    assert '<td class="n" data-label="Realised">not published</td>' in report.read_text(encoding="utf-8")


def test_realised_takes_only_not_published(write_scenario):
    text = DORSET.read_text(encoding="utf-8").replace(WRITTEN, "    period: 2018/19\n    realised: 0\n    share_of:")
    result = cli("validate", write_scenario(text))
    assert result.exit_code == 1 and ":220:15: " in result.stderr and "not published" in result.stderr
