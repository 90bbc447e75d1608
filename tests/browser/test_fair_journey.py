"""Issue 13's whole fair in Chromium at phone width: staff create a fair, two producers apply, staff
jury them (one accepted, one waitlisted), booths are assigned, the results are published, the public
page lists the accepted shop, a buyer orders for pickup at the booth while the fair is live, the
producer checks in and records her sales, and the report shows all of it."""

import re
from datetime import timedelta

import jdatetime
from playwright.sync_api import expect

from marketplace.core.dates import TEHRAN, utcnow
from tests.browser.conftest import fits_the_phone, session, snap

STAFF = "09153000001"
ACCEPTED = {"phone": "09151000001", "shop": "گلدوزی مریم"}
WAITLISTED = {"phone": "09151000003", "shop": "گلیم سیدی"}
BUYER = "09152000002"
TITLE = "بازارچه‌ی آزمایشی زمستانه"


def jalali(days: int) -> str:
    """Today (in Tehran) plus `days`, as staff type it: 1405/09/12."""
    day = (utcnow().astimezone(TEHRAN) + timedelta(days=days)).date()
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def fill_dates(page, *, opens, closes, first_day, last_day, start="10:00", end="18:00"):
    page.locator("input[name=applications_open_date]").fill(opens)
    page.locator("input[name=applications_close_date]").fill(closes)
    page.locator("input[name=start_date]").fill(first_day)
    page.locator("input[name=start_time]").fill(start)
    page.locator("input[name=end_date]").fill(last_day)
    page.locator("input[name=end_time]").fill(end)


def move(staff, label):
    staff.get_by_role("button", name=label).click()
    expect(staff.locator(".flash").first).to_contain_text("وضعیت بازارچه اکنون")


def test_a_whole_fair_from_call_to_report(live_server, browser):
    base = live_server
    staff = session(browser, base, STAFF)

    # Staff create the fair: applications open now, the fair tomorrow.
    staff.goto(f"{base}/staff/fairs/new")
    staff.locator("input[name=title]").fill(TITLE)
    staff.locator("input[name=venue_name]").fill("مرکز توانمندسازی رویش")
    staff.locator("input[name=venue_address]").fill("مشهد، گلشهر")
    fill_dates(staff, opens=jalali(-1), closes=jalali(0), first_day=jalali(1), last_day=jalali(1))
    staff.locator("input[name=places]").fill("۱")
    snap(staff, "13-01-fair-form")
    fits_the_phone(staff)
    staff.get_by_role("button", name="ذخیره").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(TITLE)
    hub = staff.url
    move(staff, "باز کردن ثبت درخواست")

    # Two producers apply with three published products each.
    for producer in (ACCEPTED, WAITLISTED):
        page = session(browser, base, producer["phone"])
        page.goto(f"{base}/dashboard/fairs/")
        page.locator("section", has_text=TITLE).get_by_role("link").first.click()
        boxes = page.locator("input[name=products]")
        for index in range(3):
            boxes.nth(index).check()
        page.locator("input[name=needs_table]").check()
        snap(page, f"13-02-apply-{producer['phone']}")
        fits_the_phone(page)
        page.get_by_role("button", name="درخواستم را بفرست").click()
        expect(page.locator("main")).to_contain_text("دریافت شد")
        producer["page"] = page

    # Staff jury: one accepted, one waitlisted.
    staff.goto(hub)
    move(staff, "بستن ثبت درخواست و شروع داوری")
    for producer, score, decision in ((ACCEPTED, "5", "accept"), (WAITLISTED, "3", "waitlist")):
        staff.goto(hub + "/jury")
        staff.get_by_role("link", name=producer["shop"]).first.click()
        for criterion in ("quality", "presentation", "readiness", "fit"):
            staff.locator(f"input[name=score-{criterion}][value='{score}']").check()
        staff.locator("textarea[name=comment-quality]").fill("دوخت تمیز؛ لبه‌ها را یکدست کنید.")
        staff.get_by_role("button", name="ذخیرهٔ امتیازهای من").click()
        staff.locator("textarea[name=message]").fill("ممنون از درخواستتان.")
        staff.locator(f"button[name=decision][value={decision}]").click()
    staff.goto(hub + "/jury")
    snap(staff, "13-03-jury-board")
    fits_the_phone(staff)

    # Booths: a zone of four, assigned automatically; then the results go public.
    staff.goto(hub + "/booths")
    staff.locator("input[name=name]").fill("حیاط")
    staff.locator("input[name=rows]").fill("1")
    staff.locator("input[name=cols]").fill("4")
    staff.locator("input[name=prefix]").fill("B")
    staff.locator("form", has=staff.locator("input[name=prefix]")).get_by_role("button").click()
    staff.get_by_role("button", name="چیدن غرفه‌ها").click()
    expect(staff.locator("main")).to_contain_text(ACCEPTED["shop"])
    staff.goto(hub)
    move(staff, "انتشار نتیجه‌ها و صفحهٔ بازارچه")

    # The fair is moved to today and started.
    staff.goto(hub + "/edit")
    fill_dates(
        staff, opens=jalali(-2), closes=jalali(-1), first_day=jalali(0), last_day=jalali(0), start="00:00", end="23:59"
    )
    staff.get_by_role("button", name="ذخیره").click()
    move(staff, "شروع بازارچه از همین حالا")
    fair_path = staff.get_by_role("link", name="صفحهٔ عمومی").get_attribute("href")

    # Each producer sees her decision; the accepted one her booth and pass code.
    accepted = ACCEPTED["page"]
    accepted.reload()
    expect(accepted.locator("main")).to_contain_text("پذیرفته شد")
    booth = accepted.locator(".booth-card-code strong").inner_text()
    assert re.fullmatch(r"B-0\d", booth)
    pass_code = accepted.locator(".pass-code").inner_text()
    snap(accepted, "13-04-accepted")
    fits_the_phone(accepted)
    WAITLISTED["page"].reload()
    expect(WAITLISTED["page"].locator("main")).to_contain_text("فهرست انتظار")
    expect(WAITLISTED["page"].locator("main")).to_contain_text("لبه‌ها را یکدست کنید")  # the jury's advice

    # The public page lists the accepted shop (not the waitlisted one), live now.
    buyer = session(browser, base, BUYER)
    buyer.goto(base + fair_path)
    main = buyer.locator("main")
    expect(main).to_contain_text(ACCEPTED["shop"])
    expect(main).to_contain_text(booth)
    expect(main).not_to_contain_text(WAITLISTED["shop"])
    snap(buyer, "13-05-public-fair")
    fits_the_phone(buyer)

    # The buyer orders for pickup at the booth and pays there.
    buyer.locator("form.card-add button").first.click()
    expect(buyer).to_have_url(re.compile(r"/cart$"))
    buyer.get_by_role("link", name="ادامه و ثبت سفارش").click()
    buyer.locator("input[name^=delivery_][value=pickup_booth]").check()
    expect(buyer.locator("main")).to_contain_text(booth)
    buyer.locator("input[name=payment_method][value=booth]").check()
    snap(buyer, "13-06-checkout-booth")
    buyer.get_by_role("button", name="ثبت سفارش").click()
    expect(buyer.get_by_role("heading", level=1)).to_have_text("ممنون! سفارشتان ثبت شد.")

    # Fair day: staff check her in by her pass code; she records what she sold.
    staff.goto(hub + "/checkin")
    staff.locator("input[name=code]").fill(pass_code.lower())
    staff.locator("input[name=code]").press("Enter")
    expect(staff.locator("main")).to_contain_text(ACCEPTED["shop"])
    staff.locator("input[name=code]").fill(pass_code)
    staff.locator("input[name=code]").press("Enter")
    expect(staff.locator(".error, .flash").first).to_contain_text("قبلاً")  # a pass used twice is refused
    snap(staff, "13-07-checkin")
    accepted.get_by_role("link", name=re.compile("فروش")).first.click()
    accepted.locator("input[name=amount]").fill("۳۵۰٬۰۰۰")
    accepted.locator("input[name=item_count]").fill("۴")
    accepted.get_by_role("button", name="ذخیره").click()
    expect(accepted.locator(".sales-total")).to_contain_text("۳۵۰٬۰۰۰")
    snap(accepted, "13-08-sales")
    fits_the_phone(accepted)

    # The report shows the check-in, the sales at the booth and the pickup order.
    staff.goto(hub + "/report")
    report = staff.locator("main")
    expect(report).to_contain_text(ACCEPTED["shop"])
    expect(report).to_contain_text("۳۵۰٬۰۰۰")
    expect(report).to_contain_text("۱ نفر از ۱ تولیدکننده")
    snap(staff, "13-09-report")
    fits_the_phone(staff)
    for page in (staff, accepted, buyer):
        page.context.close()
    WAITLISTED["page"].context.close()
