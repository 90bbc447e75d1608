"""Search tables: the change log the indexer applies in order, and the anonymous search log."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.dates import utcnow
from ..extensions import Model

ENTITIES = ("product", "shop")


class SearchChange(Model):
    """One row per change to something a search document is built from, written in the same
    transaction as the change; the indexer applies them in id order and remembers the last id.
    AUTOINCREMENT on SQLite: ids are never reused, even after old rows are pruned."""

    PUBLIC_FIELDS = ()

    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(10))
    entity_id: Mapped[int] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SearchLog(Model):
    """One search as buyers typed it (normalised), anonymous: the session is a salted daily hash."""

    PUBLIC_FIELDS = ()  # popular searches on an empty result may lag by the cache timeout

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    query: Mapped[str] = mapped_column(String(200), default="")
    # the Persian words a query typed in Latin letters was read as (normalised), "" when searched as typed
    reading: Mapped[str] = mapped_column(String(200), default="")
    raw_length: Mapped[int] = mapped_column(default=0)
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    result_count: Mapped[int] = mapped_column(default=0)
    session_hash: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
