"""The database answer when the index is unusable: ILIKE on title and description, filters in SQL;
and the record of those fallbacks that /healthz reports."""

import threading
import time
from collections import deque
from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import or_, select

from ..catalog.models import Product
from ..catalog.services import SORTS as DB_SORTS
from ..catalog.services import category_and_children_ids, public_products
from ..core.app import current_app_object
from ..core.money import RIAL_PER_TOMAN
from ..extensions import db
from ..shops.models import Shop
from .analysis import normalize_query
from .documents import product_fairs


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_database(params, category, result, page_size: int, max_words: int) -> None:
    """Every word in the title or description (ILIKE), filters in SQL: slower, but buyers get results."""
    result.mode, result.degraded = "database", True
    statement = public_products()
    for word in normalize_query(params.q).split()[:max_words]:
        pattern = _like(word)
        statement = statement.where(
            or_(Product.title.ilike(pattern, escape="\\"), Product.description.ilike(pattern, escape="\\"))
        )
    if category is not None:
        statement = statement.where(Product.category_id.in_(category_and_children_ids(category)))
    if params.min_price is not None:
        statement = statement.where(Product.price_rial >= params.min_price * RIAL_PER_TOMAN)
    if params.max_price is not None:
        statement = statement.where(Product.price_rial <= params.max_price * RIAL_PER_TOMAN)
    if params.in_stock:
        statement = statement.where(or_(Product.made_to_order.is_(True), Product.stock > 0))
    if params.made_to_order:
        statement = statement.where(Product.made_to_order.is_(True))
    if params.neighbourhood:
        statement = statement.where(Shop.neighbourhood == params.neighbourhood)
    if params.shop:
        statement = statement.where(Shop.slug == params.shop)
    if params.fair is not None:
        # the index holds which fairs exhibit a product; without it, ask the bazaar about the products
        # that pass the other filters (slow for a large catalogue, but only while the index is rebuilt)
        passing = statement.subquery()
        candidates = list(db.session.scalars(select(passing.c.id)))
        exhibited = [pid for pid, fairs in product_fairs(candidates).items() if params.fair in fairs]
        statement = statement.where(Product.id.in_(exhibited))
    order = DB_SORTS.get(params.sort, DB_SORTS["newest"])
    page = db.paginate(statement.order_by(*order), page=params.page, per_page=page_size, error_out=False, count=True)
    result.total = page.total or 0
    result.products = list(page.items)


# /healthz says "degraded" while queries fell back to the database within this many seconds.
FALLBACK_WINDOW = 300
_fallback_lock = threading.Lock()


def _fallbacks(app: Flask) -> dict:
    return app.extensions.setdefault("search_fallbacks", {"times": deque(maxlen=1000), "last": None})


def note_fallback(app: Flask, what: str, reason: str) -> None:
    """Remember that a query (what: "search" or "autocomplete") could not use the index, and why (the
    index's state or the error's class, never the query). Kept per process: every worker reads the
    same index, so each sees the same failures."""
    record = _fallbacks(app)
    with _fallback_lock:
        record["times"].append(time.monotonic())
        record["last"] = {
            "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "what": what,
            "reason": reason,
        }


def fallback_health() -> dict:
    """The /healthz entry "search_queries": ok False while queries fell back within FALLBACK_WINDOW."""
    record = _fallbacks(current_app_object())
    with _fallback_lock:
        since = time.monotonic() - FALLBACK_WINDOW
        recent = sum(1 for moment in record["times"] if moment >= since)
        last = record["last"]
    return {"ok": recent == 0, "fallbacks_recently": recent, "window_seconds": FALLBACK_WINDOW, "last_fallback": last}
