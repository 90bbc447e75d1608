"""Logo candidates for a shop name: a wordmark, a monogram, a round craft seal and an arched badge, in
two Persian fonts, drawn straight at their final size on a transparent square."""

import math
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw

from marketplace.branding.contrast import contrast_ratio, text_on
from marketplace.branding.draw import (
    draw_block,
    fit_text,
    ink_box,
    paint,
    scaled,
    smooth_mask,
    star_points,
)
from marketplace.branding.fonts import BrandFont, available_fonts, font_by_key
from marketplace.branding.palette import Palette

STYLES = ("wordmark", "monogram", "stamp", "badge")
DEFAULT_FONT_KEYS = ("kufi-bold", "naskh-bold")  # a geometric Kufi and a calligraphic Naskh
LOGO_SIZES = (1024, 512, 192, 32)


@dataclass
class LogoCandidate:
    """One proposed logo: its style, the font key it uses and the RGBA square image."""

    style: str
    font_key: str
    image: Image.Image


def default_fonts() -> list[BrandFont]:
    """The two faces logos are drawn in unless the caller picks others."""
    chosen = [font for font in (font_by_key(key) for key in DEFAULT_FONT_KEYS) if font]
    extra = [font for font in available_fonts() if font not in chosen]
    return (chosen + extra)[:2]


def first_letter(name: str) -> str:
    """The first letter of the name with any marks on it (e.g. «آ», «بُ»), for the monogram. Drawn
    alone it takes its isolated form, which is how Persian writes a single letter."""
    name = unicodedata.normalize("NFC", name.strip())
    for i, char in enumerate(name):
        if char.isalpha():
            end = i + 1
            while end < len(name) and unicodedata.combining(name[end]):
                end += 1
            return name[i:end].upper()
    return name[:1] or "؟"


def _decor(palette: Palette) -> str:
    # Accent details on the primary fill only when the two colours actually differ to the eye.
    return palette.accent if contrast_ratio(palette.accent, palette.primary) >= 2.2 else palette.on_primary


def _text_mask(size: int, face: BrandFont, text: str, box: tuple[float, float], centre, max_size: int, lines: int):
    mask = Image.new("L", (size, size), 0)
    block = fit_text(face, text, box[0], box[1], max_size, lines)
    draw_block(ImageDraw.Draw(mask), block, centre[0], centre[1], 255)
    return mask, block


def _wordmark(name: str, palette: Palette, face: BrandFont, size: int) -> Image.Image:
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    block = fit_text(face, name, size * 0.84, size * 0.5, int(size * 0.3), max_lines=3)
    ornament, gap = size * 0.05, size * 0.06
    top = (size - block.height - gap - ornament) / 2
    mask = Image.new("L", (size, size), 0)
    draw_block(ImageDraw.Draw(mask), block, size / 2, top + block.height / 2, 255)
    paint(canvas, mask, palette.primary_ink)

    # Under the name: a rule broken by a lozenge, with a dot at each end, like the rule under a
    # title in an illuminated manuscript.
    y = top + block.height + gap + ornament / 2
    half = min(max(block.width * 0.42, size * 0.16), size * 0.36)
    cx, d = size / 2, ornament / 2

    def rule(draw: ImageDraw.ImageDraw, s: float) -> None:
        thickness = size * 0.007
        for sign in (-1, 1):
            x0, x1 = cx + sign * (d * 1.8), cx + sign * half
            draw.rectangle(scaled([(min(x0, x1), y - thickness), (max(x0, x1), y + thickness)], s), fill=255)
            r = size * 0.012
            draw.ellipse(scaled([(x1 + sign * r * 1.6 - r, y - r), (x1 + sign * r * 1.6 + r, y + r)], s), fill=255)

    def lozenge(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.polygon(scaled([(cx, y - d), (cx + d * 1.2, y), (cx, y + d), (cx - d * 1.2, y)], s), fill=255)

    paint(canvas, smooth_mask(canvas.size, rule), palette.primary_ink)
    paint(canvas, smooth_mask(canvas.size, lozenge), palette.accent)
    return canvas


def _monogram(name: str, palette: Palette, face: BrandFont, size: int) -> Image.Image:
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    c = size / 2

    def disc(draw: ImageDraw.ImageDraw, s: float) -> None:
        r = size * 0.47
        draw.ellipse(scaled([(c - r, c - r), (c + r, c + r)], s), fill=255)

    def ring(draw: ImageDraw.ImageDraw, s: float) -> None:
        r = size * 0.415
        draw.ellipse(scaled([(c - r, c - r), (c + r, c + r)], s), outline=255, width=round(size * 0.012 * s))

    paint(canvas, smooth_mask(canvas.size, disc), palette.primary)
    paint(canvas, smooth_mask(canvas.size, ring), _decor(palette))
    letter, _ = _text_mask(size, face, first_letter(name), (size * 0.46, size * 0.46), (c, c), int(size * 0.6), 1)
    paint(canvas, letter, palette.on_primary)
    return canvas


def _arc_mask(size: int, strip: Image.Image, r_top: float, r_bottom: float) -> Image.Image:
    """Bend a horizontal strip of text onto the top of a ring centred on the canvas, reading along
    the arc (its left end on the left): the strip's top edge goes to r_top, its bottom to r_bottom.

    Pillow's MESH transform maps source quadrilaterals onto target rectangles, so the canvas is cut
    into small tiles and each tile's corners are traced back, through polar coordinates, to the strip."""
    c = size / 2
    r_mid = (r_top + r_bottom) / 2
    half_span = strip.width / 2 / r_mid

    def source(x: float, y: float) -> tuple[float, float]:
        dx, dy = x - c, c - y
        # Angle from the top of the ring, clockwise positive, kept continuous except at the bottom.
        phi = (math.pi / 2 - math.atan2(dy, dx) + math.pi) % (2 * math.pi) - math.pi
        return strip.width / 2 + phi * r_mid, (r_top - math.hypot(dx, dy)) / (r_top - r_bottom) * strip.height

    tile = max(8, size // 64)
    mesh = []
    for ty in range(0, size, tile):
        for tx in range(0, size, tile):
            mx, my = tx + tile / 2 - c, c - (ty + tile / 2)
            r = math.hypot(mx, my)
            phi = abs(math.pi / 2 - math.atan2(my, mx))
            phi = min(phi, 2 * math.pi - phi)
            if not (r_bottom - tile <= r <= r_top + tile and phi <= half_span + tile / max(r, 1) * 2):
                continue
            corners = [source(tx, ty), source(tx, ty + tile), source(tx + tile, ty + tile), source(tx + tile, ty)]
            mesh.append(((tx, ty, tx + tile, ty + tile), tuple(v for corner in corners for v in corner)))
    return strip.transform((size, size), Image.Transform.MESH, mesh, Image.Resampling.BICUBIC)


def _stamp(name: str, palette: Palette, face: BrandFont, size: int) -> Image.Image:
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    c = size / 2
    ink = palette.primary_ink
    r_outer, r_inner = size * 0.475, size * 0.29
    band_top, band_bottom = size * 0.418, size * 0.302  # the ring of text, clear of both borders
    r_text = (band_top + band_bottom) / 2

    def borders(draw: ImageDraw.ImageDraw, s: float) -> None:
        for r, width in ((r_outer, 0.022), (r_outer - size * 0.035, 0.006), (r_inner, 0.008)):
            draw.ellipse(scaled([(c - r, c - r), (c + r, c + r)], s), outline=255, width=round(size * width * s))

    paint(canvas, smooth_mask(canvas.size, borders), ink)

    # The name along the top of the ring: at most 300° of it, leaving the bottom for ornament.
    block = fit_text(face, name, r_text * math.radians(290), (band_top - band_bottom) * 0.92, int(size * 0.1))
    line = block.lines[0] if len(block.lines) == 1 else " ".join(block.lines)
    box = ink_box(block.font, line)
    pad = 4
    strip = Image.new("L", (box[2] - box[0] + 2 * pad, round(band_top - band_bottom)), 0)
    draw_block(ImageDraw.Draw(strip), block, strip.width / 2, strip.height / 2, 255)
    paint(canvas, _arc_mask(size, strip, band_top, band_bottom), ink)

    # Beads round the rest of the ring, a diamond at each end of the name.
    text_half = strip.width / 2 / r_text + math.radians(7)

    def beads(draw: ImageDraw.ImageDraw, s: float) -> None:
        free = 2 * math.pi - 2 * text_half
        count = max(1, int(free / math.radians(11)))
        for i in range(count + 1):
            angle = math.pi / 2 - text_half - free * i / count  # clockwise from the text's right end
            x, y = c + r_text * math.cos(angle), c - r_text * math.sin(angle)
            big = i in (0, count)
            r = size * (0.016 if big else 0.007)
            if big:
                draw.polygon(scaled([(x, y - r * 1.4), (x + r, y), (x, y + r * 1.4), (x - r, y)], s), fill=255)
            else:
                draw.ellipse(scaled([(x - r, y - r), (x + r, y + r)], s), fill=255)

    paint(canvas, smooth_mask(canvas.size, beads), ink)

    # The centre: an eight-pointed star (khatam) with the first letter.
    def star(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.polygon(scaled(star_points(c, c, size * 0.255, turn=math.pi / 8), s), fill=255)

    # A seal is printed in one ink: the star too, so a light primary still shows on the page.
    paint(canvas, smooth_mask(canvas.size, star), ink)
    letter, _ = _text_mask(size, face, first_letter(name), (size * 0.2, size * 0.2), (c, c), int(size * 0.3), 1)
    paint(canvas, letter, text_on(ink))
    return canvas


def _arch(size: int, inset: float = 0.0) -> list[tuple[float, float]]:
    """Outline of a pointed Persian arch (two arcs meeting at the top, like an iwan) over a rectangle,
    inset by `inset` px; inset arches keep the same centres, so borders stay parallel."""
    left, right, bottom, top = size * 0.15, size * 0.85, size * 0.955, size * 0.045
    width = right - left
    radius = width * 0.64
    rise = math.sqrt(radius**2 - (radius - width / 2) ** 2)
    spring = top + rise
    r = radius - inset
    points = [(left + inset, bottom - inset), (left + inset, spring)]
    steps = 48
    # Left arc: centred right of the left side, from 180° up to the apex; right arc: its mirror.
    apex = math.acos((radius - width / 2) / r)
    for i in range(steps + 1):
        angle = math.pi - apex * i / steps
        points.append((left + radius + r * math.cos(angle), spring - r * math.sin(angle)))
    for i in range(steps + 1):
        angle = apex - apex * i / steps
        points.append((right - radius + r * math.cos(angle), spring - r * math.sin(angle)))
    points += [(right - inset, spring), (right - inset, bottom - inset)]
    return points


def _badge(name: str, palette: Palette, face: BrandFont, size: int) -> Image.Image:
    canvas = Image.new("RGBA", (size, size), (0, 0, 0, 0))

    def arch(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.polygon(scaled(_arch(size), s), fill=255)

    def border(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.polygon(scaled(_arch(size, size * 0.035), s), outline=255, width=round(size * 0.008 * s))

    def star(draw: ImageDraw.ImageDraw, s: float) -> None:
        draw.polygon(scaled(star_points(size / 2, size * 0.29, size * 0.075, turn=math.pi / 8), s), fill=255)

    paint(canvas, smooth_mask(canvas.size, arch), palette.primary)
    paint(canvas, smooth_mask(canvas.size, border), _decor(palette))
    paint(canvas, smooth_mask(canvas.size, star), _decor(palette))
    text, _ = _text_mask(size, face, name, (size * 0.56, size * 0.4), (size / 2, size * 0.66), int(size * 0.17), 3)
    paint(canvas, text, palette.on_primary)
    return canvas


_RENDERERS = {"wordmark": _wordmark, "monogram": _monogram, "stamp": _stamp, "badge": _badge}


def render_logo(style: str, name: str, palette: Palette, face: BrandFont, size: int = 1024) -> LogoCandidate:
    """One logo candidate in `style` (one of STYLES) and `face`, as an RGBA size×size image."""
    return LogoCandidate(style, face.key, _RENDERERS[style](name.strip(), palette, face, size))


def render_logo_candidates(
    name: str, palette: Palette, size: int = 1024, fonts: list[BrandFont] | None = None
) -> list[LogoCandidate]:
    """Every style in each font (4 styles × 2 default fonts = 8 candidates), font by font."""
    return [render_logo(style, name, palette, face, size) for face in fonts or default_fonts() for style in STYLES]


def logo_sizes(image: Image.Image) -> dict[int, Image.Image]:
    """The logo as RGBA squares of 1024, 512, 192 and 32 (favicon) px, downscaled with LANCZOS.

    reducing_gap lets Pillow shrink by whole factors first: the same pixels at 512 and 192 px,
    in about two thirds of the time (it runs while she waits for her chosen logo to save)."""
    image = image.convert("RGBA")
    return {
        px: image.copy()
        if image.size == (px, px)
        else image.resize((px, px), Image.Resampling.LANCZOS, reducing_gap=3.0)
        for px in LOGO_SIZES
    }
