"""Registration fixtures: a producer's shop, products of each kind (categories come from migration
0003) and real evidence files: a minimal valid PDF and a phone photo carrying GPS EXIF."""

import io

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from marketplace.catalog.models import Category, Product
from marketplace.extensions import db
from marketplace.shops import services as shops

# Where a producer's home is: must never reach a stored evidence file.
HOME_LATITUDE, HOME_LONGITUDE = (36.0, 17.0, 52.5), (59.0, 36.0, 21.25)
KIND_CATEGORY = {"food": "pickles", "cosmetics": "soap", "handicraft": "needlework", "textile": "scarves"}


def pdf_bytes() -> bytes:
    """A minimal valid one-page PDF (header, catalog, pages, page, xref, trailer, %%EOF)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def gps_photo_bytes(size=(900, 600)) -> bytes:
    """A JPEG as a phone writes it: camera make and model, and the GPS position of the home."""
    image = Image.new("RGB", size, (235, 230, 220))
    draw = ImageDraw.Draw(image)
    for y in range(40, size[1], 60):
        draw.rectangle((40, y, size[0] - 40, y + 12), fill=(40, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "Cheap Phone Co"
    exif[0x0110] = "A1"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", HOME_LATITUDE, "E", HOME_LONGITUDE
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def make_shop(user, name="ترشی خانگی توس", neighbourhood="توس"):
    """A shop for `user` (call inside an app context); returns the Shop."""
    owner = db.session.merge(user)
    shop = shops.create_shop(owner, name, "ترشی خانگی", neighbourhood)
    db.session.flush()
    return shop


def make_product(shop, kind="food", title="ترشی لیته", **fields) -> Product:
    """A product of `kind` in `shop` (inside an app context), its category read from the seeded tree."""
    category = db.session.scalar(select(Category).where(Category.slug == KIND_CATEGORY.get(kind, kind)))
    product = Product(shop=shop, category=category, title=title, slug=title.replace(" ", "-"), price_rial=1_500_000)
    for name, value in fields.items():
        setattr(product, name, value)
    db.session.add(product)
    db.session.flush()
    return product


@pytest.fixture
def producer(make_user):
    return make_user(roles={"producer"}, name="فاطمه حسینی")


@pytest.fixture
def staff(make_user):
    return make_user(roles={"staff"}, name="کارشناس مرکز")
