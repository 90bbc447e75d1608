"""Who is logged in, and who may see what: the Flask-Login loader and the role check."""

import hmac
from functools import wraps

from flask import abort, g
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..core.messages import lazy_gettext as _l
from ..extensions import db, login_manager
from .models import Notification, User

login_manager.login_view = "accounts.login"
login_manager.login_message = _l("Please log in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the user from "id:token"; a rotated token or a deactivated account logs the cookie out."""
    user_pk, _, token = user_id.partition(":")
    if not user_pk.isdigit() or not token:
        return None
    # The roles and the unread count come with the user's row: every page's header asks has_role()
    # and shows the bell, and loading them apart would be two more queries on every request.
    unread = (
        select(func.count(Notification.id))
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )
    statement = select(User, unread).where(User.id == int(user_pk)).options(joinedload(User.role_rows))
    row = db.session.execute(statement).unique().first()
    if row is None:
        return None
    user, g.unread_notices = row  # read by the header's bell (notification_routes), this request only
    if not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


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
