"""Staff console: product moderation (/staff/products…)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...catalog import services as catalog
from ...catalog.forms import EnglishForm, ProductDecisionForm
from ...catalog.models import Product
from ...core.transaction import change
from ...extensions import db
from ...registration import services as registration

bp = Blueprint("staff_products", __name__, url_prefix="/staff/products")


@bp.get("")
@role_required("staff")
def queue():
    products = catalog.review_queue()
    return render_template(
        "staff/products.html", products=products, scores={p.id: catalog.completeness(p)[0] for p in products}
    )


@bp.route("/<int:product_id>", methods=["GET", "POST"])
@role_required("staff")
def review(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = ProductDecisionForm()
    if form.validate_on_submit():
        with change(form, field="reason") as done:
            catalog.staff_decision(product, current_user, request.form.get("action", ""), form.reason.data or "")
        if done:
            flash(_("Decision recorded."), "success")
            return redirect(url_for("staff_products.queue"))
    return _page(product, form, _english_form(product, posted=False))


def _english_form(product: Product, posted: bool) -> EnglishForm:
    """The English title form: what was posted to it, else filled from the product."""
    if posted:
        return EnglishForm()
    return EnglishForm(formdata=None, data={"title_en": product.title_en, "description_en": product.description_en})


def _page(product: Product, form: ProductDecisionForm, english_form: EnglishForm):
    """The product's review page; 422 when either form has errors."""
    score, quality = catalog.completeness(product)
    return render_template(
        "staff/product.html",
        product=product,
        form=form,
        english_form=english_form,
        score=score,
        quality=quality,
        checklist=registration.checklist_for_product(product),
        blockers=catalog.publish_blockers(product),
        tip_texts=catalog.TIP_TEXTS,
    ), 422 if form.errors or english_form.errors else 200


@bp.post("/<int:product_id>/english")
@role_required("staff")
def english(product_id: int):
    """Set or clear the product's English title and short description (no status change)."""
    product = db.get_or_404(Product, product_id)
    english_form = _english_form(product, posted=True)
    if english_form.validate_on_submit():
        with change(english_form) as done:
            catalog.set_english(product, english_form.title_en.data or "", english_form.description_en.data or "")
        if done:
            flash(_("English title and description saved."), "success")
            return redirect(url_for("staff_products.review", product_id=product.id))
    return _page(product, ProductDecisionForm(formdata=None), english_form)
