"""Platform settings (/staff/settings): admin only, validated, and read by checkout, payments and the
ledger; category names that reach search and the cached public pages; requirement items edited
over requirements.json, refused when they break a rule, reset, and seen by every process."""

import html
import json

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Category
from marketplace.core.settings import PlatformSetting, platform_setting
from marketplace.extensions import db
from marketplace.orders import checkout
from marketplace.orders.models import Order
from marketplace.payments import services as payments
from marketplace.registration import requirements as reqs
from marketplace.registration.models import RequirementEdit
from marketplace.search.query import SearchParams
from marketplace.search.query import search as run_search
from marketplace.shops.models import Shop
from marketplace.staff.forms import RequirementItemForm
from tests.conftest import post_form, statements
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import search_index_folder, synced  # noqa: F401  (the index fixture)
from tests.staff.test_money import delivered, ledger_lines

SETTINGS = "/staff/settings"
GOOD = {"commission_percent": "10", "card_currency": "eur", "post_fee": "50000", "courier_fee": "", "reason": ""}


@pytest.fixture
def admin(make_user, login, client):
    user = make_user(roles={"staff", "admin"}, name="مدیر مرکز")
    login(user)
    client.set_cookie("locale", "en")  # new strings are asserted in English (their source text)
    return user


@pytest.fixture(autouse=True)
def _forget_loaded_requirements():
    """The test's edits are rolled back and content versions repeat: no process-wide copy of the
    requirements may outlive the test."""
    yield
    reqs.forget_loaded()


def save(client, data, path=SETTINGS):
    return post_form(client, path, data, token_from=path)


def stored(app) -> dict:
    with app.app_context():
        return {row.key: json.loads(row.value) for row in db.session.scalars(select(PlatformSetting))}


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    "path",
    [SETTINGS, f"{SETTINGS}/categories", f"{SETTINGS}/categories/1", f"{SETTINGS}/requirements",
     f"{SETTINGS}/requirements/HB-1"],
)  # fmt: skip
def test_settings_are_for_admins_only(app, client, staff, make_user, login, path):
    assert client.get(path).status_code == 302  # not logged in
    login(staff)
    assert client.get(path).status_code == 403
    assert "/staff/settings" not in client.get("/staff/users").get_data(as_text=True)  # no tab for staff
    admin_browser = app.test_client()
    login(make_user(roles={"admin"}), the_client=admin_browser)
    assert admin_browser.get(path).status_code == 200


def test_staff_cannot_post_settings(app, client, staff, login):
    login(staff)
    response = post_form(client, SETTINGS, GOOD, token_from="/staff/users")
    assert response.status_code == 403
    assert stored(app) == {}
    post_form(client, f"{SETTINGS}/requirements/HB-1/reset", {}, token_from="/staff/users")
    with app.app_context():
        assert db.session.scalars(select(RequirementEdit)).all() == []


# ---------------------------------------------------------------- platform settings


def test_form_shows_the_config_defaults_then_the_saved_values(app, client, admin):
    page = client.get(SETTINGS).get_data(as_text=True)
    assert 'name="commission_percent"' in page and 'name="reason"' in page
    assert "70,000" in page or "70000" in page or "۷۰۰۰۰" in page  # DEFAULT_POST_FEE_RIAL in toman
    response = save(client, GOOD | {"commission_percent": "۱۲", "card_currency": "usd", "post_fee": "۴۵٬۰۰۰"})
    assert response.status_code == 302
    assert stored(app) == {
        "PLATFORM_COMMISSION_PERCENT": 12,
        "STRIPE_CURRENCY": "usd",
        "DEFAULT_POST_FEE_RIAL": 450_000,
    }
    # the courier stays off (None, as in the config): not stored, nothing changed
    page = client.get(SETTINGS).get_data(as_text=True)
    assert 'value="usd" selected' in page or 'selected value="usd"' in page
    assert "45000" in page or "۴۵۰۰۰" in page


@pytest.mark.parametrize(
    "field, value",
    [
        ("commission_percent", "51"),
        ("commission_percent", "-1"),
        ("commission_percent", "ده"),
        ("commission_percent", "2.5"),
        ("card_currency", "irr"),
        ("post_fee", "-5"),
        ("post_fee", "پنجاه"),
        ("courier_fee", "12.5"),
        ("post_fee", "9" * 30),
    ],
)
def test_bad_settings_are_refused_next_to_the_field(app, client, admin, field, value):
    response = save(client, GOOD | {field: value})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page
    if field != "card_currency":
        assert f'value="{value}"' in page  # the form keeps what was typed
    assert stored(app) == {}


def test_settings_read_once_per_request(app, admin):
    with app.test_request_context():
        with statements(app) as ran:
            for _ in range(5):
                platform_setting("PLATFORM_COMMISSION_PERCENT")
                platform_setting("DEFAULT_POST_FEE_RIAL")
        assert len([s for s in ran if "platform_setting" in s]) == 1


def test_commission_change_reaches_the_next_checkouts_ledger(app, client, admin, make):
    shop = make(ShopFactory, status="approved")
    before = delivered(app, shop.id, delivery="pickup_centre", payment="centre")
    assert save(client, GOOD | {"commission_percent": "15"}).status_code == 302
    after = delivered(app, shop.id, delivery="pickup_centre", payment="centre", title="گلیم")
    lines = {line.order_id: line for line in ledger_lines(app, shop.id)}
    assert lines[before].commission_rial == 0  # the config's 0, fixed when that order was placed
    assert lines[after].commission_rial == 150_000  # 15% of 100,000 toman of items
    assert lines[after].owed_rial == 1_000_000 - 150_000
    assert "15%" in client.get("/staff/ledger").get_data(as_text=True)


def test_default_post_fee_used_for_shops_without_delivery_settings(app, client, admin, make):
    shop = make(ShopFactory, status="approved")
    with_own = make(ShopFactory, status="approved")
    with app.app_context():
        checkout.save_delivery_settings(
            app, db.session.get(Shop, with_own.id), post_fee_rial=300_000, courier_fee_rial=None,
            pickup_centre=True, allow_cod=False,
        )  # fmt: skip
        db.session.commit()
    assert save(client, GOOD | {"post_fee": "42000", "courier_fee": "60000"}).status_code == 302
    order_id = delivered(app, shop.id, delivery="post", payment="centre")
    own_id = delivered(app, with_own.id, delivery="post", payment="centre")
    with app.app_context():
        assert db.session.get(Order, order_id).delivery_fee_rial == 420_000
        assert db.session.get(Order, own_id).delivery_fee_rial == 300_000  # her own setting wins
        settings = checkout.delivery_settings(app, db.session.get(Shop, shop.id))
        assert (settings.post_fee_rial, settings.courier_fee_rial) == (420_000, 600_000)


def test_card_currency_moves_the_rate_and_the_charge(app, client, admin):
    assert save(client, GOOD | {"card_currency": "gbp"}).status_code == 302
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "No rate set for GBP" in page and "/staff/payments" in page
    # the rate is set on the payments page, now for pounds
    assert "GBP" in client.get("/staff/payments").get_data(as_text=True)
    post_form(client, "/staff/payments", {"toman_per_unit": "80000"}, token_from="/staff/payments")
    with app.test_request_context():
        assert payments.current_rate("gbp").rial_per_unit == 800_000
        assert payments.current_rate("eur") is None
    assert "Rate in use" in client.get(SETTINGS).get_data(as_text=True)
    card_app = app
    card_app.config.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    try:
        with card_app.test_request_context():
            payment = payments.create_payment(card_app, method="card", amount_rial=1_600_000, reference="t-1")
            assert (payment.currency, payment.amount_minor) == ("gbp", 200)  # 160,000 toman at 80,000 a pound
    finally:
        card_app.config.update(STRIPE_SECRET_KEY=None, STRIPE_WEBHOOK_SECRET=None)


# ---------------------------------------------------------------- category names


def test_category_rename_reaches_search_and_the_cached_public_page(app, client, admin, make, search_index_folder):  # noqa: F811
    shop = make(ShopFactory, status="approved")
    product = make(ProductFactory, shop=shop, title="کیف پول", category="leather", status="published")
    synced(app)
    visitor = app.test_client()
    assert "چرم دست‌دوز" in visitor.get("/c/leather").get_data(as_text=True)  # now kept in the page cache
    with app.app_context():
        leather = db.session.scalar(select(Category).where(Category.slug == "leather"))
    page = client.get(f"{SETTINGS}/categories/{leather.id}")
    assert page.status_code == 200
    response = save(
        client,
        {"name_fa": "چرم و تیماج  دستدوز", "name_en": "Hand-stitched leather", "reason": "نام روشن‌تر"},
        path=f"{SETTINGS}/categories/{leather.id}",
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Category, leather.id).name_fa == "چرم و تیماج دستدوز"  # normalised
    assert "چرم و تیماج دستدوز" in visitor.get("/c/leather").get_data(as_text=True)  # not the stale page
    synced(app)
    with app.test_request_context():
        result = run_search(SearchParams(q="تیماج"))
    assert result.mode != "database" and [p.id for p in result.products] == [product.id]


def test_category_names_are_checked(app, client, admin):
    with app.app_context():
        leather = db.session.scalar(select(Category).where(Category.slug == "leather"))
    path = f"{SETTINGS}/categories/{leather.id}"
    response = save(client, {"name_fa": "  ", "name_en": "Leather"}, path=path)
    assert response.status_code == 422 and 'id="name_fa-error"' in response.get_data(as_text=True)
    response = save(client, {"name_fa": "سفال و سرامیک", "name_en": "Leather"}, path=path)  # pottery's name
    assert response.status_code == 422 and "Another category already has this name" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Category, leather.id).name_fa == "چرم دست‌دوز"


# ---------------------------------------------------------------- registration requirements


def item_form(app, code: str, **changes) -> dict:
    """The edit form of an item as the page fills it (from the loaded item), with `changes`."""
    with app.test_request_context():
        form = RequirementItemForm.from_item(reqs.load_requirements()[code])
        data = {field.name: field.data or "" for field in form if field.name != "csrf_token"}
    return data | changes


def checklist_page(app, producer, product_id, login) -> str:
    browser = app.test_client()
    login(producer, the_client=browser)
    return browser.get(f"/dashboard/registration/product/{product_id}").get_data(as_text=True)


def test_requirement_edit_appears_on_a_products_checklist(app, client, admin, make, producer, login):
    shop = make(ShopFactory, owner=producer, status="approved")
    product = make(ProductFactory, shop=shop, category="soap")  # cosmetics: HB-1 is mandatory
    assert '<span class="reg-title">مجوز مشاغل خانگی</span>' in checklist_page(app, producer, product.id, login)
    form = item_form(
        app, "HB-1", title_fa="مجوز کسب‌وکار خانگی", steps_fa="گام یکم\nگام دوم", steps_en="Step one\nStep two",
        applies_textile="mandatory",
    )  # fmt: skip
    response = save(client, form, path=f"{SETTINGS}/requirements/HB-1")
    assert response.status_code == 302
    page = checklist_page(app, producer, product.id, login)
    assert '<span class="reg-title">مجوز کسب‌وکار خانگی</span>' in page
    assert '<span class="reg-title">مجوز مشاغل خانگی</span>' not in page
    with app.test_request_context():
        item = reqs.load_requirements()["HB-1"]
        assert item.steps("fa") == ("گام یکم", "گام دوم") and item.applies["textile"] == "mandatory"
    assert "Edited" in client.get(f"{SETTINGS}/requirements").get_data(as_text=True)
    # reset: back to the file's text
    response = post_form(client, f"{SETTINGS}/requirements/HB-1/reset", {"reset-reason": "اشتباه بود"},
                         token_from=f"{SETTINGS}/requirements/HB-1")  # fmt: skip
    assert response.status_code == 302
    assert '<span class="reg-title">مجوز مشاغل خانگی</span>' in checklist_page(app, producer, product.id, login)
    with app.test_request_context():
        assert reqs.load_requirements()["HB-1"].applies["textile"] == "recommended"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"applies_food": "recommended"}, "FD-1: mandatory for food"),  # FD-1 needs HB-1 for food
        # the form's own checks, in the reader's language (English here: the admin's locale)
        ({"steps_en": "Only one step"}, "Write as many English steps as Persian ones: 5 in Persian, 1 in English."),
        ({"links": ""}, "Give at least one official site."),
        ({"links": "not-a-site | سایت | site"}, "not-a-site is not a web address: it starts with https://"),
        ({"title_en": ""}, "Write the English title."),
        ({"title_fa": ""}, "Write the Persian title."),
        ({"steps_fa": "", "steps_en": ""}, "Write at least one step, one a line."),
        ({f"applies_{kind}": "" for kind in reqs.KINDS}, "'applies' must map kinds"),
    ],
)
def test_an_edit_that_breaks_a_rule_is_refused(app, client, admin, changes, message):
    response = save(client, item_form(app, "HB-1", **changes), path=f"{SETTINGS}/requirements/HB-1")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert 'name="title_fa"' in page  # the form is shown again with what was typed
    with app.app_context():
        assert db.session.scalars(select(RequirementEdit)).all() == []


def test_a_link_line_must_have_three_parts(app, client, admin):
    response = save(client, item_form(app, "HB-1", links="https://example.ir"), path=f"{SETTINGS}/requirements/HB-1")
    assert response.status_code == 422 and 'id="links-error"' in response.get_data(as_text=True)


def test_every_process_sees_an_edit_by_the_content_version(app, make):
    """An edit written by another process (here: straight into the table) is loaded by the next
    request. A request reads only the content version (which the page cache reads anyway) while
    nothing changed; after another public write it reads the edits' rows once and, finding them
    unchanged, keeps the data it has."""
    with app.test_request_context():
        assert reqs.load_requirements()["FN-1"].title("en") != "Edited elsewhere"
    raw = next(item for item in reqs.read_file()["items"] if item["code"] == "FN-1")
    with app.app_context():
        title = {"fa": raw["title"]["fa"], "en": "Edited elsewhere"}
        db.session.add(RequirementEdit(item_code="FN-1", fields=json.dumps({"title": title})))
        db.session.commit()
    with app.test_request_context():
        with statements(app) as ran:
            loaded = reqs.load_requirements()
            assert loaded["FN-1"].title("en") == "Edited elsewhere"
            for _ in range(10):
                reqs.load_requirements()
        assert len(selects(ran)) == 2  # the content version, then the edits
        assert len([s for s in ran if "requirement_edit" in s]) == 1  # the edits once, for 11 lookups
    with app.test_request_context():
        with statements(app) as ran:
            reqs.load_requirements()
        assert len(selects(ran)) == 1 and "page_version" in selects(ran)[0]  # only the version
    make(ShopFactory)  # an unrelated public write moves the version
    with app.test_request_context():
        assert reqs.load_requirements() is loaded  # rows read again, same edits: nothing rebuilt


def selects(statements_run: list[str]) -> list[str]:
    return [statement for statement in statements_run if statement.startswith("SELECT")]


def test_a_refused_edit_speaks_persian_to_a_persian_admin(app, client, admin):
    client.set_cookie("locale", "fa")
    response = save(client, item_form(app, "HB-1", links="", title_fa=""), path=f"{SETTINGS}/requirements/HB-1")
    assert response.status_code == 422
    page = html.unescape(response.get_data(as_text=True))
    assert "دست‌کم یک سایت رسمی بنویسید." in page and "عنوان فارسی را بنویسید." in page
