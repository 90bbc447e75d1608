"""The drawing surface of the demo photos: unit coordinates on a supersampled image, soft shadows,
a lit table cloth, and a few shared stitches (stars, cross-stitch rows, speckled fills)."""

import functools
import math
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = 800
SCALE = 2
CREAM, WHITE, INK = "#f3ead8", "#fbf8f1", "#3b2f2a"
SURFACES = ("#e9dcc6", "#d9c7a7", "#cfd8d3", "#e6d3cf", "#d8d3e6", "#c9b59a")


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def shade(colour: str, factor: float) -> str:
    """A darker (factor < 1) or lighter (factor > 1, towards white) tone of `colour`."""
    red, green, blue = _rgb(colour)
    if factor <= 1:
        red, green, blue = (round(c * factor) for c in (red, green, blue))
    else:
        red, green, blue = (round(c + (255 - c) * (factor - 1)) for c in (red, green, blue))
    return f"#{red:02x}{green:02x}{blue:02x}"


class Canvas:
    """Drawing in unit coordinates (0–1 across the photo) on a supersampled image."""

    def __init__(self, surface: str, rng: random.Random):
        self.px = SIZE * SCALE
        self.rng = rng
        self.image = _surface(surface, self.px).copy()
        self.draw = ImageDraw.Draw(self.image)
        self.shadows: list[tuple] = []

    def _box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[int, int, int, int]:
        p = self.px
        return round(min(x0, x1) * p), round(min(y0, y1) * p), round(max(x0, x1) * p), round(max(y0, y1) * p)

    def _points(self, points) -> list[tuple[int, int]]:
        return [(round(x * self.px), round(y * self.px)) for x, y in points]

    def _width(self, width: float) -> int:
        return max(1, round(width * self.px))

    def rect(self, box, fill=None, outline=None, width=0.0, radius=0.0):
        self.draw.rounded_rectangle(
            self._box(*box),
            radius=round(radius * self.px),
            fill=fill,
            outline=outline,
            width=self._width(width) if outline else 0,
        )

    def ellipse(self, box, fill=None, outline=None, width=0.0):
        self.draw.ellipse(self._box(*box), fill=fill, outline=outline, width=self._width(width) if outline else 0)

    def circle(self, x, y, r, fill=None, outline=None, width=0.0):
        self.ellipse((x - r, y - r, x + r, y + r), fill, outline, width)

    def polygon(self, points, fill=None, outline=None, width=0.0):
        self.draw.polygon(self._points(points), fill=fill, outline=outline, width=self._width(width) if outline else 0)

    def line(self, points, fill, width=0.004):
        self.draw.line(self._points(points), fill=fill, width=self._width(width), joint="curve")

    def arc(self, box, start, end, fill, width=0.004):
        self.draw.arc(self._box(*box), start, end, fill=fill, width=self._width(width))

    def shadow(self, box, kind="ellipse"):
        """A soft shadow under an object; all shadows are blurred together in finish()."""
        self.shadows.append((kind, box))

    def cast_shadows(self):
        """Blur and lay the queued shadows (done once, on a small mask, before objects are drawn)."""
        if not self.shadows:
            return
        factor = 16  # the shadow mask is drawn at 1/16 size and scaled up exactly
        small = self.px // factor
        mask = Image.new("L", (small, small), 0)
        draw = ImageDraw.Draw(mask)
        for kind, (x0, y0, x1, y1) in self.shadows:
            area = (x0 * small, y0 * small, x1 * small, y1 * small)
            (draw.ellipse if kind == "ellipse" else draw.rectangle)(area, fill=90)
        mask = mask.filter(ImageFilter.GaussianBlur(3))
        box = mask.getbbox()
        if box:  # only the shadowed part is scaled up and laid
            part = mask.crop(box).resize(
                ((box[2] - box[0]) * factor, (box[3] - box[1]) * factor), Image.Resampling.BILINEAR
            )
            self.image.paste((40, 30, 25), (box[0] * factor, box[1] * factor), part)
        self.shadows = []

    def finish(self) -> Image.Image:
        return self.image.reduce(SCALE)


@functools.cache
def _surface(colour: str, px: int) -> Image.Image:
    """A table or cloth surface: the colour, lit from the top, with a fine woven line (one per
    colour, made once and copied). Kept plain: noise would slow the WebP encoding for little gain."""
    base = Image.new("RGB", (px, px), colour)
    light = Image.linear_gradient("L").resize((px, px), Image.Resampling.BILINEAR).point(lambda v: 70 - v // 4)
    base.paste(shade(colour, 1.25), (0, 0), light)
    draw = ImageDraw.Draw(base)
    step = px // 90
    for y in range(step // 2, px, step):
        draw.line((0, y, px, y), fill=shade(colour, 0.965), width=1)
    return base


def forget_surfaces() -> None:
    """Free the cached surfaces (a few large images) once a batch of photos is drawn."""
    _surface.cache_clear()


def fill_texture(cv: Canvas, c: tuple, pieces: bool, box) -> None:
    x0, y0, x1, y1 = box
    cv.rect(box, fill=c[0])
    rng = cv.rng
    count = int(260 * (x1 - x0) * (y1 - y0)) + 12
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        r = rng.uniform(0.008, 0.03 if pieces else 0.018) * (1 if pieces else 0.8)
        colour = rng.choice(c[1:] or (shade(c[0], 1.3),)) if pieces else shade(c[0], rng.uniform(0.75, 1.3))
        cv.ellipse((max(x0, x - r), max(y0, y - r * 0.7), min(x1, x + r), min(y1, y + r * 0.7)), fill=colour)


def cross_row(cv: Canvas, x0: float, x1: float, y: float, s: float, colour: str) -> None:
    x = x0
    while x < x1 - s:
        cv.line([(x, y - s / 2), (x + s, y + s / 2)], fill=colour, width=s * 0.3)
        cv.line([(x, y + s / 2), (x + s, y - s / 2)], fill=colour, width=s * 0.3)
        x += s * 1.3


def star(cv: Canvas, x: float, y: float, r: float, colour: str, centre: str) -> None:
    points = []
    for k in range(16):
        a = k * math.pi / 8 + math.pi / 16
        radius = r if k % 2 == 0 else r * 0.55
        points.append((x + math.cos(a) * radius, y + math.sin(a) * radius))
    cv.polygon(points, fill=colour)
    cv.polygon([(x, y - r * 0.35), (x + r * 0.35, y), (x, y + r * 0.35), (x - r * 0.35, y)], fill=centre)
