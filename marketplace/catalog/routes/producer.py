"""The producer's product pages (/dashboard/products/…): list, create, edit, photos, duplicate,
archive, send for review. Every product is loaded through services.owned_product(her shop, id)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...accounts.access import role_required
from ...core.images import load_upload, store_variants, upload_dir, upload_limits
from ...core.messages import lazy_gettext as _l
from ...core.numerals import is_persian
from ...core.persian import format_number
from ...core.transaction import change
from ...shops.services import owned_shop
from .. import services
from ..forms import ActionForm, PhotoForm, ProductForm
from ..models import PRODUCT_STATUSES

bp = Blueprint("products", __name__, url_prefix="/dashboard/products")


def _her_shop():
    shop = owned_shop(current_user)
    if shop is None:
        flash(_("Build your shop first; then you can add products."), "info")
    return shop


def _her_product(product_id: int):
    product = services.owned_product(owned_shop(current_user), product_id)
    if product is None:
        abort(404)
    return product


def _category_choices() -> dict:
    """Sub-categories grouped under their top category (an <optgroup> each)."""
    persian = is_persian()
    groups: dict[str, list[tuple[int, str]]] = {}
    for category in services.all_categories():
        if category.parent is not None:
            parent = category.parent.name_fa if persian else category.parent.name_en
            groups.setdefault(parent, []).append((category.id, category.name_fa if persian else category.name_en))
    return groups


def _form(product=None):
    """The product form, filled from the product on GET."""
    if product is not None and request.method == "GET":
        data = {
            "title": product.title,
            "description": product.description,
            "category_id": product.category_id,
            "price_toman": format_number(product.price_rial // 10, persian=is_persian()),  # «۲۲۰٬۰۰۰»
            "made_to_order": product.made_to_order,
            "lead_time_days": product.lead_time_days,
            "stock": product.stock,
            "weight_g": product.weight_g,
            "length_cm": product.length_cm,
            "width_cm": product.width_cm,
            "height_cm": product.height_cm,
            "materials": product.materials,
            "tags": "، ".join(product.tags),
            "option1_name": product.option1_name,
            "option2_name": product.option2_name,
            "title_en": product.title_en,
            "description_en": product.description_en,
            "variants": [
                {"value1": v.value1, "value2": v.value2, "stock": v.stock, "price_delta": v.price_delta_rial // 10}
                for v in product.variants
            ],
        }
        form = ProductForm(data=data)
    else:
        form = ProductForm()
    form.category_id.choices = {"": [(0, _("Choose…"))], **_category_choices()}
    return form


def _chosen_files() -> list:
    """The files she chose in the `photos` field (an empty field sends one nameless part)."""
    return [f for f in request.files.getlist("photos") if f and f.filename]


def _read_photos(files: list) -> list:
    """Open and check every chosen photo first (raises ImageRejected), so nothing is stored when one
    of them is wrong."""
    limits = upload_limits(current_app.config)
    return [
        load_upload(
            upload, max_bytes=limits["max_bytes"], max_pixels=limits["max_pixels"], draft_width=max(limits["widths"])
        )
        for upload in files
    ]


def _store_photos(product, images: list) -> None:
    """Write the checked photos through the upload pipeline and add them to the product (in the
    caller's transaction; raises CatalogError past 8 photos)."""
    limits = upload_limits(current_app.config)
    for image in images:
        stored = store_variants(image, upload_dir(current_app), limits["widths"])
        services.add_photo(product, stored.as_dict(), services.photo_tips(image), current_user)


@bp.get("")
@role_required("producer")
def index():
    shop = _her_shop()
    if shop is None:
        return redirect(url_for("wizard.setup"))
    status = request.args.get("status")
    status = status if status in PRODUCT_STATUSES else None
    return render_template(
        "catalog/producer/index.html",
        shop=shop,
        status=status,
        statuses=PRODUCT_STATUSES,
        products=services.shop_products(shop, status),
        action_form=ActionForm(),
    )


@bp.route("/new", methods=["GET", "POST"])
@role_required("producer")
def new():
    shop = _her_shop()
    if shop is None:
        return redirect(url_for("wizard.setup"))
    form = _form()
    if form.validate_on_submit():
        files = _chosen_files()
        with change(form, form_level={"variants"}, image_field="photos") as done:
            if len(files) > services.MAX_PHOTOS:
                raise services.CatalogError(
                    "photos", _l("A product can have at most %(num)s photos.", num=services.MAX_PHOTOS)
                )
            images = _read_photos(files)
            product = services.create_product(shop, form.product_data())
            _store_photos(product, images)  # the product and its photos are saved together, or neither
        if done:
            if product.images:
                flash(
                    ngettext("Saved with %(num)s photo.", "Saved with %(num)s photos.", len(product.images)), "success"
                )
            else:
                flash(_("Saved. Now add photos of your product."), "success")
            return redirect(url_for("products.edit", product_id=product.id) + "#product-photos")
    if form.errors and _chosen_files() and not form.photos.errors:
        # A browser never keeps chosen files when the page comes back; tell her beside the button.
        form.photos.errors = [_("Please choose your photos again after fixing the rest.")]
    return render_template("catalog/producer/form.html", form=form, product=None), 422 if form.errors else 200


@bp.route("/<int:product_id>", methods=["GET", "POST"])
@role_required("producer")
def edit(product_id: int):
    product = _her_product(product_id)
    form = _form(product)
    if form.validate_on_submit():
        with change(form, form_level={"variants"}) as done:
            back_to_review = services.update_product(product, form.product_data(), current_user)
        if done:
            flash(
                _("Saved. Your changes go to the centre for review before buyers see them.")
                if back_to_review
                else _("Saved."),
                "success",
            )
            return redirect(url_for("products.edit", product_id=product.id))
    score, quality = services.completeness(product)
    return render_template(
        "catalog/producer/form.html",
        form=form,
        product=product,
        photo_form=PhotoForm(),
        action_form=ActionForm(),
        score=score,
        quality=quality,
        tip_texts=services.TIP_TEXTS,
        blockers=services.publish_blockers(product) if product.status != "published" else [],
    ), 422 if form.errors else 200


@bp.post("/<int:product_id>/photos")
@role_required("producer")
def add_photos(product_id: int):
    product = _her_product(product_id)
    form = PhotoForm()
    if not form.validate_on_submit():
        abort(400)
    files = _chosen_files()
    if not files:
        flash(_("Choose one or more photos first."), "error")
    with change(image_field="photos") as done:  # no form here: a refusal becomes a flash
        _store_photos(product, _read_photos(files))
    if done and files:
        flash(_("Photos added."), "success")
    return redirect(url_for("products.edit", product_id=product.id) + "#product-photos")


@bp.post("/<int:product_id>/photos/<int:image_id>/<any(earlier, later, cover, delete):action>")
@role_required("producer")
def photo_action(product_id: int, image_id: int, action: str):
    product = _her_product(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with change():
        if action == "delete":
            services.remove_photo(product, image_id, current_user)
        elif action == "cover":
            services.make_cover(product, image_id, current_user)
        else:
            services.move_photo(product, image_id, -1 if action == "earlier" else 1, current_user)
    return redirect(url_for("products.edit", product_id=product.id) + "#product-photos")


@bp.post("/<int:product_id>/<any(submit, archive, restore):action>")
@role_required("producer")
def status_action(product_id: int, action: str):
    product = _her_product(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with change() as done:
        services.change_status(product, current_user, action)
    if done:
        messages = {
            "submit": _("Sent to the centre for review."),
            "archive": _("Archived: buyers no longer see it."),
            "restore": _("Back among your drafts."),
        }
        flash(messages[action], "success")
    return redirect(url_for("products.edit", product_id=product.id))


@bp.post("/<int:product_id>/duplicate")
@role_required("producer")
def duplicate(product_id: int):
    product = _her_product(product_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with change():
        copy = services.duplicate_product(product)
    flash(_("A copy was made as a draft. Change what differs."), "success")
    return redirect(url_for("products.edit", product_id=copy.id))
