"""Glue between a shop and the branding renderers: which images to render, where they are cached,
and storing the chosen logo, banner and kit photo through the core image pipeline."""

from pathlib import Path
from urllib.parse import unquote

from flask import current_app
from PIL import Image

from ..branding import kit
from ..branding.cache import cache_path, cached_png, content_key
from ..branding.fonts import font_by_key
from ..branding.logo import STYLES, default_fonts, logo_sizes, render_logo
from ..branding.palette import CURATED
from ..core.images import (
    StoredImage,
    add_missing_variants,
    process_upload,
    store_png,
    store_variants,
    upload_dir,
    upload_limits,
)
from ..core.money import format_toman
from ..core.persian import to_persian_digits
from ..core.phone import display_phone
from ..core.urls import public_url
from . import services
from .models import Shop

LOGO_SIZE = 1024
KIT_ITEMS = kit.KIT_ITEMS
KIT_KEYS = {item.key for item in KIT_ITEMS}


def uploads_dir() -> Path:
    """Where uploaded and stored images live (instance/uploads)."""
    return upload_dir(current_app)


def cache_dir() -> Path:
    """Where rendered brand images are cached by content hash (instance/brand-cache)."""
    return Path(current_app.instance_path) / "brand-cache"


def load_limits() -> dict:
    """The byte and pixel limits for an upload that is read but not stored (a palette photo, a logo)."""
    limits = upload_limits(current_app.config)
    return {"max_bytes": limits["max_bytes"], "max_pixels": limits["max_pixels"]}


def open_image(path: str | Path) -> Image.Image:
    """Open a file this app wrote itself (cache or uploads)."""
    with Image.open(path) as image:
        image.load()
        return image


def logo_candidates(shop: Shop) -> list[dict]:
    """The logo candidates for the shop's current name and palette, listed without drawing any.

    Returns [{id, style, font, key, path}]; each is drawn the first time its image is asked for
    (candidate_file), so the logo page answers at once. The ids are content keys of the name,
    palette, style and font: they change whenever the name or palette changes, so an old id (or
    another shop's) is simply not found."""
    palette = (services.shop_palette(shop) or CURATED[0].palette).as_dict()
    candidates = []
    for face in default_fonts():
        for style in STYLES:
            key = content_key("logo-candidate", shop.name, palette, style, face.key, LOGO_SIZE)
            path = cache_path(cache_dir() / "logos", key)
            candidates.append({"id": key[:24], "style": style, "font": face.key, "key": key, "path": str(path)})
    return candidates


def candidate_file(shop: Shop, candidate: dict) -> Path:
    """The PNG of one logo candidate (an entry of logo_candidates), drawn once and then cached."""
    palette = services.shop_palette(shop) or CURATED[0].palette
    face = font_by_key(candidate["font"])
    assert face is not None  # candidates are made from the installed fonts (logo_candidates)

    def draw() -> Image.Image:
        return render_logo(candidate["style"], shop.name, palette, face, LOGO_SIZE).image

    # A cache: written fast rather than small (the chosen one is stored properly by store_logo).
    return cached_png(cache_dir() / "logos", candidate["key"], draw, options={"compress_level": 1})


def candidate_image(shop: Shop, candidate: dict) -> Image.Image:
    """One logo candidate as an image: read from the cache, or drawn now if nobody asked for it yet."""
    return open_image(candidate_file(shop, candidate))


def square_logo(image: Image.Image) -> Image.Image:
    """Centre an uploaded logo on a transparent square so every size crops nothing."""
    image = image.convert("RGBA")
    side = max(image.size)
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return canvas.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS) if side != LOGO_SIZE else canvas


# PNG compression per stored logo size. The 1024-px file is only what the kit is drawn from, so it is
# written fast; the sizes buyers' phones download are compressed well, but without Pillow's optimise
# pass, which cost four times as long here for under 1 % smaller files.
LOGO_COMPRESSION = {1024: 1, 512: 6, 192: 6, 32: 6}


# WebP copies of the logo for where it shows small: 56 CSS px beside a product and on the home page,
# 96 px on the storefront; phones draw those at 1.75-3 device pixels per CSS pixel. A fraction of
# the 192-px PNG's bytes. Quality 90: flat colours and lettering show blocks sooner than photos.
LOGO_WEBP_WIDTHS = (56, 112, 192)
LOGO_WEBP_QUALITY = 90


def store_logo(image: Image.Image) -> dict[str, str | dict]:
    """Store the chosen logo as PNG at 1024, 512, 192 and 32 px (size → uploads path) and as WebP
    variants for small displays under "webp" (a core StoredImage dict)."""
    sizes = logo_sizes(image)
    files: dict[str, str | dict] = {
        str(size): store_png(sized, uploads_dir(), compress_level=LOGO_COMPRESSION[size])
        for size, sized in sizes.items()
    }
    files["webp"] = _store_logo_webp(sizes[512])
    return files


def _store_logo_webp(image: Image.Image) -> dict:
    return store_variants(image, uploads_dir(), LOGO_WEBP_WIDTHS, quality=LOGO_WEBP_QUALITY).as_dict()


def add_missing_logo_variants(logo_files: dict) -> dict | None:
    """A logo stored before the WebP variants existed (or missing some of their files) gets them,
    drawn from its 512-px PNG (else the largest it has). Returns the new logo_files, or None when
    nothing was missing."""
    webp = logo_files.get("webp")
    if webp is None:
        source = next(logo_files[size] for size in ("512", "1024", "192") if size in logo_files)
        with Image.open(uploads_dir() / source, formats=("PNG",)) as png:
            return {**logo_files, "webp": _store_logo_webp(png.convert("RGBA"))}
    updated = add_missing_variants(webp, uploads_dir(), LOGO_WEBP_WIDTHS, quality=LOGO_WEBP_QUALITY)
    return None if updated is None else {**logo_files, "webp": updated}


def store_photo(upload) -> dict:
    """Run an uploaded photo through the core pipeline; returns the stored image as a dict."""
    stored = process_upload(upload, uploads_dir(), **upload_limits(current_app.config))
    return stored.as_dict()


def largest_variant(stored: dict | None) -> Path | None:
    """The biggest stored variant of an image dict, as a file path."""
    if not stored:
        return None
    return uploads_dir() / StoredImage.from_dict(stored).url_path(10_000)


def storefront_url(shop: Shop) -> str:
    """The absolute address of the shop's page, percent-encoded (for QR codes: every scanner reads it)."""
    return public_url("catalog.storefront", slug=shop.slug)


def readable_url(url: str) -> str:
    """The same address with its Persian letters shown as letters (for people to read and share)."""
    return unquote(url)


def _kit_text(shop: Shop, price_toman: int | None) -> dict:
    """The kit's inputs that are plain values (no images to open): cheap to read on every request."""
    phone = shop.contact_phone if shop.show_phone and shop.contact_phone else None
    contact = to_persian_digits(display_phone(phone)) if phone else readable_url(storefront_url(shop)).split("://")[-1]
    # logo_source is "style:font" for a generated logo, "upload" for her own
    style, _, font = (shop.logo_source or "").partition(":")
    return {
        "font_key": font or None,
        "logo_style": style if font else None,
        "shop_name": shop.name,
        "tagline": shop.tagline or shop.craft or "",
        "contact": contact,
        "storefront_url": storefront_url(shop),
        "palette": services.shop_palette(shop) or CURATED[0].palette,
        "price_text": format_toman(price_toman * 10) if price_toman else None,
    }


def shown_price(item: str, price_toman: int | None) -> int | None:
    """The price an item shows: only the post shows one, and only within the catalogue's range, so
    no other item's cache key varies with a request's ?price=."""
    return price_toman if item in PRICED_ITEMS and price_toman and 0 < price_toman <= PRICE_MAX_TOMAN else None


def kit_key(shop: Shop, item: str, price_toman: int | None = None) -> str:
    """The content key of one kit image, computed without opening any image: the logo and the
    photo are stored under content-hash names, so their paths stand for their pixels."""
    assert shop.logo_files is not None  # the kit is offered once she has a logo
    photo_path = largest_variant(shop.kit_photo)
    return content_key(
        "kit",
        item,
        _kit_text(shop, shown_price(item, price_toman)),
        shop.logo_files["1024"],
        str(photo_path.relative_to(uploads_dir())) if photo_path else None,
    )


def kit_inputs(shop: Shop, price_toman: int | None = None) -> "kit.KitInputs":
    """Everything the kit renderers need, from the shop row (this opens the logo and photo)."""
    assert shop.logo_files is not None  # the kit is offered once she has a logo
    photo_path = largest_variant(shop.kit_photo)
    return kit.KitInputs(
        logo=open_image(uploads_dir() / shop.logo_files["1024"]),
        photo=open_image(photo_path) if photo_path else None,
        **_kit_text(shop, price_toman),
    )


KIT_PREVIEW_WIDTH = 400
PRICED_ITEMS = ("square_post",)
PRICE_MAX_TOMAN = 500_000_000  # the catalogue's highest price


def kit_preview_size(item: kit.KitItem) -> tuple[int, int]:
    """Width and height of an item's preview image (for the img attributes: no jump while it loads)."""
    return KIT_PREVIEW_WIDTH, round(item.height * KIT_PREVIEW_WIDTH / item.width)


def kit_file(shop: Shop, item: str, price_toman: int | None = None, preview: bool = False) -> Path:
    """The PNG of one kit item, rendered only when one of its inputs changed; with `preview`, a
    400-px-wide WebP of it for the wizard page (the full A4 sheet is megabytes on a slow phone).

    A preview does not write the full-size PNG (encoding the A4 sheet costs more than drawing it):
    the download draws and stores that the first time it is asked for."""
    key = kit_key(shop, item, price_toman)
    full = cache_path(cache_dir() / "kit", key)
    price_toman = shown_price(item, price_toman)
    if not preview:
        return cached_png(cache_dir() / "kit", key, lambda: kit.render_item(item, kit_inputs(shop, price_toman)))

    def shrink() -> Image.Image:
        image = open_image(full) if full.exists() else kit.render_item(item, kit_inputs(shop, price_toman))
        size = kit_preview_size(kit.ITEMS_BY_KEY[item])
        return image.convert("RGB").resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)

    return cached_png(cache_dir() / "kit-preview", content_key(key, KIT_PREVIEW_WIDTH), shrink, fmt="webp")
