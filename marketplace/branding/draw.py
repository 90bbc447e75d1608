"""Drawing helpers shared by the logo and kit renderers: Persian text fitted to a box, smooth shapes,
colour fills on transparent canvases, QR codes, photo crops."""

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import cast

import segno
from PIL import Image, ImageDraw, ImageFont, ImageOps

from marketplace.branding.contrast import hex_to_rgb
from marketplace.branding.fonts import BrandFont

LINE_SPACING = 1.5  # baseline to baseline, in font sizes: Persian dots and descenders need room
_REFERENCE_SIZE = 100


def text_direction(text: str) -> str:
    """ "rtl" or "ltr", from the first letter with a strong direction (Persian unless it starts in Latin)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "rtl"


# A run that reads left to right inside Persian text: a phone number with its spaces, a price, an
# @handle, an e-mail or a web address.
_LTR_RUN = re.compile(r"[@+]?[0-9۰-۹A-Za-z](?:[0-9۰-۹A-Za-z._@/:+\-٬ ]*[0-9۰-۹A-Za-z])?")


def isolate_ltr_runs(text: str) -> str:
    """Wrap numbers, handles and addresses in Persian text in bidi isolates (LRI…PDI), so
    «۰۹۱۵ ۱۲۳ ۴۵۶۷» keeps its groups in order and «@name» keeps its @ in front, as dir="ltr" does
    on the web. Left-to-right text is returned as it is."""
    if text_direction(text) == "ltr":
        return text
    return _LTR_RUN.sub(lambda match: "\u2066" + match.group() + "\u2069", text)


def _layout(text: str) -> dict:
    direction = text_direction(text)
    return {"direction": direction, "language": "fa" if direction == "rtl" else "en"}


def ink_box(font: ImageFont.FreeTypeFont, text: str) -> tuple[int, int, int, int]:
    """The ink of `text` relative to its left baseline point: (left, top, right, bottom)."""
    # Pillow types the box as floats (a stroke may be a fraction of a pixel); with no stroke it is whole pixels.
    return cast(tuple[int, int, int, int], font.getbbox(text, anchor="ls", **_layout(text)))


@dataclass
class TextBlock:
    """Lines of text at one font size, with the ink extent of the whole block."""

    font: ImageFont.FreeTypeFont
    lines: list[str]
    width: int
    height: int


def _extent(font: ImageFont.FreeTypeFont, lines: list[str]) -> tuple[int, int]:
    lead = font.size * LINE_SPACING
    boxes = [ink_box(font, line) for line in lines]
    width = max(box[2] - box[0] for box in boxes)
    top = min(i * lead + box[1] for i, box in enumerate(boxes))
    bottom = max(i * lead + box[3] for i, box in enumerate(boxes))
    return width, math.ceil(bottom - top)


_WORD = re.compile(r"(?:\u2066[^\u2069]*\u2069|\S)+")  # never break inside an isolate


def _balanced_lines(text: str, font: ImageFont.FreeTypeFont, count: int) -> list[str] | None:
    words = _WORD.findall(text)
    if count == 1 or len(words) < count:
        return [" ".join(words)] if count == 1 else None
    best, best_width = None, math.inf
    for cuts in combinations(range(1, len(words)), count - 1):
        bounds = (0, *cuts, len(words))
        lines = [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
        width = max(font.getlength(line, **_layout(line)) for line in lines)
        if width < best_width:
            best, best_width = lines, width
    return best


def fit_text(
    face: BrandFont, text: str, max_width: float, max_height: float, max_size: int, max_lines: int = 1
) -> TextBlock:
    """The largest size (≤ max_size) at which `text`, broken into at most max_lines balanced lines at
    spaces, fits the box. A long name gets a smaller size and more lines; it never overflows."""
    text = isolate_ltr_runs(text)
    reference = face.load(_REFERENCE_SIZE)
    best_size, best_lines = 0, [text]
    for count in range(1, max_lines + 1):
        lines = _balanced_lines(text, reference, count)
        if lines is None:
            break
        width, height = _extent(reference, lines)
        size = min(max_size, int(_REFERENCE_SIZE * min(max_width / max(width, 1), max_height / max(height, 1))))
        # Another line must earn its place: a clearly bigger size, not a pixel or two.
        if size > best_size * 1.12:
            best_size, best_lines = size, lines
    size = max(best_size, 4)
    # Ink does not scale exactly with size (hinting, rounding): step down until it truly fits.
    while True:
        font = face.load(size)
        width, height = _extent(font, best_lines)
        if (width <= max_width and height <= max_height) or size <= 4:
            return TextBlock(font, best_lines, width, height)
        size -= max(1, size // 50)


def draw_block(
    draw: ImageDraw.ImageDraw, block: TextBlock, x: float, y: float, fill, align: str = "center"
) -> tuple[int, int, int, int]:
    """Draw a block with its ink centred on y and, by align, centred on x or ending at x ("right")
    or starting at x ("left"). Returns the ink box actually drawn."""
    font, lead = block.font, block.font.size * LINE_SPACING
    boxes = [ink_box(font, line) for line in block.lines]
    top = min(i * lead + box[1] for i, box in enumerate(boxes))
    bottom = max(i * lead + box[3] for i, box in enumerate(boxes))
    first_baseline = y - (top + bottom) / 2
    drawn = [math.inf, math.inf, -math.inf, -math.inf]
    for i, (line, box) in enumerate(zip(block.lines, boxes, strict=True)):
        if align == "right":
            left = x - box[2]
        elif align == "left":
            left = x - box[0]
        else:
            left = x - (box[0] + box[2]) / 2
        baseline = first_baseline + i * lead
        left, baseline = round(left), round(baseline)
        draw.text((left, baseline), line, font=font, fill=fill, anchor="ls", **_layout(line))
        drawn = [
            min(drawn[0], left + box[0]),
            min(drawn[1], baseline + box[1]),
            max(drawn[2], left + box[2]),
            max(drawn[3], baseline + box[3]),
        ]
    return int(drawn[0]), int(drawn[1]), int(drawn[2]), int(drawn[3])


def rgba(colour: str, alpha: int = 255) -> tuple[int, int, int, int]:
    """A "#rrggbb" colour as an RGBA tuple."""
    return (*hex_to_rgb(colour), alpha)


def paint(canvas: Image.Image, mask: Image.Image, colour: str) -> None:
    """Lay `colour` on an RGBA canvas through an L mask, compositing alpha properly (no dark fringes
    where anti-aliased edges meet transparency)."""
    layer = Image.new("RGBA", canvas.size, rgba(colour))
    layer.putalpha(mask)
    canvas.alpha_composite(layer)


def smooth_mask(size: tuple[int, int], draw_shapes: Callable[[ImageDraw.ImageDraw, float], None], scale: int = 3):
    """An anti-aliased L mask: draw_shapes(draw, scale) draws at `scale`× (multiply coordinates by
    scale) and the result is box-filtered down. Pillow's own shapes have hard, jagged edges."""
    big = Image.new("L", (size[0] * scale, size[1] * scale), 0)
    draw_shapes(ImageDraw.Draw(big), scale)
    return big.reduce(scale)


def star_points(cx: float, cy: float, radius: float, turn: float = 0) -> list[tuple[float, float]]:
    """Vertices of the eight-pointed star of two squares (the khatam of Persian tilework); its inner
    corners sit at cos 45° / cos 22.5° of the radius."""
    inner = radius * math.cos(math.pi / 4) / math.cos(math.pi / 8)
    vertices = []
    for i in range(16):
        angle = math.pi * i / 8 + turn - math.pi / 2
        r = radius if i % 2 == 0 else inner
        vertices.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    return vertices


def scaled(points, scale: float):
    """Polygon points multiplied by scale (for smooth_mask)."""
    return [(x * scale, y * scale) for x, y in points]


def qr_image(data: str, box: int, dark: str = "#000000") -> Image.Image:
    """A QR code (error correction M or better, 4-module quiet zone) as an RGB image of at most box×box
    px, each module a whole number of pixels so printers and phone cameras see crisp squares."""
    code = segno.make_qr(data, error="m", boost_error=True)
    modules = int(code.symbol_size(scale=1, border=4)[0])  # whole modules at scale 1
    scale = max(1, box // modules)
    bits = Image.new("1", (modules, modules), 1)
    bits.putdata([0 if module else 1 for row in code.matrix_iter(scale=1, border=4) for module in row])
    image = bits.resize((modules * scale, modules * scale), Image.Resampling.NEAREST).convert("L")
    return ImageOps.colorize(image, dark, "#ffffff")


def cover(photo: Image.Image, size: tuple[int, int]) -> Image.Image:
    """The photo upright, cropped to fill `size` (centred) and scaled with LANCZOS, as RGB."""
    upright = ImageOps.exif_transpose(photo).convert("RGB")
    return ImageOps.fit(upright, size, Image.Resampling.LANCZOS)


def trimmed(logo: Image.Image) -> Image.Image:
    """The logo without its transparent margins."""
    logo = logo.convert("RGBA")
    box = logo.getchannel("A").getbbox()
    return logo.crop(box) if box else logo


def fit_logo(logo: Image.Image, width: float, height: float) -> Image.Image:
    """The trimmed logo scaled (LANCZOS) to fit a width×height box, keeping its proportions."""
    logo = trimmed(logo)
    ratio = min(width / logo.width, height / logo.height)
    return logo.resize(
        (max(1, round(logo.width * ratio)), max(1, round(logo.height * ratio))), Image.Resampling.LANCZOS
    )
