"""The home page's query budget (issue 12): four queries whatever the data (the top categories
with the producer count, the newest products with their shops and photos, the workshops of the
day, and the fairs not over yet for the next fair's card — issue 13), counted with the page cache
off on a quarter that then grows (tests/rich_store.py)."""

import pytest

from tests.conftest import statements
from tests.rich_store import build, grow, queries

HOME = 4


@pytest.fixture(autouse=True)
def page_cache_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENABLED", False)


def measure(app, client) -> tuple[list[str], str]:
    client.get("/")
    with statements(app) as ran:
        response = client.get("/")
    assert response.status_code == 200
    return queries(ran), response.get_data(as_text=True)


def test_home_page_runs_four_queries_whatever_the_data(app, client):
    quarter = build(app)
    few, small = measure(app, client)
    grow(app, quarter, by=4)
    many, rich = measure(app, client)
    assert len(many) == len(few) <= HOME, many
    assert small.count('class="product-card"') == 4 and rich.count('class="product-card"') == 8
    assert small.count('class="featured-shop ') == 3 and rich.count('class="featured-shop ') == 6
    assert "home workshops sell here" in rich or "کارگاه" in rich
