"""Registration rules that write: evidence (a number, dates, a photo or PDF), staff decisions, waivers
and expiry. Reading (checklists, what blocks publishing, badges) lives in checklist.py and the label
in label.py; both are re-exported here so other packages call one module.

Plain functions with explicit arguments; they flush, never commit (the route commits once).
"""

import re
from datetime import date, datetime
from pathlib import Path

from flask_babel import LazyString
from sqlalchemy import select

from ..accounts.models import User
from ..catalog.models import Product
from ..core.dates import utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from ..shops.models import Shop
from . import documents
from .checklist import (  # noqa: F401  (re-exported: the catalogue, dashboard and routes call services.*)
    DONE,
    MET,
    REQUIREMENT_LABELS,
    STATE_LABELS,
    STATES,
    SUBMITTABLE,
    WARN_DAYS,
    Row,
    Summary,
    applicable_items,
    badges,
    blocking_groups,
    checklist_for_product,
    checklist_for_shop,
    dashboard_summary,
    expired_records,
    expiring_soon,
    items_text,
    product_overview,
    publish_blockers,
    record_state,
    requirement,
    review_queue,
    shop_kinds,
    shop_records,
    today,
    unmet_prerequisites,
)
from .label import FoodLabel, LabelField, food_label, label_applies  # noqa: F401  (re-exported)
from .models import RecordStatus, RegistrationEvent, RegistrationRecord
from .requirements import Item, RequirementsInvalid, load_requirements  # noqa: F401  (re-exported)

NUMBER_MAX = 40
REASON_MAX = 1000
_NUMBER = re.compile(r"^[0-9A-Z]+(?:[-/.][0-9A-Z]+)*$")


class RegistrationError(RuleError):
    """A rule said no; `field` names the form field the message belongs next to."""


def _record_for(shop: Shop, product: Product | None, code: str) -> RegistrationRecord | None:
    query = select(RegistrationRecord).where(
        RegistrationRecord.shop_id == shop.id, RegistrationRecord.item_code == code
    )
    if product is None:
        query = query.where(RegistrationRecord.product_id.is_(None))
    else:
        query = query.where(RegistrationRecord.product_id == product.id)
    return db.session.scalar(query)


def _item_for(shop: Shop, item_code: str, product: Product | None) -> tuple[Item, Product | None]:
    """The item and the product its record belongs to (None for shop-level items)."""
    item = requirement(item_code)
    if item is None:
        raise RegistrationError("item", _l("This registration item does not exist."))
    if item.level == "shop":
        return item, None
    if product is None or product.shop_id != shop.id:
        raise RegistrationError("item", _l("Choose the product this item belongs to."))
    if not item.applies_to([product.kind]):
        raise RegistrationError("item", _l("This item does not apply to this product."))
    return item, product


_S = RecordStatus
# The registration item's state machine (DESIGN §4), the one table of its allowed moves:
# action → (the stored states it may start from, the state it leads to). A verified item may be
# sent again only while it is ending soon; `submit_evidence` checks that date rule.
TRANSITIONS: dict[str, tuple[frozenset[RecordStatus], RecordStatus]] = {
    "submit": (frozenset({_S.TODO, _S.SUBMITTED, _S.REJECTED, _S.EXPIRED, _S.WAIVED, _S.VERIFIED}), _S.SUBMITTED),
    "verify": (frozenset({_S.SUBMITTED}), _S.VERIFIED),
    "reject": (frozenset({_S.SUBMITTED}), _S.REJECTED),
    "waive": (frozenset({_S.TODO, _S.SUBMITTED, _S.REJECTED, _S.EXPIRED, _S.VERIFIED}), _S.WAIVED),
    "expire": (frozenset({_S.VERIFIED}), _S.EXPIRED),
}


def _event(record: RegistrationRecord, actor: User | None, action: str, reason: str = "") -> None:
    """Make one move of TRANSITIONS and record it in the audit trail; other moves are refused."""
    allowed_from, target = TRANSITIONS[action]
    if record.status not in allowed_from:
        raise RegistrationError("action", _l("This item cannot be changed that way now."))
    db.session.add(
        RegistrationEvent(
            record=record, actor=actor, action=action, from_status=record.status, to_status=target, reason=reason
        )
    )
    record.status = target


def clean_number(value: str | None) -> str:
    """A licence number as stored: Latin digits and capital letters, no spaces."""
    return to_latin_digits(normalize_text(value)).replace(" ", "").upper()


def submit_evidence(
    shop: Shop,
    item_code: str,
    product: Product | None = None,
    *,
    number: str = "",
    issued_on: date | None = None,
    expires_on: date | None = None,
    document_upload=None,
    uploads_dir: Path,
    limits: dict,
    actor: User | None = None,
    now: datetime | None = None,
) -> RegistrationRecord:
    """Record her evidence for an item (a number, dates, a photo or PDF) and send it for the centre's
    check. Every field is checked before the document is stored; raises RegistrationError."""
    item, product = _item_for(shop, item_code, product)
    now = now or utcnow()
    on = today(now)
    record = _record_for(shop, product, item.code)
    state = record_state(record, on)
    if state not in SUBMITTABLE:
        raise RegistrationError(
            "item", _l("This item is already verified. You can send the renewed one 30 days before it ends.")
        )
    kinds = [product.kind] if product is not None else shop_kinds(shop)
    missing = unmet_prerequisites(item, kinds, shop_records(shop), product.id if product is not None else None, on)
    if missing:
        first = LazyString(lambda: items_text(missing[0]))
        raise RegistrationError("item", _l("Please do this first: %(items)s.", items=first))

    fields = item.evidence_fields
    number = clean_number(number) if "number" in fields else ""
    issued_on = issued_on if "issued_on" in fields else None
    expires_on = expires_on if "expires_on" in fields else None
    has_upload = "document" in fields and document_upload is not None
    if number and (len(number) > NUMBER_MAX or not _NUMBER.match(number)):
        raise RegistrationError("number", _l("Write the number with digits and English letters only, like 1234/56."))
    if issued_on and issued_on > on:
        raise RegistrationError("issued_on", _l("The issue date cannot be in the future."))
    if issued_on and expires_on and expires_on <= issued_on:
        raise RegistrationError("expires_on", _l("The end date must come after the issue date."))
    if expires_on and expires_on < on:
        raise RegistrationError("expires_on", _l("This date has passed, so the licence has ended. Renew it first."))
    given = {
        "number": bool(number),
        "issued_on": issued_on is not None,
        "expires_on": expires_on is not None,
        "document": has_upload or bool(record and record.document_path),
    }
    messages = {
        "number": _l("Write the number written on it."),
        "issued_on": _l("Write the issue date."),
        "expires_on": _l("Write the date it ends (valid until)."),
        "document": _l("Send a photo or a PDF of it."),
    }
    for name in item.evidence_required:
        if not given[name]:
            raise RegistrationError(name, messages[name])
    if not any(given.values()):
        raise RegistrationError(fields[0], messages[fields[0]])

    stored = None
    if has_upload:
        try:
            stored = documents.store_document(
                document_upload, uploads_dir, max_bytes=limits["max_bytes"], max_pixels=limits["max_pixels"]
            )
        except documents.DocumentRejected as error:
            raise RegistrationError("document", error.message)
    if record is None:
        record = RegistrationRecord(shop=shop, product=product, item_code=item.code, status=RecordStatus.TODO)
        db.session.add(record)
    record.number = number
    record.issued_on, record.expires_on = issued_on, expires_on
    if stored is not None:
        record.document_path, record.document_mime, record.document_size = stored.path, stored.mime, stored.size
    record.submitted_at = now
    record.decided_by, record.decided_at, record.reason = None, None, ""
    _event(record, actor or shop.owner, "submit")
    db.session.flush()
    return record


def document_file(record: RegistrationRecord, uploads_dir: Path) -> Path | None:
    """The stored evidence file of a record, or None."""
    return documents.document_file(uploads_dir, record.document_path)


def _reason(reason: str | None) -> str:
    reason = normalize_text(reason, multiline=True)
    if not reason:
        raise RegistrationError("reason", _l("Write the reason; the producer will see it."))
    if len(reason) > REASON_MAX:
        raise RegistrationError("reason", _l("Use at most %(num)s characters.", num=REASON_MAX))
    return reason


def _decided(record: RegistrationRecord, staff: User, now: datetime | None) -> None:
    record.decided_by = staff
    record.decided_at = now or utcnow()


def verify(record: RegistrationRecord, staff: User, *, now: datetime | None = None) -> RegistrationRecord:
    """Staff checked the evidence and it is right."""
    if record.status != RecordStatus.SUBMITTED:
        raise RegistrationError("action", _l("Only evidence waiting for a check can be verified or rejected."))
    if record.expires_on is not None and record.expires_on < today(now):
        raise RegistrationError("action", _l("This licence has already ended; reject it and ask for the renewed one."))
    _event(record, staff, "verify")
    _decided(record, staff, now)
    record.reason = ""
    db.session.flush()
    return record


def reject(record: RegistrationRecord, staff: User, reason: str, *, now: datetime | None = None) -> RegistrationRecord:
    """Staff cannot accept the evidence; the reason (required) tells her what to fix."""
    if record.status != RecordStatus.SUBMITTED:
        raise RegistrationError("action", _l("Only evidence waiting for a check can be verified or rejected."))
    reason = _reason(reason)
    _event(record, staff, "reject", reason)
    _decided(record, staff, now)
    record.reason = reason
    db.session.flush()
    return record


def decide(record: RegistrationRecord, staff: User, action: str, reason: str = "") -> RegistrationRecord:
    """Staff's decision on submitted evidence: "verify", or "reject" with a reason."""
    if action == "verify":
        return verify(record, staff)
    if action == "reject":
        return reject(record, staff, reason)
    raise RegistrationError("action", _l("Unknown action."))


def waive(
    shop: Shop, product: Product | None, item_code: str, staff: User, reason: str, *, now: datetime | None = None
) -> RegistrationRecord:
    """Staff decide an item is not needed for this shop (or product), with a reason (required);
    a waived mandatory item no longer blocks publishing."""
    item, product = _item_for(shop, item_code, product)
    reason = _reason(reason)
    record = _record_for(shop, product, item.code)
    if record is None:
        record = RegistrationRecord(shop=shop, product=product, item_code=item.code, status=RecordStatus.TODO)
        db.session.add(record)
    elif record.status == RecordStatus.WAIVED:
        raise RegistrationError("item", _l("This item is already waived."))
    _event(record, staff, "waive", reason)
    _decided(record, staff, now)
    record.reason = reason
    db.session.flush()
    return record


def waive_missing(product: Product, staff: User, reason: str) -> int:
    """Waive every mandatory item that blocks publishing the product (for an "any of" group, its
    first member); returns how many were waived. Used for imported and demo products."""
    count = 0
    for members in blocking_groups(checklist_for_product(product)):
        waive(product.shop, product, members[0].item.code, staff, reason)
        count += 1
    return count


def expire_due(now: datetime | None = None) -> list[RegistrationRecord]:
    """Mark verified records whose end date has passed as expired (with an audit event); returns them."""
    on = today(now)
    due = list(
        db.session.scalars(
            select(RegistrationRecord)
            .where(RegistrationRecord.status == RecordStatus.VERIFIED, RegistrationRecord.expires_on < on)
            .order_by(RegistrationRecord.id)
        )
    )
    for record in due:
        _event(record, None, "expire")
    db.session.flush()
    return due
