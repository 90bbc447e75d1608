"""A producer's application to a fair: applying, editing until the deadline (her fair-only
discounts until the fair ends) and withdrawing. A withdrawal that frees a place hands it to the
waitlist (`waitlist.py`: the 48-hour offers of a freed place, which this module imports and which
never imports it).

Status changes that may race (two clicks, a withdrawal against a jury decision) are single
conditional UPDATEs checked by their row count (`waitlist.move`)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel.speaklater import LazyString
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.notifications import notify
from ..catalog.models import Product, ProductStatus
from ..core.dates import as_utc
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text
from ..core.templating import jalali
from ..extensions import db
from ..shops.models import Shop, ShopStatus
from . import services
from .models import PUBLIC_FAIR_STATUSES, Application, ApplicationProduct, ApplicationStatus, BazaarEvent
from .waitlist import move, offer_next_place, offer_open

_A = ApplicationStatus
NOTE_MAX = 1000
DISCOUNT_MAX = 90
# statuses from which she may withdraw, and in which her discounts may still change
WITHDRAWABLE = (_A.SUBMITTED, _A.WAITLISTED, _A.ACCEPTED)


@dataclass
class ApplicationData:
    """The application form's values: chosen product ids, a discount (percent) per product, needs, note."""

    product_ids: list[int]
    discounts: dict[int, int | None] = field(default_factory=dict)
    needs_power: bool = False
    needs_table: bool = False
    two_people: bool = False
    note: str = ""


def application_data(application: Application) -> ApplicationData:
    """The saved application as form data."""
    return ApplicationData(
        product_ids=[item.product_id for item in application.items],
        discounts={item.product_id: item.discount_percent for item in application.items},
        needs_power=application.needs_power,
        needs_table=application.needs_table,
        two_people=application.two_people,
        note=application.note,
    )


# ---------------------------------------------------------------- reading


def her_application(shop: Shop | None, application_id: int) -> Application | None:
    """The application with this id if it belongs to `shop` (None for anyone else's)."""
    if shop is None:
        return None
    return db.session.scalar(
        select(Application)
        .where(Application.id == application_id, Application.shop_id == shop.id)
        .options(selectinload(Application.items).selectinload(ApplicationProduct.product))
    )


def shop_applications(shop: Shop) -> list[Application]:
    """Her applications, newest fair first, with their fairs."""
    return list(
        db.session.scalars(
            select(Application)
            .join(BazaarEvent, BazaarEvent.id == Application.fair_id)
            .where(Application.shop_id == shop.id)
            .options(selectinload(Application.fair))
            .order_by(BazaarEvent.starts_at.desc(), Application.id.desc())
        )
    )


def application_for(fair: BazaarEvent, shop: Shop) -> Application | None:
    """Her application to this fair, whatever its status."""
    return db.session.scalar(select(Application).where(Application.fair_id == fair.id, Application.shop_id == shop.id))


def fair_products(shop: Shop) -> list[Product]:
    """Her products that may go to a fair: the published ones, newest first, photos loaded."""
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.shop_id == shop.id, Product.status == ProductStatus.PUBLISHED)
            .options(selectinload(Product.images))
            .order_by(Product.updated_at.desc(), Product.id.desc())
        )
    )


def is_first_timer(shop: Shop, fair: BazaarEvent, now: datetime) -> bool:
    """True when her shop has no accepted application at any other fair that has already started."""
    earlier = (
        select(Application.id)
        .join(BazaarEvent, BazaarEvent.id == Application.fair_id)
        .where(
            Application.shop_id == shop.id,
            Application.status == _A.ACCEPTED,
            Application.fair_id != fair.id,
            BazaarEvent.starts_at <= now,
        )
    )
    return not db.session.scalar(select(exists(earlier)))


def main_category_id(products: list[Product]) -> int | None:
    """The top category most of the products belong to (the first chosen one wins a tie)."""
    counts = Counter(product.category.top.id for product in products)
    return counts.most_common(1)[0][0] if counts else None


def may_edit(application: Application, now: datetime) -> bool:
    """Products, needs and note change only while it is submitted and applications are open."""
    return application.status == _A.SUBMITTED and services.applications_open(application.fair, now)


def may_change_discounts(application: Application, now: datetime) -> bool:
    """Her fair-only discounts change until the fair ends (also after she is accepted)."""
    return application.status in WITHDRAWABLE and now < as_utc(application.fair.ends_at)


def may_withdraw(application: Application, now: datetime) -> bool:
    """She may withdraw until the fair starts, unless it was already decided against or withdrawn."""
    return application.status in WITHDRAWABLE and now < as_utc(application.fair.starts_at)


def shown_status(application: Application) -> str:
    """The status she sees: the jury's decision only once the fair's results are published."""
    decided = (_A.ACCEPTED, _A.WAITLISTED, _A.REJECTED)
    if application.status in decided and application.fair.status not in PUBLIC_FAIR_STATUSES:
        return _A.SUBMITTED
    return application.status


# ---------------------------------------------------------------- the rules


def _clean_note(note: str) -> str:
    text = normalize_text(note, multiline=True)
    if len(text) > NOTE_MAX:
        raise RuleError("note", _l("Keep the note to %(num)s characters or fewer.", num=NOTE_MAX))
    return text


def _titles(products: list[Product]) -> str:
    return "، ".join(f"«{product.title}»" for product in products)


def _checked_products(fair: BazaarEvent, shop: Shop, data: ApplicationData) -> list[Product]:
    """The chosen products in the order chosen, after every product rule of the fair."""
    ids = list(dict.fromkeys(data.product_ids))  # a product chosen twice counts once
    if len(ids) < fair.min_products:
        raise RuleError("products", _l("Choose at least %(num)s products to bring.", num=fair.min_products))
    if len(ids) > fair.max_products:
        raise RuleError("products", _l("You can bring at most %(num)s products to this fair.", num=fair.max_products))
    found = {
        product.id: product
        for product in db.session.scalars(
            select(Product).where(Product.id.in_(ids)).options(selectinload(Product.images))
        )
    }
    if any(found.get(product_id) is None or found[product_id].shop_id != shop.id for product_id in ids):
        raise RuleError("products", _l("Choose only products of your own shop."))
    products = [found[product_id] for product_id in ids]
    unpublished = [product for product in products if product.status != ProductStatus.PUBLISHED]
    if unpublished:
        raise RuleError(
            "products",
            _l("Only published products can go to the fair. Not published: %(titles)s", titles=_titles(unpublished)),
        )
    if fair.food_requires_verified and any(product.kind == "food" for product in products):
        unverified = services.readiness(shop, products).unverified_food
        if unverified:
            raise RuleError(
                "products",
                _l(
                    "For food at this fair the centre must first verify the health licences of: %(titles)s",
                    titles=_titles(unverified),
                ),
            )
    return products


def _checked_discounts(products: list[Product], discounts: dict[int, int | None]) -> dict[int, int]:
    """A discount per chosen product (empty means none), each 0–90 %."""
    checked = {}
    for product in products:
        percent = discounts.get(product.id) or 0
        if not 0 <= percent <= DISCOUNT_MAX:
            raise RuleError(
                f"discount_{product.id}",
                _l("A fair discount is between 0 and %(num)s percent.", num=DISCOUNT_MAX),
            )
        checked[product.id] = percent
    return checked


def _fill(application: Application, products: list[Product], discounts: dict[int, int], data: ApplicationData) -> None:
    """Write the chosen products (keeping rows of products still chosen), needs, note and category."""
    kept = {item.product_id: item for item in application.items}
    chosen = {product.id for product in products}
    for old in list(application.items):
        if old.product_id not in chosen:
            application.items.remove(old)
    for product in products:
        item = kept.get(product.id)
        if item is None:
            application.items.append(ApplicationProduct(product=product, discount_percent=discounts[product.id]))
        else:
            item.discount_percent = discounts[product.id]
    application.category_id = main_category_id(products)
    application.needs_power = bool(data.needs_power)
    application.needs_table = bool(data.needs_table)
    application.two_people = bool(data.two_people)


# ---------------------------------------------------------------- applying, editing, withdrawing


def apply(fair: BazaarEvent, shop: Shop, user: User, data: ApplicationData, now: datetime) -> Application:
    """Her application to `fair` with the products she brings. A withdrawn application to the same
    fair is sent again (one row per shop and fair); any other second application is refused."""
    if not services.applications_open(fair, now):
        raise RuleError("", _l("This fair is not taking applications now; the deadline has passed."))
    if shop.status != ShopStatus.APPROVED:
        raise RuleError("", _l("Your shop must be approved by the centre before you can apply to a fair."))
    existing = application_for(fair, shop)
    if existing is not None and existing.status != _A.WITHDRAWN:
        raise RuleError("", _l("You have already applied to this fair. You can change your application on its page."))
    products = _checked_products(fair, shop, data)
    discounts = _checked_discounts(products, data.discounts)
    note = _clean_note(data.note)
    # (ids, not relationships: a new row joins the session only inside the savepoint below)
    application = existing or Application(fair_id=fair.id, shop_id=shop.id)
    from_status = application.status if existing is not None else ""
    application.status = _A.SUBMITTED
    application.first_timer = is_first_timer(shop, fair, now)
    application.note = note
    application.submitted_at = now
    application.withdrawn_at = None
    application.decided_at = None
    application.decision_message = ""
    application.offered_at = application.offer_expires_at = application.offer_lapsed_at = None
    _fill(application, products, discounts, data)
    try:
        with db.session.begin_nested():  # the same shop applying twice at once: one wins
            db.session.add(application)
            db.session.flush()
    except IntegrityError:
        raise RuleError(
            "", _l("You have already applied to this fair. You can change your application on its page.")
        ) from None
    services.record_application_decision(application, user, "reapply" if existing else "apply", from_status)
    notify(
        user,
        _l(
            "We received your application to %(fair)s. The centre will tell you its decision after %(date)s.",
            fair=fair.title,
            date=LazyString(jalali, as_utc(fair.applications_close_at), False),
        ),
        services.application_link(application),
    )
    return application


def update_application(application: Application, data: ApplicationData, now: datetime) -> Application:
    """Save her edits. Products, needs and note change only while it is submitted and applications
    are open; her discounts change until the fair ends, also after acceptance."""
    fair = application.fair
    saved = application_data(application)
    only_discounts = (
        list(dict.fromkeys(data.product_ids)) == saved.product_ids
        and bool(data.needs_power) == saved.needs_power
        and bool(data.needs_table) == saved.needs_table
        and bool(data.two_people) == saved.two_people
        and normalize_text(data.note, multiline=True) == saved.note
    )
    if not only_discounts and not may_edit(application, now):
        if application.status == _A.SUBMITTED:
            raise RuleError("products", _l("The deadline has passed: only your fair discounts can change now."))
        raise RuleError("products", _l("After the centre's decision only your fair discounts can change."))
    if not may_change_discounts(application, now):
        raise RuleError("", _l("This application can no longer be changed."))
    if only_discounts:
        products = [item.product for item in application.items]
    else:
        products = _checked_products(fair, application.shop, data)
        application.note = _clean_note(data.note)
    discounts = _checked_discounts(products, data.discounts)
    _fill(application, products, discounts, data if not only_discounts else saved)
    db.session.flush()
    return application


def withdraw(application: Application, user: User, now: datetime) -> Application:
    """She withdraws (submitted, waitlisted or accepted; not once the fair started). A freed place
    (she was accepted, or declines an open offer) is offered to the next one on the waitlist."""
    if not may_withdraw(application, now):
        if application.status in WITHDRAWABLE:
            raise RuleError("", _l("The fair has started; an application can no longer be withdrawn."))
        raise RuleError("", _l("This application cannot be withdrawn."))
    from_status = application.status
    frees_place = from_status == _A.ACCEPTED or offer_open(application, now)
    if not move(
        application,
        from_status,
        status=_A.WITHDRAWN,
        withdrawn_at=now,
        booth_id=None,
        booth_locked=False,
        updated_at=now,
    ):
        raise RuleError("", _l("This application was changed meanwhile. Reload the page and try again."))
    services.record_application_decision(application, user, "withdraw", from_status)
    notify(
        user,
        _l(
            "You withdrew your application to %(fair)s. We hope to see you at the next fair.",
            fair=application.fair.title,
        ),
        services.application_link(application),
    )
    if frees_place:
        offer_next_place(application.fair, now)
    return application
