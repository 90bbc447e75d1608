"""Catalogue fixtures: an approved shop for a producer, and real photos made with Pillow."""

import io

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from marketplace.branding.palette import CURATED
from marketplace.catalog.models import Category
from marketplace.extensions import db
from marketplace.shops import services as shops


def photo_bytes(size=(1200, 900), colour=(180, 60, 40), fmt="JPEG", exif=None) -> bytes:
    """A photo-like test image: a coloured field with stripes (real edges, so it is not 'blurry')."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 40):
        draw.rectangle((x, 0, x + 12, size[1]), fill=(240, 220, 180))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def category_id(slug: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


@pytest.fixture
def shop_for(app):
    """Make an approved (or other status) shop for a producer; returns (shop id, slug)."""

    def build(user, name="گلدوزی مریم", status="approved"):
        with app.app_context():
            owner = db.session.merge(user)
            shop = shops.create_shop(owner, name, "گلدوزی", "گلشهر")
            shops.set_palette(shop, CURATED[0].palette, CURATED[0].code)
            shop.status = status
            db.session.commit()
            return shop.id, shop.slug

    return build
