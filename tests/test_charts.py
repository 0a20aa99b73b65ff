"""The report's charts, written as SVG: each figure placed where its value says, worked by hand.

Each chart is parsed as XML (so it is well formed) and its bars, points and lines are measured
against the values given: a bar's height is its amount on the axis's scale, a point for the end of
year t sits at t + 1 on an axis from 0 to n + 0.3, and the payback line sits at the payback.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from cba.render import charts
from cba.render.charts import nice_ticks, pounds_label

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _bars(root: ET.Element) -> list[tuple[float, float, float, float, str]]:
    """Every bar with a tooltip: x, y, width, height, tooltip."""
    out = []
    for rect in root.iter(f"{SVG}rect"):
        tip = rect.find(f"{SVG}title")
        if tip is not None:
            out.append((*(float(rect.get(k)) for k in ("x", "y", "width", "height")), tip.text))
    return out


def test_ticks_are_round_and_cover_the_values():
    # 918,000 over five ticks: a raw step of 183,600, so 2 x 100,000 is the first round step at least that
    assert nice_ticks(0, 918_000) == [0, 200_000, 400_000, 600_000, 800_000, 1_000_000]
    # -1.4m to 2.0m over seven: raw 485,714 -> 500,000; only the ticks inside the span
    assert nice_ticks(-1_400_000, 2_000_000, 7, inside=True) == [
        -1_000_000,
        -500_000,
        0,
        500_000,
        1_000_000,
        1_500_000,
        2_000_000,
    ]
    assert nice_ticks(0, 0) == [-1.0, -0.5, 0.0, 0.5, 1.0]  # nothing to show still gives an axis


@pytest.mark.parametrize(
    ("value", "step", "label"),
    [
        (0, 200_000, "£0"),
        (200_000, 200_000, "£200k"),
        (1_500_000, 500_000, "£1.5m"),
        (-1_000_000, 500_000, "-£1.0m"),
        (1_250_000, 250_000, "£1.25m"),
        (80, 20, "£80"),
        (2.5, 0.5, "£2.5"),
    ],
)
def test_tick_labels_have_the_decimals_their_spacing_needs(value, step, label):
    assert pounds_label(value, step) == label


def test_bar_heights_are_their_amounts_on_one_scale():
    budget = [Decimal("445000"), Decimal("918000.50")]
    actual = [Decimal("40000"), Decimal("0")]
    root = _parse(charts.budget_actual(["2016/17", "2017/18"], budget, actual))
    bars = _bars(root)
    assert [b[4] for b in bars] == [
        "2016/17 budget: £445,000",
        "2016/17 actual: £40,000",
        "2017/18 budget: £918,000.50",
        "2017/18 actual: £0",
    ]
    # The axis runs 0 to 1,000,000 (see the ticks above), so each pound is the same fraction of its height.
    per_pound = bars[2][3] / float(budget[1])  # drawn to a tenth of a unit, so each height within 0.1 of its own
    assert bars[0][3] == pytest.approx(445_000 * per_pound, abs=0.1)
    assert bars[1][3] == pytest.approx(40_000 * per_pound, abs=0.1)
    assert bars[3][3] == 0  # no spend, no bar
    # every bar stands on the zero line: its bottom edge is the same y
    assert len({round(b[1] + b[3], 1) for b in bars}) == 1
    texts = {t.text: float(t.get("y")) for t in root.iter(f"{SVG}text")}
    assert "2017/18" in texts
    # and on the axis's own scale: £1.0m is drawn this far above £0, so £918,000.50 is 0.9180005 of that
    axis = texts["£0"] - texts["£1.0m"]
    assert bars[2][3] == pytest.approx(0.9180005 * axis, abs=0.1)
    assert bars[2][1] + bars[2][3] == pytest.approx(texts["£0"] - 4, abs=0.1)  # standing on the zero line
    assert root.get("role") == "img" and "budget and actual" in root.get("aria-label")


def test_points_sit_at_the_end_of_their_year_and_payback_between():
    years = ["2016/17", "2017/18", "2018/19"]
    costs = [Decimal(100), Decimal(200), Decimal(300)]
    fiscal = [Decimal(0), Decimal(150), Decimal(450)]
    root = _parse(charts.cumulative(years, costs, fiscal, fiscal, Decimal("1.5"), False))
    squares = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    xs = [float(r.get("x")) + 3.5 for r in squares]  # the square marker's centre
    # x runs from 0 to 3.3 years: the points at 1, 2 and 3 are equally spaced, one year apart
    year = xs[1] - xs[0]
    assert xs[2] - xs[1] == pytest.approx(year, abs=0.1)
    left = xs[0] - year  # where year 0 is
    payback = next(line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray") == "2 3")
    assert float(payback.get("x1")) == pytest.approx(left + 1.5 * year, abs=0.1)
    assert any(t.text == "payback after 1.50 years" for t in root.iter(f"{SVG}text"))
    assert "end of 2018/19: £300" in squares[2].find(f"{SVG}title").text
    # all benefits equal to the fiscal ones: drawn once, so two lines in the legend
    assert len(list(root.iter(f"{SVG}polyline"))) == 2


def test_tornado_bars_run_from_the_figure_as_written():
    root = _parse(
        charts.tornado(["a", "b"], [Decimal(50), Decimal(90)], [Decimal(160), Decimal(100)], Decimal(100), "NPV")
    )
    bars = _bars(root)
    first = next(b for b in bars if b[4].startswith("a at its 5th"))
    low_a, high_a, low_b, high_b = bars
    # every bar has one end at the figure as written (100): the low bar of 'a' ends there, the high bar starts there
    assert low_a[0] + low_a[2] == pytest.approx(high_a[0], abs=0.1) == pytest.approx(low_b[0] + low_b[2], abs=0.1)
    # widths are the swings on one scale: 50, 60, 10 and 0
    per_pound = low_a[2] / 50
    assert high_a[2] == pytest.approx(60 * per_pound, abs=0.1) and low_b[2] == pytest.approx(10 * per_pound, abs=0.1)
    assert high_b[2] == pytest.approx(0, abs=0.1) and first is low_a


def test_histogram_bins_at_or_below_zero_are_vermillion():
    root = _parse(
        charts.histogram([Decimal(-20), Decimal(0)], [Decimal(0), Decimal(20)], [Decimal(3), Decimal(7)], "NPV")
    )
    bars = _bars(root)
    root_rects = [r for r in root.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]
    assert [r.get("fill") for r in root_rects] == [charts.VERMILLION, charts.BLUE]
    assert bars[1][3] / bars[0][3] == pytest.approx(7 / 3, rel=1e-3)
    assert [b[4] for b in bars] == ["-£20 to £0: 3 draws", "£0 to £20: 7 draws"]


def test_user_text_is_inert_in_a_chart():
    hostile = "<script>alert(1)</script>\u202e\x85evil"
    svg = charts.tornado([hostile], [Decimal(1)], [Decimal(2)], Decimal(1), "NPV")
    root = _parse(svg)  # still well formed
    assert "<script>" not in svg and "\u202e" not in svg and "\x85" not in svg
    assert any("&lt;script&gt;" in line for line in svg.splitlines())
    assert root.find(f"{SVG}script") is None


def test_the_report_does_not_import_a_plotting_library():
    code = (
        "import sys, runpy\n"
        "sys.argv = ['cba', 'report', 'scenarios/dorset-rsw.yaml', '-o', sys.argv[1], '--force']\n"
        "from cba.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'numpy', 'openpyxl')))\n"
    )
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(
            [sys.executable, "-c", code, f"{folder}/r.html"], capture_output=True, text=True, check=True
        )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_tornado_name_wider_than_the_chart_is_set_narrower_never_cut():
    name = "an input with a very long name " * 4  # 124 characters, wider than the 560-unit drawing
    root = _parse(charts.tornado([name, "short"], [Decimal(1), Decimal(1)], [Decimal(3), Decimal(2)], Decimal(2), "NPV"))
    texts = {t.text: t for t in root.iter(f"{SVG}text")}
    assert texts[name].get("lengthAdjust") == "spacingAndGlyphs"  # every character kept, squeezed to the width
    assert float(texts[name].get("textLength")) <= float(root.get("width"))
    assert texts["short"].get("textLength") is None
    assert root.get("width") == "560.0"  # a long name no longer widens the chart
