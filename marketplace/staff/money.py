"""What the staff money pages read: the producers' ledger grouped by shop, the card exchange rates
set so far and the latest payments. The rules (settling, setting a rate) stay in orders.services and
payments.services."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..orders.models import LedgerEntry
from ..payments.models import ExchangeRate, Payment
from ..shops.models import Shop


@dataclass
class ShopLedger:
    """One shop's ledger lines and their sums. owed_rial > 0: the centre owes the producer;
    owed_rial < 0: the producer owes the centre its commission."""

    shop: Shop
    entries: list[LedgerEntry] = field(default_factory=list)
    gross_rial: int = 0
    commission_rial: int = 0
    owed_rial: int = 0


def ledger_by_shop(settled: bool, limit: int = 2000) -> list[ShopLedger]:
    """The settled (or unsettled) ledger lines grouped by shop, the shops by name."""
    state = LedgerEntry.settled_at.is_not(None) if settled else LedgerEntry.settled_at.is_(None)
    entries = db.session.scalars(
        select(LedgerEntry)
        .where(state)
        .options(joinedload(LedgerEntry.shop), joinedload(LedgerEntry.order))
        .order_by(LedgerEntry.shop_id, LedgerEntry.id)
        .limit(limit)
    )
    groups: dict[int, ShopLedger] = {}
    for entry in entries:
        group = groups.setdefault(entry.shop_id, ShopLedger(shop=entry.shop))
        group.entries.append(entry)
        group.gross_rial += entry.gross_rial
        group.commission_rial += entry.commission_rial
        group.owed_rial += entry.owed_rial
    return sorted(groups.values(), key=lambda group: group.shop.name)


def unsettled_entries(shop_id: int) -> list[LedgerEntry]:
    """The shop's ledger lines not yet settled."""
    return list(
        db.session.scalars(select(LedgerEntry).where(LedgerEntry.shop_id == shop_id, LedgerEntry.settled_at.is_(None)))
    )


def rate_history(currency: str, limit: int = 20) -> list[ExchangeRate]:
    """The rates set for `currency`, newest first (the first one is in use)."""
    return list(
        db.session.scalars(
            select(ExchangeRate)
            .where(ExchangeRate.currency == currency.lower())
            .order_by(ExchangeRate.id.desc())
            .limit(limit)
        )
    )


def recent_payments(limit: int = 50) -> list[Payment]:
    """The latest payments, newest first."""
    return list(db.session.scalars(select(Payment).order_by(Payment.id.desc()).limit(limit)))
