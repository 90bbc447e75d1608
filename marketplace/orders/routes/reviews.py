"""/dashboard/reviews: the producer reads her shop's reviews and answers each one once. Every review
is loaded through `reviews.shop_review(owned_shop(current_user), id)`, so another shop's is a 404."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...core.transaction import change
from ...shops import services as shops
from .. import reviews
from ..buyer_forms import ReplyForm

bp = Blueprint("reviews", __name__)


@bp.get("/dashboard/reviews")
@role_required("producer")
def index():
    shop = shops.owned_shop(current_user)
    return render_template(
        "orders/producer_reviews.html",
        shop=shop,
        reviews=reviews.shop_reviews(shop) if shop else [],
        form=ReplyForm(),
        failed_id=None,
        max_length=reviews.MAX_REPLY,
    )


@bp.post("/dashboard/reviews/<int:review_id>/reply")
@role_required("producer")
def reply(review_id: int):
    shop = shops.owned_shop(current_user)
    review = reviews.shop_review(shop, review_id) or abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        with change(form) as done:
            reviews.reply(review, form.reply.data)
        if done:
            flash(_("Your answer is published under the review."), "success")
            return redirect(url_for("reviews.index") + f"#review-{review.id}")
    # the list again, her text kept in the form of the review she answered, with the message beside it
    return render_template(
        "orders/producer_reviews.html",
        shop=shop,
        reviews=reviews.shop_reviews(shop) if shop else [],
        form=form,
        failed_id=review.id,
        max_length=reviews.MAX_REPLY,
    ), 422
