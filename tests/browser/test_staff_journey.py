"""Issue 14's console in Chromium at phone width: staff log in and work through each queue, find a
producer by her number typed in Persian digits, assist her (consent by the code her phone
receives) to add a product and send it for review, end assisting and publish it; a buyer orders it,
she accepts the order, and the sale appears on the centre's impact dashboard; her own page lists
what was done for her and the audit log names both people."""

import json
import os
import re

from playwright.sync_api import expect

from marketplace.core import outbox
from marketplace.core.persian import to_latin_digits
from tests.browser.conftest import fits_the_phone, session, snap
from tests.factories import photo_bytes

STAFF = "09153000001"
PRODUCER = {"phone": "09151000010", "name": "طاهره قاسمی"}
BUYER = "09152000003"
TITLE = "عروسک بافتنی آزمایشی"
PRICE_TOMAN = 250_000


def queue_count(page, label) -> int:
    row = page.locator(".queue-row", has=page.get_by_role("link", name=label))
    return int(to_latin_digits(row.locator(".queue-count").inner_text()))


def consent_code(app, phone_e164) -> str:
    """Deliver the outbox as the worker would, then read the last code texted to `phone_e164`."""
    with app.app_context():
        outbox.drain(app)
    with open(os.path.join(app.instance_path, "outbox.log"), encoding="utf-8") as log:
        texts = [line["text"] for line in map(json.loads, log) if line["to"] == phone_e164]
    return re.findall(r"\d{6}", to_latin_digits(texts[-1]))[0]


def income_of(page, base, shop) -> int:
    """Her shop's total income on the impact dashboard, in toman (0 when she has no row yet)."""
    page.goto(f"{base}/staff/impact")
    table = page.locator('table:has(thead th:text-is("فروشگاه"))').first
    headers = [text.strip() for text in table.locator("thead th").all_inner_texts()]
    row = table.locator("tbody tr", has_text=shop)
    if not row.count():
        return 0
    cell = row.first.locator("th, td").nth(headers.index("جمع کل")).inner_text()
    return int(re.sub(r"\D", "", to_latin_digits(cell)) or 0)


def test_staff_work_the_queues_assist_a_producer_and_see_her_sale(live_server, live_app, browser, tmp_path):
    base = live_server
    staff = session(browser, base, STAFF)

    # The console home: every queue with its count and age.
    expect(staff).to_have_url(re.compile(r"/staff$"))
    expect(staff.get_by_role("heading", level=1)).to_have_text("میز کار مرکز")
    snap(staff, "14-01-console")
    fits_the_phone(staff)
    shops_waiting = queue_count(staff, "غرفه‌ها برای تأیید")
    assert shops_waiting >= 1

    # Shops: approve the one waiting («لباس محلی نرگس» in the demo).
    staff.locator(".queue-row").get_by_role("link", name="غرفه‌ها برای تأیید").click()
    staff.get_by_role("link", name="لباس محلی نرگس").click()
    staff.locator("button[name=action][value=approve]").click()
    expect(staff.locator(".flash").first).to_contain_text("ثبت شد")
    staff.goto(f"{base}/staff")
    assert queue_count(staff, "غرفه‌ها برای تأیید") == shops_waiting - 1

    # Products: ask for changes on the first one waiting, with a reason.
    products_waiting = queue_count(staff, "محصولات منتظر بررسی")
    staff.locator(".queue-row").get_by_role("link", name="محصولات منتظر بررسی").click()
    staff.locator("main ul a[href*='/staff/products/']").first.click()
    staff.locator("textarea[name=reason]").fill("لطفاً یک عکس روشن‌تر از نمای نزدیک بگذارید.")
    staff.locator("button[name=action][value=request_changes]").click()
    expect(staff.locator(".flash").first).to_contain_text("ثبت شد")
    staff.goto(f"{base}/staff")
    assert queue_count(staff, "محصولات منتظر بررسی") == products_waiting - 1

    # Licence evidence: verify the first record waiting.
    evidence_waiting = queue_count(staff, "مدارک مجوز برای تأیید")
    staff.locator(".queue-row").get_by_role("link", name="مدارک مجوز برای تأیید").click()
    staff.locator("button[name=action][value=verify]").first.click()
    staff.goto(f"{base}/staff")
    assert queue_count(staff, "مدارک مجوز برای تأیید") == evidence_waiting - 1

    # Fair applications: the queue opens the fair's jury board.
    staff.locator(".queue-row a", has_text="درخواست‌های").first.click()
    expect(staff).to_have_url(re.compile(r"/staff/fairs/\d+/jury"))
    staff.goto(f"{base}/staff")

    # Stuck orders: the list, then one order's page.
    staff.get_by_role("link", name="همهٔ سفارش‌های معطل").click()
    staff.locator("main a[href^='/staff/orders/']:not([href*='stuck'])").first.click()
    expect(staff).to_have_url(re.compile(r"/staff/orders/\d+$"))
    snap(staff, "14-02-stuck-order")
    fits_the_phone(staff)

    # Find her by her number in Persian digits, and ask for her consent by code.
    shop = "بافتنی طاهره"
    income_before = income_of(staff, base, shop)
    staff.goto(f"{base}/staff")
    staff.locator("main input[name=q]").fill("۰۹۱۵ ۱۰۰ ۰۰۱۰")
    staff.get_by_role("button", name="پیدا کن").click()
    staff.get_by_role("link", name=PRODUCER["name"]).first.click()
    staff.get_by_role("link", name="کمک به این تولیدکننده").click()
    staff.get_by_role("button", name="فرستادن کد").click()
    code = consent_code(live_app, "+98" + PRODUCER["phone"][1:])
    staff.locator("input[name=code]").fill(code)
    snap(staff, "14-03-consent")
    staff.get_by_role("button", name="بررسی کد و شروع").click()

    # Assisting: the banner on every page; she adds a product and sends it for review.
    banner = staff.locator(".assist-banner")
    expect(banner).to_contain_text(f"در حال کار به جای {PRODUCER['name']}")
    snap(staff, "14-04-assisting-dashboard")
    fits_the_phone(staff)
    staff.goto(f"{base}/account/password")
    expect(staff.locator("main")).to_contain_text("کمک")  # her password stays hers: refused
    staff.goto(f"{base}/dashboard/products/new")
    expect(banner).to_be_visible()
    staff.get_by_label("عنوان", exact=True).fill(TITLE)
    staff.get_by_label("دسته").select_option(label="تزئینی و عروسک")
    staff.get_by_label("قیمت (تومان)").fill("۲۵۰٬۰۰۰")
    staff.get_by_label("توضیح", exact=True).fill("عروسک بافتنی دست‌ساز با کاموای نرم، مناسب هدیهٔ کودک.")
    staff.get_by_label("چند عدد آماده است؟").fill("3")
    photo = tmp_path / "doll.jpg"
    photo.write_bytes(photo_bytes(colour=(200, 120, 90)))
    photos = staff.locator("main form input[type=file]")
    if photos.count():
        photos.first.set_input_files(str(photo))
    staff.get_by_role("button", name="ذخیره", exact=True).click()
    if staff.locator(".photo-manager li").count() == 0:
        staff.locator("input[type=file][name=photos]").set_input_files(str(photo))
        staff.locator("form[action$='/photos'] button[type=submit]").click()
    staff.get_by_role("button", name="فرستادن برای بررسی").click()
    expect(staff.locator(".flash:not(.assist-banner)").first).to_contain_text("برای بررسی")
    snap(staff, "14-05-assisted-product")
    banner.get_by_role("button", name="پایان کمک").click()
    expect(staff.locator(".assist-banner")).to_have_count(0)

    # Herself again: she publishes the product from the review queue.
    staff.goto(f"{base}/staff/products")
    staff.get_by_role("link", name=TITLE).click()
    staff.locator("button[name=action][value=publish]").click()
    expect(staff.locator(".flash").first).to_contain_text("ثبت شد")

    # A buyer orders it, paying on delivery.
    buyer = session(browser, base, BUYER)
    buyer.goto(f"{base}/search?q={TITLE}")
    buyer.get_by_role("link", name=TITLE).first.click()
    buyer.locator("form.add-to-cart button").click()
    expect(buyer).to_have_url(re.compile(r"/cart$"))
    buyer.get_by_role("link", name="ادامه و ثبت سفارش").click()
    buyer.locator("input[name^=delivery_][value=post]").first.check()
    buyer.locator("input[name=payment_method][value=cod]").check()
    if buyer.locator("input[name=address_id][value=new]").is_checked():
        buyer.locator("input[name=receiver_name]").fill("امید کاظمی")
        buyer.locator("input[name=receiver_phone]").fill("۰۹۱۵ ۲۰۰ ۰۰۰۳")
        buyer.locator("select[name=province]").select_option("خراسان رضوی")
        buyer.locator("textarea[name=line]").fill("بلوار وکیل‌آباد، کوچهٔ ۸، پلاک ۲")
        buyer.locator("input[name=postal_code]").fill("۹۱۸۶۷۵۴۳۲۲")
    buyer.get_by_role("button", name="ثبت سفارش").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("ممنون! سفارشتان ثبت شد.")
    order_path = buyer.get_by_role("link", name="پیگیری این سفارش").first.get_attribute("href")

    # She accepts it from her own phone, and sees what the centre did for her.
    producer = session(browser, base, PRODUCER["phone"])
    producer.goto(f"{base}/dashboard{order_path}")
    producer.get_by_role("button", name="سفارش را می‌پذیرم").click()
    expect(producer.locator(".flash").first).to_be_visible()
    producer.goto(f"{base}/account/assisted")
    expect(producer.locator("main")).to_contain_text("کارشناس مرکز")
    expect(producer.locator("main")).to_contain_text("محصول")
    snap(producer, "14-06-done-for-her")
    fits_the_phone(producer)

    # The sale is on the impact dashboard, and the audit log names both people.
    assert income_of(staff, base, shop) == income_before + PRICE_TOMAN
    snap(staff, "14-07-impact")
    fits_the_phone(staff)
    staff.goto(f"{base}/staff/audit?assisted=y")
    expect(staff.locator("main")).to_contain_text(PRODUCER["name"])
    snap(staff, "14-08-audit")
