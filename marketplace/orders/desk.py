"""The producer's order desk: its tabs (which statuses each shows), how many orders each holds, and
what the printed slip and receipt carry (the order page's address as a QR code)."""

import segno
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..core.messages import lazy_gettext as _l
from ..core.urls import public_url
from ..extensions import db
from ..payments.models import OFFLINE_METHODS, PaymentMethod
from ..shops.models import Shop
from .models import Order, OrderStatus
from .services import NEW_STATUSES, OPEN_STATUSES, TRANSITIONS

S = OrderStatus
# Each tab of the desk and the statuses it shows, in the order she works through them. Card orders
# still waiting for the money are in no tab but "all": there is nothing for her to do yet.
TABS: dict[str, tuple[OrderStatus, ...]] = {
    "new": NEW_STATUSES,
    "in_progress": (S.ACCEPTED,),
    "sent": (S.SHIPPED,),
    "done": (S.DELIVERED,),
    "closed": (S.CANCELLED, S.REFUNDED),
}
TAB_LABELS = {
    "all": _l("All"),
    "new": _l("New"),
    "in_progress": _l("Being prepared"),
    "sent": _l("Sent"),
    "done": _l("Delivered"),
    "closed": _l("Cancelled"),
}
# The timeline's words for each recorded action (orders.services.move and place_order write them).
EVENT_LABELS = {
    "placed": _l("Order placed"),
    "paid": _l("Paid online"),
    "accept": _l("Accepted"),
    "ship": _l("Sent"),
    "deliver": _l("Delivered"),
    "money_received": _l("Money received"),
    "cancel_buyer": _l("Cancelled by the buyer"),
    "cancel_producer": _l("Cancelled by the producer"),
    "cancel_staff": _l("Cancelled by the centre"),
    "cancel_system": _l("Cancelled automatically"),
    "payment_failed": _l("Card payment failed"),
    "payment_expired": _l("Card payment not finished in time"),
    "payment_cancelled": _l("Card payment abandoned"),
    "refunded": _l("Money refunded"),
}


def tab_counts(shop: Shop) -> dict[str, int]:
    """How many of the shop's orders each tab holds (one grouped query)."""
    rows = db.session.execute(
        select(Order.status, func.count(Order.id)).where(Order.shop_id == shop.id).group_by(Order.status)
    ).all()
    by_status = {status: count for status, count in rows}
    counts = {tab: sum(by_status.get(status, 0) for status in statuses) for tab, statuses in TABS.items()}
    counts["all"] = sum(by_status.values())
    return counts


def tab_orders(shop: Shop, tab: str, limit: int = 200) -> list[Order]:
    """The shop's orders in `tab` ("all": every one), newest first, with their items and buyers
    loaded in two more queries (not one per row)."""
    statement = select(Order).where(Order.shop_id == shop.id)
    if tab in TABS:
        statement = statement.where(Order.status.in_(TABS[tab]))
    statement = statement.options(selectinload(Order.items), selectinload(Order.buyer))
    return list(db.session.scalars(statement.order_by(Order.id.desc()).limit(limit)))


def is_new(order: Order) -> bool:
    """The order waits for her decision and she has not opened it yet (the "new" marker)."""
    return order.status in NEW_STATUSES and order.seen_by_shop_at is None


def allowed_actions(order: Order) -> set[str]:
    """The desk's buttons the state machine allows for this order now (a posted action is checked
    again by the service, so this only decides what is shown)."""
    moves = TRANSITIONS[OrderStatus(order.status)]
    actions = set()
    if S.ACCEPTED in moves and order.status != S.PENDING_PAYMENT:
        actions.add("accept")
    if S.SHIPPED in moves:
        actions.add("ship")
    if S.DELIVERED in moves:
        actions.add("deliver")
    if S.CANCELLED in moves and order.status != S.PENDING_PAYMENT:
        actions.add("cancel")
    # Cash on delivery is paid when the parcel arrives (delivering it records the money); paid at
    # the centre or the booth, the money may come in at any time while the order is open.
    money_due = (S.SHIPPED,) if order.payment_method == PaymentMethod.COD else OPEN_STATUSES
    if order.payment_method in OFFLINE_METHODS and order.money_received_at is None and order.status in money_due:
        actions.add("money_received")
    return actions


def money_received(order: Order) -> bool:
    """Whether the order's money has reached the producer or the centre (card: paid online)."""
    if order.payment_method == PaymentMethod.CARD:
        return order.paid_at is not None
    return order.money_received_at is not None


def order_page_url(order: Order) -> str:
    """The absolute public address of the buyer's page of this order (built from PUBLIC_URL)."""
    return public_url("orders.detail", order_id=order.id)


def qr_svg(text: str, title: str = "") -> Markup:
    """`text` as a QR code in an inline SVG (error correction M or better, 4-module quiet zone),
    sized by CSS through its viewBox; `title` is what a screen reader says."""
    code = segno.make_qr(text, error="m", boost_error=True)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, title=title or None)
    # segno writes only path data and the title, which it escapes: the SVG is safe markup
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704
