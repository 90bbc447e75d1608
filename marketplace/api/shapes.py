"""The public JSON shapes of products, shops, categories and fairs: the one place that chooses which
fields leave the site. Each shape is a whitelist, and /api/v1/openapi.json describes it with
`additionalProperties: false`, so a field added here without its schema fails the schemathesis test.
Never: phone numbers, owners, internal notes, review reasons, drafts. Links are absolute, on
PUBLIC_URL; images are the stored WebP variants with their sizes."""

from flask_babel import force_locale

from ..bazaar.models import BazaarEvent
from ..bazaar.services import phase
from ..catalog import services as catalog
from ..catalog.models import Category, Product
from ..core.dates import as_utc
from ..core.images import StoredImage
from ..core.urls import public_url
from ..shops import services as shops
from ..shops.models import Shop

LOGO_PNG_SIZE = "512"
# Social links a shop shows on its storefront; WhatsApp is left out: its handle is a phone number.
LINK_PLATFORMS = ("instagram", "telegram", "eitaa", "rubika", "bale")


def media_url(path: str) -> str:
    """The absolute URL of a file in the uploads folder."""
    return public_url("core.media", filename=path)


def image(stored: dict) -> dict:
    """A stored photo: its full size, placeholder colour, and every WebP variant with its size (the
    height in proportion to the width, as the pipeline resized it)."""
    picture = StoredImage.from_dict(stored)
    return {
        "width": picture.width,
        "height": picture.height,
        "dominant_color": picture.dominant_color,
        "variants": [
            {"width": width, "height": max(1, round(picture.height * width / picture.width)), "url": media_url(path)}
            for width, path in sorted(picture.variants.items())
        ],
    }


def timestamp(moment) -> str | None:
    """An aware UTC moment as ISO 8601 (RFC 3339), or None."""
    return as_utc(moment).isoformat() if moment is not None else None


def shop_ref(shop: Shop) -> dict:
    """A shop as other objects point to it."""
    return {"slug": shop.slug, "name": shop.name, "url": public_url("catalog.storefront", slug=shop.slug)}


def category_ref(category: Category) -> dict:
    """A category as other objects point to it."""
    return {"slug": category.slug, "name_fa": category.name_fa, "name_en": category.name_en}


def _product_ref(product: Product) -> dict:
    return {
        "id": product.id,
        "title": product.title,
        "title_en": product.title_en,
        "url": public_url("catalog.product", product_id=product.id, slug=product.slug),
        "price_rial": product.price_rial,
    }


def search_hit(product: Product) -> dict:
    """A product found by /search: its thumbnail is the cover's 320-px variant."""
    cover = product.cover
    thumbnail = StoredImage.from_dict(cover.stored).url_path(320) if cover else None
    return {
        **_product_ref(product),
        "shop": {"slug": product.shop.slug, "name": product.shop.name},
        "thumbnail": media_url(thumbnail) if thumbnail else None,
    }


def product_summary(product: Product, categories: dict[int, Category]) -> dict:
    """A product in a list: enough for a card (its shop is loaded with it; `categories` by id)."""
    cover = product.cover
    return {
        **_product_ref(product),
        "available": catalog.in_stock(product),
        "made_to_order": product.made_to_order,
        "category": category_ref(categories[product.category_id]),
        "shop": shop_ref(product.shop),
        "cover": image(cover.stored) if cover else None,
        "published_at": timestamp(product.published_at),
    }


def product_detail(product: Product, badges: list[dict], fair_price_rial: int | None) -> dict:
    """Everything the product page shows of a public product. `badges` are the registration badges
    (`events.product_badges`), named in both languages here."""
    low, high = catalog.price_range(product)
    return {
        **product_summary(product, {product.category_id: product.category}),
        "description": product.description,
        "description_en": product.description_en,
        "kind": product.kind,
        "price_min_rial": low,
        "price_max_rial": high,
        "fair_price_rial": fair_price_rial,
        "stock": 0 if product.made_to_order else product.stock,
        "lead_time_days": product.lead_time_days if product.made_to_order else None,
        "materials": product.materials,
        "tags": list(product.tags or []),
        "weight_g": product.weight_g,
        "size_cm": {"length": product.length_cm, "width": product.width_cm, "height": product.height_cm},
        "options": [name for name in (product.option1_name, product.option2_name) if name],
        "variants": [
            {
                "id": variant.id,
                "values": [value for value in (variant.value1, variant.value2) if value],
                "price_rial": product.price_rial + variant.price_delta_rial,
                "stock": 0 if product.made_to_order else variant.stock,
                "available": (not product.shop.away) if product.made_to_order else variant.stock > 0,
            }
            for variant in product.variants
        ],
        "photos": [image(photo.stored) for photo in product.images],
        "badges": [{"code": badge["code"], **_both_languages("label", badge["label"])} for badge in badges],
    }


def _both_languages(name: str, text) -> dict:
    """A lazily translated text as `{name}_fa` and `{name}_en`."""
    found = {}
    for locale in ("fa", "en"):
        with force_locale(locale):
            found[f"{name}_{locale}"] = str(text)
    return found


def logo(shop: Shop) -> dict | None:
    """The shop's logo: the 512-px PNG and its WebP copies for small sizes; None without one."""
    files = shop.logo_files or {}
    if LOGO_PNG_SIZE not in files:
        return None
    webp = files.get("webp")
    return {
        "url": media_url(files[LOGO_PNG_SIZE]),
        "width": int(LOGO_PNG_SIZE),
        "height": int(LOGO_PNG_SIZE),
        "variants": image(webp)["variants"] if webp else [],
    }


def shop_summary(shop: Shop, product_count: int) -> dict:
    """An approved shop in a list."""
    return {
        **shop_ref(shop),
        "tagline": shop.tagline,
        "craft": shop.craft,
        "neighbourhood": shop.neighbourhood,
        "city": shop.city,
        "logo": logo(shop),
        "product_count": product_count,
    }


def shop_detail(shop: Shop, product_count: int, rating: dict | None) -> dict:
    """What the storefront shows of an approved shop (its approved text, never text waiting for review)."""
    palette = shops.shop_palette(shop)
    return {
        **shop_summary(shop, product_count),
        "story": shop.story,
        "colours": (
            {
                "primary": palette.primary,
                "accent": palette.accent,
                "background": palette.background,
                "text": palette.text,
            }
            if palette
            else None
        ),
        "banner": image(shop.banner) if shop.banner else None,
        "links": [
            {"platform": link["platform"], "url": link["url"]}
            for link in shops.social_links(shop)
            if link["platform"] in LINK_PLATFORMS
        ],
        "away": shop.away,
        "away_until": shop.away_until.isoformat() if shop.away and shop.away_until else None,
        "rating": {"average": (rating or {}).get("average"), "count": (rating or {}).get("count", 0)},
    }


def category_node(category: Category, counts: dict[int, int]) -> dict:
    """A category of the tree with its children; `product_count` includes the children's products."""
    children = [category_node(child, counts) for child in category.children]
    return {
        "id": category.id,
        **category_ref(category),
        "kind": category.kind,
        "parent": category.parent.slug if category.parent is not None else None,
        "url": public_url("catalog.category", slug=category.slug),
        "product_count": counts.get(category.id, 0) + sum(child["product_count"] for child in children),
        "children": children,
    }


def fair_summary(fair: BazaarEvent, now) -> dict:
    """A public fair in a list: when, where and its phase now (upcoming, live or past)."""
    return {
        "id": fair.id,
        "slug": fair.slug,
        "title": fair.title,
        "url": public_url("bazaar.fair", slug=fair.slug),
        "status": fair.status,
        "phase": phase(fair, now),
        "starts_at": timestamp(fair.starts_at),
        "ends_at": timestamp(fair.ends_at),
        "venue_name": fair.venue_name,
        "venue_address": fair.venue_address,
    }


def fair_detail(fair: BazaarEvent, participants: list, categories: dict[int, Category], now) -> dict:
    """A public fair's page: its description, map and calendar links, and its shops with their booths."""
    return {
        **fair_summary(fair, now),
        "description": fair.description,
        "map_url": fair.map_url or None,
        "calendar_url": public_url("bazaar.calendar", slug=fair.slug),
        "shops": [
            {
                **shop_ref(shop),
                "logo": logo(shop),
                "booth": code or None,
                "category": categories[category_id].slug if category_id in categories else None,
            }
            for shop, code, category_id in participants
        ],
    }
