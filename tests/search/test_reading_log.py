"""The search log keeps the reading of a query typed in Latin letters (SearchResult.reading), from the
/search page, the API and the page cache alike, normalised like the query."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.search import query
from marketplace.search.models import SearchLog
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced


@pytest.fixture
def read_as(app, make, monkeypatch):
    """Searches answer as usual, with the reading set to what the test gives (the reading itself is
    the Latin search's work); returns a function setting it and the list of searches actually run."""
    shop = make(ShopFactory, name="گلاب قمصر", status="approved")
    make(ProductFactory, shop=shop, title="گلاب دو آتشه", status="published")
    synced(app)
    real, state = query.search, {"reading": "", "runs": 0}

    def search(*args, **kwargs):
        state["runs"] += 1
        return replace(real(*args, **kwargs), reading=state["reading"])

    monkeypatch.setattr(query, "search", search)
    return state


def logged(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(row.query, row.reading) for row in db.session.scalars(select(SearchLog).order_by(SearchLog.id))]


def test_the_page_and_the_api_log_the_reading_normalised(app, read_as):
    client = app.test_client()
    read_as["reading"] = "  عرق   بيدمشك "  # Arabic letters and stray spaces, as a reading never should be
    client.get("/search", query_string={"q": "Araq  Bidmeshk"}).close()
    read_as["reading"] = "گلاب"
    client.get("/api/v1/search", query_string={"q": "rosewater"}).close()
    read_as["reading"] = ""
    client.get("/search", query_string={"q": "گلاب"}).close()
    assert logged(app) == [("araq bidmeshk", "عرق بیدمشک"), ("rosewater", "گلاب"), ("گلاب", "")]


def test_a_search_served_from_the_page_cache_logs_its_reading_too(app, read_as):
    read_as["reading"] = "گلاب"
    visitor = app.test_client()
    for _ in range(2):
        visitor.get("/search", query_string={"q": "golab"}).close()
    assert read_as["runs"] == 1  # the second answer came from the cache
    assert logged(app) == [("golab", "گلاب"), ("golab", "گلاب")]


def test_a_reading_holding_personal_data_is_not_logged(app, read_as):
    read_as["reading"] = "علی ۰۹۱۵۱۲۳۴۵۶۷"
    app.test_client().get("/api/v1/search", query_string={"q": "ali"}).close()
    assert logged(app) == []
