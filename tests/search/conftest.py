"""Search fixtures: a fresh index folder per test, and quick factories for shops and products.

The test database is rolled back after each test (and SQLite reuses ids then), so every test
gets its own index directory; sync and rebuild are called explicitly where a test needs them."""

import itertools

import pytest
from sqlalchemy import select

from marketplace.catalog import services as catalog
from marketplace.catalog.models import Category, Product
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.search import index
from marketplace.shops import services as shops
from marketplace.shops.models import Shop

_names = itertools.count(1)


@pytest.fixture(autouse=True)
def search_index_folder(request, tmp_path):
    """Point the app at an index folder of this test's own (tests without the app, such as the
    multi-process ones on their own database, are left alone)."""
    if "app" not in request.fixturenames:
        yield None
        return
    app = request.getfixturevalue("app")
    before = app.config["SEARCH_INDEX_FOLDER"]
    app.config["SEARCH_INDEX_FOLDER"] = str(tmp_path / "search-index")
    app.extensions.pop("search_index", None)
    app.extensions.pop("search_searcher", None)
    app.extensions.pop("search_fallbacks", None)
    yield tmp_path / "search-index"
    app.config["SEARCH_INDEX_FOLDER"] = before
    app.extensions.pop("search_index", None)
    app.extensions.pop("search_searcher", None)
    app.extensions.pop("search_fallbacks", None)


def category_id(slug: str) -> int:
    return db.session.scalar(select(Category.id).where(Category.slug == slug))


@pytest.fixture
def make_shop(app, make_user):
    """make_shop(name, neighbourhood, status) → shop id (committed)."""

    def build(name=None, neighbourhood="گلشهر", status="approved"):
        user = make_user(roles={"producer"})
        with app.app_context():
            owner = db.session.merge(user)
            shop = shops.create_shop(owner, name or f"کارگاه {next(_names)}", "دستی", neighbourhood)
            shop.status = status
            db.session.commit()
            return shop.id

    return build


@pytest.fixture
def make_product(app):
    """make_product(shop_id, title, …) → product id: published unless status says otherwise (committed)."""

    def build(
        shop_id,
        title,
        category="leather",
        price_toman=100_000,
        stock=3,
        status="published",
        description="",
        made_to_order=False,
        tags="",
    ):
        with app.app_context():
            shop = db.session.get(Shop, shop_id)
            data = catalog.ProductData(
                title=title,
                description=description,
                category_id=category_id(category),
                price_toman=price_toman,
                stock=stock,
                made_to_order=made_to_order,
                lead_time_days=7 if made_to_order else None,
                tags=tags,
            )
            product = catalog.create_product(shop, data)
            product.status = status
            if status == "published":
                product.published_at = utcnow()
            db.session.commit()
            return product.id

    return build


def indexed_ids(app, kind="product") -> set[int]:
    """The ids of the documents of `kind` in the index."""
    ix = index.open_index(app)
    with ix.searcher() as searcher:
        return {fields["pk"] for fields in searcher.all_stored_fields() if fields.get("kind") == kind}


def public_ids(app) -> set[int]:
    """The ids of the products buyers may see, according to the database."""
    with app.app_context():
        statement = select(Product.id).join(Shop).where(Product.status == "published", Shop.status == "approved")
        return set(db.session.scalars(statement))


def synced(app) -> int:
    with app.app_context():
        return index.sync(app)
