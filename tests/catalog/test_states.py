"""State machines as data: every allowed move of each table works through its service, a sample of
forbidden moves is refused, stored values are unchanged strings; the public-product rule is
written once (Python and SQL agree); which edits of public things go back to review."""

import itertools

import pytest
from sqlalchemy import select

from marketplace.catalog import services
from marketplace.catalog.models import Product, ProductStatus
from marketplace.catalog.services import VariantData
from marketplace.extensions import db
from marketplace.registration import services as registration
from marketplace.registration.models import RecordStatus, RegistrationRecord
from marketplace.shops import services as shops
from marketplace.shops.models import Shop, ShopStatus
from tests.catalog.test_services import data
from tests.factories import ShopFactory, category_id, stored_photo


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


@pytest.fixture
def shop():
    return ShopFactory(branded=True, status="approved")


@pytest.fixture
def staff(staff):
    return db.session.merge(staff)


def test_stored_values_are_the_old_strings():
    assert [s.value for s in ShopStatus] == ["draft", "submitted", "approved", "changes_requested", "suspended"]
    assert [s.value for s in ProductStatus] == ["draft", "in_review", "published", "changes_requested", "archived"]
    assert [s.value for s in RecordStatus] == ["todo", "submitted", "verified", "rejected", "expired", "waived"]


def _product_in(shop, status: ProductStatus) -> Product:
    product = services.create_product(shop, data(category_id=category_id("decor")))
    services.add_photo(product, stored_photo(), [], shop.owner)
    product.status = status
    db.session.flush()
    return product


@pytest.mark.parametrize(
    ("action", "start"),
    [(action, start) for action, (starts, _target) in services.TRANSITIONS.items() for start in sorted(starts)],
)
def test_every_allowed_product_move_works(shop, staff, action, start):
    product = _product_in(shop, start)
    if action == "resubmit":
        services.update_product(product, data(category_id=category_id("decor"), title="عنوان تازه"), shop.owner)
    else:
        services.change_status(product, staff, action, "دلیل")
    assert product.status == services.TRANSITIONS[action][1]
    assert product.decisions[0].action == action and product.decisions[0].from_status == start


@pytest.mark.parametrize(
    ("action", "start"),
    [
        (action, start)
        for action, (starts, _target) in services.TRANSITIONS.items()
        for start in ProductStatus
        if start not in starts and action != "resubmit"
    ],
)
def test_forbidden_product_moves_are_refused(shop, staff, action, start):
    product = _product_in(shop, start)
    with pytest.raises(services.CatalogError):
        services.change_status(product, staff, action, "دلیل")
    assert product.status == start and not product.decisions


def test_unknown_actions_are_refusals_not_crashes(shop, staff):
    product = _product_in(shop, ProductStatus.IN_REVIEW)
    with pytest.raises(services.CatalogError):
        services.change_status(product, staff, "delete_everything")
    with pytest.raises(services.CatalogError):
        services.staff_decision(product, staff, "archive")  # a producer's move, not a reviewer's
    with pytest.raises(shops.ShopError):
        shops.change_status(shop, staff, "delete_everything")


@pytest.mark.parametrize(
    ("action", "start"),
    [(action, start) for action, (starts, _target) in shops.TRANSITIONS.items() for start in sorted(starts)],
)
def test_every_allowed_shop_move_works(shop, staff, action, start):
    shop.status = start
    shops.change_status(shop, staff, action, "دلیل")
    assert shop.status == shops.TRANSITIONS[action][1]


@pytest.mark.parametrize(
    ("action", "start"),
    [("approve", "draft"), ("approve", "approved"), ("suspend", "submitted"), ("reinstate", "approved"),
     ("submit", "approved"), ("request_changes", "suspended")],
)  # fmt: skip
def test_forbidden_shop_moves_are_refused(shop, staff, action, start):
    shop.status = start
    with pytest.raises(shops.ShopError):
        shops.change_status(shop, staff, action, "دلیل")
    assert shop.status == start


def test_registration_moves_follow_the_table(shop, staff):
    record = RegistrationRecord(shop=shop, item_code="HB-1", status=RecordStatus.TODO)
    db.session.add(record)
    for action, start in [("verify", "todo"), ("reject", "verified"), ("expire", "submitted"), ("waive", "waived")]:
        assert start not in registration.TRANSITIONS[action][0]
        record.status = start
        with pytest.raises(registration.RegistrationError):
            registration._event(record, staff, action)
    for action, (starts, target) in registration.TRANSITIONS.items():
        for start in starts:
            record.status = start
            registration._event(record, staff, action)
            assert record.status == target


def test_the_public_rule_is_the_same_in_python_and_sql(shop, staff):
    products = {}
    for shop_status, product_status in itertools.product(ShopStatus, ProductStatus):
        product = _product_in(shop, product_status)
        products[product.id] = (shop_status, product_status)
    # one shop, so check each shop status in turn
    for shop_status in ShopStatus:
        shop.status = shop_status
        db.session.flush()
        in_sql = set(db.session.scalars(select(Product.id).where(Product.is_public, Product.shop_id == shop.id)))
        ids = [pid for pid, (s, _p) in products.items() if s == shop_status]
        for pid in ids:
            product = db.session.get(Product, pid)
            expected = shop_status == "approved" and product.status == "published"
            assert product.is_public is expected
            assert (pid in in_sql) is expected
        assert Shop.is_public is not None and shop.is_public is (shop_status == "approved")
        listed = {p.id for p in db.session.scalars(services.public_products().where(Product.shop_id == shop.id))}
        assert listed == in_sql


# ---------------------------------------------------------------- edits that skip review


# (Saving unchanged option rows hits the variant unique constraint until issue 10 item 3 lands, so
# each case below changes only the field it is about.)
@pytest.mark.parametrize(
    ("field", "before", "edit"),
    [
        ("title", {}, dict(title="کوسن گلدوزی بزرگ")),
        ("description", {}, dict(description="توضیح تازه")),
        ("category_id", {}, dict(category_id="needlework")),
        ("materials", {}, dict(materials="پنبه")),
        ("tags", {}, dict(tags="گلدوزی، کوسن، تبلیغ")),
        ("option1_name", dict(option1_name="رنگ"), dict(option1_name="جنس")),
        ("option2_name", dict(option1_name="رنگ", option2_name="اندازه"), dict(option1_name="رنگ", option2_name="جنس")),
        ("option_values", dict(option1_name="رنگ", variants=[VariantData("آبی", "", 2)]),
         dict(option1_name="رنگ", variants=[VariantData("قرمز", "", 2)])),
    ],
)  # fmt: skip
def test_every_text_a_buyer_reads_sends_a_published_product_back_to_review(shop, field, before, edit):
    assert field in services.REVIEWED_FIELDS
    if "category_id" in edit:
        edit = dict(category_id=category_id(edit["category_id"]))
    product = services.create_product(shop, data(**before))
    product.status = ProductStatus.PUBLISHED
    assert services.update_product(product, data(**edit), shop.owner) is True
    assert product.status == ProductStatus.IN_REVIEW


def test_facts_change_at_once(shop):
    product = services.create_product(shop, data())
    product.status = ProductStatus.PUBLISHED
    changed = data(price_toman="300000", stock=9, weight_g=500, length_cm=30, made_to_order=True, lead_time_days=5)
    assert services.update_product(product, changed, shop.owner) is False
    assert product.status == ProductStatus.PUBLISHED and product.price_rial == 3_000_000


@pytest.mark.parametrize(
    ("field", "save"),
    [
        ("name", lambda shop: shops.update_identity(shop, "گلدوزی مریم تازه", shop.craft, shop.neighbourhood)),
        ("neighbourhood", lambda shop: shops.update_identity(shop, shop.name, shop.craft, "سیدی")),
        ("tagline", lambda shop: shops.update_story(shop, "شعار تازه", shop.story, {})),
        ("story", lambda shop: shops.update_story(shop, shop.tagline, "داستان تازهٔ من", {})),
        ("city", lambda shop: shops.update_settings(shop, contact_phone="", show_phone=False, city="نیشابور",
                                                     weekly_capacity=None, away=False, away_until=None)),
    ],
)  # fmt: skip
def test_an_approved_shops_new_text_waits_for_review_while_it_stays_public(shop, staff, field, save):
    assert field in shops.REVIEWED_FIELDS
    old = getattr(shop, field)
    save(shop)
    db.session.flush()
    assert shop.status == ShopStatus.APPROVED and shop.is_public
    assert getattr(shop, field) == old and field in shop.pending_text
    assert shops.shop_text(shop)[field] == shop.pending_text[field]
    assert shop in shops.shops_with_pending_text()
    new = shop.pending_text[field]
    assert "approve_text" in shops.staff_actions(shop)
    with pytest.raises(shops.ShopError):
        shops.staff_decision(shop, staff, "decline_text", "")  # a reason is needed
    shops.staff_decision(shop, staff, "approve_text")
    assert getattr(shop, field) == new and shop.pending_text is None


def test_declined_text_is_dropped_and_a_draft_shop_changes_at_once(shop, staff):
    shops.update_story(shop, "شعار تازه", shop.story, {})
    shops.staff_decision(shop, staff, "decline_text", "شعار تبلیغاتی است")
    assert shop.tagline != "شعار تازه" and shop.pending_text is None
    assert shop.decisions[0].action == "decline_text"
    shop.status = ShopStatus.DRAFT
    shops.update_story(shop, "شعار تازه", shop.story, {})
    assert shop.tagline == "شعار تازه" and shop.pending_text is None
