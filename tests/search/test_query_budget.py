"""The search page's query budget (issue 12): at most three queries besides the index (every
category, the newest change-log id, the page's products with shops and photos, or the popular
searches when nothing is found), the same whatever the data. The search log row is written after
the response in its own transaction and is not counted. Counted with the page cache off."""

import pytest

from tests.conftest import statements
from tests.rich_store import build, grow, queries
from tests.search.conftest import synced

SEARCH = 3
SEARCHES = (
    "/search?q=ترشی",
    "/search?q=ترشی&category=home-food&in_stock=1&sort=price_asc",
    "/search?q=ترشی خانگی&made_to_order=1",
    "/search?category=pickles",
    "/search?q=هواپیما",
)


@pytest.fixture(autouse=True)
def page_cache_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENABLED", False)


def measure(app, client) -> dict[str, list[str]]:
    synced(app)
    counted = {}
    for path in SEARCHES:
        client.get(path)
        with statements(app) as ran:
            response = client.get(path)
        assert response.status_code == 200, path
        counted[path] = queries(ran)
    return counted


def test_search_runs_at_most_three_queries_whatever_the_data(app, client):
    quarter = build(app)
    few = measure(app, client)
    grow(app, quarter, by=8)
    many = measure(app, client)
    for path in SEARCHES:
        assert len(many[path]) == len(few[path]) <= SEARCH, (path, many[path])
    page = client.get(SEARCHES[0]).get_data(as_text=True)
    assert page.count('class="product-card"') == 20 and 'class="search-facets"' in page
    assert "ترشی خانگی توس" in page.split('class="search-facets"', 1)[1]  # a shop facet, named from the index
