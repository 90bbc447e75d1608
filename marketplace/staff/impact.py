"""The centre's impact dashboard (/staff/impact): sales per shop and month, the producer funnel and
income per month. The period and filters are in impact_period.py, readiness and unmet demand in
impact_readiness.py, the page's tables in impact_tables.py.

Every number is counted by the database (GROUP BY over orders, fair sales, shops and products);
Python only maps the few grouped rows to months, shops and categories. Months are Jalali months in
Tehran time: the database puts each row in its month with one CASE (impact_period.month_bucket).

What counts as a sale (said on the page too):
- an online order that went ahead: paid, accepted, shipped or delivered (orders.popularity's
  SOLD_STATUSES: not waiting for a payment or the producer's confirmation, not cancelled, not
  refunded), in the month it was placed, for the value of its goods (delivery fees left out, before
  the centre's commission);
- a sale recorded at a fair booth (bazaar's InPersonSale), in the month it was recorded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, distinct, func, select

from ..accounts.models import User, UserRole
from ..bazaar.models import Application, InPersonSale
from ..bazaar.reports import percent
from ..catalog.models import Category, Product
from ..core.messages import lazy_gettext as _l
from ..extensions import db
from ..orders.models import Order, OrderItem
from ..orders.popularity import SOLD_STATUSES
from ..shops.models import Shop
from .impact_period import Filters, Month, Period, in_category, month_bucket, shops_in, top_categories

# ---------------------------------------------------------------- sales per shop and month


@dataclass
class Sums:
    """Income of one producer, neighbourhood, category or of everyone, per month of the period (rial)."""

    online: list[int]
    fair: list[int]
    orders: list[int]

    @classmethod
    def empty(cls, months: int) -> "Sums":
        return cls([0] * months, [0] * months, [0] * months)

    @property
    def per_month(self) -> list[int]:
        """Online and fair sales together, per month."""
        return [online + fair for online, fair in zip(self.online, self.fair, strict=True)]

    @property
    def total(self) -> int:
        return sum(self.online) + sum(self.fair)

    def sold_in(self, month: int) -> bool:
        """Whether an order went ahead or a fair sale was recorded in that month."""
        return bool(self.orders[month] or self.fair[month])

    @property
    def months_sold(self) -> int:
        """In how many months of the period she sold something."""
        return sum(1 for month in range(len(self.orders)) if self.sold_in(month))

    def add(self, other: "Sums") -> None:
        """Add another's months to these."""
        self.online = [mine + theirs for mine, theirs in zip(self.online, other.online, strict=True)]
        self.fair = [mine + theirs for mine, theirs in zip(self.fair, other.fair, strict=True)]
        self.orders = [mine + theirs for mine, theirs in zip(self.orders, other.orders, strict=True)]


@dataclass
class ShopSales:
    """Per shop, her sales in each month of the period; and the fair sales per top category (the
    fair application's), which the category table needs."""

    by_shop: dict[int, Sums]
    fair_by_category: dict[int | None, list[int]]


_top_category = func.coalesce(Category.parent_id, Category.id)


def _order_conditions(the_period: Period, filters: Filters) -> list:
    conditions = [
        Order.status.in_(SOLD_STATUSES),
        Order.created_at >= the_period.start,
        Order.created_at < the_period.end,
    ]
    if filters.neighbourhood is not None:
        conditions.append(Order.shop_id.in_(shops_in(filters.neighbourhood)))
    return conditions


def _online_by_shop(the_period: Period, filters: Filters):
    """(shop id, month, orders, goods value) of the orders that went ahead."""
    bucket = month_bucket(Order.created_at, the_period.months)
    conditions = _order_conditions(the_period, filters)
    if filters.category_id is None:  # the order's own goods total: no need to read its lines
        statement = select(Order.shop_id, bucket, func.count(Order.id), func.sum(Order.items_rial)).where(*conditions)
    else:  # only the lines of products in the category
        line = OrderItem.unit_price_rial * OrderItem.quantity
        statement = (
            select(Order.shop_id, bucket, func.count(distinct(Order.id)), func.sum(line))
            .join(OrderItem, OrderItem.order_id == Order.id)
            .join(Product, Product.id == OrderItem.product_id)
            .where(*conditions, in_category(Product.category_id, filters.category_id))
        )
    return db.session.execute(statement.group_by(Order.shop_id, bucket))


def _fair_sales(the_period: Period, filters: Filters):
    """(shop id, top category id of the application, month, amount) of the sales recorded at fairs."""
    bucket = month_bucket(InPersonSale.recorded_at, the_period.months)
    statement = (
        select(Application.shop_id, _top_category, bucket, func.sum(InPersonSale.amount_rial))
        .select_from(InPersonSale)
        .join(Application, Application.id == InPersonSale.application_id)
        .outerjoin(Category, Category.id == Application.category_id)
        .where(InPersonSale.recorded_at >= the_period.start, InPersonSale.recorded_at < the_period.end)
    )
    if filters.neighbourhood is not None:
        statement = statement.where(Application.shop_id.in_(shops_in(filters.neighbourhood)))
    if filters.category_id is not None:
        statement = statement.where(in_category(Application.category_id, filters.category_id))
    return db.session.execute(statement.group_by(Application.shop_id, _top_category, bucket))


def shop_sales(the_period: Period, filters: Filters) -> ShopSales:
    """Per shop and month of the period: her orders that went ahead (how many, their goods value)
    and her sales recorded at fairs. With a category, only that category's order lines and the
    fair sales of applications in it. Two grouped queries; the funnel and the income tables both
    read the result."""
    count = len(the_period.months)
    by_shop: dict[int, Sums] = defaultdict(lambda: Sums.empty(count))
    fair_by_category: dict[int | None, list[int]] = defaultdict(lambda: [0] * count)
    for shop_id, month, orders, amount in _online_by_shop(the_period, filters):
        by_shop[shop_id].online[month] += int(amount or 0)
        by_shop[shop_id].orders[month] += int(orders)
    for shop_id, category_id, month, amount in _fair_sales(the_period, filters):
        by_shop[shop_id].fair[month] += int(amount)
        fair_by_category[category_id][month] += int(amount)
    return ShopSales(dict(by_shop), dict(fair_by_category))


# ---------------------------------------------------------------- the producer funnel


FUNNEL_STEPS = (
    ("signed_up", _l("Signed up")),
    ("approved", _l("Shop approved")),
    ("published", _l("Product published")),
    ("first_sale", _l("First sale")),
    ("three_months", _l("Sold in 3 months")),
)


@dataclass
class Funnel:
    """How many of the producers who signed up in the period reached each step by its end."""

    counts: dict[str, int]

    def steps(self) -> list[tuple[str, object, int, int | None]]:
        """(key, label, producers, % of the previous step) for each step."""
        rows: list[tuple[str, object, int, int | None]] = []
        previous: int | None = None
        for key, label in FUNNEL_STEPS:
            count = self.counts.get(key, 0)
            rows.append((key, label, count, None if previous is None else percent(count, previous)))
            previous = count
        return rows


def first_producer_signup() -> date | None:
    """The day (UTC) the first producer account was created: where the default period starts."""
    first = db.session.scalar(
        select(func.min(User.created_at)).where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == "producer"))
        )
    )
    return first.date() if first is not None else None


def funnel(the_period: Period, filters: Filters, sales: ShopSales) -> Funnel:
    """The producer funnel of those who signed up in the period (a producer account created then),
    each step counting who also reached every step before it by the period's end: shop approved,
    a product published, a first sale, sales in three different months. `sales` is shop_sales()
    for the period without a category (whatever they sell counts): a producer who signed up in the
    period sold only within it. With a neighbourhood, only producers whose shop is there."""
    start, end = the_period.start, the_period.end
    published = (
        select(Product.id)
        .where(Product.shop_id == Shop.id, Product.published_at.is_not(None), Product.published_at < end)
        .exists()
    )
    statement = (
        select(Shop.id, and_(Shop.approved_at.is_not(None), Shop.approved_at < end), published)
        .select_from(User)
        .outerjoin(Shop, Shop.owner_id == User.id)
        .where(
            User.created_at >= start,
            User.created_at < end,
            User.id.in_(select(UserRole.user_id).where(UserRole.role == "producer")),
        )
    )
    if filters.neighbourhood is not None:
        statement = statement.where(Shop.neighbourhood == filters.neighbourhood)
    counts = dict.fromkeys((key for key, _label in FUNNEL_STEPS), 0)
    for shop_id, approved, listed in db.session.execute(statement):
        counts["signed_up"] += 1
        if not (shop_id and approved):
            continue
        counts["approved"] += 1
        if not listed:
            continue
        counts["published"] += 1
        months = sales.by_shop[shop_id].months_sold if shop_id in sales.by_shop else 0
        counts["first_sale"] += months >= 1
        counts["three_months"] += months >= 3
    return Funnel(counts)


# ---------------------------------------------------------------- income per month


@dataclass
class ShopInfo:
    name: str
    neighbourhood: str


@dataclass
class Income:
    """The period's income: per shop, per neighbourhood, per top category and in all, each per month;
    and how many producers sold in each month."""

    months: tuple[Month, ...]
    shops: dict[int, ShopInfo]
    by_shop: dict[int, Sums]
    by_category: dict[int | None, Sums]
    category_names: dict[int, str]
    all: Sums
    sellers: list[int] = field(default_factory=list)

    def by_neighbourhood(self) -> dict[str, Sums]:
        """The shops' sums added up per neighbourhood (over the grouped rows, never over orders)."""
        totals: dict[str, Sums] = {}
        for shop_id, sums in self.by_shop.items():
            place = self.shops[shop_id].neighbourhood if shop_id in self.shops else ""
            totals.setdefault(place, Sums.empty(len(self.months))).add(sums)
        return totals


def _online_by_category(the_period: Period, filters: Filters):
    """(category id or None, month, goods value) of the order lines that went ahead, by the
    product's own category (the caller adds sub-categories up into their top category)."""
    bucket = month_bucket(Order.created_at, the_period.months)
    line = OrderItem.unit_price_rial * OrderItem.quantity
    statement = (
        select(Product.category_id, bucket, func.sum(line))
        .select_from(OrderItem)
        .join(Order, Order.id == OrderItem.order_id)
        .outerjoin(Product, Product.id == OrderItem.product_id)
        .where(*_order_conditions(the_period, filters))
    )
    if filters.category_id is not None:
        statement = statement.where(in_category(Product.category_id, filters.category_id))
    return db.session.execute(statement.group_by(Product.category_id, bucket))


def income(the_period: Period, filters: Filters, sales: ShopSales, locale: str = "fa") -> Income:
    """Online orders that went ahead and sales recorded at fairs (`sales`: shop_sales() for the
    same period and filters), per shop, neighbourhood and top category, per Jalali month."""
    count = len(the_period.months)
    everyone = Sums.empty(count)
    for sums in sales.by_shop.values():
        everyone.add(sums)
    tops = dict(db.session.execute(select(Category.id, _top_category)).all())
    by_category: dict[int | None, Sums] = defaultdict(lambda: Sums.empty(count))
    for category_id, month, amount in _online_by_category(the_period, filters):
        by_category[tops.get(category_id)].online[month] += int(amount or 0)
    for category_id, amounts in sales.fair_by_category.items():
        for month, amount in enumerate(amounts):
            by_category[category_id].fair[month] += amount
    shops = {
        shop_id: ShopInfo(name, neighbourhood)
        for shop_id, name, neighbourhood in db.session.execute(
            select(Shop.id, Shop.name, Shop.neighbourhood).where(Shop.id.in_(list(sales.by_shop)))
        )
    }
    return Income(
        months=the_period.months,
        shops=shops,
        by_shop=sales.by_shop,
        by_category=dict(by_category),
        category_names=dict(top_categories(locale)),
        all=everyone,
        sellers=[sum(1 for sums in sales.by_shop.values() if sums.sold_in(month)) for month in range(count)],
    )
