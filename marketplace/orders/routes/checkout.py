"""Checkout (/checkout): where to send, how each shop delivers, how to pay; then one order per shop.
A guest is sent to log in or sign up (both come back here) and keeps her cart."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; the stubs predate it

from ...core.app import current_app_object
from ...core.transaction import change
from ...core.urls import public_url
from ...payments import services as payments
from ...payments.models import PaymentMethod, PaymentStatus
from ...payments.providers import LineForProvider
from .. import checkout as checkouts
from .. import services
from ..cart import grouped_lines
from ..forms import CheckoutForm
from .cart import COUNT_KEY, current_cart

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
NEW_ADDRESS = "new"


def _groups():
    return grouped_lines(current_cart(), max_line=current_app.config["MAX_LINE_QUANTITY"])


def _choices(form: CheckoutForm, groups, addresses) -> dict[int, str]:
    """Fill the form's choices; return the delivery method chosen for each shop (first offered by default)."""
    app = current_app_object()
    form.address_id.choices = [SelectChoice(str(a.id), a.line) for a in addresses] + [
        SelectChoice(NEW_ADDRESS, _("A new address"))
    ]
    if form.address_id.data in (None, "", "None"):
        form.address_id.data = str(addresses[0].id) if addresses else NEW_ADDRESS
    pickups = checkouts.booth_pickups(groups)
    methods = checkouts.payment_methods(app, groups, pickups)
    form.payment_method.choices = [SelectChoice(m, str(services.PAYMENT_LABELS[PaymentMethod(m)])) for m in methods]
    if form.payment_method.data not in methods:
        form.payment_method.data = methods[0] if methods else None
    chosen = {}
    for group in groups:
        group.pickup = pickups[group.shop.id]
        group.options = checkouts.delivery_options(checkouts.delivery_settings(app, group.shop), group.pickup)
        wanted = request.form.get(f"delivery_{group.shop.id}", "")
        chosen[group.shop.id] = wanted if wanted in group.options else next(iter(group.options), "")
    return chosen


@bp.route("", methods=["GET", "POST"])
@login_required
def start():
    """The checkout page; "place order" creates the orders, "update total" only recalculates."""
    groups = _groups()
    if not groups:
        return redirect(url_for("cart.show"))
    addresses = checkouts.buyer_addresses(current_user.id)
    form = CheckoutForm()
    chosen = _choices(form, groups, addresses)
    placing = request.method == "POST" and "place" in request.form
    if placing and form.validate_on_submit():
        app = current_app_object()
        with change(form, form_level={"cart"}) as done:
            address = _address(form, chosen)
            method = form.payment_method.data or ""
            choice = checkouts.CheckoutChoice(chosen, method, address, note=form.note.data or "")
            placed = checkouts.place_order(app, current_user, current_cart(), choice)
        if done:
            session[COUNT_KEY] = 0
            if placed.payment.method == "card":
                return redirect(url_for("checkout.pay", checkout_id=placed.id))
            return redirect(url_for("checkout.done", checkout_id=placed.id))
        groups = _groups()  # the refusal rolled back: show the cart as it is now
        chosen = _choices(form, groups, addresses)
    fees = sum(group.options.get(chosen[group.shop.id], 0) for group in groups)
    items = sum(group.subtotal_rial for group in groups)
    status = 422 if form.errors or form.form_errors else 200
    return render_template(
        "orders/checkout.html",
        form=form,
        groups=groups,
        chosen=chosen,
        addresses=addresses,
        labels=services.DELIVERY_LABELS,
        items_rial=items,
        fees_rial=fees,
        new_address=NEW_ADDRESS,
    ), status


def _address(form: CheckoutForm, chosen: dict[int, str]):
    """The buyer's chosen address from her book, or the typed one saved to it (when anything is shipped)."""
    if form.address_id.data != NEW_ADDRESS:
        typed = form.address_id.data or ""
        return checkouts.buyer_address(current_user.id, int(typed)) if typed.isdigit() else None
    if not any(method in ("post", "courier") for method in chosen.values()):
        return None  # everything picked up: no address needed
    return checkouts.add_address(current_user.id, form.new_address())


def _her_checkout(checkout_id: int):
    placed = checkouts.buyer_checkout(current_user.id, checkout_id)
    if placed is None:
        abort(404)
    return placed


@bp.get("/<int:checkout_id>/pay")
@login_required
def pay(checkout_id: int):
    """Send the buyer to the card provider's page. Safe to open twice: the provider call carries an
    idempotency key from the checkout, so a reload gets the same session back."""
    placed = _her_checkout(checkout_id)
    payment = placed.payment
    if payment.method != "card" or payment.status != PaymentStatus.PENDING:
        return redirect(url_for("checkout.done", checkout_id=placed.id))
    lines = [
        LineForProvider(name=item.title, quantity=item.quantity, unit_rial=item.unit_price_rial)
        for order in placed.orders
        for item in order.items
    ]
    done_url = public_url("checkout.done", checkout_id=placed.id)
    with change() as done:
        started = payments.start_card_payment(
            current_app_object(), payment, lines=lines, success_url=done_url, cancel_url=done_url + "?cancelled=1"
        )
    if not done or not started.redirect_url:
        return render_template("orders/done.html", placed=placed, provider_down=True), 502
    return redirect(started.redirect_url, 303)


@bp.get("/<int:checkout_id>/done")
@login_required
def done(checkout_id: int):
    """After placing: what happens next. While a card payment is pending, ask the provider on the
    server (never trust the query string) and show "processing" until it is confirmed."""
    placed = _her_checkout(checkout_id)
    payment = placed.payment
    if payment.method == "card" and payment.status == PaymentStatus.PENDING and payment.provider_ref:
        with change():
            payments.refresh_from_provider(current_app_object(), payment)
    instructions = payments.instructions_for(current_app_object(), payment)
    return render_template(
        "orders/done.html",
        placed=placed,
        payment=payment,
        instructions=instructions,
        cancelled=request.args.get("cancelled") == "1",
        labels=services.STATUS_LABELS,
    )
