"""The search documents: the Whoosh schema, and a product's or shop's document built from the database."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload
from whoosh import columns
from whoosh.fields import COLUMN, ID, KEYWORD, STORED, TEXT, Schema

from ..catalog.models import Category, Product
from ..catalog.services import in_stock
from ..core import events
from ..core.images import StoredImage
from ..extensions import db
from ..shops.models import Shop
from .analysis import AUTOCOMPLETE, PERSIAN


class NumberColumn(COLUMN):
    """An integer kept as a per-document column (filters, facets and sorts read it as one array) and
    optionally stored; never indexed. (A 64-bit NUMERIC field indexes 16 terms per document, which made
    rebuilds slow, and nothing queries them: filters read the column.)"""

    def __init__(self, typecode: str = "q", stored: bool = False):
        super().__init__(columns.NumericColumn(typecode))
        self.stored = stored


# The schema's version, kept in the index's "meta" document: an index of another version is rebuilt
# (index.open_index refuses it as "old schema"). Bump it whenever a field is added, removed or changes
# how it is indexed. 2: products' `fairs`. 3: English title and description; English plurals made singular.
SCHEMA_VERSION = 3


def make_schema() -> Schema:
    """One document per public product (kind "product") and approved shop (kind "shop"), plus "meta".

    Text fields are analysed by PERSIAN (which also folds English: lower case, plurals singular) and kept
    without positions (no phrase queries are made); `title_en` and `description_en` are what a producer or
    staff wrote for buyers abroad, and the autocomplete n-grams cover both titles; filters,
    facets and sorts read the columns (see `arrays.py`); `fairs` holds the ids of the public fairs that
    exhibit the product, one term each, for the fair filter (`query._filter_mask`).
    """
    return Schema(
        id=ID(stored=True, unique=True),
        kind=ID(stored=True),
        title=TEXT(analyzer=PERSIAN, stored=True, field_boost=3.0, phrase=False),
        tags=TEXT(analyzer=PERSIAN, field_boost=2.0, phrase=False),
        category=TEXT(analyzer=PERSIAN, field_boost=1.5, phrase=False),
        description=TEXT(analyzer=PERSIAN, phrase=False),
        title_en=TEXT(analyzer=PERSIAN, stored=True, field_boost=3.0, phrase=False),
        description_en=TEXT(analyzer=PERSIAN, phrase=False),
        materials=TEXT(analyzer=PERSIAN, phrase=False),
        shop_name=TEXT(analyzer=PERSIAN, phrase=False),
        place=TEXT(analyzer=PERSIAN, phrase=False),
        complete=TEXT(analyzer=AUTOCOMPLETE, phrase=False),
        pk=NumberColumn(stored=True),
        price_rial=NumberColumn(stored=True),
        published=NumberColumn(),  # microseconds since 1970 (UTC)
        popularity=NumberColumn(),
        category_id=NumberColumn("i"),
        shop_id=NumberColumn("i"),
        in_stock=NumberColumn("b"),
        made_to_order=NumberColumn("b"),
        neighbourhood=COLUMN(columns.RefBytesColumn()),
        fairs=KEYWORD(commas=True),
        slug=STORED(),
        shop_slug=STORED(),
        thumbnail=STORED(),
        last_change=STORED(),
        schema_version=STORED(),
    )


def _category_path(category: Category) -> list[Category]:
    path = [category]
    while path[-1].parent is not None:
        path.append(path[-1].parent)
    return path


# Price bands shown as a facet, in toman: (low, high); None is open-ended (counted in `arrays.py`).
PRICE_BANDS = ((0, 100_000), (100_000, 500_000), (500_000, 2_000_000), (2_000_000, None))


def product_fairs(product_ids: list[int]) -> dict[int, list[int]]:
    """Product id → ids of the public fairs that exhibit it, asked once for a batch of documents through
    `events.product_fairs` (the bazaar answers; nobody answering means no fairs)."""
    found: dict[int, set[int]] = {}
    if not product_ids:
        return {}
    for _receiver, answer in events.product_fairs.send(None, product_ids=list(product_ids)):
        for product_id, fair_ids in (answer or {}).items():
            found.setdefault(int(product_id), set()).update(int(fair_id) for fair_id in fair_ids)
    return {product_id: sorted(fair_ids) for product_id, fair_ids in found.items()}


def product_document(product: Product, fairs: list[int] | tuple[int, ...] = ()) -> dict | None:
    """The search document of a product, or None when buyers must not find it. `fairs`: the ids of the
    public fairs exhibiting it (see `product_fairs`, asked per batch by the indexer)."""
    if not product.is_public:
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
        "title_en": product.title_en,
        "description_en": product.description_en,
        "materials": product.materials or "",
        "shop_name": shop.name,
        "place": shop.neighbourhood or "",
        "complete": f"{product.title} {product.title_en}".strip(),
        "price_rial": int(product.price_rial),
        "published": _epoch(product.published_at or product.created_at),
        "popularity": int(product.popularity or 0),
        "category_id": product.category_id,
        "shop_id": shop.id,
        "in_stock": int(in_stock(product)),
        "made_to_order": int(bool(product.made_to_order)),
        "neighbourhood": (shop.neighbourhood or "").encode(),
        "slug": product.slug,
        "shop_slug": shop.slug,
        "thumbnail": StoredImage.from_dict(cover.stored).url_path(320) if cover else "",
        **({"fairs": ",".join(str(fair_id) for fair_id in fairs)} if fairs else {}),
    }


def shop_document(shop: Shop) -> dict | None:
    """The search document of a shop, or None unless it is approved."""
    if not shop.is_public:
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
        "complete": shop.name,
        "shop_id": shop.id,
        "neighbourhood": (shop.neighbourhood or "").encode(),
        "slug": shop.slug,
        "shop_slug": shop.slug,
        "thumbnail": (shop.logo_files or {}).get("192", ""),
    }


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _epoch(value: datetime) -> int:
    """Microseconds since 1970 (a naive datetime is UTC, as SQLite returns them)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - EPOCH) // timedelta(microseconds=1)


def load_products(ids: list[int]) -> dict[int, Product]:
    """Products by id with what their documents read (shop, photos, category path) in a few queries."""
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
