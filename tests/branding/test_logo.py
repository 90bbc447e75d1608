"""Logo candidates: four styles in two fonts, drawn inside the canvas for short and long names."""

import pytest
from PIL import Image

from marketplace.branding.contrast import contrast_ratio, hex_to_rgb
from marketplace.branding.draw import fit_text, isolate_ltr_runs, text_direction
from marketplace.branding.fonts import available_fonts
from marketplace.branding.logo import (
    STYLES,
    first_letter,
    logo_sizes,
    render_logo,
    render_logo_candidates,
)
from marketplace.branding.palette import Palette, curated

SHORT = "گلدوزی مریم"
LONG = "ترشی و مربای خانگی مادربزرگ از محلهٔ خواجه ربیع و شیرینی‌پزی"  # 60 characters
PALETTE = curated("turquoise").palette


@pytest.fixture(scope="module")
def candidates():
    return render_logo_candidates(SHORT, PALETTE)


@pytest.fixture(scope="module")
def long_candidates():
    return render_logo_candidates(LONG, PALETTE)


def test_long_name_is_sixty_characters():
    assert len(LONG) == 60


def test_eight_candidates_four_styles_two_fonts(candidates):
    assert len(candidates) >= 8
    assert {c.style for c in candidates} == set(STYLES)
    fonts = {c.font_key for c in candidates}
    assert len(fonts) == 2 and fonts <= {font.key for font in available_fonts()}
    for candidate in candidates:
        assert candidate.image.mode == "RGBA"
        assert candidate.image.size == (1024, 1024)


def _ink_box(image: Image.Image) -> tuple[int, int, int, int]:
    box = image.getchannel("A").point(lambda a: 255 if a > 24 else 0).getbbox()
    assert box is not None, "nothing was drawn"
    return box


@pytest.mark.parametrize("which", ["candidates", "long_candidates"])
def test_ink_is_substantial_and_inside_the_margins(which, request):
    for candidate in request.getfixturevalue(which):
        left, top, right, bottom = _ink_box(candidate.image)
        margin = 1024 * 0.02
        assert left >= margin and top >= margin, (candidate.style, candidate.font_key)
        assert right <= 1024 - margin and bottom <= 1024 - margin, (candidate.style, candidate.font_key)
        area = (right - left) * (bottom - top) / 1024**2
        assert area > 0.15, (candidate.style, candidate.font_key, area)


def test_a_long_name_shrinks_into_the_same_shapes(candidates, long_candidates):
    # Shaped styles keep their outline whatever the name; text never pokes out of them.
    for short, long in zip(candidates, long_candidates, strict=True):
        if short.style != "wordmark":
            assert _ink_box(short.image) == _ink_box(long.image), short.style


def _share(image: Image.Image, colour: str, box) -> float:
    """Share of the pixels in box that are (almost) exactly `colour` and opaque."""
    r, g, b = hex_to_rgb(colour)
    region = image.crop(box)
    close = [
        p for p in region.get_flattened_data() if p[3] > 250 and abs(p[0] - r) + abs(p[1] - g) + abs(p[2] - b) < 12
    ]
    return len(close) / (region.width * region.height)


def test_text_uses_readable_palette_colours():
    saffron = Palette(primary="#f4c430", accent="#7a1f2b", background="#fff8ec", text="#2b1d0e")
    face = available_fonts()[0]
    monogram = render_logo("monogram", SHORT, saffron, face, 256).image
    centre = (64, 64, 192, 192)
    assert _share(monogram, saffron.primary, centre) > 0.3
    assert _share(monogram, saffron.on_primary, centre) > 0.03  # the letter, in dark ink on yellow
    wordmark = render_logo("wordmark", SHORT, saffron, face, 256).image
    # Yellow would vanish on the cream page: the wordmark is drawn in a darkened saffron.
    assert contrast_ratio(saffron.primary_ink, saffron.background) >= 3
    assert _share(wordmark, saffron.primary_ink, (0, 0, 256, 256)) > 0.02


def test_render_logo_at_other_sizes():
    image = render_logo("stamp", SHORT, PALETTE, available_fonts()[0], 300).image
    assert image.size == (300, 300)
    left, top, right, bottom = _ink_box(image)
    assert left >= 3 and right <= 297


@pytest.mark.parametrize(
    ("name", "letter"),
    [("گلدوزی مریم", "گ"), ("«آش رشته»", "آ"), ("۱۲ گل", "گ"), ("  ژاله", "ژ"), ("maryam", "M"), ("؟", "؟")],
)
def test_first_letter(name, letter):
    assert first_letter(name) == letter


def test_logo_sizes(candidates):
    sizes = logo_sizes(candidates[0].image)
    assert sorted(sizes) == [32, 192, 512, 1024]
    for px, image in sizes.items():
        assert image.size == (px, px) and image.mode == "RGBA"
        assert image.getchannel("A").getbbox() is not None


def test_fit_text_never_overflows():
    face = available_fonts()[0]
    for text in (SHORT, LONG, "ب" * 60, "آ"):
        block = fit_text(face, text, 400, 150, 120, max_lines=3)
        assert block.width <= 400 and block.height <= 150
        assert 1 <= len(block.lines) <= 3
    assert len(fit_text(face, LONG, 400, 300, 120, max_lines=3).lines) > 1  # a long name wraps


def test_bidi_helpers():
    assert text_direction("گلدوزی") == "rtl"
    assert text_direction("Maryam's") == "ltr"
    assert text_direction("۱۲ گل") == "rtl"
    assert isolate_ltr_runs("تلفن: ۰۹۱۵ ۱۲۳ ۴۵۶۷") == "تلفن: \u2066۰۹۱۵ ۱۲۳ ۴۵۶۷\u2069"
    assert isolate_ltr_runs("اینستاگرام: @maryam.golduzi") == "اینستاگرام: \u2066@maryam.golduzi\u2069"
    assert isolate_ltr_runs("۱، ۲ و ۳") == "\u2066۱\u2069، \u2066۲\u2069 و \u2066۳\u2069"  # a Persian list stays RTL
    assert isolate_ltr_runs("Maryam Crafts 2") == "Maryam Crafts 2"
