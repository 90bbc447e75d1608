"""/api/v1: read-only public data as JSON (GET only), described by /api/v1/openapi.json.

Every response carries an ETag and a short public cache, lists are paged with Link headers, bad
parameters are a 400 and unknown ids a 404, all as JSON (see http.py). Search shares its per-address
limit with the /search page, autocomplete has its own; the rest share RATELIMIT_API."""

from flask import Blueprint, current_app, jsonify, request, url_for

from ..bazaar import online
from ..catalog import services as catalog
from ..core import events
from ..core.dates import utcnow
from ..core.numbers import DB_INT_MAX
from ..extensions import limiter
from ..search import query
from ..search.logs import log_search
from . import http, params, services, shapes
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
http.install(bp)
api_limit = limiter.shared_limit(lambda: current_app.config["RATELIMIT_API"], scope="api")
SEARCH_MAX_PRICE = 10**12  # toman: far above any price, below what the search index's numbers hold


@bp.get("/search")
@limiter.shared_limit(lambda: current_app.config["RATELIMIT_SEARCH"], scope="search")  # shared with /search
def search():
    _check_search_args(request.args)
    search_params = query.SearchParams.from_args(request.args)
    result = query.search(search_params)
    if result.mode != "empty":
        log_search(
            query.normalize_query(search_params.q),
            len(request.args.get("q", "")),
            search_params.filters(),
            result.total,
            reading=result.reading,
        )
    response = jsonify(
        {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "per_page": query.PAGE_SIZE,
            "results": [shapes.search_hit(product) for product in result.products],
            "facets": result.facets,
            "suggestion": result.suggestion,
            "reading": result.reading or None,
        }
    )
    response.headers["Link"] = http.link_header(result.page, result.pages)
    return response


def _check_search_args(args) -> None:
    """The search page takes anything and ignores what it cannot read; the API says what was wrong."""
    params.whole(args, "page", 1, query.MAX_PAGE)
    for name in ("min_price", "max_price"):
        params.whole(args, name, 0, SEARCH_MAX_PRICE)
    params.choice(args, "sort", query.SORTS, "relevance")
    params.flag(args, "in_stock")
    params.flag(args, "made_to_order")
    params.whole(args, "fair", 1, DB_INT_MAX)


@bp.get("/autocomplete")
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTOCOMPLETE"])
def autocomplete():
    found = query.autocomplete(request.args.get("q", ""))
    return jsonify(
        {
            "products": [
                {
                    "id": hit["pk"],
                    "title": hit["title"],
                    "title_en": hit.get("title_en") or None,
                    "url": _product_url(hit["pk"], hit["slug"]),
                }
                for hit in found["products"]
            ],
            "categories": [
                {
                    "slug": c.slug,
                    "name": c.name_fa,
                    "name_en": c.name_en,
                    "url": url_for("catalog.category", slug=c.slug),
                }
                for c in found["categories"]
            ],
            "shops": [
                {"slug": hit["shop_slug"], "name": hit["title"], "url": _shop_url(hit["shop_slug"])}
                for hit in found["shops"]
            ],
        }
    )


@bp.get("/products")
@api_limit
def products():
    paging = params.Paging.from_args(request.args)
    listing = services.product_listing(
        params.slug(request.args, "category"),
        params.slug(request.args, "shop"),
        params.choice(request.args, "sort", tuple(catalog.SORTS), "newest"),
        paging,
    )
    by_id = {category.id: category for category in catalog.all_categories()}
    return http.page_response([shapes.product_summary(p, by_id) for p in listing.items], listing.total, paging)


@bp.get("/products/<int:product_id>")
@api_limit
def product(product_id: int):
    found = http.found_or_404(services.public_product(product_id), "product")
    badges = events.collect(events.product_badges, found)
    return jsonify(shapes.product_detail(found, badges, online.fair_price(found, utcnow())))


@bp.get("/shops")
@api_limit
def shops():
    paging = params.Paging.from_args(request.args)
    rows, total = services.shop_listing(paging)
    return http.page_response([shapes.shop_summary(shop, count) for shop, count in rows], total, paging)


@bp.get("/shops/<slug>")
@api_limit
def shop(slug: str):
    shop, count = http.found_or_404(services.public_shop(slug), "shop")
    return jsonify(shapes.shop_detail(shop, count, events.answer(events.shop_rating, shop)))


@bp.get("/categories")
@api_limit
def categories():
    tops, counts = services.category_tree()
    return jsonify({"categories": [shapes.category_node(category, counts) for category in tops]})


@bp.get("/fairs")
@api_limit
def fairs():
    paging = params.Paging.from_args(request.args)
    phase = params.choice(request.args, "phase", ("", *services.PHASES), "")
    now = utcnow()
    rows, total = services.fair_listing(phase, paging, now)
    return http.page_response([shapes.fair_summary(fair, now) for fair in rows], total, paging)


@bp.get("/fairs/<slug>")
@api_limit
def fair(slug: str):
    found = http.found_or_404(services.public_fair(slug), "fair")
    by_id = {category.id: category for category in catalog.all_categories()}
    return jsonify(shapes.fair_detail(*found, by_id, utcnow()))


@bp.get("/openapi.json")
@api_limit
def openapi():
    return jsonify(openapi_document())


def _product_url(product_id: int, slug: str) -> str:
    return url_for("catalog.product", product_id=product_id, slug=slug)


def _shop_url(slug: str) -> str:
    return url_for("catalog.storefront", slug=slug)
