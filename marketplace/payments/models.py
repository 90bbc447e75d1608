"""Payment tables: one payment per checkout, every provider event applied (once), the exchange
rates staff set for card payments."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.dates import utcnow
from ..extensions import Model


class PaymentStatus(StrEnum):
    """A payment's states. `pending` waits for the provider (card) or for the money (offline);
    the others are final except `paid → refunded`. See `payments.services.TRANSITIONS`."""

    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentMethod(StrEnum):
    """How the buyer pays: by card (Stripe) or offline (cash on delivery, at the centre, at a fair booth)."""

    CARD = "card"
    COD = "cod"
    CENTRE = "centre"
    BOOTH = "booth"


OFFLINE_METHODS = (PaymentMethod.COD, PaymentMethod.CENTRE, PaymentMethod.BOOTH)


class Payment(Model):
    """The money of one checkout (one or several orders). Amounts in rial; a card payment also keeps
    what was charged: the currency, the staff-set rate (rial per unit) and the amount in minor units."""

    PUBLIC_FIELDS = ()

    __table_args__ = (
        CheckConstraint("amount_rial >= 0", name="amount_not_negative"),
        CheckConstraint("received_rial >= 0 AND refunded_rial >= 0", name="received_refunded_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # what the payment is for, as the provider shows it ("checkout-12"): metadata, idempotency keys
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    provider: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=PaymentStatus.PENDING, index=True)
    amount_rial: Mapped[int] = mapped_column(BigInteger)
    # offline: money the producers marked received so far; the payment is paid when it covers the amount
    received_rial: Mapped[int] = mapped_column(BigInteger, default=0)
    refunded_rial: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str | None] = mapped_column(String(3))
    rial_per_unit: Mapped[int | None] = mapped_column(BigInteger)
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    refunded_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    # the provider's ids: a Stripe Checkout Session and its PaymentIntent
    provider_ref: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_payment_ref: Mapped[str | None] = mapped_column(String(255), index=True)
    redirect_url: Mapped[str | None] = mapped_column(String(2000))
    failure_reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def is_offline(self) -> bool:
        """Paid outside the site: cash on delivery, at the centre or at a booth."""
        return self.method in OFFLINE_METHODS

    def __repr__(self) -> str:
        return f"<Payment {self.id} {self.reference} {self.status}>"


class PaymentEvent(Model):
    """A provider event (a Stripe webhook) that was applied. Written in the same transaction as its
    effect, under a unique (provider, event id): a repeated delivery finds it and does nothing."""

    PUBLIC_FIELDS = ()

    __table_args__ = (UniqueConstraint("provider", "event_id", name="uq_payment_event_provider_event"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    provider: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(255))
    type: Mapped[str] = mapped_column(String(80))
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payment.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ExchangeRate(Model):
    """How many rial one unit of a card currency costs, as staff set it; the newest row is used."""

    __table_args__ = (CheckConstraint("rial_per_unit > 0", name="rate_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), index=True)
    rial_per_unit: Mapped[int] = mapped_column(BigInteger)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
