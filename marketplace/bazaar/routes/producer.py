"""The producer's fairs (/dashboard/fairs): fairs taking applications and her applications,
applying, her application's page (edit until the deadline, discounts until the fair ends, the
decision, a waitlist offer to confirm), withdrawing. Every application is loaded through her own
shop (`applications.her_application(owned_shop(current_user), id)`), so another's is a 404."""

from typing import cast

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField

from ...accounts.access import role_required
from ...core.dates import utcnow
from ...core.forms import WholeNumber
from ...core.messages import lazy_gettext as _l
from ...core.persian import whole_number_or_text
from ...core.transaction import change
from ...extensions import db
from ...shops.models import ShopStatus
from ...shops.services import owned_shop
from .. import applications, services, waitlist
from ..forms import ActionForm, ApplicationForm, DiscountForm
from ..models import PUBLIC_FAIR_STATUSES, Application, BazaarEvent, FairStatus
from . import producer_bp as bp

STATUS_LABELS = {
    "submitted": _l("Received"),
    "accepted": _l("Accepted"),
    "waitlisted": _l("On the waitlist"),
    "rejected": _l("Not chosen this time"),
    "withdrawn": _l("Withdrawn"),
}
STATUS_TEXTS = {
    "submitted": _l(
        "We have your application. The jury looks at all applications after the deadline; "
        "you will get a message with the decision."
    ),
    "accepted": _l("You have a place at this fair. We look forward to seeing you there."),
    "waitlisted": _l("The fair is full for now. If a place becomes free, we will offer it to you by text message."),
    "rejected": _l("You were not chosen for this fair. Read the jury's advice and try again next time."),
    "withdrawn": _l("You withdrew this application."),
}


def _with_discounts(base: type[FlaskForm], product_ids: list[int], saved: dict[int, int | None] | None = None):
    """An instance of `base` with a discount field per product, filled from `saved` on GET."""

    class Form(base):
        pass

    for product_id in product_ids:
        setattr(
            Form,
            f"discount_{product_id}",
            StringField(
                _l("Fair discount (percent)"),
                filters=[whole_number_or_text],
                validators=[WholeNumber()],
            ),
        )
    if request.method == "GET" and saved is not None:
        return Form(data={f"discount_{pid}": percent or None for pid, percent in saved.items()})
    return Form()


def _her_shop_or_redirect():
    shop = owned_shop(current_user)
    if shop is None:
        flash(_("Build your shop first; then you can apply to the centre's fairs."), "info")
    return shop


def her_application_or_404(application_id: int) -> Application:
    """Her own application (another producer's is not found, not forbidden)."""
    application = applications.her_application(owned_shop(current_user), application_id)
    if application is None:
        abort(404)
    return application


def _fee_text(fair: BazaarEvent) -> str:
    if fair.fee_mode == "from_sales":
        return _("Deducted from your recorded sales: %(num)s %%", num=fair.fee_percent)
    if not fair.booth_fee_rial:
        return _("Free")
    return ""  # the template shows the amount in toman


@bp.get("/")
@role_required("producer")
def index():
    """Fairs taking applications now, and her applications."""
    shop = _her_shop_or_redirect()
    if shop is None:
        return redirect(url_for("wizard.setup"))
    now = utcnow()
    mine = applications.shop_applications(shop)
    applied = {application.fair_id: application for application in mine}
    return render_template(
        "bazaar/producer/index.html",
        shop=shop,
        fairs=services.fairs_taking_applications(now),
        applied=applied,
        mine=mine,
        shown_status=applications.shown_status,
        status_labels=STATUS_LABELS,
    )


def _fair_facts(fair: BazaarEvent) -> dict:
    return {"fee_text": _fee_text(fair)}


@bp.route("/<int:fair_id>/apply", methods=["GET", "POST"])
@role_required("producer")
def apply(fair_id: int):
    """The application form: her published products with a discount each, needs, note."""
    shop = _her_shop_or_redirect()
    if shop is None:
        return redirect(url_for("wizard.setup"))
    fair = db.session.get(BazaarEvent, fair_id)
    if fair is None or fair.status != FairStatus.APPLICATIONS_OPEN:
        abort(404)
    existing = applications.application_for(fair, shop)
    if existing is not None and existing.status != "withdrawn":
        return redirect(url_for("fairs.application", application_id=existing.id))
    now = utcnow()
    products = applications.fair_products(shop)
    product_ids = [product.id for product in products]
    form = _with_discounts(ApplicationForm, product_ids)
    if form.validate_on_submit():
        with change(form) as done:
            application = applications.apply(fair, shop, current_user, form.data_for_service(product_ids), now)
        if done:
            flash(_("Your application was sent. We will tell you the jury's decision."), "success")
            return redirect(url_for("fairs.application", application_id=application.id))
    refused = request.method == "POST"
    return render_template(
        "bazaar/producer/apply.html",
        fair=fair,
        shop=shop,
        form=form,
        products=products,
        chosen=set(form.products.data or []),
        readiness=services.readiness(shop, products),
        is_open=services.applications_open(fair, now),
        shop_approved=shop.status == ShopStatus.APPROVED,
        **_fair_facts(fair),
    ), 422 if refused else 200


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@role_required("producer")
def application(application_id: int):
    """Her application: status, products, readiness, decision and feedback, offer, booth; the
    edit form until the deadline, her discounts until the fair ends."""
    application = her_application_or_404(application_id)
    fair = application.fair
    shop = application.shop
    now = utcnow()
    editable = applications.may_edit(application, now)
    discounts_only = not editable and applications.may_change_discounts(application, now)
    saved = applications.application_data(application)
    products = applications.fair_products(shop) if editable else [item.product for item in application.items]
    product_ids = [product.id for product in products]
    for product_id in saved.product_ids:  # a chosen product unpublished since keeps its field
        if product_id not in product_ids:
            product_ids.append(product_id)
    form = None
    if editable:
        form = _with_discounts(ApplicationForm, product_ids, saved.discounts)
        if request.method == "GET":
            form.products.data = saved.product_ids
            form.needs_power.data, form.needs_table.data = saved.needs_power, saved.needs_table
            form.two_people.data, form.note.data = saved.two_people, saved.note
    elif discounts_only:
        form = _with_discounts(DiscountForm, product_ids, saved.discounts)
    if request.method == "POST":
        if form is None:
            flash(_("This application can no longer be changed."), "error")
            return redirect(url_for("fairs.application", application_id=application.id))
        if form.validate_on_submit():
            if editable:
                data = cast(ApplicationForm, form).data_for_service(product_ids)
            else:
                data = applications.application_data(application)
                data.discounts = {pid: cast(int | None, form.discount(pid).data) for pid in data.product_ids}
            with change(form) as done:
                applications.update_application(application, data, now)
            if done:
                flash(_("Your changes are saved."), "success")
                return redirect(url_for("fairs.application", application_id=application.id))
    published = fair.status in PUBLIC_FAIR_STATUSES
    return render_template(
        "bazaar/producer/application.html",
        application=application,
        fair=fair,
        shop=shop,
        form=form,
        editable=editable,
        discounts_only=discounts_only,
        products=products,
        chosen=set(form.products.data or []) if editable and form is not None else set(saved.product_ids),
        readiness=services.readiness(shop, [item.product for item in application.items]),
        status=applications.shown_status(application),
        status_labels=STATUS_LABELS,
        status_texts=STATUS_TEXTS,
        published=published,
        offer_open=waitlist.offer_open(application, now),
        may_withdraw=applications.may_withdraw(application, now),
        action_form=ActionForm(),
        **_fair_facts(fair),
    ), 422 if request.method == "POST" else 200


@bp.post("/applications/<int:application_id>/withdraw")
@role_required("producer")
def withdraw(application_id: int):
    application = her_application_or_404(application_id)
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            applications.withdraw(application, current_user, utcnow())
        if done:
            flash(_("Your application is withdrawn."), "success")
    return redirect(url_for("fairs.application", application_id=application.id))


@bp.post("/applications/<int:application_id>/confirm")
@role_required("producer")
def confirm_offer(application_id: int):
    application = her_application_or_404(application_id)
    form = ActionForm()
    if form.validate_on_submit():
        with change(form) as done:
            waitlist.confirm_offer(application, utcnow())
        if done:
            flash(_("Your place at the fair is confirmed."), "success")
    return redirect(url_for("fairs.application", application_id=application.id))
