"""The shape every audit trail shares: who changed a status, from what to what, when and why."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from .dates import utcnow


class AuditTrailMixin:
    """Columns of one audit row. The table adds the foreign key of what it audits; `actor` is the
    user who acted (kept as NULL if that account is deleted)."""

    PUBLIC_FIELDS = ()  # decisions and timelines are never on a public page

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(24))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @declared_attr
    def actor_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @declared_attr
    def actor(cls):
        return relationship("User")
