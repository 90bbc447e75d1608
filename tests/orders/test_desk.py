"""The producer's order desk through HTTP: the list and its badge, one order and its actions, the
packing slip, the receipt (hers and the buyer's), delivery settings; who may see what."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.core.dates import TEHRAN, jalali_input_value
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout, desk
from marketplace.orders.models import DeliverySettings, Order, OrderStatus
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.shops.models import Shop
from tests.conftest import csrf_token, post_form
from tests.factories import ProductFactory, ShopFactory, UserFactory

ADDRESS = checkout.AddressData(
    "زهرا کریمی", "09151234567", "خراسان رضوی", "مشهد", "بلوار توس، کوچه ۱۲، پلاک ۵", "۹۱۸۷۶۵۴۳۲۱"
)


def place(app, shop_id, *, delivery="post", payment="centre", quantity=1, stock=3, title="شال ابریشمی"):
    """A buyer orders `quantity` of a new product of the shop; returns (order id, product id, buyer)."""
    with app.test_request_context():
        buyer = UserFactory(display_name="زهرا کریمی")
        shop = db.session.get(Shop, shop_id)
        product = ProductFactory(shop=shop, status="published", stock=stock, price_toman=100_000, title=title)
        cart = carts.open_cart(user_id=buyer.id, token=None)
        carts.add_item(cart, product.id, None, quantity, max_line=20)
        address = checkout.add_address(buyer.id, ADDRESS) if delivery in ("post", "courier") else None
        done = checkout.place_order(app, buyer, cart, checkout.CheckoutChoice({shop_id: delivery}, payment, address))
        db.session.commit()
        return done.orders[0].id, product.id, db.session.get(type(buyer), buyer.id)


def reload(app, order_id) -> Order:
    with app.app_context():
        order = db.session.get(Order, order_id)
        _ = order.items, order.events, order.checkout.payment
        return order


def stock_of(app, product_id) -> int:
    with app.app_context():
        return db.session.get(Product, product_id).stock


@pytest.fixture
def shop(make, producer):
    return make(ShopFactory, owner=producer, status="approved", name="کارگاه مریم")


def desk_post(client, order_id, action, data=None):
    path = f"/dashboard/orders/{order_id}"
    return post_form(client, f"{path}/{action}", data or {}, token_from=path)


def test_full_desk_flow(app, client, producer, shop, login):
    order_id, product_id, buyer = place(app, shop.id, quantity=2)
    login(producer)

    listing = client.get("/dashboard/orders").get_data(as_text=True)
    assert f"/dashboard/orders/{order_id}" in listing and "زهرا کریمی" in listing and "شال ابریشمی" in listing
    assert "badge-new" in listing
    assert "order-row-new" in client.get("/dashboard/orders?tab=new").get_data(as_text=True)
    assert f"/dashboard/orders/{order_id}" not in client.get("/dashboard/orders?tab=sent").get_data(as_text=True)

    page = client.get(f"/dashboard/orders/{order_id}").get_data(as_text=True)
    assert f'href="tel:{buyer.phone}"' in page
    assert "بلوار توس، کوچه ۱۲، پلاک ۵" in page and "۹۱۸۷۶۵۴۳۲۱" in page
    assert f'href="/dashboard/orders/{order_id}/messages"' in page
    assert f"/dashboard/orders/{order_id}/accept" in page and f"/dashboard/orders/{order_id}/cancel" in page
    assert f"/dashboard/orders/{order_id}/ship" not in page  # not before it is accepted
    assert reload(app, order_id).seen_by_shop_at is not None
    assert "order-row-new" not in client.get("/dashboard/orders").get_data(as_text=True)

    # ship before accept: refused by the state machine even when posted by hand
    desk_post(client, order_id, "ship", {"carrier": "پست", "tracking_code": "123"})
    assert reload(app, order_id).status == OrderStatus.AWAITING_CONFIRMATION

    ship_by = jalali_input_value(datetime.now(TEHRAN).date())
    response = desk_post(client, order_id, "accept", {"expected_ship_date": ship_by})
    assert response.status_code == 302
    order = reload(app, order_id)
    assert order.status == OrderStatus.ACCEPTED and order.expected_ship_date is not None

    # post without a tracking code: the message sits next to the field, the carrier she typed is kept
    page = desk_post(client, order_id, "ship", {"carrier": "پست پیشتاز", "tracking_code": ""}).get_data(as_text=True)
    assert 'id="tracking_code-error"' in page and 'value="پست پیشتاز"' in page
    assert reload(app, order_id).status == OrderStatus.ACCEPTED

    desk_post(client, order_id, "ship", {"carrier": "پست پیشتاز", "tracking_code": "۱۲۳۴۵۶۷۸۹"})
    order = reload(app, order_id)
    assert order.status == OrderStatus.SHIPPED and order.tracking_code

    desk_post(client, order_id, "deliver")
    order = reload(app, order_id)
    assert order.status == OrderStatus.DELIVERED
    assert [event.action for event in order.events] == ["placed", "accept", "ship", "deliver", "money_received"]
    page = client.get(f"/dashboard/orders/{order_id}").get_data(as_text=True)
    assert "/accept" not in page and "/cancel" not in page and "/deliver" not in page
    assert stock_of(app, product_id) == 1


def test_money_received_for_an_offline_order(app, client, producer, shop, login):
    order_id, _product_id, _buyer = place(app, shop.id, delivery="pickup_centre", payment="centre")
    login(producer)
    assert f"/dashboard/orders/{order_id}/money-received" in client.get(f"/dashboard/orders/{order_id}").text
    assert desk_post(client, order_id, "money-received").status_code == 302
    order = reload(app, order_id)
    assert order.money_received_at is not None
    assert order.checkout.payment.status == PaymentStatus.PAID
    assert "/money-received" not in client.get(f"/dashboard/orders/{order_id}").text


def test_cancel_needs_a_reason_then_gives_stock_back(app, client, producer, shop, login):
    order_id, product_id, _buyer = place(app, shop.id, quantity=2, stock=2)
    assert stock_of(app, product_id) == 0
    login(producer)
    page = desk_post(client, order_id, "cancel", {"reason": ""}).get_data(as_text=True)
    assert 'id="reason-error"' in page
    assert reload(app, order_id).status == OrderStatus.AWAITING_CONFIRMATION

    desk_post(client, order_id, "cancel", {"reason": "پارچه تمام شده است"})
    order = reload(app, order_id)
    assert order.status == OrderStatus.CANCELLED and order.cancel_reason == "پارچه تمام شده است"
    assert order.events[-1].action == "cancel_producer"
    assert stock_of(app, product_id) == 2
    assert order.checkout.payment.status == PaymentStatus.CANCELLED
    # nothing more to do with a cancelled order; a posted accept is refused
    desk_post(client, order_id, "accept", {"expected_ship_date": ""})
    assert reload(app, order_id).status == OrderStatus.CANCELLED


def test_accept_refuses_a_bad_date_and_keeps_it(app, client, producer, shop, login):
    order_id, _product_id, _buyer = place(app, shop.id)
    login(producer)
    page = desk_post(client, order_id, "accept", {"expected_ship_date": "1300/01/01"}).get_data(as_text=True)
    assert 'id="expected_ship_date-error"' in page and 'value="1300/01/01"' in page
    page = desk_post(client, order_id, "accept", {"expected_ship_date": "فردا"}).get_data(as_text=True)
    assert 'id="expected_ship_date-error"' in page
    assert reload(app, order_id).status == OrderStatus.AWAITING_CONFIRMATION


def test_badge_counts_new_unseen_orders(app, client, producer, shop, login):
    first, _p, _b = place(app, shop.id)
    place(app, shop.id, title="گلیم")
    login(producer)
    home = client.get("/dashboard").get_data(as_text=True)
    assert "/dashboard/orders" in home
    assert re.search(r'badge-new">[^<]*۲', home)
    client.get(f"/dashboard/orders/{first}")
    assert re.search(r'badge-new">[^<]*۱', client.get("/dashboard").get_data(as_text=True))


def test_slip_has_the_qr_code_and_the_address(app, client, producer, shop, login):
    order_id, _product_id, _buyer = place(app, shop.id)
    login(producer)
    response = client.get(f"/dashboard/orders/{order_id}/slip")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'<svg role="img" viewBox="0 0 \d+ \d+" class="qr-code"><title>[^<]+</title><path', page)
    assert "بلوار توس، کوچه ۱۲، پلاک ۵" in page and "زهرا کریمی" in page and "شال ابریشمی" in page
    assert re.search(r"css/order-print\.[0-9a-f]{10}\.css", page) and "style=" not in page
    with app.app_context():
        # the code carries the buyer's order page under PUBLIC_URL (segno's own matrix, compared)
        expected = desk.qr_svg(app.config["PUBLIC_URL"] + f"/orders/{order_id}", "t")
    assert re.search(r"<path[^>]*>", expected).group(0) in page


def test_receipt_for_the_buyer_only(app, client, producer, shop, login, make_user):
    order_id, _product_id, buyer = place(app, shop.id)
    login(buyer)
    page = client.get(f"/orders/{order_id}/receipt").get_data(as_text=True)
    assert "شال ابریشمی" in page and 'class="qr-code"' in page
    assert client.get(f"/dashboard/orders/{order_id}/receipt").status_code == 403

    stranger = app.test_client()
    login(make_user(), the_client=stranger)
    assert stranger.get(f"/orders/{order_id}/receipt").status_code == 404
    assert app.test_client().get(f"/orders/{order_id}/receipt").status_code == 302  # log in first

    producer_client = app.test_client()
    login(producer, the_client=producer_client)
    assert producer_client.get(f"/dashboard/orders/{order_id}/receipt").status_code == 200
    assert producer_client.get(f"/orders/{order_id}/receipt").status_code == 404  # not her purchase


def test_another_producer_and_a_buyer_never_reach_the_order(app, client, producer, shop, login, make_user, make):
    order_id, product_id, buyer = place(app, shop.id)
    intruder = make_user(roles={"producer"})
    make(ShopFactory, owner=intruder, status="approved", name="سفال سیدی")
    other = app.test_client()
    login(intruder, the_client=other)
    base = f"/dashboard/orders/{order_id}"
    for path in (base, f"{base}/slip", f"{base}/receipt"):
        assert other.get(path).status_code == 404, path
    token = csrf_token(other, "/dashboard/orders")
    for action in ("accept", "ship", "deliver", "money-received", "cancel"):
        data = {"csrf_token": token, "reason": "x", "tracking_code": "1"}
        assert other.post(f"{base}/{action}", data=data).status_code == 404, action
    assert "زهرا کریمی" not in other.get("/dashboard/orders").get_data(as_text=True)
    assert reload(app, order_id).seen_by_shop_at is None  # her visit did not mark it seen

    buyer_client = app.test_client()
    login(buyer, the_client=buyer_client)
    for path in ("/dashboard/orders", base, f"{base}/slip", "/dashboard/orders/settings"):
        assert buyer_client.get(path).status_code == 403, path
    assert app.test_client().get(base).status_code == 302
    order = reload(app, order_id)
    assert order.status == OrderStatus.AWAITING_CONFIRMATION and order.money_received_at is None
    assert stock_of(app, product_id) == 2


def test_actions_refuse_a_missing_csrf_token(app, client, producer, shop, login):
    order_id, _product_id, _buyer = place(app, shop.id)
    login(producer)
    for action in ("accept", "cancel", "money-received"):
        response = client.post(f"/dashboard/orders/{order_id}/{action}", data={"reason": "x"})
        assert response.status_code == 400
    response = client.post("/dashboard/orders/settings", data={"pickup_centre": "y"})
    assert response.status_code == 400
    order = reload(app, order_id)
    assert order.status == OrderStatus.AWAITING_CONFIRMATION and order.money_received_at is None


def test_delivery_settings_round_trip(app, client, producer, shop, login):
    login(producer)
    page = client.get("/dashboard/orders/settings").get_data(as_text=True)
    assert 'name="post_fee"' in page and 'name="allow_cod"' in page
    assert 'name="pickup_booth"' not in page  # booth pickup follows her booth at a live fair, not a setting
    data = {"post": "y", "post_fee": "۸۵٬۰۰۰", "courier": "y", "courier_fee": "40000"}
    data |= {"pickup_booth": "y", "allow_cod": "y"}  # an old form's field is ignored
    response = post_form(client, "/dashboard/orders/settings", data, token_from="/dashboard/orders/settings")
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(DeliverySettings, shop.id)
        assert (saved.post_fee_rial, saved.courier_fee_rial) == (850_000, 400_000)
        assert (saved.pickup_centre, saved.allow_cod) == (False, True)
    page = client.get("/dashboard/orders/settings").get_data(as_text=True)
    assert 'value="۸۵,۰۰۰"' in page or 'value="۸۵٬۰۰۰"' in page

    bad = {"post": "y", "post_fee": "-5000", "courier": "y", "courier_fee": "چهل هزار"}
    page = post_form(client, "/dashboard/orders/settings", bad, token_from="/dashboard/orders/settings").text
    assert 'id="post_fee-error"' in page and 'value="-5000"' in page
    assert 'id="courier_fee-error"' in page and 'value="چهل هزار"' in page
    # every way turned off is refused by the service, next to the post fee
    page = post_form(client, "/dashboard/orders/settings", {}, token_from="/dashboard/orders/settings").text
    assert 'id="post_fee-error"' in page
    with app.app_context():
        assert db.session.get(DeliverySettings, shop.id).post_fee_rial == 850_000


def test_a_card_order_cancelled_by_the_producer_is_refunded(app, client, producer, shop, login):
    """A paid card order goes back through the provider: cancel asks for the refund (outbox)."""
    order_id, _product_id, _buyer = place(app, shop.id)
    with app.app_context():
        order = db.session.get(Order, order_id)
        payment = order.checkout.payment
        # turn it into a paid card order, the way the webhook leaves one
        payment.method, payment.provider, order.payment_method = "card", "stripe", "card"
        order.status, order.paid_at = OrderStatus.PAID, order.created_at
        payment.status = PaymentStatus.PAID
        payment_id = payment.id
        db.session.commit()
    login(producer)
    desk_post(client, order_id, "cancel", {"reason": "نمی‌توانم بفرستم"})
    assert reload(app, order_id).status == OrderStatus.CANCELLED
    with app.app_context():
        kinds = db.session.scalars(select(OutboxMessage.kind)).all()
        assert "payments.refund" in kinds
        assert db.session.get(Payment, payment_id).status == PaymentStatus.PAID  # until the provider confirms
