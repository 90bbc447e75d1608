"""The producer's order desk (/dashboard/orders/…): her orders by tab, one order with the buyer's
contact and address and the actions the state machine allows, the packing slip, the receipt and her
delivery settings. Every order is loaded through services.shop_order(her shop, id): another shop's
order is a 404."""

from datetime import datetime

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...core.database import begin_write
from ...core.dates import TEHRAN, jalali_input_value
from ...core.numerals import is_persian
from ...core.persian import format_number
from ...core.transaction import change
from ...extensions import db
from ...shops.services import owned_shop
from .. import checkout, desk, services
from ..desk_forms import AcceptForm, ActionForm, CancelForm, DeliverySettingsForm, ShipForm
from ..models import Order

bp = Blueprint("desk", __name__, url_prefix="/dashboard/orders")


def _her_order(order_id: int) -> Order:
    order = services.shop_order(owned_shop(current_user), order_id)
    if order is None:
        abort(404)
    return order


@bp.get("")
@role_required("producer")
def index():
    shop = owned_shop(current_user)
    if shop is None:
        flash(_("Build your shop first; then buyers can order from you."), "info")
        return redirect(url_for("dashboard.home"))
    tab = request.args.get("tab", "all")
    if tab not in desk.TAB_LABELS:
        tab = "all"
    return render_template(
        "orders/desk/index.html",
        shop=shop,
        tab=tab,
        tabs=desk.TAB_LABELS,
        counts=desk.tab_counts(shop),
        orders=desk.tab_orders(shop, tab),
        new_count=services.new_order_count(shop),
        is_new=desk.is_new,
        status_labels=services.STATUS_LABELS,
        delivery_labels=services.DELIVERY_LABELS,
    )


def _render_detail(order: Order, **forms):
    """The order page, with the action forms given (a refused one keeps what she typed)."""
    accept_form = forms.get("accept_form") or AcceptForm(
        data={"expected_ship_date": jalali_input_value(order.expected_ship_date or datetime.now(TEHRAN).date())}
    )
    return render_template(
        "orders/desk/detail.html",
        order=order,
        actions=desk.allowed_actions(order),
        money_received=desk.money_received(order),
        accept_form=accept_form,
        ship_form=forms.get("ship_form") or ShipForm(),
        cancel_form=forms.get("cancel_form") or CancelForm(),
        action_form=ActionForm(),
        status_labels=services.STATUS_LABELS,
        delivery_labels=services.DELIVERY_LABELS,
        payment_labels=services.PAYMENT_LABELS,
        event_labels=desk.EVENT_LABELS,
    )


@bp.get("/<int:order_id>")
@role_required("producer")
def detail(order_id: int):
    order = _her_order(order_id)
    if order.seen_by_shop_at is None:
        # The one GET that writes, once per order: she has opened it, so it stops counting as new
        # (like an opened e-mail). It is her private page and the write is idempotent. On SQLite the
        # write lock is taken at BEGIN, as for a POST, instead of upgrading this read transaction.
        db.session.rollback()
        begin_write()
        order = _her_order(order_id)
        with change():
            services.mark_seen(order)
    return _render_detail(order)


@bp.post("/<int:order_id>/accept")
@role_required("producer")
def accept(order_id: int):
    order = _her_order(order_id)
    form = AcceptForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.accept(order, actor_id=current_user.id, expected_ship_date=form.expected_ship_date.date or None)
        if done:
            flash(_("Order accepted. The buyer has been told when you will send it."), "success")
            return redirect(url_for("desk.detail", order_id=order_id))
    return _render_detail(order, accept_form=form)


@bp.post("/<int:order_id>/ship")
@role_required("producer")
def ship(order_id: int):
    order = _her_order(order_id)
    form = ShipForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.ship(
                order,
                actor_id=current_user.id,
                carrier=form.carrier.data or "",
                tracking_code=form.tracking_code.data or "",
            )
        if done:
            flash(_("Marked as sent. The buyer has been told."), "success")
            return redirect(url_for("desk.detail", order_id=order_id))
    return _render_detail(order, ship_form=form)


@bp.post("/<int:order_id>/deliver")
@role_required("producer")
def deliver(order_id: int):
    order = _her_order(order_id)
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.deliver(order, actor_id=current_user.id)
        if done:
            flash(_("Marked as delivered."), "success")
            return redirect(url_for("desk.detail", order_id=order_id))
    return _render_detail(order)


@bp.post("/<int:order_id>/money-received")
@role_required("producer")
def money_received(order_id: int):
    order = _her_order(order_id)
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.mark_money_received(order, actor_id=current_user.id)
        if done:
            flash(_("Noted: you have received the money."), "success")
            return redirect(url_for("desk.detail", order_id=order_id))
    return _render_detail(order)


@bp.post("/<int:order_id>/cancel")
@role_required("producer")
def cancel(order_id: int):
    order = _her_order(order_id)
    form = CancelForm()
    if form.validate_on_submit():
        with change(form) as done:
            services.cancel(order, actor_id=current_user.id, reason=form.reason.data or "", by="producer")
        if done:
            flash(_("Order cancelled. The items are back in stock and the buyer has been told."), "success")
            return redirect(url_for("desk.detail", order_id=order_id))
    return _render_detail(order, cancel_form=form)


@bp.get("/<int:order_id>/slip")
@role_required("producer")
def slip(order_id: int):
    order = _her_order(order_id)
    return render_template(
        "orders/desk/slip.html",
        order=order,
        qr=desk.qr_svg(desk.order_page_url(order), _("Order %(num)s", num=order.number)),
        delivery_labels=services.DELIVERY_LABELS,
    )


@bp.get("/<int:order_id>/receipt")
@role_required("producer")
def receipt(order_id: int):
    order = _her_order(order_id)
    return render_receipt(order, back_url=url_for("desk.detail", order_id=order.id))


def render_receipt(order: Order, back_url: str):
    """The printable receipt of one order, the same for the buyer and for the producer."""
    return render_template(
        "orders/receipt.html",
        order=order,
        back_url=back_url,
        money_received=desk.money_received(order),
        qr=desk.qr_svg(desk.order_page_url(order), _("Order %(num)s", num=order.number)),
        status_labels=services.STATUS_LABELS,
        delivery_labels=services.DELIVERY_LABELS,
        payment_labels=services.PAYMENT_LABELS,
    )


def _settings_form(settings) -> DeliverySettingsForm:
    """The settings form, filled from what is stored on GET (fees in toman, in her digits)."""
    if request.method != "GET":
        return DeliverySettingsForm()

    def toman(rial):
        return format_number(rial // 10, persian=is_persian()) if rial is not None else ""

    return DeliverySettingsForm(
        data={
            "post": settings.post_fee_rial is not None,
            "post_fee": toman(settings.post_fee_rial),
            "courier": settings.courier_fee_rial is not None,
            "courier_fee": toman(settings.courier_fee_rial),
            "pickup_centre": settings.pickup_centre,
            "allow_cod": settings.allow_cod,
        }
    )


@bp.route("/settings", methods=["GET", "POST"])
@role_required("producer")
def settings():
    shop = owned_shop(current_user)
    if shop is None:
        abort(404)
    form = _settings_form(checkout.delivery_settings(current_app, shop))
    if form.validate_on_submit():
        with change(form) as done:
            checkout.save_delivery_settings(current_app, shop, **form.settings_data())
        if done:
            flash(_("Delivery settings saved."), "success")
            return redirect(url_for("desk.settings"))
    return render_template("orders/desk/settings.html", form=form, shop=shop)
