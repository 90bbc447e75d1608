"""The search page at 390 px: a new order applies when chosen; without JavaScript its button does it;
one search box per page."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import snap


def test_sorting_applies_on_change(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/search?q=روسری")
    expect(page.locator("[data-without-script]")).to_be_hidden()
    page.select_option("#search-sort", "price_asc")
    expect(page).to_have_url(re.compile(r"sort=price_asc"))
    page.wait_for_load_state("load")  # the sorted page with its stylesheet, before measuring its layout
    expect(page.locator("#search-sort")).to_have_value("price_asc")
    expect(page.locator("#site-search")).to_have_value("روسری")
    assert page.locator("form[role=search]").count() == 1
    snap(page, "40-search-sorted")
    assert page.console_errors == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_sorting_without_javascript_uses_the_button(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server + "/search?q=روسری")
        button = page.locator("[data-without-script]")
        expect(button).to_be_visible()
        page.select_option("#search-sort", "newest")
        expect(page).not_to_have_url(re.compile(r"sort="))  # nothing happens by itself
        button.click()
        expect(page).to_have_url(re.compile(r"sort=newest"))
        expect(page.locator("#search-sort")).to_have_value("newest")
    finally:
        context.close()


def test_home_has_one_search_box_with_suggestions(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/")
    assert page.locator("form[role=search]").count() == 1
    box = page.locator(".hero-search #site-search")
    box.fill("روس")
    expect(page.locator("#site-search-suggestions [role=option]").first).to_be_visible()
    snap(page, "41-home-search-suggestions")
