"""Shop palettes: curated ones inspired by Iranian crafts, palettes drawn from a photo or logo, and the
contrast check the wizard shows before a producer saves her colours."""

import math
from dataclasses import asdict, dataclass, field
from typing import cast

from PIL import Image

from marketplace.branding.contrast import (
    NEAR_BLACK,
    WHITE,
    contrast_ratio,
    delta_e,
    hex_to_lab,
    lab_to_hex,
    mix,
    nearest_passing,
    parse_hex,
    text_on,
)

from ..core.messages import lazy_gettext as _l

TEXT_MINIMUM = 4.5  # WCAG AA for body text
GRAPHIC_MINIMUM = 3.0  # WCAG AA for large text and graphics: a wordmark on the page background


@dataclass(frozen=True)
class Palette:
    """A shop's four colours, each "#rrggbb"; any spelling parse_hex accepts is normalised on creation."""

    primary: str
    accent: str
    background: str
    text: str

    def __post_init__(self):
        for name in ("primary", "accent", "background", "text"):
            colour = parse_hex(getattr(self, name))
            if colour is None:
                raise ValueError(f"{name} is not a colour: {getattr(self, name)!r}")
            object.__setattr__(self, name, colour)

    @property
    def on_primary(self) -> str:
        """Text colour for anything filled with the primary colour."""
        return text_on(self.primary)

    @property
    def primary_ink(self) -> str:
        """The primary, darkened or lightened just enough to stand out (3:1) on the background:
        for wordmarks, headings and outlines drawn straight on the page."""
        return nearest_passing(self.primary, self.background, GRAPHIC_MINIMUM)

    def as_dict(self) -> dict[str, str]:
        """The four colours by name, e.g. for JSON; Palette(**p.as_dict()) == p."""
        return asdict(self)


@dataclass(frozen=True)
class CuratedPalette:
    """A ready-made palette the wizard offers, with a translatable name."""

    code: str
    name: object  # a lazy string: str(name) in the current locale
    palette: Palette


CURATED: list[CuratedPalette] = [
    CuratedPalette("turquoise", _l("Turquoise"), Palette("#0b6e75", "#d9a441", "#f2f9f8", "#13282b")),
    CuratedPalette("saffron", _l("Saffron"), Palette("#b34a0c", "#7a1f2b", "#fff8ec", "#2b1d0e")),
    CuratedPalette("pomegranate", _l("Pomegranate"), Palette("#9b1b30", "#e0a43a", "#fdf4f2", "#2a1215")),
    CuratedPalette("indigo", _l("Indigo"), Palette("#2d3a8c", "#c9a227", "#f4f5fb", "#161a2e")),
    CuratedPalette("pistachio", _l("Pistachio"), Palette("#4e7021", "#a8506b", "#f5f8ec", "#1d2611")),
    CuratedPalette("clay", _l("Clay"), Palette("#9a4a2c", "#2f6f73", "#fbf4ee", "#2b1b14")),
    CuratedPalette("rose", _l("Rose water"), Palette("#a8355f", "#5f8a56", "#fdf3f6", "#2b1420")),
    CuratedPalette(
        "saffron-turquoise", _l("Saffron and turquoise"), Palette("#0f6870", "#e3a21a", "#fffaf0", "#1d2326")
    ),
    CuratedPalette("kilim", _l("Kilim red"), Palette("#a4262c", "#23395b", "#faf5ee", "#23191a")),
    CuratedPalette("lapis", _l("Lapis"), Palette("#1f4e8c", "#d4a017", "#f3f6fb", "#121c2b")),
    CuratedPalette("walnut", _l("Walnut"), Palette("#6b4430", "#c58b3a", "#faf6f1", "#241a14")),
]


def curated(code: str) -> CuratedPalette | None:
    """The curated palette with this code, if any."""
    return next((entry for entry in CURATED if entry.code == code), None)


@dataclass
class PaletteCheck:
    """Whether a palette's text reads well (WCAG AA), the ratios, and passing colours to offer instead."""

    passes: bool
    text_on_background: float
    text_on_primary: float
    suggestions: dict[str, str] = field(default_factory=dict)  # field name → a passing "#rrggbb"


def readable_fill(colour: str, minimum: float = TEXT_MINIMUM) -> str:
    """The shade of `colour` closest to it on which white or near-black text reaches `minimum`."""
    shades = [nearest_passing(colour, ink, minimum) for ink in (WHITE, NEAR_BLACK)]
    return min(shades, key=lambda shade: delta_e(shade, colour))


def check_palette(p: Palette) -> PaletteCheck:
    """Check text on the background and on_primary text on the primary against WCAG AA (4.5:1)."""
    on_background = contrast_ratio(p.text, p.background)
    on_primary = contrast_ratio(p.on_primary, p.primary)
    suggestions = {}
    if on_background < TEXT_MINIMUM:
        suggestions["text"] = nearest_passing(p.text, p.background, TEXT_MINIMUM)
    if on_primary < TEXT_MINIMUM:
        suggestions["primary"] = readable_fill(p.primary)
    return PaletteCheck(not suggestions, on_background, on_primary, suggestions)


def extract_colours(image: Image.Image, count: int = 5) -> list[str]:
    """The dominant colours of an image, most common first, as "#rrggbb" (transparent pixels ignored)."""
    # A 128-px sample says as much about colour as millions of pixels. NEAREST picks real pixels
    # rather than averaging neighbours into edge colours the image does not have.
    scale = min(1.0, 128 / max(image.size))
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    small = image.convert("RGBA").resize(size, Image.Resampling.NEAREST)
    # Pillow's return types depend on the mode; in RGBA the extrema are (lowest, highest) per band
    # and each pixel is an (r, g, b, a) tuple.
    if cast(tuple[tuple[int, int], ...], small.getextrema())[3][0] == 0:
        # Keep only visible pixels; on a 128-px sample a comprehension is a millisecond.
        flattened = cast(tuple[tuple[int, ...], ...], small.get_flattened_data())
        visible = [pixel[:3] for pixel in flattened if pixel[3] > 0]
        if not visible:
            return []
        rgb = Image.new("RGB", (len(visible), 1))
        rgb.putdata(visible)
    else:
        rgb = small.convert("RGB")
    # Cut finer than asked, then merge shades the eye would call one colour, so a photo's five
    # colours are not five beiges of the same wall.
    quantised = rgb.quantize(colors=max(16, count * 3), method=Image.Quantize.MEDIANCUT)
    # A quantised image always has a palette, and its colours are (pixel count, palette index):
    # getcolors gives None only past 256 colours.
    flat = cast(list[int], quantised.getpalette())
    colors = cast(list[tuple[int, int]], quantised.getcolors())
    groups: list[list] = []  # [pixel count, "#rrggbb"] of the most common member
    for pixels, index in sorted(colors, reverse=True):
        colour = "#" + bytes(flat[index * 3 : index * 3 + 3]).hex()
        near = next((group for group in groups if delta_e(group[1], colour) < 12), None)
        if near:
            near[0] += pixels
        else:
            groups.append([pixels, colour])
    groups.sort(key=lambda group: -group[0])
    total = sum(pixels for pixels, _ in groups)
    # Below 1% is anti-aliasing and noise, not a colour of the image.
    return [colour for pixels, colour in groups if pixels >= total / 100][:count]


def photo_swatches(main: list[str], count: int = 5) -> list[str]:
    """Exactly `count` swatches for "colours from your photo": the photo's main colours (from
    extract_colours) first, then lighter and darker shades of them when the photo has fewer (a cloth
    of one colour still shows five, as the page promises). Empty only when `main` is empty."""
    colours = list(main[:count])
    for amount in (0.3, 0.5, 0.7, 0.15, 0.85):
        for base in list(colours):
            for towards in (WHITE, "#000000"):
                if len(colours) >= count:
                    return colours
                shade = mix(base, towards, amount)
                if all(delta_e(shade, colour) >= 8 for colour in colours):
                    colours.append(shade)
    return colours


def _chroma(colour: str) -> float:
    _, a, b = hex_to_lab(colour)
    return math.hypot(a, b)


def _hue_gap(first: str, second: str) -> float:
    _, a1, b1 = hex_to_lab(first)
    _, a2, b2 = hex_to_lab(second)
    gap = abs(math.degrees(math.atan2(b1, a1) - math.atan2(b2, a2))) % 360
    return min(gap, 360 - gap)


def palette_from_colours(colours: list[str]) -> Palette:
    """A palette that passes check_palette, built from colours such as extract_colours gives: the
    strongest colour as primary, a different hue as accent, a near-white tint as background."""
    colours = [c for c in (parse_hex(c) for c in colours) if c]
    if not colours:
        return CURATED[0].palette

    # Strength = chroma, less for colours so light or dark they are really paper or ink, and less
    # down the list, so the colour that covers most of a logo wins over a small bright detail.
    def strength(item: tuple[int, str]) -> float:
        rank, colour = item
        midtone = 20 < hex_to_lab(colour)[0] < 92
        return _chroma(colour) * (1 if midtone else 0.3) * 0.5**rank

    by_strength = [c for _, c in sorted(enumerate(colours), key=strength, reverse=True)]
    primary = by_strength[0]
    accent = next(
        (c for c in by_strength[1:] if _chroma(c) > 15 and _hue_gap(c, primary) > 30),
        None,
    )
    lightness, a, b = hex_to_lab(primary)
    if accent is None:
        # One-colour images (or greys) get a lighter tone of the primary as accent.
        accent = lab_to_hex((min(lightness + 30, 85), a, b))
    lightest = max(colours, key=lambda c: hex_to_lab(c)[0])
    _, la, lb = hex_to_lab(lightest)
    tint = max(1.0, math.hypot(la, lb))
    # A whisper of the lightest colour's hue (chroma ≤ 4): paper, not a coloured page.
    background = lab_to_hex((97.5, la / tint * min(tint, 4), lb / tint * min(tint, 4)))
    text = lab_to_hex((14, a / max(1.0, _chroma(primary)) * 6, b / max(1.0, _chroma(primary)) * 6))
    text = nearest_passing(text, background, TEXT_MINIMUM)
    primary = readable_fill(primary)
    return Palette(primary=primary, accent=accent, background=background, text=text)
