"""The /search page: works without JavaScript (filters are links and a GET form)."""

from flask import Blueprint, current_app, render_template, request

from ..catalog import services as catalog
from ..core.pagecache import cached_page, remember_for_hits
from ..extensions import limiter
from . import query
from .documents import PRICE_BANDS
from .logs import log_search

bp = Blueprint("search", __name__)


def _log_cached_search(logged: dict) -> None:
    """A search answered from the page cache is logged as the first one was."""
    if logged:
        args = logged["query"], len(request.args.get("q", "")), logged["filters"], logged["total"]
        log_search(*args, reading=logged.get("reading", ""))


@bp.get("/search")
@limiter.shared_limit(lambda: current_app.config["RATELIMIT_SEARCH"], scope="search")  # shared with the API
@cached_page(on_hit=_log_cached_search)
def index():
    """At most three queries besides the index: every category (the filter, the facets, the chosen
    one), the newest change-log id (is the index up to date?), and the page's products with their
    shops and photos, or the popular searches when nothing was found. (The search log row is written
    after the response, in its own transaction.)"""
    params = query.SearchParams.from_args(request.args)
    categories = catalog.all_categories()
    result = query.search(params, categories)
    if result.mode != "empty":
        normalized, filters = query.normalize_query(params.q), params.filters()
        log_search(normalized, len(request.args.get("q", "")), filters, result.total, reading=result.reading)
        remember_for_hits(query=normalized, filters=filters, total=result.total, reading=result.reading)
    return render_template(
        "search/index.html",
        params=params,
        result=result,
        category=next((c for c in categories if c.slug == params.category), None),
        categories={c.id: c for c in categories},
        top_categories=[c for c in categories if c.parent_id is None],
        shop_names=result.shop_names,
        popular=query.popular_searches() if result.total == 0 else [],
        sorts=query.SORTS,
        price_bands=PRICE_BANDS,
    )
