"""axe-core over the main pages, and tap targets of at least 44×44 px, at phone width, in Persian and English.

axe-core comes from the pinned `axe-playwright-python` package, which ships its own axe.min.js
(nothing is downloaded). Playwright's `evaluate` runs it through the DevTools protocol, so the
page's CSP (no inline or injected scripts) does not get in its way.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import snap

PASSWORD = "rooyesh-demo-1404"
PRODUCER = "09151000012"  # «چرم حمیده», a draft shop: every wizard step is open to her
STAFF = "09153000001"

PUBLIC_PAGES = {
    "home": "/",
    "category": "/c/clothing-textiles",
    "product": None,  # the first product linked from the home page
    "storefront": "/shop/گلدوزی-مریم",
    "search": "/search?q=گلدوزی",
    "login": "/login",
    "signup": "/signup",
}
PRODUCER_PAGES = {
    "wizard-name": "/dashboard/shop/setup/name",
    "wizard-story": "/dashboard/shop/setup/story",
    "wizard-colours": "/dashboard/shop/setup/colours",
    "wizard-logo": "/dashboard/shop/setup/logo",
    "wizard-kit": "/dashboard/shop/setup/kit",
    "wizard-social": "/dashboard/shop/setup/social",
    "dashboard": "/dashboard",
    "products": "/dashboard/products",
    "product-new": "/dashboard/products/new",
    "product-edit": None,  # her first product
    "registration": "/dashboard/registration",
    "payout": "/dashboard/shop/payout",
    "assisted": "/account/assisted",  # what the centre did for her (empty for this producer)
}
STAFF_PAGES = {
    "staff-home": "/staff",
    "staff-search": "/staff/search?q=مریم",
    "staff-stuck-orders": "/staff/orders/stuck",
    "staff-order": "/staff/orders/1",
    "staff-shops": "/staff/shops",
    "staff-products": "/staff/products",
    "staff-registration": "/staff/registration",
    "staff-users": "/staff/users",
    "staff-user": "/staff/users/1",  # a demo producer: roles, shop, reset code
    "staff-settings": "/staff/settings",  # the demo staff member is an admin
    "staff-settings-categories": "/staff/settings/categories",
    "staff-settings-category": "/staff/settings/categories/1",
    "staff-settings-requirements": "/staff/settings/requirements",
    "staff-settings-requirement": "/staff/settings/requirements/HB-1",
    "staff-impact": "/staff/impact?from=1404/01/01",  # a period holding the demo's orders and fair sales
    "staff-audit": "/staff/audit",
    "staff-assist": "/staff/users/1/assist",  # consent by code or paper form
}

# Links inside running text (a sentence in a <p>: hints, notes, flash messages) are exempt from the
# 44-px rule, as WCAG 2.5.8 allows for inline targets whose size is set by the line of text. This is
# the only exemption.
INLINE_EXEMPT = "p a"

# Every visible a, button, input, select, textarea, summary and the labels she taps (a label around a
# checkbox or radio, the large file button) must be at least 44×44 px. A control inside a label is
# measured as the label (they are one target); a visually hidden file input through its button.
TAP_TARGETS_JS = """
exempt => {
  const small = [];
  const seen = new Set();
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, label, summary';
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest('[hidden]') || el.matches(exempt)) continue;
    let target = el;
    if (el.matches('input') && el.closest('label')) target = el.closest('label');
    if (target.matches('input.visually-hidden')) continue;
    const tapLabel = target.matches('.file-button') || target.querySelector('[type=checkbox], [type=radio]');
    if (target.matches('label') && !tapLabel) continue;
    if (seen.has(target)) continue;
    seen.add(target);
    const style = getComputedStyle(target);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    const box = target.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width < 43.5 || box.height < 43.5) {
      const text = target.textContent || target.value || target.getAttribute('aria-label') || '';
      const name = text.trim().replace(/\\s+/g, ' ').slice(0, 30);
      const id = target.id ? '#' + target.id : '';
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      small.push(`${target.tagName.toLowerCase()}${id}.${target.className} «${name}» ${size}`);
    }
  }
  return small;
}
"""

# Page-wide facts axe does not check: ids are unique (a label must find its own input) and every
# search landmark has a name of its own.
PAGE_FACTS_JS = """
() => {
  const problems = [];
  const ids = {};
  for (const el of document.querySelectorAll('[id]')) ids[el.id] = (ids[el.id] || 0) + 1;
  for (const [id, count] of Object.entries(ids)) if (count > 1) problems.push(`id "${id}" is used ${count} times`);
  const names = [];
  for (const el of document.querySelectorAll('[role=search], search')) {
    const name = el.getAttribute('aria-label') || '';
    if (!name) problems.push('a search landmark has no name');
    if (names.includes(name)) problems.push(`two search landmarks are both called "${name}"`);
    names.push(name);
  }
  return problems;
}
"""


def log_in(page, base, phone, locale):
    page.goto(base + "/login")
    page.locator("#phone").fill(phone)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button.button-primary").click()
    expect(page.locator(".account-menu summary")).to_be_visible()
    set_locale(page, locale)


def set_locale(page, locale):
    page.locator(f"footer button[name=locale][value={locale}]").click()
    expect(page.locator("html")).to_have_attribute("lang", locale)


def first_link(page, base, start, pattern, within=""):
    page.goto(base + start)
    return page.locator(f"main {within}a[href*='{pattern}']").first.get_attribute("href")


PAGE_BUDGET = 100_000  # DESIGN §7: HTML + CSS + JS of any page under 100 KB before images


def page_weight(page) -> int:
    """Bytes of the page's HTML and of every stylesheet and script it loads (uncompressed)."""
    assets = page.evaluate(
        "() => [...document.querySelectorAll('link[rel=stylesheet], script[src]')].map(e => e.href || e.src)"
    )
    return sum(len(page.request.get(url).body()) for url in [page.url, *assets])


def check_page(page, base, name, path, locale):
    """Open the page and return axe's violations and the tap targets smaller than 44×44 px."""
    page.goto(base + path)
    expect(page.locator("html")).to_have_attribute("lang", locale)
    snap(page, f"a11y-{name}-{locale}")
    results = Axe().run(page)
    problems = [
        f"{name} ({locale}): axe {violation['id']}: {violation['help']} — "
        + "; ".join(", ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results.response["violations"]
    ]
    problems += [
        f"{name} ({locale}): small tap target {target}" for target in page.evaluate(TAP_TARGETS_JS, INLINE_EXEMPT)
    ]
    problems += [f"{name} ({locale}): {problem}" for problem in page.evaluate(PAGE_FACTS_JS)]
    weight = page_weight(page)
    if weight >= PAGE_BUDGET:
        problems.append(f"{name} ({locale}): HTML+CSS+JS is {weight:,} bytes")
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"], (
        f"{name} scrolls sideways"
    )
    return problems


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_public_pages_have_no_axe_violations_and_big_tap_targets(live_server, phone_page, locale):
    page = phone_page
    page.goto(live_server + "/")
    if locale == "en":
        set_locale(page, "en")
    pages = dict(PUBLIC_PAGES, product=first_link(page, live_server, "/", "/p/"))
    problems = []
    for name, path in pages.items():
        problems += check_page(page, live_server, name, path, locale)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_producer_pages_have_no_axe_violations_and_big_tap_targets(live_server, phone_page, locale):
    page = phone_page
    log_in(page, live_server, PRODUCER, locale)
    try:
        pages = dict(
            PRODUCER_PAGES,
            **{
                "product-edit": first_link(
                    page, live_server, "/dashboard/products", "/dashboard/products/", ".list-row > "
                )
            },
        )
        problems = []
        for name, path in pages.items():
            problems += check_page(page, live_server, name, path, locale)
    finally:
        set_locale(page, "fa")  # the account remembers the language; leave it as the other tests expect
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_staff_pages_have_no_axe_violations_and_big_tap_targets(live_server, phone_page, locale):
    page = phone_page
    log_in(page, live_server, STAFF, locale)
    try:
        pages = dict(STAFF_PAGES)
        pages["staff-shop"] = first_link(page, live_server, "/staff/shops", "/staff/shops/")
        pages["staff-product"] = first_link(page, live_server, "/staff/products", "/staff/products/")
        problems = []
        for name, path in pages.items():
            problems += check_page(page, live_server, name, path, locale)
    finally:
        set_locale(page, "fa")
    assert problems == [], "\n".join(problems)


def test_product_gallery_is_reachable_by_keyboard(live_server, phone_page):
    page = phone_page
    page.goto(live_server + first_link(page, live_server, "/", "/p/"))
    gallery = page.locator(".gallery")
    expect(gallery).to_have_attribute("tabindex", "0")
    expect(gallery).to_have_attribute("aria-label", re.compile("عکس"))
    gallery.focus()
    expect(gallery).to_be_focused()  # so the arrow keys scroll its photos


BUYER = "09152000001"  # the demo buyer with orders waiting, delivered and cancelled
SELLER = "09151000001"  # «گلدوزی مریم», whose shop has demo orders in every state


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_buying_pages_have_no_axe_violations_and_big_tap_targets(live_server, phone_page, locale):
    page = phone_page
    log_in(page, live_server, BUYER, locale)
    try:
        product = first_link(page, live_server, "/shop/گلدوزی-مریم", "/p/")
        page.goto(live_server + product)
        page.locator("form.add-to-cart button").click()
        order = first_link(page, live_server, "/orders", "/orders/")
        pages = {
            "product-with-cart-form": product,
            "cart": "/cart",
            "checkout": "/checkout",
            "orders": "/orders",
            "order": order,
            "order-messages": order + "/messages",
            "order-receipt": order + "/receipt",
            "favourites": "/favourites",
            "notifications": "/notifications",
        }
        problems = []
        for name, path in pages.items():
            problems += check_page(page, live_server, name, path, locale)
        page.goto(live_server + "/cart")
        page.locator(".cart-qty button[name=quantity][value='0']").first.click()  # leave the cart empty again
    finally:
        set_locale(page, "fa")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_order_desk_and_money_pages_have_no_axe_violations_and_big_tap_targets(live_server, phone_page, locale):
    page = phone_page
    log_in(page, live_server, SELLER, locale)
    try:
        order = first_link(page, live_server, "/dashboard/orders", "/dashboard/orders/", ".order-list ")
        pages = {
            "desk": "/dashboard/orders",
            "desk-order": order,
            "desk-slip": order + "/slip",
            "desk-messages": order + "/messages",
            "desk-settings": "/dashboard/orders/settings",
            "desk-reviews": "/dashboard/reviews",
        }
        problems = []
        for name, path in pages.items():
            problems += check_page(page, live_server, name, path, locale)
    finally:
        set_locale(page, "fa")
    page.context.clear_cookies()
    log_in(page, live_server, STAFF, locale)
    try:
        for name, path in {
            "staff-ledger": "/staff/ledger",
            "staff-payments": "/staff/payments",
            "staff-thread": order.replace("/dashboard/", "/staff/") + "/messages",
        }.items():
            problems += check_page(page, live_server, name, path, locale)
    finally:
        set_locale(page, "fa")
    assert problems == [], "\n".join(problems)


FAIR_PRODUCER = "09151000001"  # «گلدوزی مریم»: accepted at the demo's past fair, applied to the next


@pytest.mark.parametrize("locale", ["fa", "en"])
def test_fair_pages_have_no_axe_violations_and_big_tap_targets(live_server, phone_page, locale):
    """The online bazaar, her fair pages and the staff's fair console (demo fairs: 1 past, 2 upcoming)."""
    page = phone_page
    page.goto(live_server + "/")
    if locale == "en":
        set_locale(page, "en")
    past = first_link(page, live_server, "/bazaar", "/bazaar/", ".fair-list ")
    problems = []
    for name, path in {"bazaar": "/bazaar", "fair": past}.items():
        problems += check_page(page, live_server, name, path, locale)
    log_in(page, live_server, FAIR_PRODUCER, locale)
    try:
        mine = {
            "her-fairs": "/dashboard/fairs/",
            "her-application-accepted": "/dashboard/fairs/applications/1",
            "her-application-open": "/dashboard/fairs/applications/11",
            "her-booth": "/dashboard/fairs/applications/1/booth",
            "her-sales": "/dashboard/fairs/applications/1/sales",
            "her-income": "/dashboard/fairs/income",
        }
        for name, path in mine.items():
            problems += check_page(page, live_server, name, path, locale)
    finally:
        set_locale(page, "fa")
    page.context.clear_cookies()
    log_in(page, live_server, STAFF, locale)
    try:
        console = {
            "fairs": "/staff/fairs",
            "fair-new": "/staff/fairs/new",
            "fair-hub": "/staff/fairs/1",
            "fair-edit": "/staff/fairs/2/edit",
            "jury-board": "/staff/fairs/1/jury",
            "jury-score": "/staff/fairs/1/jury/1",
            "booths": "/staff/fairs/1/booths",
            "booth-map": "/staff/fairs/1/booths/map",
            "checkin": "/staff/fairs/1/checkin",
            "staff-sales": "/staff/fairs/1/sales",
            "report": "/staff/fairs/1/report",
            "income": "/staff/fairs/income",
        }
        for name, path in console.items():
            problems += check_page(page, live_server, name, path, locale)
    finally:
        set_locale(page, "fa")
    assert problems == [], "\n".join(problems)
