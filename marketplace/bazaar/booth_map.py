"""The booth map: the fair's hall drawn as a standalone, accessible and printable SVG (zones,
booths coloured by their producer's category, marks for power, corners and the entrance, a
legend), and the text list of booths shown beside it. The layout and who sits where come from
`booths.py`; this module only reads them."""

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from flask_babel import get_locale, gettext

from .booths import zones_with_booths
from .models import Application, BazaarEvent, Booth, Zone
from .services import accepted_applications

# Fills for categories, light enough for dark text and distinct in print and to most colour-blind eyes.
CATEGORY_FILLS = ("#fde2a7", "#bfe3f5", "#cdebc0", "#f6c9d0", "#ddd2f0", "#f9d3b0", "#c6ece6", "#e9e4b8")
EMPTY_FILL = "#ffffff"
CELL_W, CELL_H, GAP = 130, 86, 10
MARGIN, ZONE_HEAD, LEGEND_ROW = 20, 34, 26
FONT = "Vazirmatn, 'Noto Sans Arabic', Tahoma, sans-serif"
NAME_CHARS = 16


@dataclass
class MapRow:
    """One booth as the text list beside the map shows it."""

    booth: Booth
    zone: Zone
    application: Application | None
    category_name: str
    fill: str


def map_rows(fair: BazaarEvent, *, show_names: bool = True) -> list[MapRow]:
    """Every booth in hall order with who is in it (when names are shown) and her category."""
    locale = str(get_locale() or "fa")
    people = {application.booth_id: application for application in accepted_applications(fair) if application.booth_id}
    colours = category_colours(list(people.values()))
    rows = []
    for zone in zones_with_booths(fair):
        for booth in zone.booths:
            application = people.get(booth.id)
            category = application.category if application is not None else None
            rows.append(
                MapRow(
                    booth=booth,
                    zone=zone,
                    application=application if show_names else None,
                    category_name=category.name(locale) if category is not None else "",
                    fill=colours.get(category.id, EMPTY_FILL) if category is not None else EMPTY_FILL,
                )
            )
    return rows


def category_colours(applications: list[Application]) -> dict[int, str]:
    """A fill per category of the placed producers, in category order (stable across runs)."""
    ids = sorted({application.category_id for application in applications if application.category_id is not None})
    return {category_id: CATEGORY_FILLS[i % len(CATEGORY_FILLS)] for i, category_id in enumerate(ids)}


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _text(
    x: float, y: float, text: str, *, size: int = 14, weight: int = 400, ltr: bool = False, anchor: str = "middle"
) -> str:
    """A line of text; the map reads right to left, so anchor "start" puts its right edge at x."""
    direction = ' direction="ltr"' if ltr else ""
    return (
        f'<text x="{x:g}" y="{y:g}" font-size="{size}" font-weight="{weight}" text-anchor="{anchor}"{direction}>'
        f"{escape(text)}</text>"
    )


def map_svg(fair: BazaarEvent, *, highlight_application_id: int | None = None, show_names: bool = True) -> str:
    """The booth map as a standalone SVG: the entrance at the top, zones as labelled groups stacked
    below it, each booth a rectangle coloured by its producer's category with its code, her shop's
    name (when `show_names`), and marks for power (a bolt), corner (a triangle) and near the entrance
    (a bar on its front edge); then a legend. Column 0 is drawn on the right, as the hall is read
    right to left. Accessible (role="img", a <title> and aria-label) and printable (white ground,
    outlines, no script or style element)."""
    rows = map_rows(fair, show_names=True)
    zones = list(dict.fromkeys(row.zone for row in rows))  # hall order, as map_rows read them
    row_of = {row.booth.id: row for row in rows}
    max_cols = max((max((booth.col for booth in zone.booths), default=0) + 1 for zone in zones), default=1)
    width = MARGIN * 2 + max_cols * (CELL_W + GAP) - GAP
    width = max(width, 420)
    parts: list[str] = []
    y: float = MARGIN
    entrance = gettext("Entrance")
    # the entrance
    parts.append(
        f'<g class="entrance"><rect x="{width / 2 - 90:g}" y="{y}" width="180" height="26" rx="13" fill="#1f5f4a"/>'
        f'<text x="{width / 2:g}" y="{y + 18}" font-size="14" font-weight="700" text-anchor="middle" fill="#ffffff">'
        f"{escape('▼ ' + entrance + ' ▼')}</text></g>"
    )
    y += 26 + 14
    for zone in zones:
        zone_rows = max((booth.row for booth in zone.booths), default=-1) + 1
        zone_label = gettext("Zone %(name)s", name=zone.name)
        parts.append(f'<g class="zone" role="group" aria-label={quoteattr(zone_label)}>')
        parts.append(_text(width - MARGIN, y + 20, zone.name, size=17, weight=700, anchor="start"))
        top = y + ZONE_HEAD
        for booth in zone.booths:
            row = row_of[booth.id]
            x = width - MARGIN - (booth.col + 1) * (CELL_W + GAP) + GAP
            by = top + booth.row * (CELL_H + GAP)
            parts.append(_booth(booth, row, x, by, highlight_application_id, show_names))
        parts.append("</g>")
        y = top + zone_rows * (CELL_H + GAP) + 10
    legend, y = _legend(rows, width, y)
    parts.append(legend)
    height = y + MARGIN
    title = gettext("Booth map of %(fair)s", fair=fair.title)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" width="{width:g}" '
        f'height="{height:g}" role="img" aria-label={quoteattr(title)} font-family="{FONT}" '
        f'direction="rtl" class="booth-map-svg">'
        f"<title>{escape(title)}</title>"
        f'<rect x="0" y="0" width="{width:g}" height="{height:g}" fill="#ffffff"/>' + "".join(parts) + "</svg>"
    )


def _bolt(x: float, y: float) -> str:
    points = [(7, 0), (0, 11), (5, 11), (3, 20), (11, 7), (6, 7), (9, 0)]
    path = " ".join(f"{x + px:g},{y + py:g}" for px, py in points)
    return f'<polygon points="{path}" fill="#e0a100" stroke="#5c4300" stroke-width="0.8"/>'


def _booth(booth: Booth, row: MapRow, x: float, y: float, highlight: int | None, show_names: bool) -> str:
    application = row.application
    mine = application is not None and application.id == highlight
    stroke = ' stroke="#b00020" stroke-width="5"' if mine else ' stroke="#3f434a" stroke-width="1.5"'
    dash = ' stroke-dasharray="6 4"' if application is None else ""
    label = booth.code
    if application is not None and show_names:
        label += " " + application.shop.name
    parts = [
        f'<g class="booth{" booth-mine" if mine else ""}" aria-label={quoteattr(label)}>',
        f'<rect x="{x:g}" y="{y:g}" width="{CELL_W}" height="{CELL_H}" rx="6" fill="{row.fill}"{stroke}{dash}/>',
        _text(x + CELL_W / 2, y + 26, booth.code, size=18, weight=700, ltr=True),
    ]
    if application is not None and show_names:
        parts.append(_text(x + CELL_W / 2, y + 52, _short(application.shop.name), size=13))
    if mine:
        parts.append(_text(x + CELL_W / 2, y + 74, gettext("Your booth"), size=12, weight=700))
    if booth.has_power:
        parts.append(_bolt(x + 6, y + CELL_H - 25))
    if booth.is_corner:
        parts.append(
            f'<polygon points="{x + CELL_W - 18:g},{y + CELL_H - 2:g} {x + CELL_W - 2:g},{y + CELL_H - 2:g} '
            f'{x + CELL_W - 2:g},{y + CELL_H - 18:g}" fill="#3f434a"/>'
        )
    if booth.near_entrance:
        parts.append(f'<rect x="{x + 20:g}" y="{y - 1:g}" width="{CELL_W - 40}" height="5" fill="#1f5f4a"/>')
    parts.append("</g>")
    return "".join(parts)


def _legend(rows: list[MapRow], width: float, y: float) -> tuple[str, float]:
    entries: list[tuple[str, str]] = []
    seen = set()
    for row in rows:
        if row.application is not None and row.category_name and row.category_name not in seen:
            seen.add(row.category_name)
            entries.append((row.fill, row.category_name))
    legend = gettext("Legend")
    parts = [f'<g class="legend" role="group" aria-label={quoteattr(legend)}>']
    x_right = width - MARGIN
    y += 6
    for fill, name in entries:
        parts.append(f'<rect x="{x_right - 18:g}" y="{y:g}" width="18" height="18" fill="{fill}" stroke="#3f434a"/>')
        parts.append(_text(x_right - 26, y + 14, name, size=13, anchor="start"))
        y += LEGEND_ROW
    marks: list[tuple[Callable[[float], str], str]] = [
        (
            lambda top: (
                f'<rect x="{x_right - 18:g}" y="{top:g}" width="18" height="18" fill="{EMPTY_FILL}" '
                'stroke="#3f434a" stroke-dasharray="4 3"/>'
            ),
            gettext("Free booth"),
        ),
        (lambda top: _bolt(x_right - 15, top - 1), gettext("Power")),
        (
            lambda top: (
                f'<polygon points="{x_right - 18:g},{top + 18:g} {x_right:g},{top + 18:g} {x_right:g},{top:g}" '
                'fill="#3f434a"/>'
            ),
            gettext("Corner booth"),
        ),
        (
            lambda top: f'<rect x="{x_right - 18:g}" y="{top + 6:g}" width="18" height="5" fill="#1f5f4a"/>',
            gettext("Near the entrance"),
        ),
    ]
    for shape, label in marks:
        parts.append(shape(y))
        parts.append(_text(x_right - 26, y + 14, label, size=13, anchor="start"))
        y += LEGEND_ROW
    parts.append("</g>")
    return "".join(parts), y
