"""Stored images kept in step with today's variant widths: product photos, shop banners and logos
uploaded before a width was added get its files (`flask media variants`)."""

from pathlib import Path

from sqlalchemy import select

from ..core.images import add_missing_variants
from ..extensions import db
from ..shops import brand
from ..shops.models import Shop
from .models import ProductImage


def fill_missing_variants(uploads_dir: Path, widths: tuple[int, ...]) -> dict[str, int]:
    """Add the missing WebP variants of every product photo, shop banner and shop logo, and record
    them in their rows (flushed, not committed). Idempotent: a second run finds nothing to do.
    Returns how many of each were updated, and how many have no file left to draw from."""
    counts = {"photos": 0, "banners": 0, "logos": 0, "without files": 0}
    for image in db.session.scalars(select(ProductImage).order_by(ProductImage.id)):
        try:
            updated = add_missing_variants(image.stored, uploads_dir, widths)
        except FileNotFoundError:
            counts["without files"] += 1
            continue
        if updated is not None:
            image.stored = updated
            counts["photos"] += 1
    for shop in db.session.scalars(select(Shop).order_by(Shop.id)):
        if shop.banner:
            try:
                banner = add_missing_variants(shop.banner, uploads_dir, widths)
            except FileNotFoundError:
                counts["without files"] += 1
                banner = None
            if banner is not None:
                shop.banner = banner
                counts["banners"] += 1
        if shop.logo_files:
            try:
                logo = brand.add_missing_logo_variants(shop.logo_files)
            except FileNotFoundError:
                counts["without files"] += 1
                logo = None
            if logo is not None:
                shop.logo_files = logo
                counts["logos"] += 1
    db.session.flush()
    return counts
