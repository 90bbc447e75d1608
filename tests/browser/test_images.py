"""Which image files a 390-px phone really downloads (Chromium chooses from srcset and sizes)."""

import re
import urllib.parse

from playwright.sync_api import expect

from tests.browser.conftest import snap

SHOP = "/shop/" + urllib.parse.quote("گلدوزی-مریم")


def chosen(page, selector: str) -> list[str]:
    """The file each matching image was drawn from (its currentSrc), once it has loaded."""
    page.wait_for_function(f"[...document.querySelectorAll({selector!r})].every(img => img.complete)")
    return page.eval_on_selector_all(selector, "images => images.map(img => img.currentSrc)")


def test_phone_downloads_the_card_and_photo_sizes_it_shows(live_server, phone_page):
    """A 390-px phone at 2 device pixels per CSS pixel: a card is 175 CSS px (350 device px: the
    480-px file, not the 640 or 800 one), the product photo 315 (630: the 640-px file), a logo 56
    or 96 (the 112- and 192-px WebP, not the PNG)."""
    page = phone_page
    page.goto(live_server + "/c/home-food")
    cards = chosen(page, ".product-grid .photo-frame img:not([loading])")
    assert cards and all(src.endswith("-480.webp") for src in cards), cards
    width = page.eval_on_selector(".product-grid .photo-frame img", "img => img.getBoundingClientRect().width")
    assert 170 <= width <= 180
    snap(page, "images-category")

    page.locator(".product-card a").first.click()
    expect(page).to_have_url(re.compile(r"/p/\d+/"))
    (photo,) = chosen(page, ".gallery img[fetchpriority=high]")
    assert photo.endswith("-640.webp"), photo
    page.locator(".shop-card img").scroll_into_view_if_needed()
    (logo,) = chosen(page, ".shop-card img")
    assert logo.endswith("-112.webp"), logo
    snap(page, "images-product")

    page.goto(live_server + SHOP)
    (logo,) = chosen(page, ".shop-identity .shop-logo")
    assert logo.endswith("-192.webp"), logo
    snap(page, "images-storefront")
