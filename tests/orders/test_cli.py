"""`flask orders expire` and `flask orders popularity`."""

from datetime import timedelta

from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout
from marketplace.orders.models import Favourite, Order, OrderStatus
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.search.models import SearchChange
from tests.factories import ProductFactory, ShopFactory, UserFactory


def card_order(app, product_id, *, minutes_ago):
    """A card checkout of one unit placed `minutes_ago` minutes ago, committed; returns its order id."""
    with app.test_request_context():
        buyer = UserFactory()
        product = db.session.get(Product, product_id)
        cart = carts.open_cart(user_id=buyer.id, token=None)
        carts.add_item(cart, product.id, None, 1, max_line=20)
        choice = checkout.CheckoutChoice({product.shop_id: "pickup_centre"}, "card", None)
        done = checkout.place_order(app, buyer, cart, choice, now=utcnow() - timedelta(minutes=minutes_ago))
        db.session.commit()
        return done.orders[0].id


def test_expire_cancels_overdue_card_orders_and_gives_their_stock_back(app, make, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_fake")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_fake")
    with app.app_context():
        payments.set_rate("eur", 600_000, None)
        db.session.commit()
    product_id = make(ProductFactory, shop=make(ShopFactory, status="approved"), status="published", stock=3).id
    # the fresh one first: placing an order expires the overdue ones on its way (checkout.place_order)
    fresh = card_order(app, product_id, minutes_ago=1)
    overdue = card_order(app, product_id, minutes_ago=app.config["PAYMENT_EXPIRY_MINUTES"] + 5)
    with app.app_context():
        assert db.session.get(Product, product_id).stock == 1

    result = app.test_cli_runner().invoke(args=["orders", "expire"])

    assert result.exit_code == 0, result.output
    assert "expired 1 overdue payments" in result.output
    with app.app_context():
        assert db.session.get(Product, product_id).stock == 2  # the overdue unit is back on the shelf
        late, waiting = db.session.get(Order, overdue), db.session.get(Order, fresh)
        assert late.status == OrderStatus.CANCELLED and waiting.status == OrderStatus.PENDING_PAYMENT
        assert db.session.get(Payment, late.checkout.payment_id).status == PaymentStatus.EXPIRED
        assert db.session.get(Payment, waiting.checkout.payment_id).status == PaymentStatus.PENDING
    again = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert again.exit_code == 0 and "expired 0 overdue payments" in again.output


def test_popularity_command_writes_and_logs_only_what_changed(app, make):
    shop = make(ShopFactory, status="approved")
    liked = make(ProductFactory, shop=shop, status="published").id
    plain = make(ProductFactory, shop=shop, status="published").id
    with app.app_context():
        for _ in range(2):
            db.session.add(Favourite(user_id=UserFactory().id, product_id=liked))
        db.session.commit()
        changes = select(func.count()).where(
            SearchChange.entity == "product", SearchChange.entity_id.in_([liked, plain])
        )
        before = db.session.scalar(changes)
    runner = app.test_cli_runner()

    result = runner.invoke(args=["orders", "popularity"])

    assert result.exit_code == 0, result.output
    assert "popularity changed for 1 products" in result.output
    with app.app_context():
        assert db.session.get(Product, liked).popularity == 2 and db.session.get(Product, plain).popularity == 0
        assert db.session.scalar(changes) == before + 1
    result = runner.invoke(args=["orders", "popularity"])
    assert "popularity changed for 0 products" in result.output
