"""Stock is taken and given back with one conditional UPDATE per line, never read-then-write: two
buyers of the last unit cannot both pass `stock >= qty`, on SQLite and PostgreSQL alike, and a
CHECK constraint keeps stock from going below zero whatever happens. A bulk UPDATE is invisible to
the session's listeners, so the changed products are announced for search to log them."""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import update

from ..catalog.models import Product, ProductVariant
from ..core import events
from ..extensions import db


@dataclass(frozen=True)
class StockLine:
    """Units of one product (or one of its option combinations) to take or give back."""

    product_id: int
    variant_id: int | None
    quantity: int


def take(line: StockLine) -> bool:
    """Take `line.quantity` units if that many are on hand. False (and nothing changed) if not."""
    if line.variant_id is not None:
        taken = db.session.execute(
            update(ProductVariant)
            .where(
                ProductVariant.id == line.variant_id,
                ProductVariant.product_id == line.product_id,
                ProductVariant.stock >= line.quantity,
            )
            .values(stock=ProductVariant.stock - line.quantity)
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
            return False
    result = db.session.execute(
        update(Product)
        .where(Product.id == line.product_id, Product.stock >= line.quantity)
        .values(stock=Product.stock - line.quantity)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        if line.variant_id is not None:  # the product's total disagreed with its rows: undo the variant's part
            give_back_one(StockLine(line.product_id, line.variant_id, line.quantity), product_too=False)
        return False
    return True


def give_back_one(line: StockLine, *, product_too: bool = True) -> None:
    """Put `line.quantity` units back (a cancelled or expired order)."""
    if line.variant_id is not None:
        db.session.execute(
            update(ProductVariant)
            .where(ProductVariant.id == line.variant_id)
            .values(stock=ProductVariant.stock + line.quantity)
            .execution_options(synchronize_session=False)
        )
    if product_too:
        db.session.execute(
            update(Product)
            .where(Product.id == line.product_id)
            .values(stock=Product.stock + line.quantity)
            .execution_options(synchronize_session=False)
        )


def give_back(lines: Iterable[StockLine]) -> None:
    """Put every line's units back and announce the changed products."""
    changed = set()
    for line in lines:
        give_back_one(line)
        changed.add(line.product_id)
    announce(changed)


def announce(product_ids: set[int]) -> None:
    """Tell search (through core.events) that these products' stock changed in this transaction,
    and drop the session's stale copies so this request reads the new numbers."""
    if not product_ids:
        return
    events.products_changed_in_bulk.send(None, product_ids=product_ids)
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Product | ProductVariant) and (getattr(obj, "product_id", None) or obj.id) in product_ids:
            db.session.expire(obj, ["stock"])
