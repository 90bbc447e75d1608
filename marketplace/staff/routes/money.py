"""The centre's money pages: the producers' ledger (/staff/ledger: what the centre owes each
producer and each producer owes the centre, settled by shop) and card payments (/staff/payments:
the exchange rate card payments are charged at, and the latest payments)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ...accounts.access import role_required
from ...core.settings import platform_setting
from ...core.transaction import change
from ...extensions import db
from ...orders import services as orders
from ...payments import services as payments
from ...shops import payout
from ...shops.models import Shop
from .. import money
from ..forms import ExchangeRateForm, SettleForm

bp = Blueprint("staff_money", __name__, url_prefix="/staff")


@bp.get("/ledger")
@role_required("staff")
def ledger():
    settled = request.args.get("state") == "settled"
    groups = money.ledger_by_shop(settled)
    return render_template(
        "staff/ledger.html",
        settled=settled,
        groups=groups,
        centre_owes=sum(group.owed_rial for group in groups if group.owed_rial > 0),
        producers_owe=-sum(group.owed_rial for group in groups if group.owed_rial < 0),
        commission_percent=platform_setting("PLATFORM_COMMISSION_PERCENT"),
        settle_form=SettleForm(),
        payouts=payout.payouts_for([group.shop.id for group in groups]),
        masked_sheba=payout.masked,
    )


@bp.post("/ledger/<int:shop_id>/settle")
@role_required("staff")
def settle(shop_id: int):
    shop = db.get_or_404(Shop, shop_id)
    form = SettleForm()
    if form.validate_on_submit():
        with change(form) as done:
            count = orders.settle_ledger(money.unsettled_entries(shop.id), actor_id=current_user.id)
        if done:
            flash(
                ngettext(
                    "%(num)s line of «%(shop)s» marked settled.",
                    "%(num)s lines of «%(shop)s» marked settled.",
                    count,
                    shop=shop.name,
                ),
                "success",
            )
    return redirect(url_for("staff_money.ledger"))


@bp.route("/payments", methods=["GET", "POST"])
@role_required("staff")
def payments_page():
    """Card payments for all staff; the exchange rate, a platform setting, set by admins only."""
    currency = platform_setting("STRIPE_CURRENCY").lower()
    form = ExchangeRateForm()
    if request.method == "POST" and not current_user.has_role("admin"):
        abort(403)
    if form.validate_on_submit():
        with change(form) as done:
            payments.set_rate(currency, form.rial_per_unit(), current_user.id)
        if done:
            flash(_("New rate saved. Card payments started from now on use it."), "success")
            return redirect(url_for("staff_money.payments_page"))
    return render_template(
        "staff/payments.html",
        form=form,
        currency=currency,
        rates=money.rate_history(currency),
        recent=money.recent_payments(),
        payment_labels=orders.PAYMENT_LABELS,
    )
