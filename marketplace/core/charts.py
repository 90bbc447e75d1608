"""Horizontal bar charts drawn on the server as SVG: no chart script, nothing to download, and they
print. Pure functions over plain values; every text is escaped. Right to left in Persian (labels
on the right, bars growing to the left), left to right in English.

Each chart is an image with a title (`<title>`, `role="img"`, `aria-label`); its numbers are also in
the table the page shows beside it, built from the same `core.tables.Table` (templates/_macros/
tables.html), which is what a screen reader reads. Used by the fair reports and the centre's impact
dashboard."""

from collections.abc import Callable
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from .numerals import number

WIDTH = 360  # viewBox units; the SVG scales to its box (a 390 px phone shows it at about this size)
PAD = 6
LABEL_WIDTH = 124
VALUE_WIDTH = 78
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 12
LEGEND_HEIGHT = 22
LABEL_CHARS = 17
# Fallback fills for a chart shown without the site's CSS (the CSS classes set the real colours).
FILLS = ("#0f5c55", "#9a4a0c", "#5b616b", "#173a5e")


@dataclass
class Chart:
    """A bar chart: a title, the names of its series (one bar each per row) and its rows, each a
    label and one whole-number value per series."""

    title: str
    series: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)


def _short(label: str) -> str:
    """The label cut to fit beside the bars, isolated so a Latin or symbol-led name keeps its own
    direction («=HYPERLINK» stays as typed in a right-to-left chart); a cut label has the full one as
    its tooltip."""
    short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
    return f"\u2068{short}\u2069"


def _text(x: float, y: float, text: str, css: str, *, title: str = "") -> str:
    # anchored at its start (the default) and centred on y by the root's dominant-baseline: a chart
    # of hundreds of values does not repeat them on each
    tip = f"<title>{escape(title)}</title>" if title else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" class="{css}">{tip}{escape(text)}</text>'


def bar_chart(chart: Chart, *, rtl: bool = True, fmt: Callable[[int], str] = number) -> Markup:
    """The chart as an inline SVG element. `fmt` writes each value (Persian digits in the Persian
    UI); `rtl` puts the labels on the right and grows the bars leftwards. Each bar carries its raw
    value in `data-value` (and its row and series) for anyone reading the SVG as data."""
    series_count = max(1, len(chart.series))
    group = series_count * BAR_HEIGHT + (series_count - 1) * BAR_GAP
    legend = LEGEND_HEIGHT if len(chart.series) > 1 else 0
    rows = chart.rows or []
    height = PAD * 2 + legend + max(1, len(rows)) * (group + GROUP_GAP) - GROUP_GAP
    longest = WIDTH - 2 * PAD - LABEL_WIDTH - VALUE_WIDTH
    biggest = max((max(values, default=0) for _label, values in rows), default=0) or 1

    # RTL: x grows leftwards from the right edge. `at(d)` is the x of a point d units in from the start side.
    def at(distance: float) -> float:
        return WIDTH - distance if rtl else distance

    parts = []
    parts.append(f"<title>{escape(chart.title)}</title>")
    if legend:
        cursor = PAD
        for index, name in enumerate(chart.series):
            box_x = at(cursor + 10) if rtl else at(cursor)
            parts.append(
                f'<rect x="{box_x:.1f}" y="{PAD + 3}" width="10" height="10" '
                f'class="bar-chart-series-{index}" fill="{FILLS[index % len(FILLS)]}"/>'
            )
            parts.append(_text(at(cursor + 14), PAD + 8, name, "bar-chart-legend"))
            cursor += 14 + 7 * len(name) + 16
    bar_start = PAD + LABEL_WIDTH
    if not rows:
        parts.append(_text(at(bar_start), PAD + legend + group / 2, "—", "bar-chart-value"))
    for row_index, (label, values) in enumerate(rows):
        top = PAD + legend + row_index * (group + GROUP_GAP)
        cut = len(label) > LABEL_CHARS
        parts.append(_text(at(PAD), top + group / 2, _short(label), "bar-chart-label", title=label if cut else ""))
        for series_index, value in enumerate(values):
            y = top + series_index * (BAR_HEIGHT + BAR_GAP)
            length = round(max(0, value) / biggest * longest, 1)
            x = at(bar_start + length) if rtl else at(bar_start)
            # no tooltip per bar: its value is written beside it (and in the table), and a page of
            # charts stays light (the impact dashboard draws hundreds of bars)
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'class="bar-chart-series-{series_index}" fill="{FILLS[series_index % len(FILLS)]}" '
                f'data-row="{row_index}" data-series="{series_index}" data-value="{int(value)}"/>'
            )
            parts.append(_text(at(bar_start + length + 4), y + BAR_HEIGHT / 2, fmt(value), "bar-chart-value"))
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(chart.title)}" '
        f'direction="{"rtl" if rtl else "ltr"}" dominant-baseline="middle" font-size="12">' + "".join(parts) + "</svg>"
    )
    return Markup(svg)  # noqa: S704 (every text above went through escape)
