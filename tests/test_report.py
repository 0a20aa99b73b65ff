"""`cba report`: one self-contained HTML page, opened in Debian's Chromium (headless) with the network blocked.

Chromium is the system binary (``apt-get install chromium``; the README's test command installs it);
Playwright drives it and never downloads a browser. Each page must: log no console error, make no
request that leaves the file, show every headline figure exactly as ``--format json`` gives it, keep
user text as text, hide no figure at 390, 768 or 1280 px nor on an A4 page (no table wider than its box,
no figure broken across lines), and print to a PDF with its sections. The screenshots land in the test's
temporary folder to be looked at.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import DORSET, ROOT, cli

EDGE = ROOT / "scenarios" / "edge-of-care-example.yaml"
UNCERTAIN = ROOT / "scenarios" / "dorset-rsw-uncertain.yaml"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: As the machine notes give them: headless as root, and no background connections to Google's hosts.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CASES = {
    "dorset": [DORSET],
    "dorset-lac-green-book": [DORSET, "-a", "lac", "--green-book"],
    "edge-of-care": [EDGE],
    "dorset-uncertain": [UNCERTAIN, "--green-book"],  # the default draws: those of run's headline
    "care-proceedings": [ROOT / "scenarios" / "care-proceedings-example.yaml"],  # one outcome, five values
    "quarterly": [ROOT / "scenarios" / "quarterly-follow-up-example.yaml"],  # quarters
}
SECTIONS = ["What the programme cost and what it saved", "Budget and actual spend", "Reconciliation with the published figures",
            "Outcomes and their value", "Sources and provenance"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is needed: apt-get install chromium (see the README)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _open(browser, path: Path, width: int):
    """The page at ``width`` pixels, with every request that is not the file itself refused and recorded."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    seen = {"errors": [], "outside": []}
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    def gate(route):
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            seen["outside"].append(route.request.url)
            route.abort()

    page.route("**/*", gate)
    page.goto(path.as_uri())
    return page, seen


#: Every table wider than its box (a figure hidden off to the side), the page's own width, and every figure
#: (``<span class="m">``) the browser laid out on more than one line.
CLIPPED = """() => ({
  tables: [...document.querySelectorAll("table")].filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)
            .map(t => [t.id, t.scrollWidth, t.parentElement.clientWidth]),
  page: document.documentElement.scrollWidth,
  broken: [...document.querySelectorAll(".m")].filter(m => m.getClientRects().length > 1).map(m => m.textContent),
})"""


def _clipped(page) -> dict:
    return page.evaluate(CLIPPED)


def _report(tmp_path: Path, name: str, args: list) -> Path:
    out = tmp_path / f"{name}.html"
    result = cli("report", *args, "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.mark.parametrize("name", CASES)
def test_report_in_a_real_browser(browser, tmp_path, name):
    args = CASES[name]
    path = _report(tmp_path, name, args)
    json_args = [a for a in args if a not in ("-n", "2000")]
    document = json.loads(cli("run", *json_args, "-f", "json").stdout)
    page, seen = _open(browser, path, 1280)

    # Every headline: the page's exact value is the JSON's, and the figure shown is that value written out.
    shown = {cell.get_attribute("data-key"): (cell.get_attribute("data-value"), cell.inner_text())
             for cell in page.query_selector_all("#headlines td[data-key]")}
    assert set(shown) == set(document["headlines"])
    for key, figure in document["headlines"].items():
        exact, text = shown[key]
        assert exact == (figure["value"] or ""), key
        if figure["kind"] == "money" and figure["value"] is not None:
            assert Decimal(text.replace("£", "").replace(",", "")) == Decimal(figure["value"]), (key, text)
    lead = page.query_selector(".headline .figure")
    assert lead.query_selector(".m"), "the headline figure is not kept whole"
    assert lead.get_attribute("data-key") == document["headline"]
    assert "%:" not in page.inner_text("main"), "a label ending in % before a figure shown with %"
    if name == "dorset":  # the chart's costs are actual spend; the headline's cost, funding, is drawn and named
        caption = page.inner_text("figure:has(svg[aria-label*='cumulative']) figcaption")
        assert "actual spend, £1,833,165 in all; the headline's cost is funding received, £1,849,537" in caption
    assert lead.get_attribute("data-value") == document["headlines"][document["headline"]]["value"]

    # Accessible: every table has a caption, every chart is an image with a text alternative.
    assert page.eval_on_selector_all("table", "ts => ts.every(t => t.caption && t.caption.textContent.trim())")
    charts = page.query_selector_all("figure svg")
    assert charts and all(svg.get_attribute("role") == "img" and svg.get_attribute("aria-label") for svg in charts)
    if name == "care-proceedings":  # a row per value, each payer's share beside its unit cost
        rows = page.inner_text("#outcome-values")
        assert "Applications for a care order: legal aid" in rows and "£15,000 Each (2005/06 prices × 1.3157) × share 0.8" in rows
    if name == "dorset-uncertain":
        assert len(charts) == 4  # budget vs actual, cumulative, distribution, tornado
        assert page.query_selector("#tornado") and page.query_selector("#percentiles")

    page.screenshot(path=str(tmp_path / f"{name}-1280.png"), full_page=True)
    page.pdf(path=str(tmp_path / f"{name}.pdf"), format="A4")
    assert not seen["errors"], seen["errors"]
    assert not seen["outside"], seen["outside"]
    page.close()

    for width in (390, 768, 1280):
        view, seen = _open(browser, path, width)
        view.screenshot(path=str(tmp_path / f"{name}-{width}.png"), full_page=True)
        assert _clipped(view) == {"tables": [], "page": width, "broken": []}, width
        assert not seen["errors"] and not seen["outside"]
        view.close()
    for png in (f"{name}-1280.png", f"{name}-390.png"):
        assert (tmp_path / png).stat().st_size > 10_000
    # Print: the A4 page less its 15 mm margins is 180 mm, 680 CSS pixels; every table fits it.
    printed_view, _ = _open(browser, path, 680)
    printed_view.emulate_media(media="print")
    assert _clipped(printed_view) == {"tables": [], "page": 680, "broken": []}, "print"
    printed_view.close()

    from pypdf import PdfReader

    printed = " ".join(p.extract_text() for p in PdfReader(str(tmp_path / f"{name}.pdf")).pages)
    printed = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", printed))  # the PDF's "ﬁ" ligatures as "fi"
    for section in SECTIONS + (["Appraisal (Green Book / GM CBA)"] if document["settings"]["appraised"] else []):
        assert section in printed, section


def test_scenario_text_stays_text_in_the_page(browser, tmp_path, dorset_text):
    hostile = dorset_text.replace(
        'name: "Reinvigorating Social Work (RSW), Dorset"',
        'name: "<script>window.__pwned = 1</script><b id=injected>bold</b>"', 1).replace(
        'measure: "Referrals to children\'s social care"', 'measure: "<img src=x onerror=alert(1)>Referrals"', 1)
    assert "window.__pwned" in hostile and "<img src=x" in hostile
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(hostile, encoding="utf-8")
    path = _report(tmp_path, "hostile", [scenario, "--unit-costs", ROOT / "unit_costs" / "children-social-care.csv"])
    page, seen = _open(browser, path, 1280)
    assert page.evaluate("window.__pwned") is None
    assert page.query_selector("#injected") is None and page.query_selector("img") is None
    # --unit-costs makes it a what-if, and the title says so before the (inert) name
    assert page.inner_text("#title") == "What-if: <script>window.__pwned = 1</script><b id=injected>bold</b>"
    assert "<img src=x onerror=alert(1)>Referrals" in page.inner_text("#outcome-values")
    assert not seen["errors"] and not seen["outside"]
    page.close()


def test_report_refuses_a_wrong_extension_and_an_existing_file(tmp_path):
    result = cli("report", DORSET, "-o", tmp_path / "report.pdf")
    assert result.exit_code == 2 and "an HTML report file name must end in .html" in result.stderr
    existing = tmp_path / "mine.html"
    existing.write_text("mine", encoding="utf-8")
    result = cli("report", DORSET, "-o", existing)
    assert result.exit_code == 1 and existing.read_text(encoding="utf-8") == "mine"
