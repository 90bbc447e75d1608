"""Search for buyers abroad and for thumbs on a small keyboard, at 390 px on the demo data: the English
locale finds the rosewater by «rosewater» (the lexicon) and «golab» (Finglish), and suggests it while
«gola» is typed; «غسل» (a dotted-letter slip for «عسل») finds the honey and offers the real word."""

from playwright.sync_api import expect

from tests.browser.conftest import fits_the_phone, snap

ROSEWATER = "گلاب دوآتشه سنتی"  # demo products (marketplace/demo/products.py), neither with an English title
HONEY = "عسل طبیعی کوهی"


def english_phone(browser, base):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.add_cookies([{"name": "locale", "value": "en", "url": base}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return page


def search_from_home(page, base, typed):
    page.goto(base + "/")
    box = page.locator(".hero-search #site-search")
    box.fill(typed)
    box.press("Enter")
    page.wait_for_load_state("load")


def test_a_buyer_abroad_finds_rosewater_in_english_and_in_finglish(live_server, browser):
    page = english_phone(browser, live_server)
    try:
        for typed, shot in (("rosewater", "50-search-english"), ("golab", "51-search-finglish")):
            search_from_home(page, live_server, typed)
            assert page.evaluate("document.documentElement.lang") == "en"
            expect(page.locator("#site-search")).to_have_value(typed)
            expect(page.locator(".search-suggestion", has_text="Also searched in Persian")).to_contain_text("گلاب")
            expect(page.locator(".product-grid").get_by_text(ROSEWATER).first).to_be_visible()
            fits_the_phone(page)
            snap(page, shot)
        page.goto(live_server + "/")
        page.locator(".hero-search #site-search").press_sequentially("gola", delay=30)
        suggestion = page.locator("#site-search-suggestions [role=option]", has_text="گلاب").first
        expect(suggestion).to_be_visible()
        snap(page, "52-autocomplete-finglish")
        assert page.console_errors == []
    finally:
        page.context.close()


def test_a_dotted_letter_slip_finds_honey_and_offers_the_word(live_server, phone_page):
    page = phone_page
    search_from_home(page, live_server, "غسل")
    expect(page.locator(".product-grid").get_by_text(HONEY).first).to_be_visible()
    expect(page.locator(".search-suggestion a")).to_have_text("«عسل»")
    fits_the_phone(page)
    snap(page, "53-search-dotted-typo")
    page.locator(".search-suggestion a").click()
    expect(page.locator("#site-search")).to_have_value("عسل")
    assert page.console_errors == []
