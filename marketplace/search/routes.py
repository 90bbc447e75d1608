"""The /search page: works without JavaScript (filters are links and a GET form)."""

from flask import Blueprint, current_app, render_template, request

from ..catalog import services as catalog
from ..extensions import limiter
from . import query
from .documents import PRICE_BANDS
from .logs import log_search

bp = Blueprint("search", __name__)


@bp.get("/search")
@limiter.shared_limit(lambda: current_app.config["RATELIMIT_SEARCH"], scope="search")  # shared with the API
def index():
    params = query.SearchParams.from_args(request.args)
    result = query.search(params)
    if result.mode != "empty":
        log_search(query.normalize_query(params.q), len(request.args.get("q", "")), params.filters(), result.total)
    categories = catalog.all_categories()
    return render_template(
        "search/index.html",
        params=params,
        result=result,
        category=next((c for c in categories if c.slug == params.category), None),
        categories={c.id: c for c in categories},
        top_categories=[c for c in categories if c.parent_id is None],
        shop_names=query.shop_names(result.facets.get("shop", {})),
        popular=query.popular_searches() if result.total == 0 else [],
        sorts=query.SORTS,
        price_bands=PRICE_BANDS,
    )
