"""The database answer when the index is unusable: ILIKE on title and description, filters in SQL."""

from sqlalchemy import or_

from ..catalog.models import Product
from ..catalog.services import SORTS as DB_SORTS
from ..catalog.services import category_and_children_ids, public_products
from ..core.money import RIAL_PER_TOMAN
from ..extensions import db
from ..shops.models import Shop
from .analysis import normalize_query


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
    order = DB_SORTS.get(params.sort, DB_SORTS["newest"])
    page = db.paginate(statement.order_by(*order), page=params.page, per_page=page_size, error_out=False, count=True)
    result.total = page.total or 0
    result.products = list(page.items)
