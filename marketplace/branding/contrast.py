"""Colours as "#rrggbb" strings: parsing what producers type, WCAG 2.x contrast, and the nearest
shade of a colour that reads well against another."""

import math
import re
from collections.abc import Sequence

from marketplace.core.persian import to_latin_digits

WHITE = "#ffffff"
NEAR_BLACK = "#1f2328"  # softer than pure black on screens and in print, still 15.8:1 on white

_HEX = re.compile(r"#?([0-9a-f]{3}|[0-9a-f]{6})")
# sRGB (D65) ↔ XYZ, as in IEC 61966-2-1.
_TO_XYZ = ((0.4124564, 0.3575761, 0.1804375), (0.2126729, 0.7151522, 0.0721750), (0.0193339, 0.1191920, 0.9503041))
_FROM_XYZ = (
    (3.2404542, -1.5371385, -0.4985314),
    (-0.9692660, 1.8760108, 0.0415560),
    (0.0556434, -0.2040259, 1.0572252),
)
_WHITE_POINT = (0.95047, 1.0, 1.08883)


def parse_hex(value: str | None) -> str | None:
    """Return a colour typed as «#abc», «AABBCC», with Persian digits or spaces as "#rrggbb", else None."""
    if not isinstance(value, str):
        return None
    match = _HEX.fullmatch(to_latin_digits(value).strip().lower())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def _require(value: str) -> str:
    colour = parse_hex(value)
    if colour is None:
        raise ValueError(f"not a colour: {value!r}")
    return colour


def hex_to_rgb(value: str) -> tuple[int, int, int]:
    """(r, g, b) in 0–255 of a colour string."""
    colour = _require(value)
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def rgb_to_hex(rgb: Sequence[float]) -> str:
    """ "#rrggbb" of (r, g, b), rounded and clamped to 0–255."""
    return "#" + "".join(f"{min(255, max(0, round(c))):02x}" for c in rgb)


def _to_linear(channel: float) -> float:
    c = channel / 255
    # WCAG 2.x quotes 0.03928, an old sRGB draft; 0.04045 is the standard, same result on 8 bits.
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _from_linear(value: float) -> float:
    value = min(1.0, max(0.0, value))
    c = 12.92 * value if value <= 0.0031308 else 1.055 * value ** (1 / 2.4) - 0.055
    return c * 255


def relative_luminance(value: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_to_linear(c) for c in hex_to_rgb(value))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ratio(y1: float, y2: float) -> float:
    light, dark = max(y1, y2), min(y1, y2)
    return (light + 0.05) / (dark + 0.05)


def contrast_ratio(fg: str, bg: str) -> float:
    """WCAG 2.x contrast ratio, 1 to 21 (AA: 4.5 for text, 3 for large text and graphics)."""
    return _ratio(relative_luminance(fg), relative_luminance(bg))


def _lab_f(t: float) -> float:
    return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29


def _lab_f_inv(t: float) -> float:
    return t**3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)


def hex_to_lab(value: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a colour: L* 0–100, then a*, b*."""
    linear = [_to_linear(c) for c in hex_to_rgb(value)]
    x, y, z = (sum(m * c for m, c in zip(row, linear, strict=True)) for row in _TO_XYZ)
    fx, fy, fz = (_lab_f(v / w) for v, w in zip((x, y, z), _WHITE_POINT, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def _lab_to_linear(lab: tuple[float, float, float]) -> tuple[float, ...]:
    lightness, a, b = lab
    fy = (lightness + 16) / 116
    xyz = [w * _lab_f_inv(f) for w, f in zip(_WHITE_POINT, (fy + a / 500, fy, fy - b / 200), strict=True)]
    return tuple(sum(m * c for m, c in zip(row, xyz, strict=True)) for row in _FROM_XYZ)


def lab_to_hex(lab: tuple[float, float, float]) -> str:
    """The sRGB colour of a CIELAB value, keeping L* and hue and giving up chroma until it fits sRGB."""
    lightness, a, b = lab
    lightness = min(100.0, max(0.0, lightness))
    low, high = 0.0, 1.0  # how much of the chroma to keep; 0 (grey) always fits

    def fits(scale: float) -> bool:
        return all(-1e-6 <= c <= 1 + 1e-6 for c in _lab_to_linear((lightness, a * scale, b * scale)))

    if fits(1.0):
        low = 1.0
    else:
        for _ in range(16):
            middle = (low + high) / 2
            low, high = (middle, high) if fits(middle) else (low, middle)
    return rgb_to_hex(tuple(_from_linear(c) for c in _lab_to_linear((lightness, a * low, b * low))))


def delta_e(first: str, second: str) -> float:
    """CIE76 colour difference: about 2.3 is just noticeable, above 10 clearly different colours."""
    return math.dist(hex_to_lab(first), hex_to_lab(second))


def _lightness_for_luminance(y: float) -> float:
    return 116 * _lab_f(min(1.0, max(0.0, y))) - 16


def nearest_passing(color_hex: str, against_hex: str, minimum: float = 4.5) -> str:
    """The shade of `color_hex` closest to it (same CIELAB hue, lightness moved darker or lighter)
    with at least `minimum` contrast against `against_hex`; the colour itself if it already passes."""
    colour, against = _require(color_hex), _require(against_hex)
    if contrast_ratio(colour, against) >= minimum:
        return colour
    lightness, a, b = hex_to_lab(colour)
    y_against = relative_luminance(against)
    candidates = []
    # Contrast depends only on luminance, and luminance only on L*, so each direction has one
    # exact target; chroma is given up only where the shade would leave sRGB.
    for target_y, step in (
        ((y_against + 0.05) / minimum - 0.05, -0.25),  # darker
        (minimum * (y_against + 0.05) - 0.05, 0.25),  # lighter
    ):
        if not 0 <= target_y <= 1:
            continue
        target = _lightness_for_luminance(target_y)
        shade = lab_to_hex((target, a, b))
        # Rounding to 8 bits can land a hair short of the target: nudge on.
        while contrast_ratio(shade, against) < minimum and 0 <= target <= 100:
            target += step
            shade = lab_to_hex((target, a, b))
        if contrast_ratio(shade, against) >= minimum:
            candidates.append(shade)
    if not candidates:
        # Nothing reaches the minimum (e.g. above 21:1): the best we can do is black or white.
        return max(("#000000", WHITE), key=lambda extreme: contrast_ratio(extreme, against))
    return min(candidates, key=lambda shade: delta_e(shade, colour))


def text_on(bg_hex: str) -> str:
    """White or near-black, whichever reads better on `bg_hex`."""
    return max((WHITE, NEAR_BLACK), key=lambda ink: contrast_ratio(ink, bg_hex))


def mix(first: str, second: str, amount: float) -> str:
    """`first` moved `amount` (0–1) of the way to `second`, in sRGB: for tints and tones of palette colours."""
    return rgb_to_hex(tuple(x + (y - x) * amount for x, y in zip(hex_to_rgb(first), hex_to_rgb(second), strict=True)))
