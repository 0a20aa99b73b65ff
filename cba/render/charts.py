"""Charts for the HTML report, written as inline SVG.

The four charts are bars, lines, markers and text, so they are written here as SVG elements
rather than drawn by a plotting library: importing matplotlib took half of `cba report` (0.54 s
of about 1 s, issue 32), and the page it made was no better. Figures arrive computed; a chart
only places them, with each figure's exact amount in a ``<title>`` a browser shows on hover.
Text stays text (searchable, read by screen readers, sized with the page), user text is shown
with its controls escaped and then XML-escaped, and the palette is Okabe-Ito, which stays
distinct under the common colour-vision deficiencies; the second series of a bar chart is also
hatched, so the charts read in grey print. Positions are floats: they place pixels, never money.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from decimal import Decimal
from html import escape

from cba.render.format import fmt_gbp
from cba.render.safe import visible

#: Okabe & Ito (2008), "Color Universal Design".
BLUE, ORANGE, GREEN, VERMILLION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#6b6b6b"
INK, RULE, GRID = "#222222", "#444444", "#dddddd"

#: The drawing's own units, shown as pixels on a wide page; a narrower column scales the whole drawing down
#: (width 100%, height auto), so on a 400-pixel phone the 12-unit text is still about 9 pixels tall.
WIDTH = 560
FONT = 12  # px, the axis and legend text
CHAR = 0.6 * FONT  # the width allowed for one character of sans-serif text (wide enough for digits and capitals)
TITLE_FONT = 13
PAD = 8
DASHES = {"-": None, "--": "6 3", ":": "2 3", "-.": "6 3 2 3"}


def _text(value: object) -> str:
    """User or cba text, made inert for SVG: controls shown escaped, then XML-escaped."""
    return escape(visible(str(value)))


def _num(x: float) -> str:
    """A coordinate with one decimal, and no '-0.0'."""
    s = f"{x:.1f}"
    return "0.0" if s == "-0.0" else s


def _width_of(text: str, size: float = FONT) -> float:
    return len(text) * 0.6 * size


def nice_ticks(low: float, high: float, count: int = 5, inside: bool = False) -> list[float]:
    """Round tick values, 1, 2, 2.5 or 5 times a power of ten apart: covering [low, high] (a bar's value axis,
    which starts and ends at a tick), or with ``inside`` only those within it (an axis that spans the data)."""
    if low == high:
        low, high = (low - 1, high + 1) if low == 0 else (min(0.0, low), max(0.0, high))
        if low == high:
            low, high = low - abs(low) * 0.1, high + abs(high) * 0.1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.ceil(low / step - 1e-9) if inside else math.floor(low / step + 1e-9)
    last = math.floor(high / step + 1e-9) if inside else math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _decimals(step: float) -> int:
    """Decimals a tick label needs to show ticks ``step`` apart exactly (0.25 needs two), at most three."""
    return next((d for d in range(3) if abs(round(step, d) - step) <= 1e-9 * max(1.0, step)), 3)


def pounds_label(value: float, step: float) -> str:
    """A tick label in pounds: £1.5m, £250k, £80; as many decimals as the spacing of the ticks needs."""
    if value == 0:
        return "£0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1_000_000 or step >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.{max(1, _decimals(step / 1_000_000))}f}m"
    if value >= 1_000 or step >= 1_000:
        return f"{sign}£{value / 1_000:,.{_decimals(step / 1_000)}f}k"
    return f"{sign}£{value:,.{_decimals(step)}f}"


def _count_label(value: float, step: float) -> str:
    return f"{value:,.{_decimals(step)}f}"


class _Scale:
    """A linear map from data values to drawing units."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        if self.high == self.low:
            return self.start
        return self.start + (value - self.low) * (self.end - self.start) / (self.high - self.low)


def _svg(width: float, height: float, title: str, body: Iterable[str]) -> str:
    """The chart's SVG element: an image with a text alternative, its own title first."""
    label = _text(title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" width="{_num(width)}" '
        f'height="{_num(height)}" viewBox="0 0 {_num(width)} {_num(height)}" font-family="sans-serif" '
        f'font-size="{FONT}" fill="{INK}"><title>{label}</title>' + "".join(body) + "</svg>"
    )


def _hatch(pattern_id: str, colour: str) -> str:
    """A fill of ``colour`` with white diagonal stripes (the second series of a bar chart)."""
    return (
        f'<defs><pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="6" height="6" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{colour}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="white" stroke-width="2"/></pattern></defs>'
    )


def _title(text: str) -> str:
    return f'<text x="{PAD}" y="{PAD + TITLE_FONT}" font-size="{TITLE_FONT}" font-weight="bold">{_text(text)}</text>'


def _rect(x0: float, y0: float, x1: float, y1: float, fill: str, tip: str) -> str:
    """A bar between two corners, with its exact figure as a tooltip."""
    x, y, w, h = min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)
    return (
        f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(w)}" height="{_num(h)}" fill="{fill}">'
        f"<title>{_text(tip)}</title></rect>"
    )


def _line(x0: float, y0: float, x1: float, y1: float, colour: str, width: float = 1, dash: str | None = None) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<line x1="{_num(x0)}" y1="{_num(y0)}" x2="{_num(x1)}" y2="{_num(y1)}" stroke="{colour}" '
        f'stroke-width="{width}"{dashed}/>'
    )


def _marker(shape: str, x: float, y: float, colour: str, tip: str = "") -> str:
    inner = f"<title>{_text(tip)}</title>" if tip else ""
    if shape == "s":
        return f'<rect x="{_num(x - 3.5)}" y="{_num(y - 3.5)}" width="7" height="7" fill="{colour}">{inner}</rect>'
    if shape == "^":
        points = f"{_num(x)},{_num(y - 4.5)} {_num(x - 4.5)},{_num(y + 3.5)} {_num(x + 4.5)},{_num(y + 3.5)}"
        return f'<polygon points="{points}" fill="{colour}">{inner}</polygon>'
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.8" fill="{colour}">{inner}</circle>'


def _legend(items: Sequence[tuple[str, str]], x: float, y: float, columns: int, column_width: float) -> str:
    """Legend entries (swatch SVG drawn at the origin, label) in rows of ``columns``, from (x, y)."""
    out = []
    for i, (swatch, label) in enumerate(items):
        cx, cy = x + (i % columns) * column_width, y + (i // columns) * (FONT + 8)
        out.append(f'<g transform="translate({_num(cx)},{_num(cy)})">{swatch}</g>')
        out.append(f'<text x="{_num(cx + 34)}" y="{_num(cy + 4)}">{_text(label)}</text>')
    return "".join(out)


def _bar_swatch(fill: str) -> str:
    return f'<rect x="0" y="-5" width="26" height="10" fill="{fill}"/>'


def _line_swatch(colour: str, dash: str | None, marker: str | None) -> str:
    return _line(0, 0, 26, 0, colour, 1.6, dash) + (_marker(marker, 13, 0, colour) if marker else "")


def _value_axis_left(scale: _Scale, ticks: list[float], left: float, right: float, label=pounds_label) -> list[str]:
    """Horizontal grid lines and their labels at the left, the zero line darker."""
    step = ticks[1] - ticks[0]
    out = []
    for tick in ticks:
        y = scale(tick)
        out.append(_line(left, y, right, y, RULE if tick == 0 else GRID, 1))
        out.append(f'<text x="{_num(left - 6)}" y="{_num(y + 4)}" text-anchor="end">{_text(label(tick, step))}</text>')
    return out


def _value_axis_below(scale: _Scale, ticks: list[float], top: float, bottom: float) -> list[str]:
    """Vertical grid lines and their pound labels below the plot."""
    step = ticks[1] - ticks[0]
    out = []
    for tick in ticks:
        x = scale(tick)
        out.append(_line(x, top, x, bottom, GRID, 1))
        out.append(
            f'<text x="{_num(x)}" y="{_num(bottom + FONT + 4)}" text-anchor="middle">'
            f"{_text(pounds_label(tick, step))}</text>"
        )
    return out


def _span(values: list[float]) -> tuple[float, float, list[float]]:
    """An axis across the data with a 4% margin each side, and the round ticks within it."""
    low, high = min(values), max(values)
    margin = (high - low) * 0.04 or abs(high) * 0.1 or 1.0
    low, high = low - margin, high + margin
    ticks = nice_ticks(low, high, 7, inside=True)
    if len(ticks) < 2:  # never with five wanted, but an axis needs two to be read
        ticks = nice_ticks(low, high)
        low, high = min(low, ticks[0]), max(high, ticks[-1])
    return low, high, ticks


def _floats(values: Iterable[Decimal]) -> list[float]:
    return [float(v) for v in values]


def _tick_room(ticks: list[float], label=pounds_label) -> float:
    step = ticks[1] - ticks[0]
    return max(_width_of(label(t, step)) for t in ticks) + 12


def budget_actual(periods: list[str], budget: list[Decimal], actual: list[Decimal]) -> str:
    """Grouped bars: budget (blue) and actual spend (orange, hatched) in each period."""
    ticks = nice_ticks(min([0.0, *_floats(budget), *_floats(actual)]), max([0.0, *_floats(budget), *_floats(actual)]))
    left, right, top = PAD + _tick_room(ticks), WIDTH - PAD, PAD + TITLE_FONT + 22
    slot = (right - left) / max(len(periods), 1)
    widest = max((_width_of(p) for p in periods), default=0)
    slanted = widest > slot - 4  # labels that would touch are set at an angle
    bottom = 250 if not slanted else 250 - min(widest * 0.5, 80)
    height = 290
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    hatch = "cba-chart-budget-actual-hatch"
    body = [_hatch(hatch, ORANGE), _title("Budget and actual spend by year")]
    body += _value_axis_left(y, ticks, left, right)
    bar = slot * 0.38
    for i, period in enumerate(periods):
        centre = left + slot * (i + 0.5)
        body.append(
            _rect(centre - bar, y(0), centre, y(float(budget[i])), BLUE, f"{period} budget: {fmt_gbp(budget[i])}")
        )
        body.append(
            _rect(
                centre,
                y(0),
                centre + bar,
                y(float(actual[i])),
                f"url(#{hatch})",
                f"{period} actual: {fmt_gbp(actual[i])}",
            )
        )
        if slanted:
            body.append(
                f'<text x="{_num(centre)}" y="{_num(bottom + 14)}" text-anchor="end" '
                f'transform="rotate(-35 {_num(centre)} {_num(bottom + 14)})">{_text(period)}</text>'
            )
        else:
            body.append(f'<text x="{_num(centre)}" y="{_num(bottom + 18)}" text-anchor="middle">{_text(period)}</text>')
    legend = [(_bar_swatch(BLUE), "Budget"), (_bar_swatch(f"url(#{hatch})"), "Actual")]
    body.append(_legend(legend, right - 190, PAD + TITLE_FONT / 2 + 2, 2, 95))
    return _svg(WIDTH, height, "Bar chart: budget and actual spend in each year", body)


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
    kind = "present value" if discounted else "undiscounted"
    series = [(costs, VERMILLION, "-", "s", f"Cumulative costs ({kind})")]
    series.append((fiscal, GREEN, "--", "o", f"Cumulative fiscal benefits ({kind})"))
    if benefits != fiscal:
        series.append((benefits, BLUE, ":", "^", f"Cumulative benefits, all ({kind})"))
    values = [v for s in series for v in _floats(s[0])] + ([float(headline_cost[1])] if headline_cost else [])
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]))
    left, right, top, bottom = PAD + _tick_room(ticks), WIDTH - PAD, PAD + TITLE_FONT + 16, 240
    # A cumulative total stands at the end of its year, and payback counts years from the start of year 0,
    # so year t's point sits at t + 1: a payback of 1.36 years falls between the ends of years 0 and 1.
    x = _Scale(0, len(years) + 0.3, left, right)
    y = _Scale(ticks[0], ticks[-1], bottom, top)
    body = [_title("Cumulative costs and benefits")]
    body += _value_axis_left(y, ticks, left, right)
    legend = []
    for amounts, colour, style, marker, label in series:
        points = [(x(t + 1), y(float(v))) for t, v in enumerate(amounts)]
        dash = DASHES[style]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        path = " ".join(f"{_num(px)},{_num(py)}" for px, py in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="1.6"{dashed}/>')
        body += [
            _marker(marker, px, py, colour, f"{label}, end of {year}: {fmt_gbp(v)}")
            for (px, py), year, v in zip(points, years, amounts)
        ]
        legend.append((_line_swatch(colour, dash, marker), label))
    if headline_cost is not None:
        label, amount = headline_cost
        level = y(float(amount))
        body.append(_line(left, level, right, level, VERMILLION, 1, DASHES["-."]))
        legend.append((_line_swatch(VERMILLION, DASHES["-."], None), f"{label}: {fmt_gbp(amount, pence=False)}"))
    if payback is not None:
        px = x(float(payback))
        body.append(_line(px, top, px, bottom, GREY, 1, DASHES[":"]))
        words = f"payback after {float(payback):.2f} years"
        # beside the line, on whichever side has room for the words
        after = px + 4 + _width_of(words, FONT - 1) <= WIDTH - PAD
        body.append(
            f'<text x="{_num(px + 4 if after else px - 4)}" y="{_num(y(0) - 6)}" fill="{GREY}" '
            f'font-size="{FONT - 1}" text-anchor="{"start" if after else "end"}">{words}</text>'
        )
    for t, year in enumerate(years):
        cx = x(t + 1)
        body.append(_line(cx, bottom, cx, bottom + 4, RULE))
        body.append(
            f'<text x="{_num(cx)}" y="{_num(bottom + 17)}" text-anchor="middle">end of'
            f'<tspan x="{_num(cx)}" dy="{FONT + 2}">{_text(year)}</tspan></text>'
        )
    column = max(_width_of(label) for _, label in legend) + 50
    columns = 2 if 2 * column <= WIDTH - 2 * PAD else 1
    body.append(_legend(legend, left, bottom + 56, columns, column))
    height = bottom + 56 + math.ceil(len(legend) / columns) * (FONT + 8)
    words = f"payback after {float(payback):.2f} years" if payback is not None else "no payback within the period"
    if headline_cost is not None:
        words += f"; {headline_cost[0]}, {fmt_gbp(headline_cost[1], pence=False)}, marked as a level line"
    return _svg(WIDTH, height, f"Line chart: cumulative costs and benefits by year ({kind}); {words}", body)


def histogram(lows: list[Decimal], highs: list[Decimal], draws: list[Decimal], measure: str) -> str:
    """The distribution of the simulated headline: one bar per bin, bins at or below zero in vermillion, zero marked."""
    xlow, xhigh, xticks = _span([float(min(lows, default=Decimal(0))), float(max(highs, default=Decimal(1)))])
    yticks = nice_ticks(0.0, max([1.0, *_floats(draws)]))
    if yticks[1] - yticks[0] < 1:  # whole draws only
        yticks = [float(t) for t in range(int(yticks[-1]) + 2)]
    left = PAD + FONT + 10 + _tick_room(yticks, _count_label)
    right, top, bottom = WIDTH - PAD - _tick_room(xticks) / 2, PAD + TITLE_FONT + 16, 260
    x = _Scale(xlow, xhigh, left, right)
    y = _Scale(yticks[0], yticks[-1], bottom, top)
    body = [_title(f"Distribution of the {measure}")]
    body += _value_axis_left(y, yticks, left, right, _count_label)
    for low, high, count in zip(lows, highs, draws):
        colour = VERMILLION if high <= 0 else BLUE
        tip = f"{fmt_gbp(low, pence=False)} to {fmt_gbp(high, pence=False)}: {count:,} draws"
        body.append(_rect(x(float(low)) + 0.5, y(0), x(float(high)) - 0.5, y(float(count)), colour, tip))
    step = xticks[1] - xticks[0]
    for tick in xticks:
        body.append(_line(x(tick), bottom, x(tick), bottom + 4, RULE))
        body.append(
            f'<text x="{_num(x(tick))}" y="{_num(bottom + FONT + 6)}" text-anchor="middle">'
            f"{_text(pounds_label(tick, step))}</text>"
        )
    if xlow <= 0 <= xhigh:
        body.append(_line(x(0), top, x(0), bottom, GREY, 1, DASHES[":"]))
    middle = (top + bottom) / 2
    body.append(
        f'<text x="{PAD + FONT}" y="{_num(middle)}" text-anchor="middle" '
        f'transform="rotate(-90 {PAD + FONT} {_num(middle)})">draws</text>'
    )
    return _svg(
        WIDTH, bottom + FONT + 14, f"Histogram of the simulated {measure}; bars at or below zero in vermillion", body
    )


def tornado(labels: list[str], at_low: list[Decimal], at_high: list[Decimal], base: Decimal, measure: str) -> str:
    """Each input's swing around the figure as written, widest first (as the engine ranked them)."""
    centre = float(base)
    xlow, xhigh, ticks = _span([centre, *_floats(at_low), *_floats(at_high)])
    # Each input's name on its own line above its bars, so a long name never narrows the bars (or the chart)
    right, top = WIDTH - PAD - _tick_room(ticks) / 2, PAD + TITLE_FONT + 16
    left = PAD + _tick_room(ticks) / 2
    row = 46
    bottom = top + row * max(len(labels), 1)
    x = _Scale(xlow, xhigh, left, right)
    hatch = "cba-chart-tornado-hatch"
    body = [_hatch(hatch, ORANGE), _title(f"Tornado: what moves the {measure}")]
    body += _value_axis_below(x, ticks, top, bottom)
    for i, (label, low, high) in enumerate(zip(labels, at_low, at_high)):
        name_at = top + row * i + FONT + 2
        y0, y1 = name_at + 5, top + row * (i + 1) - 4
        # a name wider than the chart is set narrower to fit (every character kept), never cut
        fit = (
            f' textLength="{_num(right - left)}" lengthAdjust="spacingAndGlyphs"'
            if _width_of(label) > right - left
            else ""
        )
        body.append(f'<text x="{_num(left)}" y="{_num(name_at)}"{fit}>{_text(label)}</text>')
        body.append(_rect(x(centre), y0, x(float(low)), y1, BLUE, f"{label} at its 5th percentile: {fmt_gbp(low)}"))
        body.append(
            _rect(
                x(centre), y0, x(float(high)), y1, f"url(#{hatch})", f"{label} at its 95th percentile: {fmt_gbp(high)}"
            )
        )
    body.append(_line(x(centre), top, x(centre), bottom, GREY, 1))
    legend = [
        (_bar_swatch(BLUE), "input at its 5th percentile"),
        (_bar_swatch(f"url(#{hatch})"), "input at its 95th percentile"),
    ]
    body.append(_legend(legend, PAD, bottom + FONT + 30, 2, 240))
    height = bottom + FONT + 30 + FONT + 8
    return _svg(
        WIDTH, height, f"Tornado chart: the {measure} with each uncertain input at its 5th and 95th percentile", body
    )
