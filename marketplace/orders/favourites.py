"""Favourite products and followed shops: a buyer keeps what she likes for later. Each press of the
button toggles the row; only public products and shops can be saved. (Favourites count towards
popularity through a background roll-up, never from here.) Services flush, never commit."""

from sqlalchemy import select

from ..catalog.models import Product
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..extensions import db
from ..shops.models import Shop
from .models import Favourite, Follow


def toggle_favourite(user_id: int, product_id: int) -> bool:
    """Add the product to the user's favourites, or take it out if it is there. Returns True when it
    is now a favourite. Only a public product can be added; one already kept can always be removed."""
    public = select(Product.id).where(Product.id == product_id, Product.is_public)
    refusal = RuleError("product", _l("This product cannot be saved now."))
    return _toggle(Favourite(user_id=user_id, product_id=product_id), (user_id, product_id), public, refusal)


def toggle_follow(user_id: int, shop_id: int) -> bool:
    """Follow the shop, or stop following it. Returns True when she now follows it. Only an approved
    shop can be followed; stopping is always allowed."""
    public = select(Shop.id).where(Shop.id == shop_id, Shop.is_public)
    refusal = RuleError("shop", _l("This shop cannot be followed now."))
    return _toggle(Follow(user_id=user_id, shop_id=shop_id), (user_id, shop_id), public, refusal)


def _toggle(row: Favourite | Follow, key: tuple[int, int], public, refusal: RuleError) -> bool:
    """Delete the row with `key` if it exists (False); else add `row` when `public` finds the target (True)."""
    existing = db.session.get(type(row), key)
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    if db.session.scalar(public) is None:
        raise refusal
    db.session.add(row)
    db.session.flush()
    return True


def is_favourite(user_id: int, product_id: int) -> bool:
    """Whether the product is among the user's favourites."""
    return db.session.get(Favourite, (user_id, product_id)) is not None


def is_following(user_id: int, shop_id: int) -> bool:
    """Whether the user follows the shop."""
    return db.session.get(Follow, (user_id, shop_id)) is not None


def favourite_products(user_id: int, limit: int = 200) -> list[Product]:
    """Her favourite products that buyers can still see, most recently saved first."""
    return list(
        db.session.scalars(
            select(Product)
            .join(Favourite, Favourite.product_id == Product.id)
            .where(Favourite.user_id == user_id, Product.is_public)
            .order_by(Favourite.created_at.desc(), Product.id.desc())
            .limit(limit)
        )
    )


def followed_shops(user_id: int, limit: int = 200) -> list[Shop]:
    """The approved shops she follows, most recently followed first."""
    return list(
        db.session.scalars(
            select(Shop)
            .join(Follow, Follow.shop_id == Shop.id)
            .where(Follow.user_id == user_id, Shop.is_public)
            .order_by(Follow.created_at.desc(), Shop.id.desc())
            .limit(limit)
        )
    )
