"""Staff: the list of fairs, creating, editing and cloning one, moving it through its states, and
its hub page linking the jury, booths, fair day and report."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ...accounts.access import role_required
from ...core.transaction import change
from ...extensions import db
from .. import planning, services
from ..forms import FairForm, MoveForm
from ..models import Application, BazaarEvent, FairStatus
from . import staff_bp as bp


@bp.get("")
@role_required("staff")
def index():
    return render_template("bazaar/staff/fairs.html", fairs=services.staff_fairs(), labels=services.FAIR_STATUS_LABELS)


def _render_form(form: FairForm, fair: BazaarEvent | None, quotas: dict[int, int], source: BazaarEvent | None = None):
    return render_template(
        "bazaar/staff/fair_form.html",
        form=form,
        fair=fair,
        source=source,
        categories=services.top_categories(),
        quotas={key: str(value) for key, value in quotas.items()},
    )


def _save(form: FairForm, fair: BazaarEvent | None):
    """Validate and save the form; the fair on success, None when it was refused (errors on the form)."""
    categories = services.top_categories()
    typed_quotas = {c.id: request.form.get(f"quota-{c.id}", "") for c in categories}
    saved = None
    if form.validate_on_submit():
        with change(form, form_level={"quotas"}) as done:
            data = form.fair_data(form.quota_values(request.form, categories))
            saved = (
                planning.create_fair(data, current_user)
                if fair is None
                else planning.update_fair(fair, data, current_user)
            )
        if done:
            return saved, typed_quotas
    return None, typed_quotas


@bp.route("/new", methods=["GET", "POST"])
@role_required("staff")
def new():
    form = FairForm()
    if request.method == "POST":
        fair, typed = _save(form, None)
        if fair is not None:
            flash(_("The fair is saved as a draft. Open applications when it is ready."), "success")
            return redirect(url_for("staff_fairs.show", fair_id=fair.id))
        return _render_form(form, None, typed)
    return _render_form(form, None, {})


@bp.route("/<int:fair_id>/edit", methods=["GET", "POST"])
@role_required("staff")
def edit(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    if request.method == "POST":
        form = FairForm()
        saved, typed = _save(form, fair)
        if saved is not None:
            flash(_("Saved."), "success")
            return redirect(url_for("staff_fairs.show", fair_id=fair.id))
        return _render_form(form, fair, typed)
    data = planning.fair_data(fair)
    return _render_form(FairForm.for_fair(data), fair, data.quotas)


@bp.get("/<int:fair_id>")
@role_required("staff")
def show(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    counts = dict(
        db.session.execute(
            select(Application.status, func.count()).where(Application.fair_id == fair.id).group_by(Application.status)
        ).all()
    )
    return render_template(
        "bazaar/staff/fair.html",
        fair=fair,
        counts=counts,
        actions=services.fair_actions(fair),
        action_labels=services.FAIR_ACTION_LABELS,
        labels=services.FAIR_STATUS_LABELS,
        move_form=MoveForm(),
        live=services.is_live(fair),
    )


@bp.post("/<int:fair_id>/move")
@role_required("staff")
def move(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    form = MoveForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.move_fair(fair, form.action.data or "", current_user)
        if done:
            flash(
                _("The fair is now: %(status)s.", status=services.FAIR_STATUS_LABELS[FairStatus(fair.status)]),
                "success",
            )
    return redirect(url_for("staff_fairs.show", fair_id=fair_id))


@bp.post("/<int:fair_id>/clone")
@role_required("staff")
def clone(fair_id: int):
    source = db.get_or_404(BazaarEvent, fair_id)
    form = MoveForm()
    if form.validate_on_submit():
        with change(form) as done:
            fair = planning.clone_fair(source, current_user)
        if done:
            flash(_("A new draft fair was made from this one. Check its dates."), "success")
            return redirect(url_for("staff_fairs.edit", fair_id=fair.id))
    return redirect(url_for("staff_fairs.show", fair_id=fair_id))
