"""Reviews: a buyer rates each delivered order line once (1–5 stars and a few words), the producer
may answer each review once, and the public pages read averages from here (through signals, since
catalog does not import orders). Services flush, never commit."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..core.dates import utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text
from ..extensions import db
from ..shops.models import Shop
from .models import Order, OrderItem, OrderStatus, Review

MAX_REVIEW = 1000
MAX_REPLY = 1000
LATEST_SHOWN = 5
ALREADY_REVIEWED = _l("You have already reviewed this item. Thank you!")


# --- the buyer writes -------------------------------------------------------------------------


def reviewable_item(order: Order, item_id: int) -> OrderItem | None:
    """Line `item_id` of this order (which the caller already loaded for its buyer), or None."""
    return next((item for item in order.items if item.id == item_id), None)


def add_review(order: Order, item: OrderItem, *, buyer_id: int, rating: int | None, body: str | None) -> Review:
    """The buyer reviews one line of her delivered order: 1–5 stars, text up to 1,000 characters.
    Refused before delivery, for someone else's order, and for a line already reviewed."""
    if order.buyer_id != buyer_id or item.order_id != order.id:
        raise RuleError("rating", _l("You can review only what you bought."))
    if order.status != OrderStatus.DELIVERED:
        raise RuleError("rating", _l("You can write a review once the order has reached you."))
    if item.review is not None:
        raise RuleError("rating", ALREADY_REVIEWED)
    if rating is None or not 1 <= rating <= 5:
        raise RuleError("rating", _l("Choose from one to five stars."))
    body = normalize_text(body, multiline=True)
    if len(body) > MAX_REVIEW:
        raise RuleError("body", _l("Please keep it under %(num)s characters.", num=MAX_REVIEW))
    review = Review(
        order_item_id=item.id,
        product_id=item.product_id,
        shop_id=order.shop_id,
        buyer_id=buyer_id,
        rating=rating,
        body=body,
    )
    try:
        # two tabs sending the same review: the UNIQUE on order_item_id decides, the loser is told
        with db.session.begin_nested():
            db.session.add(review)
            db.session.flush()
    except IntegrityError:
        raise RuleError("rating", ALREADY_REVIEWED) from None
    return review


# --- the producer answers ---------------------------------------------------------------------


def shop_review(shop: Shop | None, review_id: int) -> Review | None:
    """Review `review_id` of the producer's own shop, or None."""
    if shop is None:
        return None
    return db.session.scalars(select(Review).where(Review.id == review_id, Review.shop_id == shop.id)).first()


def shop_reviews(shop: Shop, limit: int = 200) -> list[Review]:
    """The shop's reviews, unanswered first, then newest first."""
    return list(
        db.session.scalars(
            select(Review)
            .where(Review.shop_id == shop.id)
            .order_by(Review.replied_at.is_not(None), Review.id.desc())
            .limit(limit)
        )
    )


def reply(review: Review, text: str | None) -> Review:
    """The producer answers a review, once; her answer is shown under it on the product page."""
    if review.replied_at is not None:
        raise RuleError("reply", _l("You have already answered this review."))
    text = normalize_text(text, multiline=True)
    if not text:
        raise RuleError("reply", _l("Write your answer first."))
    if len(text) > MAX_REPLY:
        raise RuleError("reply", _l("Please keep it under %(num)s characters.", num=MAX_REPLY))
    review.reply, review.replied_at = text, utcnow()
    db.session.flush()
    return review


# --- what the public pages show ---------------------------------------------------------------


@dataclass
class Rating:
    """An average of stars and how many reviews it comes from."""

    average: float | None
    count: int

    def as_dict(self) -> dict:
        """The plain form the catalogue's signals return."""
        return {"average": self.average, "count": self.count}


def _rating(where) -> Rating:
    count, average = db.session.execute(select(func.count(Review.id), func.avg(Review.rating)).where(where)).one()
    return Rating(round(float(average), 1) if count else None, int(count or 0))


def shop_rating(shop_id: int) -> Rating:
    """The shop's average stars and review count over all its products (one aggregate query)."""
    return _rating(Review.shop_id == shop_id)


def product_reviews(product_id: int, limit: int = LATEST_SHOWN) -> tuple[Rating, list[dict]]:
    """The product's average stars and review count, and its newest reviews, in one query: the
    count and average are window functions over all its reviews, computed before the page is cut."""
    rows = db.session.execute(
        select(Review, User.display_name, func.count().over(), func.avg(Review.rating).over())
        .outerjoin(User, Review.buyer_id == User.id)
        .where(Review.product_id == product_id)
        .order_by(Review.id.desc())
        .limit(limit)
    ).all()
    if not rows:
        return Rating(None, 0), []
    count, average = rows[0][2], rows[0][3]
    return Rating(round(float(average), 1), int(count)), [_shown(review, name) for review, name, _c, _a in rows]


def _shown(review: Review, name: str | None) -> dict:
    """A review as the product page shows it: only the first word of the buyer's name (her full
    name and number stay private)."""
    return {
        "rating": review.rating,
        "body": review.body,
        "author": (name or "").split(" ")[0],
        "created_at": review.created_at,
        "reply": review.reply,
        "replied_at": review.replied_at,
    }
