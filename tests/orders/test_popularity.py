"""The popularity roll-up: sales of the last 90 days (orders that went ahead) and favourites; only
products whose value changed are written and logged for search."""

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout, popularity, services
from marketplace.orders.models import Favourite, OrderStatus
from marketplace.search.models import SearchChange
from tests.factories import ProductFactory, ShopFactory, UserFactory


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def public_product(**fields):
    return ProductFactory(shop=ShopFactory(status="approved"), status="published", stock=20, **fields)


def bought(product, quantity, *, days_ago=0):
    """A new buyer's order of `quantity` units of `product`, placed `days_ago` days ago."""
    buyer = UserFactory()
    cart = carts.open_cart(user_id=buyer.id, token=None)
    carts.add_item(cart, product.id, None, quantity, max_line=20)
    choice = checkout.CheckoutChoice({product.shop_id: "pickup_centre"}, "centre", None)
    done = checkout.place_order(current_app, buyer, cart, choice, now=utcnow() - timedelta(days=days_ago))
    return done.orders[0]


def favourite(product, times):
    for _ in range(times):
        db.session.add(Favourite(user_id=UserFactory().id, product_id=product.id))
    db.session.flush()


def logged(product_ids):
    """How many search change-log rows these products have."""
    return db.session.scalar(
        select(func.count()).where(SearchChange.entity == "product", SearchChange.entity_id.in_(product_ids))
    )


def popularity_of(product):
    return db.session.scalar(select(Product.popularity).where(Product.id == product.id))


def test_sales_and_favourites_count_only_changed_rows_are_written():
    sold, kept, faded, quiet = public_product(), public_product(), public_product(), public_product()
    accepted = bought(sold, 2)
    services.accept(accepted, actor_id=sold.shop.owner_id, expected_ship_date=None)
    bought(sold, 4).status = OrderStatus.DELIVERED
    bought(sold, 5, days_ago=91).status = OrderStatus.DELIVERED  # outside the 90 days
    bought(kept, 3)  # still waiting for the producer: nothing sold yet
    bought(kept, 1).status = OrderStatus.CANCELLED
    favourite(kept, 2)
    faded.popularity = 7  # popular once; no sales or favourites any more
    db.session.flush()
    ids = [sold.id, kept.id, faded.id, quiet.id]
    edited = dict(db.session.execute(select(Product.id, Product.updated_at).where(Product.id.in_(ids))).all())
    before = logged(ids)

    changed = popularity.recompute_popularity()

    assert changed == {sold.id, kept.id, faded.id}  # `quiet` stays 0 and is not touched
    expected = {sold.id: popularity.SALE_WEIGHT * 6, kept.id: 2, faded.id: 0, quiet.id: 0}
    assert {product.id: popularity_of(product) for product in (sold, kept, faded, quiet)} == expected
    assert sold.popularity == popularity.SALE_WEIGHT * 6  # the session's copy is not stale
    assert logged(ids) - before == 3
    after = dict(db.session.execute(select(Product.id, Product.updated_at).where(Product.id.in_(ids))).all())
    assert after == edited  # a product's edit time is not moved by buyers

    # nothing changed since: nothing is written or logged
    assert popularity.recompute_popularity() == set()
    assert logged(ids) - before == 3

    # a new favourite changes one product only
    favourite(faded, 1)
    assert popularity.recompute_popularity() == {faded.id}
    assert popularity_of(faded) == 1 and logged(ids) - before == 4


def test_refunded_and_card_orders_waiting_for_money_do_not_count():
    product = public_product()
    bought(product, 2).status = OrderStatus.REFUNDED
    bought(product, 1).status = OrderStatus.PENDING_PAYMENT
    bought(product, 3).status = OrderStatus.PAID
    popularity.recompute_popularity()
    assert popularity_of(product) == popularity.SALE_WEIGHT * 3


def test_the_worker_rolls_it_up_every_ten_minutes(app):
    assert app.extensions["worker_tasks"]["orders-popularity"] == (600, popularity.worker_turn)
