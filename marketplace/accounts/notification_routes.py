"""/notifications: the signed-in user's notices, and the unread count shown in the header.

Its own small blueprint beside accounts.routes (sign-up, login, password). Opening the list
never writes: marking read is the POST of its one button."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.transaction import change
from . import notifications
from .forms import ActionForm

bp = Blueprint("notifications", __name__)


@bp.app_template_global()
def unread_notification_count() -> int:
    """The header badge's number: loaded with the signed-in user (accounts.access), nothing at all
    for a visitor."""
    if not current_user.is_authenticated:
        return 0
    loaded = g.get("unread_notices")
    return loaded if loaded is not None else notifications.unread_count(current_user.id)


@bp.get("/notifications")
@login_required
def index():
    return render_template(
        "accounts/notifications.html",
        items=notifications.recent(current_user.id),
        form=ActionForm(),
    )


@bp.post("/notifications/read")
@login_required
def mark_all_read():
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            notifications.mark_all_read(current_user.id)
        if done:
            flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))
