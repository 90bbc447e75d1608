"""Who is logged in, and who may see what: the Flask-Login loader, the role check, and assisted
mode's place in both (a staff member assisting a producer is loaded as the producer)."""

import hmac
from functools import wraps

from flask import Flask, abort, flash, g, request, session
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in, user_logged_out
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..core.database import begin_write
from ..core.errors import render_error
from ..core.messages import lazy_gettext as _l
from ..extensions import db, login_manager
from . import assist as assisting
from .models import AssistSession, Notification, User

# The Flask session's key for the assisted session this browser is in.
ASSIST_KEY = "assist_id"

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


def _user_with_unread(user_pk: int):
    """(user, unread notices) of one account, or None."""
    # The roles and the unread count come with the user's row: every page's header asks has_role()
    # and shows the bell, and loading them apart would be two more queries on every request.
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )
    statement = select(User, unread).where(User.id == user_pk).options(joinedload(User.role_rows))
    return db.session.execute(statement).unique().first()


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the user from "id:token"; a rotated token or a deactivated account logs the cookie out.

    While the browser is in a live assisted session (checked by `check_assist` before the view),
    the producer is loaded instead and the staff member is kept in `g.assisting`."""
    user_pk, _sep, token = user_id.partition(":")
    if not user_pk.isdigit() or not token:
        return None
    row = _user_with_unread(int(user_pk))
    if row is None:
        return None
    user, g.unread_notices = row  # read by the header's bell (notification_routes), this request only
    if not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    assist = g.get("assist")
    if assist is not None and assist.staff_id == user.id:
        helped = _user_with_unread(assist.producer_id)
        if helped is not None:
            g.assisting = user
            producer, g.unread_notices = helped
            return producer
    return user


def acting_user():
    """The person really at the keyboard: the staff member while assisting, else `current_user`."""
    return g.get("assisting") or current_user._get_current_object()


def check_assist():
    """before_request: keep this browser's assisted session going, or end it (idle for too long,
    the producer deactivated, another account logged in). Refuses the producer's private
    endpoints (ASSIST_BLOCKED_ENDPOINTS) with 403 while assisting."""
    assist_id = session.get(ASSIST_KEY)
    if assist_id is None:
        return None
    assist = db.session.get(AssistSession, assist_id) if isinstance(assist_id, int) else None
    staff_pk = str(session.get("_user_id", "")).partition(":")[0]
    if assist is None or not assist.live or str(assist.staff_id) != staff_pk:
        session.pop(ASSIST_KEY, None)
        return None
    ending = ""
    if assisting.idle(assist):
        ending = "idle"
    elif assisting.refusal(assist.staff, assist.producer) is not None:
        ending = "refused"
    if ending:
        assisting.end(assist, ending)
        _commit_aside()
        session.pop(ASSIST_KEY, None)
        flash(_("Assisting %(name)s has ended.", name=assist.producer.display_name), "info")
        return None
    if assisting.touch(assist):
        _commit_aside()
    g.assist = assist
    if request.endpoint in assisting.ASSIST_BLOCKED_ENDPOINTS:
        return render_error(
            403,
            _l("Not while assisting"),
            _l("Her phone number, password and payout details can only be changed by her own hand."),
        )
    return None


def _commit_aside() -> None:
    """Commit the assisted session's bookkeeping before the view runs; a writing request then takes
    its write lock again (core/database.begin_write)."""
    db.session.commit()
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        begin_write()


def end_assist_in_browser(reason: str) -> AssistSession | None:
    """End this browser's assisted session (the caller commits); returns it, or None."""
    assist = g.pop("assist", None)
    session.pop(ASSIST_KEY, None)
    g.pop("assisting", None)
    if assist is not None:
        assisting.end(assist, reason)
    return assist


def _forget_assist(_app, **_extra) -> None:
    """A login or logout in this browser leaves any assisted session behind."""
    session.pop(ASSIST_KEY, None)


def init_access(app: Flask) -> None:
    """Assisted mode's request hook and the login/logout listeners."""
    app.before_request(check_assist)
    user_logged_in.connect(_forget_assist, app)
    user_logged_out.connect(_forget_assist, app)


def role_required(role: str):
    """Route decorator: log in first (redirect), then 403 unless the user holds `role`."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
