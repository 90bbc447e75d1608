"""Checkout: one press of "place order" makes one order per shop and one payment covering them,
in one transaction. Every amount comes from the database (prices, fees, commission); nothing the
browser says about money is read. Stock is taken line by line with a conditional UPDATE; if any
line fails, the whole checkout rolls back and the buyer is told which items ran out."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select

from ..accounts.models import User
from ..core import events
from ..core.dates import TEHRAN, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..core.phone import PhoneError, normalize_iranian_mobile
from ..core.settings import platform_setting
from ..extensions import db
from ..payments import services as payments
from ..payments.models import PaymentMethod
from ..shops.models import Shop
from . import services
from .cart import ShopGroup, grouped_lines
from .models import (
    SHIPPED_METHODS,
    Address,
    Cart,
    Checkout,
    DeliveryMethod,
    DeliverySettings,
    Order,
    OrderEvent,
    OrderItem,
    OrderStatus,
)
from .stock import StockLine, announce, take

PROVINCES = (
    "خراسان رضوی",
    "آذربایجان شرقی",
    "آذربایجان غربی",
    "اردبیل",
    "اصفهان",
    "البرز",
    "ایلام",
    "بوشهر",
    "تهران",
    "چهارمحال و بختیاری",
    "خراسان جنوبی",
    "خراسان شمالی",
    "خوزستان",
    "زنجان",
    "سمنان",
    "سیستان و بلوچستان",
    "فارس",
    "قزوین",
    "قم",
    "کردستان",
    "کرمان",
    "کرمانشاه",
    "کهگیلویه و بویراحمد",
    "گلستان",
    "گیلان",
    "لرستان",
    "مازندران",
    "مرکزی",
    "هرمزگان",
    "همدان",
    "یزد",
)
MAX_ADDRESSES = 10


class CheckoutRefused(RuleError):
    """The checkout cannot go ahead; `errors` lists every (field, message), e.g. each sold-out item."""

    def __init__(self, errors: list[tuple[str, object]]):
        super().__init__(errors[0][0], errors[0][1])
        self.errors = errors


# --- delivery settings -------------------------------------------------------------------------


def delivery_settings(app: Flask, shop: Shop) -> DeliverySettings:
    """The shop's delivery settings, or the defaults (post at the default fee, pickup at the centre)."""
    settings = db.session.get(DeliverySettings, shop.id)
    if settings is None:
        settings = DeliverySettings(
            shop_id=shop.id,
            post_fee_rial=platform_setting("DEFAULT_POST_FEE_RIAL"),
            courier_fee_rial=platform_setting("DEFAULT_COURIER_FEE_RIAL"),
            pickup_centre=True,
            allow_cod=False,
        )
    return settings


def save_delivery_settings(
    app: Flask, shop: Shop, *, post_fee_rial, courier_fee_rial, pickup_centre: bool, allow_cod: bool
) -> DeliverySettings:
    """Store how the shop delivers; at least one way must stay open. (Pickup at a fair booth is not a
    setting: it is offered while she has a booth at a live fair, see `booth_pickup`.)"""
    if post_fee_rial is None and courier_fee_rial is None and not pickup_centre:
        raise RuleError("post_fee", _l("Keep at least one way for buyers to get their order."))
    settings = db.session.get(DeliverySettings, shop.id)
    if settings is None:
        settings = DeliverySettings(shop_id=shop.id)
        db.session.add(settings)
    settings.post_fee_rial, settings.courier_fee_rial = post_fee_rial, courier_fee_rial
    settings.pickup_centre, settings.allow_cod = pickup_centre, allow_cod
    db.session.flush()
    return settings


def booth_pickup(shop: Shop, now: datetime | None = None) -> dict | None:
    """Where buyers can pick up this shop's order at a fair booth now — `{"fair_id", "fair_title",
    "booth_code"}` — or None. Asked through `events.booth_pickup` (the bazaar answers while the shop
    has a booth at a live fair)."""
    return events.answer(events.booth_pickup, shop, now=now or utcnow())


def booth_pickups(groups: list[ShopGroup], now: datetime | None = None) -> dict[int, dict | None]:
    """`booth_pickup` for each shop of the checkout, by shop id."""
    return {group.shop.id: booth_pickup(group.shop, now) for group in groups}


def delivery_options(settings: DeliverySettings, pickup: dict | None = None) -> dict[str, int]:
    """The methods the shop offers, with their fees in rial: its settings, and pickup at its fair
    booth while `pickup` (its `booth_pickup` answer) says it has one at a live fair."""
    options: dict[str, int] = {}
    if settings.post_fee_rial is not None:
        options[DeliveryMethod.POST] = settings.post_fee_rial
    if settings.courier_fee_rial is not None:
        options[DeliveryMethod.COURIER] = settings.courier_fee_rial
    if settings.pickup_centre:
        options[DeliveryMethod.PICKUP_CENTRE] = 0
    if pickup is not None:
        options[DeliveryMethod.PICKUP_BOOTH] = 0
    return options


def booth_place(pickup: dict) -> str:
    """The pickup place as the order keeps it in its address line: «غرفه A-03، بازارچه بهاره». Kept
    in Persian whoever ordered, like the rest of the stored address (the producer reads it too)."""
    with force_locale("fa"):
        return str(_l("Booth %(code)s, %(fair)s", code=pickup["booth_code"], fair=pickup["fair_title"]))


def payment_methods(app: Flask, groups: list[ShopGroup], pickups: dict[int, dict | None] | None = None) -> list[str]:
    """What the buyer may pay with for these shops: card when Stripe is on, cash on delivery when
    every shop allows it, at the centre always, at the booth when every shop can be picked up at its
    fair booth now (place_order then requires that every shop is picked up there)."""
    if pickups is None:
        pickups = booth_pickups(groups)
    methods = []
    for method in payments.available_methods(app):
        settings = [delivery_settings(app, group.shop) for group in groups]
        if method == PaymentMethod.COD and not all(s.allow_cod for s in settings):
            continue
        if method == PaymentMethod.BOOTH and not (groups and all(pickups.get(g.shop.id) for g in groups)):
            continue
        if method == PaymentMethod.CARD and payments.current_rate(platform_setting("STRIPE_CURRENCY")) is None:
            continue
        methods.append(method)
    return methods


# --- the address book -------------------------------------------------------------------------


@dataclass
class AddressData:
    """An address as typed in the form."""

    receiver_name: str
    receiver_phone: str
    province: str
    city: str
    line: str
    postal_code: str


def clean_address(data: AddressData) -> dict:
    """The address normalised and checked; every problem names its field."""
    errors: list[tuple[str, object]] = []
    name = normalize_text(data.receiver_name)[:80]
    city = normalize_text(data.city)[:60]
    line = normalize_text(data.line, multiline=True)[:300]
    postal = re.sub(r"[\s\-]", "", to_latin_digits(data.postal_code or ""))
    province = normalize_text(data.province)
    phone = ""
    if len(name) < 2:
        errors.append(("receiver_name", _l("Write the receiver's name.")))
    try:
        phone = normalize_iranian_mobile(data.receiver_phone)
    except PhoneError:
        errors.append(("receiver_phone", _l("Write a mobile number like 0915 123 4567.")))
    if province not in PROVINCES:
        errors.append(("province", _l("Choose a province.")))
    if len(city) < 2:
        errors.append(("city", _l("Write the city.")))
    if len(line) < 10:
        errors.append(("line", _l("Write the full address: street, alley, number, unit.")))
    if not re.fullmatch(r"\d{10}", postal):
        errors.append(("postal_code", _l("The postal code has 10 digits.")))
    if errors:
        raise CheckoutRefused(errors)
    return {
        "receiver_name": name,
        "receiver_phone": phone,
        "province": province,
        "city": city,
        "line": line,
        "postal_code": postal,
    }


def buyer_addresses(user_id: int) -> list[Address]:
    """The buyer's address book, newest first."""
    return list(db.session.scalars(select(Address).where(Address.user_id == user_id).order_by(Address.id.desc())))


def buyer_address(user_id: int, address_id: int | None) -> Address | None:
    """The buyer's own address `address_id` (another user's id finds nothing)."""
    if address_id is None:
        return None
    return db.session.scalars(select(Address).where(Address.id == address_id, Address.user_id == user_id)).first()


def add_address(user_id: int, data: AddressData) -> Address:
    """Save a new address in the buyer's book."""
    if len(buyer_addresses(user_id)) >= MAX_ADDRESSES:
        raise RuleError("line", _l("Your address book is full; delete an old address first."))
    address = Address(user_id=user_id, **clean_address(data))
    db.session.add(address)
    db.session.flush()
    return address


def delete_address(user_id: int, address_id: int) -> None:
    """Remove an address from the buyer's book (orders keep their own copy)."""
    address = buyer_address(user_id, address_id)
    if address is not None:
        db.session.delete(address)
        db.session.flush()


# --- placing the order ------------------------------------------------------------------------


@dataclass
class CheckoutChoice:
    """What the buyer chose: a delivery method per shop id, the payment method, the address, a note."""

    delivery: dict[int, str]
    payment_method: str
    address: Address | None
    note: str = ""


def place_order(
    app: Flask, buyer: User, cart: Cart | None, choice: CheckoutChoice, *, now: datetime | None = None
) -> Checkout:
    """Turn the cart into one order per shop and one payment, take the stock, empty the cart.
    Refuses with every problem at once; on a refusal nothing is written (the caller rolls back)."""
    now = now or utcnow()
    today = now.astimezone(TEHRAN).date()
    max_line = app.config["MAX_LINE_QUANTITY"]
    # Lazily, besides the worker's minute: card checkouts abandoned past their expiry give their stock
    # back first, so nobody is told an item ran out when it is only held by an unpaid checkout.
    payments.expire_overdue(now)
    # priced here, at `now`, by the same function as the cart page (fair prices included)
    groups = grouped_lines(cart, max_line=max_line, now=now)
    errors: list[tuple[str, object]] = []
    if cart is None or not groups:
        raise CheckoutRefused([("cart", _l("Your cart is empty."))])
    pickups = booth_pickups(groups, now)
    for group in groups:
        for line in group.lines:
            if line.problem:
                errors.append(("cart", _l("«%(title)s»: %(problem)s", title=line.product.title, problem=line.problem)))
    if choice.payment_method not in payment_methods(app, groups, pickups):
        errors.append(("payment_method", _l("Choose one of the payment methods shown.")))
    elif choice.payment_method == PaymentMethod.BOOTH and any(
        choice.delivery.get(group.shop.id) != DeliveryMethod.PICKUP_BOOTH for group in groups
    ):
        errors.append(
            ("payment_method", _l("You can pay at the booth only when you pick up every order at its booth."))
        )
    needs_address = False
    fees: dict[int, int] = {}
    for group in groups:
        method = choice.delivery.get(group.shop.id, "")
        options = delivery_options(delivery_settings(app, group.shop), pickups[group.shop.id])
        if method not in options:
            errors.append(
                (f"delivery_{group.shop.id}", _l("Choose how «%(shop)s» should send your order.", shop=group.shop.name))
            )
            continue
        fees[group.shop.id] = options[method]
        needs_address = needs_address or method in SHIPPED_METHODS
    if choice.payment_method == PaymentMethod.COD and not needs_address:
        pass  # cash on delivery to a pickup point is paid on pickup: allowed
    if needs_address and choice.address is None:
        errors.append(("address_id", _l("Choose or add the address to send to.")))
    if choice.address is not None and choice.address.user_id != buyer.id:
        errors.append(("address_id", _l("Choose or add the address to send to.")))
    if errors:
        raise CheckoutRefused(errors)

    # stock: one conditional UPDATE per line; collect every failure before refusing
    changed: set[int] = set()
    for group in groups:
        for line in group.lines:
            if line.product.made_to_order:
                continue
            if take(StockLine(line.product.id, line.variant.id if line.variant else None, line.quantity)):
                changed.add(line.product.id)
            else:
                errors.append(
                    (
                        "cart",
                        _l("«%(title)s» has just run out; lower the quantity or remove it.", title=line.product.title),
                    )
                )
    if errors:
        raise CheckoutRefused(errors)
    announce(changed)

    note = normalize_text(choice.note, multiline=True)[:500]
    card = choice.payment_method == PaymentMethod.CARD
    checkout = Checkout(buyer_id=buyer.id, total_rial=0, created_at=now)
    db.session.add(checkout)
    db.session.flush()
    address = choice.address
    total = 0
    orders = []
    for group in groups:
        method = choice.delivery[group.shop.id]
        items_rial = group.subtotal_rial
        shipped = method in SHIPPED_METHODS
        pickup = pickups[group.shop.id] if method == DeliveryMethod.PICKUP_BOOTH else None
        order = Order(
            checkout=checkout,
            shop_id=group.shop.id,
            buyer_id=buyer.id,
            status=OrderStatus.PENDING_PAYMENT if card else OrderStatus.AWAITING_CONFIRMATION,
            payment_method=choice.payment_method,
            delivery_method=method,
            items_rial=items_rial,
            delivery_fee_rial=fees[group.shop.id],
            total_rial=items_rial + fees[group.shop.id],
            commission_rial=services.commission_for(items_rial, platform_setting("PLATFORM_COMMISSION_PERCENT")),
            receiver_name=address.receiver_name if address else buyer.display_name,
            receiver_phone=address.receiver_phone if address else buyer.phone,
            province=address.province if address and shipped else "",
            city=address.city if address and shipped else "",
            # a booth pickup keeps its place here, so both order pages show where to collect it
            address_line=address.line if address and shipped else (booth_place(pickup) if pickup else ""),
            postal_code=address.postal_code if address and shipped else "",
            buyer_note=note,
            created_at=now,
        )
        db.session.add(order)
        latest: date | None = None
        for line in group.lines:
            ship_date = None
            if line.product.made_to_order:
                ship_date = services.made_to_order_ship_date(group.shop, line.product.lead_time_days, today)
                latest = max(latest, ship_date) if latest else ship_date
            order.items.append(
                OrderItem(
                    product_id=line.product.id,
                    variant_id=line.variant.id if line.variant else None,
                    title=line.product.title,
                    option_label=" ".join(v for v in (line.variant.value1, line.variant.value2) if v)
                    if line.variant
                    else "",
                    unit_price_rial=line.unit_rial,
                    quantity=line.quantity,
                    made_to_order=line.product.made_to_order,
                    expected_ship_date=ship_date,
                )
            )
        order.expected_ship_date = latest
        orders.append(order)
        total += order.total_rial
    checkout.total_rial = total
    checkout.payment = payments.create_payment(
        app, method=choice.payment_method, amount_rial=total, reference=f"checkout-{checkout.id}", now=now
    )
    cart.items.clear()
    db.session.flush()
    for order in orders:
        order.events.append(
            OrderEvent(action="placed", from_status="", to_status=order.status, actor_id=buyer.id, created_at=now)
        )
        events.order_placed.send(order)
    db.session.flush()
    return checkout


def buyer_checkout(buyer_id: int, checkout_id: int) -> Checkout | None:
    """The buyer's own checkout `checkout_id`, or None."""
    return db.session.scalars(select(Checkout).where(Checkout.id == checkout_id, Checkout.buyer_id == buyer_id)).first()
