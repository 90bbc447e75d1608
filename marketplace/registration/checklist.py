"""Where a shop or product stands: the items that apply, in prerequisite order, each with its state,
what must come first and what to do next; what blocks publishing; badges; the dashboard's summary.

Everything here only reads: records are created by services (on the first submission or waiver), and
"expired" / "expiring soon" are worked out from the dates on every read, so public pages never write.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import LazyString
from flask_babel import gettext as _
from sqlalchemy import select

from ..catalog.models import KINDS, Product
from ..core.dates import TEHRAN, utcnow
from ..core.messages import lazy_gettext as _l
from ..extensions import db
from ..shops.models import Shop
from .models import RegistrationRecord
from .requirements import REQUIREMENTS, Item, load_requirements

WARN_DAYS = 30
# A record's state as read (DESIGN §4), plus "expiring_soon": verified, but ending within WARN_DAYS.
STATES = ("todo", "submitted", "verified", "expiring_soon", "rejected", "expired", "waived")
DONE = frozenset({"verified", "expiring_soon", "waived"})  # counts for publishing
MET = DONE | {"submitted"}  # counts as a prerequisite: she has it, the centre is checking
ACTIONABLE = frozenset({"todo", "rejected", "expired"})  # a next step (ending soon is warned about apart)
SUBMITTABLE = ACTIONABLE | {"expiring_soon", "submitted", "waived"}
STATE_LABELS = {
    "todo": _l("To do"),
    "submitted": _l("Sent, waiting for the centre's check"),
    "verified": _l("Verified"),
    "expiring_soon": _l("Verified, ends soon"),
    "rejected": _l("Not accepted, please send again"),
    "expired": _l("Expired, please renew"),
    "waived": _l("Not needed (decided by the centre)"),
}
REQUIREMENT_LABELS = {
    "mandatory": _l("Needed before you can sell"),
    "recommended": _l("Recommended"),
    "optional": _l("Optional"),
}


def requirement(code: str) -> Item | None:
    """The requirement item with this code (e.g. "HB-1"), or None."""
    return load_requirements().get(code)


def applicable_items(kind, level: str | None = None) -> list[Item]:
    """The items that concern `kind` (a kind or several), optionally only one level ("shop" or
    "product"), each after the items it needs (stable: otherwise in the file's order)."""
    kinds = [kind] if isinstance(kind, str) else list(kind)
    return [
        item for item in load_requirements().items if item.applies_to(kinds) and (level is None or item.level == level)
    ]


def shop_kinds(shop: Shop) -> list[str]:
    """The kinds of what she sells (from her products' categories); all kinds when she has no products yet."""
    products = db.session.scalars(select(Product).where(Product.shop_id == shop.id, Product.status != "archived"))
    found = {product.kind for product in products}
    return [kind for kind in KINDS if kind in found] or list(KINDS)


def today(now: datetime | None = None) -> date:
    """Today's date in Mashhad (expiry dates are Tehran calendar days)."""
    return (now or utcnow()).astimezone(TEHRAN).date()


def record_state(record: RegistrationRecord | None, on: date | None = None) -> str:
    """The state of a record as read today: a verified record past its expiry date is expired, and
    one ending within 30 days is expiring_soon (nothing is written)."""
    if record is None:
        return "todo"
    if record.status == "verified" and record.expires_on is not None:
        on = on or today()
        if record.expires_on < on:
            return "expired"
        if record.expires_on <= on + timedelta(days=WARN_DAYS):
            return "expiring_soon"
    return record.status


@dataclass
class Row:
    """One line of a checklist: the item, her record (None before she starts), its state, how strongly
    it is asked, the prerequisites still missing (each a list of items, any one of which is enough)
    and whether it is the step to do next."""

    item: Item
    record: RegistrationRecord | None
    state: str
    requirement: str
    blocked_by: list[list[Item]] = field(default_factory=list)
    is_next: bool = False
    product: Product | None = None
    covered_by: Item | None = None  # another member of its "any of" group is done or sent

    @property
    def done(self) -> bool:
        """Verified (or waived by the centre): it counts for publishing."""
        return self.state in DONE

    @property
    def can_submit(self) -> bool:
        """She may send evidence now: nothing missing before it, and not already verified."""
        return self.state in SUBMITTABLE and not self.blocked_by

    @property
    def state_label(self):
        """The state in words, e.g. «فرستاده شد، منتظر بررسی مرکز»."""
        return STATE_LABELS[self.state]

    @property
    def requirement_label(self):
        """How strongly it is asked, in words («لازم برای فروش», «پیشنهاد می‌شود», «اختیاری»)."""
        return REQUIREMENT_LABELS[self.requirement]


def shop_records(shop: Shop) -> dict[tuple[int | None, str], RegistrationRecord]:
    """All the shop's records (its own and its products'), by (product id or None, item code)."""
    records = db.session.scalars(select(RegistrationRecord).where(RegistrationRecord.shop_id == shop.id))
    return {(record.product_id, record.item_code): record for record in records}


def _met(member: Item, records: dict, product_id: int | None, on: date) -> bool:
    if member.level == "shop":
        return record_state(records.get((None, member.code)), on) in MET
    if product_id is not None:
        return record_state(records.get((product_id, member.code)), on) in MET
    # A shop-level item needing a product-level one (Enamad needs a health licence): any product's will do.
    return any(
        code == member.code and pid is not None and record_state(record, on) in MET
        for (pid, code), record in records.items()
    )


def unmet_prerequisites(
    item: Item, kinds: list[str], records: dict, product_id: int | None, on: date
) -> list[list[Item]]:
    """The prerequisites of `item` still missing. Members that do not concern these kinds are left
    out (a handicraft shop's Enamad does not wait for a food licence)."""
    reqs = load_requirements()
    missing = []
    for prerequisite in item.prerequisites:
        members = [reqs[code] for code in prerequisite.any_of if reqs[code].applies_to(kinds)]
        if members and not any(_met(member, records, product_id, on) for member in members):
            missing.append(members)
    return missing


def _mark_covered(rows: list[Row]) -> None:
    """In an "any of" group (FD-1 or FD-2), once one member is sent or done the others are covered."""
    for row in rows:
        if row.item.group and row.state not in MET:
            row.covered_by = next(
                (other.item for other in rows if other.item.group == row.item.group and other.state in MET), None
            )


def _mark_next(rows: list[Row]) -> None:
    """The next step is the first thing she can do now, mandatory items before recommended ones;
    optional and "later" items are never pushed."""
    candidates = [
        (REQUIREMENTS.index(row.requirement), position, row)
        for position, row in enumerate(rows)
        if row.state in ACTIONABLE
        and not row.blocked_by
        and row.covered_by is None
        and row.requirement != "optional"
        and not row.item.later
    ]
    if candidates:
        min(candidates, key=lambda candidate: candidate[:2])[2].is_next = True


def _rows(items, kinds, records, product, on) -> list[Row]:
    rows = []
    for item in items:
        product_id = product.id if product is not None and item.level == "product" else None
        record = records.get((product_id, item.code))
        rows.append(
            Row(
                item=item,
                record=record,
                state=record_state(record, on),
                requirement=item.requirement(kinds),
                blocked_by=unmet_prerequisites(item, kinds, records, product.id if product is not None else None, on),
                product=product if item.level == "product" else None,
            )
        )
    _mark_covered(rows)
    _mark_next(rows)
    return rows


def checklist_for_shop(shop: Shop, kinds=None, *, on: date | None = None, records: dict | None = None) -> list[Row]:
    """The shop-level items for the kinds she sells (`kinds`, else shop_kinds(shop)), in order.
    A caller reading several checklists of one shop passes its `shop_records` once."""
    kinds = list(kinds) if kinds else shop_kinds(shop)
    records = shop_records(shop) if records is None else records
    return _rows(applicable_items(kinds, "shop"), kinds, records, None, on or today())


def checklist_for_product(product: Product, *, on: date | None = None, records: dict | None = None) -> list[Row]:
    """Everything a product's kind asks for: the shop-level items (shared by all her products) and
    the product's own, in prerequisite order. `records`: the shop's `shop_records`, when the caller has them."""
    kinds = [product.kind]
    records = shop_records(product.shop) if records is None else records
    return _rows(applicable_items(kinds), kinds, records, product, on or today())


def items_text(items: list[Item]) -> str:
    """«مجوز مشاغل خانگی», or two items joined with «یا». Titles only: the producer reads these, and
    codes such as HB-1 mean nothing to her."""
    names = [item.title() for item in items]
    text = names[0]
    for name in names[1:]:
        text = _("%(first)s or %(second)s", first=text, second=name)
    return text


def expiring_soon(shop: Shop, days: int = WARN_DAYS, *, now: datetime | None = None) -> list[RegistrationRecord]:
    """Her verified records that end within `days` days (soonest first)."""
    on = today(now)
    return list(
        db.session.scalars(
            select(RegistrationRecord)
            .where(
                RegistrationRecord.shop_id == shop.id,
                RegistrationRecord.status == "verified",
                RegistrationRecord.expires_on >= on,
                RegistrationRecord.expires_on <= on + timedelta(days=days),
            )
            .order_by(RegistrationRecord.expires_on, RegistrationRecord.id)
        )
    )


def expired_records(shop: Shop, *, now: datetime | None = None) -> list[RegistrationRecord]:
    """Her records that have ended: marked expired, or verified with an end date already past."""
    on = today(now)
    records = db.session.scalars(
        select(RegistrationRecord)
        .where(RegistrationRecord.shop_id == shop.id, RegistrationRecord.status.in_(("verified", "expired")))
        .order_by(RegistrationRecord.expires_on, RegistrationRecord.id)
    )
    return [record for record in records if record_state(record, on) == "expired"]


def review_queue() -> list[RegistrationRecord]:
    """Evidence waiting for the centre's check, oldest first."""
    return list(
        db.session.scalars(
            select(RegistrationRecord)
            .where(RegistrationRecord.status == "submitted")
            .order_by(RegistrationRecord.submitted_at.asc(), RegistrationRecord.id.asc())
        )
    )


def blocking_groups(rows: list[Row]) -> list[list[Row]]:
    """The mandatory requirements not yet met, each as its rows ("any of" groups together)."""
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if row.requirement == "mandatory":
            groups.setdefault(row.item.group or row.item.code, []).append(row)
    return [members for members in groups.values() if not any(row.done for row in members)]


def publish_blockers(product: Product) -> list:
    """Lazy messages naming the mandatory items (shop-level and the product's own) not yet verified
    or waived for the product's kind. Empty means registration does not stop it being published."""
    messages = []
    for members in blocking_groups(checklist_for_product(product)):
        items = LazyString(items_text, [row.item for row in members])
        if any(row.state == "submitted" for row in members):
            messages.append(_l("%(items)s: sent, waiting for the centre's check.", items=items))
        else:
            messages.append(_l("%(items)s is needed before this product can be published.", items=items))
    return messages


def badges(product: Product) -> list[dict]:
    """The verified items worth showing on the product page, as [{"code", "label"}]; items sharing a
    label (FD-1 and FD-2: «دارای مجوز بهداشت») are shown once."""
    shown, seen = [], set()
    for row in checklist_for_product(product):
        if row.state in ("verified", "expiring_soon") and row.item.badge("fa") and row.item.badge("fa") not in seen:
            seen.add(row.item.badge("fa"))
            shown.append({"code": row.item.code, "label": LazyString(row.item.badge)})
    return shown


@dataclass
class Summary:
    """What the producer's dashboard shows: the next registration step (and the product it is for),
    items ending within 30 days, ended items, and how many products registration still blocks."""

    next_row: Row | None
    expiring: list[RegistrationRecord]
    expired: list[RegistrationRecord]
    blocked_products: int


def dashboard_summary(shop: Shop) -> Summary:
    """The registration panel of her dashboard (reads only)."""
    rows = checklist_for_shop(shop)
    next_row = next((row for row in rows if row.is_next), None)
    blocked = 0
    products = db.session.scalars(
        select(Product).where(Product.shop_id == shop.id, Product.status != "archived").order_by(Product.id)
    )
    for product in products:
        product_rows = checklist_for_product(product)
        if blocking_groups(product_rows):
            blocked += 1
            if next_row is None or next_row.requirement != "mandatory":
                candidate = next((row for row in product_rows if row.is_next), None)
                if candidate is not None and candidate.requirement == "mandatory":
                    next_row = candidate
    return Summary(
        next_row=next_row, expiring=expiring_soon(shop), expired=expired_records(shop), blocked_products=blocked
    )


def product_overview(shop: Shop) -> list[tuple[Product, list]]:
    """Her products (not archived) with what still blocks each one."""
    products = db.session.scalars(
        select(Product).where(Product.shop_id == shop.id, Product.status != "archived").order_by(Product.id)
    )
    return [(product, publish_blockers(product)) for product in products]
