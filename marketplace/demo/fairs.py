"""Demo fairs: one past fair with its whole story (applications, jury scores, decisions, booths,
check-ins, sales at the booths and pickup orders during the fair) and one upcoming fair taking
applications, all made through the bazaar's real services at the moments they would have
happened. Idempotent: skipped when any fair exists."""

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..bazaar import applications, booths, fairday, jury, planning
from ..bazaar import services as fairs
from ..bazaar.models import Application, BazaarEvent
from ..catalog.models import Product, ProductStatus
from ..core.dates import TEHRAN, as_utc, utcnow
from ..core.errors import RuleError
from ..core.phone import normalize_iranian_mobile
from ..extensions import db
from ..orders import cart as carts
from ..orders import checkout
from ..shops.models import Shop, ShopStatus
from . import data

SECOND_JUROR = ("09153000002", "داور مهمان بازارچه")
PAST = planning.FairData(
    title="بازارچه پاییزه گلشهر",
    description="دست‌ساخته‌ها و خوراکی‌های خانگی بانوان گلشهر، التیمور و سیدی؛ سه روز در حیاط مرکز.",
    venue_name="مرکز توانمندسازی رویش",
    venue_address="مشهد، گلشهر، بلوار شهید مطهری، کوچه ۱۲",
    map_url="https://www.openstreetmap.org/?mlat=36.3186&mlon=59.6588#map=17/36.3186/59.6588",
    booth_fee_rial=0,
    selection_criteria="کیفیت کار، بسته‌بندی و برچسب، آمادگی پروانه‌ها، و اولویت با تازه‌واردها.",
    places=6,
    first_timer_percent=30,
    food_requires_verified=False,
)
UPCOMING = planning.FairData(
    title="بازارچه نوروزی رویش",
    description="پیش از نوروز: رومیزی، گلیم، سفال، شیرینی و سبزی خشک برای سفره‌ی هفت‌سین.",
    venue_name="فرهنگسرای گلشهر",
    venue_address="مشهد، گلشهر، میدان امام رضا",
    map_url="https://www.openstreetmap.org/?mlat=36.3220&mlon=59.6610#map=17/36.3220/59.6610",
    fee_mode="from_sales",
    fee_percent=5,
    selection_criteria="کیفیت کار و بسته‌بندی؛ ۳۰ درصد جاها برای کسانی که بار اول می‌آیند.",
    places=12,
    first_timer_percent=30,
    food_requires_verified=False,
)
# (score per criterion from the two jurors, decision) for each applicant of the past fair, in order
PAST_JURY = (
    ((5, 5, 4, 5), (5, 4, 4, 5), "accept"),
    ((4, 4, 3, 4), (4, 5, 3, 4), "accept"),
    ((4, 3, 4, 4), (3, 3, 4, 4), "accept"),
    ((3, 4, 3, 4), (4, 4, 3, 3), "accept"),
    ((4, 4, 4, 3), (3, 4, 4, 4), "accept"),
    ((3, 3, 2, 3), (3, 2, 3, 3), "waitlist"),
    ((2, 3, 2, 2), (2, 2, 2, 3), "reject"),
)
COMMENTS = {
    "quality": "دوخت و پرداخت تمیز است؛ لبه‌ها را یکدست‌تر تمام کنید.",
    "presentation": "عکس‌ها روشن‌اند؛ برچسب قیمت و نام کارگاه روی بسته‌ها بگذارید.",
    "readiness": "چند مورد از فهرست پروانه‌ها مانده؛ با کارشناس مرکز تمامش کنید.",
    "fit": "برای این بازارچه مناسب است.",
}
MESSAGES = {
    "accept": "خوشحالیم که در بازارچه هستید. غرفه و کارت ورود را در صفحه‌ی درخواستتان ببینید.",
    "waitlist": "در فهرست انتظارید؛ اگر جایی خالی شود به شما پیام می‌دهیم.",
    "reject": "این بار جا نشد. نظر داوران را بخوانید؛ در بازارچه‌ی بعد منتظرتان هستیم.",
}
# in-person sales recorded for the first accepted producers (toman, items)
SALES = ((1_850_000, 9), (2_400_000, 14), (960_000, 6), (1_320_000, 7))


def fairs_exist() -> bool:
    """True once any fair is in the database (the demo load then leaves fairs alone)."""
    return bool(db.session.scalar(select(func.count(BazaarEvent.id))))


def load_fairs(app: Flask, staff: User, buyers: list[User]) -> int:
    """Make the two demo fairs; returns how many were made."""
    if fairs_exist():
        return 0
    second = _second_juror()
    candidates = _shops_with_products(3)
    _past_fair(app, staff, second, candidates, buyers)
    _upcoming_fair(staff, candidates)
    db.session.flush()
    return 2


def _second_juror() -> User:
    phone = normalize_iranian_mobile(SECOND_JUROR[0])
    user = accounts.find_user_by_phone(phone)
    if user is None:
        user = accounts.create_user(phone, SECOND_JUROR[1], data.DEMO_PASSWORD, roles={"staff", "buyer"})
    return user


def _shops_with_products(at_least: int) -> list[tuple[Shop, list[Product]]]:
    """Approved demo shops with at least `at_least` published products, in demo order."""
    found = []
    for phone, *_rest in data.PRODUCERS:
        owner = accounts.find_user_by_phone(normalize_iranian_mobile(phone))
        shop = db.session.scalar(select(Shop).where(Shop.owner_id == owner.id)) if owner else None
        if shop is None or shop.status != ShopStatus.APPROVED:
            continue
        products = list(
            db.session.scalars(
                select(Product)
                .where(Product.shop_id == shop.id, Product.status == ProductStatus.PUBLISHED)
                .order_by(Product.id)
                .limit(5)
            )
        )
        if len(products) >= at_least:
            found.append((shop, products))
    return found


def _dated(
    data_: planning.FairData, *, opens_days: int, closes_days: int, starts_days: int, days: int
) -> planning.FairData:
    """The fair's dates relative to today (negative: in the past), 10:00–18:00 Tehran time."""
    today = utcnow().astimezone(TEHRAN).date()

    def at(offset: int, clock: str) -> datetime:
        return fairs.tehran_moment(today + timedelta(days=offset), clock)

    data_.applications_open_at = at(opens_days, "00:00")
    data_.applications_close_at = at(closes_days, "23:59")
    data_.starts_at = at(starts_days, "10:00")
    data_.ends_at = at(starts_days + days - 1, "18:00")
    return data_


def _apply_all(fair: BazaarEvent, candidates, count: int, now: datetime) -> list[Application]:
    made = []
    for position, (shop, products) in enumerate(candidates[:count]):
        chosen = products[:4]
        discounts = {product.id: (10 if position % 2 == 0 else None) for product in chosen[:2]}
        answer = applications.ApplicationData(
            product_ids=[product.id for product in chosen],
            discounts=discounts,
            needs_power=position == 1,
            needs_table=True,
            two_people=position == 3,
            note="با دخترم می‌آیم؛ میز کوچک کافی است." if position == 3 else "",
        )
        try:
            made.append(applications.apply(fair, shop, shop.owner, answer, now))
        except RuleError:
            continue  # a shop whose products do not qualify simply does not apply
    return made


def _past_fair(app: Flask, staff: User, second: User, candidates, buyers: list[User]) -> BazaarEvent:
    fair = planning.create_fair(_dated(PAST, opens_days=-70, closes_days=-50, starts_days=-40, days=3), staff)
    fairs.move_fair(fair, "open_applications", staff)
    applied = _apply_all(fair, candidates, len(PAST_JURY), as_utc(fair.applications_open_at) + timedelta(days=2))
    fairs.move_fair(fair, "start_jurying", staff)
    keys = jury.rubric(fair)
    for application, (first, other, decision) in zip(applied, PAST_JURY, strict=False):
        jury.score(application, staff, dict(zip(keys, first, strict=True)), COMMENTS)
        jury.score(application, second, dict(zip(keys, other, strict=True)), {})
        jury.decide(application, staff, decision, MESSAGES[decision])
    booths.add_zone(fair, "حیاط", 2, 4, "A")
    fair.booths[0].has_power = fair.booths[1].has_power = True
    fairs.move_fair(fair, "publish", staff)
    booths.assign_booths(fair)
    fairs.move_fair(fair, "go_live", staff)
    accepted = fairs.accepted_applications(fair)
    for position, application in enumerate(accepted):
        code = fairday.ensure_pass_code(application)
        if position < len(accepted) - 1:  # one producer did not come
            fairday.check_in(fair, code, staff, as_utc(fair.starts_at) + timedelta(minutes=20 + 7 * position))
    for application, (toman, items) in zip(accepted, SALES, strict=False):
        fairday.record_sale(
            application, toman * 10, items, "", application.shop.owner, as_utc(fair.ends_at) - timedelta(hours=1)
        )
    _pickup_orders(app, fair, accepted, buyers)
    fairs.move_fair(fair, "close", staff)
    return fair


def _pickup_orders(app: Flask, fair: BazaarEvent, accepted: list[Application], buyers: list[User]) -> None:
    """Two buyers ordered online during the fair and picked up at the booth, paying there."""
    for buyer, application in zip(buyers[:2], accepted[:2], strict=False):
        placed_at = as_utc(fair.starts_at) + timedelta(hours=3)
        cart = carts.open_cart(user_id=buyer.id, token=None)
        product = application.items[0].product
        variant = next((row for row in product.variants if row.stock > 0), None)
        carts.add_item(cart, product.id, variant.id if variant else None, 1, max_line=20)
        choice = checkout.CheckoutChoice({application.shop_id: "pickup_booth"}, "booth", None)
        checkout.place_order(app, buyer, cart, choice, now=placed_at)


def _upcoming_fair(staff: User, candidates) -> BazaarEvent:
    fair = planning.create_fair(_dated(UPCOMING, opens_days=-3, closes_days=10, starts_days=20, days=2), staff)
    fairs.move_fair(fair, "open_applications", staff)
    # three newcomers and one producer back from the past fair
    _apply_all(fair, [*reversed(candidates[-3:]), candidates[0]], 4, utcnow())
    return fair
