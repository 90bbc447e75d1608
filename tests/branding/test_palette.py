"""Palettes: the curated ones, the contrast check with its suggestions, colours taken from images."""

import pytest
from PIL import Image, ImageDraw

from marketplace.branding.contrast import contrast_ratio, delta_e
from marketplace.branding.palette import (
    CURATED,
    Palette,
    check_palette,
    curated,
    extract_colours,
    palette_from_colours,
    photo_swatches,
)


def test_curated_palettes_cover_the_crafts_and_all_pass():
    codes = [entry.code for entry in CURATED]
    assert len(codes) >= 8 and len(set(codes)) == len(codes)
    for code in ("turquoise", "saffron", "pomegranate", "indigo", "pistachio", "clay"):
        assert code in codes
    for entry in CURATED:
        result = check_palette(entry.palette)
        assert result.passes, (entry.code, result)
        assert str(entry.name)  # a lazy English msgid, translated by the lead
        # Curated primaries also stand out on their own background (wordmarks drawn on the page).
        assert contrast_ratio(entry.palette.primary, entry.palette.background) >= 3, entry.code
    assert curated("saffron").palette == CURATED[1].palette
    assert curated("no-such") is None


def test_palette_normalises_and_round_trips():
    palette = Palette(primary="#ABC", accent=" ۱۲۳۴۵۶ ", background="ffffff", text="#1F2328")
    assert palette.as_dict() == {"primary": "#aabbcc", "accent": "#123456", "background": "#ffffff", "text": "#1f2328"}
    assert Palette(**palette.as_dict()) == palette
    with pytest.raises(ValueError, match="accent"):
        Palette(primary="#000", accent="purple", background="#fff", text="#000")


def test_on_primary_and_primary_ink():
    saffron = Palette(primary="#f4c430", accent="#7a1f2b", background="#ffffff", text="#1f2328")
    assert saffron.on_primary == "#1f2328"  # yellow takes dark text
    assert contrast_ratio(saffron.primary_ink, saffron.background) >= 3  # darkened for a wordmark
    turquoise = curated("turquoise").palette
    assert turquoise.on_primary == "#ffffff"
    assert turquoise.primary_ink == turquoise.primary  # already stands out


def test_check_palette_reports_failures_with_passing_suggestions():
    weak = Palette(primary="#808080", accent="#d4a017", background="#ffffff", text="#aaaaaa")
    result = check_palette(weak)
    assert not result.passes
    assert result.text_on_background == pytest.approx(contrast_ratio("#aaaaaa", "#ffffff"))
    assert result.text_on_primary < 4.5  # mid grey: neither white nor near-black reaches 4.5
    assert set(result.suggestions) == {"text", "primary"}
    fixed = Palette(**{**weak.as_dict(), **result.suggestions})
    assert check_palette(fixed).passes
    assert delta_e(fixed.primary, weak.primary) < 15  # a nearby grey, not black


def _image(parts: list[tuple[str, int]], size: int = 200) -> Image.Image:
    """Horizontal stripes: (colour, percent of the height), top to bottom."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw, top = ImageDraw.Draw(image), 0
    for colour, percent in parts:
        height = size * percent // 100
        draw.rectangle((0, top, size - 1, top + height - 1), fill=colour)
        top += height
    return image


def test_extract_colours_orders_by_share():
    image = _image([("#00ff00", 10), ("#ff0000", 60), ("#0000ff", 30)]).convert("RGB")
    colours = extract_colours(image)
    assert len(colours) == 3
    for found, expected in zip(colours, ("#ff0000", "#0000ff", "#00ff00"), strict=True):
        assert delta_e(found, expected) < 3, colours


def test_extract_colours_ignores_transparent_pixels_and_limits_count():
    image = _image([("#ff00ff00", 70), ("#2f6f73", 20), ("#d9a441", 10)])  # fully transparent magenta
    colours = extract_colours(image)
    assert delta_e(colours[0], "#2f6f73") < 3
    assert all(delta_e(colour, "#ff00ff") > 30 for colour in colours)
    many = _image([(f"#{i * 40:02x}{255 - i * 40:02x}80", 16) for i in range(6)])
    assert len(extract_colours(many, count=3)) == 3
    assert extract_colours(Image.new("RGBA", (50, 50), (0, 0, 0, 0))) == []


def test_extract_colours_merges_near_shades():
    # A slightly uneven beige wall is one colour, not five.
    image = Image.new("RGB", (100, 100), "#e8d9c0")
    ImageDraw.Draw(image).rectangle((0, 0, 49, 99), fill="#e6d7bd")
    ImageDraw.Draw(image).rectangle((0, 80, 99, 99), fill="#9b1b30")
    colours = extract_colours(image)
    assert len(colours) == 2 and delta_e(colours[1], "#9b1b30") < 3


@pytest.mark.parametrize(
    "colours",
    [
        ["#ff0000", "#0000ff", "#00ff00"],
        ["#f4c430", "#fff8e7", "#40e0d0"],  # light saffron, cream, turquoise
        ["#777777"],  # only grey
        ["#ffffff", "#fafafa"],  # only white
        ["#111111"],
        [],
        ["not a colour", "#0b6e75"],
    ],
)
def test_palette_from_colours_always_passes(colours):
    palette = palette_from_colours(colours)
    assert check_palette(palette).passes, palette
    assert contrast_ratio(palette.text, palette.background) >= 4.5


def test_palette_from_colours_keeps_the_image_character():
    colours = extract_colours(_image([("#0b6e75", 60), ("#ffffff", 30), ("#d9a441", 10)]).convert("RGB"))
    palette = palette_from_colours(colours)
    assert delta_e(palette.primary, "#0b6e75") < 5  # the dominant strong colour
    assert delta_e(palette.accent, "#d9a441") < 5
    assert palette.background > "#f0f0f0" and contrast_ratio(palette.background, "#ffffff") < 1.15  # near-white


@pytest.mark.parametrize("colour", ["#ffffff", "#000000", "#9b1b30", "#e8d9c0"])
def test_photo_swatches_always_shows_five_distinct_colours(colour):
    """The colours step promises 5 colours from her photo; a photo of one colour still gets five."""
    main = extract_colours(Image.new("RGB", (60, 60), colour))
    swatches = photo_swatches(main, 5)
    assert len(swatches) == 5 and swatches[0] == main[0]
    assert all(delta_e(a, b) >= 8 for i, a in enumerate(swatches) for b in swatches[i + 1 :])
    assert photo_swatches([], 5) == []
