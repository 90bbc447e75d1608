"""The search log keeps the reading of a query typed in Latin letters (SearchResult.reading), from the
/search page, the API and the page cache alike."""

import pytest
from sqlalchemy import select

from marketplace.extensions import db
from marketplace.search.models import SearchLog
from tests.conftest import statements
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced


@pytest.fixture
def rosewater(app, make):
    shop = make(ShopFactory, name="گلاب قمصر", status="approved")
    make(ProductFactory, shop=shop, title="گلاب دو آتشه", category="dried-herbs", status="published")
    make(ProductFactory, shop=shop, title="عرق بیدمشک", category="dried-herbs", status="published")
    synced(app)


def logged(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(row.query, row.reading) for row in db.session.scalars(select(SearchLog).order_by(SearchLog.id))]


def test_the_page_and_the_api_log_the_reading(app, rosewater):
    client = app.test_client()
    client.get("/search", query_string={"q": "Araq  Bidmeshk"}).close()
    client.get("/api/v1/search", query_string={"q": "rosewater"}).close()
    client.get("/search", query_string={"q": "گلاب"}).close()
    assert logged(app) == [("araq bidmeshk", "عرق بیدمشک"), ("rosewater", "گلاب"), ("گلاب", "")]


def test_a_search_served_from_the_page_cache_logs_its_reading_too(app, rosewater):
    visitor = app.test_client()
    first = visitor.get("/search", query_string={"q": "golab"})
    first.close()  # the log row is written once the response is sent
    with statements(app) as ran:
        second = visitor.get("/search", query_string={"q": "golab"})
        answered = [statement for statement in ran if "search_log" not in statement]
    second.close()
    assert second.get_data() == first.get_data() and not any("product" in s for s in answered)  # from the cache
    assert logged(app) == [("golab", "گلاب"), ("golab", "گلاب")]
