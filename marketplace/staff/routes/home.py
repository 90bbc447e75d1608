"""Staff console home (/staff): the queues that wait for the centre, the one search box
(/staff/search), the orders stuck in one state (/staff/orders/stuck) and an order as staff see it,
read-only (/staff/orders/<id>). Views of the `staff` blueprint (console.py)."""

from flask import current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...accounts.access import role_required
from ...core.dates import utcnow
from ...extensions import db
from ...orders import desk
from ...orders import services as orders
from ...orders.models import Checkout, Order
from .. import lookup, queues
from .console import bp


def _stuck_days() -> int:
    return int(current_app.config["STUCK_ORDER_DAYS"])


@bp.get("")
@role_required("staff")
def home():
    now = utcnow()
    return render_template(
        "staff/home.html",
        queues=queues.console_queues(now, _stuck_days()),
        now=now,
        stuck_days=_stuck_days(),
        status_labels=orders.STATUS_LABELS,
    )


@bp.get("/search")
@role_required("staff")
def search():
    typed = request.args.get("q", "")[:100]
    return render_template(
        "staff/search.html", typed=typed, found=lookup.find(typed), status_labels=orders.STATUS_LABELS
    )


@bp.get("/orders/stuck")
@role_required("staff")
def stuck_orders():
    state = request.args.get("state", "")
    if state not in queues.STUCK_STATES:
        state = ""
    now = utcnow()
    return render_template(
        "staff/stuck_orders.html",
        rows=queues.stuck_orders(now, _stuck_days(), state or None),
        state=state,
        states=queues.STUCK_STATES,
        now=now,
        stuck_days=_stuck_days(),
        status_labels=orders.STATUS_LABELS,
    )


@bp.get("/orders/<int:order_id>")
@role_required("staff")
def order(order_id: int):
    # staff may read any order (a buyer or producer on the phone, a dispute); nothing changes here
    order = db.first_or_404(
        select(Order)
        .where(Order.id == order_id)
        .options(
            selectinload(Order.items),
            selectinload(Order.events),
            selectinload(Order.checkout).selectinload(Checkout.payment),
        )
    )
    return render_template(
        "staff/order.html",
        order=order,
        status_labels=orders.STATUS_LABELS,
        delivery_labels=orders.DELIVERY_LABELS,
        payment_labels=orders.PAYMENT_LABELS,
        event_labels=desk.EVENT_LABELS,
    )
