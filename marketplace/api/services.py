"""The API's reads: only what the public pages show (published products of approved shops, approved
shops, public fairs), through the same rules and listings as those pages. Read-only: nothing here
writes or flushes."""

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from ..bazaar import online
from ..bazaar import services as fairs
from ..bazaar.models import PUBLIC_FAIR_STATUSES, RUNNING_FAIR_STATUSES, BazaarEvent, FairStatus
from ..catalog import services as catalog
from ..catalog.models import Category, Product, ProductStatus
from ..core.database import page_with_total
from ..extensions import db
from ..shops import services as shops
from ..shops.models import Shop
from .params import Paging, printable

PHASES = ("upcoming", "live", "past")


def product_listing(category_slug: str, shop_slug: str, sort: str, paging: Paging) -> catalog.Listing:
    """A page of public products, newest first unless `sort` says otherwise; a category includes its
    sub-categories, as on its page. An unknown category or shop matches nothing."""
    where: list = []
    if category_slug:
        category = catalog.category_for_page(category_slug)
        if category is None:
            return catalog.Listing([], 0, paging.page, paging.per_page)
        where.append(Product.category_id.in_(catalog.category_and_children_ids(category)))
    if shop_slug:
        where.append(Shop.slug == shop_slug)
    return catalog.public_listing(where, sort, paging.page, paging.per_page)


def public_product(product_id: int) -> Product | None:
    """The public product with everything its detail shows (shop, category and its parent, options,
    photos), or None when there is none or it is not public."""
    return db.session.scalar(
        select(Product)
        .where(Product.id == product_id, Product.is_public)
        .options(
            joinedload(Product.shop, innerjoin=True),
            joinedload(Product.category, innerjoin=True).joinedload(Category.parent),
            selectinload(Product.variants),
            selectinload(Product.images),
        )
    )


def _public_product_count(shop_id=Shop.id):
    """How many of a shop's products buyers may see (its products are public once published, the
    shop being approved); by default correlated to the outer query's Shop."""
    return (
        select(func.count(Product.id))
        .where(Product.shop_id == shop_id, Product.status == ProductStatus.PUBLISHED)
        .scalar_subquery()
    )


def shop_listing(paging: Paging) -> tuple[list[tuple[Shop, int]], int]:
    """A page of approved shops, oldest first (a stable order: new shops join at the end), each with
    its number of public products, and how many approved shops there are (one query)."""
    statement = select(Shop, _public_product_count()).where(Shop.is_public).order_by(Shop.id)
    rows, total = page_with_total(statement, paging.page, paging.per_page)
    return [(shop, count) for shop, count in rows], total


def public_shop(slug: str) -> tuple[Shop, int] | None:
    """The approved shop at `slug` (an earlier slug of a renamed shop finds it too) and its number of
    public products; None when there is none or it is not public."""
    if not printable(slug):  # (a NUL would make PostgreSQL refuse the query)
        return None
    shop, _moved = shops.find_by_slug(slug)
    if shop is None or not shop.is_public:
        return None
    return shop, db.session.scalar(select(_public_product_count(shop.id))) or 0


def category_tree() -> tuple[list[Category], dict[int, int]]:
    """The top categories (each with its children) in tree order, and the number of public products in
    each category directly (two queries)."""
    return [category for category in catalog.all_categories() if category.parent_id is None], catalog.category_counts()


def _in_phase(statement: Select, phase: str, now: datetime) -> Select:
    """Keep the fairs in `phase` at `now`, the same rule as `bazaar.services.phase`, in SQL."""
    running = BazaarEvent.status.in_(RUNNING_FAIR_STATUSES)
    if phase == "past":
        return statement.where((BazaarEvent.status == FairStatus.CLOSED) | (BazaarEvent.ends_at <= now))
    if phase == "live":
        return statement.where(running, BazaarEvent.starts_at <= now, BazaarEvent.ends_at > now)
    return statement.where(running, BazaarEvent.starts_at > now)


def fair_listing(phase: str, paging: Paging, now: datetime) -> tuple[list[BazaarEvent], int]:
    """A page of the public fairs (published, live or closed), latest start first, of one phase when
    `phase` is given, and how many there are (one query)."""
    statement = select(BazaarEvent).where(BazaarEvent.status.in_(PUBLIC_FAIR_STATUSES))
    if phase:
        statement = _in_phase(statement, phase, now)
    statement = statement.order_by(BazaarEvent.starts_at.desc(), BazaarEvent.id.desc())
    rows, total = page_with_total(statement, paging.page, paging.per_page)
    return [fair for (fair,) in rows], total


def public_fair(slug: str) -> tuple[BazaarEvent, list[tuple[Shop, str, int | None]]] | None:
    """The public fair at `slug` and its accepted shops that are approved, with their booth codes and
    the top category each brings, in booth order (as on the fair's page); None when not public."""
    fair = fairs.fair_by_slug(slug) if printable(slug) else None
    if fair is None:
        return None
    return fair, [row for row in online.participants(fair) if row[0].is_public]
