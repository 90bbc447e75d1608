"""Registration tables: where a shop (or one of its products) stands on each requirement item, and
the audit trail of every submission and staff decision."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalog.models import Product
from ..core.audit import AuditTrailMixin
from ..core.dates import utcnow
from ..extensions import Model
from ..shops.models import Shop

# Stored statuses (DESIGN §4). "expiring_soon" is never stored: it is read from expires_on.


class RecordStatus(StrEnum):
    """A registration item's stored states (DESIGN §4); the allowed moves are
    `registration.services.TRANSITIONS`."""

    TODO = "todo"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WAIVED = "waived"


RECORD_STATUSES = tuple(RecordStatus)
EVENT_ACTIONS = ("submit", "verify", "reject", "waive", "expire")


class RegistrationRecord(Model):
    """One shop's (shop-level item) or one product's (product-level item) progress on an item.

    A shop-level record has no product; the partial unique index keeps one per (shop, code), the
    unique constraint one per (shop, product, code)."""

    __table_args__ = (
        UniqueConstraint("shop_id", "product_id", "item_code", name="uq_registration_record_product_item"),
        Index(
            "uq_registration_record_shop_item",
            "shop_id",
            "item_code",
            unique=True,
            sqlite_where=text("product_id IS NULL"),
            postgresql_where=text("product_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    item_code: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(12), default=RecordStatus.TODO, index=True)

    number: Mapped[str] = mapped_column(String(40), default="")
    issued_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date, index=True)
    # The evidence file, relative to the uploads folder (evidence/…), never served from /media/.
    document_path: Mapped[str | None] = mapped_column(String(120))
    document_mime: Mapped[str | None] = mapped_column(String(40))
    document_size: Mapped[int | None] = mapped_column()  # bytes of the file as uploaded

    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    shop: Mapped[Shop] = relationship()
    product: Mapped[Product | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
    events: Mapped[list["RegistrationEvent"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="RegistrationEvent.id.desc()"
    )

    @property
    def item(self):
        """The requirement item this record is about (from requirements.json), or None if it was removed."""
        from .requirements import load_requirements

        return load_requirements().get(self.item_code)

    def __repr__(self) -> str:
        return f"<RegistrationRecord {self.id} shop={self.shop_id} product={self.product_id} {self.item_code}>"


class RegistrationEvent(AuditTrailMixin, Model):
    """Audit trail: every submit, verify, reject, waive and expire, with who, when and why."""

    record_id: Mapped[int] = mapped_column(ForeignKey("registration_record.id", ondelete="CASCADE"), index=True)

    record: Mapped[RegistrationRecord] = relationship(back_populates="events")


class RequirementEdit(Model):
    """Staff's edit of one requirement item (/staff/settings/requirements): the fields it replaces
    in requirements.json (title, steps, links, applies) as JSON; deleted to go back to the file.

    A public table (no PUBLIC_FIELDS): saving one moves the content version, which tells every
    process to read the edits again (requirements.load_requirements)."""

    item_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    fields: Mapped[str] = mapped_column(Text, default="{}")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
