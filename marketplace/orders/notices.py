"""Who hears about an order, and what they read: notifications and text messages sent when orders
announce `order_placed` and `order_state_changed` (core/events.py). Connected by
`orders.services.init_orders` through `connect_receivers()` (so this module must not import
services: that would be an import cycle). `receivers.py` holds orders' answers to catalog.

Who is told (the person who acted is never told about her own action):
- the producer: a new order (an offline order when it is placed, a card order once it is paid:
  before that it may still expire unpaid); a cancellation or refund made by someone else (the
  buyer, the centre); the buyer confirming delivery (in the app only, no text message);
- the buyer: every status change someone else made: paid (her receipt), accepted with the ship
  date, sent with carrier and tracking code (or ready for pickup), delivered, cancelled with the
  reason, refunded. Placing the order herself tells her nothing: the confirmation page says it.

Texts are short (they are also text messages) and rendered in each receiver's own language by
`accounts.notifications.notify`; numbers, money and dates are lazy values so they follow it too.
Receivers run inside the order's transaction: a rollback sends nothing.
"""

from flask_babel.speaklater import LazyString

from ..accounts.notifications import notify
from ..core import events
from ..core.messages import lazy_gettext as _l
from ..core.numerals import fa_digits
from ..core.templating import jalali, toman
from .models import DeliveryMethod, Order, OrderStatus

S = OrderStatus
REASON_CHARS = 120  # a long reason is cut: the whole of it is on the order page


def buyer_link(order: Order) -> str:
    """The buyer's page of the order (DESIGN §8 URL map)."""
    return f"/orders/{order.id}"


def producer_link(order: Order) -> str:
    """The order on the producer's desk."""
    return f"/dashboard/orders/{order.id}"


def lazy_number(order: Order) -> LazyString:
    """The order number, in the digits of whoever reads it (evaluated when the text is rendered)."""
    return LazyString(fa_digits, order.id)


def _reason(text: str) -> str:
    text = (text or "").strip()
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1] + "…"


def _new_order_text(order: Order, paid: bool):
    values = {
        "number": lazy_number(order),
        "buyer": order.buyer.display_name,
        "total": LazyString(toman, order.total_rial),
    }
    if paid:
        return _l("New paid order #%(number)s from %(buyer)s — total %(total)s.", **values)
    return _l("New order #%(number)s from %(buyer)s — total %(total)s.", **values)


def _shipped_text(order: Order):
    """Sent, with how and the tracking code; or ready at the pickup point."""
    number = lazy_number(order)
    method = order.delivery_method
    if method == DeliveryMethod.PICKUP_CENTRE:
        return _l("Order #%(number)s is ready: pick it up at the Rooyesh centre.", number=number)
    if method == DeliveryMethod.PICKUP_BOOTH:
        return _l("Order #%(number)s is ready: pick it up at the fair booth.", number=number)
    carrier = order.carrier or (_l("post") if method == DeliveryMethod.POST else _l("courier"))
    if order.tracking_code:
        return _l(
            "Order #%(number)s was sent by %(carrier)s, tracking code %(code)s.",
            number=number,
            carrier=carrier,
            code=order.tracking_code,
        )
    return _l("Order #%(number)s was sent by %(carrier)s.", number=number, carrier=carrier)


def _cancelled_text(order: Order, reason: str):
    if reason:
        return _l(
            "Order #%(number)s was cancelled. Reason: %(reason)s", number=lazy_number(order), reason=_reason(reason)
        )
    return _l("Order #%(number)s was cancelled.", number=lazy_number(order))


def on_order_placed(order: Order, **_kwargs) -> None:
    """An offline order waits for the producer: tell her now. A card order waits for its payment first."""
    if order.status == S.AWAITING_CONFIRMATION:
        notify(order.shop.owner, _new_order_text(order, paid=False), producer_link(order))


def _buyer_text(order: Order, to_status: str, from_status: str, reason: str):
    """What the buyer reads when her order moves to `to_status` (None: nothing to say)."""
    number = lazy_number(order)
    if to_status == S.PAID:
        return _l("We received the payment for order #%(number)s. The producer will confirm it soon.", number=number)
    if to_status == S.ACCEPTED:
        if order.expected_ship_date is None:
            return _l("%(shop)s accepted order #%(number)s.", shop=order.shop.name, number=number)
        return _l(
            "%(shop)s accepted order #%(number)s; it will be sent by %(date)s.",
            shop=order.shop.name,
            number=number,
            date=LazyString(jalali, order.expected_ship_date, False),
        )
    if to_status == S.SHIPPED:
        return _shipped_text(order)
    if to_status == S.DELIVERED:
        return _l("Order #%(number)s was delivered. You can now review what you bought.", number=number)
    if to_status == S.CANCELLED:
        if from_status == S.PENDING_PAYMENT and not reason:
            return _l("Order #%(number)s was cancelled because the payment was not completed.", number=number)
        return _cancelled_text(order, reason)
    if to_status == S.REFUNDED:
        return _l("The money for order #%(number)s was returned to you.", number=number)
    return None


def _producer_notice(order: Order, to_status: str, from_status: str, actor_id: int | None, reason: str):
    """(text, by text message too?) for the producer, or None when she need not hear of it."""
    number = lazy_number(order)
    buyer_acted = actor_id is not None and actor_id == order.buyer_id
    if to_status == S.PAID:
        return _new_order_text(order, paid=True), True
    if to_status == S.CANCELLED and from_status != S.PENDING_PAYMENT:  # an unpaid card order she never heard of
        if buyer_acted:
            if reason:
                text = _l(
                    "%(buyer)s cancelled order #%(number)s. Reason: %(reason)s",
                    buyer=order.buyer.display_name,
                    number=number,
                    reason=_reason(reason),
                )
            else:
                text = _l("%(buyer)s cancelled order #%(number)s.", buyer=order.buyer.display_name, number=number)
            return text, True
        return _cancelled_text(order, reason), True
    if to_status == S.REFUNDED:
        return _l("Order #%(number)s was refunded to the buyer.", number=number), False
    if to_status == S.DELIVERED and buyer_acted:
        text = _l("%(buyer)s confirmed receiving order #%(number)s.", buyer=order.buyer.display_name, number=number)
        return text, False
    return None


def on_order_state_changed(
    order: Order, *, from_status: str, to_status: str, actor_id: int | None = None, **_kwargs
) -> None:
    """Tell the buyer about every change someone else made, and the producer what concerns her."""
    # move() wrote the timeline row, with the reason, just before announcing the change
    # (order.cancel_reason is filled in only after it).
    reason = order.events[-1].reason if order.events else ""
    owner = order.shop.owner
    if actor_id != order.buyer_id:
        text = _buyer_text(order, to_status, from_status, reason)
        if text is not None:
            notify(order.buyer, text, buyer_link(order))
    if actor_id != owner.id and owner.id != order.buyer_id:
        notice = _producer_notice(order, to_status, from_status, actor_id, reason)
        if notice is not None:
            text, by_sms = notice
            notify(owner, text, producer_link(order), sms=by_sms)


def connect_receivers() -> None:
    """Listen to the orders' own signals (called once at start-up by `init_orders`)."""
    events.order_placed.connect(on_order_placed)
    events.order_state_changed.connect(on_order_state_changed)
