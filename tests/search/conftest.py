"""Search fixtures: a fresh index folder per test, and what the index and the database hold
(rows are made with tests/factories.py).

The test database is rolled back after each test (and SQLite reuses ids then), so every test
gets its own index directory; sync and rebuild are called explicitly where a test needs them."""

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.search import index
from marketplace.shops.models import Shop


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
