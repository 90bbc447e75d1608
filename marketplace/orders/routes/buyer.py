"""The buyer's side of her orders: /orders, one order's page with its timeline, cancel before
acceptance, confirm delivery, review each delivered item; and her favourites and followed shops.
Every order is loaded through `services.buyer_order`, so another buyer's order is a 404."""

from itertools import groupby

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.security import is_safe_next
from ...core.transaction import change
from .. import favourites, reviews, services
from ..buyer_forms import CancelForm, ReviewForm
from ..forms import ActionForm
from ..models import Order, OrderStatus

bp = Blueprint("orders", __name__)


def _her_order(order_id: int) -> Order:
    """The signed-in buyer's order, or 404 (someone else's order looks like no order)."""
    return services.buyer_order(current_user.id, order_id) or abort(404)


@bp.get("/orders")
@login_required
def index():
    """Her orders, newest first; the orders of one checkout (one per shop) are shown together."""
    orders = services.buyer_orders(current_user.id)
    checkouts = [list(group) for _checkout_id, group in groupby(orders, key=lambda order: order.checkout_id)]
    return render_template("orders/list.html", checkouts=checkouts, status_labels=services.STATUS_LABELS, S=OrderStatus)


@bp.get("/orders/<int:order_id>")
@login_required
def detail(order_id: int):
    order = _her_order(order_id)
    return render_template(
        "orders/detail.html",
        order=order,
        labels=_labels(),
        may_cancel=order.status in services.BUYER_MAY_CANCEL,
        may_confirm=order.status == OrderStatus.SHIPPED,
        cancel_form=CancelForm(),
        action_form=ActionForm(),
        S=OrderStatus,
    )


def _labels() -> dict:
    return {
        "status": services.STATUS_LABELS,
        "delivery": services.DELIVERY_LABELS,
        "payment": services.PAYMENT_LABELS,
    }


@bp.post("/orders/<int:order_id>/cancel")
@login_required
def cancel(order_id: int):
    order = _her_order(order_id)
    form = CancelForm()
    if not form.validate_on_submit():
        abort(400)
    with change() as done:  # a refusal (already accepted) is shown as a flash on the order page
        services.cancel(order, actor_id=current_user.id, reason=form.reason.data or "", by="buyer")
    if done:
        flash(_("Your order is cancelled."), "success")
    return redirect(url_for("orders.detail", order_id=order.id))


@bp.post("/orders/<int:order_id>/delivered")
@login_required
def confirm_delivery(order_id: int):
    order = _her_order(order_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    with change() as done:
        services.deliver(order, actor_id=current_user.id)
    if done:
        flash(_("Thank you! Now you can review what you bought."), "success")
    return redirect(url_for("orders.detail", order_id=order.id) + "#items")


@bp.route("/orders/<int:order_id>/items/<int:item_id>/review", methods=["GET", "POST"])
@login_required
def review(order_id: int, item_id: int):
    order = _her_order(order_id)
    item = reviews.reviewable_item(order, item_id) or abort(404)
    form = ReviewForm()
    if form.validate_on_submit():
        with change(form) as done:
            reviews.add_review(order, item, buyer_id=current_user.id, rating=form.rating.data, body=form.body.data)
        if done:
            flash(_("Thank you for your review!"), "success")
            return redirect(url_for("orders.detail", order_id=order.id) + "#items")
    return render_template(
        "orders/review.html",
        order=order,
        item=item,
        form=form,
        max_length=reviews.MAX_REVIEW,
        delivered=order.status == OrderStatus.DELIVERED,
    ), 422 if form.errors else 200


# --- favourites and follows ---------------------------------------------------------------------


def _back(default: str) -> str:
    """Where a save/follow button returns to: the page it was pressed on, when that is on this site."""
    target = request.form.get("next", "")
    return target if is_safe_next(target) else default


def _login_first():
    """A guest is sent to log in, then back to the page she pressed the button on."""
    return redirect(url_for("accounts.login", next=_back(url_for("orders.favourites"))))


@bp.post("/favourites/<int:product_id>")
def favourite(product_id: int):
    """Save the product among her favourites, or take it out (a toggle)."""
    if not current_user.is_authenticated:
        return _login_first()
    if not ActionForm().validate_on_submit():
        abort(400)
    with change() as done:
        saved = favourites.toggle_favourite(current_user.id, product_id)
    if done:
        flash(_("Saved to your favourites.") if saved else _("Removed from your favourites."), "success")
    return redirect(_back(url_for("orders.favourites")))


@bp.post("/follow/<int:shop_id>")
def follow(shop_id: int):
    """Follow the shop, or stop following it (a toggle)."""
    if not current_user.is_authenticated:
        return _login_first()
    if not ActionForm().validate_on_submit():
        abort(400)
    with change() as done:
        following = favourites.toggle_follow(current_user.id, shop_id)
    if done:
        flash(_("You follow this shop now.") if following else _("You no longer follow this shop."), "success")
    return redirect(_back(url_for("orders.favourites")))


@bp.get("/favourites", endpoint="favourites")
@login_required
def favourites_page():
    """Her favourite products and the shops she follows."""
    return render_template(
        "orders/favourites.html",
        products=favourites.favourite_products(current_user.id),
        shops=favourites.followed_shops(current_user.id),
        action_form=ActionForm(),
    )
