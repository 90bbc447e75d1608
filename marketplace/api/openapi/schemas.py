"""The JSON Schemas of /api/v1's bodies (OpenAPI 3.1 `components/schemas`). Every object is closed
(`additionalProperties: false`) and lists every field as required, so the schemathesis test catches a
field that leaves the site without being described here (see shapes.py)."""

from ...bazaar.models import PUBLIC_FAIR_STATUSES
from ...catalog.models import KINDS
from ..shapes import LINK_PLATFORMS


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """`schema` or null."""
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def closed(properties: dict, optional: tuple[str, ...] = (), description: str = "") -> dict:
    """An object with exactly these properties, all required but `optional`."""
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name in properties if name not in optional],
        "properties": properties,
    }
    if description:
        schema["description"] = description
    return schema


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
COUNT = {"type": "integer", "minimum": 0}
RIAL = {"type": "integer", "minimum": 0, "description": "Integer rial (10 rial = 1 toman)."}
SIZE = {"type": "integer", "minimum": 1}
MOMENT = {"type": "string", "format": "date-time"}
COUNTS = {"type": "object", "additionalProperties": {"type": "integer"}}
HEX = {"type": "string", "pattern": "^#[0-9a-fA-F]{6}$"}


def _page(item: str) -> dict:
    return closed(
        {
            "items": array(ref(item)),
            "total": {**COUNT, "description": "How many there are on all pages."},
            "page": SIZE,
            "pages": {**SIZE, "description": "How many pages (at least 1, even for an empty list)."},
            "per_page": SIZE,
        },
        description="A page of a list. The Link header has its first, prev, next and last pages.",
    )


SHOP_REF = {"slug": STRING, "name": STRING, "url": {**URL, "description": "The shop's storefront page."}}
CATEGORY_REF = {"slug": STRING, "name_fa": STRING, "name_en": STRING}
PRODUCT_SUMMARY = {
    "id": SIZE,
    "title": STRING,
    "title_en": {**STRING, "description": "Its English title for buyers abroad; empty when it has none."},
    "url": {**URL, "description": "The product's page."},
    "price_rial": RIAL,
    "available": {"type": "boolean", "description": "Can be ordered now (in stock, or made to order)."},
    "made_to_order": {"type": "boolean"},
    "category": ref("CategoryRef"),
    "shop": ref("ShopRef"),
    "cover": nullable(ref("Image")),
    "published_at": nullable(MOMENT),
}
SHOP_SUMMARY = {
    **SHOP_REF,
    "tagline": STRING,
    "craft": STRING,
    "neighbourhood": {**STRING, "description": "Where in Mashhad the workshop is."},
    "city": STRING,
    "logo": nullable(ref("Logo")),
    "product_count": {**COUNT, "description": "Its products on sale."},
}
FAIR_SUMMARY = {
    "id": {**SIZE, "description": "Search its products with /search?fair={id}."},
    "slug": STRING,
    "title": STRING,
    "url": {**URL, "description": "The fair's page."},
    "status": {"type": "string", "enum": [str(status) for status in PUBLIC_FAIR_STATUSES]},
    "phase": {"type": "string", "enum": ["upcoming", "live", "past"], "description": "Now, by the fair's hours."},
    "starts_at": MOMENT,
    "ends_at": MOMENT,
    "venue_name": STRING,
    "venue_address": STRING,
}

SCHEMAS = {
    "Error": closed(
        {
            "error": closed(
                {
                    "code": {**STRING, "description": "e.g. invalid_parameter, not_found, too_many_requests"},
                    "message": {**STRING, "description": "For people, in the Accept-Language (Persian by default)."},
                    "parameter": {**STRING, "description": "The query parameter that was wrong (400 only)."},
                },
                optional=("parameter",),
            )
        }
    ),
    "ImageVariant": closed({"width": SIZE, "height": SIZE, "url": URL}),
    "Image": closed(
        {
            "width": SIZE,
            "height": SIZE,
            "dominant_color": {**HEX, "description": "A placeholder colour while the image loads."},
            "variants": {**array(ref("ImageVariant")), "description": "WebP files, narrowest first."},
        },
        description="A photo as WebP files of several widths.",
    ),
    "Logo": closed(
        {
            "url": {**URL, "description": "The square PNG."},
            "width": SIZE,
            "height": SIZE,
            "variants": array(ref("ImageVariant")),
        },
        description="The shop's logo: a square PNG and WebP copies for small sizes.",
    ),
    "ShopRef": closed(SHOP_REF),
    "CategoryRef": closed(CATEGORY_REF),
    "ProductSummary": closed(PRODUCT_SUMMARY),
    "Product": closed(
        {
            **PRODUCT_SUMMARY,
            "description": STRING,
            "description_en": {**STRING, "description": "A short English description; empty when it has none."},
            "kind": {"type": "string", "enum": list(KINDS), "description": "The regulatory kind of its category."},
            "price_min_rial": RIAL,
            "price_max_rial": RIAL,
            "fair_price_rial": {**nullable(RIAL), "description": "Its price at a fair running now, if any."},
            "stock": {**COUNT, "description": "Units on hand (0 for made-to-order products)."},
            "lead_time_days": {**nullable(COUNT), "description": "Days to make it (made-to-order products)."},
            "materials": STRING,
            "tags": array(STRING),
            "weight_g": nullable(COUNT),
            "size_cm": closed({"length": nullable(COUNT), "width": nullable(COUNT), "height": nullable(COUNT)}),
            "options": {**array(STRING), "description": "The names of its options (at most two), e.g. size."},
            "variants": array(ref("Variant")),
            "photos": {**array(ref("Image")), "description": "The first is the cover."},
            "badges": {**array(ref("Badge")), "description": "Verified licences (e.g. a health permit)."},
        }
    ),
    "Variant": closed(
        {
            "id": SIZE,
            "values": {**array(STRING), "description": "One value per option, in the options' order."},
            "price_rial": RIAL,
            "stock": COUNT,
            "available": {"type": "boolean"},
        },
        description="One combination of the product's options.",
    ),
    "Badge": closed({"code": STRING, "label_fa": STRING, "label_en": STRING}),
    "ProductPage": _page("ProductSummary"),
    "ShopSummary": closed(SHOP_SUMMARY),
    "Shop": closed(
        {
            **SHOP_SUMMARY,
            "story": STRING,
            "colours": nullable(closed({"primary": HEX, "accent": HEX, "background": HEX, "text": HEX})),
            "banner": nullable(ref("Image")),
            "links": array(closed({"platform": {"type": "string", "enum": list(LINK_PLATFORMS)}, "url": URL})),
            "away": {"type": "boolean", "description": "On holiday: made-to-order work waits."},
            "away_until": nullable({"type": "string", "format": "date"}),
            "rating": closed({"average": nullable({"type": "number", "minimum": 1, "maximum": 5}), "count": COUNT}),
        }
    ),
    "ShopPage": _page("ShopSummary"),
    "Category": closed(
        {
            "id": SIZE,
            **CATEGORY_REF,
            "kind": {"type": "string", "enum": list(KINDS)},
            "parent": {**nullable(STRING), "description": "The parent's slug; null for a top category."},
            "url": URL,
            "product_count": {**COUNT, "description": "Products on sale in it and its sub-categories."},
            "children": array(ref("Category")),
        }
    ),
    "CategoryTree": closed({"categories": array(ref("Category"))}),
    "FairSummary": closed(FAIR_SUMMARY),
    "Fair": closed(
        {
            **FAIR_SUMMARY,
            "description": STRING,
            "map_url": {**nullable(STRING), "description": "A map of the venue."},
            "calendar_url": {**URL, "description": "The fair as an iCalendar file."},
            "shops": array(
                closed(
                    {
                        **SHOP_REF,
                        "logo": nullable(ref("Logo")),
                        "booth": {
                            **nullable(STRING),
                            "description": "Booth code, e.g. A-03 (null before booths are set).",
                        },
                        "category": {**nullable(STRING), "description": "The slug of the top category she brings."},
                    }
                )
            ),
        }
    ),
    "FairPage": _page("FairSummary"),
    "SearchResult": closed(
        {
            "total": COUNT,
            "page": SIZE,
            "pages": SIZE,
            "per_page": SIZE,
            "results": array(ref("SearchHit")),
            "facets": closed(
                {
                    "category": {**COUNTS, "description": "category id → count"},
                    "shop": {**COUNTS, "description": "shop slug → count"},
                    "neighbourhood": COUNTS,
                    "price": {**COUNTS, "description": "band in toman 'low-high' → count"},
                    "availability": COUNTS,
                },
                optional=("category", "shop", "neighbourhood", "price", "availability"),
            ),
            "suggestion": {**nullable(STRING), "description": "A corrected query that finds more."},
            "reading": {
                **nullable(STRING),
                "description": "The Persian words a query typed in Latin letters (Finglish or English) was read as.",
            },
        }
    ),
    "SearchHit": closed(
        {
            "id": SIZE,
            "title": STRING,
            "title_en": {**STRING, "description": "Its English title for buyers abroad; empty when it has none."},
            "url": URL,
            "price_rial": RIAL,
            "shop": closed({"slug": STRING, "name": STRING}),
            "thumbnail": nullable(URL),
        }
    ),
    "Suggestions": closed(
        {
            "products": array(
                closed(
                    {
                        "id": SIZE,
                        "title": STRING,
                        "title_en": {**nullable(STRING), "description": "The producer's English title, if any."},
                        "url": {"type": "string", "format": "uri-reference"},
                    }
                )
            ),
            "categories": array(
                closed(
                    {
                        "slug": STRING,
                        "name": STRING,
                        "name_en": STRING,
                        "url": {"type": "string", "format": "uri-reference"},
                    }
                )
            ),
            "shops": array(
                closed({"slug": STRING, "name": STRING, "url": {"type": "string", "format": "uri-reference"}})
            ),
        }
    ),
}
