"""The waitlist: a place freed after the results are published (an accepted producer withdraws, or
one offered a place declines) is offered to the next waitlisted application, the jury's best
average first, for 48 hours and at most until the fair starts. She confirms it, or it lapses and
passes on.

Status changes that may race (two clicks, her confirm against the lapse task, a withdrawal against
an offer) are single conditional UPDATEs checked by their row count (`move`, shared with
`applications.py`, which imports this module and never the other way). An offer's end is a
scheduled outbox task (`bazaar.offer_lapses`, due when the offer ends, registered when
`receivers.py` imports this module at app start), so nothing depends on a cron line."""

from datetime import datetime, timedelta

from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update

from ..accounts.notifications import notify
from ..core import outbox
from ..core.dates import as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.templating import jalali
from ..extensions import db
from . import services
from .models import Application, ApplicationStatus, BazaarEvent, FairStatus, JuryScore

_A = ApplicationStatus
OFFER_HOURS = 48


# ---------------------------------------------------------------- shared with applications.py


def move(application: Application, from_status: str, extra=(), **values) -> bool:
    """One conditional UPDATE of the application's status (and other columns) from `from_status`;
    False when someone else moved it first."""
    result = db.session.execute(
        update(Application)
        .where(Application.id == application.id, Application.status == from_status, *extra)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(application)
    return result.rowcount == 1  # type: ignore[attr-defined]


# ---------------------------------------------------------------- offers


def offer_open(application: Application, now: datetime) -> bool:
    """A freed place is offered to her now and she may still confirm it."""
    return (
        application.status == _A.WAITLISTED
        and application.offered_at is not None
        and application.offer_lapsed_at is None
        and application.offer_expires_at is not None
        and now < as_utc(application.offer_expires_at)
    )


def waitlist_order(fair: BazaarEvent) -> list[Application]:
    """The fair's waitlist in the order places are offered: the jury's best average first (an
    unscored application last), then the earliest application."""
    average = (
        select(JuryScore.application_id, func.avg(JuryScore.score).label("average"))
        .group_by(JuryScore.application_id)
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Application)
            .outerjoin(average, average.c.application_id == Application.id)
            .where(Application.fair_id == fair.id, Application.status == _A.WAITLISTED)
            .order_by(func.coalesce(average.c.average, 0).desc(), Application.submitted_at, Application.id)
        )
    )


def places_taken(fair: BazaarEvent, now: datetime) -> int:
    """Accepted applications plus open offers of a freed place."""
    accepted = db.session.scalar(
        select(func.count(Application.id)).where(Application.fair_id == fair.id, Application.status == _A.ACCEPTED)
    )
    offered = db.session.scalar(
        select(func.count(Application.id)).where(
            Application.fair_id == fair.id,
            Application.status == _A.WAITLISTED,
            Application.offered_at.is_not(None),
            Application.offer_lapsed_at.is_(None),
            Application.offer_expires_at > now,
        )
    )
    return (accepted or 0) + (offered or 0)


def offer_next_place(fair: BazaarEvent, now: datetime) -> Application | None:
    """Offer a free place to the next waitlisted application never offered one: she has 48 hours
    (and at most until the fair starts) to confirm. Nothing is offered before the results are
    published, after the fair started, or when accepted applications and open offers fill the places."""
    if fair.status != FairStatus.PUBLISHED or now >= as_utc(fair.starts_at):
        return None
    if places_taken(fair, now) >= fair.places:
        return None
    expires = min(now + timedelta(hours=OFFER_HOURS), as_utc(fair.starts_at))
    for candidate in waitlist_order(fair):
        if candidate.offered_at is not None:
            continue  # offered before: her offer lapsed or was declined
        if move(
            candidate,
            _A.WAITLISTED,
            (Application.offered_at.is_(None),),
            offered_at=now,
            offer_expires_at=expires,
            updated_at=now,
        ):
            _announce_offer(candidate, now, expires)
            return candidate
    return None


def _announce_offer(application: Application, now: datetime, expires: datetime) -> None:
    services.record_application_decision(application, None, "offer", _A.WAITLISTED)
    notify(
        application.shop.owner,
        _l(
            "Good news: a place at %(fair)s is free and offered to you. Confirm it before %(deadline)s.",
            fair=application.fair.title,
            deadline=LazyString(jalali, expires),
        ),
        services.application_link(application),
    )
    outbox.enqueue(
        "bazaar.offer_lapses",
        {"application_id": application.id, "offered_at": now.isoformat()},
        dedupe_key=f"offer-lapses-{application.id}-{now:%Y%m%d%H%M%S%f}",
        available_at=expires,
    )


@outbox.task("bazaar.offer_lapses")
def _offer_lapses(message) -> None:
    """An offer's time is up: if it is still open, it lapses and the place goes to the next one."""
    application = db.session.get(Application, message.payload["application_id"])
    if application is None or application.offered_at is None or application.offer_expires_at is None:
        return
    if as_utc(application.offered_at) != datetime.fromisoformat(message.payload["offered_at"]):
        return  # a later offer (this one was already dealt with)
    moment = max(utcnow(), as_utc(application.offer_expires_at))
    if not move(
        application,
        _A.WAITLISTED,
        (Application.offer_lapsed_at.is_(None),),
        offer_lapsed_at=moment,
        updated_at=moment,
    ):
        return  # confirmed, withdrawn or lapsed already
    services.record_application_decision(application, None, "offer_lapsed", _A.WAITLISTED)
    notify(
        application.shop.owner,
        _l(
            "The place offered to you at %(fair)s was not confirmed in time and has passed on. "
            "You stay on the waitlist.",
            fair=application.fair.title,
        ),
        services.application_link(application),
    )
    offer_next_place(application.fair, moment)


def confirm_offer(application: Application, now: datetime) -> Application:
    """She takes the offered place within its time: waitlisted → accepted, one conditional UPDATE
    (a second click, or the lapse task running at the same moment, cannot both win)."""
    if not offer_open(application, now):
        raise RuleError("", _l("This offer is no longer open."))
    if not move(
        application,
        _A.WAITLISTED,
        (
            Application.offered_at.is_not(None),
            Application.offer_lapsed_at.is_(None),
            Application.offer_expires_at > now,
        ),
        status=_A.ACCEPTED,
        decided_at=now,
        updated_at=now,
    ):
        raise RuleError("", _l("This offer is no longer open."))
    owner = application.shop.owner
    services.record_application_decision(application, owner, "confirm_offer", _A.WAITLISTED)
    notify(
        owner,
        _l("Your place at %(fair)s is confirmed. See you at the fair!", fair=application.fair.title),
        services.application_link(application),
    )
    return application
