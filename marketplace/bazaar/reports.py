"""Reports: what one fair came to, and each producer's income across fairs.

Every number is counted or summed by the database (GROUP BY); Python only joins up the few
aggregated rows and works out the booth fee. How they are shown (the `Table`s that give the page,
its charts and the CSV export from one definition) is in `report_tables.py`.

What counts:
- applications: every application to the fair except withdrawn ones; "accepted" is the status now.
- attendance: accepted producers, and those of them checked in at the door (`checked_in_at`).
- online orders during the fair: orders of the accepted shops created between the fair's start and
  end, placed for real (not cancelled, refunded or still waiting for a card payment), by total;
  those with a `FairOrder` row were for pickup at the booth.
- in-person sales: the producers' recorded `InPersonSale` rows.
- booth fee: the fair's fixed fee, or its share of the recorded in-person sales (rounded down to
  a whole toman) when the fee is taken from sales.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, case, func, select

from ..catalog.models import Category
from ..core.dates import utcnow
from ..core.messages import lazy_gettext as _l
from ..core.money import RIAL_PER_TOMAN
from ..core.persian import normalize_text
from ..extensions import db
from ..orders.models import Order, OrderStatus
from ..shops.models import Shop
from .models import (
    PUBLIC_FAIR_STATUSES,
    Application,
    ApplicationStatus,
    BazaarEvent,
    Booth,
    FairOrder,
    FeeMode,
    InPersonSale,
)

# Orders that stand: placed and not undone (a card checkout still waiting for its payment is not
# an order yet; it becomes one or is cancelled).
COUNTED_ORDER_STATUSES = (
    OrderStatus.AWAITING_CONFIRMATION,
    OrderStatus.PAID,
    OrderStatus.ACCEPTED,
    OrderStatus.SHIPPED,
    OrderStatus.DELIVERED,
)
_ACCEPTED = ApplicationStatus.ACCEPTED

# ---------------------------------------------------------------- shares and fees


def percent(part: int, whole: int) -> int | None:
    """`part` as a whole percentage of `whole` (rounded), None when `whole` is 0."""
    return round(100 * part / whole) if whole else None


def booth_fee_due(fee_mode: str, booth_fee_rial: int, fee_percent: int, in_person_rial: int) -> int:
    """The booth fee a producer owes for one fair: the fixed fee, or `fee_percent` of her recorded
    in-person sales rounded down to a whole toman when the fee is taken from sales."""
    if fee_mode == FeeMode.FROM_SALES:
        share = in_person_rial * fee_percent // 100
        return share - share % RIAL_PER_TOMAN
    return booth_fee_rial


# ---------------------------------------------------------------- the queries


def _online_per_application(*conditions) -> Select:
    """Per accepted application: her shop's standing orders created while that fair ran (count,
    total) and those of them for pickup at the booth (count, total)."""
    pickup = FairOrder.order_id.is_not(None)
    return (
        select(
            Application.id.label("application_id"),
            func.count(Order.id).label("orders"),
            func.coalesce(func.sum(Order.total_rial), 0).label("amount"),
            func.count(FairOrder.order_id).label("pickup_orders"),
            func.coalesce(func.sum(case((pickup, Order.total_rial), else_=0)), 0).label("pickup_amount"),
        )
        .join(BazaarEvent, BazaarEvent.id == Application.fair_id)
        .join(
            Order,
            and_(
                Order.shop_id == Application.shop_id,
                Order.created_at >= BazaarEvent.starts_at,
                Order.created_at < BazaarEvent.ends_at,
                Order.status.in_(COUNTED_ORDER_STATUSES),
            ),
        )
        .outerjoin(FairOrder, and_(FairOrder.order_id == Order.id, FairOrder.fair_id == Application.fair_id))
        .where(Application.status == _ACCEPTED, *conditions)
        .group_by(Application.id)
    )


def _sales_per_application(*conditions) -> Select:
    """Per application: the sum of her recorded in-person sales and items."""
    return (
        select(
            InPersonSale.application_id.label("application_id"),
            func.sum(InPersonSale.amount_rial).label("amount"),
            func.sum(InPersonSale.item_count).label("item_count"),
        )
        .join(Application, Application.id == InPersonSale.application_id)
        .join(BazaarEvent, BazaarEvent.id == Application.fair_id)
        .where(*conditions)
        .group_by(InPersonSale.application_id)
    )


@dataclass
class ProducerLine:
    """One accepted producer at one fair: what she sold online while it ran and at her booth, and
    the booth fee she owes."""

    application_id: int
    fair_id: int
    fair_title: str
    fair_starts_at: datetime | None
    shop_id: int
    shop_name: str
    booth_code: str
    checked_in: bool
    online_orders: int
    online_rial: int
    pickup_orders: int
    pickup_rial: int
    in_person_rial: int
    in_person_items: int
    fee_rial: int

    @property
    def total_rial(self) -> int:
        """Online during the fair and in person together."""
        return self.online_rial + self.in_person_rial

    @property
    def net_rial(self) -> int:
        """What is left to her after the booth fee (negative when the fee is more than she sold)."""
        return self.total_rial - self.fee_rial


def producer_lines(*conditions, order_by=None) -> list[ProducerLine]:
    """Accepted applications matching `conditions`, each with its online and in-person sums."""
    online = _online_per_application(*conditions).subquery()
    sales = _sales_per_application(Application.status == _ACCEPTED, *conditions).subquery()
    statement = (
        select(
            Application.id,
            Application.fair_id,
            BazaarEvent.title,
            BazaarEvent.starts_at,
            BazaarEvent.fee_mode,
            BazaarEvent.booth_fee_rial,
            BazaarEvent.fee_percent,
            Application.shop_id,
            Shop.name,
            Booth.code,
            Application.checked_in_at.is_not(None),
            func.coalesce(online.c.orders, 0),
            func.coalesce(online.c.amount, 0),
            func.coalesce(online.c.pickup_orders, 0),
            func.coalesce(online.c.pickup_amount, 0),
            func.coalesce(sales.c.amount, 0),
            func.coalesce(sales.c.item_count, 0),
        )
        .join(BazaarEvent, BazaarEvent.id == Application.fair_id)
        .join(Shop, Shop.id == Application.shop_id)
        .outerjoin(Booth, Booth.id == Application.booth_id)
        .outerjoin(online, online.c.application_id == Application.id)
        .outerjoin(sales, sales.c.application_id == Application.id)
        .where(Application.status == _ACCEPTED, *conditions)
        .order_by(*(order_by if order_by is not None else (Booth.code, Shop.name, Application.id)))
    )
    lines = []
    for row in db.session.execute(statement):
        (app_id, fair_id, title, starts_at, fee_mode, fee_rial, fee_percent, shop_id, shop_name, booth) = row[:10]
        checked_in, orders, online_rial, pickups, pickup_rial, in_person, items = row[10:]
        lines.append(
            ProducerLine(
                application_id=app_id,
                fair_id=fair_id,
                fair_title=title,
                fair_starts_at=starts_at,
                shop_id=shop_id,
                shop_name=shop_name,
                booth_code=booth or "",
                checked_in=bool(checked_in),
                online_orders=int(orders),
                online_rial=int(online_rial),
                pickup_orders=int(pickups),
                pickup_rial=int(pickup_rial),
                in_person_rial=int(in_person),
                in_person_items=int(items),
                fee_rial=booth_fee_due(fee_mode, fee_rial, fee_percent, int(in_person)),
            )
        )
    return lines


def sum_lines(lines: list[ProducerLine]) -> ProducerLine:
    """A total row over producer lines (each already aggregated by the database)."""
    return ProducerLine(
        application_id=0,
        fair_id=0,
        fair_title="",
        fair_starts_at=None,
        shop_id=0,
        shop_name="",
        booth_code="",
        checked_in=False,
        online_orders=sum(line.online_orders for line in lines),
        online_rial=sum(line.online_rial for line in lines),
        pickup_orders=sum(line.pickup_orders for line in lines),
        pickup_rial=sum(line.pickup_rial for line in lines),
        in_person_rial=sum(line.in_person_rial for line in lines),
        in_person_items=sum(line.in_person_items for line in lines),
        fee_rial=sum(line.fee_rial for line in lines),
    )


# ---------------------------------------------------------------- one fair


@dataclass
class Tally:
    """Applications and acceptances in one group (a category, first-timers or not)."""

    key: str
    label: object
    applied: int
    accepted: int

    @property
    def rate(self) -> int | None:
        """Acceptance rate, whole percent (None when nobody applied)."""
        return percent(self.accepted, self.applied)


@dataclass
class FairReport:
    """Everything the fair's report shows."""

    fair: BazaarEvent
    statuses: dict[str, int]
    categories: list[Tally]
    first_timers: list[Tally]
    checked_in: int
    online_orders: int
    online_rial: int
    pickup_orders: int
    pickup_rial: int
    in_person_rial: int
    in_person_items: int
    producers: list[ProducerLine]
    totals: ProducerLine

    @property
    def applied(self) -> int:
        """Applications that stand (every status but withdrawn)."""
        return sum(count for status, count in self.statuses.items() if status != ApplicationStatus.WITHDRAWN)

    @property
    def accepted(self) -> int:
        return self.statuses.get(_ACCEPTED, 0)

    @property
    def attendance_rate(self) -> int | None:
        return percent(self.checked_in, self.accepted)


_accepted_count = func.coalesce(func.sum(case((Application.status == _ACCEPTED, 1), else_=0)), 0)
_standing = Application.status != ApplicationStatus.WITHDRAWN


def fair_report(fair: BazaarEvent, locale: str = "fa") -> FairReport:
    """The fair's report: applications by top category and by first-timer, attendance, online
    orders during the fair, recorded in-person sales and totals per producer."""
    in_fair = Application.fair_id == fair.id
    statuses = {
        status: count
        for status, count in db.session.execute(
            select(Application.status, func.count(Application.id)).where(in_fair).group_by(Application.status)
        )
    }
    category_rows = db.session.execute(
        select(
            Category.id,
            Category.name_fa,
            Category.name_en,
            func.count(Application.id),
            _accepted_count,
        )
        .select_from(Application)
        .outerjoin(Category, Category.id == Application.category_id)
        .where(in_fair, _standing)
        .group_by(Category.id, Category.name_fa, Category.name_en, Category.position)
        .order_by(func.count(Application.id).desc(), Category.position)
    )
    categories = [
        Tally(
            key=str(category_id or "none"),
            label=(name_en if locale == "en" else name_fa) if category_id else _l("No category"),
            applied=int(applied),
            accepted=int(accepted),
        )
        for category_id, name_fa, name_en, applied, accepted in category_rows
    ]
    newcomer_rows = dict(
        (bool(first), (int(applied), int(accepted)))
        for first, applied, accepted in db.session.execute(
            select(Application.first_timer, func.count(Application.id), _accepted_count)
            .where(in_fair, _standing)
            .group_by(Application.first_timer)
        )
    )
    first_timers = [
        Tally("first", _l("First time at a fair"), *newcomer_rows.get(True, (0, 0))),
        Tally("returning", _l("Came before"), *newcomer_rows.get(False, (0, 0))),
    ]
    checked_in = db.session.scalar(
        select(func.count(Application.id)).where(
            in_fair, Application.status == _ACCEPTED, Application.checked_in_at.is_not(None)
        )
    )
    producers = producer_lines(Application.fair_id == fair.id)
    per_application = _online_per_application(in_fair).subquery()
    online = db.session.execute(
        select(
            func.coalesce(func.sum(per_application.c.orders), 0),
            func.coalesce(func.sum(per_application.c.amount), 0),
            func.coalesce(func.sum(per_application.c.pickup_orders), 0),
            func.coalesce(func.sum(per_application.c.pickup_amount), 0),
        ).select_from(per_application)
    ).one()
    sales = db.session.execute(
        select(
            func.coalesce(func.sum(InPersonSale.amount_rial), 0), func.coalesce(func.sum(InPersonSale.item_count), 0)
        )
        .join(Application, Application.id == InPersonSale.application_id)
        .where(in_fair)
    ).one()
    return FairReport(
        fair=fair,
        statuses=statuses,
        categories=categories,
        first_timers=first_timers,
        checked_in=int(checked_in or 0),
        online_orders=int(online[0]),
        online_rial=int(online[1]),
        pickup_orders=int(online[2]),
        pickup_rial=int(online[3]),
        in_person_rial=int(sales[0]),
        in_person_items=int(sales[1]),
        producers=producers,
        totals=sum_lines(producers),
    )


# ---------------------------------------------------------------- income across fairs


@dataclass
class ShopLedger:
    """One producer's fairs, each with her income there, and her total."""

    shop_id: int
    shop_name: str
    lines: list[ProducerLine]
    total: ProducerLine


@dataclass
class Ledger:
    """Income per producer across fairs (one shop, or every shop a staff search matches)."""

    shops: list[ShopLedger]
    total: ProducerLine

    @property
    def lines(self) -> list[ProducerLine]:
        return [line for shop in self.shops for line in shop.lines]


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def income_ledger(*, shop_id: int | None = None, name: str = "", now: datetime | None = None) -> Ledger:
    """For each shop (only `shop_id` when given; shops whose name contains `name` otherwise), each
    fair she was accepted at that has started: online during the fair and in person, the booth fee
    and what is left. Fairs not yet started are left out (nothing to count, and a decision is not
    public before the fair is published)."""
    now = now or utcnow()
    conditions = [BazaarEvent.status.in_(PUBLIC_FAIR_STATUSES), BazaarEvent.starts_at <= now]
    if shop_id is not None:
        conditions.append(Application.shop_id == shop_id)
    name = normalize_text(name)
    if name:
        conditions.append(Application.shop_id.in_(select(Shop.id).where(Shop.name.ilike(_like(name), escape="\\"))))
    lines = producer_lines(
        *conditions, order_by=(Shop.name, Application.shop_id, BazaarEvent.starts_at.desc(), Application.id)
    )
    shops: dict[int, ShopLedger] = {}
    for line in lines:
        if line.shop_id not in shops:
            shops[line.shop_id] = ShopLedger(line.shop_id, line.shop_name, [], sum_lines([]))
        shops[line.shop_id].lines.append(line)
    for shop in shops.values():
        shop.total = sum_lines(shop.lines)
    return Ledger(list(shops.values()), sum_lines(lines))
