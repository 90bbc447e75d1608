"""Assisted mode: a staff member works in a producer's account, with her consent, for her.

Consent first: a one-time 6-digit code texted to her phone (hashed here, 10 minutes, 5 tries) that
she reads out to the staff member, or the reference of a paper consent form. While the session is
live the user loader (access.py) gives the producer as `current_user` and keeps the staff member
in `g.assisting`; the audit log records every write with both names. The phone, password and
payout details stay hers: `ASSIST_BLOCKED_ENDPOINTS` are refused while assisting. 30 idle minutes
(ASSIST_IDLE_MINUTES), the «End assisting» button or logging out end it.

Plain functions with explicit arguments; they flush, the caller commits."""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from werkzeug.security import check_password_hash

from ..core.dates import as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.notify import queue_sms
from ..core.persian import normalize_text
from ..extensions import db
from .models import AssistSession, User
from .services import one_time_code

# Endpoints a staff member may not use while working as a producer: her phone, password and payout
# details are hers alone (shops.payout: /dashboard/shop/payout).
ASSIST_BLOCKED_ENDPOINTS = frozenset(
    {"accounts.change_password", "accounts.reset_request", "accounts.reset_confirm", "shops.payout"}
)
# How often a live session's last_seen_at is written (not on every page: a GET should rarely write).
TOUCH_EVERY = timedelta(minutes=1)


class AssistRefused(RuleError):
    """Assisting is not allowed here; `field` names the form field the message belongs next to."""


def refusal(staff: User, producer: User):
    """Why `staff` may not assist `producer` (a lazy message), or None when they may."""
    if not staff.has_role("staff"):
        return _l("Only centre staff can assist a producer.")
    if staff.id == producer.id:
        return _l("You cannot assist your own account.")
    if producer.has_role("staff"):
        return _l("A staff or administrator account cannot be assisted.")
    if not producer.active:
        return _l("This account is deactivated; it cannot be assisted.")
    if not producer.has_role("producer"):
        return _l("Only producers can be assisted; this account has no producer role.")
    other = live_session_of(producer)
    if other is not None and other.staff_id != staff.id:
        return _l("%(name)s is assisting this producer right now.", name=other.staff.display_name)
    return None


def _check(staff: User, producer: User, field: str) -> None:
    problem = refusal(staff, producer)
    if problem is not None:
        raise AssistRefused(field, problem)


def live_session_of(producer: User) -> AssistSession | None:
    """The producer's assisted session that is going on now, if any."""
    return db.session.scalar(
        select(AssistSession).where(
            AssistSession.producer_id == producer.id,
            AssistSession.started_at.is_not(None),
            AssistSession.ended_at.is_(None),
        )
    )


def send_consent_code(staff: User, producer: User) -> AssistSession:
    """Text a one-time code to the producer (through the outbox, once this commits) that she reads
    out if she agrees; returns the session waiting for it. Earlier waiting codes stop working."""
    _check(staff, producer, "consent")
    now = utcnow()
    for waiting in db.session.scalars(
        select(AssistSession).where(
            AssistSession.producer_id == producer.id,
            AssistSession.staff_id == staff.id,
            AssistSession.started_at.is_(None),
            AssistSession.ended_at.is_(None),
        )
    ):
        waiting.ended_at, waiting.end_reason = now, "replaced"
    code, code_hash = one_time_code()
    minutes = current_app.config["ASSIST_CODE_TTL_MINUTES"]
    assist = AssistSession(
        staff=staff,
        producer=producer,
        consent_method="sms_code",
        code_hash=code_hash,
        code_expires_at=now + timedelta(minutes=minutes),
        created_at=now,
    )
    db.session.add(assist)
    with force_locale(producer.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = gettext(
            "Rooyesh Market: %(staff)s of the centre asks to work in your account for you. If you agree, "
            "tell them this code: %(code)s (it works for %(num)s minutes).",
            staff=staff.display_name,
            code=code,
            num=minutes,
        )
    queue_sms(producer.phone, text)
    db.session.flush()
    return assist


def confirm_code(assist: AssistSession, staff: User, code: str) -> None:
    """Start the session when `code` is the one she received. A wrong code counts a try (commit it
    before showing the error); an old code or too many tries stop working."""
    if assist.staff_id != staff.id or assist.consent_method != "sms_code":
        raise AssistRefused("code", _l("This consent request is not yours."))
    _check(staff, assist.producer, "code")
    expired = _l("This code has expired or was used. Send a new code.")
    if assist.ended_at is not None or assist.started_at is not None or assist.code_expires_at is None:
        raise AssistRefused("code", expired)
    if as_utc(assist.code_expires_at) < utcnow():
        raise AssistRefused("code", expired)
    if assist.attempts >= current_app.config["ASSIST_CODE_MAX_ATTEMPTS"]:
        raise AssistRefused("code", _l("Too many wrong codes. Send a new code."))
    if not check_password_hash(assist.code_hash or "", code):
        assist.attempts += 1
        raise AssistRefused("code", _l("The code is not right."))
    assist.code_hash = None  # used once
    _start(assist)


def start_with_paper(staff: User, producer: User, reference: str, note: str) -> AssistSession:
    """Start a session on a signed paper consent: its reference (form number) and a note are kept."""
    _check(staff, producer, "reference")
    reference, note = normalize_text(reference), normalize_text(note)
    if not reference:
        raise AssistRefused("reference", _l("Write the consent form's number or reference."))
    if not note:
        raise AssistRefused("reason", _l("Write a note: what she asked for help with."))
    assist = AssistSession(
        staff=staff,
        producer=producer,
        consent_method="paper",
        consent_reference=reference[:120],
        consent_note=note[:500],
    )
    db.session.add(assist)
    _start(assist)
    db.session.flush()
    return assist


def _start(assist: AssistSession) -> None:
    now = utcnow()
    assist.consented_at = assist.started_at = assist.last_seen_at = now


def idle(assist: AssistSession, now: datetime | None = None) -> bool:
    """Whether the session has had no request for ASSIST_IDLE_MINUTES."""
    last = assist.last_seen_at or assist.started_at
    limit = timedelta(minutes=current_app.config["ASSIST_IDLE_MINUTES"])
    return last is None or (now or utcnow()) - as_utc(last) > limit


def touch(assist: AssistSession, now: datetime | None = None) -> bool:
    """Note a request in a live session; True when the row changed (at most once a minute)."""
    now = now or utcnow()
    if assist.last_seen_at is not None and now - as_utc(assist.last_seen_at) < TOUCH_EVERY:
        return False
    assist.last_seen_at = now
    return True


def end(assist: AssistSession, reason: str = "ended") -> None:
    """End the session (no-op when it has ended already)."""
    if assist.ended_at is None:
        assist.ended_at = utcnow()
        assist.end_reason = reason
