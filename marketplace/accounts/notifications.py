"""In-app notifications (the list at /notifications and the header badge) and their text messages.

`notify()` writes the row and queues the SMS in the caller's transaction, so a rollback sends
nothing. The text is rendered once, in the receiver's own language, when the notice is made: a
producer reading in English gets English even when a Persian-speaking buyer caused it.
"""

from flask_babel import force_locale
from sqlalchemy import func, select, update

from ..core.dates import utcnow
from ..core.notify import queue_sms
from ..core.urls import public_base
from ..extensions import db
from .models import Notification, User

MAX_TEXT = 300  # the column's length
RECENT_LIMIT = 50


def render_for(user: User, text) -> str:
    """`text` (a lazy message, whose values may be lazy too) as plain text in the user's language."""
    with force_locale(user.locale or "fa"):
        return str(text)


def notify(user: User, text, link: str = "", *, sms: bool = True) -> Notification:
    """Tell `user` something: a notification row, and (when `sms`) a text message to her phone
    through the outbox, ending with the page's public address. Both happen only if the caller commits."""
    rendered = render_for(user, text)[:MAX_TEXT]
    notice = Notification(user_id=user.id, text=rendered, link=link)
    db.session.add(notice)
    if sms:
        queue_sms(user.phone, rendered + ("\n" + public_base() + link if link else ""))
    db.session.flush()
    return notice


def unread_count(user_id: int) -> int:
    """How many of the user's notifications she has not marked read: the header badge (one COUNT)."""
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def recent(user_id: int, limit: int = RECENT_LIMIT) -> list[Notification]:
    """The user's latest notifications, newest first."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user_id: int, now=None) -> int:
    """Mark every unread notification of the user read (one UPDATE). Returns how many changed."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0  # type: ignore[attr-defined]
