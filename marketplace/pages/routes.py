"""The home page."""

from flask import Blueprint, render_template
from sqlalchemy import func, select

from ..accounts.models import User, UserRole
from ..catalog import services as catalog
from ..core.dates import TEHRAN, utcnow
from ..core.pagecache import cached_page
from ..extensions import db
from ..shops import services as shops

bp = Blueprint("pages", __name__)
FEATURED_SHOPS = 6


@bp.get("/")
@cached_page()
def home():
    producer_count = db.session.scalar(
        select(func.count()).select_from(UserRole).join(User).where(UserRole.role == "producer", User.active.is_(True))
    )
    top_categories = [c for c in catalog.all_categories() if c.parent_id is None]
    featured = catalog.featured_shops(utcnow().astimezone(TEHRAN).date(), FEATURED_SHOPS)
    return render_template(
        "pages/home.html",
        producer_count=producer_count,
        categories=top_categories,
        products=catalog.newest_products(8),
        featured_shops=featured,
        palettes={shop.id: palette for shop in featured if (palette := shops.shop_palette(shop))},
    )
