"""Staff console: product moderation (/staff/products…)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...catalog import services as catalog
from ...catalog.forms import ProductDecisionForm
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
    score, quality = catalog.completeness(product)
    return render_template(
        "staff/product.html",
        product=product,
        form=form,
        score=score,
        quality=quality,
        checklist=registration.checklist_for_product(product),
        blockers=catalog.publish_blockers(product),
        tip_texts=catalog.TIP_TEXTS,
    ), 422 if form.errors else 200
