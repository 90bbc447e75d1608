"""The producer's forms at 390 px (and the colours step at 320 px), in Chromium: the live name check,
the wizard's step list and bio, the colours step, social handles, and photos on the new-product form."""

import re

from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import snap
from tests.browser.test_accessibility import PRODUCER, first_link, log_in, set_locale
from tests.browser.test_journeys import images_loaded
from tests.factories import photo_bytes

CODE = re.compile(r"\b[A-Z]{2}-\d\b")  # internal licence codes such as HB-1


def test_name_taken_message_shows_while_she_types(live_server, phone_page):
    """app.js once declared a top-level `var status` (the browser's window.status, a string): the
    "already taken" message never showed. As a module it does."""
    page = phone_page
    page.goto(live_server + "/signup?producer=1")
    page.get_by_label("نام شما").fill("سارا نیک‌نام")
    page.get_by_label("شمارهٔ موبایل").fill("09157771299")
    page.get_by_label("رمز عبور", exact=True).fill("سبد حصیری طرقبه")
    page.get_by_label("چیزی برای فروش می‌سازم").check()
    page.get_by_role("button", name="ساخت حساب").click()
    page.goto(live_server + "/dashboard/shop/setup/name")
    name = page.get_by_label("نام غرفه")
    name.press_sequentially("گلدوزی مریم", delay=20)  # a demo shop's name
    status = page.locator(".name-status")
    expect(status).to_have_class(re.compile(r"\btaken\b"))
    expect(status).to_contain_text("غرفهٔ دیگری این نام را دارد")
    expect(page.locator(".slug-value")).to_contain_text("/shop/گلدوزی-مریم")
    snap(page, "40-name-taken-fa")
    name.fill("")
    name.press_sequentially("سبد حصیری سارا", delay=20)
    expect(status).to_have_class(re.compile(r"\bfree\b"))
    expect(status).to_have_text("✓")
    assert page.evaluate("typeof window.status") == "string"  # untouched: the script keeps its names
    assert page.console_errors == []


def test_wizard_step_list_fits_and_the_bio_ends_with_the_shop_address(live_server, phone_page):
    page = phone_page
    log_in(page, live_server, PRODUCER, "fa")
    page.goto(live_server + "/dashboard/shop/setup/social")
    steps = page.locator(".wizard-progress li")
    expect(steps).to_have_count(6)
    assert page.locator(".wizard-progress ol").evaluate("ol => getComputedStyle(ol).listStyleType") == "none"
    boxes = [steps.nth(n).bounding_box() for n in range(6)]
    for n, box in enumerate(boxes):
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, f"step {n + 1} sticks out: {box}"
        for other in boxes[n + 1 :]:
            apart = (
                box["x"] + box["width"] <= other["x"] + 0.5
                or other["x"] + other["width"] <= box["x"] + 0.5
                or box["y"] + box["height"] <= other["y"] + 0.5
                or other["y"] + other["height"] <= box["y"] + 0.5
            )
            assert apart, f"steps overlap: {box} {other}"
    bio = page.locator("#bio-text").input_value()
    last_line = bio.strip().splitlines()[-1]
    assert last_line.startswith("سفارش آنلاین:")
    assert last_line.endswith(live_server + "/shop/چرم-حمیده"), last_line  # the full public address
    snap(page, "41-wizard-social-fa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_social_links_become_handles_and_her_number_is_in_her_digits(live_server, phone_page):
    page = phone_page
    log_in(page, live_server, PRODUCER, "fa")
    page.goto(live_server + "/dashboard/shop/setup/social")
    expect(page.locator("#instagram-hint")).to_contain_text("@my_workshop")
    assert "golduzi" not in page.locator("main").inner_text()  # no real shop's handle as the example
    page.get_by_label("اینستاگرام").fill("https://instagram.com/charm_hamideh/")
    page.get_by_label("تلگرام").fill("https://t.me/charm_hamideh")
    page.get_by_label("شمارهٔ واتساپ").fill("0915 100 0012")
    page.get_by_role("button", name="فقط ذخیره").click()
    expect(page.locator(".flash")).to_contain_text("ذخیره شد")
    expect(page.get_by_label("اینستاگرام")).to_have_value("charm_hamideh")
    expect(page.get_by_label("تلگرام")).to_have_value("charm_hamideh")
    expect(page.get_by_label("شمارهٔ واتساپ")).to_have_value("۰۹۱۵ ۱۰۰ ۰۰۱۲")
    snap(page, "42-wizard-social-saved-fa")
    page.goto(live_server + "/shop/چرم-حمیده")
    expect(page.get_by_role("link", name=re.compile("واتساپ"))).to_contain_text("۰۹۱۵ ۱۰۰ ۰۰۱۲")


def test_colours_step_has_pickers_five_photo_colours_and_fits_320_px(browser, live_server, tmp_path):
    context = browser.new_context(viewport={"width": 320, "height": 700}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, live_server, PRODUCER, "fa")
        page.goto(live_server + "/dashboard/shop/setup/colours")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
        picker = page.locator("input.colour-picker[data-for=primary]")
        expect(picker).to_be_visible()
        expect(picker).to_have_attribute("aria-label", re.compile("رنگ"))
        # the picker and the hex code show the same colour, both ways
        page.locator("label.palette-option", has_text="گل رس").click()
        expect(picker).to_have_value(page.locator("#primary").input_value())
        picker.fill("#123456")
        expect(page.locator("#primary")).to_have_value("#123456")
        expect(page.locator("input[name=choice][value=custom]")).to_be_checked()
        expect(page.locator(".palette-preview rect").nth(1)).to_have_attribute("fill", "#123456")
        page.locator("#accent").fill("#abcdef")
        expect(page.locator("input.colour-picker[data-for=accent]")).to_have_value("#abcdef")
        # decimals are written one way in Persian: «۴٫۵», never «۴.۵»
        checks = page.locator(".checks").inner_text()
        assert re.search(r"[۰-۹]٫[۰-۹]", checks) and not re.search(r"[0-9۰-۹]\.[0-9۰-۹]", checks), checks
        # a photo of a single colour still gives the promised five colours
        flat = tmp_path / "one-colour.png"
        Image.new("RGB", (300, 300), (150, 40, 60)).save(flat)
        page.locator("#photo").set_input_files(str(flat))
        expect(page.locator("#photo-chosen")).to_have_text("one-colour.png")
        page.get_by_role("button", name="رنگ‌ها را از عکس بردار").click()
        expect(page.locator(".photo-colours svg rect")).to_have_count(5)
        expect(page.locator(".photo-colours")).to_contain_text("۵ رنگ از عکس شما")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        snap(page, "43-wizard-colours-320-fa")
    finally:
        context.close()


def test_no_licence_codes_on_her_pages(live_server, phone_page):
    page = phone_page
    log_in(page, live_server, PRODUCER, "fa")
    product = first_link(page, live_server, "/dashboard/products", "/dashboard/products/", ".list-row > ")
    product_checklist = "/dashboard/registration/product/" + product.rstrip("/").split("/")[-1]
    pages = ("/dashboard", "/dashboard/registration", "/dashboard/registration/item/HB-1", product_checklist)
    for path in pages:
        page.goto(live_server + path)
        text = page.locator("main").inner_text()
        assert not CODE.search(text), f"{path}: {CODE.search(text).group()}"


def new_product_photos(tmp_path):
    paths = []
    for n, colour in enumerate(((190, 60, 50), (40, 90, 160))):
        path = tmp_path / f"photo-{n}.jpg"
        path.write_bytes(photo_bytes(colour=colour))
        paths.append(str(path))
    return paths


def test_new_product_form_takes_photos_with_a_large_persian_button(live_server, phone_page, tmp_path):
    page = phone_page
    log_in(page, live_server, PRODUCER, "fa")
    page.goto(live_server + "/dashboard/products/new")
    button = page.locator("label.file-button[for=photos]")
    expect(button).to_have_text("انتخاب عکس‌ها")
    box = button.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 120  # a large button, not the browser's small English one
    assert page.locator("#photos").evaluate("input => input.classList.contains('visually-hidden')")
    # «افزودن عکس» is a label that finds its own input (no other element has the id "photos")
    assert page.locator("[id=photos]").count() == 1
    expect(page.get_by_label("افزودن عکس")).to_have_attribute("type", "file")
    # the hidden input stays focusable, so the keyboard reaches it (whether Enter then opens the
    # chooser is Chromium's business, and headless Chromium does so only now and then)
    page.locator("#photos").focus()
    expect(page.locator("#photos")).to_be_focused()
    # tapping the button opens the file chooser
    with page.expect_file_chooser() as chooser:
        button.click()
    assert chooser.value.is_multiple()
    chooser.value.set_files(new_product_photos(tmp_path))
    expect(page.locator("#photos-chosen")).to_have_text("۲ عکس انتخاب شد")

    page.get_by_label("عنوان", exact=True).fill("کیف چرمی دوخت دست")
    page.get_by_label("دسته").select_option(label="چرم دست‌دوز")
    page.get_by_label("قیمت (تومان)").fill("۹۵۰٬۰۰۰")
    page.get_by_label("توضیح", exact=True).fill("کیف چرم طبیعی با دوخت دست و نخ موم‌زده.")
    page.get_by_label("چند عدد آماده است؟").fill("۱")
    snap(page, "44-product-new-photos-fa")
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("۲ عکس")
    expect(page.locator(".photo-manager li")).to_have_count(2)
    images_loaded(page, ".photo-manager img")
    snap(page, "45-product-saved-with-photos-fa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_new_product_form_in_english(live_server, phone_page):
    page = phone_page
    log_in(page, live_server, PRODUCER, "en")
    try:
        page.goto(live_server + "/dashboard/products/new")
        expect(page.locator("label.file-button[for=photos]")).to_have_text("Choose photos")
        snap(page, "46-product-new-en")
        page.goto(live_server + "/dashboard/shop/setup/colours")
        checks = page.locator(".checks").inner_text()
        assert re.search(r"[0-9]\.[0-9]", checks)  # English keeps its decimal point
        snap(page, "47-wizard-colours-en")
    finally:
        set_locale(page, "fa")
