"""The OpenAPI 3.1 description of /api/v1: every endpoint, its parameters and every response it can
give (200, 304, 400, 404, 429), with the bodies' schemas in schemas.py. The schemathesis test
(tests/api/test_schemathesis.py) holds the API to it."""

from ...catalog.services import SORTS as PRODUCT_SORTS
from ...core.numbers import DB_INT_MAX, MAX_PAGE
from ...search import query
from ..params import DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_SLUG_CHARS
from .schemas import SCHEMAS, ref

TEXT = {"type": "string", "maxLength": MAX_SLUG_CHARS}


def _header(description: str, kind: str = "string", required: bool = False) -> dict:
    return {"description": description, "required": required, "schema": {"type": kind}}


RATE_HEADERS = {
    "X-RateLimit-Limit": _header("Requests allowed in the window.", "integer"),
    "X-RateLimit-Remaining": _header("Requests left in the window.", "integer"),
    "X-RateLimit-Reset": _header("When the window ends (Unix time).", "integer"),
}
OK_HEADERS = {
    "ETag": _header(
        "A hash of the body: send it back in If-None-Match to get 304 while it is unchanged.", required=True
    ),
    "Cache-Control": _header("Public, kept for a minute."),
    "Access-Control-Allow-Origin": _header("Any origin may read it (*)."),
    **RATE_HEADERS,
}
LINK_HEADER = {
    "Link": _header('The first, prev, next and last pages (RFC 8288), e.g. <…?page=2>; rel="next".', required=True)
}


def _error(description: str, **headers) -> dict:
    return {
        "description": description,
        "headers": headers,
        "content": {"application/json": {"schema": ref("Error")}},
    }


RESPONSES = {
    "NotModified": {
        "description": "The body is unchanged since the ETag sent in If-None-Match (no body).",
        "headers": {"ETag": OK_HEADERS["ETag"]},
    },
    "BadRequest": _error("A parameter is not what this document says; `parameter` names it."),
    "NotFound": _error("Nothing public has this id or address."),
    "TooManyRequests": _error(
        "Too many requests from this address; wait as Retry-After says.",
        **{"Retry-After": _header("Seconds to wait.", "integer")},
    ),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def _path(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": description}


PAGE = _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}, "Page number.")
PER_PAGE = _query(
    "per_page",
    {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    "Items a page.",
)
FLAG = {"type": "boolean"}
PRICE = {"type": "integer", "minimum": 0, "maximum": 10**12}
SEARCH_PARAMETERS = [
    _query(
        "q",
        {"type": "string", "maxLength": query.MAX_QUERY_CHARS},
        "What the buyer typed, in any Persian or Arabic spelling, or Finglish.",
    ),
    _query("category", TEXT, "Category slug; a top category includes its sub-categories."),
    _query("neighbourhood", TEXT, "The shop's neighbourhood in Mashhad, as in the facet."),
    _query("shop", TEXT, "A shop's slug: only its products."),
    _query("fair", {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}, "A fair's id: only its products."),
    _query("min_price", PRICE, "Lowest price in toman."),
    _query("max_price", PRICE, "Highest price in toman."),
    _query("in_stock", FLAG, "Only products that can be ordered now (true/false or 1/0)."),
    _query("made_to_order", FLAG, "Only made-to-order products (true/false or 1/0)."),
    _query("sort", {"type": "string", "enum": list(query.SORTS), "default": "relevance"}, "Order of the results."),
    _query(
        "page",
        {"type": "integer", "minimum": 1, "maximum": query.MAX_PAGE, "default": 1},
        f"Page number, {query.PAGE_SIZE} results a page.",
    ),
]


def _get(
    operation_id: str,
    summary: str,
    schema: str,
    parameters: list,
    *,
    description: str = "",
    paged: bool = False,
    bad_request: bool = True,
    not_found: bool = False,
) -> dict:
    """A GET operation answering `schema` with 200, and 304 and 429 always; 400 and 404 when it can."""
    responses: dict = {
        "200": {
            "description": summary,
            "headers": {**OK_HEADERS, **(LINK_HEADER if paged else {})},
            "content": {"application/json": {"schema": ref(schema)}},
        },
        "304": {"$ref": "#/components/responses/NotModified"},
    }
    if bad_request:
        responses["400"] = {"$ref": "#/components/responses/BadRequest"}
    if not_found:
        responses["404"] = {"$ref": "#/components/responses/NotFound"}
    responses["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    operation = {"operationId": operation_id, "summary": summary, "parameters": parameters, "responses": responses}
    if description:
        operation["description"] = description
    return {"get": operation}


PATHS = {
    "/search": _get(
        "search",
        "Search published products",
        "SearchResult",
        SEARCH_PARAMETERS,
        description="Full-text search with facets; shares its rate limit with the site's search page.",
        paged=True,
    ),
    "/autocomplete": _get(
        "autocomplete",
        "Products, categories and shops whose words start like the text (at most 8 of each)",
        "Suggestions",
        [_query("q", {"type": "string", "maxLength": 60}, "What has been typed so far.")],
        bad_request=False,
    ),
    "/products": _get(
        "listProducts",
        "Products on sale, newest first",
        "ProductPage",
        [
            _query("category", TEXT, "Category slug; a top category includes its sub-categories."),
            _query("shop", TEXT, "A shop's slug: only its products."),
            _query("sort", {"type": "string", "enum": list(PRODUCT_SORTS), "default": "newest"}, "Order."),
            PAGE,
            PER_PAGE,
        ],
        description="An unknown category or shop matches nothing (an empty page).",
        paged=True,
    ),
    "/products/{id}": _get(
        "getProduct",
        "A product on sale, with its photos, options, stock and badges",
        "Product",
        [_path("id", {"type": "integer", "minimum": 1, "maximum": DB_INT_MAX}, "The product's id.")],
        bad_request=False,
        not_found=True,
    ),
    "/shops": _get("listShops", "Approved shops, oldest first", "ShopPage", [PAGE, PER_PAGE], paged=True),
    "/shops/{slug}": _get(
        "getShop",
        "An approved shop: its story, colours, logo and number of products",
        "Shop",
        [_path("slug", {"type": "string", "minLength": 1, "maxLength": MAX_SLUG_CHARS}, "The shop's slug.")],
        description="An earlier slug of a renamed shop finds it too (the body has the current one).",
        bad_request=False,
        not_found=True,
    ),
    "/categories": _get(
        "listCategories",
        "The category tree, top categories with their sub-categories",
        "CategoryTree",
        [],
        bad_request=False,
    ),
    "/fairs": _get(
        "listFairs",
        "Public fairs (upcoming, live and past), latest first",
        "FairPage",
        [
            _query("phase", {"type": "string", "enum": ["upcoming", "live", "past"]}, "Only fairs in this phase now."),
            PAGE,
            PER_PAGE,
        ],
        paged=True,
    ),
    "/fairs/{slug}": _get(
        "getFair",
        "A public fair with its shops and their booths",
        "Fair",
        [_path("slug", {"type": "string", "minLength": 1, "maxLength": MAX_SLUG_CHARS}, "The fair's slug.")],
        description="Its products are searched with /search?fair={id}.",
        bad_request=False,
        not_found=True,
    ),
    "/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "parameters": [],
            "responses": {
                "200": {
                    "description": "The OpenAPI 3.1 document of /api/v1",
                    "headers": OK_HEADERS,
                    "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}},
                },
                "304": {"$ref": "#/components/responses/NotModified"},
                "429": {"$ref": "#/components/responses/TooManyRequests"},
            },
        }
    },
}


def openapi_document() -> dict:
    """The document served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rooyesh Market API",
            "version": "1.0.0",
            "description": (
                "Read-only public data of Rooyesh Market (بازار رویش): products on sale, approved shops, "
                "categories and public fairs. Prices are integer rial. Every response has an ETag (send it "
                "in If-None-Match for a 304) and may be cached for a minute; lists are paged with page and "
                "per_page and a Link header; errors are {error: {code, message}} in the Accept-Language "
                "(Persian by default). Any origin may call it (CORS)."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS, "responses": RESPONSES},
    }
