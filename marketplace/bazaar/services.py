"""Fairs: their state machine and its scheduled moves, the clock ("is the fair live?"), the
public lists, and a producer's readiness.

Creating, editing and cloning a fair live in `planning.py`; applications in `applications.py` (the
waitlist in `waitlist.py`), the jury in `jury.py`, booths in `booths.py`, fair day in `fairday.py`,
reports in `reports.py`, the online bazaar (prices, pickup, search) in `online.py`."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.notifications import notify
from ..catalog.models import Category, Product
from ..core import events, outbox
from ..core.dates import TEHRAN, as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import to_latin_digits
from ..extensions import db
from ..registration.checklist import blocking_groups, checklist_for_product, checklist_for_shop, shop_records
from ..shops.models import Shop
from ..shops.services import brand_score
from .models import (
    PUBLIC_FAIR_STATUSES,
    RUNNING_FAIR_STATUSES,
    Application,
    ApplicationStatus,
    BazaarEvent,
    FairDecision,
    FairStatus,
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
    return datetime.combine(day, wall, tzinfo=TEHRAN).astimezone(UTC)


def is_live(fair: BazaarEvent, now: datetime | None = None) -> bool:
    """True while the fair is running: published (or live) and within its hours. Discounts and
    booth pickup ask this, so they never apply outside the fair's hours even if the scheduled
    move to "live" or "closed" runs late."""
    now = now or utcnow()
    return fair.status in RUNNING_FAIR_STATUSES and as_utc(fair.starts_at) <= now < as_utc(fair.ends_at)


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


def record_fair_change(fair: BazaarEvent, actor: User | None, action: str, from_status, to_status) -> None:
    """Add a change of the fair itself (created, edited, moved) to its decision trail."""
    _record(fair, None, actor, action, from_status, to_status)


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
    if fair is not None and fair.status in RUNNING_FAIR_STATUSES:
        move_fair(fair, "close", None)


@outbox.task("bazaar.fair_tomorrow")
def _fair_tomorrow(message) -> None:
    fair = _scheduled_fair(message.payload)
    if fair is None or fair.status not in RUNNING_FAIR_STATUSES:
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
    records = shop_records(shop)  # read once for the shop and every product
    rows = list(checklist_for_shop(shop, records=records))
    unverified_food = []
    for product in products:
        product_rows = checklist_for_product(product, records=records)
        # its shop-level rows are already in the shop's checklist: count only the product's own
        rows.extend(row for row in product_rows if row.item.level == "product")
        if product.kind == "food" and blocking_groups(product_rows):
            unverified_food.append(product)
    done = sum(1 for row in rows if row.done)
    return Readiness(brand_score=score, items_done=done, items_total=len(rows), unverified_food=unverified_food)
