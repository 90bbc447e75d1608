"""Order tables: carts, addresses, delivery settings, checkouts, orders and their items, timeline,
messages, reviews, favourites and follows, and the producers' ledger."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalog.models import Product, ProductVariant
from ..core.audit import AuditTrailMixin
from ..core.dates import utcnow
from ..extensions import Model
from ..payments.models import Payment
from ..shops.models import Shop


class OrderStatus(StrEnum):
    """An order's states (DESIGN §4). Card orders start at `pending_payment`, offline ones at
    `awaiting_confirmation`. The allowed moves are `orders.services.TRANSITIONS`."""

    PENDING_PAYMENT = "pending_payment"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    PAID = "paid"
    ACCEPTED = "accepted"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class DeliveryMethod(StrEnum):
    """How an order reaches the buyer."""

    POST = "post"
    COURIER = "courier"
    PICKUP_CENTRE = "pickup_centre"
    PICKUP_BOOTH = "pickup_booth"


# Methods that need the buyer's address (the others are picked up).
SHIPPED_METHODS = (DeliveryMethod.POST, DeliveryMethod.COURIER)


class Cart(Model):
    """A cart: a guest's is found by the random token in her signed cookie, a signed-in buyer's by her id."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    items: Mapped[list["CartItem"]] = relationship(
        back_populates="cart", cascade="all, delete-orphan", order_by="CartItem.id"
    )


class CartItem(Model):
    """One product (or one of its option combinations) in a cart, with the price it had when added."""

    PUBLIC_FIELDS = ()

    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variant.id", ondelete="CASCADE"))
    quantity: Mapped[int] = mapped_column(default=1)
    seen_price_rial: Mapped[int] = mapped_column(BigInteger)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cart: Mapped[Cart] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()
    variant: Mapped[ProductVariant | None] = relationship()


class Address(Model):
    """An entry of a buyer's address book. Orders copy it, so editing it later changes no order."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    receiver_name: Mapped[str] = mapped_column(String(80))
    receiver_phone: Mapped[str] = mapped_column(String(16))
    province: Mapped[str] = mapped_column(String(40))
    city: Mapped[str] = mapped_column(String(60))
    line: Mapped[str] = mapped_column(String(300))
    postal_code: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DeliverySettings(Model):
    """How a shop delivers and is paid. A fee of None turns that delivery method off. A shop without
    a row uses `orders.services.default_delivery_settings`."""

    __table_args__ = (
        CheckConstraint(
            "(post_fee_rial IS NULL OR post_fee_rial >= 0) AND (courier_fee_rial IS NULL OR courier_fee_rial >= 0)",
            name="fees_not_negative",
        ),
    )

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), primary_key=True)
    post_fee_rial: Mapped[int | None] = mapped_column(BigInteger)
    courier_fee_rial: Mapped[int | None] = mapped_column(BigInteger)
    pickup_centre: Mapped[bool] = mapped_column(default=True)
    allow_cod: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class Checkout(Model):
    """One press of "place order": the orders it made (one per shop) and the payment covering them."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id"), unique=True)
    total_rial: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    buyer: Mapped[User] = relationship()
    payment: Mapped[Payment] = relationship()
    orders: Mapped[list["Order"]] = relationship(back_populates="checkout", order_by="Order.id")


class Order(Model):
    """What one buyer ordered from one shop. Amounts are computed on the server when it is placed and
    never change afterwards; the delivery address is a copy."""

    __table_args__ = (
        CheckConstraint(
            "items_rial >= 0 AND delivery_fee_rial >= 0 AND total_rial >= 0 AND commission_rial >= 0",
            name="amounts_not_negative",
        ),
        # The impact dashboard sums the orders that went ahead per shop and month: this index answers
        # it alone, without reading the table (migration 0017).
        Index("ix_order_sales", "status", "created_at", "shop_id", "items_rial"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    checkout_id: Mapped[int] = mapped_column(ForeignKey("checkout.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    payment_method: Mapped[str] = mapped_column(String(16))
    delivery_method: Mapped[str] = mapped_column(String(16))
    items_rial: Mapped[int] = mapped_column(BigInteger)
    delivery_fee_rial: Mapped[int] = mapped_column(BigInteger, default=0)
    total_rial: Mapped[int] = mapped_column(BigInteger)
    commission_rial: Mapped[int] = mapped_column(BigInteger, default=0)

    receiver_name: Mapped[str] = mapped_column(String(80))
    receiver_phone: Mapped[str] = mapped_column(String(16))
    province: Mapped[str] = mapped_column(String(40), default="")
    city: Mapped[str] = mapped_column(String(60), default="")
    address_line: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    buyer_note: Mapped[str] = mapped_column(String(500), default="")

    expected_ship_date: Mapped[date | None] = mapped_column(Date)
    carrier: Mapped[str] = mapped_column(String(60), default="")
    tracking_code: Mapped[str] = mapped_column(String(60), default="")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # offline orders: when the producer (or staff) marked the money received
    money_received_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # when the producer first opened it on her desk (the "new" badge counts orders not yet seen)
    seen_by_shop_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    checkout: Mapped[Checkout] = relationship(back_populates="orders")
    shop: Mapped[Shop] = relationship()
    buyer: Mapped[User] = relationship()
    items: Mapped[list["OrderItem"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderItem.id"
    )
    events: Mapped[list["OrderEvent"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderEvent.id"
    )
    messages: Mapped[list["OrderMessage"]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderMessage.id"
    )

    @property
    def number(self) -> str:
        """The order number people read out on the phone (the id, shown with Persian digits by templates)."""
        return str(self.id)

    def __repr__(self) -> str:
        return f"<Order {self.id} {self.status}>"


class OrderItem(Model):
    """One line of an order: a copy of the product's title, option and price when it was ordered."""

    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("unit_price_rial >= 0", name="price_not_negative"),
        # The impact dashboard's income per category reads every line of those orders (migration 0017).
        Index("ix_order_item_sales", "order_id", "product_id", "unit_price_rial", "quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("product_variant.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(120))
    option_label: Mapped[str] = mapped_column(String(90), default="")
    unit_price_rial: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[int] = mapped_column()
    made_to_order: Mapped[bool] = mapped_column(default=False)
    expected_ship_date: Mapped[date | None] = mapped_column(Date)

    order: Mapped[Order] = relationship(back_populates="items")
    product: Mapped[Product | None] = relationship()
    review: Mapped["Review | None"] = relationship(back_populates="item", uselist=False)

    @property
    def line_total_rial(self) -> int:
        """Price times quantity."""
        return self.unit_price_rial * self.quantity


class OrderEvent(AuditTrailMixin, Model):
    """The order's timeline: every state change, who made it, when and why."""

    # wider than the mixin's 20 characters: "awaiting_confirmation" has 21 (PostgreSQL refuses it)
    from_status: Mapped[str] = mapped_column(String(24))
    to_status: Mapped[str] = mapped_column(String(24))
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)

    order: Mapped[Order] = relationship(back_populates="events")


class OrderMessage(Model):
    """A plain-text message in an order's thread between the buyer and the producer."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    order: Mapped[Order] = relationship(back_populates="messages")
    author: Mapped[User | None] = relationship()


class Review(Model):
    """A buyer's review of one delivered order line (one per line); the producer may reply once."""

    __table_args__ = (CheckConstraint("rating >= 1 AND rating <= 5", name="rating_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_item.id", ondelete="CASCADE"), unique=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="SET NULL"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)
    buyer_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    rating: Mapped[int] = mapped_column()
    body: Mapped[str] = mapped_column(Text, default="")
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    item: Mapped[OrderItem] = relationship(back_populates="review")
    buyer: Mapped[User | None] = relationship()


class Favourite(Model):
    """A product a user keeps for later."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Follow(Model):
    """A shop a user follows."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LedgerEntry(Model):
    """What the centre and one producer owe each other for one delivered order.

    owed_rial > 0: the centre holds the money (card, paid at the centre) and owes the producer the
    total less the commission. owed_rial < 0: the producer collected it (cash on delivery, at her
    booth) and owes the centre its commission. Staff mark it settled when the money has moved."""

    PUBLIC_FIELDS = ()

    __table_args__ = (UniqueConstraint("order_id", name="uq_ledger_entry_order_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"))
    gross_rial: Mapped[int] = mapped_column(BigInteger)
    commission_rial: Mapped[int] = mapped_column(BigInteger)
    owed_rial: Mapped[int] = mapped_column(BigInteger)
    collected_by: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    settled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    shop: Mapped[Shop] = relationship()
    order: Mapped[Order] = relationship()
