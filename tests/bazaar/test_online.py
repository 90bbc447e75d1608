"""The online bazaar: fair prices only while the fair is live (boundaries in Asia/Tehran), booth pickup
only while live and only for shops with a booth, fair orders recorded, checkout totals from the server,
and searching within a fair through the real Whoosh index."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import current_app
from sqlalchemy import select

from marketplace.bazaar import online, services
from marketplace.bazaar.models import Application, ApplicationProduct, FairOrder
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout
from marketplace.orders.models import Order
from marketplace.search import query
from marketplace.search.query import SearchParams
from tests.conftest import post_form
from tests.factories import ApplicationFactory, FairFactory, ProductFactory, ShopFactory, UserFactory
from tests.search.conftest import search_index_folder, synced  # noqa: F401  (each test its own index)

TEHRAN = ZoneInfo("Asia/Tehran")  # the zone of the fair's hours, independent of the app's own constant
START = datetime(2026, 5, 1, 10, 0, tzinfo=TEHRAN)  # 10:00 Tehran = 06:30 UTC
END = datetime(2026, 5, 3, 18, 0, tzinfo=TEHRAN)
TICK = timedelta(microseconds=1)


def fair_at(starts, ends, *, status="published", booths=2, **fields):
    """A published fair with these hours (applications closed before it starts). Times are stored in
    UTC, as the staff form stores them (SQLite would keep a Tehran wall-clock time as if it were UTC)."""
    starts, ends = starts.astimezone(UTC), ends.astimezone(UTC)
    return FairFactory(
        starts_at=starts,
        ends_at=ends,
        applications_open_at=starts - timedelta(days=20),
        applications_close_at=starts - timedelta(days=5),
        status=status,
        booths=booths,
        **fields,
    )


def live_fair(**fields):
    now = utcnow()
    return fair_at(now - timedelta(hours=1), now + timedelta(hours=6), **fields)


def exhibit(fair, *, discount=20, booth=True, status="accepted", products=3, **fields):
    """An application to the fair with `products` products (100,000 toman each), each at `discount` %."""
    application = ApplicationFactory(fair=fair, status=status, products=products, **fields)
    for item in application.items:
        item.discount_percent = discount
    if booth:
        taken = {a.booth_id for a in fair.applications if a.booth_id}
        application.booth = next(b for b in fair.booths if b.id not in taken)
    db.session.flush()
    return application


# ---------------------------------------------------------------- prices


def test_rounding_to_a_whole_toman():
    assert online.discounted_price(1_000_000, 15) == 850_000
    assert online.discounted_price(123_450, 10) == 111_110  # 11,110.5 toman, rounded half up
    assert online.discounted_price(99_990, 33) == 66_990  # 6,699.33 toman → 6,699 toman
    assert online.discounted_price(500_000, 0) == 500_000


def test_fair_price_only_while_the_fair_is_live_boundaries_in_tehran(app_ctx):
    fair = fair_at(START, END)
    product = exhibit(fair, discount=25).items[0].product
    assert product.price_rial == 1_000_000
    # the boundaries, computed in Asia/Tehran with zoneinfo
    assert online.fair_price(product, now=START - TICK) is None
    assert online.fair_price(product, now=START) == 750_000
    assert online.fair_price(product, now=END - TICK) == 750_000
    assert online.fair_price(product, now=END) is None
    # the cart asks through the signal: the same answer, and the usual price outside the hours
    assert carts.unit_price(product, None, START) == 750_000
    assert carts.unit_price(product, None, START - TICK) == 1_000_000
    assert carts.unit_price(product, None, END) == 1_000_000


def test_no_fair_price_for_drafts_unaccepted_applications_or_closed_fairs(app_ctx):
    fair = fair_at(START, END, status="jurying")
    product = exhibit(fair, discount=25).items[0].product
    assert online.fair_price(product, now=START + timedelta(hours=1)) is None  # not published
    fair.status = "published"
    waiting = exhibit(fair, discount=30, status="waitlisted", booth=False).items[0].product
    assert online.fair_price(waiting, now=START + timedelta(hours=1)) is None
    assert online.fair_price(product, now=START + timedelta(hours=1)) == 750_000
    fair.status = "closed"  # closed by staff before the end: prices stop at once
    db.session.flush()
    assert online.fair_price(product, now=START + timedelta(hours=1)) is None


def test_booth_pickup_only_while_live_and_only_for_shops_with_a_booth(app_ctx):
    fair = fair_at(START, END)
    with_booth = exhibit(fair)
    without_booth = exhibit(fair, booth=False)
    during = START + timedelta(hours=2)
    assert online.booth_pickup(with_booth.shop, now=during) == {
        "fair_id": fair.id,
        "fair_title": fair.title,
        "booth_code": with_booth.booth.code,
    }
    assert online.booth_pickup(without_booth.shop, now=during) is None
    assert online.booth_pickup(with_booth.shop, now=START - TICK) is None
    assert online.booth_pickup(with_booth.shop, now=END) is None
    assert online.booth_pickup(ShopFactory(status="approved"), now=during) is None
    # checkout offers it through the signal exactly then
    settings = checkout.delivery_settings(current_app, with_booth.shop)
    assert "pickup_booth" in checkout.delivery_options(settings, checkout.booth_pickup(with_booth.shop, during))
    assert "pickup_booth" not in checkout.delivery_options(settings, checkout.booth_pickup(with_booth.shop, END))


def test_product_fairs_lists_public_fairs_of_accepted_applications(app_ctx):
    shown = fair_at(START, END)
    hidden = fair_at(START + timedelta(days=30), END + timedelta(days=30), status="jurying")
    shop = ShopFactory(status="approved")
    product = ProductFactory(shop=shop, status="published")
    ApplicationFactory(fair=shown, shop=shop, items=[product], status="accepted")
    ApplicationFactory(fair=hidden, shop=shop, items=[product], status="accepted")
    other = ProductFactory(shop=shop, status="published")
    assert online.product_fairs(None, product_ids=[product.id, other.id]) == {product.id: [shown.id]}


# ---------------------------------------------------------------- ordering


def test_booth_pickup_order_is_a_fair_order_at_the_fair_price_with_its_pickup_place(app_ctx):
    fair = live_fair()
    application = exhibit(fair, discount=10)
    product = application.items[0].product
    buyer = UserFactory()
    cart = carts.open_cart(user_id=buyer.id, token=None)
    carts.add_item(cart, product.id, None, 2, max_line=20)
    groups = carts.grouped_lines(cart, max_line=20)
    assert groups[0].lines[0].unit_rial == 900_000 and groups[0].lines[0].regular_unit_rial == 1_000_000
    assert checkout.payment_methods(current_app, groups) == ["centre", "booth"]
    choice = checkout.CheckoutChoice({application.shop_id: "pickup_booth"}, "booth", None)
    done = checkout.place_order(current_app, buyer, cart, choice)
    order = done.orders[0]
    assert order.items[0].unit_price_rial == 900_000
    assert order.items_rial == 1_800_000 and done.total_rial == 1_800_000
    assert application.booth.code in order.address_line and fair.title in order.address_line
    assert order.province == "" and order.postal_code == ""
    recorded = db.session.scalars(select(FairOrder).where(FairOrder.order_id == order.id)).one()
    assert (recorded.fair_id, recorded.booth_code) == (fair.id, application.booth.code)


def test_paying_at_the_booth_needs_every_shop_picked_up_at_its_booth(app_ctx):
    fair = live_fair()
    first, second = exhibit(fair), exhibit(fair)
    buyer = UserFactory()
    cart = carts.open_cart(user_id=buyer.id, token=None)
    for application in (first, second):
        carts.add_item(cart, application.items[0].product_id, None, 1, max_line=20)
    choice = checkout.CheckoutChoice({first.shop_id: "pickup_booth", second.shop_id: "pickup_centre"}, "booth", None)
    with pytest.raises(checkout.CheckoutRefused) as refused:
        checkout.place_order(current_app, buyer, cart, choice)
    assert [field for field, _message in refused.value.errors] == ["payment_method"]
    # a shop without a booth: no booth payment at all, and no booth pickup
    plain = ProductFactory(shop=ShopFactory(status="approved"), status="published")
    carts.add_item(cart, plain.id, None, 1, max_line=20)
    groups = carts.grouped_lines(cart, max_line=20)
    assert "booth" not in checkout.payment_methods(current_app, groups)
    choice = checkout.CheckoutChoice(
        {first.shop_id: "pickup_booth", second.shop_id: "pickup_booth", plain.shop_id: "pickup_booth"}, "centre", None
    )
    with pytest.raises(checkout.CheckoutRefused) as refused:
        checkout.place_order(current_app, buyer, cart, choice)
    assert [field for field, _message in refused.value.errors] == [f"delivery_{plain.shop_id}"]


def test_a_discounted_order_sent_by_post_is_a_fair_order_too(app_ctx):
    fair = live_fair()
    application = exhibit(fair, discount=10)
    buyer = UserFactory()
    cart = carts.open_cart(user_id=buyer.id, token=None)
    carts.add_item(cart, application.items[0].product_id, None, 1, max_line=20)
    address = checkout.add_address(
        buyer.id,
        checkout.AddressData("زهرا کریمی", "09151234567", "خراسان رضوی", "مشهد", "بلوار توس، پلاک ۵", "9187654321"),
    )
    done = checkout.place_order(
        current_app, buyer, cart, checkout.CheckoutChoice({application.shop_id: "post"}, "centre", address)
    )
    order = done.orders[0]
    assert order.address_line == "بلوار توس، پلاک ۵"
    recorded = db.session.scalars(select(FairOrder).where(FairOrder.order_id == order.id)).one()
    assert (recorded.fair_id, recorded.booth_code) == (fair.id, application.booth.code)


def test_no_fair_order_outside_a_fair(app_ctx):
    buyer = UserFactory()
    product = ProductFactory(shop=ShopFactory(status="approved"), status="published")
    cart = carts.open_cart(user_id=buyer.id, token=None)
    carts.add_item(cart, product.id, None, 1, max_line=20)
    done = checkout.place_order(
        current_app, buyer, cart, checkout.CheckoutChoice({product.shop_id: "pickup_centre"}, "centre", None)
    )
    assert db.session.scalars(select(FairOrder).where(FairOrder.order_id == done.orders[0].id)).first() is None


def test_checkout_route_uses_the_fair_price_computed_on_the_server(app, client, make, make_user, login):
    with app.app_context():
        fair = live_fair()
        application = exhibit(fair, discount=20)
        product_id, shop_id, code = application.items[0].product_id, application.shop_id, application.booth.code
        title = fair.title
        db.session.commit()
    login(make_user())
    post_form(client, "/cart/add", {"product_id": product_id, "quantity": 2}, token_from="/cart")
    cart_page = client.get("/cart").get_data(as_text=True)
    assert "<del" in cart_page and "<ins" in cart_page  # the usual price struck through beside the fair price
    page = client.get("/checkout").get_data(as_text=True)
    assert f'name="delivery_{shop_id}" value="pickup_booth"' in page
    assert code in page and title in page  # "Pick up at booth A-01 (fair title)"
    data = {f"delivery_{shop_id}": "pickup_booth", "payment_method": "booth", "place": "1", "address_id": "new"}
    data |= {"total_rial": "1", "unit_price_rial": "1", "price": "1"}  # whatever the browser says about money
    response = post_form(client, "/checkout", data, token_from="/cart")
    assert response.status_code == 302, response.get_data(as_text=True)
    checkout_id = int(re.search(r"/checkout/(\d+)/done", response.headers["Location"]).group(1))
    with app.app_context():
        order = db.session.scalars(select(Order).where(Order.checkout_id == checkout_id)).one()
        assert order.items_rial == 2 * 800_000 and order.total_rial == 1_600_000
        assert order.payment_method == "booth" and order.delivery_method == "pickup_booth"
        assert code in order.address_line
        order_id = order.id
    page = client.get(f"/orders/{order_id}").get_data(as_text=True)
    assert code in page and title in page


# ---------------------------------------------------------------- search within a fair


def search(app, **params):
    with app.test_request_context():
        result = query.search(SearchParams(**params))
        return result, {product.id for product in result.products}


def test_searching_within_a_fair_uses_the_index_and_composes_with_words(app, make):
    with app.app_context():
        fair = live_fair()
        other_fair = live_fair()
        shop = ShopFactory(status="approved")
        bag = ProductFactory(shop=shop, status="published", title="کیف چرمی دست‌دوز")
        jam = ProductFactory(shop=shop, status="published", title="مربای هویج", category="jams")
        elsewhere = ProductFactory(shop=ShopFactory(status="approved"), status="published", title="کیف پارچه‌ای")
        ApplicationFactory(fair=fair, shop=shop, items=[bag, jam], status="accepted")
        ApplicationFactory(fair=other_fair, shop=elsewhere.shop, items=[elsewhere], status="accepted")
        ids = {"bag": bag.id, "jam": jam.id, "elsewhere": elsewhere.id}
        fair_id, other_id = fair.id, other_fair.id
        db.session.commit()
    synced(app)
    result, found = search(app, fair=fair_id)
    assert found == {ids["bag"], ids["jam"]} and result.mode == "browse" and not result.degraded
    _result, found = search(app, fair=fair_id, q="کیف")
    assert found == {ids["bag"]}  # the words and the fair together
    _result, found = search(app, q="کیف")
    assert found == {ids["bag"], ids["elsewhere"]}  # without the filter, both bags
    _result, found = search(app, fair=other_id, q="کیف")
    assert found == {ids["elsewhere"]}
    _result, found = search(app, fair=fair_id, category="jams")
    assert found == {ids["jam"]}


def test_accepting_an_application_reindexes_its_products_into_the_fair(app, make):
    """The session listener sends the application's products to search when its status changes."""
    with app.app_context():
        fair = live_fair()
        application = exhibit(fair, status="submitted", booth=False)
        product_ids = {item.product_id for item in application.items}
        fair_id, application_id = fair.id, application.id
        db.session.commit()
    synced(app)
    assert search(app, fair=fair_id)[1] == set()
    with app.app_context():
        application = db.session.get(Application, application_id)
        application.status = "accepted"
        services.record_application_decision(application, None, "accept", "submitted")
        db.session.commit()
    assert synced(app) > 0
    assert search(app, fair=fair_id)[1] == product_ids
    with app.app_context():  # she takes a product out: it leaves the fair's results
        item = db.session.scalars(
            select(ApplicationProduct).where(ApplicationProduct.application_id == application_id)
        ).first()
        removed = item.product_id
        db.session.delete(item)
        db.session.commit()
    synced(app)
    assert search(app, fair=fair_id)[1] == product_ids - {removed}


def test_publishing_a_fair_puts_its_products_in_the_fair_filter(app, make):
    """move_fair changes the status with an UPDATE the flush never sees; its decision row carries it."""
    with app.app_context():
        fair = fair_at(utcnow() + timedelta(days=10), utcnow() + timedelta(days=12), status="jurying")
        application = exhibit(fair)
        product_ids = {item.product_id for item in application.items}
        fair_id = fair.id
        db.session.commit()
    synced(app)
    assert search(app, fair=fair_id)[1] == set()  # not public yet
    with app.app_context():
        from marketplace.bazaar.models import BazaarEvent

        services.move_fair(db.session.get(BazaarEvent, fair_id), "publish", None)
        db.session.commit()
    synced(app)
    assert search(app, fair=fair_id)[1] == product_ids


def test_the_fair_filter_works_while_the_index_is_unusable(app, make):
    with app.app_context():
        fair = live_fair()
        application = exhibit(fair)
        ProductFactory(shop=ShopFactory(status="approved"), status="published")
        product_ids = {item.product_id for item in application.items}
        fair_id = fair.id
        db.session.commit()
    result, found = search(app, fair=fair_id)  # no index was built in this test
    assert result.degraded and found == product_ids
