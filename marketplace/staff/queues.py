"""What waits for the centre's staff: the console home's queues (how many, and since when the oldest
has waited) and the orders stuck in one state for too long.

"Waiting since" is the moment a row entered its queue, never when it was made: a shop, product or
piece of evidence sent back for changes and submitted again waits from its new submission. Each
domain stamps that moment where it records the move in its audit trail (shops.services.staff_decision
and catalog's _move stamp `submitted_at` beside the ShopDecision/ProductDecision row, registration's
submit beside its RegistrationEvent, bazaar's apply on the application); an order's moment is its
timeline row (OrderEvent) that brought it into its current state. Every queue is counted with one
aggregate query: no query per row.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from ..bazaar.models import Application, ApplicationStatus, BazaarEvent, FairStatus
from ..catalog.models import Product, ProductStatus
from ..core.dates import as_utc, relative_parts, utcnow
from ..core.outbox import OutboxMessage
from ..extensions import db
from ..orders.models import Order, OrderEvent, OrderStatus
from ..registration.models import RecordStatus, RegistrationRecord
from ..shops.models import Shop, ShopStatus

_O = OrderStatus
# States in which an order waits for someone to act (the producer to accept or send it, the buyer
# or the post to deliver it). An order that sits in one of them longer than STUCK_ORDER_DAYS is
# stuck. (A card order waiting for payment is not: it expires by itself after PAYMENT_EXPIRY_MINUTES.)
STUCK_STATES = (_O.AWAITING_CONFIRMATION, _O.PAID, _O.ACCEPTED, _O.SHIPPED)
# Fairs whose submitted applications still wait for the jury.
DECIDING_FAIR_STATES = (FairStatus.APPLICATIONS_OPEN, FairStatus.JURYING)


@dataclass
class Queue:
    """One queue of the console home: `key` names it (the template gives the words and the link),
    `count` rows wait, the oldest since `oldest_at`; `fair` for a fair's applications, `state` for
    one state of the stuck orders."""

    key: str
    count: int
    oldest_at: datetime | None
    fair: BazaarEvent | None = None
    state: str | None = None

    def waited(self, now: datetime) -> tuple[str, int] | None:
        """How long the oldest has waited as (unit, count) of core.dates.relative_parts, or None."""
        return relative_parts(self.oldest_at, now) if self.oldest_at is not None else None


def _count_and_oldest(model, waiting_since, *conditions) -> tuple[int, datetime | None]:
    count, oldest = db.session.execute(select(func.count(model.id), func.min(waiting_since)).where(*conditions)).one()
    return count or 0, as_utc(oldest) if oldest is not None else None


def console_queues(now: datetime | None = None, stuck_days: int = 3) -> list[Queue]:
    """Every queue of the console home in the order staff work through them (empty ones too, so
    the page always shows the same rows): six aggregate queries whatever the sizes."""
    now = now or utcnow()
    queues = [
        Queue("shops", *_count_and_oldest(Shop, Shop.submitted_at, Shop.status == ShopStatus.SUBMITTED)),
        Queue("products", *_count_and_oldest(Product, Product.submitted_at, Product.status == ProductStatus.IN_REVIEW)),
        Queue(
            "evidence",
            *_count_and_oldest(
                RegistrationRecord, RegistrationRecord.submitted_at, RegistrationRecord.status == RecordStatus.SUBMITTED
            ),
        ),
    ]
    queues += fair_application_queues()
    queues += stuck_order_queues(now, stuck_days)
    queues.append(
        Queue(
            "outbox", *_count_and_oldest(OutboxMessage, OutboxMessage.failed_at, OutboxMessage.failed_at.is_not(None))
        )
    )
    return queues


def fair_application_queues() -> list[Queue]:
    """One queue per fair taking or judging applications: its submitted applications, the oldest
    submission first in time. A fair with none waiting still has its row (count 0)."""
    waiting = (
        select(
            Application.fair_id,
            func.count(Application.id).label("count"),
            func.min(Application.submitted_at).label("oldest"),
        )
        .where(Application.status == ApplicationStatus.SUBMITTED)
        .group_by(Application.fair_id)
        .subquery()
    )
    rows = db.session.execute(
        select(BazaarEvent, waiting.c.count, waiting.c.oldest)
        .outerjoin(waiting, waiting.c.fair_id == BazaarEvent.id)
        .where(BazaarEvent.status.in_(DECIDING_FAIR_STATES))
        .order_by(BazaarEvent.starts_at, BazaarEvent.id)
    ).all()
    return [
        Queue("applications", count or 0, as_utc(oldest) if oldest is not None else None, fair=fair)
        for fair, count, oldest in rows
    ]


def _entered_state():
    """(order id, when it entered its current state): the latest timeline row whose move brought it
    there (rows that keep the state, like "money received", do not count). Only open orders."""
    entered = (
        select(OrderEvent.order_id, func.max(OrderEvent.created_at).label("entered_at"))
        .join(Order, Order.id == OrderEvent.order_id)
        .where(
            Order.status.in_(STUCK_STATES),
            OrderEvent.to_status == Order.status,
            OrderEvent.from_status != OrderEvent.to_status,
        )
        .group_by(OrderEvent.order_id)
        .subquery()
    )
    # An order without a timeline row (made before timelines were kept) waits since it was placed.
    return entered, func.coalesce(entered.c.entered_at, Order.created_at)


def _stuck(now: datetime, stuck_days: int, state: str | None):
    entered, entered_at = _entered_state()
    states = (state,) if state else STUCK_STATES
    conditions = and_(Order.status.in_(states), entered_at < now - timedelta(days=stuck_days))
    return entered, entered_at, conditions


def stuck_order_queues(now: datetime, stuck_days: int) -> list[Queue]:
    """One queue per waiting state: orders in it for more than `stuck_days` days (one grouped query)."""
    entered, entered_at, stuck = _stuck(now, stuck_days, None)
    rows = db.session.execute(
        select(Order.status, func.count(Order.id), func.min(entered_at))
        .outerjoin(entered, entered.c.order_id == Order.id)
        .where(stuck)
        .group_by(Order.status)
    ).all()
    found = {status: (count, oldest) for status, count, oldest in rows}
    queues = []
    for state in STUCK_STATES:
        count, oldest = found.get(state, (0, None))
        queues.append(Queue("orders", count, as_utc(oldest) if oldest is not None else None, state=state))
    return queues


@dataclass
class StuckOrder:
    """An order of the stuck list and when it entered the state it is stuck in."""

    order: Order
    entered_at: datetime

    def days(self, now: datetime) -> int:
        """Whole days it has waited."""
        return (now - self.entered_at).days


def stuck_orders(now: datetime, stuck_days: int, state: str | None = None, limit: int = 200) -> list[StuckOrder]:
    """Orders in a waiting state (or in `state`) for more than `stuck_days` days, longest waiting
    first, with their shop and buyer (three queries, however many)."""
    entered, entered_at, stuck = _stuck(now, stuck_days, state)
    rows = db.session.execute(
        select(Order, entered_at)
        .outerjoin(entered, entered.c.order_id == Order.id)
        .where(stuck)
        .options(selectinload(Order.shop), selectinload(Order.buyer))
        .order_by(entered_at, Order.id)
        .limit(limit)
    ).all()
    return [StuckOrder(order, as_utc(since)) for order, since in rows]
