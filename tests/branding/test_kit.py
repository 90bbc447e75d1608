"""The brand kit: exact print and screen sizes, dpi, and QR codes that scan to the storefront."""

import pytest
import zxingcpp
from PIL import Image, ImageDraw

from marketplace.branding.fonts import font_by_key
from marketplace.branding.kit import (
    KIT_ITEMS,
    KitInputs,
    business_card,
    mm_to_px,
    render_item,
    render_kit,
    sticker_sheet,
)
from marketplace.branding.logo import render_logo
from marketplace.branding.palette import curated

PALETTE = curated("pomegranate").palette
ASCII_URL = "https://rooyesh.example/shop/golduzi-maryam"
PERSIAN_URL = "https://rooyesh.example/shop/ترشی-و-مربای-خانگی-مادربزرگ"


@pytest.fixture(scope="module")
def logo():
    return render_logo("badge", "گلدوزی مریم", PALETTE, font_by_key("kufi-bold") or font_by_key("sans-bold")).image


@pytest.fixture(scope="module")
def photo():
    image = Image.new("RGB", (1600, 1000), "#c98b4f")
    ImageDraw.Draw(image).ellipse((500, 200, 1100, 800), fill="#2f6f73")
    return image


def _inputs(logo, **changes):
    values = {
        "logo": logo,
        "shop_name": "گلدوزی مریم",
        "tagline": "سوزن‌دوزی و گلدوزی دست‌ساز، مشهد",
        "contact": "۰۹۱۵ ۱۲۳ ۴۵۶۷ — @golduzi.maryam",
        "storefront_url": ASCII_URL,
        "palette": PALETTE,
    }
    return KitInputs(**{**values, **changes})


def test_kit_items_have_the_print_sizes():
    items = {item.key: item for item in KIT_ITEMS}
    assert (items["sticker_sheet"].width, items["sticker_sheet"].height, items["sticker_sheet"].dpi) == (
        2480,
        3508,
        300,
    )
    assert (items["business_card"].width, items["business_card"].height, items["business_card"].dpi) == (1004, 650, 300)
    assert (items["story"].width, items["story"].height) == (1080, 1920)
    assert (items["share_image"].width, items["share_image"].height) == (1200, 630)
    assert mm_to_px(85) == 1004 and mm_to_px(55) == 650
    assert len({item.filename for item in KIT_ITEMS}) == len(KIT_ITEMS)
    assert all(str(item.label) for item in KIT_ITEMS)


@pytest.mark.parametrize(
    ("with_photo", "logo_style"), [(True, None), (False, None), (True, "wordmark"), (False, "wordmark")]
)
def test_render_kit_sizes_and_dpi(logo, photo, with_photo, logo_style):
    extra = {"photo": photo, "price_text": "۴۸۰٬۰۰۰ تومان"} if with_photo else {}
    extra["logo_style"] = logo_style
    kit = render_kit(_inputs(logo, **extra))  # its time is measured by bench/branding.py
    assert set(kit) == {item.key for item in KIT_ITEMS}
    for item in KIT_ITEMS:
        image = kit[item.key]
        assert image.mode == "RGB"
        assert image.size == (item.width, item.height), item.key
        assert image.info["dpi"] == (item.dpi, item.dpi), item.key


def test_photo_fills_the_post_and_story(logo, photo):
    kit = render_kit(_inputs(logo, photo=photo))
    # The photo is cropped to fill: its colours reach the corners.
    assert kit["square_post"].getpixel((5, 5)) == (0xC9, 0x8B, 0x4F)
    assert kit["story"].getpixel((1074, 5)) == (0xC9, 0x8B, 0x4F)
    without = render_kit(_inputs(logo))
    assert without["square_post"].getpixel((5, 5)) != (0xC9, 0x8B, 0x4F)


def _decoded(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.mark.parametrize("url", [ASCII_URL, PERSIAN_URL])
def test_sticker_qr_codes_scan_to_the_storefront(logo, url):
    sheet = sticker_sheet(logo, "گلدوزی مریم", "۰۹۱۵ ۱۲۳ ۴۵۶۷", url, PALETTE)
    assert sheet.info["dpi"] == (300, 300)
    decoded = _decoded(sheet)
    assert decoded and set(decoded) == {url}
    assert len(decoded) == 18  # every sticker on the 3×6 sheet
    one = sheet.crop((0, 0, sheet.width // 3, sheet.height // 6))  # a single sticker cut out
    assert _decoded(one) == [url]


@pytest.mark.parametrize("url", [ASCII_URL, PERSIAN_URL])
def test_business_card_qr_scans_to_the_storefront(logo, url):
    card = business_card(logo, "گلدوزی مریم", "سوزن‌دوزی دست‌ساز", "۰۹۱۵ ۱۲۳ ۴۵۶۷", url, PALETTE)
    assert card.size == (1004, 650) and card.info["dpi"] == (300, 300)
    assert _decoded(card) == [url]


def test_long_name_and_contact_still_render(logo):
    name = "ترشی و مربای خانگی مادربزرگ از محلهٔ خواجه ربیع"
    kit = render_kit(
        _inputs(
            logo,
            shop_name=name,
            contact="تلفن: ۰۹۱۵۱۲۳۴۵۶۷ — اینستاگرام: @madarbozorg.torshi",
            storefront_url=PERSIAN_URL,
        )
    )
    assert _decoded(kit["business_card"]) == [PERSIAN_URL]


def test_render_item_draws_one_item(logo):
    card = render_item("business_card", _inputs(logo))
    assert card.size == (1004, 650) and card.info["dpi"] == (300, 300)
    with pytest.raises(KeyError):
        render_item("poster", _inputs(logo))
