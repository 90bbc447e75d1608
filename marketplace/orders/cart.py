"""The cart: a guest's is found by a random token kept in her signed session cookie, a signed-in
buyer's by her account; the guest's is merged into hers when she signs in. Prices and stock are
always read from the database, when the cart is shown and again at checkout."""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..catalog.models import Product, ProductVariant
from ..core import events
from ..core.dates import utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..extensions import db
from ..shops.models import Shop
from .models import Cart, CartItem
from .services import made_to_order_ship_date


def find_cart(*, user_id: int | None, token: str | None) -> Cart | None:
    """The signed-in buyer's cart, else the guest cart of `token`, else None."""
    statement = select(Cart).options(selectinload(Cart.items))
    if user_id is not None:
        return db.session.scalars(statement.where(Cart.user_id == user_id)).first()
    if token:
        return db.session.scalars(statement.where(Cart.token == token, Cart.user_id.is_(None))).first()
    return None


def open_cart(*, user_id: int | None, token: str | None) -> Cart:
    """The cart to add to, created when there is none."""
    cart = find_cart(user_id=user_id, token=token)
    if cart is None:
        cart = Cart(token=secrets.token_urlsafe(32), user_id=user_id)
        db.session.add(cart)
        db.session.flush()
    return cart


def unit_price(product: Product, variant: ProductVariant | None, now: datetime | None = None) -> int:
    """The price of one unit now, in rial: the product's fair-only price while a fair exhibiting it
    is live (asked through `events.fair_price`), else its own price; plus the option's difference.
    The cart, the checkout page and `checkout.place_order` all price lines here, on the server."""
    base = events.answer(events.fair_price, product, now=now or utcnow())
    return regular_price(product, variant) if base is None else base + _delta(variant)


def regular_price(product: Product, variant: ProductVariant | None) -> int:
    """The price of one unit without any fair discount, in rial (shown struck through beside a fair price)."""
    return product.price_rial + _delta(variant)


def _delta(variant: ProductVariant | None) -> int:
    return variant.price_delta_rial if variant is not None else 0


def available(product: Product, variant: ProductVariant | None, max_line: int) -> int:
    """How many units one line may hold now: the stock on hand, or up to `max_line` made to order."""
    if product.made_to_order:
        return 0 if product.shop.away else max_line
    return min(max_line, variant.stock if variant is not None else product.stock)


def _sellable(product_id: int, variant_id: int | None) -> tuple[Product, ProductVariant | None]:
    product = db.session.get(Product, product_id)
    if product is None or not product.is_public:
        raise RuleError("product", _l("This product is not for sale."))
    variant = None
    if product.variants:
        variant = next((row for row in product.variants if row.id == variant_id), None)
        if variant is None:
            raise RuleError("variant_id", _l("Choose one of the options."))
    return product, variant


def add_item(cart: Cart, product_id: int, variant_id: int | None, quantity: int, *, max_line: int) -> CartItem:
    """Put `quantity` units in the cart (added to a line already there), within what is available."""
    product, variant = _sellable(product_id, variant_id)
    existing = next(
        (item for item in cart.items if item.product_id == product.id and item.variant_id == (variant and variant.id)),
        None,
    )
    wanted = quantity + (existing.quantity if existing else 0)
    _check_quantity(product, variant, wanted, max_line)
    if existing is not None:
        existing.quantity = wanted
        existing.seen_price_rial = unit_price(product, variant)
        db.session.flush()
        return existing
    item = CartItem(product=product, variant=variant, quantity=wanted, seen_price_rial=unit_price(product, variant))
    cart.items.append(item)
    db.session.flush()
    return item


def _check_quantity(product: Product, variant: ProductVariant | None, quantity: int, max_line: int) -> None:
    if quantity < 1:
        raise RuleError("quantity", _l("Choose at least one."))
    limit = available(product, variant, max_line)
    if limit < 1:
        raise RuleError("quantity", _l("«%(title)s» is sold out.", title=product.title))
    if quantity > limit:
        raise RuleError("quantity", _l("Only %(num)s of «%(title)s» can be ordered.", num=limit, title=product.title))


def set_quantity(cart: Cart, item_id: int, quantity: int, *, max_line: int) -> None:
    """Change a line's quantity (0 removes it). Lines of other carts are not touched."""
    item = next((row for row in cart.items if row.id == item_id), None)
    if item is None:
        raise RuleError("quantity", _l("This item is no longer in your cart."))
    if quantity == 0:
        cart.items.remove(item)
    else:
        _check_quantity(item.product, item.variant, quantity, max_line)
        item.quantity = quantity
        item.seen_price_rial = unit_price(item.product, item.variant)
    db.session.flush()


def remove_item(cart: Cart, item_id: int) -> None:
    """Take a line out of the cart (nothing happens for a line of another cart)."""
    item = next((row for row in cart.items if row.id == item_id), None)
    if item is not None:
        cart.items.remove(item)
        db.session.flush()


def merge_guest_cart(guest_token: str | None, user_id: int, *, max_line: int) -> Cart | None:
    """On sign-in: move the guest cart's lines into the buyer's own cart (quantities added, capped at
    what is available) and delete the guest cart. Returns the buyer's cart."""
    guest = find_cart(user_id=None, token=guest_token)
    if guest is None:
        return find_cart(user_id=user_id, token=None)
    own = find_cart(user_id=user_id, token=None)
    if own is None:
        guest.user_id = user_id
        db.session.flush()
        return guest
    for item in list(guest.items):
        match = next(
            (row for row in own.items if (row.product_id, row.variant_id) == (item.product_id, item.variant_id)), None
        )
        limit = max(1, available(item.product, item.variant, max_line))
        if match is None:
            own.items.append(
                CartItem(
                    product_id=item.product_id,
                    variant_id=item.variant_id,
                    quantity=min(item.quantity, limit),
                    seen_price_rial=item.seen_price_rial,
                )
            )
        else:
            match.quantity = min(match.quantity + item.quantity, limit)
    db.session.delete(guest)
    db.session.flush()
    return own


def item_count(cart: Cart | None) -> int:
    """Units in the cart (the header's badge)."""
    return sum(item.quantity for item in cart.items) if cart is not None else 0


@dataclass
class CartLine:
    """A cart line as the page and checkout see it: today's price and what stands in its way."""

    item: CartItem
    product: Product
    variant: ProductVariant | None
    unit_rial: int
    quantity: int
    available: int
    price_changed_from: int | None = None  # the price when it was added, when it has changed since
    regular_unit_rial: int | None = None  # the price without the fair discount, when one applies now
    problem: str = ""  # why it cannot be ordered as it is (sold out, fewer left, no longer for sale)
    ships_by: date | None = None  # made to order: when it would be sent if ordered today

    @property
    def total_rial(self) -> int:
        """Today's price times the quantity."""
        return self.unit_rial * self.quantity


@dataclass
class ShopGroup:
    """The lines of one shop: they become one order."""

    shop: Shop
    lines: list[CartLine] = field(default_factory=list)

    @property
    def subtotal_rial(self) -> int:
        """The items' total at today's prices."""
        return sum(line.total_rial for line in self.lines if not line.problem)


def grouped_lines(
    cart: Cart | None, *, max_line: int, today: date | None = None, now: datetime | None = None
) -> list[ShopGroup]:
    """The cart's lines grouped by shop (in the order first added), priced at `now` (fair prices
    included), problems marked; with `today`, made-to-order lines get the date they would ship (lead
    time and the shop's queue)."""
    if cart is None:
        return []
    now = now or utcnow()
    groups: dict[int, ShopGroup] = {}
    for item in cart.items:
        product, variant = item.product, item.variant
        limit = available(product, variant, max_line)
        line = CartLine(
            item=item,
            product=product,
            variant=variant,
            unit_rial=unit_price(product, variant, now),
            quantity=item.quantity,
            available=limit,
        )
        if line.unit_rial != regular_price(product, variant):
            line.regular_unit_rial = regular_price(product, variant)
        if line.unit_rial != item.seen_price_rial:
            line.price_changed_from = item.seen_price_rial
        if not product.is_public:
            line.problem = str(_l("No longer for sale."))
        elif limit < 1:
            line.problem = str(_l("Sold out."))
        elif item.quantity > limit:
            line.problem = str(_l("Only %(num)s left.", num=limit))
        if today is not None and product.made_to_order:
            line.ships_by = made_to_order_ship_date(product.shop, product.lead_time_days, today)
        groups.setdefault(product.shop_id, ShopGroup(shop=product.shop)).lines.append(line)
    return list(groups.values())


def acknowledge_prices(cart: Cart) -> None:
    """The buyer has seen today's prices: stop flagging the change."""
    for item in cart.items:
        item.seen_price_rial = unit_price(item.product, item.variant)
    db.session.flush()
