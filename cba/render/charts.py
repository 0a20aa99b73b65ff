"""Charts for the HTML report, drawn by matplotlib as inline SVG.

Only ``cba report`` imports this module (matplotlib takes longer to import than cba takes to
appraise Dorset). Figures arrive computed; a chart only places them. Text in the SVG stays
text (searchable, read by screen readers, and escaped by matplotlib's SVG writer), and the
palette is Okabe-Ito, which stays distinct under the common colour-vision deficiencies.
"""

from __future__ import annotations

import io
from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from cba.render.format import fmt_gbp

#: Okabe & Ito (2008), "Color Universal Design".
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#6b6b6b"

plt.rcParams.update(
    {
        "svg.fonttype": "none",  # text as <text>, not paths
        "svg.hashsalt": "cba",  # the same figures give the same file
        "text.parse_math": False,  # a '$' in a name is a pound-less dollar, not TeX
        "font.family": "sans-serif",
        "font.size": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlelocation": "left",
        "axes.titleweight": "bold",
    }
)


def _pounds(value: float, _position: object = None) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.1f}m"
    if value >= 1_000:
        return f"{sign}£{value / 1_000:,.0f}k"
    return f"{sign}£{value:,.0f}"


def _svg(figure, title: str) -> str:
    """The figure as an SVG element carrying a <title> for assistive technology."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    head_end = svg.index(">") + 1
    from html import escape

    return (
        svg[:head_end].replace("<svg ", '<svg role="img" aria-label="' + escape(title) + '" ', 1)
        + f"<title>{escape(title)}</title>"
        + svg[head_end:]
    )


def _floats(values: list[Decimal]) -> list[float]:
    return [float(v) for v in values]


def budget_actual(periods: list[str], budget: list[Decimal], actual: list[Decimal]) -> str:
    """Grouped bars: budget and actual spend in each period."""
    figure, axes = plt.subplots(figsize=(7, 3.2))
    x = range(len(periods))
    width = 0.38
    axes.bar([i - width / 2 for i in x], _floats(budget), width, label="Budget", color=BLUE)
    axes.bar(
        [i + width / 2 for i in x], _floats(actual), width, label="Actual", color=ORANGE, hatch="//", edgecolor="white"
    )
    axes.set_xticks(list(x), periods)
    axes.yaxis.set_major_formatter(FuncFormatter(_pounds))
    axes.legend(frameon=False)
    axes.set_title("Budget and actual spend by year")
    return _svg(figure, "Bar chart: budget and actual spend in each year")


def cumulative(
    years: list[str],
    costs: list[Decimal],
    fiscal: list[Decimal],
    benefits: list[Decimal],
    payback: Decimal | None,
    discounted: bool,
    headline_cost: tuple[str, Decimal] | None = None,
) -> str:
    """Cumulative costs, fiscal benefits and all benefits by year, with the payback point (fiscal, as defined).

    ``headline_cost`` (label, amount): the cost the headline sets against the benefits, drawn as a level
    line when it is not where the yearly costs end (funding received against actual spend), so the chart
    never shows a different total from the headline without saying so.
    """
    figure, axes = plt.subplots(figsize=(7, 3.2))
    # A cumulative total stands at the end of its year, and payback counts years from the start of year 0,
    # so year t's point sits at t + 1: a payback of 1.36 years falls between the ends of years 0 and 1.
    x = [t + 1 for t in range(len(years))]
    kind = "present value" if discounted else "undiscounted"
    axes.plot(x, _floats(costs), color=VERMILLION, marker="s", label=f"Cumulative costs ({kind})")
    axes.plot(x, _floats(fiscal), color=GREEN, marker="o", linestyle="--", label=f"Cumulative fiscal benefits ({kind})")
    if benefits != fiscal:
        axes.plot(
            x, _floats(benefits), color=BLUE, marker="^", linestyle=":", label=f"Cumulative benefits, all ({kind})"
        )
    if headline_cost is not None:
        label, amount = headline_cost
        axes.axhline(
            float(amount),
            color=VERMILLION,
            linestyle="-.",
            linewidth=1,
            label=f"{label}: {fmt_gbp(amount, pence=False)}",
        )
    if payback is not None:
        axes.axvline(float(payback), color=GREY, linestyle=":", linewidth=1)
        axes.annotate(
            f"payback after {float(payback):.2f} years",
            (float(payback), 0),
            xytext=(4, 6),
            textcoords="offset points",
            color=GREY,
            fontsize=9,
        )
    axes.set_xticks(x, [f"end of\n{y}" for y in years])
    axes.set_xlim(0, len(years) + 0.3)
    axes.yaxis.set_major_formatter(FuncFormatter(_pounds))
    axes.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2)
    axes.set_title("Cumulative costs and benefits")
    words = f"payback after {float(payback):.2f} years" if payback is not None else "no payback within the period"
    if headline_cost is not None:
        words += f"; {headline_cost[0]}, {fmt_gbp(headline_cost[1], pence=False)}, marked as a level line"
    return _svg(figure, f"Line chart: cumulative costs and benefits by year ({kind}); {words}")


def histogram(lows: list[Decimal], highs: list[Decimal], draws: list[Decimal], measure: str) -> str:
    """The distribution of the simulated headline: one bar per bin, zero marked."""
    figure, axes = plt.subplots(figsize=(7, 3.2))
    lefts, widths = _floats(lows), [float(h - lo) for lo, h in zip(lows, highs)]
    colours = [VERMILLION if float(h) <= 0 else BLUE for h in highs]
    axes.bar(lefts, _floats(draws), widths, align="edge", color=colours, edgecolor="white")
    axes.axvline(0, color=GREY, linestyle=":", linewidth=1)
    axes.xaxis.set_major_formatter(FuncFormatter(_pounds))
    axes.set_ylabel("draws")
    axes.set_title(f"Distribution of the {measure}")
    return _svg(figure, f"Histogram of the simulated {measure}; bars at or below zero in vermillion")


def tornado(labels: list[str], at_low: list[Decimal], at_high: list[Decimal], base: Decimal, measure: str) -> str:
    """Each input's swing around the figure as written, widest first (as the engine ranked them)."""
    figure, axes = plt.subplots(figsize=(7, 0.5 + 0.45 * max(len(labels), 1)))
    y = list(range(len(labels)))[::-1]
    centre = float(base)
    axes.barh(y, [float(v) - centre for v in at_low], left=centre, color=BLUE, label="input at its 5th percentile")
    axes.barh(
        y,
        [float(v) - centre for v in at_high],
        left=centre,
        color=ORANGE,
        hatch="//",
        edgecolor="white",
        label="input at its 95th percentile",
    )
    axes.axvline(centre, color=GREY, linewidth=1)
    axes.set_yticks(y, labels)
    axes.xaxis.set_major_formatter(FuncFormatter(_pounds))
    axes.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
    axes.set_title(f"Tornado: what moves the {measure}")
    return _svg(figure, f"Tornado chart: the {measure} with each uncertain input at its 5th and 95th percentile")
