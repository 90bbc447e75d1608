"""Colour parsing and WCAG contrast: the numbers the wizard's colour check and every renderer rely on."""

import math

import pytest

from marketplace.branding.contrast import (
    NEAR_BLACK,
    WHITE,
    contrast_ratio,
    hex_to_lab,
    lab_to_hex,
    mix,
    nearest_passing,
    parse_hex,
    relative_luminance,
    text_on,
)


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("#abc", "#aabbcc"),
        ("abc", "#aabbcc"),
        ("#AABBCC", "#aabbcc"),
        ("aabbcc", "#aabbcc"),
        ("  #0E7C86 ", "#0e7c86"),
        ("#۱۲۳۴۵۶", "#123456"),  # Persian digits from a Persian keyboard
        ("٠٠٠", "#000000"),  # Arabic-Indic digits
    ],
)
def test_parse_hex_accepts_what_producers_type(typed, parsed):
    assert parse_hex(typed) == parsed


@pytest.mark.parametrize("typed", [None, "", "#", "#12", "#1234", "#12345", "#1234567", "red", "#ggg", "12 34 56", 123])
def test_parse_hex_rejects_non_colours(typed):
    assert parse_hex(typed) is None


def test_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)  # order does not matter
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.005)  # just fails AA
    assert contrast_ratio("#767676", "#ffffff") >= 4.54  # the lightest grey that passes on white
    assert contrast_ratio("#abcdef", "#abcdef") == pytest.approx(1)
    assert relative_luminance("#ffffff") == pytest.approx(1)
    assert relative_luminance("#000") == 0
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)


def _hue(colour: str) -> float:
    _, a, b = hex_to_lab(colour)
    return math.degrees(math.atan2(b, a))


@pytest.mark.parametrize(
    ("colour", "against"),
    [
        ("#f4c430", "#ffffff"),  # saffron yellow on white: must darken
        ("#40e0d0", "#ffffff"),  # turquoise on white
        ("#ff0000", "#ffffff"),
        ("#9b1b30", "#1f2328"),  # pomegranate on near-black: must lighten
        ("#2d3a8c", "#000000"),
        ("#888888", "#ffffff"),
    ],
)
def test_nearest_passing_finds_a_close_shade_of_the_same_hue(colour, against):
    shade = nearest_passing(colour, against)
    assert parse_hex(shade) == shade
    assert contrast_ratio(shade, against) >= 4.5
    lightness, a, b = hex_to_lab(colour)
    new_lightness, *_ = hex_to_lab(shade)
    if math.hypot(a, b) > 20:  # greys have no hue to keep
        gap = abs(_hue(shade) - _hue(colour)) % 360
        assert min(gap, 360 - gap) < 6
    # Closest: a shade moved two L* units less in the same direction would not pass.
    step = 2 if new_lightness > lightness else -2
    assert contrast_ratio(lab_to_hex((new_lightness - step, a, b)), against) < 4.5


def test_nearest_passing_keeps_a_passing_colour_and_honours_the_minimum():
    assert nearest_passing("#0b6e75", "#ffffff") == "#0b6e75"
    assert nearest_passing("#888888", "#ffffff") == "#767676"  # the well-known AA grey
    large = nearest_passing("#f4c430", "#ffffff", minimum=3)
    assert 3 <= contrast_ratio(large, "#ffffff") < 3.2
    assert nearest_passing("#777777", "#808080", minimum=22) in ("#000000", "#ffffff")  # unreachable


def test_text_on_picks_the_more_readable_ink():
    assert text_on("#0b6e75") == WHITE
    assert text_on("#f4c430") == NEAR_BLACK
    assert text_on("#ffffff") == NEAR_BLACK
    assert text_on("#000000") == WHITE
    assert contrast_ratio(NEAR_BLACK, WHITE) > 15


def test_lab_round_trip_and_mix():
    for colour in ("#0b6e75", "#f4c430", "#9b1b30", "#ffffff", "#000000"):
        assert lab_to_hex(hex_to_lab(colour)) == colour
    assert mix("#000000", "#ffffff", 0.5) == "#808080"
    assert mix("#123456", "#abcdef", 0) == "#123456"
