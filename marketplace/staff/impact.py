"""The centre's impact dashboard (/staff/impact): the period and filters, the producer funnel and
income per month. Readiness and unmet demand are in impact_readiness.py, the page's tables in
impact_tables.py.

Every number is counted by the database (GROUP BY over orders, fair sales, shops and products);
Python only maps the few grouped rows to months, shops and categories. Months are Jalali months in
Tehran time: the period is cut at the UTC instants where each Jalali month starts in Tehran and the
database puts each row in its month with one CASE (`month_bucket`).

What counts as a sale (said on the page too):
- an online order that went ahead: paid, accepted, shipped or delivered (orders.popularity's
  SOLD_STATUSES: not waiting for a payment or the producer's confirmation, not cancelled, not
  refunded), in the month it was placed, for the value of its goods (delivery fees left out, before
  the centre's commission);
- a sale recorded at a fair booth (bazaar's InPersonSale), in the month it was recorded.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import jdatetime
from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select

from ..accounts.models import User, UserRole
from ..bazaar.models import Application, InPersonSale
from ..bazaar.reports import percent
from ..catalog.models import Category, Product
from ..core.dates import TEHRAN
from ..core.messages import lazy_gettext as _l
from ..core.numerals import fa_digits
from ..extensions import db
from ..orders.models import Order, OrderItem
from ..orders.popularity import SOLD_STATUSES
from ..shops.models import Shop

MAX_MONTHS = 36  # a longer period makes tables nobody can read (and a CASE of that many branches)
JALALI_MONTHS_EN = (
    _l("Farvardin"),
    _l("Ordibehesht"),
    _l("Khordad"),
    _l("Tir"),
    _l("Mordad"),
    _l("Shahrivar"),
    _l("Mehr"),
    _l("Aban"),
    _l("Azar"),
    _l("Dey"),
    _l("Bahman"),
    _l("Esfand"),
)

# ---------------------------------------------------------------- the period


def tehran_midnight(day: date) -> datetime:
    """The UTC instant a Tehran calendar day starts."""
    return datetime.combine(day, time(), TEHRAN).astimezone(UTC)


@dataclass(frozen=True)
class Month:
    """One Jalali month of the period (the first and last may be cut by the period's ends), with
    the UTC instants it starts and ends (end excluded)."""

    year: int
    month: int
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        """«بهمن ۱۴۰۴» (Bahman 1404 in English)."""
        return fa_digits(f"{JALALI_MONTHS_EN[self.month - 1]} {self.year}")


@dataclass(frozen=True)
class Period:
    """Tehran calendar days first..last (both included) and the Jalali months they touch."""

    first: date
    last: date
    months: tuple[Month, ...]

    @property
    def start(self) -> datetime:
        return self.months[0].start

    @property
    def end(self) -> datetime:
        return self.months[-1].end


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def jalali_months(first: date, last: date) -> list[tuple[int, int]]:
    """The (year, month) of every Jalali month from the one holding `first` to the one holding `last`."""
    at = jdatetime.date.fromgregorian(date=first)
    stop = jdatetime.date.fromgregorian(date=last)
    months, year, month = [], at.year, at.month
    while (year, month) <= (stop.year, stop.month):
        months.append((year, month))
        year, month = _next_month(year, month)
    return months


def period(first: date, last: date) -> Period:
    """The period of Tehran days first..last cut into Jalali months."""
    months = []
    for year, month in jalali_months(first, last):
        starts = max(first, jdatetime.date(year, month, 1).togregorian())
        following = jdatetime.date(*_next_month(year, month), 1).togregorian()
        ends = min(last + timedelta(days=1), following)
        months.append(Month(year, month, tehran_midnight(starts), tehran_midnight(ends)))
    return Period(first, last, tuple(months))


def default_period(today: date) -> Period:
    """The last twelve Jalali months: from the first day of the month eleven months ago to today."""
    at = jdatetime.date.fromgregorian(date=today)
    year, month = at.year, at.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    return period(jdatetime.date(year, month, 1).togregorian(), today)


def period_problem(first: date, last: date):
    """Why first..last cannot be shown (a lazy message), or None."""
    if first > last:
        return _l("The first day must come before the last day.")
    if len(jalali_months(first, last)) > MAX_MONTHS:
        return _l("Choose at most %(num)s months.", num=MAX_MONTHS)
    return None


def month_bucket(column, months: tuple[Month, ...]) -> ColumnElement:
    """The index of the month of `column` (rows already inside the period), as one SQL CASE."""
    return case(*[(column < month.end, index) for index, month in enumerate(months)], else_=len(months) - 1)


@dataclass(frozen=True)
class Filters:
    """What the dashboard is narrowed to: a top category's id and a neighbourhood (None: all)."""

    category_id: int | None = None
    neighbourhood: str | None = None


def in_category(category_column, category_id: int) -> ColumnElement:
    """`category_column` is the top category or one of its sub-categories."""
    return category_column.in_(
        select(Category.id).where(or_(Category.id == category_id, Category.parent_id == category_id))
    )


def shops_in(neighbourhood: str):
    """The ids of the shops in a neighbourhood (a subquery)."""
    return select(Shop.id).where(Shop.neighbourhood == neighbourhood)


def top_categories(locale: str) -> list[tuple[int, str]]:
    """(id, name) of the top categories, in their order."""
    rows = db.session.execute(
        select(Category.id, Category.name_fa, Category.name_en)
        .where(Category.parent_id.is_(None))
        .order_by(Category.position, Category.id)
    )
    return [(category_id, name_en if locale == "en" else name_fa) for category_id, name_fa, name_en in rows]


def neighbourhoods() -> list[str]:
    """The neighbourhoods shops are in, alphabetically."""
    return list(
        db.session.scalars(
            select(Shop.neighbourhood).where(Shop.neighbourhood != "").distinct().order_by(Shop.neighbourhood)
        )
    )


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
