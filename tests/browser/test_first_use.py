"""A new producer's first use at 390 px, counted in screens: from the sign-up form to her first
product sent for review, every page she has to load is one screen (a `load` event of the page;
a form answered with a redirect is the one page it lands on). Each screen leads her to the next:
its main button is the next step and focus starts in its first field."""

import re
import secrets

from playwright.sync_api import expect

from tests.browser.conftest import snap

MAX_SCREENS = 12


def test_sign_up_to_first_product_in_review_within_twelve_screens(live_server, phone_page, tmp_path):
    from tests.factories import photo_bytes

    photo = tmp_path / "bowl.jpg"
    photo.write_bytes(photo_bytes(colour=(40, 110, 140)))
    page = phone_page
    screens: list[str] = []
    page.on("load", lambda loaded: screens.append(loaded.url.removeprefix(live_server)))
    suffix = secrets.token_hex(3)  # a fresh shop name and number on every run of the live server
    phone = f"0915{int(suffix, 16) % 10_000_000:07d}"

    # 1. The sign-up form, as the centre's link opens it for producers.
    page.goto(live_server + "/signup?producer=1")
    expect(page.get_by_label("نام شما")).to_be_focused()
    page.get_by_label("نام شما").fill("زهره نوری")
    page.get_by_label("شمارهٔ موبایل").fill(phone)
    page.get_by_label("رمز عبور", exact=True).fill("سفال فیروزه‌ای نوری")
    expect(page.get_by_label("چیزی برای فروش می‌سازم")).to_be_checked()
    page.get_by_role("button", name="ساخت حساب").click()

    # 2. Not the account page: the first step of her shop, whose main button starts it.
    expect(page).to_have_url(re.compile(r"/dashboard/shop/setup/name$"))
    expect(page.locator(".flash")).to_contain_text("زهره نوری")
    expect(page.get_by_label("چه می‌سازید؟")).to_be_focused()
    page.get_by_label("چه می‌سازید؟").fill("سفالگری")
    page.get_by_label("محلهٔ شما").fill("سیدی")
    page.get_by_label("نام غرفه").fill(f"سفال نوری {suffix}")
    snap(page, "first-use-02-name")
    page.locator(".wizard-buttons .button-primary").click()
    expect(page).to_have_url(re.compile(r"/setup/story$"))

    # 3. Story: the craft she typed in step 1 is already her first answer.
    expect(page.get_by_label("چه می‌سازید؟")).to_have_value("سفالگری")
    expect(page.get_by_label("چه می‌سازید؟")).to_be_focused()
    page.get_by_label("شعار غرفه (یک خط کوتاه)").fill("کاسه‌های سفالی با لعاب فیروزه‌ای")
    page.get_by_label("داستان شما").fill("من زهره هستم و ده سال است کاسه و بشقاب سفالی با لعاب فیروزه‌ای می‌سازم.")
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # 4. Colours: a ready palette.
    expect(page.get_by_text("گام ۳ از ۶")).to_be_visible()
    page.locator("label.palette-option", has_text="گل رس").click()
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # 5. Logo: the candidates come one by one as the browser asks; she taps one.
    expect(page.get_by_text("گام ۴ از ۶")).to_be_visible()
    expect(page.locator(".logo-grid img")).to_have_count(8)
    page.locator(".logo-choice").first.click()

    # 6. Kit, 7. social pages, then send the shop for review.
    expect(page.get_by_text("گام ۵ از ۶")).to_be_visible()
    page.get_by_role("button", name="ذخیره و ادامه").click()
    expect(page.get_by_text("گام ۶ از ۶")).to_be_visible()
    expect(page.get_by_label("اینستاگرام")).to_be_focused()
    page.get_by_label("اینستاگرام").fill(f"sofal_noori_{suffix}")
    page.get_by_role("button", name="ذخیره و فرستادن غرفه برای بررسی").click()

    # 8. The dashboard: its main button is her first product.
    expect(page.locator(".flash")).to_contain_text("برای بررسی به مرکز فرستاده شد")
    main = page.locator("main .button-primary").first
    expect(main).to_have_text("اولین محصولتان را اضافه کنید")
    snap(page, "first-use-08-dashboard")
    main.click()

    # 9. The new-product form, focus in its first field.
    expect(page.get_by_label("عنوان", exact=True)).to_be_focused()
    page.get_by_label("عنوان", exact=True).fill("کاسهٔ سفالی فیروزه‌ای")
    page.get_by_label("دسته").select_option(label="سفال و سرامیک")
    page.get_by_label("قیمت (تومان)").fill("۳۵۰٬۰۰۰")
    page.get_by_label("توضیح", exact=True).fill("کاسهٔ سفالی دست‌ساز با لعاب فیروزه‌ای، مناسب آجیل و میوه.")
    page.get_by_label("چند عدد آماده است؟").fill("3")
    photos_at_creation = page.locator("main form input[type=file]")
    if photos_at_creation.count():  # the form takes photos when she creates the product
        photos_at_creation.first.set_input_files(str(photo))
    page.get_by_role("button", name="ذخیره", exact=True).click()

    # 10. (and 11.) Her product, with its photo.
    expect(page.locator(".flash")).to_be_visible()
    if page.locator(".photo-manager li").count() == 0:
        page.locator("input[type=file][name=photos]").set_input_files(str(photo))
        page.locator("form[action$='/photos'] button[type=submit]").click()
    expect(page.locator(".photo-manager li")).to_have_count(1)

    # Last screen: sent for review.
    page.get_by_role("button", name="فرستادن برای بررسی").click()
    expect(page.locator(".flash")).to_contain_text("برای بررسی")
    expect(page.get_by_text("در انتظار بررسی").first).to_be_visible()
    snap(page, "first-use-last-product-in-review")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    print(f"\n{len(screens)} screens from sign-up to a product in review:")
    for number, url in enumerate(screens, 1):
        print(f"  {number:2}. {url}")
    assert len(screens) <= MAX_SCREENS, screens
    assert [error for error in page.console_errors if "status of 422" not in error] == []


def test_staff_land_on_their_console(live_server, phone_page):
    page = phone_page
    page.goto(live_server + "/login")
    expect(page.get_by_label("شمارهٔ موبایل")).to_be_focused()
    page.get_by_label("شمارهٔ موبایل").fill("09153000001")
    page.get_by_label("رمز عبور", exact=True).fill("rooyesh-demo-1404")
    page.get_by_role("button", name="ورود").click()
    expect(page).to_have_url(re.compile(r"/staff$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("میز کار مرکز")
