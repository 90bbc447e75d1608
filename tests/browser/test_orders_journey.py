"""Issue 11's journey in Chromium at phone width: a buyer orders from two workshops at once and pays
cash on delivery; each producer accepts and sends; the buyer confirms delivery and reviews."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import snap

BUYER = "09152000004"
PASSWORD = "rooyesh-demo-1404"
SHOPS = ({"slug": "گلدوزی-مریم", "owner": "09151000001"}, {"slug": "ترشی-خانگی-فاطمه", "owner": "09151000002"})


def log_in(page, base, phone, next_path="/"):
    page.goto(f"{base}/login?next={next_path}")
    page.locator("main input[name=phone]").fill(phone)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def add_first_available(page, base, slug) -> str:
    """Open the shop's products one by one and add the first one in stock; returns its title."""
    page.goto(f"{base}/shop/{slug}")
    links = [
        page.locator("a[href^='/p/']").nth(i).get_attribute("href")
        for i in range(page.locator("a[href^='/p/']").count())
    ]
    for href in links:
        page.goto(base + href)
        if page.locator("form.add-to-cart").count():
            title = page.locator("h1").inner_text()
            page.locator("form.add-to-cart button").click()
            expect(page).to_have_url(re.compile(r"/cart$"))
            return title
    raise AssertionError(f"nothing in stock at {slug}")


def test_buyer_orders_from_two_shops_cod_producers_ship_buyer_confirms_and_reviews(live_server, browser, phone_page):
    base, page = live_server, phone_page
    titles = [add_first_available(page, base, shop["slug"]) for shop in SHOPS]  # as a guest
    for title in titles:
        expect(page.locator("main")).to_contain_text(title)
    expect(page.locator(".cart-link .count-badge")).to_have_text("۲")
    snap(page, "11-cart-fa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.get_by_role("link", name="ادامه و ثبت سفارش").click()
    expect(page).to_have_url(re.compile(r"/login"))  # sign in inside the flow, the cart is kept
    page.locator("main input[name=phone]").fill(BUYER)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/checkout$"))
    page.locator("input[name^=delivery_][value=post]").first.check()
    page.locator("input[name^=delivery_][value=courier]").last.check()
    page.locator("input[name=payment_method][value=cod]").check()
    if page.locator("input[name=address_id][value=new]").is_checked():
        page.locator("input[name=receiver_name]").fill("سارا احمدی")
        page.locator("input[name=receiver_phone]").fill("۰۹۱۵ ۲۰۰ ۰۰۰۴")
        page.locator("select[name=province]").select_option("خراسان رضوی")
        page.locator("textarea[name=line]").fill("بلوار سجاد، خیابان بهار ۱۲، پلاک ۴")
        page.locator("input[name=postal_code]").fill("۹۱۸۶۷۵۴۳۲۱")
    snap(page, "12-checkout-fa")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="ثبت سفارش").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ممنون! سفارشتان ثبت شد.")
    order_paths = [page.get_by_role("link", name="پیگیری این سفارش").nth(i).get_attribute("href") for i in range(2)]
    assert all(re.fullmatch(r"/orders/\d+", path) for path in order_paths)
    snap(page, "13-done-fa")

    # Each producer accepts and sends her part from her phone.
    for shop in SHOPS:
        producer = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True).new_page()
        log_in(producer, base, shop["owner"], "/dashboard/orders")
        expect(producer).to_have_url(re.compile(r"/dashboard/orders$"))
        ours = [path for path in order_paths if producer.locator(f"a[href='/dashboard{path}']").count()]
        assert len(ours) == 1, "each shop sees exactly its own order"
        producer.goto(f"{base}/dashboard{ours[0]}")
        expect(producer.locator("main")).to_contain_text("Sara Ahmadi")  # the demo buyer's name
        producer.get_by_role("button", name="سفارش را می‌پذیرم").click()
        producer.locator("input[name=tracking_code]").fill("۱۲۳۴۵۶۷۸۹۰۱۲")
        producer.get_by_role("button", name="فرستادم").click()
        expect(producer.locator("main")).to_contain_text("۱۲۳۴۵۶۷۸۹۰۱۲")
        snap(producer, f"14-desk-sent-{shop['owner']}")
        assert producer.evaluate("document.documentElement.scrollWidth") <= 390
        producer.context.close()

    # The buyer confirms the first order and reviews its item.
    page.goto(base + order_paths[0])
    page.get_by_role("button", name="سفارش به دستم رسید").click()
    expect(page.locator("main")).to_contain_text("تحویل شد")
    page.get_by_role("link", name=re.compile("نوشتن نظر")).first.click()
    page.locator("input[name=rating][value='5']").check()
    page.locator("textarea[name=body]").fill("دوخت تمیز و رنگ‌های زیبا؛ ممنون از حوصله‌تان.")
    page.get_by_role("button", name="فرستادن نظر").click()
    expect(page.locator(".flash")).to_contain_text("از نظرتان ممنونیم")
    page.get_by_role("link", name=titles[0]).first.click()  # the product page shows it, with the stars
    expect(page.locator("main")).to_contain_text("دوخت تمیز")
    snap(page, "15-reviewed-fa")
    assert not page.console_errors
