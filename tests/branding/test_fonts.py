"""Persian fonts and shaping: a font is offered only if it has every Persian letter, and raqm really
joins letters, orders them right to left and honours the ZWNJ. These fail when shaping is off."""

import io

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from PIL import Image, ImageChops, ImageDraw, ImageFont, features

from marketplace.branding.fonts import (
    PERSIAN_DIGITS,
    PERSIAN_LETTERS,
    ZWNJ,
    available_fonts,
    covers_persian,
    font_by_key,
    missing_codepoints,
    require_raqm,
    shaped_glyph_count,
    unit_advance_font,
    zwnj_separates,
)

# «گلدوزی مریم» as presentation forms in logical order: گ initial, ل medial, د final, و ز ی isolated
# (و and ز do not join to the left), then م initial, ر final, ی initial (Persian yeh keeps its dots
# there), م final. These are the glyphs a correct shaper must pick.
WORD = "گلدوزی مریم"
WORD_FORMS = "\ufb94\ufee0\ufeaa\ufeed\ufeaf\ufbfc \ufee3\ufeae\ufbfe\ufee2"


def test_persian_letters_are_the_32_letters_and_zwnj():
    letters = PERSIAN_LETTERS.replace(ZWNJ, "")
    assert len(letters) == 32 and len(set(letters)) == 32
    assert all(letter in letters for letter in "پچژگکی")
    assert ZWNJ in PERSIAN_LETTERS


def test_raqm_is_there():
    assert features.check("raqm")
    require_raqm()  # the app calls this at startup


def test_at_least_two_fonts_qualify_and_each_covers_persian():
    fonts = available_fonts()
    assert len(fonts) >= 2
    assert len({font.key for font in fonts}) == len(fonts)
    for font in fonts:
        assert covers_persian(font.path), font.key
        assert missing_codepoints(font.path) in ("", ZWNJ), font.key
        assert str(font.label)
    assert font_by_key(fonts[0].key) == fonts[0]
    assert font_by_key("no-such-font") is None


def test_variable_fonts_load_at_their_weight():
    bold, regular = font_by_key("sans-bold"), font_by_key("sans-regular")
    if not (bold and regular):
        pytest.skip("Noto Sans Arabic is not installed")
    assert bold.path == regular.path and bold.variable
    wide = bold.load(64).getbbox(WORD, direction="rtl", language="fa")
    narrow = regular.load(64).getbbox(WORD, direction="rtl", language="fa")
    assert wide[2] - wide[0] > narrow[2] - narrow[0]  # bold strokes are wider: the weight was set


@pytest.fixture(scope="module")
def noto_sans():
    font = font_by_key("sans-regular")
    if font is None:
        pytest.skip("Noto Sans Arabic is not installed")
    return font.path


def _subset_without(path, tmp_path, drop: str):
    """A copy of the font with the Persian letters, digits and space, less those in `drop`."""
    font = TTFont(path)
    keep = [ord(char) for char in PERSIAN_LETTERS + PERSIAN_DIGITS + " " if char not in drop]
    options = subset.Options()
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options=options)
    subsetter.populate(unicodes=keep)
    subsetter.subset(font)
    out = tmp_path / "subset.ttf"
    font.save(out)
    return out


def test_a_font_without_pe_is_rejected(noto_sans, tmp_path):
    assert covers_persian(noto_sans)
    without_pe = _subset_without(noto_sans, tmp_path, "پ")
    assert missing_codepoints(without_pe) == "پ"
    assert not covers_persian(without_pe)


def test_a_font_without_the_four_persian_letters_is_rejected(noto_sans, tmp_path):
    arabic_only = _subset_without(noto_sans, tmp_path, "پچژگ")
    assert set(missing_codepoints(arabic_only)) == set("پچژگ")
    assert not covers_persian(arabic_only)


def test_a_font_without_zwnj_still_separates_words(noto_sans, tmp_path):
    # HarfBuzz takes joining from Unicode and hides a ZWNJ the font lacks, so a font without the
    # character (IBM Plex Sans Arabic and Cairo have none) still writes «می‌خواهم» correctly.
    without_zwnj = _subset_without(noto_sans, tmp_path, ZWNJ)
    assert missing_codepoints(without_zwnj) == ZWNJ
    assert zwnj_separates(without_zwnj)
    assert covers_persian(without_zwnj)


def test_shaped_glyph_count_matches_the_known_joined_counts():
    for path in {font.path for font in available_fonts()}:
        # The ZWNJ is hidden: 7 glyphs for 8 characters (an unshaped layout draws all 8).
        assert shaped_glyph_count("می" + ZWNJ + "خواهم", path) == 7, path.name
        assert shaped_glyph_count(WORD, path) == 11, path.name


@pytest.mark.parametrize("key", ["plex-bold", "cairo-bold"])
def test_lam_alef_becomes_one_glyph(key):
    # These fonts draw لا as one ligature glyph, so «سلام» is 3 glyphs when shaped, 4 when not.
    font = font_by_key(key)
    if font is None:
        pytest.skip(f"{key} is not installed")
    assert shaped_glyph_count("سلام", font.path) == 3
    unshaped = ImageFont.truetype(io.BytesIO(unit_advance_font(font.path)), 64, layout_engine=ImageFont.Layout.BASIC)
    assert round(unshaped.getlength("سلام") / 64) == 4  # what broken shaping would give


def _ink(font: ImageFont.FreeTypeFont, text: str, **layout) -> Image.Image:
    image = Image.new("1", (64 * 14, 130), 0)
    ImageDraw.Draw(image).text((64, 20), text, font=font, fill=1, **layout)
    return image


def _overlap(first: Image.Image, second: Image.Image) -> float:
    union = ImageChops.logical_or(first, second).histogram()[-1]
    return ImageChops.logical_and(first, second).histogram()[-1] / union


def test_raqm_picks_the_joined_forms_right_to_left(noto_sans):
    # In the unit-advance copy every glyph sits in its own em-wide cell, so the shaped word and the
    # same glyphs typed as presentation forms must line up cell for cell. An unshaped layout
    # (isolated letters, left to right) overlaps them only by chance.
    data = unit_advance_font(noto_sans)
    raqm = ImageFont.truetype(io.BytesIO(data), 64, layout_engine=ImageFont.Layout.RAQM)
    basic = ImageFont.truetype(io.BytesIO(data), 64, layout_engine=ImageFont.Layout.BASIC)
    shaped = _ink(raqm, WORD, direction="rtl", language="fa")
    expected = _ink(raqm, WORD_FORMS, direction="rtl", language="fa")
    assert _overlap(shaped, expected) > 0.9
    assert _overlap(_ink(basic, WORD), expected) < 0.5
    assert _overlap(shaped.transpose(Image.Transpose.FLIP_LEFT_RIGHT), expected) < 0.5  # order matters


def test_zwnj_keeps_the_parts_of_a_word_apart():
    for font in available_fonts():
        assert zwnj_separates(font.path), font.key
