"""Fairs: creating, editing and cloning them, their state machine and its scheduled moves, the
clock ("is the fair live?"), the public lists, and a producer's readiness.

Applications live in `applications.py` (the waitlist in `waitlist.py`), the jury in `jury.py`,
booths in `booths.py`, fair day in `fairday.py`, reports in `reports.py`, the online bazaar
(prices, pickup, search) in `online.py`."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import jdatetime
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.notifications import notify
from ..catalog.models import Category, Product
from ..core import events, outbox
from ..core.dates import TEHRAN, as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from ..registration.checklist import blocking_groups, checklist_for_product, checklist_for_shop
from ..shops.models import Shop
from ..shops.services import brand_score, slugify
from .models import (
    DEFAULT_RUBRIC,
    PUBLIC_FAIR_STATUSES,
    Application,
    ApplicationStatus,
    BazaarEvent,
    Booth,
    FairDecision,
    FairQuota,
    FairStatus,
    FeeMode,
    Zone,
)

TITLE_MAX = 120
_F = FairStatus

# action → (statuses it may start from, status it leads to). Opening on time and closing at the
# end are also done by the scheduled tasks below; staff may do them by hand too.
FAIR_TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "open_applications": ((_F.DRAFT,), _F.APPLICATIONS_OPEN),
    "start_jurying": ((_F.APPLICATIONS_OPEN,), _F.JURYING),
    "reopen_applications": ((_F.JURYING,), _F.APPLICATIONS_OPEN),
    "publish": ((_F.JURYING,), _F.PUBLISHED),
    "go_live": ((_F.PUBLISHED,), _F.LIVE),
    "close": ((_F.LIVE, _F.PUBLISHED), _F.CLOSED),
}
FAIR_ACTION_LABELS = {
    "open_applications": _l("Open applications"),
    "start_jurying": _l("Close applications and start jurying"),
    "reopen_applications": _l("Reopen applications"),
    "publish": _l("Publish the results and the fair page"),
    "go_live": _l("Start the fair now"),
    "close": _l("Close the fair"),
}
FAIR_STATUS_LABELS = {
    _F.DRAFT: _l("Draft"),
    _F.APPLICATIONS_OPEN: _l("Applications open"),
    _F.JURYING: _l("Jurying"),
    _F.PUBLISHED: _l("Published"),
    _F.LIVE: _l("Live now"),
    _F.CLOSED: _l("Closed"),
}
RUBRIC_LABELS = {
    "quality": _l("Product quality"),
    "presentation": _l("Presentation and branding"),
    "readiness": _l("Readiness"),
    "fit": _l("Fit with the fair"),
}
REMINDER_HOURS_BEFORE = 24


# ---------------------------------------------------------------- time


def tehran_moment(day: date, clock: str) -> datetime:
    """A Tehran wall-clock time on a day («17:30», any digits) as aware UTC; RuleError if unreadable."""
    text = to_latin_digits((clock or "").strip())
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        wall = time(hours, minutes)
    except ValueError:
        raise RuleError("", _l("Write the time like 17:30.")) from None
    return datetime.combine(day, wall, tzinfo=TEHRAN).astimezone(tz=as_utc(utcnow()).tzinfo)


def is_live(fair: BazaarEvent, now: datetime | None = None) -> bool:
    """True while the fair is running: published (or live) and within its hours. Discounts and
    booth pickup ask this, so they never apply outside the fair's hours even if the scheduled
    move to "live" or "closed" runs late."""
    now = now or utcnow()
    return fair.status in (_F.PUBLISHED, _F.LIVE) and as_utc(fair.starts_at) <= now < as_utc(fair.ends_at)


def applications_open(fair: BazaarEvent, now: datetime | None = None) -> bool:
    """True while producers may apply, edit and withdraw-and-reapply: the fair takes applications
    and the deadline has not passed."""
    now = now or utcnow()
    return fair.status == _F.APPLICATIONS_OPEN and as_utc(fair.applications_open_at) <= now < as_utc(
        fair.applications_close_at
    )


def phase(fair: BazaarEvent, now: datetime | None = None) -> str:
    """What the public sees: "upcoming", "live" or "past"."""
    now = now or utcnow()
    if fair.status == _F.CLOSED or as_utc(fair.ends_at) <= now:
        return "past"
    if is_live(fair, now):
        return "live"
    return "upcoming"


# ---------------------------------------------------------------- creating and editing


@dataclass
class FairData:
    """A fair as typed in the staff form (dates already read as Jalali, money in rial)."""

    title: str
    description: str = ""
    venue_name: str = ""
    venue_address: str = ""
    map_url: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    applications_open_at: datetime | None = None
    applications_close_at: datetime | None = None
    fee_mode: str = FeeMode.FIXED
    booth_fee_rial: int = 0
    fee_percent: int = 0
    selection_criteria: str = ""
    places: int = 30
    first_timer_percent: int = 30
    min_products: int = 3
    max_products: int = 12
    food_requires_verified: bool = True
    blind_review: bool = False
    show_feedback: bool = True
    quotas: dict[int, int] = field(default_factory=dict)  # top category id → max percent


def check_fair(data: FairData) -> list[tuple[str, object]]:
    """Every problem with the typed fair, each naming its field; empty when it can be saved."""
    errors: list[tuple[str, object]] = []
    title = normalize_text(data.title)
    if len(title) < 3 or len(title) > TITLE_MAX:
        errors.append(("title", _l("Write a title of 3 to %(num)s characters.", num=TITLE_MAX)))
    if data.map_url and not data.map_url.startswith(("https://", "http://")):
        errors.append(("map_url", _l("A map link starts with https://")))
    if data.starts_at is None:
        errors.append(("start_date", _l("Write the first day of the fair, like 1405/02/10.")))
    if data.ends_at is None:
        errors.append(("end_date", _l("Write the last day of the fair, like 1405/02/12.")))
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        errors.append(("end_date", _l("The fair must end after it starts.")))
    if data.applications_open_at is None:
        errors.append(("applications_open_date", _l("Write when applications open, like 1405/01/20.")))
    if data.applications_close_at is None:
        errors.append(("applications_close_date", _l("Write the application deadline, like 1405/01/31.")))
    if data.applications_open_at and data.applications_close_at:
        if data.applications_close_at <= data.applications_open_at:
            errors.append(("applications_close_date", _l("The deadline must come after applications open.")))
        elif data.starts_at and data.applications_close_at > data.starts_at:
            errors.append(("applications_close_date", _l("The application deadline must come before the fair starts.")))
    if data.fee_mode not in (FeeMode.FIXED, FeeMode.FROM_SALES):
        errors.append(("fee_mode", _l("Choose how the booth fee is paid.")))
    if data.booth_fee_rial < 0:
        errors.append(("booth_fee", _l("The booth fee cannot be negative.")))
    if data.fee_mode == FeeMode.FROM_SALES and not 1 <= data.fee_percent <= 50:
        errors.append(("fee_percent", _l("Write a share of sales between 1 and 50 percent.")))
    if not 1 <= data.places <= 1000:
        errors.append(("places", _l("Write how many producers the fair has room for (1 to 1000).")))
    if not 0 <= data.first_timer_percent <= 100:
        errors.append(("first_timer_percent", _l("Write a share between 0 and 100 percent.")))
    if not 1 <= data.min_products <= data.max_products <= 50:
        errors.append(("max_products", _l("The most products must be at least the fewest (and at most 50).")))
    for percent in data.quotas.values():
        if not 0 <= percent <= 100:
            errors.append(("quotas", _l("Each category quota is a share between 0 and 100 percent.")))
            break
    return errors


class FairErrors(RuleError):
    """Several problems with one fair form, each with its field."""

    def __init__(self, errors: list[tuple[str, object]]):
        super().__init__(errors[0][0], errors[0][1])
        self.errors = errors


def _unique_slug(title: str, starts_at: datetime | None, fair_id: int | None = None) -> str:
    base = slugify(title) or "fair"
    if starts_at is not None:
        year = jdatetime.date.fromgregorian(date=as_utc(starts_at).astimezone(TEHRAN).date()).year
        base = f"{base}-{year}"[:130]
    slug, number = base, 2
    while True:
        owner = db.session.scalar(select(BazaarEvent.id).where(BazaarEvent.slug == slug))
        if owner is None or owner == fair_id:
            return slug
        slug, number = f"{base}-{number}", number + 1


def _apply(fair: BazaarEvent, data: FairData) -> None:
    fair.title = normalize_text(data.title)
    fair.description = normalize_text(data.description, multiline=True)
    fair.venue_name = normalize_text(data.venue_name)[:120]
    fair.venue_address = normalize_text(data.venue_address)[:300]
    fair.map_url = (data.map_url or "").strip()[:500]
    assert data.starts_at and data.ends_at and data.applications_open_at and data.applications_close_at
    fair.starts_at, fair.ends_at = data.starts_at, data.ends_at
    fair.applications_open_at, fair.applications_close_at = data.applications_open_at, data.applications_close_at
    fair.fee_mode, fair.booth_fee_rial = data.fee_mode, data.booth_fee_rial
    fair.fee_percent = data.fee_percent if data.fee_mode == FeeMode.FROM_SALES else 0
    fair.selection_criteria = normalize_text(data.selection_criteria, multiline=True)
    fair.places, fair.first_timer_percent = data.places, data.first_timer_percent
    fair.min_products, fair.max_products = data.min_products, data.max_products
    fair.food_requires_verified = data.food_requires_verified
    fair.blind_review, fair.show_feedback = data.blind_review, data.show_feedback
    wanted = {category_id: percent for category_id, percent in data.quotas.items() if percent is not None}
    for quota in list(fair.quotas):
        if quota.category_id not in wanted:
            fair.quotas.remove(quota)
        else:
            quota.max_percent = wanted.pop(quota.category_id)
    for category_id, percent in wanted.items():
        fair.quotas.append(FairQuota(category_id=category_id, max_percent=percent))


def create_fair(data: FairData, actor: User) -> BazaarEvent:
    """A new fair in draft, from the staff form."""
    errors = check_fair(data)
    if errors:
        raise FairErrors(errors)
    fair = BazaarEvent(
        slug=_unique_slug(data.title, data.starts_at), rubric=list(DEFAULT_RUBRIC), created_by_id=actor.id
    )
    _apply(fair, data)
    db.session.add(fair)
    db.session.flush()
    _record(fair, None, actor, "create", "", _F.DRAFT)
    return fair


def update_fair(fair: BazaarEvent, data: FairData, actor: User) -> BazaarEvent:
    """Save the staff form. A closed fair is history and does not change; moved dates reschedule
    the fair's opening, closing and reminder."""
    if fair.status == _F.CLOSED:
        raise RuleError("", _l("A closed fair cannot be changed."))
    errors = check_fair(data)
    if errors:
        raise FairErrors(errors)
    _apply(fair, data)
    db.session.flush()
    if fair.status in (_F.PUBLISHED, _F.LIVE):
        schedule_fair(fair)
    _record(fair, None, actor, "edit", fair.status, fair.status)
    return fair


def fair_data(fair: BazaarEvent) -> FairData:
    """A fair's values as form data (to edit it, or to start a clone from it)."""
    return FairData(
        title=fair.title,
        description=fair.description,
        venue_name=fair.venue_name,
        venue_address=fair.venue_address,
        map_url=fair.map_url,
        starts_at=as_utc(fair.starts_at),
        ends_at=as_utc(fair.ends_at),
        applications_open_at=as_utc(fair.applications_open_at),
        applications_close_at=as_utc(fair.applications_close_at),
        fee_mode=fair.fee_mode,
        booth_fee_rial=fair.booth_fee_rial,
        fee_percent=fair.fee_percent,
        selection_criteria=fair.selection_criteria,
        places=fair.places,
        first_timer_percent=fair.first_timer_percent,
        min_products=fair.min_products,
        max_products=fair.max_products,
        food_requires_verified=fair.food_requires_verified,
        blind_review=fair.blind_review,
        show_feedback=fair.show_feedback,
        quotas={quota.category_id: quota.max_percent for quota in fair.quotas},
    )


def clone_fair(source: BazaarEvent, actor: User, *, weeks_later: int | None = None) -> BazaarEvent:
    """The next fair like this one: same settings, quotas, zones and booths, a new draft whose
    dates move forward by whole weeks (to the first free week after today if not given), with no
    applications."""
    now = utcnow()
    if weeks_later is None:
        weeks_later = max(1, (now - as_utc(source.applications_open_at)).days // 7 + 1)
    shift = timedelta(weeks=weeks_later)
    data = fair_data(source)
    for name in ("starts_at", "ends_at", "applications_open_at", "applications_close_at"):
        setattr(data, name, getattr(data, name) + shift)
    fair = create_fair(data, actor)
    fair.cloned_from_id = source.id
    fair.rubric = list(source.rubric or DEFAULT_RUBRIC)
    _copy_layout(source, fair)
    db.session.flush()
    return fair


def _copy_layout(source: BazaarEvent, fair: BazaarEvent) -> None:
    """The same zones and booths (codes, cells, sizes, attributes), empty."""
    for zone in source.zones:
        copy = Zone(name=zone.name, position=zone.position)
        fair.zones.append(copy)
        for booth in zone.booths:
            fair.booths.append(
                Booth(
                    zone=copy,
                    code=booth.code,
                    row=booth.row,
                    col=booth.col,
                    size=booth.size,
                    has_power=booth.has_power,
                    is_corner=booth.is_corner,
                    near_entrance=booth.near_entrance,
                )
            )


# ---------------------------------------------------------------- the state machine


def _record(
    fair: BazaarEvent,
    application: Application | None,
    actor: User | None,
    action: str,
    from_status,
    to_status,
    reason="",
) -> None:
    db.session.add(
        FairDecision(
            fair_id=fair.id,
            application_id=application.id if application is not None else None,
            actor_id=actor.id if actor is not None else None,
            action=action,
            from_status=str(from_status or ""),
            to_status=str(to_status),
            reason=reason or "",
        )
    )


def record_application_decision(
    application: Application, actor: User | None, action: str, from_status: str, reason: str = ""
) -> None:
    """Add an application's status change to the fair's decision trail."""
    _record(application.fair, application, actor, action, from_status, application.status, reason)


def fair_actions(fair: BazaarEvent) -> list[str]:
    """The status moves staff may make on this fair now."""
    return [action for action, (allowed, _to) in FAIR_TRANSITIONS.items() if fair.status in allowed]


def move_fair(fair: BazaarEvent, action: str, actor: User | None, *, now: datetime | None = None) -> BazaarEvent:
    """Move a fair along DESIGN §4 with one conditional UPDATE (two staff pressing at once cannot
    both move it). Publishing needs decisions on every application and schedules the fair's
    opening, closing and "fair tomorrow" reminder."""
    if action not in FAIR_TRANSITIONS:
        raise RuleError("", _l("This is not a step a fair can take."))
    allowed, target = FAIR_TRANSITIONS[action]
    if fair.status not in allowed:
        raise RuleError("", _l("The fair is no longer in a state where this can be done. Reload the page."))
    if action == "publish":
        waiting = db.session.scalar(
            select(func.count(Application.id)).where(
                Application.fair_id == fair.id, Application.status == ApplicationStatus.SUBMITTED
            )
        )
        if waiting:
            raise RuleError("", _l("%(num)s applications still wait for a decision.", num=waiting))
    # an ORM UPDATE (not a Core one), so the page cache's and search's session listeners see it
    result = db.session.execute(
        update(BazaarEvent)
        .where(BazaarEvent.id == fair.id, BazaarEvent.status == fair.status)
        .values(status=target, updated_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise RuleError("", _l("The fair is no longer in a state where this can be done. Reload the page."))
    from_status = fair.status
    db.session.refresh(fair)
    _record(fair, None, actor, action, from_status, target)
    if action == "publish":
        schedule_fair(fair)
        events.fair_published.send(fair)
    return fair


def schedule_fair(fair: BazaarEvent) -> None:
    """Scheduled outbox tasks for a published fair: go live at the start, close at the end, remind
    the accepted producers a day before. Keys carry the times, so moved dates add new rows and the
    old ones find the times changed and do nothing."""
    starts, ends = as_utc(fair.starts_at), as_utc(fair.ends_at)
    stamp = f"{starts:%Y%m%d%H%M}-{ends:%Y%m%d%H%M}"
    payload = {"fair_id": fair.id, "starts_at": starts.isoformat(), "ends_at": ends.isoformat()}
    outbox.enqueue("bazaar.go_live", payload, dedupe_key=f"fair-live-{fair.id}-{stamp}", available_at=starts)
    outbox.enqueue("bazaar.close", payload, dedupe_key=f"fair-close-{fair.id}-{stamp}", available_at=ends)
    remind_at = max(starts - timedelta(hours=REMINDER_HOURS_BEFORE), utcnow())
    if remind_at < starts:
        outbox.enqueue(
            "bazaar.fair_tomorrow", payload, dedupe_key=f"fair-remind-{fair.id}-{stamp}", available_at=remind_at
        )


def _scheduled_fair(payload: dict) -> BazaarEvent | None:
    """The fair a scheduled task is about, if its times are still the ones it was scheduled for."""
    fair = db.session.get(BazaarEvent, payload["fair_id"])
    if fair is None:
        return None
    if (
        as_utc(fair.starts_at).isoformat() != payload["starts_at"]
        or as_utc(fair.ends_at).isoformat() != payload["ends_at"]
    ):
        return None
    return fair


@outbox.task("bazaar.go_live")
def _go_live(message) -> None:
    fair = _scheduled_fair(message.payload)
    if fair is not None and fair.status == _F.PUBLISHED:
        move_fair(fair, "go_live", None)


@outbox.task("bazaar.close")
def _close(message) -> None:
    fair = _scheduled_fair(message.payload)
    if fair is not None and fair.status in (_F.PUBLISHED, _F.LIVE):
        move_fair(fair, "close", None)


@outbox.task("bazaar.fair_tomorrow")
def _fair_tomorrow(message) -> None:
    fair = _scheduled_fair(message.payload)
    if fair is None or fair.status not in (_F.PUBLISHED, _F.LIVE):
        return
    for application in accepted_applications(fair):
        booth = application.booth.code if application.booth is not None else ""
        notify(
            application.shop.owner,
            _l(
                "Reminder: %(fair)s starts tomorrow. Your booth: %(booth)s. Bring your pass.",
                fair=fair.title,
                booth=booth or "—",
            ),
            application_link(application),
        )


# ---------------------------------------------------------------- reading


def application_link(application: Application) -> str:
    """Her page of the application: the link in every notice about it."""
    return f"/dashboard/fairs/applications/{application.id}"


def fair_by_slug(slug: str) -> BazaarEvent | None:
    """A fair the public may see (published, live or closed), by its slug."""
    return db.session.scalar(
        select(BazaarEvent).where(BazaarEvent.slug == slug, BazaarEvent.status.in_(PUBLIC_FAIR_STATUSES))
    )


def public_fairs(now: datetime | None = None) -> dict[str, list[BazaarEvent]]:
    """The public fairs grouped as live, upcoming (soonest first) and past (latest first)."""
    now = now or utcnow()
    fairs = db.session.scalars(
        select(BazaarEvent).where(BazaarEvent.status.in_(PUBLIC_FAIR_STATUSES)).order_by(BazaarEvent.starts_at)
    )
    groups: dict[str, list[BazaarEvent]] = {"live": [], "upcoming": [], "past": []}
    for fair in fairs:
        groups[phase(fair, now)].append(fair)
    groups["past"].reverse()
    return groups


def next_fair(now: datetime | None = None) -> BazaarEvent | None:
    """The fair the home page shows: the one running now, else the next published one."""
    groups = public_fairs(now)
    candidates = groups["live"] or groups["upcoming"]
    return candidates[0] if candidates else None


def fairs_taking_applications(now: datetime | None = None) -> list[BazaarEvent]:
    """Fairs a producer may apply to now, deadline soonest first."""
    now = now or utcnow()
    fairs = db.session.scalars(
        select(BazaarEvent)
        .where(BazaarEvent.status == _F.APPLICATIONS_OPEN)
        .order_by(BazaarEvent.applications_close_at)
    )
    return [fair for fair in fairs if applications_open(fair, now)]


def staff_fairs() -> list[BazaarEvent]:
    """Every fair for the staff list, latest first."""
    return list(db.session.scalars(select(BazaarEvent).order_by(BazaarEvent.starts_at.desc(), BazaarEvent.id.desc())))


def accepted_applications(fair: BazaarEvent) -> list[Application]:
    """The fair's accepted applications with their shops, owners, booths, categories and products
    loaded, by id."""
    return list(
        db.session.scalars(
            select(Application)
            .where(Application.fair_id == fair.id, Application.status == ApplicationStatus.ACCEPTED)
            .options(
                selectinload(Application.shop).selectinload(Shop.owner),
                selectinload(Application.booth),
                selectinload(Application.category),
                selectinload(Application.items),
            )
            .order_by(Application.id)
        )
    )


def top_categories() -> list[Category]:
    """The top categories (quotas and application categories are per top category)."""
    return list(db.session.scalars(select(Category).where(Category.parent_id.is_(None)).order_by(Category.position)))


def top_category(category: Category) -> Category:
    """The top category above (or equal to) `category`."""
    while category.parent is not None:
        category = category.parent
    return category


# ---------------------------------------------------------------- readiness


@dataclass
class Readiness:
    """How ready a producer is for a fair: her brand score (0–100) and registration progress
    (verified or waived items out of those that apply, over her shop and the chosen products)."""

    brand_score: int
    items_done: int
    items_total: int
    # food products whose mandatory registration items are not all verified
    unverified_food: list[Product] = field(default_factory=list)

    @property
    def checklist_percent(self) -> int:
        """Share of checklist items done, 0–100 (100 when nothing applies)."""
        return 100 if not self.items_total else round(100 * self.items_done / self.items_total)


def readiness(shop: Shop, products: list[Product]) -> Readiness:
    """Her readiness over her shop and the products she would bring (reads only)."""
    with_photos = sum(1 for product in products if product.images)
    score, _items = brand_score(shop, with_photos)
    rows = list(checklist_for_shop(shop))
    unverified_food = []
    for product in products:
        product_rows = checklist_for_product(product)
        rows.extend(product_rows)
        if product.kind == "food" and blocking_groups(product_rows):
            unverified_food.append(product)
    done = sum(1 for row in rows if row.done)
    return Readiness(brand_score=score, items_done=done, items_total=len(rows), unverified_food=unverified_food)
