"""The search documents: the Whoosh schema, and a product's or shop's document built from the database."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from whoosh.fields import BOOLEAN, DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..catalog.models import Category, Product
from ..catalog.services import in_stock
from ..core.images import StoredImage
from ..core.money import RIAL_PER_TOMAN
from ..extensions import db
from ..shops.models import Shop
from .analysis import AUTOCOMPLETE, PERSIAN


def make_schema() -> Schema:
    """One document per public product (kind "product") and approved shop (kind "shop"), plus "meta"."""
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        pk=NUMERIC(int, bits=64, stored=True),
        title=TEXT(analyzer=PERSIAN, stored=True, field_boost=3.0),
        tags=TEXT(analyzer=PERSIAN, field_boost=2.0),
        category=TEXT(analyzer=PERSIAN, field_boost=1.5),
        description=TEXT(analyzer=PERSIAN, stored=True),
        materials=TEXT(analyzer=PERSIAN),
        shop_name=TEXT(analyzer=PERSIAN, stored=True),
        place=TEXT(analyzer=PERSIAN),
        neighbourhood=ID(stored=True, sortable=True),
        price_rial=NUMERIC(int, bits=64, stored=True, sortable=True),
        in_stock=BOOLEAN(stored=True),
        made_to_order=BOOLEAN(stored=True),
        published_at=DATETIME(stored=True, sortable=True),
        popularity=NUMERIC(int, bits=64, stored=True, sortable=True),
        category_ids=KEYWORD(stored=True),
        # Facet fields are columns (sortable): counting them reads one column per search instead of
        # walking every term's postings, which made each search cost time in proportion to the index.
        category_id=ID(stored=True, sortable=True),
        shop_slug=ID(stored=True, sortable=True),
        availability=ID(sortable=True),
        price_band=ID(sortable=True),
        shop_id=ID(stored=True),
        slug=STORED(),
        thumbnail=STORED(),
        complete=TEXT(analyzer=AUTOCOMPLETE, phrase=False),
        last_change=NUMERIC(int, bits=64, stored=True),
    )


def _category_path(category: Category) -> list[Category]:
    path = [category]
    while path[-1].parent is not None:
        path.append(path[-1].parent)
    return path


# Price bands shown as a facet, in toman: (low, high); None is open-ended.
PRICE_BANDS = ((0, 100_000), (100_000, 500_000), (500_000, 2_000_000), (2_000_000, None))


def price_band(price_rial: int) -> str:
    """The facet key of the band a price falls in, like "100000-500000" (toman)."""
    toman = price_rial // RIAL_PER_TOMAN
    for low, high in PRICE_BANDS:
        if high is None or toman < high:
            return f"{low}-{high or ''}"
    return ""


def product_document(product: Product) -> dict | None:
    """The search document of a product, or None when buyers must not find it."""
    if product.status != "published" or product.shop.status != "approved":
        return None
    path = _category_path(product.category)
    shop = product.shop
    cover = product.cover
    return {
        "id": f"product:{product.id}",
        "kind": "product",
        "pk": product.id,
        "title": product.title,
        "tags": " ".join(product.tags or []),
        "category": " ".join(f"{c.name_fa} {c.name_en}" for c in path),
        "description": product.description or "",
        "materials": product.materials or "",
        "shop_name": shop.name,
        "place": shop.neighbourhood or "",
        "neighbourhood": shop.neighbourhood or "",
        "price_rial": int(product.price_rial),
        "in_stock": in_stock(product),
        "availability": "in_stock" if in_stock(product) else "unavailable",
        "price_band": price_band(int(product.price_rial)),
        "made_to_order": bool(product.made_to_order),
        "published_at": _naive_utc(product.published_at or product.created_at),
        "popularity": 0,
        "category_ids": " ".join(str(c.id) for c in path),
        "category_id": str(product.category_id),
        "shop_slug": shop.slug,
        "shop_id": str(shop.id),
        "slug": product.slug,
        "thumbnail": StoredImage.from_dict(cover.stored).url_path(320) if cover else "",
        "complete": product.title,
    }


def shop_document(shop: Shop) -> dict | None:
    """The search document of a shop, or None unless it is approved."""
    if shop.status != "approved":
        return None
    return {
        "id": f"shop:{shop.id}",
        "kind": "shop",
        "pk": shop.id,
        "title": shop.name,
        "tags": shop.craft or "",
        "description": " ".join(filter(None, [shop.tagline, shop.story])),
        "shop_name": shop.name,
        "place": shop.neighbourhood or "",
        "neighbourhood": shop.neighbourhood or "",
        "shop_slug": shop.slug,
        "shop_id": str(shop.id),
        "slug": shop.slug,
        "thumbnail": (shop.logo_files or {}).get("192", ""),
        "complete": shop.name,
    }


def _naive_utc(value: datetime) -> datetime:
    """Whoosh's DATETIME wants naive datetimes: UTC with the zone dropped."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def load_products(ids: list[int]) -> dict[int, Product]:
    statement = (
        select(Product)
        .where(Product.id.in_(ids))
        .options(
            selectinload(Product.shop),
            selectinload(Product.images),
            selectinload(Product.category).selectinload(Category.parent),
        )
    )
    return {product.id: product for product in db.session.scalars(statement)}
