"""Staff console: /staff/… (people today; queues, fairs and reports come with their issues)."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import services as accounts
from ..accounts.access import role_required
from ..accounts.models import User
from ..catalog import importer
from ..catalog import services as catalog
from ..core.images import upload_dir, upload_limits
from ..core.numbers import page_arg
from ..extensions import db
from ..shops import services as shop_services
from ..shops.forms import DecisionForm
from ..shops.models import Shop
from . import services
from .forms import ImportForm, UserActiveForm, UserRolesForm

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
    form = UserRolesForm(data={role: role in user.roles for role in ("producer", "staff", "admin")})
    if request.method == "POST":
        user = _managed_user(user_id)
        form = UserRolesForm()
        if form.validate_on_submit():
            wanted = {role for role in ("producer", "staff", "admin") if form[role].data}
            # Roles the actor may not touch stay as they were.
            kept = user.roles - grantable
            accounts.set_roles(user, (wanted & grantable) | kept)
            db.session.commit()
            flash(_("Roles saved."), "success")
            return redirect(url_for("staff.user_detail", user_id=user.id))
    return render_template(
        "staff/user.html",
        user=user,
        form=form,
        grantable=grantable,
        may_manage=services.may_manage(current_user, user),
        action_form=UserActiveForm(),
    )


@bp.post("/users/<int:user_id>/active")
@role_required("staff")
def set_active(user_id: int):
    user = _managed_user(user_id)
    form = UserActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        accounts.set_active(user, active)
        db.session.commit()
        flash(_("Account activated.") if active else _("Account deactivated; its sessions have ended."), "success")
    return redirect(url_for("staff.user_detail", user_id=user.id))


# ---------------------------------------------------------------- shops

SHOP_QUEUES = ("submitted", "changes_requested", "approved", "suspended", "draft")


@bp.get("/shops")
@role_required("staff")
def shops():
    status = request.args.get("status", "submitted")
    if status not in SHOP_QUEUES:
        status = "submitted"
    return render_template(
        "staff/shops.html",
        status=status,
        queues=SHOP_QUEUES,
        shops=shop_services.shops_with_status(status),
        counts=shop_services.status_counts(),
    )


@bp.route("/shops/<int:shop_id>", methods=["GET", "POST"])
@role_required("staff")
def shop_detail(shop_id: int):
    shop = db.get_or_404(Shop, shop_id)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            shop_services.change_status(shop, current_user, form.action.data, form.reason.data or "")
        except (shop_services.ShopError, KeyError) as error:
            db.session.rollback()
            form.reason.errors = [getattr(error, "message", _("Unknown action."))]
        else:
            db.session.commit()
            flash(_("Decision recorded."), "success")
            return redirect(url_for("staff.shops", status=shop.status))
    products = catalog.shop_products(shop)
    score, items = shop_services.brand_score(shop, sum(1 for p in products if p.images and p.status != "archived"))
    return render_template(
        "staff/shop.html",
        shop=shop,
        form=form,
        score=score,
        items=items,
        palette=shop_services.shop_palette(shop),
        actions=shop_services.actions_for(shop.status),
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
