"""A workshop quarter with everything the public pages show, for the query-budget tests: a food
product with option combinations, photos, a verified licence (a badge), reviews with answers,
more products of its shop and of its category (some made to order, some sold out), several
approved shops with logos and palettes. `grow(app, quarter)` adds more of each, so a test can check
that a page runs the same statements whatever the amount of data.

Rows are made through the services (tests/factories.py, orders' checkout and reviews), committed
in savepoints of the test's transaction."""

import re
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from marketplace.accounts.models import User
from marketplace.branding.palette import CURATED
from marketplace.catalog.models import Product, ProductImage, ProductVariant
from marketplace.core.images import upload_limits
from marketplace.extensions import db
from marketplace.orders import cart as carts
from marketplace.orders import checkout, reviews, services
from marketplace.registration import services as registration
from marketplace.shops import services as shops
from marketplace.shops.models import Shop
from tests.factories import ProductFactory, ShopFactory, UserFactory, stored_photo

# SQL that is transaction control, not a query (the tests' savepoints, SQLite's BEGIN).
_CONTROL = re.compile(r"\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)\b", re.IGNORECASE)


def queries(ran: list[str]) -> list[str]:
    """The statements of `ran` that ask the database something (transaction control left out)."""
    return [statement for statement in ran if not _CONTROL.match(statement)]


@dataclass
class Quarter:
    """Ids and addresses of what was made (the rows belong to another app context)."""

    product_id: int
    product_url: str
    shop_id: int
    shop_url: str
    staff_id: int
    buyer_phone: str
    size: int = 0
    photos: list[dict] = field(default_factory=list)


def _photo(quarter: Quarter, n: int) -> dict:
    """One of a few real stored photos (made once per quarter: the pipeline is slow)."""
    while len(quarter.photos) <= n % 3:
        quarter.photos.append(stored_photo(len(quarter.photos)))
    return quarter.photos[n % 3]


def _branded_shop(quarter: Quarter | None, **fields) -> Shop:
    shop = ShopFactory(status="approved", palette=CURATED[1], tagline="دست‌ساز", **fields)
    shops.set_logo(shop, {192: f"logos/{shop.id}-192.png", 512: f"logos/{shop.id}-512.png"}, "upload")
    return shop


def _product(quarter: Quarter, shop: Shop, n: int, **fields) -> Product:
    fields.setdefault("made_to_order", n % 3 == 0)
    fields.setdefault("stock", 0 if n % 4 == 1 else 5)
    product = ProductFactory(shop=shop, kind="food", status="published", tags="ترشی، خانگی", **fields)
    for position in range(2):
        product.images.append(ProductImage(position=position, stored=_photo(quarter, n + position), tips=[]))
    return product


def _review(buyer: User, product: Product, rating: int, reply: str) -> None:
    """A delivered order of `product` by `buyer`, reviewed (and answered when `reply`)."""
    cart = carts.open_cart(user_id=buyer.id, token=None)
    variant = max(product.variants, key=lambda v: v.stock).id if product.variants else None
    carts.add_item(cart, product.id, variant, 1, max_line=20)
    choice = checkout.CheckoutChoice({product.shop_id: "pickup_centre"}, "centre", None)
    order = checkout.place_order(current_app, buyer, cart, choice).orders[0]
    services.accept(order, actor_id=product.shop.owner_id, expected_ship_date=None)
    services.ship(order, actor_id=product.shop.owner_id, carrier="", tracking_code="")
    services.deliver(order, actor_id=buyer.id)
    review = reviews.add_review(order, order.items[0], buyer_id=buyer.id, rating=rating, body="خیلی خوب بود")
    if reply:
        reviews.reply(review, "ممنون از شما")


def build(app) -> Quarter:
    """The quarter at its smallest: each kind of thing once."""
    with app.app_context():
        staff = UserFactory(roles={"staff"})
        buyer = UserFactory(display_name="زهرا کریمی")
        shop = _branded_shop(None, name="ترشی خانگی توس", story="داستان ما " * 30)
        quarter = Quarter(0, "", shop.id, f"/shop/{shop.slug}", staff.id, buyer.phone)
        product = _product(quarter, shop, 1, stock=20, weight_g=500, materials="سرکه و سبزی", made_to_order=False)
        record = registration.submit_evidence(
            shop,
            "HB-1",
            number="1234",
            uploads_dir=Path(app.instance_path),
            limits=upload_limits(app.config),
        )
        registration.verify(record, staff)
        db.session.flush()
        quarter.product_id, quarter.product_url = product.id, f"/p/{product.id}/{product.slug}"
        db.session.commit()
    grow(app, quarter)
    return quarter


def grow(app, quarter: Quarter, by: int = 1) -> None:
    """Add `by` more of everything: reviews (half answered), option combinations, photos of the
    product, products of its shop and of its category in new shops, a verified product licence."""
    with app.app_context():
        product = db.session.get(Product, quarter.product_id)
        shop = product.shop
        staff = db.session.get(User, quarter.staff_id)
        for _ in range(by):
            n = quarter.size = quarter.size + 1
            _review(UserFactory(display_name=f"خریدار {n}"), product, 1 + n % 5, "yes" if n % 2 else "")
            product.option1_name = "وزن"
            product.variants.append(ProductVariant(value1=f"{n} کیلو", stock=n + 5, price_delta_rial=n * 10_000))
            product.images.append(ProductImage(position=len(product.images), stored=_photo(quarter, n), tips=[]))
            _product(quarter, shop, n)
            _product(quarter, _branded_shop(quarter), n)
            _product(quarter, _branded_shop(quarter), n + 1, category="pickles")
            if quarter.size == 2:  # a second licence, of the product itself
                record = registration.submit_evidence(
                    shop,
                    "FD-1",
                    product,
                    number="5678",
                    uploads_dir=Path(app.instance_path),
                    limits=upload_limits(app.config),
                )
                registration.verify(record, staff)
        db.session.commit()
