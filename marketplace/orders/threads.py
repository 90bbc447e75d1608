"""An order's message thread: plain text between the buyer and the producer, which centre staff can
read when asked to help with a dispute. Posting tells the other side (notification and text
message, through the outbox). A cancelled or refunded order keeps its thread open: that is when a
dispute needs it."""

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.notifications import notify
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text
from ..extensions import db
from .models import Order, OrderMessage
from .notices import lazy_number

MAX_BODY = 2000
PREVIEW_CHARS = 60  # of the message, in the notice to the other side


class Side(StrEnum):
    """Which party of the order writes."""

    BUYER = "buyer"
    PRODUCER = "producer"


def thread_messages(order: Order) -> list[OrderMessage]:
    """The order's messages, oldest first (the newest is at the bottom, next to the reply box)."""
    return list(
        db.session.scalars(
            select(OrderMessage)
            .where(OrderMessage.order_id == order.id)
            .options(selectinload(OrderMessage.author))
            .order_by(OrderMessage.created_at, OrderMessage.id)
        )
    )


def buyer_thread_link(order: Order) -> str:
    """The buyer's page of the thread."""
    return f"/orders/{order.id}/messages"


def producer_thread_link(order: Order) -> str:
    """The producer's page of the thread."""
    return f"/dashboard/orders/{order.id}/messages"


def clean_body(text: str | None) -> str:
    """The message as stored: normalised Persian, paragraphs kept; refused when empty or too long."""
    body = normalize_text(text, multiline=True)
    if not body:
        raise RuleError("body", _l("Write your message first."))
    if len(body) > MAX_BODY:
        raise RuleError(
            "body",
            _l("A message can be at most %(max)s characters; this one has %(num)s.", max=MAX_BODY, num=len(body)),
        )
    return body


def post_message(order: Order, author: User, side: Side, text: str | None) -> OrderMessage:
    """`author` (the buyer or the shop's owner, as `side` says; the route has checked which) writes in
    the order's thread; the other side is told."""
    body = clean_body(text)
    message = OrderMessage(order_id=order.id, author_id=author.id, body=body)
    db.session.add(message)
    db.session.flush()
    preview = body.replace("\n", " ")
    if len(preview) > PREVIEW_CHARS:
        preview = preview[: PREVIEW_CHARS - 1] + "…"
    if side == Side.BUYER:
        receiver, name, link = order.shop.owner, order.buyer.display_name, producer_thread_link(order)
    else:
        receiver, name, link = order.buyer, order.shop.name, buyer_thread_link(order)
    if receiver.id != author.id:
        notice = _l(
            "New message about order #%(number)s from %(name)s: %(preview)s",
            number=lazy_number(order),
            name=name,
            preview=preview,
        )
        notify(receiver, notice, link)
    return message


def author_label(message: OrderMessage, order: Order, viewer_id: int | None):
    """Who wrote it, as the reader sees it: «شما» for her own, the shop's name for the producer,
    the buyer's name for the buyer."""
    if viewer_id is not None and message.author_id == viewer_id:
        return _l("You")
    if message.author_id == order.shop.owner_id:
        return order.shop.name
    if message.author_id == order.buyer_id:
        return order.buyer.display_name
    if message.author is not None:
        return message.author.display_name
    return _l("A former member")
