"""Journeys a person takes, in Chromium at phone width."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import snap


def test_producer_signs_up_logs_out_logs_in_and_switches_language(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    snap(page, "01-home-fa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    page.get_by_role("link", name="ثبت‌نام").click()
    page.get_by_label("نام شما").fill("مریم رضایی")
    page.get_by_label("شمارهٔ موبایل").fill("۰۹۱۵ ۵۵۵ ۱۲۳۴")
    page.get_by_label("رمز عبور", exact=True).fill("123")
    page.get_by_label("چیزی برای فروش می‌سازم").check()
    page.get_by_role("button", name="ساخت حساب").click()
    # Bad password: a Persian message beside the field, and what she typed is kept.
    expect(page.locator(".error")).to_contain_text("دست‌کم ۸ نویسه")
    expect(page.get_by_label("نام شما")).to_have_value("مریم رضایی")
    expect(page.get_by_label("شمارهٔ موبایل")).to_have_value("۰۹۱۵ ۵۵۵ ۱۲۳۴")
    expect(page.get_by_label("چیزی برای فروش می‌سازم")).to_be_checked()
    snap(page, "02-signup-error-fa")

    page.get_by_label("رمز عبور", exact=True).fill("گلدوزی گلشهر ۱۴۰۴")
    page.get_by_role("button", name="نمایش").click()  # the show-password button works
    expect(page.get_by_label("رمز عبور", exact=True)).to_have_attribute("type", "text")
    page.get_by_role("button", name="ساخت حساب").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.locator(".flash")).to_contain_text("مریم رضایی")
    expect(page.get_by_text("تولیدکننده", exact=True)).to_be_visible()
    snap(page, "03-account-fa")

    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="خروج").click()
    expect(page.locator(".flash")).to_contain_text("از حساب خارج شدید")

    page.get_by_role("link", name="ورود").click()
    page.get_by_label("شمارهٔ موبایل").fill("09155551234")
    page.get_by_label("رمز عبور", exact=True).fill("wrong password")
    page.get_by_role("button", name="ورود").click()
    expect(page.locator(".error")).to_contain_text("شمارهٔ موبایل یا رمز عبور درست نیست")
    page.get_by_label("رمز عبور", exact=True).fill("گلدوزی گلشهر ۱۴۰۴")
    page.get_by_role("button", name="ورود").click()
    expect(page.locator(".account-menu summary")).to_have_text("مریم رضایی")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Handmade in the homes of Mashhad")
    snap(page, "04-home-en")
    page.goto(live_server + "/account")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")  # remembered on the account
    snap(page, "05-account-en")
    page.get_by_role("button", name="فارسی").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # CSP blocked nothing and no script failed (a form answered with 422 logs a harmless line).
    assert [error for error in page.console_errors if "status of 422" not in error] == []


def test_pages_work_without_javascript(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server + "/login")
    page.get_by_label("شمارهٔ موبایل").fill("09153000001")
    page.get_by_label("رمز عبور", exact=True).fill("rooyesh-demo-1404")
    page.get_by_role("button", name="ورود").click()
    expect(page.get_by_role("link", name="میز کار مرکز")).to_be_visible()
    page.get_by_role("link", name="میز کار مرکز").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("افراد")
    snap(page, "06-staff-users-fa")
    context.close()
