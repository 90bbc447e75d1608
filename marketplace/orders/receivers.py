"""Orders' answers to catalog's questions about its public pages (core/events.py): a product's
reviews, a shop's rating, and whether the signed-in buyer saved a product or follows a shop.
Read-only: a public page never writes while rendering. Connected by `orders.services.init_orders`."""

from ..catalog.models import Product
from ..core import events
from ..shops.models import Shop
from . import favourites, reviews


def product_reviews(product: Product, **_kwargs) -> dict:
    """The product's average, count and newest reviews with the producer's answers (one query)."""
    rating, latest = reviews.product_reviews(product.id)
    return {**rating.as_dict(), "latest": latest}


def shop_rating(shop: Shop, **_kwargs) -> dict:
    """The shop's average stars and review count (one aggregate query)."""
    return reviews.shop_rating(shop.id).as_dict()


def saved_by_user(sender: object, user_id: int | None = None, **_kwargs) -> bool | None:
    """Whether the user keeps this product among her favourites or follows this shop."""
    if user_id is None:
        return None
    if isinstance(sender, Product):
        return favourites.is_favourite(user_id, sender.id)
    if isinstance(sender, Shop):
        return favourites.is_following(user_id, sender.id)
    return None


def connect() -> None:
    """Answer catalog's signals (called once when the app starts)."""
    events.product_reviews.connect(product_reviews)
    events.shop_rating.connect(shop_rating)
    events.saved_by_user.connect(saved_by_user)
