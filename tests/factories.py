"""The one set of test factories: users, shops and products (factory-boy, bound to `db.session`),
and the real files tests upload (photos, a PDF, a phone photo with GPS).

Rows are made through the services wherever a service holds a rule (the password is hashed by
`create_user`, the slug and one-shop-per-producer by `create_shop`, prices, tags and the kind of a
product by `create_product`, photos go through the real upload pipeline); statuses are set
directly, the way a test needs them, without walking each state machine.

Inside an app context (service tests), call a factory and get a flushed row in the test's session:
`ProductFactory(shop=shop, kind="food")`. From a route test, use the `make` fixture of
tests/conftest.py: `make(ShopFactory, owner=producer, status="approved")` commits in its own app
context and returns the row detached with its columns loaded.
"""

import io
from datetime import timedelta

import factory
from factory.alchemy import SQLAlchemyModelFactory
from flask import current_app
from PIL import Image, ImageDraw
from sqlalchemy import select

from marketplace.accounts import services as accounts
from marketplace.accounts.models import User
from marketplace.bazaar import planning
from marketplace.bazaar import services as fair_services
from marketplace.bazaar.models import Application, ApplicationProduct, BazaarEvent, Booth, Zone
from marketplace.branding.palette import CURATED
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.core.dates import TEHRAN, utcnow
from marketplace.core.images import load_upload, store_variants, upload_dir, upload_limits
from marketplace.extensions import db
from marketplace.shops import services as shops
from marketplace.shops.models import Shop

GOOD_PASSWORD = "saffron and turquoise"

# A typical category of each regulatory kind (the tree is seeded by migration 0003).
KIND_CATEGORY = {
    "handicraft": "needlework",
    "food": "pickles",
    "textile": "scarves",
    "cosmetics": "soap",
    "general": "decor",
}

# Where a producer's home is: must never reach a stored evidence file or photo.
HOME_LATITUDE, HOME_LONGITUDE = (36.0, 17.0, 52.5), (59.0, 36.0, 21.25)


def category_id(slug: str) -> int:
    """The id of the seeded category `slug` (inside an app context)."""
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


def _in_session(obj):
    """`obj` as a member of the test's current session: rows made by `make` in another app
    context come back detached, and a service must not see a detached copy."""
    if obj is None or obj in db.session:
        return obj
    return db.session.merge(obj)


class ModelFactory(SQLAlchemyModelFactory):
    """Base: rows go into whatever `db.session` is now (the test's rolled-back transaction
    replaces it per test, so the session is looked up at each call) and are flushed, not committed."""

    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731 (read at each call, see above)
        sqlalchemy_session_persistence = "flush"


class UserFactory(ModelFactory):
    """An account made by accounts.services.create_user (hashed password, normalised name); every
    account is a buyer, `roles` adds producer, staff or admin."""

    class Meta:
        model = User

    phone = factory.Sequence(lambda n: f"+98912{n + 1:07d}")
    display_name = "کاربر آزمایشی"
    password = GOOD_PASSWORD
    roles = frozenset({"buyer"})
    locale = None
    active = True

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        user = accounts.create_user(
            kwargs["phone"],
            kwargs["display_name"],
            kwargs["password"],
            roles=set(kwargs["roles"]) | {"buyer"},
            locale=kwargs["locale"],
        )
        user.active = kwargs["active"]
        session.flush()
        return user


class ShopFactory(ModelFactory):
    """A shop made by shops.services.create_shop for a producer (a new one unless `owner` is given);
    `tagline`/`story` and `palette` (a curated palette) go through their services too, and
    `branded=True` gives all three; `status` is set directly (draft unless given)."""

    class Meta:
        model = Shop

    class Params:
        # (a plain flag, not a factory.Trait: resolving an unset trait formats the declarations,
        # and a palette's lazy label cannot be formatted outside a request)
        branded = False

    owner = factory.SubFactory(UserFactory, roles=frozenset({"producer"}))
    name = factory.Sequence(lambda n: f"کارگاه {n + 1}")
    craft = "دستی"
    neighbourhood = "گلشهر"
    tagline = factory.LazyAttribute(lambda o: "گلدوزی با نقش‌های قدیمی" if o.branded else "")
    story = factory.LazyAttribute(lambda o: "داستان من " * 20 if o.branded else "")
    palette = factory.LazyAttribute(lambda o: CURATED[0] if o.branded else None)
    status = "draft"

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        shop = shops.create_shop(_in_session(kwargs["owner"]), kwargs["name"], kwargs["craft"], kwargs["neighbourhood"])
        if kwargs["tagline"] or kwargs["story"]:
            shops.update_story(shop, kwargs["tagline"], kwargs["story"], {})
        if kwargs["palette"] is not None:
            shops.set_palette(shop, kwargs["palette"].palette, kwargs["palette"].code)
        shop.status = kwargs["status"]
        session.flush()
        return shop


class ProductFactory(ModelFactory):
    """A product made by catalog.services.create_product (title, slug, price, tags and kind follow
    the catalogue's rules) in `shop` (a new draft shop unless given). `category` is a slug, or give
    `kind` for a typical category of that kind. `status` is set directly (a published one gets its
    published_at). `photos=n` adds n distinct photos through the real upload pipeline."""

    class Meta:
        model = Product

    class Params:
        kind = None

    shop = factory.SubFactory(ShopFactory)
    title = factory.Sequence(lambda n: f"کالای دست‌ساز {n + 1}")
    description = ""
    title_en = ""
    description_en = ""
    category = factory.LazyAttribute(lambda o: KIND_CATEGORY[o.kind] if o.kind else "leather")
    price_toman = 100_000
    stock = 3
    made_to_order = False
    lead_time_days = factory.LazyAttribute(lambda o: 7 if o.made_to_order else None)
    weight_g = None
    materials = ""
    tags = ""
    photos = 0
    status = "draft"
    published_at = factory.LazyAttribute(lambda o: utcnow() if o.status == "published" else None)

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        data = catalog.ProductData(
            title=kwargs["title"],
            description=kwargs["description"],
            category_id=category_id(kwargs["category"]),
            price_toman=kwargs["price_toman"],
            stock=kwargs["stock"],
            made_to_order=kwargs["made_to_order"],
            lead_time_days=kwargs["lead_time_days"],
            weight_g=kwargs["weight_g"],
            materials=kwargs["materials"],
            tags=kwargs["tags"],
            title_en=kwargs["title_en"],
            description_en=kwargs["description_en"],
        )
        product = catalog.create_product(_in_session(kwargs["shop"]), data)
        for shade in range(kwargs["photos"]):  # before the status: a photo sends a published one to review
            stored, tips = uploaded_photo(shade_photo_bytes(shade))
            catalog.add_photo(product, stored, tips, product.shop.owner)
        product.status = kwargs["status"]
        product.published_at = kwargs["published_at"]
        session.flush()
        return product


class FairFactory(ModelFactory):
    """A fair made by bazaar.services.create_fair: by default its applications are open now (opened
    a day ago, close in 7 days) and the fair runs from day 10 to day 12, 10:00 to 18:00 Tehran time.
    `status` is set directly (applications_open unless given); `booths=n` adds one zone «A» with n
    booths in a row (A-01 …, the first with power)."""

    class Meta:
        model = BazaarEvent

    title = factory.Sequence(lambda n: f"بازارچه آزمایشی {n + 1}")
    venue_name = "مرکز توانمندسازی گلشهر"
    venue_address = "مشهد، گلشهر، خیابان شهید مطهری"
    map_url = "https://www.openstreetmap.org/#map=17/36.30/59.65"
    starts_at = factory.LazyFunction(lambda: _tehran_day(10, "10:00"))
    ends_at = factory.LazyFunction(lambda: _tehran_day(12, "18:00"))
    applications_open_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=1))
    applications_close_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=7))
    places = 10
    first_timer_percent = 30
    min_products = 3
    max_products = 12
    booth_fee_rial = 0
    food_requires_verified = True
    blind_review = False
    quotas: dict = {}
    status = "applications_open"
    booths = 0
    creator = factory.SubFactory(UserFactory, roles=frozenset({"staff"}))

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        data = planning.FairData(
            title=kwargs["title"],
            venue_name=kwargs["venue_name"],
            venue_address=kwargs["venue_address"],
            map_url=kwargs["map_url"],
            starts_at=kwargs["starts_at"],
            ends_at=kwargs["ends_at"],
            applications_open_at=kwargs["applications_open_at"],
            applications_close_at=kwargs["applications_close_at"],
            booth_fee_rial=kwargs["booth_fee_rial"],
            places=kwargs["places"],
            first_timer_percent=kwargs["first_timer_percent"],
            min_products=kwargs["min_products"],
            max_products=kwargs["max_products"],
            food_requires_verified=kwargs["food_requires_verified"],
            blind_review=kwargs["blind_review"],
            quotas=dict(kwargs["quotas"]),
        )
        fair = planning.create_fair(data, _in_session(kwargs["creator"]))
        if kwargs["booths"]:
            zone = Zone(name="A", position=0)
            fair.zones.append(zone)
            for number in range(1, kwargs["booths"] + 1):
                fair.booths.append(
                    Booth(zone=zone, code=f"A-{number:02d}", row=0, col=number - 1, has_power=number == 1)
                )
        fair.status = kwargs["status"]
        session.flush()
        return fair


def _tehran_day(days_ahead: int, clock: str):
    """Tehran wall-clock `clock` on the day `days_ahead` days from now, as aware UTC."""
    day = (utcnow().astimezone(TEHRAN) + timedelta(days=days_ahead)).date()
    return fair_services.tehran_moment(day, clock)


class ApplicationFactory(ModelFactory):
    """An application to `fair` by `shop` (an approved shop with `products` published products of
    `kind`, made here unless `items` lists the products), written directly with its status
    (submitted unless given); first_timer True unless given."""

    class Meta:
        model = Application

    fair = factory.SubFactory(FairFactory)
    shop = factory.SubFactory(ShopFactory, status="approved")
    kind = "handicraft"
    products = 3
    items = None
    status = "submitted"
    first_timer = True
    needs_power = False
    note = ""

    @classmethod
    def _save(cls, model_class, session, args, kwargs):
        shop = _in_session(kwargs["shop"])
        items = kwargs["items"] or [
            ProductFactory(shop=shop, kind=kwargs["kind"], status="published") for _ in range(kwargs["products"])
        ]
        application = Application(
            fair=_in_session(kwargs["fair"]),
            shop=shop,
            status=kwargs["status"],
            first_timer=kwargs["first_timer"],
            needs_power=kwargs["needs_power"],
            note=kwargs["note"],
            category_id=items[0].category.top.id,
        )
        application.items = [ApplicationProduct(product=_in_session(product)) for product in items]
        session.add(application)
        session.flush()
        return application


# ---------------------------------------------------------------- files a test uploads


def photo_bytes(size=(1200, 900), colour=(180, 60, 40), fmt="JPEG", exif=None) -> bytes:
    """A photo-like test image: a coloured field with stripes (real edges, so it is not 'blurry')."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 40):
        draw.rectangle((x, 0, x + 12, size[1]), fill=(240, 220, 180))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **({"exif": exif} if exif else {}))
    return buffer.getvalue()


def shade_photo_bytes(shade: int) -> bytes:
    """A photo of its own shade (0–16), so photos of one product differ in content."""
    return photo_bytes(size=(800, 600), colour=((40 + 12 * shade) % 256, 80, 120))


def stored_photo(shade: int = 0) -> dict:
    """The stored form (key, size, variants) of a real photo put through the upload pipeline."""
    return uploaded_photo(shade_photo_bytes(shade))[0]


def uploaded_photo(data: bytes) -> tuple[dict, list[str]]:
    """(stored, tips) of a photo put through the upload pipeline the product page uses: checked,
    cleaned and stored as WebP variants in the app's uploads folder (inside an app context)."""
    limits = upload_limits(current_app.config)
    image = load_upload(
        io.BytesIO(data),
        max_bytes=limits["max_bytes"],
        max_pixels=limits["max_pixels"],
        draft_width=max(limits["widths"]),
    )
    stored = store_variants(image, upload_dir(current_app), limits["widths"])
    return stored.as_dict(), catalog.photo_tips(image)


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
