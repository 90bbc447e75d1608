"""Shop tables: the shop, its earlier slugs (which keep redirecting), the staff decisions on it and
where the centre pays the producer."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.audit import AuditTrailMixin
from ..core.dates import utcnow
from ..extensions import Model


class ShopStatus(StrEnum):
    """A shop's states (DESIGN §4); the values are what the `status` column stores. The allowed
    moves are `shops.services.TRANSITIONS`."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    SUSPENDED = "suspended"


SHOP_STATUSES = tuple(ShopStatus)
SOCIAL_PLATFORMS = ("instagram", "telegram", "eitaa", "rubika", "bale", "whatsapp")
WIZARD_STEPS = ("name", "story", "colours", "logo", "kit", "social")


class Shop(Model):
    """A producer's shop. One per producer for now; every read goes through shops.access."""

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    craft: Mapped[str] = mapped_column(String(60), default="")
    tagline: Mapped[str] = mapped_column(String(80), default="")
    story: Mapped[str] = mapped_column(Text, default="")
    story_answers: Mapped[dict] = mapped_column(JSON, default=dict)
    neighbourhood: Mapped[str] = mapped_column(String(60), default="")
    city: Mapped[str] = mapped_column(String(40), default="مشهد")
    contact_phone: Mapped[str | None] = mapped_column(String(16))
    show_phone: Mapped[bool] = mapped_column(default=False)

    instagram: Mapped[str | None] = mapped_column(String(64))
    telegram: Mapped[str | None] = mapped_column(String(64))
    eitaa: Mapped[str | None] = mapped_column(String(64))
    rubika: Mapped[str | None] = mapped_column(String(64))
    bale: Mapped[str | None] = mapped_column(String(64))
    whatsapp: Mapped[str | None] = mapped_column(String(16))

    palette_code: Mapped[str | None] = mapped_column(String(32))
    color_primary: Mapped[str | None] = mapped_column(String(7))
    color_accent: Mapped[str | None] = mapped_column(String(7))
    color_background: Mapped[str | None] = mapped_column(String(7))
    color_text: Mapped[str | None] = mapped_column(String(7))

    # {"1024": "ab/ab…png", "512": …, "192": …, "32": …} under the uploads folder, and "webp": the
    # core pipeline's StoredImage dict of the 56/112/192-px WebP copies (shown where the logo is small)
    logo_files: Mapped[dict | None] = mapped_column(JSON)
    logo_source: Mapped[str | None] = mapped_column(String(64))
    # The core pipeline's StoredImage as a dict: key, width, height, dominant_color, variants
    banner: Mapped[dict | None] = mapped_column(JSON)
    kit_photo: Mapped[dict | None] = mapped_column(JSON)

    weekly_capacity: Mapped[int | None] = mapped_column()
    away: Mapped[bool] = mapped_column(default=False)
    away_until: Mapped[date | None] = mapped_column(Date)

    # An approved shop's edited text waiting for the centre ({field: new value}); buyers keep seeing
    # the approved text meanwhile (see shops.services.REVIEWED_FIELDS).
    pending_text: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    status: Mapped[str] = mapped_column(String(20), default=ShopStatus.DRAFT, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    wizard_step: Mapped[str] = mapped_column(String(16), default="name")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    owner: Mapped[User] = relationship()
    old_slugs: Mapped[list["ShopSlug"]] = relationship(back_populates="shop", cascade="all, delete-orphan")
    decisions: Mapped[list["ShopDecision"]] = relationship(
        back_populates="shop", cascade="all, delete-orphan", order_by="ShopDecision.id.desc()"
    )
    payout: Mapped["ShopPayout | None"] = relationship(back_populates="shop", cascade="all, delete-orphan")

    @hybrid_property
    def is_public(self) -> bool:
        """Only approved shops are shown to everyone (in SQL too: `where(Shop.is_public)`)."""
        return self.status == ShopStatus.APPROVED

    def __repr__(self) -> str:
        return f"<Shop {self.id} {self.slug}>"


class ShopSlug(Model):
    """A slug the shop had before a rename; /shop/<old> redirects to the current one."""

    slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    shop: Mapped[Shop] = relationship(back_populates="old_slugs")


class ShopDecision(AuditTrailMixin, Model):
    """Audit trail: who did what to a shop's status, when and why."""

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)

    shop: Mapped[Shop] = relationship(back_populates="decisions")


class ShopPayout(Model):
    """Where the centre pays the producer what it owes her (shops.payout): the account holder's name
    and the Sheba number (the Iranian IBAN, stored as IR and 24 digits). Only she sets it; staff
    see it with all but the last four digits hidden."""

    PUBLIC_FIELDS = ()

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), primary_key=True)
    holder_name: Mapped[str] = mapped_column(String(80))
    sheba: Mapped[str] = mapped_column(String(26))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    shop: Mapped[Shop] = relationship(back_populates="payout")
