"""Staff on the fair day: checking producers in at the door (type or scan the pass code) and
recording sales for a producer."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3

from ...accounts.access import role_required
from ...core.transaction import change
from ...extensions import db
from .. import fairday
from ..forms import CheckinForm, StaffSaleForm
from ..models import Application, BazaarEvent
from ..services import accepted_applications
from . import staff_bp


@staff_bp.route("/<int:fair_id>/checkin", methods=["GET", "POST"])
@role_required("staff")
def checkin(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    form = CheckinForm()
    status = 200
    if form.validate_on_submit():
        with change(form) as done:
            application = fairday.check_in(fair, form.code.data or "", current_user)
        if done:
            booth = application.booth.code if application.booth is not None else "—"
            flash(_("Welcome, «%(shop)s»! Booth %(code)s.", shop=application.shop.name, code=booth), "success")
            return redirect(url_for("staff_fairs.checkin", fair_id=fair.id))
        status = 422
    accepted = accepted_applications(fair)
    response = render_template(
        "bazaar/staff/checkin.html",
        fair=fair,
        form=form,
        arrived=fairday.arrivals(fair),
        expected=len(accepted),
        waiting=[application for application in accepted if application.checked_in_at is None],
    )
    # The page may use the camera to read a QR code (static/js/checkin-scan.js); nothing else may.
    return response, status, {"Permissions-Policy": "camera=(self), microphone=(), geolocation=()"}


@staff_bp.route("/<int:fair_id>/sales", methods=["GET", "POST"])
@role_required("staff")
def sales(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    accepted = accepted_applications(fair)
    form = StaffSaleForm()
    form.application.choices = [
        SelectChoice(
            application.id, application.shop.name + (f" ({application.booth.code})" if application.booth else "")
        )
        for application in accepted
    ]
    status = 200
    if form.validate_on_submit():
        application = db.session.get(Application, form.application.data)
        if application is None or application.fair_id != fair.id:
            abort(404)
        with change(form) as done:
            fairday.record_sale(application, *form.sale_data(), current_user)
        if done:
            flash(_("Sale recorded for «%(shop)s».", shop=application.shop.name), "success")
            return redirect(url_for("staff_fairs.sales", fair_id=fair.id))
        status = 422
    totals = [(application, fairday.sales_total(application)) for application in accepted]
    return render_template(
        "bazaar/staff/sales.html",
        fair=fair,
        form=form,
        totals=totals,
        recent=fairday.fair_sales(fair),
        sales_open=fairday.sales_open(fair),
    ), status
