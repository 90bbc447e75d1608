"""The change log: session listeners that append a SearchChange row, in the same transaction, for
every flush that touches something a search document is built from.

Catalog and shops know nothing of this: the listeners are registered on SQLAlchemy's Session class
once, and only look at this app's models. Rows are written through the flush's own connection in
after_flush (never through the session, so nothing recurses), deduplicated per flush.
"""

from typing import cast

from sqlalchemy import Table, insert, inspect, select
from sqlalchemy.orm import Session

from ..catalog.models import Category, Product, ProductImage, ProductVariant
from ..core.database import listen_to_sessions
from ..core.dates import utcnow
from ..shops.models import Shop
from .models import SearchChange

# Shop fields that appear in its products' documents (name, place, visibility, availability).
SHOP_PRODUCT_FIELDS = ("name", "slug", "status", "neighbourhood", "away")
CATEGORY_PRODUCT_FIELDS = ("name_fa", "name_en", "parent_id", "slug")
PENDING = "search_pending"
LOGGED = "search_logged"
COMMITTED_FLAG = "search_changed"


def register_listeners() -> None:
    """Listen to every Session's flushes."""
    listen_to_sessions(
        {
            "before_flush": _before_flush,
            "after_flush": _after_flush,
            "after_commit": _after_commit,
            "after_soft_rollback": _after_rollback,
        }
    )


def _modified(session: Session, obj, fields: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _before_flush(session: Session, _context, _instances) -> None:
    """Collect what this flush changes; new rows get their ids only after the flush."""
    pending = session.info.setdefault(PENDING, [])
    with session.no_autoflush:
        for obj in list(session.new) + list(session.deleted):
            _collect(session, obj, pending, deleted=obj in session.deleted)
        for obj in list(session.dirty):
            if session.is_modified(obj):
                _collect(session, obj, pending, deleted=False)


def _collect(session: Session, obj, pending: list, deleted: bool) -> None:
    if isinstance(obj, Product):
        pending.append(("product", obj))
    elif isinstance(obj, ProductImage | ProductVariant):
        pending.append(("product", obj.product if obj.product is not None else obj.product_id))
    elif isinstance(obj, Shop):
        pending.append(("shop", obj))
        if obj.id is not None and (deleted or _modified(session, obj, SHOP_PRODUCT_FIELDS)):
            ids = session.execute(select(Product.id).where(Product.shop_id == obj.id)).scalars()
            pending.extend(("product", product_id) for product_id in ids)
    elif isinstance(obj, Category) and obj.id is not None and _modified(session, obj, CATEGORY_PRODUCT_FIELDS):
        # a top category's name is in its children's products' category path too
        category_ids = [obj.id, *session.execute(select(Category.id).where(Category.parent_id == obj.id)).scalars()]
        ids = session.execute(select(Product.id).where(Product.category_id.in_(category_ids))).scalars()
        pending.extend(("product", product_id) for product_id in ids)


def _after_flush(session: Session, _context) -> None:
    """Write one SearchChange row per (entity, id) this transaction touched (once, however many
    flushes it makes), through the flush's connection."""
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    logged = session.info.setdefault(LOGGED, set())
    keys = []
    for entity, target in pending:
        entity_id = target if isinstance(target, int) or target is None else target.id
        if entity_id is not None and (entity, entity_id) not in logged:
            keys.append((entity, entity_id))
            logged.add((entity, entity_id))
    if not keys:
        return
    now = utcnow()
    session.connection().execute(
        insert(cast(Table, SearchChange.__table__)), [{"entity": e, "entity_id": i, "created_at": now} for e, i in keys]
    )
    session.info[COMMITTED_FLAG] = True


def _after_commit(session: Session) -> None:
    """Tell the app (see index.init_sync) that committed changes are waiting to be indexed."""
    session.info.pop(LOGGED, None)
    if session.info.pop(COMMITTED_FLAG, False):
        from flask import g, has_app_context

        if has_app_context():
            g.search_sync_needed = True


def _after_rollback(session: Session, previous_transaction) -> None:
    # rows written inside a rolled-back savepoint are gone: log those entities again if touched again
    session.info.pop(LOGGED, None)
    if previous_transaction.parent is None:
        session.info.pop(COMMITTED_FLAG, None)
        session.info.pop(PENDING, None)


def log_bulk_product_changes(_sender, product_ids=(), **_kwargs) -> None:
    """Answer `core.events.products_changed_in_bulk`: log these products as changed, in the sender's
    transaction (a bulk UPDATE is invisible to the flush listeners above)."""
    from ..extensions import db

    ids = sorted(set(product_ids))
    if not ids:
        return
    session = db.session()
    logged = session.info.setdefault(LOGGED, set())
    now = utcnow()
    session.connection().execute(
        insert(cast(Table, SearchChange.__table__)),
        [{"entity": "product", "entity_id": product_id, "created_at": now} for product_id in ids],
    )
    logged.update(("product", product_id) for product_id in ids)
    session.info[COMMITTED_FLAG] = True
