"""The producer's shop settings page and where the centre pays her (the public storefront lives in
catalog, since it lists products)."""

from typing import cast

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ...accounts.access import role_required
from ...core.dates import jalali_input_value
from ...core.phone import display_phone
from ...core.transaction import change
from .. import brand, payout, services
from ..forms import PayoutForm, SettingsForm

bp = Blueprint("shops", __name__)


@bp.route("/dashboard/shop/edit", methods=["GET", "POST"])
@role_required("producer")
def settings():
    shop = services.owned_shop(current_user)
    if shop is None:
        return redirect(url_for("wizard.step_name"))
    if request.method == "GET":
        form = SettingsForm(
            data={
                "contact_phone": display_phone(shop.contact_phone) if shop.contact_phone else "",
                "show_phone": shop.show_phone,
                "city": services.shop_text(shop)["city"],
                "weekly_capacity": shop.weekly_capacity,
                "away": shop.away,
                "away_until": jalali_input_value(shop.away_until),
            }
        )
    else:
        form = SettingsForm()
    if form.validate_on_submit():
        with change(form, image_field="banner") as done:
            banner_upload = request.files.get("banner")
            if banner_upload and banner_upload.filename:
                services.set_banner(shop, brand.store_photo(banner_upload))
            services.update_settings(
                shop,
                contact_phone=form.contact_phone.data or "",
                show_phone=form.show_phone.data,
                city=form.city.data or "",
                weekly_capacity=cast(int | None, form.weekly_capacity.data),  # a whole number once validated
                away=form.away.data,
                away_until=form.away_until.date,
            )
        if done:
            flash(_("Your shop settings are saved."), "success")
            return redirect(url_for("shops.settings"))
    return render_template("shops/settings.html", shop=shop, form=form), 422 if form.errors else 200


@bp.route("/dashboard/shop/payout", methods=["GET", "POST"], endpoint="payout")
@role_required("producer")
def payout_page():
    shop = services.owned_shop(current_user)
    if shop is None:
        return redirect(url_for("wizard.step_name"))
    saved = payout.shop_payout(shop)
    if request.method == "GET" and saved is not None:
        form = PayoutForm(data={"holder_name": saved.holder_name, "sheba": payout.grouped(saved.sheba)})
    else:
        form = PayoutForm()
    if form.validate_on_submit():
        with change(form) as done:
            payout.save_payout(shop, current_user, holder_name=form.holder_name.data or "", sheba=form.sheba.data or "")
        if done:
            flash(_("Saved. The centre pays what it owes you into this account."), "success")
            return redirect(url_for("shops.payout"))
    return render_template("shops/payout.html", shop=shop, form=form, saved=saved), 422 if form.errors else 200
