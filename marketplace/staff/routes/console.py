"""Staff console: /staff/… (people today; queues, fairs and reports come with their issues)."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts import services as accounts
from ...accounts.access import role_required
from ...accounts.models import User
from ...catalog import services as catalog
from ...core import outbox
from ...core.images import upload_dir, upload_limits
from ...core.numbers import page_arg
from ...core.transaction import change
from ...extensions import db
from ...shops import payout
from ...shops import services as shop_services
from ...shops.forms import DecisionForm
from ...shops.models import Shop
from .. import importer, services
from ..forms import ImportForm, OutboxRetryForm, ReasonForm, UserActiveForm, UserRolesForm

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.get("/users")
@role_required("staff")
def users():
    page = page_arg()
    query = request.args.get("q", "")
    return render_template(
        "staff/users.html",
        pagination=services.search_users(query, page),
        query=query,
        action_form=UserActiveForm(),
    )


def _managed_user(user_id: int) -> User:
    user = db.get_or_404(User, user_id)
    if not services.may_manage(current_user, user):
        abort(403)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("staff")
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    grantable = services.roles_grantable_by(current_user)
    form = UserRolesForm(data={role: role in user.roles for role in services.MANAGED_ROLES})
    if request.method == "POST":
        user = _managed_user(user_id)
        form = UserRolesForm()
        if form.validate_on_submit():
            wanted = {role for role in services.MANAGED_ROLES if form[role].data}
            with change(form):
                services.set_roles_by(current_user, user, wanted)
            flash(_("Roles saved."), "success")
            return redirect(url_for("staff.user_detail", user_id=user.id))
    return render_template(
        "staff/user.html",
        user=user,
        form=form,
        grantable=grantable,
        may_manage=services.may_manage(current_user, user),
        may_send_code=user.active and services.may_send_reset_code(current_user, user),
        shop=shop_services.owned_shop(user),
        action_form=UserActiveForm(),
        reset_form=ReasonForm(formdata=None),
    )


@bp.post("/users/<int:user_id>/active")
@role_required("staff")
def set_active(user_id: int):
    user = _managed_user(user_id)
    form = UserActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        with change():
            accounts.set_active(user, active)
        flash(_("Account activated.") if active else _("Account deactivated; its sessions have ended."), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


@bp.post("/users/<int:user_id>/reset-code")
@role_required("staff")
def send_reset_code(user_id: int):
    """Text the person a password-reset code (she then sets a new password at «forgot password»)."""
    user = db.get_or_404(User, user_id)
    form = ReasonForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.send_reset_code(current_user, user)
        if done:
            flash(_("A reset code was sent to this person's phone."), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


# ---------------------------------------------------------------- shops

# The status queues, then approved shops whose edited text waits for review.
SHOP_QUEUES = ("submitted", "new_text", "changes_requested", "approved", "suspended", "draft")


@bp.get("/shops")
@role_required("staff")
def shops():
    status = request.args.get("status", "submitted")
    if status not in SHOP_QUEUES:
        status = "submitted"
    with_new_text = shop_services.shops_with_pending_text()
    return render_template(
        "staff/shops.html",
        status=status,
        queues=SHOP_QUEUES,
        shops=with_new_text if status == "new_text" else shop_services.shops_with_status(status),
        counts=shop_services.status_counts() | {"new_text": len(with_new_text)},
    )


@bp.route("/shops/<int:shop_id>", methods=["GET", "POST"])
@role_required("staff")
def shop_detail(shop_id: int):
    shop = db.get_or_404(Shop, shop_id)
    form = DecisionForm()
    if form.validate_on_submit():
        with change(form, field="reason") as done:
            shop_services.staff_decision(shop, current_user, form.action.data or "", form.reason.data or "")
        if done:
            flash(_("Decision recorded."), "success")
            return redirect(url_for("staff.shops", status=shop.status))
    products = catalog.shop_products(shop)
    score, items = shop_services.brand_score(shop, catalog.listed_with_photos(products))
    return render_template(
        "staff/shop.html",
        shop=shop,
        form=form,
        score=score,
        items=items,
        palette=shop_services.shop_palette(shop),
        actions=shop_services.staff_actions(shop),
        payout=payout.shop_payout(shop),
        masked_sheba=payout.masked,
    ), 422 if form.errors else 200


# ---------------------------------------------------------------- bulk import


@bp.route("/import", methods=["GET", "POST"])
@role_required("staff")
def import_products():
    form = ImportForm()
    summary, errors = None, []
    if form.validate_on_submit():
        photos = form.photos.data.stream if form.photos.data else None
        try:
            summary = importer.import_files(
                form.csv_file.data.stream, photos, current_user, upload_dir(current_app),
                upload_limits(current_app.config), publish=form.publish.data, dry_run=form.dry_run.data,
            )  # fmt: skip
        except importer.ImportFailed as failed:
            db.session.rollback()
            errors = failed.errors
        else:
            if summary.dry_run:
                db.session.rollback()
            else:
                db.session.commit()
    status = 422 if errors or form.errors else 200
    return render_template(
        "staff/import.html", form=form, summary=summary, errors=errors, columns=importer.COLUMNS
    ), status


@bp.get("/import/sample.csv")
@role_required("staff")
def import_sample():
    return Response(
        importer.sample_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=rooyesh-products.csv"},
    )


# ---------------------------------------------------------------- outbox


@bp.get("/outbox")
@role_required("staff")
def outbox_failed():
    """Side effects the worker gave up on, with their errors; each can be sent again."""
    return render_template(
        "staff/outbox.html",
        messages=outbox.failed_messages(),
        queue=outbox.status(),
        action_form=OutboxRetryForm(),
    )


@bp.post("/outbox/<int:message_id>/retry")
@role_required("staff")
def outbox_retry(message_id: int):
    message = db.get_or_404(outbox.OutboxMessage, message_id)
    if OutboxRetryForm().validate_on_submit() and message.failed_at is not None:
        outbox.retry(message)
        db.session.commit()
        flash(_("Queued again; the worker will try it in a moment."), "success")
    return redirect(url_for("staff.outbox_failed"))
