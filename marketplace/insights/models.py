"""Insights tables: the daily roll-up of the search log, kept after the raw rows are pruned."""

from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class SearchDaily(Model):
    """How often one normalised query was searched on one Tehran calendar day, with one category
    filter (or none), and how often it found nothing or almost nothing. Rebuilt by roll_up(day)."""

    PUBLIC_FIELDS = ()

    __table_args__ = (UniqueConstraint("day", "query", "category_id", name="uq_search_daily_day_query_category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    query: Mapped[str] = mapped_column(String(200))
    # an attribute of the query, not part of the key: the Persian words this (Latin) query was most often
    # read as that day, "" when it was searched as typed; insights show a query with its reading as one demand
    reading: Mapped[str] = mapped_column(String(200), default="")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    searches: Mapped[int] = mapped_column(default=0)
    # distinct (daily salted) sessions: producers only see queries more than one person typed
    sessions: Mapped[int] = mapped_column(default=0)
    zero_results: Mapped[int] = mapped_column(default=0)
    few_results: Mapped[int] = mapped_column(default=0)
