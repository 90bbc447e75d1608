"""The home page."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..accounts.models import User, UserRole
from ..bazaar import online as bazaar
from ..catalog import services as catalog
from ..catalog.models import Category
from ..core.dates import TEHRAN, utcnow
from ..core.pagecache import cached_page, do_not_store
from ..extensions import db
from ..shops import services as shops

bp = Blueprint("pages", __name__)
FEATURED_SHOPS = 6


@bp.get("/")
@cached_page()
def home():
    """Four queries: the top categories with the number of producers, the newest products (with
    their shops and photos), the workshops of the day, and the fairs not over yet (the next fair)."""
    now = utcnow()
    top_categories, producer_count = _top_categories_and_producer_count()
    featured = catalog.featured_shops(now.astimezone(TEHRAN).date(), FEATURED_SHOPS)
    fairs = bazaar.home_fairs(now)
    if fairs["next"] is not None and bazaar.clock_ahead_of_status(fairs["next"], now):
        do_not_store()  # "live now" by the clock before the scheduled move wrote it (see bazaar.routes.public)
    return render_template(
        "pages/home.html",
        producer_count=producer_count,
        categories=top_categories,
        products=catalog.newest_products(8),
        featured_shops=featured,
        palettes={shop.id: palette for shop in featured if (palette := shops.shop_palette(shop))},
        next_fair=fairs["next"],
        next_fair_live=bool(fairs["live"]),
        applying_fair=fairs["applying"],
    )


def _top_categories_and_producer_count() -> tuple[list[Category], int]:
    """The top categories and how many active producers sell here, in one query (the count rides
    along each category row; the categories are seeded by the migrations, so there always are some)."""
    producers = (
        select(func.count())
        .select_from(UserRole)
        .join(User)
        .where(UserRole.role == "producer", User.active.is_(True))
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Category, producers)
        .where(Category.parent_id.is_(None))
        .order_by(Category.position)
        .options(catalog.NO_LAZY_LOADS)
    ).all()
    return [category for category, _count in rows], (rows[0][1] if rows else 0)
