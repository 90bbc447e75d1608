"""Registration pages: the producer's checklists, evidence forms, printable label and documents
(/dashboard/registration/…), and the centre's evidence queue and waivers (/staff/registration/…)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ..accounts.access import role_required
from ..catalog import services as catalog
from ..catalog.models import KINDS, Product
from ..core.dates import jalali_input_value
from ..core.images import upload_dir, upload_limits
from ..core.messages import lazy_gettext as _l
from ..core.numbers import database_id
from ..core.transaction import change
from ..extensions import db, login_manager
from ..shops import services as shops
from ..shops.models import Shop
from . import services
from .forms import DecisionForm, EvidenceForm, WaiverForm
from .models import RegistrationRecord
from .requirements import load_requirements

bp = Blueprint("registration", __name__)

KIND_LABELS = {
    "handicraft": _l("Handicrafts"),
    "food": _l("Home-made food"),
    "textile": _l("Clothing and textiles"),
    "cosmetics": _l("Soap, creams and care"),
    "general": _l("Home and decor"),
}
DOCUMENT_EXTENSIONS = {"application/pdf": "pdf", "image/webp": "webp"}
# The evidence file is shown by the browser's own viewer: nothing of ours runs there.
DOCUMENT_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'; frame-ancestors 'none'"
)


@bp.record_once
def _check_requirements(_state) -> None:
    """A broken requirements.json stops the app at start, with a message naming the item."""
    load_requirements()


# ---------------------------------------------------------------- producer


def _own_shop():
    """Her shop, or 404 (the pages below the checklist need one)."""
    shop = shops.owned_shop(current_user)
    if shop is None:
        abort(404)
    return shop


def _own_product(product_id: int):
    """(shop, product) when the product is in her shop; 404 for anyone else's (or none)."""
    shop = _own_shop()
    product = catalog.owned_product(shop, product_id) or abort(404)
    return shop, product


def _chosen_kinds(shop) -> tuple[list[str], bool]:
    """The kinds to show: from her products; with none yet she may pick (?kind=food&kind=textile)."""
    kinds = services.shop_kinds(shop)
    has_products = db.session.scalar(select(Product.id).where(Product.shop_id == shop.id).limit(1)) is not None
    if not has_products:
        picked = [kind for kind in KINDS if kind in request.args.getlist("kind")]
        return picked or list(KINDS), True
    return kinds, False


@bp.get("/dashboard/registration")
@role_required("producer")
def checklist():
    """Her shop-level checklist for the kinds she sells, and her products with what blocks each."""
    shop = shops.owned_shop(current_user)
    if shop is None:
        return redirect(url_for("wizard.step_name"))
    kinds, may_pick = _chosen_kinds(shop)
    return render_template(
        "registration/checklist.html",
        shop=shop,
        rows=services.checklist_for_shop(shop, kinds),
        kinds=kinds,
        may_pick=may_pick,
        kind_labels=KIND_LABELS,
        all_kinds=KINDS,
        products=services.product_overview(shop),
    )


@bp.get("/dashboard/registration/product/<int:product_id>")
@role_required("producer")
def product_checklist(product_id: int):
    """Everything one of her products needs, in order, with what still blocks publishing."""
    shop, product = _own_product(product_id)
    return render_template(
        "registration/product.html",
        shop=shop,
        product=product,
        rows=services.checklist_for_product(product),
        blockers=services.publish_blockers(product),
        kind_labels=KIND_LABELS,
        has_label=services.label_applies(product),
    )


def _evidence_page(shop, product, code: str):
    """The item page with her evidence form: GET shows it, POST submits (one commit)."""
    rows = services.checklist_for_product(product) if product else services.checklist_for_shop(shop)
    wanted_level = "product" if product is not None else "shop"
    row = next((row for row in rows if row.item.code == code and row.item.level == wanted_level), None)
    if row is None:
        abort(404)
    record = row.record
    if request.method == "GET" and record is not None:
        # Correcting keeps what she sent; a renewal starts with new dates (the number often stays).
        renewal = row.state in ("expired", "expiring_soon")
        form = EvidenceForm(
            data={
                "number": record.number,
                "issued_on": "" if renewal else jalali_input_value(record.issued_on),
                "expires_on": "" if renewal else jalali_input_value(record.expires_on),
            }
        )
    else:
        form = EvidenceForm()
    refused = False
    if form.validate_on_submit():
        upload = request.files.get("document")
        with change(form) as done:
            services.submit_evidence(
                shop,
                code,
                product,
                number=form.number.data or "",
                issued_on=form.issued_on.date,
                expires_on=form.expires_on.date,
                document_upload=upload if upload and upload.filename else None,
                uploads_dir=upload_dir(current_app),
                limits=upload_limits(current_app.config),
                actor=current_user,
            )
        if done:
            flash(_("Thank you. The centre will check it soon."), "success")
            if product is not None:
                return redirect(url_for("registration.product_checklist", product_id=product.id))
            return redirect(url_for("registration.checklist"))
        refused = True
    status = 422 if form.errors or refused else 200
    return render_template(
        "registration/item.html",
        shop=shop,
        product=product,
        row=row,
        item=row.item,
        form=form,
        has_label=product is not None and row.item.code == "LB-1",
    ), status


@bp.route("/dashboard/registration/item/<code>", methods=["GET", "POST"])
@role_required("producer")
def shop_item(code: str):
    """One shop-level item: plain steps, links, and her evidence form."""
    return _evidence_page(_own_shop(), None, code)


@bp.route("/dashboard/registration/product/<int:product_id>/item/<code>", methods=["GET", "POST"])
@role_required("producer")
def product_item(product_id: int, code: str):
    """One item of one of her products: plain steps, links, and her evidence form."""
    shop, product = _own_product(product_id)
    return _evidence_page(shop, product, code)


@bp.get("/dashboard/registration/product/<int:product_id>/label")
@role_required("producer")
def label(product_id: int):
    """The printable product label (LB-1) with the fields her data does not fill yet flagged."""
    shop, product = _own_product(product_id)
    if not services.label_applies(product):
        abort(404)
    return render_template(
        "registration/label.html", shop=shop, product=product, label=services.food_label(product, shop)
    )


@bp.get("/dashboard/registration/document/<int:record_id>")
def document(record_id: int):
    """An evidence file, for its owner and the centre's staff only; 404 for everyone else."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    record = db.session.get(RegistrationRecord, record_id)
    if record is None:
        abort(404)
    if not current_user.has_role("staff"):
        shop = shops.owned_shop(current_user)
        if shop is None or shop.id != record.shop_id:
            abort(404)
    path = services.document_file(record, upload_dir(current_app))
    if path is None or record.document_mime not in DOCUMENT_EXTENSIONS:
        abort(404)
    response = send_file(
        path,
        mimetype=record.document_mime,
        # A PDF is never shown inside the site (the browser's viewer runs its scripts and forms under
        # our origin): it downloads. Photos were re-encoded on upload and stay viewable.
        as_attachment=not record.document_mime.startswith("image/"),
        download_name=f"{record.item_code}-{record.id}.{DOCUMENT_EXTENSIONS[record.document_mime]}",
        max_age=0,
        etag=False,
        last_modified=None,
        conditional=False,
    )
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = DOCUMENT_CSP
    return response


# ---------------------------------------------------------------- staff


def _queue_page(decision_form=None, error_record_id=None, status=200):
    query = request.args.get("shop", "").strip()
    found = []
    if query:
        found = list(db.session.scalars(select(Shop).where(Shop.name.contains(query)).order_by(Shop.name).limit(20)))
    return render_template(
        "registration/staff_queue.html",
        records=services.review_queue(),
        form=decision_form or DecisionForm(),
        error_record_id=error_record_id,
        query=query,
        found=found,
    ), status


@bp.get("/staff/registration")
@role_required("staff")
def queue():
    """Submitted evidence, oldest first, with verify and reject; and a shop finder for waivers."""
    return _queue_page()


@bp.post("/staff/registration/record/<int:record_id>")
@role_required("staff")
def decide(record_id: int):
    """Verify or reject one submitted record (a rejection needs a reason)."""
    record = db.get_or_404(RegistrationRecord, record_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _queue_page(form, record.id, 422)
    with change(form, field="reason") as done:
        services.decide(record, current_user, form.action.data or "", form.reason.data or "")
    if not done:
        return _queue_page(form, record.id, 422)
    flash(_("Decision recorded."), "success")
    return redirect(url_for("registration.queue"))


def _staff_shop_page(shop, waiver_form=None, error_key=None, status=200):
    return render_template(
        "registration/staff_shop.html",
        shop=shop,
        rows=services.checklist_for_shop(shop),
        products=[
            (product, services.checklist_for_product(product), blockers)
            for product, blockers in services.product_overview(shop)
        ],
        form=waiver_form or WaiverForm(),
        error_key=error_key,
    ), status


@bp.get("/staff/registration/shop/<int:shop_id>")
@role_required("staff")
def staff_shop(shop_id: int):
    """One shop's items and its products' items, each with a waiver form."""
    return _staff_shop_page(db.get_or_404(Shop, shop_id))


@bp.post("/staff/registration/shop/<int:shop_id>/waive")
@role_required("staff")
def waive(shop_id: int):
    """Record a waiver, with its reason, for one of the shop's (or its products') items."""
    shop = db.get_or_404(Shop, shop_id)
    form = WaiverForm()
    if not form.validate_on_submit():
        return _staff_shop_page(shop, form, None, 422)
    product = None
    if form.product_id.data:
        product_id = database_id(form.product_id.data)
        product = db.session.get(Product, product_id) if product_id else None
        if product is None or product.shop_id != shop.id:
            abort(404)
    with change(form, field="reason") as done:
        services.waive(shop, product, form.item.data or "", current_user, form.reason.data or "")
    if not done:
        return _staff_shop_page(shop, form, f"{form.product_id.data or ''}:{form.item.data}", 422)
    flash(_("Waiver recorded."), "success")
    return redirect(url_for("registration.staff_shop", shop_id=shop.id))


@bp.get("/staff/registration/record/<int:record_id>")
@role_required("staff")
def record_detail(record_id: int):
    """One record: its evidence, its audit trail and (while submitted) the decision form."""
    record = db.get_or_404(RegistrationRecord, record_id)
    return render_template(
        "registration/staff_record.html",
        record=record,
        item=services.requirement(record.item_code),
        state=services.record_state(record),
        form=DecisionForm(),
    )
