"""Orders for notification and thread tests, made through the real checkout service."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from marketplace.accounts.models import Notification, User
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout
from marketplace.orders.models import Order
from tests.factories import ProductFactory, ShopFactory, UserFactory


def place(
    buyer=None,
    *,
    shop=None,
    shop_name="گلدوزی مریم",
    payment="centre",
    delivery="pickup_centre",
    price_toman=100_000,
    quantity=1,
):
    """One order of one product (a new approved shop named `shop_name` unless `shop` is given),
    placed by `buyer` (a new one unless given)."""
    buyer = buyer or UserFactory(display_name="زهرا کریمی")
    shop = shop or ShopFactory(status="approved", name=shop_name)
    product = ProductFactory(shop=shop, status="published", stock=5, price_toman=price_toman)
    cart = carts.open_cart(user_id=buyer.id, token=None)
    carts.add_item(cart, product.id, None, quantity, max_line=20)
    address = None
    if delivery in ("post", "courier"):
        address = checkout.add_address(
            buyer.id,
            checkout.AddressData("زهرا کریمی", "09151234567", "خراسان رضوی", "مشهد", "بلوار توس، پلاک ۵", "9187654321"),
        )
    done = checkout.place_order(
        current_app, buyer, cart, checkout.CheckoutChoice({shop.id: delivery}, payment, address)
    )
    return done.orders[0]


@dataclass
class Placed:
    """A committed order and its people (detached, columns loaded: enough to log in)."""

    order_id: int
    buyer: User
    owner: User
    shop_name: str


def committed_order(app, **fields) -> Placed:
    """place(), committed in its own app context (for route tests)."""
    with app.app_context():
        order = place(**fields)
        db.session.commit()
        buyer, owner = order.buyer, order.shop.owner
        placed = Placed(order.id, buyer, owner, order.shop.name)
        for user in (buyer, owner):
            db.session.refresh(user)
        return placed


def get_order(order_id: int) -> Order:
    """The order, read afresh."""
    db.session.expire_all()
    return db.session.get(Order, order_id)


def notices(user_id: int) -> list[Notification]:
    """The user's notifications, oldest first."""
    statement = select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    return list(db.session.scalars(statement))
