"""Planning a fair: the staff form's values (`FairData`) and their checks, creating and editing a
fair, and cloning a past one as the next."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import jdatetime
from sqlalchemy import select

from ..accounts.models import User
from ..core.dates import TEHRAN, as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text
from ..extensions import db
from ..shops.services import slugify
from .models import DEFAULT_RUBRIC, RUNNING_FAIR_STATUSES, BazaarEvent, Booth, FairQuota, FairStatus, FeeMode, Zone
from .services import TITLE_MAX, record_fair_change, schedule_fair


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
    record_fair_change(fair, actor, "create", "", FairStatus.DRAFT)
    return fair


def update_fair(fair: BazaarEvent, data: FairData, actor: User) -> BazaarEvent:
    """Save the staff form. A closed fair is history and does not change; moved dates reschedule
    the fair's opening, closing and reminder."""
    if fair.status == FairStatus.CLOSED:
        raise RuleError("", _l("A closed fair cannot be changed."))
    errors = check_fair(data)
    if errors:
        raise FairErrors(errors)
    _apply(fair, data)
    db.session.flush()
    if fair.status in RUNNING_FAIR_STATUSES:
        schedule_fair(fair)
    record_fair_change(fair, actor, "edit", fair.status, fair.status)
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
