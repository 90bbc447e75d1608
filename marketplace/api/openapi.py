"""The OpenAPI 3.1 description of /api/v1 (search and autocomplete)."""

from ..search.query import PAGE_SIZE, SORTS


def _parameter(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


SEARCH_PARAMETERS = [
    _parameter("q", {"type": "string", "maxLength": 200}, "What the buyer typed, in any Persian or Arabic spelling."),
    _parameter("category", {"type": "string"}, "Category slug; a top category includes its sub-categories."),
    _parameter("neighbourhood", {"type": "string"}, "The shop's neighbourhood in Mashhad, as in the facet."),
    _parameter("min_price", {"type": "integer", "minimum": 0}, "Lowest price in toman."),
    _parameter("max_price", {"type": "integer", "minimum": 0}, "Highest price in toman."),
    _parameter("in_stock", {"type": "string", "enum": ["1"]}, "Only products that can be ordered now."),
    _parameter("made_to_order", {"type": "string", "enum": ["1"]}, "Only made-to-order products."),
    _parameter("sort", {"type": "string", "enum": list(SORTS), "default": "relevance"}, "Order of the results."),
    _parameter("page", {"type": "integer", "minimum": 1, "default": 1}, f"Page number, {PAGE_SIZE} results a page."),
]

COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}


def openapi_document() -> dict:
    """The document served at /api/v1/openapi.json."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Rooyesh Market API",
            "version": "1.0.0",
            "description": "Read-only public data of Rooyesh Market (بازار رویش). Prices are integer rial.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search published products",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "A page of results with facet counts",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}},
                        }
                    },
                }
            },
            "/autocomplete": {
                "get": {
                    "operationId": "autocomplete",
                    "summary": "Products, categories and shops whose words start like the text",
                    "parameters": [_parameter("q", {"type": "string", "maxLength": 60}, "What has been typed so far.")],
                    "responses": {
                        "200": {
                            "description": "At most 8 of each",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Suggestions"}}},
                        }
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "SearchResult": {
                    "type": "object",
                    "required": ["total", "page", "results", "facets", "suggestion"],
                    "properties": {
                        "total": {"type": "integer"},
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "results": {"type": "array", "items": {"$ref": "#/components/schemas/Product"}},
                        "facets": {
                            "type": "object",
                            "properties": {
                                "category": {**COUNTS, "description": "category id → count"},
                                "shop": {**COUNTS, "description": "shop slug → count"},
                                "neighbourhood": COUNTS,
                                "price": {**COUNTS, "description": "band in toman 'low-high' → count"},
                                "availability": COUNTS,
                            },
                        },
                        "suggestion": {"type": ["string", "null"], "description": "A corrected query that finds more"},
                    },
                },
                "Product": {
                    "type": "object",
                    "required": ["id", "title", "url", "price_rial", "shop", "thumbnail"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "url": {"type": "string", "format": "uri"},
                        "price_rial": {"type": "integer"},
                        "shop": {
                            "type": "object",
                            "properties": {"slug": {"type": "string"}, "name": {"type": "string"}},
                        },
                        "thumbnail": {"type": ["string", "null"], "format": "uri"},
                    },
                },
                "Link": {
                    "type": "object",
                    "properties": {"title": {"type": "string"}, "name": {"type": "string"}, "url": {"type": "string"}},
                },
                "Suggestions": {
                    "type": "object",
                    "properties": {
                        "products": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
                        "categories": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
                        "shops": {"type": "array", "items": {"$ref": "#/components/schemas/Link"}},
                    },
                },
            }
        },
    }
