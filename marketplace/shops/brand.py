"""Glue between a shop and the branding renderers: which images to render, where they are cached,
and storing the chosen logo, banner and kit photo through the core image pipeline."""

import json
import os
from pathlib import Path
from urllib.parse import unquote

from flask import current_app
from PIL import Image

from ..branding import kit
from ..branding.cache import cached_png, content_key
from ..branding.logo import logo_sizes, render_logo_candidates
from ..branding.palette import CURATED
from ..core.images import StoredImage, process_upload, store_png, upload_dir, upload_limits
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
    """The logo candidates for the shop's current name and palette, rendered once and cached.

    Returns [{id, style, font, path}]; the ids change whenever the name or palette changes, so an
    old id (or another shop's) is simply not found."""
    palette = services.shop_palette(shop) or CURATED[0].palette
    key = content_key("logo-candidates", shop.name, palette.as_dict(), LOGO_SIZE)
    folder = cache_dir() / "logos" / key
    manifest = folder / "manifest.json"
    if not manifest.exists():
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for index, candidate in enumerate(render_logo_candidates(shop.name, palette, size=LOGO_SIZE)):
            path = folder / f"{index}.png"
            temporary = path.with_suffix(".tmp")
            candidate.image.save(temporary, format="PNG", compress_level=1)  # a cache: speed over size
            os.replace(temporary, path)
            entries.append(
                {"id": f"{key[:16]}-{index}", "style": candidate.style, "font": candidate.font_key, "file": path.name}
            )
        temporary = manifest.with_suffix(".tmp")
        temporary.write_text(json.dumps(entries))
        os.replace(temporary, manifest)
    entries = json.loads(manifest.read_text())
    return [{**entry, "path": str(folder / entry["file"])} for entry in entries]


def square_logo(image: Image.Image) -> Image.Image:
    """Centre an uploaded logo on a transparent square so every size crops nothing."""
    image = image.convert("RGBA")
    side = max(image.size)
    canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    canvas.paste(image, ((side - image.width) // 2, (side - image.height) // 2))
    return canvas.resize((LOGO_SIZE, LOGO_SIZE), Image.Resampling.LANCZOS) if side != LOGO_SIZE else canvas


def store_logo(image: Image.Image) -> dict[int, str]:
    """Store the chosen logo as PNG at 1024, 512, 192 and 32 px; returns size → uploads path."""
    return {size: store_png(sized, uploads_dir()) for size, sized in logo_sizes(image).items()}


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


def kit_inputs(shop: Shop, price_toman: int | None = None) -> "kit.KitInputs":
    """Everything the kit renderers need, from the shop row."""
    palette = services.shop_palette(shop) or CURATED[0].palette
    assert shop.logo_files is not None  # the kit is offered once she has a logo
    logo = open_image(uploads_dir() / shop.logo_files["1024"])
    photo_path = largest_variant(shop.kit_photo)
    phone = shop.contact_phone if shop.show_phone and shop.contact_phone else None
    contact = to_persian_digits(display_phone(phone)) if phone else readable_url(storefront_url(shop)).split("://")[-1]
    # logo_source is "style:font" for a generated logo, "upload" for her own
    style, _, font = (shop.logo_source or "").partition(":")
    return kit.KitInputs(
        font_key=font or None,
        logo_style=style if font else None,
        logo=logo,
        shop_name=shop.name,
        tagline=shop.tagline or shop.craft or "",
        contact=contact,
        storefront_url=storefront_url(shop),
        palette=palette,
        photo=open_image(photo_path) if photo_path else None,
        price_text=format_toman(price_toman * 10) if price_toman else None,
    )


KIT_PREVIEW_WIDTH = 400
PRICED_ITEMS = ("square_post",)
PRICE_MAX_TOMAN = 500_000_000  # the catalogue's highest price


def kit_file(shop: Shop, item: str, price_toman: int | None = None, preview: bool = False) -> Path:
    """The PNG of one kit item, rendered only when one of its inputs changed; with `preview`, a
    400-px-wide WebP of it for the wizard page (the full A4 sheet is megabytes on a slow phone)."""
    # Only the post shows a price; no other item's cache key may vary with the request's ?price=.
    inputs = kit_inputs(
        shop, price_toman if item in PRICED_ITEMS and price_toman and price_toman <= PRICE_MAX_TOMAN else None
    )
    key = content_key(
        "kit",
        item,
        inputs.shop_name,
        inputs.tagline,
        inputs.contact,
        inputs.storefront_url,
        inputs.palette.as_dict(),
        inputs.logo,
        inputs.photo,
        inputs.price_text,
    )
    full = cached_png(cache_dir() / "kit", key, lambda: kit.render_item(item, inputs))
    if not preview:
        return full

    def shrink() -> Image.Image:
        image = open_image(full).convert("RGB")
        height = round(image.height * KIT_PREVIEW_WIDTH / image.width)
        return image.resize((KIT_PREVIEW_WIDTH, height), Image.Resampling.LANCZOS)

    return cached_png(cache_dir() / "kit-preview", content_key(key, KIT_PREVIEW_WIDTH), shrink, fmt="webp")
