"""Persian fonts for logos and the brand kit: the OFL font packages in requirements.txt, each kept only
if it covers every Persian letter, and the checks that Pillow really shapes Persian (raqm).

Without raqm, Pillow draws Arabic-script letters unjoined and left to right: a logo that looks
broken to every Persian reader. So the app refuses to start without it (require_raqm), and the
tests compare raqm's output against known glyph sequences."""

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import fontpkg
from fontTools.ttLib import TTFont
from PIL import ImageFont, features

from ..core.messages import lazy_gettext as _l

ZWNJ = "\u200c"  # نیم‌فاصله: keeps a word's parts apart without a space («می‌خواهم»)
# The 32 letters of the Persian alphabet, with the four Arabic lacks (پ چ ژ گ) and Persian ی and ک.
PERSIAN_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی" + ZWNJ
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"  # prices and phone numbers in the kit


@dataclass(frozen=True)
class BrandFont:
    """One usable face: a stable key (stored with a chosen logo), a label, the file and its weight."""

    key: str
    label: object  # lazy string
    path: Path
    weight: int  # CSS-style: 400 regular, 700 bold; variable fonts are set to it on load
    variable: bool = False

    def load(self, size: int) -> ImageFont.FreeTypeFont:
        """The face at `size` px with raqm layout (bidi, shaping) and, for variable fonts, the weight set."""
        font = ImageFont.truetype(str(self.path), size, layout_engine=ImageFont.Layout.RAQM)
        if self.variable:
            axes = font.get_variation_axes()
            # Pillow types an axis's default as optional; FreeType always reports one for a variable font.
            font.set_variation_by_axes(
                [self.weight if axis["name"] in (b"Weight", "Weight") else axis["default"] for axis in axes]  # type: ignore[misc]
            )
        return font


# The faces we offer, best logo faces first: (key, label, fontpkg family, weight).
_CHOICES = [
    ("kufi-bold", _l("Kufi, bold"), "noto-kufi-arabic", 700),
    ("naskh-bold", _l("Naskh, bold"), "amiri", 700),
    ("sans-bold", _l("Sans, bold"), "noto-sans-arabic", 700),
    ("plex-bold", _l("Plex, bold"), "ibm-plex-sans-arabic", 700),
    ("cairo-bold", _l("Cairo, bold"), "cairo", 700),
    ("sans-regular", _l("Sans"), "noto-sans-arabic", 400),
    ("naskh-regular", _l("Naskh"), "amiri", 400),
    ("kufi-regular", _l("Kufi"), "noto-kufi-arabic", 400),
    ("plex-regular", _l("Plex"), "ibm-plex-sans-arabic", 400),
    ("cairo-regular", _l("Cairo"), "cairo", 400),
]


def require_raqm() -> None:
    """Fail loudly when Pillow lacks raqm (libraqm, FriBiDi, HarfBuzz): Persian would be drawn unjoined."""
    if not features.check("raqm"):
        raise RuntimeError(
            "Pillow was built without raqm (or cannot load libfribidi), so it cannot shape Persian: "
            "logos and the brand kit would show unjoined letters in the wrong order. Install the "
            "Pillow wheel from PyPI (it bundles raqm) or install libraqm/libfribidi and rebuild Pillow."
        )


def missing_codepoints(font_path: Path | str, text: str = PERSIAN_LETTERS + PERSIAN_DIGITS) -> str:
    """The characters of `text` that the font's character map does not cover."""
    cmap = TTFont(str(font_path), lazy=True, fontNumber=0).getBestCmap() or {}
    return "".join(dict.fromkeys(c for c in text if ord(c) not in cmap))


def zwnj_separates(font_path: Path | str) -> bool:
    """True when raqm draws «می‌خواهم» as «می» then «خواهم»: unjoined, with nothing between them.

    HarfBuzz takes joining from Unicode and hides a ZWNJ the font lacks, so such a font works too;
    a joined ZWNJ would change the width, and a tofu box would add one."""
    font = ImageFont.truetype(str(font_path), 64, layout_engine=ImageFont.Layout.RAQM)

    def width(text: str) -> float:
        return font.getlength(text, direction="rtl", language="fa")

    separate = width("می") + width("خواهم")
    return abs(width("می" + ZWNJ + "خواهم") - separate) < 0.5 and abs(width("میخواهم") - separate) > 2


def covers_persian(font_path: Path | str) -> bool:
    """Whether the font has every Persian letter and digit, and separates words at a ZWNJ."""
    missing = missing_codepoints(font_path)
    if missing == "":
        return True
    return missing == ZWNJ and zwnj_separates(font_path)


def _family_file(family: str, weight: int) -> tuple[Path, bool] | None:
    try:
        chosen = fontpkg.select_file(fontpkg.family(family), weight, "normal")
    except fontpkg.FontpkgError:  # that family or weight is not installed
        return None
    return Path(chosen.path), bool(chosen.variable)


@cache
def available_fonts() -> list[BrandFont]:
    """The installed faces that cover Persian, best logo faces first (checked once per process)."""
    fonts = []
    for key, label, family, weight in _CHOICES:
        found = _family_file(family, weight)
        if found and found[0].exists() and covers_persian(found[0]):
            fonts.append(BrandFont(key, label, found[0], weight, variable=found[1]))
    return fonts


def font_by_key(key: str | None) -> BrandFont | None:
    """The available face with this key, if any."""
    return next((font for font in available_fonts() if font.key == key), None)


@cache
def unit_advance_font(font_path: Path | str) -> bytes:
    """A copy of the font in which every glyph advances exactly one em and nothing is repositioned
    (no GPOS, kern, variation metrics or hinting); marks stay zero-width. In it a shaped line is as many ems
    wide as it has glyphs, and each glyph sits in its own em-wide cell."""
    font = TTFont(str(font_path), fontNumber=0)
    # Hinting may round an advance to a neighbouring pixel, so it goes too.
    for table in ("GPOS", "kern", "HVAR", "VVAR", "MVAR", "hdmx", "LTSH", "VDMX", "fpgm", "prep", "cvt "):
        if table in font:
            del font[table]
    if "glyf" in font:
        for name in font.getGlyphOrder():
            font["glyf"][name].removeHinting()
    em = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    for glyph, (_, left_side_bearing) in metrics.items():
        metrics[glyph] = (em, left_side_bearing)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def shaped_glyph_count(text: str, font_path: Path | str, size: int = 64) -> int:
    """How many spacing glyphs raqm shapes `text` into (RTL Persian): ligatures such as لا count once,
    a ZWNJ not at all. Pillow exposes no glyph list, so this lays the text out in unit_advance_font,
    where the line's length in ems is the glyph count."""
    font = ImageFont.truetype(io.BytesIO(unit_advance_font(font_path)), size, layout_engine=ImageFont.Layout.RAQM)
    return round(font.getlength(text, direction="rtl", language="fa") / size)
