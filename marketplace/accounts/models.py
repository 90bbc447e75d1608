"""Account tables: User, its roles and one-time password-reset codes."""

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.dates import utcnow
from ..extensions import Model

ROLES = ("buyer", "producer", "staff", "admin")


def new_session_token() -> str:
    """A fresh random token; changing it ends every session and remember-me cookie of the user."""
    return secrets.token_urlsafe(24)


class User(UserMixin, Model):
    """A person with an account. Buyers, producers and centre staff are all users with roles."""

    # what public pages show of a person: a reviewer's name, the count of active producers
    PUBLIC_FIELDS = ("display_name", "active")

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> set[str]:
        """The names of this user's roles."""
        return {row.role for row in self.role_rows}

    def has_role(self, role: str) -> bool:
        """True if the user holds `role`; admins hold staff rights too."""
        roles = self.roles
        return role in roles or (role == "staff" and "admin" in roles)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Flask-Login's id carries the session token, so rotating it invalidates old cookies."""
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.phone}>"


class UserRole(Model):
    """One role held by one user."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    user: Mapped[User] = relationship(back_populates="role_rows")


class PasswordReset(Model):
    """A one-time code texted to a user who forgot the password. Only its hash is stored.

    Kept by phone: a request for a number without an account writes a row too (with no user and a
    code nobody receives), so both cases do the same work and answer a wrong code the same way."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(16), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(default=0)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User | None] = relationship()


class Notification(Model):
    """An in-app notice for one user (new order, status change, message); the header shows the
    unread count. The text is written in the user's language when the notice is made."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(300))
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class AssistSession(Model):
    """A staff member working as a producer who asked for help ("assisted mode").

    Consent comes first: a one-time code texted to her phone that she reads out (`sms_code`; only
    its hash is kept, with the tries counted), or a paper consent form's reference (`paper`). The
    session is live from `started_at` until `ended_at`; `last_seen_at` is its last request, and 30
    idle minutes end it (`end_reason` says how it ended)."""

    PUBLIC_FIELDS = ()

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    consent_method: Mapped[str] = mapped_column(String(16))  # "sms_code" | "paper"
    consent_reference: Mapped[str] = mapped_column(String(120), default="")
    consent_note: Mapped[str] = mapped_column(String(500), default="")
    code_hash: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(default=0)
    code_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    consented_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    end_reason: Mapped[str] = mapped_column(String(16), default="")  # "ended" | "idle" | "logout" | …

    staff: Mapped[User] = relationship(foreign_keys=[staff_id])
    producer: Mapped[User] = relationship(foreign_keys=[producer_id])

    @property
    def live(self) -> bool:
        """Started (consent given) and not ended."""
        return self.started_at is not None and self.ended_at is None
