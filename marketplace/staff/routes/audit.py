"""The audit log viewer: /staff/audit (filtered, paginated, newest first) and its CSV export."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from ...accounts.access import role_required
from ...core.numbers import page_arg
from ...core.tables import csv_response
from .. import audit
from ..forms import AuditFilterForm

bp = Blueprint("staff_audit", __name__, url_prefix="/staff")


def _filters() -> tuple[AuditFilterForm, audit.AuditFilter]:
    """The filter form from the query string, and what it asks for (a wrong field is left out)."""
    actors, actions, types = audit.filter_choices()
    form = AuditFilterForm(request.args)
    form.actor.choices = [("", _("Everyone"))] + [(str(actor_id), name) for actor_id, name in actors]
    form.action.choices = [("", _("Every action"))] + actions
    form.object_type.choices = [("", _("Every kind"))] + [(kind, audit.object_label(kind)) for kind in types]
    form.validate()
    actor = form.actor.data or ""
    filters = audit.AuditFilter(
        actor_id=int(actor) if actor.isdigit() and len(actor) < 10 else None,
        action=form.action.data or "",
        object_type=form.object_type.data or "",
        object_id=int(form.object_id.data) if not form.object_id.errors and form.object_id.data else None,
        assisted_only=bool(form.assisted.data),
        since=form.since.date,
        until=form.until.date,
    )
    return form, filters


def object_url(action) -> str | None:
    """The console page of the object an action was on, when there is one."""
    page = audit.OBJECT_PAGES.get(action.object_type)
    if page is None or action.object_id is None:
        return None
    endpoint, argument = page
    return url_for(endpoint, **{argument: action.object_id})


@bp.get("/audit")
@role_required("staff")
def log():
    form, filters = _filters()
    query = {key: value for key, value in request.args.items() if key != "page" and value}
    return render_template(
        "staff/audit.html",
        form=form,
        pagination=audit.log_page(filters, page_arg()),
        query=query,
        label=audit.action_label,
        object_label=audit.object_label,
        object_url=object_url,
    ), 422 if form.errors else 200


@bp.get("/audit.csv")
@role_required("staff")
def export():
    _form, filters = _filters()
    return csv_response(audit.log_csv(filters), "rooyesh-audit-log.csv")
