"""Platform settings for the centre's administrators (/staff/settings): commission, card currency and
default delivery fees; category names; the registration requirement items' text and kinds.

Each form carries an optional `reason` (the audit log keeps it) and each change is one request and
one commit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...catalog import services as catalog
from ...catalog.models import KINDS, Category
from ...core.settings import platform_setting, platform_settings, save_platform_settings
from ...core.transaction import change
from ...extensions import db
from ...payments import services as payments
from ...registration import edits
from ...registration.requirements import Item, load_requirements
from ...registration.routes import KIND_LABELS
from ..forms import CategoryNamesForm, PlatformSettingsForm, ReasonForm, RequirementItemForm

bp = Blueprint("staff_settings", __name__, url_prefix="/staff/settings")


@bp.route("", methods=["GET", "POST"])
@role_required("admin")
def index():
    """The commission, the card currency (its rate is set on the payments page) and default fees."""
    form = (
        PlatformSettingsForm() if request.method == "POST" else PlatformSettingsForm.from_settings(platform_settings())
    )
    if form.validate_on_submit():
        with change(form) as done:
            changed = save_platform_settings(form.values(), current_user.id)
        if done:
            flash(_("Settings saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("staff_settings.index"))
    currency = platform_setting("STRIPE_CURRENCY")
    return render_template(
        "staff/settings.html", form=form, currency=currency, rate=payments.current_rate(currency)
    ), 422 if form.errors else 200


# ---------------------------------------------------------------- category names


@bp.get("/categories")
@role_required("admin")
def categories():
    return render_template("staff/settings_categories.html", categories=catalog.all_categories())


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@role_required("admin")
def category(category_id: int):
    category = db.get_or_404(Category, category_id)
    form = CategoryNamesForm(obj=category)
    if form.validate_on_submit():
        with change(form) as done:
            catalog.rename_category(category, form.name_fa.data or "", form.name_en.data or "")
        if done:
            flash(_("Category names saved."), "success")
            return redirect(url_for("staff_settings.categories"))
    return render_template("staff/settings_category.html", category=category, form=form), 422 if form.errors else 200


# ---------------------------------------------------------------- registration requirements


@bp.get("/requirements")
@role_required("admin")
def requirements():
    return render_template(
        "staff/settings_requirements.html",
        items=load_requirements().items,
        edited=edits.edited_codes(),
        kind_labels=KIND_LABELS,
    )


def _item_or_404(code: str) -> Item:
    """The item as checklists show it (staff's edit applied)."""
    item = load_requirements().get(code)
    if item is None:
        abort(404)
    return item


@bp.route("/requirements/<code>", methods=["GET", "POST"])
@role_required("admin")
def requirement(code: str):
    item = _item_or_404(code)
    form = RequirementItemForm() if request.method == "POST" else RequirementItemForm.from_item(item)
    if form.validate_on_submit():
        with change(form, form_level=("requirements",)) as done:
            edits.save_item_edit(code, form.fields_for_edit(KINDS), current_user.id)
        if done:
            flash(_("Item saved. Checklists show it from now on."), "success")
            return redirect(url_for("staff_settings.requirements"))
    return render_template(
        "staff/settings_requirement.html",
        code=code,
        item=item,
        form=form,
        kinds=KINDS,
        edited=code in edits.edited_codes(),
        reset_form=ReasonForm(prefix="reset", formdata=None),
    ), 422 if form.errors or form.form_errors else 200


@bp.post("/requirements/<code>/reset")
@role_required("admin")
def reset_requirement(code: str):
    _item_or_404(code)
    form = ReasonForm(prefix="reset")
    if form.validate_on_submit():
        with change(form) as done:
            edits.reset_item(code)
        if done:
            flash(_("Back to the original text of %(code)s.", code=code), "success")
    return redirect(url_for("staff_settings.requirements"))
