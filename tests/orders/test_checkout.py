"""Checkout called directly: one order per shop, one payment, stock taken, totals from the database."""

import pytest
from flask import current_app
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.core.errors import RuleError
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout, services
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments.models import PaymentStatus
from marketplace.search.models import SearchChange
from tests.factories import ProductFactory, ShopFactory, UserFactory


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def public_product(**fields):
    fields.setdefault("shop", ShopFactory(status="approved"))
    return ProductFactory(status="published", **fields)


def address_for(user):
    return checkout.add_address(
        user.id,
        checkout.AddressData(
            "زهرا کریمی", "09151234567", "خراسان رضوی", "مشهد", "بلوار توس، کوچه ۱۲، پلاک ۵", "۹۱۸۷۶۵۴۳۲۱"
        ),
    )


def filled_cart(buyer, *lines):
    cart = carts.open_cart(user_id=buyer.id, token=None)
    for product, quantity in lines:
        carts.add_item(cart, product.id, None, quantity, max_line=20)
    return cart


def test_one_order_per_shop_and_one_payment_covering_them():
    buyer = UserFactory()
    shawl, kilim = public_product(price_toman=100_000, stock=3), public_product(price_toman=250_000, stock=1)
    cart = filled_cart(buyer, (shawl, 2), (kilim, 1))
    choice = checkout.CheckoutChoice(
        delivery={shawl.shop_id: "post", kilim.shop_id: "pickup_centre"},
        payment_method="centre",
        address=address_for(buyer),
    )
    done = checkout.place_order(current_app, buyer, cart, choice)
    orders = {order.shop_id: order for order in done.orders}
    post_fee = current_app.config["DEFAULT_POST_FEE_RIAL"]
    assert orders[shawl.shop_id].total_rial == 2_000_000 + post_fee
    assert orders[kilim.shop_id].total_rial == 2_500_000
    assert orders[kilim.shop_id].address_line == ""  # picked up: no address copied
    assert done.payment.amount_rial == done.total_rial == 4_500_000 + post_fee
    assert done.payment.status == PaymentStatus.PENDING and done.payment.reference == f"checkout-{done.id}"
    assert {o.status for o in done.orders} == {OrderStatus.AWAITING_CONFIRMATION}
    db.session.expire_all()
    assert db.session.get(Product, shawl.id).stock == 1 and db.session.get(Product, kilim.id).stock == 0
    assert cart.items == []
    logged = set(db.session.scalars(select(SearchChange.entity_id).where(SearchChange.entity == "product")))
    assert {shawl.id, kilim.id} <= logged


def test_sold_out_line_refuses_everything_and_names_the_item():
    buyer, rival = UserFactory(), UserFactory()
    last = public_product(title="گلیم آخر", stock=1)
    other = public_product(stock=5)
    cart = filled_cart(buyer, (last, 1), (other, 2))
    rival_cart = filled_cart(rival, (last, 1))
    pickup = {last.shop_id: "pickup_centre", other.shop_id: "pickup_centre"}
    checkout.place_order(current_app, rival, rival_cart, checkout.CheckoutChoice(pickup, "centre", None))
    with pytest.raises(RuleError) as refused:
        checkout.place_order(current_app, buyer, cart, checkout.CheckoutChoice(pickup, "centre", None))
    assert "گلیم آخر" in " ".join(str(message) for _field, message in refused.value.errors)


def test_cancel_gives_stock_back_and_lowers_what_is_due():
    buyer = UserFactory()
    product = public_product(stock=2)
    cart = filled_cart(buyer, (product, 2))
    done = checkout.place_order(
        current_app, buyer, cart, checkout.CheckoutChoice({product.shop_id: "pickup_centre"}, "centre", None)
    )
    order = done.orders[0]
    services.cancel(order, actor_id=buyer.id, reason="", by="buyer")
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 2
    assert db.session.get(Order, order.id).status == OrderStatus.CANCELLED
    assert done.payment.status == PaymentStatus.CANCELLED


def test_offline_order_walks_to_delivered_and_writes_the_ledger():
    buyer = UserFactory()
    product = public_product(stock=2)
    cart = filled_cart(buyer, (product, 1))
    done = checkout.place_order(
        current_app, buyer, cart, checkout.CheckoutChoice({product.shop_id: "pickup_centre"}, "centre", None)
    )
    order = done.orders[0]
    owner = product.shop.owner_id
    with pytest.raises(RuleError):
        services.ship(order, actor_id=owner, carrier="", tracking_code="")
    services.accept(order, actor_id=owner, expected_ship_date=None)
    services.ship(order, actor_id=owner, carrier="", tracking_code="")
    services.deliver(order, actor_id=buyer.id)
    assert order.status == OrderStatus.DELIVERED
    assert done.payment.status == PaymentStatus.PAID
    assert [e.action for e in order.events] == ["placed", "accept", "ship", "deliver", "money_received"]


def test_made_to_order_takes_no_stock_and_its_date_moves_when_the_week_is_full():
    from datetime import date, timedelta

    shop = ShopFactory(status="approved")
    shop.weekly_capacity = 2
    rug = public_product(shop=shop, made_to_order=True, stock=0, lead_time_days=10)
    today = date(2026, 12, 2)
    assert services.made_to_order_ship_date(shop, 10, today) == today + timedelta(days=10)
    for _ in range(2):  # two buyers fill her week
        buyer = UserFactory()
        cart = filled_cart(buyer, (rug, 1))
        checkout.place_order(
            current_app, buyer, cart, checkout.CheckoutChoice({shop.id: "pickup_centre"}, "centre", None)
        )
    assert services.made_to_order_ship_date(shop, 10, today) == today + timedelta(days=17)
    db.session.expire_all()
    assert db.session.get(Product, rug.id).stock == 0
    order = db.session.scalars(select(Order).where(Order.shop_id == shop.id)).first()
    assert order.items[0].made_to_order and order.expected_ship_date is not None
