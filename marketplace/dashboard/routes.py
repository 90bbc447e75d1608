"""/dashboard: what a producer should do next."""

from flask import Blueprint, render_template
from flask_login import current_user

from ..accounts.access import role_required
from ..bazaar import services as bazaar
from ..catalog import services as catalog
from ..orders import services as orders
from ..registration import services as registration
from ..shops import services as shops

bp = Blueprint("dashboard", __name__)


@bp.get("/dashboard")
@role_required("producer")
def home():
    shop = shops.owned_shop(current_user)
    products = catalog.shop_products(shop) if shop else []
    score, items = shops.brand_score(shop, catalog.listed_with_photos(products))
    # Her shop is built and sent (or further along) but has nothing to sell yet: that is her next step.
    first_product = shop is not None and shop.status != "draft" and not products
    return render_template(
        "dashboard/home.html",
        shop=shop,
        score=score,
        items=items,
        next_steps=[item for item in items if not item.done],
        submit_problems=shops.submit_problems(shop) if shop else [],
        product_count=len(products),
        first_product=first_product,
        registration=registration.dashboard_summary(shop) if shop else None,
        new_orders=orders.new_order_count(shop),
        open_fairs=bazaar.fairs_taking_applications() if shop else [],
    )
