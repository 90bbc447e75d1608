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
    expect(page).to_have_url(re.compile(r"/dashboard/shop/setup/name$"))  # a producer starts her shop
    expect(page.locator(".flash")).to_contain_text("مریم رضایی")
    page.goto(live_server + "/account")
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
    expect(page.get_by_role("heading", level=1)).to_have_text("میز کار مرکز")
    page.get_by_role("link", name="غرفه‌ها برای تأیید").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("غرفه‌ها")
    expect(page.get_by_role("link", name="لباس محلی نرگس")).to_be_visible()  # the demo shop waiting for review
    snap(page, "06-staff-shops-fa")
    page.get_by_role("link", name="افراد").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("افراد")
    snap(page, "07-staff-users-fa")
    context.close()


def images_loaded(page, selector):
    """Wait until every image matching `selector` has loaded and decoded (no eval: the CSP forbids it)."""
    images = page.locator(selector)
    for index in range(images.count()):
        expect(images.nth(index)).to_have_js_property("complete", True)
        assert images.nth(index).evaluate("image => image.naturalWidth") > 0


def test_new_producer_builds_her_shop_at_phone_width(live_server, phone_page):
    """Sign up → the six wizard steps → send for review → see her storefront (preview)."""
    page = phone_page
    page.goto(live_server + "/signup?producer=1")
    page.get_by_label("نام شما").fill("زینب کاظمی")
    page.get_by_label("شمارهٔ موبایل").fill("09157771234")
    page.get_by_label("رمز عبور", exact=True).fill("سفال خانگی سیدی")
    page.get_by_label("چیزی برای فروش می‌سازم").check()
    page.get_by_role("button", name="ساخت حساب").click()
    page.get_by_role("link", name="کارگاه من").click()
    snap(page, "10-dashboard-empty")
    page.get_by_role("link", name="ساختن غرفه‌ام").click()

    # 1. name: ideas from her craft and neighbourhood, live address preview
    expect(page.get_by_text("گام ۱ از ۶")).to_be_visible()
    page.get_by_label("چه می‌سازید؟").fill("سفالگری")
    page.get_by_label("محلهٔ شما").fill("سیدی")
    page.get_by_role("button", name="پیشنهاد نام").click()
    page.get_by_role("button", name="سفالگری زینب", exact=True).click()
    expect(page.get_by_label("نام غرفه")).to_have_value("سفالگری زینب")
    page.get_by_label("نام غرفه").fill("سفال سیدی")  # a demo shop? no: the demo has «سفال رجایی»
    expect(page.locator(".slug-value")).to_contain_text("/shop/سفال-سیدی")
    snap(page, "11-wizard-name")
    page.get_by_role("button", name="شروع ساختن غرفه‌ام").click()  # her first save starts the shop

    # 2. story: answers become a draft she edits
    expect(page.get_by_text("گام ۲ از ۶")).to_be_visible()
    page.get_by_label("چه می‌سازید؟").fill("کاسه و بشقاب سفالی")
    page.get_by_label("از چه زمانی؟").fill("ده سال پیش")
    page.get_by_label("چه کسی به شما یاد داد؟").fill("پدرم")
    page.get_by_label("چه چیزی کار شما را خاص می‌کند؟").fill("لعاب فیروزه‌ای")
    page.get_by_role("button", name="از جواب‌هایم پیش‌نویس بساز").click()
    expect(page.get_by_label("داستان شما")).to_have_value(re.compile("من زینب هستم"))
    page.get_by_label("شعار غرفه (یک خط کوتاه)").fill("سفال لعابی با رنگ فیروزه")
    snap(page, "12-wizard-story")
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # 3. colours: a ready palette
    expect(page.get_by_text("گام ۳ از ۶")).to_be_visible()
    page.locator("label.palette-option", has_text="گل رس").click()
    snap(page, "13-wizard-colours")
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # 4. logo: at least six candidates drawn from her name
    expect(page.get_by_text("گام ۴ از ۶")).to_be_visible()
    logos = page.locator(".logo-grid img")
    expect(logos).to_have_count(8)
    images_loaded(page, ".logo-grid img")
    snap(page, "14-wizard-logo")
    page.locator(".logo-choice").nth(2).click()

    # 5. kit: every item is there to download
    expect(page.get_by_text("گام ۵ از ۶")).to_be_visible()
    expect(page.locator(".kit-item")).to_have_count(6)
    images_loaded(page, ".kit-item img")
    snap(page, "15-wizard-kit")
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # 6. social pages, with a bad handle first
    expect(page.get_by_text("گام ۶ از ۶")).to_be_visible()
    page.get_by_label("اینستاگرام").fill("https://t.me/sofal_seyyedi")  # a Telegram link in the Instagram box
    page.get_by_role("button", name="ذخیره و فرستادن غرفه برای بررسی").click()
    expect(page.locator(".error").first).to_contain_text("لینک")
    expect(page.get_by_label("اینستاگرام")).to_have_value("https://t.me/sofal_seyyedi")
    page.get_by_label("اینستاگرام").fill(
        "https://www.instagram.com/sofal_seyyedi/"
    )  # her page's link becomes the handle
    page.get_by_label("تلگرام").fill("sofal_seyyedi")
    snap(page, "16-wizard-social")
    page.get_by_role("button", name="ذخیره و فرستادن غرفه برای بررسی").click()

    expect(page.locator(".flash")).to_contain_text("برای بررسی به مرکز فرستاده شد")
    snap(page, "17-dashboard-submitted")
    page.get_by_role("link", name="دیدن صفحهٔ غرفه‌ام").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("سفال سیدی")
    expect(page.get_by_text("پیش‌نمایش")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("اینستاگرام"))).to_have_attribute(
        "href", "https://instagram.com/sofal_seyyedi"
    )
    images_loaded(page, ".shop-logo")
    snap(page, "18-storefront-preview")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert [error for error in page.console_errors if "status of 422" not in error] == []


def test_producer_lists_a_product_with_two_photos(live_server, phone_page, tmp_path):
    """A demo producer with an approved shop adds a product with two photos at 390 px, sees its
    checklist and sends it for review."""
    from tests.factories import photo_bytes

    first, second = tmp_path / "one.jpg", tmp_path / "two.jpg"
    first.write_bytes(photo_bytes(colour=(190, 60, 50)))
    second.write_bytes(photo_bytes(colour=(40, 90, 160)))
    page = phone_page
    page.goto(live_server + "/login")
    page.get_by_label("شمارهٔ موبایل").fill("09151000001")
    page.get_by_label("رمز عبور", exact=True).fill("rooyesh-demo-1404")
    page.get_by_role("button", name="ورود").click()
    page.goto(live_server + "/dashboard/products/new")
    page.get_by_label("عنوان", exact=True).fill("رومیزی گلدوزی سبز")
    page.get_by_label("دسته").select_option(label="رومیزی، سفره و کوسن")
    page.get_by_label("قیمت (تومان)").fill("۴۸۰٬۰۰۰")
    page.get_by_label("توضیح", exact=True).fill("رومیزی نخی با گلدوزی دست و نقش‌های سنتی خراسان.")
    page.get_by_label("چند عدد آماده است؟").fill("2")
    snap(page, "20-product-new")
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("عکس")
    page.locator("input[type=file][name=photos]").set_input_files([str(first), str(second)])
    page.get_by_role("button", name="فرستادن عکس‌ها").click()
    expect(page.locator(".photo-manager li")).to_have_count(2)
    images_loaded(page, ".photo-manager img")
    snap(page, "21-product-photos")
    page.get_by_role("link", name="ببینید چه مجوزهایی لازم دارد و کجای کار هستید").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    snap(page, "22-product-checklist")
    page.go_back()
    page.get_by_role("button", name="فرستادن برای بررسی").click()
    expect(page.locator(".flash")).to_contain_text("برای بررسی")
    expect(page.get_by_text("در انتظار بررسی").first).to_be_visible()
    snap(page, "23-product-submitted")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_buyer_searches_with_arabic_letters_and_no_zwnj(live_server, phone_page):
    """«روسري گلدوزي بتهجقه»: Arabic yeh, and «بته‌جقه» typed without its ZWNJ, still finds the scarf."""
    page = phone_page
    page.goto(live_server + "/")
    box = page.locator("#site-search")  # the header search box (with autocomplete)
    box.fill("روسري گلدوزي بتهجقه")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?"))
    snap(page, "30-search-results")
    page.get_by_role("link", name="روسری نخی با گلدوزی بته‌جقه").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("روسری نخی با گلدوزی بته‌جقه")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
