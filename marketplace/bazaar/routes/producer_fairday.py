"""The producer's fair day: her booth on the map, her pass (PNG) and the sales she records at her
booth from her phone. Every view reads the application through her own shop (else 404)."""

from flask import Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from ...accounts.access import role_required
from ...core.transaction import change
from .. import booth_map, fairday
from ..forms import SaleForm
from ..models import PUBLIC_FAIR_STATUSES, Application, ApplicationStatus
from . import producer_bp
from .producer import her_application_or_404


def _accepted(application_id: int) -> Application:
    application = her_application_or_404(application_id)
    if application.status != ApplicationStatus.ACCEPTED:
        abort(404)
    return application


@producer_bp.app_template_global()
def fairday_sales_open(application: Application) -> bool:
    """For the application page's fair-day box: may she record sales now?"""
    return application.status == ApplicationStatus.ACCEPTED and fairday.sales_open(application.fair)


@producer_bp.get("/applications/<int:application_id>/pass.png")
@role_required("producer")
def booth_pass(application_id: int):
    application = _accepted(application_id)
    if not application.pass_code:
        with change() as done:
            fairday.ensure_pass_code(application)
        if not done:
            abort(404)
    png = fairday.pass_png(application)
    return Response(
        png,
        mimetype="image/png",
        headers={
            "Content-Disposition": f'attachment; filename="pass-{application.pass_code}.png"',
            "Cache-Control": "private, no-store",
        },
    )


@producer_bp.get("/applications/<int:application_id>/booth")
@role_required("producer")
def booth(application_id: int):
    application = _accepted(application_id)
    fair = application.fair
    # Other producers' names show only once the fair is public (they are on its public page then).
    show_names = fair.status in PUBLIC_FAIR_STATUSES
    svg = Markup(  # noqa: S704 (built from escaped parts by booth_map.map_svg)
        booth_map.map_svg(fair, highlight_application_id=application.id, show_names=show_names)
    )
    return render_template("bazaar/producer/booth.html", application=application, fair=fair, svg=svg)


@producer_bp.route("/applications/<int:application_id>/sales", methods=["GET", "POST"])
@role_required("producer")
def sales(application_id: int):
    application = _accepted(application_id)
    form = SaleForm()
    status = 200
    if form.validate_on_submit():
        with change(form) as done:
            fairday.record_sale(application, *form.sale_data(), current_user)
        if done:
            flash(_("Sale saved. Well done!"), "success")
            return redirect(url_for("fairs.sales", application_id=application.id))
        status = 422
    return render_template(
        "bazaar/producer/sales.html",
        application=application,
        fair=application.fair,
        form=form,
        sales=fairday.sales_of(application),
        total=fairday.sales_total(application),
        sales_open=fairday.sales_open(application.fair),
    ), status
