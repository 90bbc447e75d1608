"""The buyer's printable receipt of one of her orders (/orders/<id>/receipt). The producer prints
the same receipt from her desk; someone else's order is a 404."""

from flask import Blueprint, abort, url_for
from flask_login import current_user, login_required

from .. import services
from .desk import render_receipt

bp = Blueprint("receipts", __name__)


@bp.get("/orders/<int:order_id>/receipt")
@login_required
def receipt(order_id: int):
    order = services.buyer_order(current_user.id, order_id)
    if order is None:
        abort(404)
    return render_receipt(order, back_url=url_for("orders.detail", order_id=order.id))
