"""The online bazaar: what the fair changes for buyers of the online shop.

The bazaar answers three questions the lower modules ask through `core.events` (contracts there):
- `fair_price` (orders): a product's discounted base price while a fair that exhibits it is live;
- `booth_pickup` (orders): where a shop's orders can be picked up while it has a booth at a live fair;
- `product_fairs` (search): which public fairs exhibit these products (the products' `fairs` field).

It also answers `order_placed` (a fair order is recorded in `FairOrder`), and keeps search's `fairs`
field current: see `_collect_products` for how and why.

"Live" is always `services.is_live(fair, now)`: published or live *and* within the fair's hours, so a
discount or a booth pickup never applies outside the fair's hours even when the scheduled move to
"live" or "closed" runs late. Each answer is one query (two for a fair order)."""

import xml.etree.ElementTree as ET  # noqa: N817, S405 (builds the feed; parses nothing)
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import icalendar
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from ..core import events
from ..core.database import listen_to_sessions
from ..core.dates import TEHRAN, as_utc, format_jalali, utcnow
from ..core.money import RIAL_PER_TOMAN
from ..extensions import db
from ..orders.models import DeliveryMethod, Order
from ..shops.models import Shop
from .models import (
    PUBLIC_FAIR_STATUSES,
    RUNNING_FAIR_STATUSES,
    Application,
    ApplicationProduct,
    ApplicationStatus,
    BazaarEvent,
    Booth,
    FairDecision,
    FairOrder,
    FairStatus,
)
from .services import applications_open, is_live

PENDING = "bazaar_search_products"
# how `_at_live_fairs` reaches a value's table from the application
_JOINS_TO_APPLICATION = {
    ApplicationProduct: ApplicationProduct.application_id == Application.id,
    Booth: Application.booth_id == Booth.id,
}


def connect() -> None:
    """Connect the online bazaar's receivers and its session listeners (called once per app by
    `receivers.connect`; connecting twice changes nothing)."""
    events.fair_price.connect(fair_price, weak=False)
    events.booth_pickup.connect(booth_pickup, weak=False)
    events.product_fairs.connect(product_fairs, weak=False)
    events.order_placed.connect(record_fair_order, weak=False)
    listen_to_sessions(
        {
            "before_flush": _before_flush,
            "after_flush": _after_flush,
            "after_soft_rollback": _after_rollback,
        }
    )


# ---------------------------------------------------------------- accepted applications at live fairs


def _at_live_fairs(value, *criteria, now: datetime) -> list[tuple[BazaarEvent, Any]]:
    """`(fair, value)` for each accepted application meeting `criteria` at a fair live at `now`, the
    earliest-starting fair first. `value` is a column of the application's products
    (`ApplicationProduct`) or of its booth (`Booth`, so only applications with a booth count). One
    query; "live" is `is_live`, checked here because it depends on the fair's hours."""
    rows = db.session.execute(
        select(BazaarEvent, value)
        .join(Application, Application.fair_id == BazaarEvent.id)
        .join(value.class_, _JOINS_TO_APPLICATION[value.class_])
        .where(
            *criteria, Application.status == ApplicationStatus.ACCEPTED, BazaarEvent.status.in_(RUNNING_FAIR_STATUSES)
        )
        .order_by(BazaarEvent.starts_at, BazaarEvent.id)
    ).all()
    return [(fair, found) for fair, found in rows if is_live(fair, now)]


# ---------------------------------------------------------------- prices


def discounted_price(price_rial: int, percent: int) -> int:
    """`price_rial` less `percent` %, rounded to a whole toman (half up), in rial."""
    if percent <= 0:
        return price_rial
    hundredths_of_rial = price_rial * (100 - percent)
    per_toman = 100 * RIAL_PER_TOMAN
    return (hundredths_of_rial + per_toman // 2) // per_toman * RIAL_PER_TOMAN


def live_discount(product_id: int, now: datetime | None = None) -> tuple[BazaarEvent, int] | None:
    """The live fair exhibiting this product with the largest fair-only discount, and that discount
    (None when no fair exhibiting it with a discount is live now). One query."""
    live = _at_live_fairs(
        ApplicationProduct.discount_percent,
        ApplicationProduct.product_id == product_id,
        ApplicationProduct.discount_percent > 0,
        now=now or utcnow(),
    )
    return max(live, key=lambda pair: (pair[1], -pair[0].id)) if live else None


def fair_price(product, now: datetime | None = None, **_kwargs) -> int | None:
    """Answer `fair_price`: the product's base price less its fair-only discount while a fair that
    exhibits it (an accepted application) is live, rounded to a whole toman; None otherwise."""
    found = live_discount(product.id, now)
    return discounted_price(product.price_rial, found[1]) if found else None


def fair_discounts(fair: BazaarEvent) -> dict[int, int]:
    """Product id → fair-only discount percent of the products the fair's accepted applications bring
    (only those with a discount). One query."""
    rows = db.session.execute(
        select(ApplicationProduct.product_id, ApplicationProduct.discount_percent)
        .join(Application, ApplicationProduct.application_id == Application.id)
        .where(
            Application.fair_id == fair.id,
            Application.status == ApplicationStatus.ACCEPTED,
            ApplicationProduct.discount_percent > 0,
        )
    ).all()
    return {product_id: percent for product_id, percent in rows}


# ---------------------------------------------------------------- booth pickup


def booth_pickup(shop: Shop, now: datetime | None = None, **_kwargs) -> dict | None:
    """Answer `booth_pickup`: `{"fair_id", "fair_title", "booth_code"}` while the shop has an accepted
    application with a booth at a live fair (the earliest-starting one if several), else None."""
    live = _at_live_fairs(Booth.code, Application.shop_id == shop.id, now=now or utcnow())
    if not live:
        return None
    fair, code = live[0]
    return {"fair_id": fair.id, "fair_title": fair.title, "booth_code": code}


# ---------------------------------------------------------------- search's fair field

CHUNK = 500


def product_fairs(_sender=None, product_ids: Iterable[int] = (), **_kwargs) -> dict[int, list[int]]:
    """Answer `product_fairs`: product id → ids of the public fairs (published, live or closed) its
    shop exhibits it at with an accepted application. One query per 500 products."""
    ids = sorted(set(product_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        rows = db.session.execute(
            select(ApplicationProduct.product_id, Application.fair_id)
            .join(Application, ApplicationProduct.application_id == Application.id)
            .join(BazaarEvent, Application.fair_id == BazaarEvent.id)
            .where(
                ApplicationProduct.product_id.in_(ids[start : start + CHUNK]),
                Application.status == ApplicationStatus.ACCEPTED,
                BazaarEvent.status.in_(PUBLIC_FAIR_STATUSES),
            )
            .distinct()
        ).all()
        for product_id, fair_id in rows:
            found.setdefault(product_id, []).append(fair_id)
    return {product_id: sorted(fairs) for product_id, fairs in found.items()}


def _before_flush(session: Session, _context, _instances) -> None:
    """Collect the products whose `fairs` field this flush may change (see `_collect_products`)."""
    touched = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Application | ApplicationProduct | BazaarEvent | FairDecision)
    ]
    if touched:
        with session.no_autoflush:
            ids = _collect_products(session, touched)
        if ids:
            session.info.setdefault(PENDING, set()).update(ids)


def _collect_products(session: Session, touched: list) -> set[int]:
    """The products whose search documents change with these rows.

    Why a flush listener and not explicit calls: an application's status and products are changed by
    several modules (applications, jury, waitlist offers, booths), and a fair's status by
    `services.move_fair`'s conditional UPDATE and by the scheduled tasks. A call to remember in each
    would be forgotten in the next; these rows cannot be changed without a flush. The one write a
    flush does not see — the fair's status UPDATE — always adds a `FairDecision` row (the fair's
    decision trail), so a new decision with no application stands for "the fair moved" and one with
    an application for "this application moved". What is collected here is sent as
    `events.products_changed_in_bulk` after the flush; search answers by logging the products in the
    same transaction, and re-indexes them (their `fairs` field, asked through `product_fairs`)."""
    products: set[int] = set()
    applications: set[int] = set()
    fairs: set[int] = set()
    for obj in touched:
        if isinstance(obj, FairDecision):
            if obj in session.new:
                if obj.application_id is not None:
                    applications.add(obj.application_id)
                elif obj.fair_id is not None:
                    fairs.add(obj.fair_id)
        elif isinstance(obj, BazaarEvent):
            if obj.id is not None and (obj in session.deleted or _changed(obj, "status")):
                fairs.add(obj.id)
        elif isinstance(obj, Application):
            # its products, when new, are new ApplicationProduct rows in this flush too
            if obj.id is not None and (obj in session.deleted or _changed(obj, "status", "items")):
                applications.add(obj.id)
        elif isinstance(obj, ApplicationProduct):
            product_id = obj.product_id if obj.product_id is not None else getattr(obj.product, "id", None)
            if product_id is not None:
                products.add(product_id)
    if applications:
        products.update(
            session.scalars(
                select(ApplicationProduct.product_id).where(ApplicationProduct.application_id.in_(applications))
            )
        )
    if fairs:
        products.update(
            session.scalars(
                select(ApplicationProduct.product_id)
                .join(Application, ApplicationProduct.application_id == Application.id)
                .where(Application.fair_id.in_(fairs))
            )
        )
    return products


def _changed(obj, *names: str) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _after_flush(session: Session, _context) -> None:
    ids = session.info.pop(PENDING, None)
    if ids:
        events.products_changed_in_bulk.send(None, product_ids=set(ids))


def _after_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(PENDING, None)


# ---------------------------------------------------------------- fair orders


def record_fair_order(order: Order, **_kwargs) -> None:
    """Answer `order_placed`: an order picked up at a booth is a fair order at that booth's fair; so is
    one with an item sold at a fair price (its shop's booth code when she has one there)."""
    now = order.created_at or utcnow()
    fair_id, booth_code = None, ""
    if order.delivery_method == DeliveryMethod.PICKUP_BOOTH:
        pickup = booth_pickup(order.shop, now)
        if pickup is not None:
            fair_id, booth_code = pickup["fair_id"], pickup["booth_code"]
    else:
        fair_id = _fair_of_discounted_items(order, now)
        if fair_id is not None:
            booth_code = _booth_code(fair_id, order.shop_id)
    if fair_id is not None:
        db.session.add(FairOrder(fair_id=fair_id, order_id=order.id, booth_code=booth_code))
        db.session.flush()


def _fair_of_discounted_items(order: Order, now: datetime) -> int | None:
    """The live fair whose discount priced one of the order's items, if any (one query)."""
    ids = [item.product_id for item in order.items if item.product_id is not None]
    if not ids:
        return None
    live = _at_live_fairs(
        ApplicationProduct.discount_percent,
        ApplicationProduct.product_id.in_(ids),
        ApplicationProduct.discount_percent > 0,
        now=now,
    )
    return live[0][0].id if live else None


def _booth_code(fair_id: int, shop_id: int) -> str:
    code = db.session.scalar(
        select(Booth.code)
        .join(Application, Application.booth_id == Booth.id)
        .where(Application.fair_id == fair_id, Application.shop_id == shop_id)
    )
    return code or ""


# ---------------------------------------------------------------- the public page's reads


def participants(fair: BazaarEvent) -> list[tuple[Shop, str, int | None]]:
    """The fair's accepted shops with their booth codes ("" before booths are assigned) and the top
    category each brings, in booth order (shops without a booth last). One query."""
    rows = db.session.execute(
        select(Shop, Booth.code, Application.category_id)
        .join(Application, Application.shop_id == Shop.id)
        .outerjoin(Booth, Application.booth_id == Booth.id)
        .where(Application.fair_id == fair.id, Application.status == ApplicationStatus.ACCEPTED)
    ).all()
    found = [(shop, code or "", category_id) for shop, code, category_id in rows]
    return sorted(found, key=lambda row: (not row[1], row[1], row[0].name))


def clock_ahead_of_status(fair: BazaarEvent, now: datetime | None = None) -> bool:
    """True when the fair's hours say live or over but its stored status has not caught up yet (the
    scheduled go_live/close has not run): a page rendered now is right, but must not be kept, since
    the task's write, which renews kept pages, is still to come."""
    now = now or utcnow()
    if fair.status == FairStatus.PUBLISHED and is_live(fair, now):
        return True
    return fair.status in RUNNING_FAIR_STATUSES and now >= as_utc(fair.ends_at)


# ---------------------------------------------------------------- calendar file and feed

TEHRAN_OFFSET = timedelta(hours=3, minutes=30)


def calendar_file(fair: BazaarEvent, page_url: str, host: str, now: datetime | None = None) -> bytes:
    """The fair as an iCalendar file (RFC 5545): one VEVENT in Asia/Tehran with its VTIMEZONE. Iran has
    kept +03:30 all year since 2022 (no daylight saving), so the zone is one STANDARD rule. The UID is
    stable per fair, so calendars update the event when it is downloaded again. The icalendar package
    escapes the text values and folds lines at 75 octets."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Rooyesh Market//Bazaar//FA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    zone = icalendar.Timezone()
    zone.add("tzid", "Asia/Tehran")
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", TEHRAN_OFFSET)
    standard.add("tzoffsetto", TEHRAN_OFFSET)
    standard.add("tzname", "+0330")
    zone.add_component(standard)
    calendar.add_component(zone)
    event = icalendar.Event()
    event.add("uid", f"bazaar-fair-{fair.id}@{host}")
    event.add("dtstamp", now or utcnow())
    event.add("last-modified", as_utc(fair.updated_at))
    event.add("dtstart", as_utc(fair.starts_at).astimezone(TEHRAN))
    event.add("dtend", as_utc(fair.ends_at).astimezone(TEHRAN))
    event.add("summary", fair.title)
    location = "، ".join(part for part in (fair.venue_name, fair.venue_address) if part)
    if location:
        event.add("location", location)
    event.add("url", page_url)
    event.add("description", "\n\n".join(part for part in (fair.description, page_url) if part))
    event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(fairs: list[BazaarEvent], *, feed_url: str, page_url: str, fair_url, host: str, title: str) -> bytes:
    """An Atom feed (RFC 4287) of these fairs: each entry links to its public page and says when and
    where, in Jalali dates. `fair_url(fair)` is a fair's absolute address. Built with ElementTree, so
    the text is always escaped and the XML well-formed."""
    ET.register_namespace("", ATOM)

    def add(parent, tag: str, text: str | None = None, **attributes: str):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fa"})
    add(feed, "id", f"tag:{host},2026:bazaar")
    add(feed, "title", title)
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    updated = max((as_utc(fair.updated_at) for fair in fairs), default=datetime(2026, 1, 1, tzinfo=UTC))
    add(feed, "updated", updated.isoformat(timespec="seconds"))
    author = add(feed, "author")
    add(author, "name", title)
    for fair in fairs:
        entry = add(feed, "entry")
        add(entry, "id", f"tag:{host},2026:bazaar-fair-{fair.id}")
        add(entry, "title", fair.title)
        add(entry, "link", rel="alternate", type="text/html", href=fair_url(fair))
        add(entry, "updated", as_utc(fair.updated_at).isoformat(timespec="seconds"))
        when = f"{format_jalali(fair.starts_at)} – {format_jalali(fair.ends_at)}"
        where = "، ".join(part for part in (fair.venue_name, fair.venue_address) if part)
        add(entry, "summary", "\n".join(part for part in (when, where, fair.description) if part), type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


# ---------------------------------------------------------------- the home page's card


def home_fairs(now: datetime | None = None) -> dict:
    """For the home page, in one query over the fairs not over yet: `next` — the fair running now,
    else the soonest published one (without reading every past fair) — and
    `applying` — the fair taking applications now whose deadline comes first (for makers); `live` —
    whether `next` is running now."""
    now = now or utcnow()
    fairs = db.session.scalars(
        select(BazaarEvent)
        .where(
            BazaarEvent.status.in_((*RUNNING_FAIR_STATUSES, FairStatus.APPLICATIONS_OPEN)),
            BazaarEvent.ends_at > now,
        )
        .order_by(BazaarEvent.starts_at, BazaarEvent.id)
    ).all()
    live = [fair for fair in fairs if is_live(fair, now)]
    upcoming = [fair for fair in fairs if fair.status in RUNNING_FAIR_STATUSES and now < as_utc(fair.starts_at)]
    applying = sorted(
        (fair for fair in fairs if applications_open(fair, now)), key=lambda fair: as_utc(fair.applications_close_at)
    )
    return {
        "next": live[0] if live else (upcoming[0] if upcoming else None),
        "live": bool(live),
        "applying": applying[0] if applying else None,
    }
