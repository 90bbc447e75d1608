"""The impact dashboard's readiness and demand: how the producers' brand scores and registration
checklists are spread (histograms), and what buyers searched for in the period and did not find.

Readiness reuses the rules themselves, not copies: `shops.services.brand_score` on each shop, and
the registration checklist's `applicable_items` and `record_state` for what applies and what is
done. They are fed in bulk: one query for the shops' columns, one for how many products with
photos each has, one for the products' kinds and one for the records that may count as done, so
1,000 producers cost five small queries and a pass of plain Python over their rows (rows of the
columns the rules read stand in for the ORM objects: building 1,000 of those cost more than the rules).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import cast

from sqlalchemy import distinct, func, select

from ..catalog.models import KINDS, Category, Product, ProductImage, ProductStatus
from ..core.messages import lazy_gettext as _l
from ..extensions import db
from ..insights import services as insights
from ..registration.checklist import DONE, applicable_items, record_state
from ..registration.models import RegistrationRecord
from ..shops.models import SOCIAL_PLATFORMS, Shop
from ..shops.services import brand_score
from .impact_period import Filters, Period, in_category

# Histogram buckets: (lowest value, label); a value falls in the last bucket whose lowest it reaches.
SCORE_BUCKETS = ((0, "0–19"), (20, "20–39"), (40, "40–59"), (60, "60–79"), (80, "80–100"))
CHECKLIST_BUCKETS = ((0, "0–24"), (25, "25–49"), (50, "50–74"), (75, "75–99"), (100, "100"))


def bucket_of(value: int, buckets) -> int:
    """The index of the bucket `value` falls in."""
    return max(index for index, (lowest, _label) in enumerate(buckets) if value >= lowest)


@dataclass
class Readiness:
    """How many producers (with a shop) fall in each brand-score and checklist-progress bucket."""

    producers: int
    scores: list[int]
    checklist: list[int]
    score_average: int | None
    checklist_average: int | None


# The shop columns brand_score reads: a row of them stands in for the Shop (no ORM objects to build).
BRAND_COLUMNS = (
    Shop.id,
    Shop.name,
    Shop.story,
    Shop.tagline,
    Shop.color_primary,
    Shop.color_accent,
    Shop.color_background,
    Shop.color_text,
    Shop.logo_files,
    Shop.banner,
    *(getattr(Shop, platform) for platform in SOCIAL_PLATFORMS),
)


def _shops(filters: Filters) -> list[Shop]:
    """The shops narrowed by `filters`, each as a row of BRAND_COLUMNS."""
    statement = select(*BRAND_COLUMNS)
    if filters.neighbourhood is not None:
        statement = statement.where(Shop.neighbourhood == filters.neighbourhood)
    if filters.category_id is not None:
        statement = statement.where(
            Shop.id.in_(
                select(Product.shop_id).where(
                    Product.status != ProductStatus.ARCHIVED, in_category(Product.category_id, filters.category_id)
                )
            )
        )
    return cast(list[Shop], db.session.execute(statement).all())


def _with_photos() -> dict[int, int]:
    """Per shop, its products that count for the brand score: not archived, with a photo (as
    catalog.services.listed_with_photos counts them)."""
    rows = db.session.execute(
        select(Product.shop_id, func.count(distinct(Product.id)))
        .join(ProductImage, ProductImage.product_id == Product.id)
        .where(Product.status != ProductStatus.ARCHIVED)
        .group_by(Product.shop_id)
    )
    return {shop_id: int(count) for shop_id, count in rows}


def _product_kinds() -> dict[int, dict[int, str]]:
    """Per shop, the kind of each of her products not archived ({shop: {product: kind}})."""
    top = func.coalesce(Category.parent_id, Category.id)
    kinds = dict(db.session.execute(select(Category.id, Category.kind).where(Category.parent_id.is_(None))).all())
    rows = db.session.execute(
        select(Product.shop_id, Product.id, top)
        .join(Category, Category.id == Product.category_id)
        .where(Product.status != ProductStatus.ARCHIVED)
    )
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for shop_id, product_id, top_id in rows:
        found[shop_id][product_id] = kinds[top_id]
    return found


def _done_records(on: date) -> dict[int, set[tuple[int | None, str]]]:
    """Per shop, the (product id or None, item code) of her records that count as done today."""
    rows = db.session.execute(
        select(
            RegistrationRecord.shop_id,
            RegistrationRecord.product_id,
            RegistrationRecord.item_code,
            RegistrationRecord.status,
            RegistrationRecord.expires_on,
        ).where(RegistrationRecord.status.in_(DONE))
    )
    done: dict[int, set[tuple[int | None, str]]] = defaultdict(set)
    for row in rows:  # a row of the columns record_state reads stands in for the record
        if record_state(cast(RegistrationRecord, row), on) in DONE:
            done[row.shop_id].add((row.product_id, row.item_code))
    return done


class ItemCodes:
    """The codes of the items that apply to some kinds at one level, worked out once per combination
    for one reading (not kept longer: staff may edit the requirements)."""

    def __init__(self) -> None:
        self.known: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}

    def __call__(self, kinds: tuple[str, ...], level: str) -> tuple[str, ...]:
        if (kinds, level) not in self.known:
            self.known[kinds, level] = tuple(item.code for item in applicable_items(list(kinds), level))
        return self.known[kinds, level]


def checklist_percent(
    products: dict[int, str], done: set[tuple[int | None, str]], codes: ItemCodes | None = None
) -> int:
    """Share of her checklist done, 0–100, counted as for a fair application (bazaar's readiness):
    the shop-level items for the kinds she sells (every kind before her first product) and each
    product's own items, verified or waived. 100 when nothing applies."""
    codes = codes or ItemCodes()
    kinds = tuple(kind for kind in KINDS if kind in set(products.values())) or KINDS
    shop_codes = codes(kinds, "shop")
    total, finished = len(shop_codes), sum(1 for code in shop_codes if (None, code) in done)
    for product_id, kind in products.items():
        own = codes((kind,), "product")
        total += len(own)
        finished += sum(1 for code in own if (product_id, code) in done)
    return 100 if not total else round(100 * finished / total)


def producer_readiness(filters: Filters, on: date) -> dict[int, tuple[int, int]]:
    """Per shop (every producer with a shop, narrowed by `filters`): her brand score and checklist
    percent today, fed in bulk to the same rules her own dashboard uses."""
    shops = _shops(filters)
    photos, kinds, done, codes = _with_photos(), _product_kinds(), _done_records(on), ItemCodes()
    return {
        shop.id: (
            brand_score(shop, photos.get(shop.id, 0))[0],
            checklist_percent(kinds.get(shop.id, {}), done.get(shop.id, set()), codes),
        )
        for shop in shops
    }


def readiness(filters: Filters, on: date) -> Readiness:
    """Brand score and checklist progress of every producer with a shop (the period does not apply:
    it is where they stand today), as histograms."""
    values = list(producer_readiness(filters, on).values())
    scores = Counter(bucket_of(score, SCORE_BUCKETS) for score, _percent in values)
    progress = Counter(bucket_of(percent, CHECKLIST_BUCKETS) for _score, percent in values)
    count = len(values)
    return Readiness(
        producers=count,
        scores=[scores[index] for index in range(len(SCORE_BUCKETS))],
        checklist=[progress[index] for index in range(len(CHECKLIST_BUCKETS))],
        score_average=round(sum(score for score, _ in values) / count) if count else None,
        checklist_average=round(sum(percent for _, percent in values) / count) if count else None,
    )


# ---------------------------------------------------------------- unmet demand


DEMAND_LIMIT = 20
DEMAND_NOTE = _l(
    "Searches that, at least half the times they were made, found nothing or only one or two products. "
    "Only searches several different people made are shown."
)


def unmet_demand(the_period: Period, filters: Filters, limit: int = DEMAND_LIMIT) -> list[insights.Demand]:
    """What buyers searched for in the period and did not find (insights' roll-ups and rules); with
    a category, only searches made inside it or one of its sub-categories."""
    scope = None
    if filters.category_id is not None:
        children = db.session.scalars(select(Category.id).where(Category.parent_id == filters.category_id))
        scope = insights.Scope(category_ids={filters.category_id, *children})
    return insights.unmet_between(the_period.first, the_period.last, scope, limit)
