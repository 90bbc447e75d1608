"""An order's message thread, seen by each party at her own address: the buyer at
/orders/<id>/messages, the producer at /dashboard/orders/<id>/messages, centre staff (read-only,
for disputes) at /staff/orders/<id>/messages. Each loads the order through its own scoped lookup;
anyone else's order is a 404."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...accounts.access import role_required
from ...core.transaction import change
from ...extensions import db
from ...shops.services import owned_shop
from .. import services, threads
from ..forms import MessageForm
from ..models import Order, OrderStatus

bp = Blueprint("order_messages", __name__)


def _thread_page(order: Order, side: threads.Side, endpoint: str, back_url: str):
    """The thread with its reply box; a posted message goes in and the page comes back to it, a
    refused one is shown again with its message next to the box and the text kept."""
    form = MessageForm()
    if form.validate_on_submit():
        with change(form) as done:
            message = threads.post_message(order, current_user, side, form.body.data)
        if done:
            flash(_("Your message was sent."), "success")
            return redirect(url_for(endpoint, order_id=order.id, _anchor=f"message-{message.id}"))
    page = _render(order, side, form, url_for(endpoint, order_id=order.id), back_url)
    return page, 422 if form.errors else 200


def _render(order: Order, side: str, form: MessageForm | None, post_url: str | None, back_url: str | None):
    return render_template(
        "orders/messages.html",
        order=order,
        messages=threads.thread_messages(order),
        author_label=threads.author_label,
        side=side,
        form=form,
        post_url=post_url,
        back_url=back_url,
        status_label=services.STATUS_LABELS[OrderStatus(order.status)],
        max_body=threads.MAX_BODY,
    )


@bp.route("/orders/<int:order_id>/messages", methods=["GET", "POST"])
@login_required
def buyer_thread(order_id: int):
    order = services.buyer_order(current_user.id, order_id) or abort(404)
    return _thread_page(order, threads.Side.BUYER, "order_messages.buyer_thread", f"/orders/{order.id}")


@bp.route("/dashboard/orders/<int:order_id>/messages", methods=["GET", "POST"])
@role_required("producer")
def producer_thread(order_id: int):
    order = services.shop_order(owned_shop(current_user), order_id) or abort(404)
    return _thread_page(order, threads.Side.PRODUCER, "order_messages.producer_thread", f"/dashboard/orders/{order.id}")


@bp.get("/staff/orders/<int:order_id>/messages")
@role_required("staff")
def staff_thread(order_id: int):
    # staff may read any order's thread (disputes), and only read it: no reply box
    order = db.get_or_404(Order, order_id)
    return _render(order, "staff", None, None, None)
