"""Order rules: the state machine (DESIGN §4), what the producer, the buyer and the system may do to
an order, stock given back on cancellation, the made-to-order ship date, and the owner-scoped
lookups every route goes through. Services flush, never commit.
"""

from datetime import date, datetime, timedelta

from flask import Flask
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..core import events
from ..core.database import begin_write
from ..core.dates import TEHRAN, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text
from ..extensions import db
from ..payments import services as payments
from ..payments.models import OFFLINE_METHODS, Payment, PaymentMethod
from ..shops.models import Shop
from .models import DeliveryMethod, LedgerEntry, Order, OrderEvent, OrderStatus
from .stock import StockLine, give_back

S = OrderStatus
TRANSITIONS: dict[OrderStatus, set[OrderStatus]] = {
    S.PENDING_PAYMENT: {S.PAID, S.CANCELLED},
    S.AWAITING_CONFIRMATION: {S.ACCEPTED, S.CANCELLED},
    S.PAID: {S.ACCEPTED, S.CANCELLED, S.REFUNDED},
    S.ACCEPTED: {S.SHIPPED, S.CANCELLED, S.REFUNDED},
    S.SHIPPED: {S.DELIVERED, S.REFUNDED},
    S.DELIVERED: {S.REFUNDED},
    S.CANCELLED: set(),
    S.REFUNDED: set(),
}
# Orders the producer still has to act on; the buyer may cancel them herself until accepted.
OPEN_STATUSES = (S.PENDING_PAYMENT, S.AWAITING_CONFIRMATION, S.PAID, S.ACCEPTED, S.SHIPPED)
NEW_STATUSES = (S.AWAITING_CONFIRMATION, S.PAID)
BUYER_MAY_CANCEL = (S.PENDING_PAYMENT, S.AWAITING_CONFIRMATION, S.PAID)
# Made-to-order work the producer has taken on: it fills her weekly capacity.
COMMITTED_STATUSES = (S.AWAITING_CONFIRMATION, S.PAID, S.ACCEPTED)
MAX_EXPECTED_DAYS = 120
MAX_REASON = 500

STATUS_LABELS = {
    S.PENDING_PAYMENT: _l("Waiting for card payment"),
    S.AWAITING_CONFIRMATION: _l("Waiting for the producer"),
    S.PAID: _l("Paid, waiting for the producer"),
    S.ACCEPTED: _l("Accepted, being prepared"),
    S.SHIPPED: _l("Sent"),
    S.DELIVERED: _l("Delivered"),
    S.CANCELLED: _l("Cancelled"),
    S.REFUNDED: _l("Refunded"),
}
DELIVERY_LABELS = {
    DeliveryMethod.POST: _l("Post"),
    DeliveryMethod.COURIER: _l("Courier inside Mashhad"),
    DeliveryMethod.PICKUP_CENTRE: _l("Pick up at the Rooyesh centre"),
    DeliveryMethod.PICKUP_BOOTH: _l("Pick up at the fair booth"),
}
PAYMENT_LABELS = {
    PaymentMethod.CARD: _l("Card (paid online)"),
    PaymentMethod.COD: _l("Cash on delivery"),
    PaymentMethod.CENTRE: _l("Pay at the centre"),
    PaymentMethod.BOOTH: _l("Pay at the fair booth"),
}


# --- lookups, always scoped to who asks ---------------------------------------------------------


def buyer_order(buyer_id: int, order_id: int) -> Order | None:
    """The buyer's own order `order_id`, or None (someone else's order looks like no order)."""
    return db.session.scalars(select(Order).where(Order.id == order_id, Order.buyer_id == buyer_id)).first()


def shop_order(shop: Shop | None, order_id: int) -> Order | None:
    """Order `order_id` of the producer's own shop, or None."""
    if shop is None:
        return None
    return db.session.scalars(select(Order).where(Order.id == order_id, Order.shop_id == shop.id)).first()


def buyer_orders(buyer_id: int, limit: int = 100) -> list[Order]:
    """The buyer's orders, newest first, with their items, shop and checkout loaded in a few queries
    (the list shows them all: no query per order)."""
    statement = (
        select(Order)
        .where(Order.buyer_id == buyer_id)
        .options(selectinload(Order.items), selectinload(Order.shop), selectinload(Order.checkout))
        .order_by(Order.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(statement))


def shop_orders(shop: Shop, statuses=None, limit: int = 200) -> list[Order]:
    """The shop's orders (in `statuses` when given), newest first."""
    statement = select(Order).where(Order.shop_id == shop.id)
    if statuses:
        statement = statement.where(Order.status.in_(statuses))
    return list(db.session.scalars(statement.order_by(Order.id.desc()).limit(limit)))


def new_order_count(shop: Shop | None) -> int:
    """Orders of the shop waiting for her and not yet opened: the badge on her desk."""
    if shop is None:
        return 0
    return (
        db.session.scalar(
            select(func.count(Order.id)).where(
                Order.shop_id == shop.id, Order.status.in_(NEW_STATUSES), Order.seen_by_shop_at.is_(None)
            )
        )
        or 0
    )


# --- the state machine ------------------------------------------------------------------------


def may_move(order: Order, to_status: OrderStatus) -> bool:
    """Whether the state machine allows `order` to go to `to_status` now."""
    return to_status in TRANSITIONS[OrderStatus(order.status)]


def move(order: Order, to_status: OrderStatus, *, actor_id: int | None, action: str, reason: str = "", now=None):
    """Move the order, stamp the time, write the timeline row and announce it. Refuses an illegal move."""
    if not may_move(order, to_status):
        raise RuleError(
            "status",
            _l(
                "This order cannot go from «%(old)s» to «%(new)s».",
                old=STATUS_LABELS[OrderStatus(order.status)],
                new=STATUS_LABELS[to_status],
            ),
        )
    now = now or utcnow()
    from_status = order.status
    # One conditional UPDATE: if someone else moved the order since we read it (the buyer cancels
    # while the producer accepts), only one of them wins; the other is refused, not overwritten.
    db.session.flush()
    result = db.session.execute(
        update(Order)
        .where(Order.id == order.id, Order.status == from_status)
        .values(status=to_status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
        db.session.refresh(order)
        raise RuleError("status", _l("This order changed a moment ago. Please look at it again."))
    set_committed_value(order, "status", to_status)
    stamp = {
        S.PAID: "paid_at",
        S.ACCEPTED: "accepted_at",
        S.SHIPPED: "shipped_at",
        S.DELIVERED: "delivered_at",
        S.CANCELLED: "closed_at",
        S.REFUNDED: "closed_at",
    }.get(to_status)
    if stamp:
        setattr(order, stamp, now)
    order.events.append(
        OrderEvent(
            action=action,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
            actor_id=actor_id,
            created_at=now,
        )
    )
    db.session.flush()
    events.order_state_changed.send(order, from_status=from_status, to_status=to_status, actor_id=actor_id)
    return order


def accept(order: Order, *, actor_id: int, expected_ship_date: date | None, today: date | None = None) -> Order:
    """The producer takes the order on and says when she will send it (today … 120 days ahead)."""
    today = today or datetime.now(TEHRAN).date()
    if expected_ship_date is None:
        expected_ship_date = order.expected_ship_date or today
    if not today <= expected_ship_date <= today + timedelta(days=MAX_EXPECTED_DAYS):
        raise RuleError("expected_ship_date", _l("Choose a date from today to four months ahead."))
    order.expected_ship_date = expected_ship_date
    return move(order, S.ACCEPTED, actor_id=actor_id, action="accept")


def ship(order: Order, *, actor_id: int, carrier: str, tracking_code: str) -> Order:
    """The producer sent the order (or it is ready at the pickup point)."""
    carrier = normalize_text(carrier)[:60]
    tracking_code = normalize_text(tracking_code)[:60]
    if order.delivery_method == DeliveryMethod.POST and not tracking_code:
        raise RuleError("tracking_code", _l("Enter the post's tracking code so the buyer can follow the parcel."))
    order.carrier, order.tracking_code = carrier, tracking_code
    return move(order, S.SHIPPED, actor_id=actor_id, action="ship")


def deliver(order: Order, *, actor_id: int | None) -> Order:
    """The order reached the buyer (she confirms it, or the producer does). Its ledger line is written
    (with the commission fixed when the order was placed)."""
    move(order, S.DELIVERED, actor_id=actor_id, action="deliver")
    if order.payment_method in OFFLINE_METHODS and order.money_received_at is None:
        # cash on delivery is paid on delivery: the money is in the producer's hand now (when the
        # buyer confirms, the system records it, not the buyer)
        _receive_money(order, actor_id if actor_id != order.buyer_id else None)
    write_ledger_line(order)
    return order


def cancel(order: Order, *, actor_id: int | None, reason: str, by: str) -> Order:
    """Cancel the order: stock back, and a card payment's share refunded through the provider.
    `by` is who cancels: "buyer" (only before acceptance), "producer", "staff" or "system"."""
    reason = normalize_text(reason, multiline=True)[:MAX_REASON]
    if by == "buyer" and order.status not in BUYER_MAY_CANCEL:
        raise RuleError("reason", _l("The producer has already accepted this order; send her a message instead."))
    if by in ("producer", "staff") and not reason:
        raise RuleError("reason", _l("Tell the buyer why the order is cancelled."))
    was_paid = order.status != S.PENDING_PAYMENT and order.paid_at is not None
    move(order, S.CANCELLED, actor_id=actor_id, action=f"cancel_{by}", reason=reason)
    order.cancel_reason = reason
    release_stock(order)
    payment = order.checkout.payment
    if payment is not None:
        _return_money(order, payment, was_paid)
    return order


def _return_money(order: Order, payment: Payment, was_paid: bool) -> None:
    if payment.is_offline:
        if order.money_received_at is None:
            payments.reduce_offline_amount(payment, order.total_rial)
        else:
            payments.request_refund(payment, order.total_rial, key=f"order-{order.id}")
    elif was_paid:
        payments.request_refund(payment, order.total_rial, key=f"order-{order.id}")


def release_stock(order: Order) -> None:
    """Put the order's units back on the shelf (made-to-order lines took none)."""
    give_back(
        StockLine(item.product_id, item.variant_id, item.quantity)
        for item in order.items
        if not item.made_to_order and item.product_id is not None
    )


def mark_money_received(order: Order, *, actor_id: int) -> Order:
    """The producer (or staff) has the cash of an offline order."""
    if order.payment_method not in OFFLINE_METHODS:
        raise RuleError("status", _l("Card orders are paid online."))
    if order.status in (S.CANCELLED, S.REFUNDED):
        raise RuleError("status", _l("This order is cancelled."))
    if order.money_received_at is not None:
        return order
    _receive_money(order, actor_id)
    return order


def _receive_money(order: Order, actor_id: int | None) -> None:
    order.money_received_at = utcnow()
    order.events.append(
        OrderEvent(action="money_received", from_status=order.status, to_status=order.status, actor_id=actor_id)
    )
    payments.record_offline_receipt(order.checkout.payment, order.total_rial)


def mark_seen(order: Order) -> None:
    """The producer opened the order: it no longer counts as new."""
    if order.seen_by_shop_at is None:
        order.seen_by_shop_at = utcnow()


# --- money owed -------------------------------------------------------------------------------


def commission_for(items_rial: int, percent: int) -> int:
    """The centre's commission on the items (not on delivery), rounded down to a whole rial."""
    return items_rial * max(0, percent) // 100


def write_ledger_line(order: Order) -> LedgerEntry:
    """What the centre and the producer owe each other for this delivered order (once per order)."""
    existing = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == order.id)).first()
    if existing is not None:
        return existing
    centre_holds = order.payment_method in (PaymentMethod.CARD, PaymentMethod.CENTRE)
    owed = order.total_rial - order.commission_rial if centre_holds else -order.commission_rial
    entry = LedgerEntry(
        shop_id=order.shop_id,
        order_id=order.id,
        gross_rial=order.total_rial,
        commission_rial=order.commission_rial,
        owed_rial=owed,
        collected_by="centre" if centre_holds else "producer",
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def settle_ledger(entries: list[LedgerEntry], *, actor_id: int, now: datetime | None = None) -> int:
    """Staff paid out (or collected) these lines. Returns how many were newly settled."""
    now = now or utcnow()
    count = 0
    for entry in entries:
        if entry.settled_at is None:
            entry.settled_at, entry.settled_by_id = now, actor_id
            count += 1
    db.session.flush()
    return count


# --- made to order ----------------------------------------------------------------------------


def committed_made_to_order_units(shop_id: int) -> int:
    """Made-to-order units the shop has taken on and not yet sent."""
    from .models import OrderItem

    return (
        db.session.scalar(
            select(func.coalesce(func.sum(OrderItem.quantity), 0))
            .join(Order, OrderItem.order_id == Order.id)
            .where(Order.shop_id == shop_id, Order.status.in_(COMMITTED_STATUSES), OrderItem.made_to_order.is_(True))
        )
        or 0
    )


def made_to_order_ship_date(shop: Shop, lead_time_days: int | None, today: date, *, extra_units: int = 0) -> date:
    """When a made-to-order item ordered today should be sent: the lead time, plus a week for every
    week of work already taken on when the shop set a weekly capacity."""
    days = max(1, lead_time_days or 7)
    capacity = shop.weekly_capacity or 0
    if capacity > 0:
        queued = committed_made_to_order_units(shop.id) + extra_units
        days += 7 * (queued // capacity)
    return today + timedelta(days=days)


# --- payments answered (connected in orders.init_orders) --------------------------------------


def orders_of_payment(payment: Payment) -> list[Order]:
    """The orders the payment covers."""
    from .models import Checkout

    checkout = db.session.scalars(select(Checkout).where(Checkout.payment_id == payment.id)).first()
    return list(checkout.orders) if checkout is not None else []


def on_payment_succeeded(payment: Payment, **_kwargs) -> None:
    """Card orders waiting for the money become paid. Orders cancelled meanwhile (the session expired
    first, or the buyer cancelled) cannot go back: their money is refunded instead."""
    for order in orders_of_payment(payment):
        if order.status == S.PENDING_PAYMENT:
            move(order, S.PAID, actor_id=None, action="paid")
        elif order.status == S.CANCELLED and not payment.is_offline:
            payments.request_refund(payment, order.total_rial, key=f"order-{order.id}")


def on_payment_failed(payment: Payment, status: str = "", **_kwargs) -> None:
    """The card payment failed or expired: its unpaid orders are cancelled and their stock comes back."""
    for order in orders_of_payment(payment):
        if order.status == S.PENDING_PAYMENT:
            move(order, S.CANCELLED, actor_id=None, action=f"payment_{status or 'failed'}")
            order.cancel_reason = "payment " + (status or "failed")
            release_stock(order)


def on_payment_refunded(payment: Payment, full: bool = False, **_kwargs) -> None:
    """A full refund closes every order still counted as paid."""
    if not full:
        return
    for order in orders_of_payment(payment):
        if may_move(order, S.REFUNDED) and order.status != S.AWAITING_CONFIRMATION:
            move(order, S.REFUNDED, actor_id=None, action="refunded")


def init_orders(app: Flask) -> None:
    """Answer the payment signals and catalog's questions (explicitly, when the app starts), and
    expire unpaid card orders from the outbox worker every minute (and roll up product popularity
    every 10 minutes)."""
    from ..core import outbox
    from . import notices, popularity, receivers

    events.payment_succeeded.connect(on_payment_succeeded)
    events.payment_failed.connect(on_payment_failed)
    events.payment_refunded.connect(on_payment_refunded)
    receivers.connect()
    notices.connect_receivers()  # notifications of new orders and status changes

    @outbox.every(app, 60, "orders-expire")
    def _expire(app: Flask) -> None:
        begin_write()  # SQLite: the write lock first, as a request does (read-then-write would fail)
        payments.expire_overdue()
        db.session.commit()

    outbox.every(app, popularity.EVERY_SECONDS, "orders-popularity")(popularity.worker_turn)
