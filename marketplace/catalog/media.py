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
        stored = _counted(counts, "photos", add_missing_variants, image.stored, uploads_dir, widths)
        if stored is not None:
            image.stored = stored
    for shop in db.session.scalars(select(Shop).order_by(Shop.id)):
        banner = shop.banner and _counted(counts, "banners", add_missing_variants, shop.banner, uploads_dir, widths)
        if banner:
            shop.banner = banner
        logo = shop.logo_files and _counted(counts, "logos", brand.add_missing_logo_variants, shop.logo_files)
        if logo:
            shop.logo_files = logo
    db.session.flush()
    return counts


def _counted(counts: dict[str, int], kind: str, add_missing, *args):
    """`add_missing(*args)`: the updated record, or None when nothing was missing or no file is
    left to draw from; counted under `kind` or "without files"."""
    try:
        updated = add_missing(*args)
    except FileNotFoundError:
        counts["without files"] += 1
        return None
    if updated is not None:
        counts[kind] += 1
    return updated
