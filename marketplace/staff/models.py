"""The staff console's own table: the audit log of every staff action (`StaffAction`)."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from ..core.dates import utcnow
from ..extensions import Model


class AuditLogImmutable(RuntimeError):
    """Raised when code tries to change or delete a row of the audit log."""


class StaffAction(Model):
    """One write request by a staff member (or by anyone while assisting a producer): who, for whom,
    what (`action`: the endpoint), on which object, which rows changed, and why.

    Written automatically in the request's own transaction (staff/audit.py); never changed or
    deleted: the ORM refuses it below and the database's triggers (migration 0015) abort it."""

    __tablename__ = "staff_action"
    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    # No ON DELETE: an account that acted is never deleted from under its record.
    actor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    actor_name: Mapped[str] = mapped_column(String(80))
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    on_behalf_of_name: Mapped[str] = mapped_column(String(80), default="")
    assist_session_id: Mapped[int | None] = mapped_column(ForeignKey("assist_session.id"), index=True)
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(40), default="")
    object_id: Mapped[int | None] = mapped_column()
    # [{"table": "shop", "id": "5", "op": "update", "columns": ["status", …]}, …]: names only, no values
    summary: Mapped[list] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str] = mapped_column(String(45), default="")


@event.listens_for(StaffAction, "before_update")
@event.listens_for(StaffAction, "before_delete")
def _refuse_change(_mapper, _connection, target: StaffAction) -> None:
    raise AuditLogImmutable(f"staff_action {target.id} is part of the audit log and cannot be changed")
