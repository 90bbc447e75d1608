"""Build the self-hosted Persian webfont: Noto Sans Arabic (OFL, from a pip font package),
pinned to normal width, cut to the weights the CSS uses, subset to Persian, Arabic punctuation
and basic Latin, saved as WOFF2. Run by `make assets`; the output is not committed."""

import io
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

# Arabic block (Persian letters, digits, punctuation, diacritics), joiners and marks,
# basic Latin and the few symbols the layout shows.
UNICODES = [
    *range(0x0020, 0x007F),
    0x00A0,
    0x00AB,
    0x00BB,
    0x00D7,
    *range(0x0600, 0x0700),
    0x200C,
    0x200D,
    0x200E,
    0x200F,
    0x2010,
    0x2013,
    0x2014,
    0x2018,
    0x2019,
    0x201C,
    0x201D,
    0x2022,
    0x2026,
    0x2039,
    0x203A,
    0xFD3E,
    0xFD3F,
]


def source_font() -> Path:
    """The variable Noto Sans Arabic shipped by fontpkg-noto-sans-arabic."""
    import fontpkg_noto_sans_arabic

    folder = Path(fontpkg_noto_sans_arabic.__file__).parent / "files"
    return next(folder.glob("NotoSansArabic*.ttf"))


def build_webfont(destination: Path) -> Path:
    """Write the subset WOFF2 (weights 400–700 in one variable file) to `destination`."""
    font = TTFont(source_font())
    axes = {axis.axisTag for axis in font["fvar"].axes} if "fvar" in font else set()
    limits: dict[str, int | tuple[int, int]] = {}
    if "wdth" in axes:
        limits["wdth"] = 100
    if "wght" in axes:
        limits["wght"] = (400, 700)
    if limits:
        font = instancer.instantiateVariableFont(font, limits)
        buffer = io.BytesIO()  # reload so the subsetter sees fully decompiled tables
        font.save(buffer)
        buffer.seek(0)
        font = TTFont(buffer)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    destination.parent.mkdir(parents=True, exist_ok=True)
    font.flavor = "woff2"
    font.save(destination)
    return destination


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "static/fonts/rooyesh-sans.woff2")
    built = build_webfont(out)
    print(f"{built}: {built.stat().st_size // 1024} KB")
