"""Helpers of the payments tests: card checkouts made through the real `orders.checkout.place_order`,
their Stripe session at the fake, and signed webhook posts."""

from dataclasses import dataclass

from flask import current_app

from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout
from marketplace.orders.models import Checkout
from marketplace.payments import services as payments
from marketplace.payments.providers import LineForProvider
from tests.factories import ProductFactory, ShopFactory, UserFactory

from .fake_stripe import signed

RATE = 600_000  # rial per euro, as staff would set it


@dataclass
class Placed:
    """A card checkout placed in the test: ids to reload it in any app context."""

    checkout_id: int
    payment_id: int
    order_ids: list[int]
    product_ids: list[int]
    buyer_id: int
    session_id: str = ""


def place_card_checkout(*lines: tuple[int, int, int], rate: int = RATE) -> Checkout:
    """Inside an app context: a buyer orders (price_toman, stock, quantity) of one product per line,
    each from its own shop, picked up at the centre, paying by card; committed."""
    if payments.current_rate("eur") is None or payments.current_rate("eur").rial_per_unit != rate:
        payments.set_rate("eur", rate, None)
    buyer = UserFactory()
    cart = carts.open_cart(user_id=buyer.id, token=None)
    delivery = {}
    for price_toman, stock, quantity in lines:
        product = ProductFactory(
            shop=ShopFactory(status="approved"), status="published", stock=stock, price_toman=price_toman
        )
        carts.add_item(cart, product.id, None, quantity, max_line=20)
        delivery[product.shop_id] = "pickup_centre"
    done = checkout.place_order(current_app, buyer, cart, checkout.CheckoutChoice(delivery, "card", None))
    db.session.commit()
    return done


def placed(done: Checkout) -> Placed:
    """The ids of a placed checkout."""
    orders = sorted(done.orders, key=lambda order: order.id)
    return Placed(
        checkout_id=done.id,
        payment_id=done.payment.id,
        order_ids=[order.id for order in orders],
        product_ids=[item.product_id for order in orders for item in order.items],
        buyer_id=done.buyer_id,
    )


def provider_lines(done: Checkout) -> list[LineForProvider]:
    """The lines the checkout shows on Stripe's page (as the lead's pay route builds them)."""
    return [
        LineForProvider(item.title, item.quantity, item.unit_price_rial)
        for order in done.orders
        for item in order.items
    ]


def start_session(done: Checkout) -> str:
    """Create the checkout's Stripe session at the fake and commit; returns its id."""
    start = payments.start_card_payment(
        current_app,
        done.payment,
        provider_lines(done),
        success_url="http://shop.test/checkout/done",
        cancel_url="http://shop.test/checkout",
    )
    db.session.commit()
    return start.provider_ref


def post_event(client, event: dict, **sign):
    """POST a signed webhook event to the app, as Stripe does."""
    body, headers = signed(event, **sign)
    return client.post("/payments/stripe/webhook", data=body, headers=headers)
