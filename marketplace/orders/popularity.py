"""Product popularity, the search ranking's tie-breaker: units sold in the last 90 days (orders that
went ahead) times a weight, plus how many buyers keep the product as a favourite.

A background roll-up, never the request path: the outbox worker recomputes it every 10 minutes and
`flask orders popularity` on demand. Only products whose value changed are written, with one bulk
UPDATE, and announced through `core.events.products_changed_in_bulk`, so search re-indexes just
those (a bulk UPDATE is invisible to search's flush listeners)."""

from collections import defaultdict
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import Table, bindparam, func, select, update

from ..catalog.models import Product
from ..core import events
from ..core.database import begin_write
from ..core.dates import utcnow
from ..extensions import db
from .models import Favourite, Order, OrderItem, OrderStatus

WINDOW_DAYS = 90
# A sale says more than a favourite: a unit sold counts as much as three buyers keeping it.
SALE_WEIGHT = 3
# Orders that went ahead; waiting, cancelled and refunded ones sold nothing.
SOLD_STATUSES = (OrderStatus.PAID, OrderStatus.ACCEPTED, OrderStatus.SHIPPED, OrderStatus.DELIVERED)
EVERY_SECONDS = 600


def popularity_scores(now: datetime | None = None) -> dict[int, int]:
    """Each product's popularity now, for every product with sales in the window or favourites
    (a product missing here scores 0)."""
    since = (now or utcnow()) - timedelta(days=WINDOW_DAYS)
    scores: dict[int, int] = defaultdict(int)
    sold = db.session.execute(
        select(OrderItem.product_id, func.sum(OrderItem.quantity))
        .join(Order, OrderItem.order_id == Order.id)
        .where(Order.status.in_(SOLD_STATUSES), Order.created_at >= since, OrderItem.product_id.is_not(None))
        .group_by(OrderItem.product_id)
    )
    for product_id, units in sold:
        if product_id is not None:  # (excluded above; the column may be NULL once a product is deleted)
            scores[product_id] += SALE_WEIGHT * int(units)
    for product_id, count in db.session.execute(
        select(Favourite.product_id, func.count()).group_by(Favourite.product_id)
    ):
        scores[product_id] += int(count)
    return dict(scores)


def apply_scores(scores: dict[int, int]) -> set[int]:
    """Write `scores` (0 for every product not in it) where they differ from the stored value, and
    announce those products; returns their ids. Flushes inside the caller's transaction."""
    stored: dict[int, int] = dict(
        db.session.execute(select(Product.id, Product.popularity).where(Product.popularity != 0)).all()
    )
    candidates = [product_id for product_id in scores if product_id not in stored]
    for start in range(0, len(candidates), 500):  # stored values of the newly scored, a bounded IN at a time
        chunk = candidates[start : start + 500]
        stored.update(db.session.execute(select(Product.id, Product.popularity).where(Product.id.in_(chunk))).all())
    changed = {
        product_id: scores.get(product_id, 0)
        for product_id in stored
        if scores.get(product_id, 0) != stored[product_id]
    }
    if not changed:
        return set()
    table = Product.__table__
    assert isinstance(table, Table)
    db.session.execute(
        update(table)
        .where(table.c.id == bindparam("product_id"))
        # keep updated_at: a product's own edit time is not touched by what buyers do
        .values(popularity=bindparam("score"), updated_at=table.c.updated_at),
        [{"product_id": product_id, "score": score} for product_id, score in changed.items()],
    )
    ids = set(changed)
    events.products_changed_in_bulk.send(None, product_ids=ids)
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Product) and obj.id in ids:
            db.session.expire(obj, ["popularity"])
    db.session.flush()
    return ids


def recompute_popularity(now: datetime | None = None) -> set[int]:
    """Recompute every product's popularity in the caller's transaction; returns the changed ids."""
    return apply_scores(popularity_scores(now))


def refresh_popularity() -> int:
    """The roll-up as the worker and the CLI run it: the sums are read first, outside any write
    lock, then the changed rows are written in one short write transaction (BEGIN IMMEDIATE on
    SQLite, so checkouts queue behind it instead of failing) and committed. Returns how many changed."""
    scores = popularity_scores()
    db.session.rollback()  # end the read transaction: the write below starts a fresh one
    begin_write()
    changed = apply_scores(scores)
    db.session.commit()
    return len(changed)


def worker_turn(app: Flask) -> None:
    """The outbox worker's turn, every EVERY_SECONDS (registered in `orders.services.init_orders`)."""
    refresh_popularity()
