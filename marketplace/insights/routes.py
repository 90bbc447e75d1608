"""/insights: what buyers look for. Producers see the searches about what they make; staff see all."""

from datetime import timedelta

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from ..shops import services as shops
from . import services as insights

bp = Blueprint("insights", __name__)


@bp.get("/insights")
@login_required
def page():
    if current_user.has_role("staff"):
        scope = None
    elif current_user.has_role("producer"):
        scope = insights.producer_scope(shops.owned_shop(current_user))
    else:
        abort(403)
    today = insights.today()
    return render_template(
        "insights/page.html",
        data=insights.insights_for(scope, today),
        has_products=scope is None or bool(scope.category_ids),
        since=today - timedelta(days=insights.WINDOW_DAYS - 1),
        today=today,
        window_days=insights.WINDOW_DAYS,
        rising_min=insights.RISING_MIN,
    )
