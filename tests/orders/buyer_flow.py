"""Orders made through the real services for the buyer's route tests: placed, then walked to the
status a test needs, committed (a savepoint of the test's transaction)."""

from dataclasses import dataclass
from types import SimpleNamespace

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout, reviews, services
from tests.factories import ProductFactory, ShopFactory

WALK = ("awaiting_confirmation", "accepted", "shipped", "delivered")


@dataclass
class Placed:
    """Ids of what `place` made (the rows themselves belong to another app context)."""

    order_id: int
    item_id: int
    product_id: int
    product_slug: str
    shop_id: int
    shop_slug: str
    owner: SimpleNamespace  # .id and .phone of the producer, enough for the login helper
    buyer_id: int


def place(app, buyer, status="awaiting_confirmation", *, product_id=None, stock=5) -> Placed:
    """One order of one item (pickup at the centre, paid there) by `buyer`, moved to `status`; of
    product `product_id`, or of a new product in a new approved shop."""
    with app.app_context():
        buyer = db.session.merge(buyer)
        if product_id:
            product = db.session.get(Product, product_id)
        else:
            product = ProductFactory(shop=ShopFactory(status="approved"), status="published", stock=stock)
        shop = product.shop
        cart = carts.open_cart(user_id=buyer.id, token=None)
        carts.add_item(cart, product.id, None, 1, max_line=20)
        done = checkout.place_order(
            app, buyer, cart, checkout.CheckoutChoice({shop.id: "pickup_centre"}, "centre", None)
        )
        order = done.orders[0]
        owner = shop.owner_id
        steps = WALK[1 : WALK.index(status) + 1] if status in WALK else ()
        for step in steps:
            if step == "accepted":
                services.accept(order, actor_id=owner, expected_ship_date=None)
            elif step == "shipped":
                services.ship(order, actor_id=owner, carrier="", tracking_code="")
            elif step == "delivered":
                services.deliver(order, actor_id=buyer.id)
        db.session.commit()
        return Placed(
            order.id,
            order.items[0].id,
            product.id,
            product.slug,
            shop.id,
            shop.slug,
            SimpleNamespace(id=owner, phone=shop.owner.phone),
            buyer.id,
        )


def reviewed(app, buyer, rating, body="", *, product_id=None, reply="") -> Placed:
    """A delivered order whose item `buyer` reviewed (and the producer answered when `reply`)."""
    placed = place(app, buyer, "delivered", product_id=product_id)
    with app.app_context():
        order = services.buyer_order(placed.buyer_id, placed.order_id)
        review = reviews.add_review(order, order.items[0], buyer_id=placed.buyer_id, rating=rating, body=body)
        if reply:
            reviews.reply(review, reply)
        db.session.commit()
    return placed
