"""/api/v1: search and autocomplete as JSON (GET only), described by /api/v1/openapi.json."""

from flask import Blueprint, current_app, jsonify, request, url_for

from ..core.images import StoredImage
from ..core.urls import public_url
from ..extensions import limiter
from ..search import query
from ..search.logs import log_search
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/search")
@limiter.shared_limit(lambda: current_app.config["RATELIMIT_SEARCH"], scope="search")  # shared with /search
def search():
    params = query.SearchParams.from_args(request.args)
    result = query.search(params)
    if result.mode != "empty":
        log_search(query.normalize_query(params.q), len(request.args.get("q", "")), params.filters(), result.total)
    return jsonify(
        {
            "total": result.total,
            "page": result.page,
            "pages": result.pages,
            "results": [_product(product) for product in result.products],
            "facets": result.facets,
            "suggestion": result.suggestion,
        }
    )


@bp.get("/autocomplete")
@limiter.limit(lambda: current_app.config["RATELIMIT_AUTOCOMPLETE"])
def autocomplete():
    found = query.autocomplete(request.args.get("q", ""))
    body = {
        "products": [
            {"id": hit["pk"], "title": hit["title"], "url": _product_url(hit["pk"], hit["slug"])}
            for hit in found["products"]
        ],
        "categories": [
            {"slug": c.slug, "name": c.name_fa, "name_en": c.name_en, "url": url_for("catalog.category", slug=c.slug)}
            for c in found["categories"]
        ],
        "shops": [
            {"slug": hit["shop_slug"], "name": hit["title"], "url": _shop_url(hit["shop_slug"])}
            for hit in found["shops"]
        ],
    }
    response = jsonify(body)
    response.cache_control.max_age = 60
    response.cache_control.public = True
    return response


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


def _product(product) -> dict:
    cover = product.cover
    return {
        "id": product.id,
        "title": product.title,
        "url": public_url("catalog.product", product_id=product.id, slug=product.slug),
        "price_rial": product.price_rial,
        "shop": {"slug": product.shop.slug, "name": product.shop.name},
        "thumbnail": public_url("core.media", filename=_thumbnail(cover.stored)) if cover else None,
    }


def _thumbnail(stored: dict) -> str:
    return StoredImage.from_dict(stored).url_path(320)


def _product_url(product_id: int, slug: str) -> str:
    return url_for("catalog.product", product_id=product_id, slug=slug)


def _shop_url(slug: str) -> str:
    return url_for("catalog.storefront", slug=slug)
