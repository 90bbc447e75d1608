"""Anonymous searches and the JSON API set no cookie: nothing to consent to, and caches may share them."""

import pytest

from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced


@pytest.fixture
def shelf(make, app):
    shop = make(ShopFactory, name="چرم مریم", neighbourhood="گلشهر", status="approved")
    make(ProductFactory, shop=shop, title="کیف چرمی دست‌دوز", status="published")
    synced(app)


@pytest.mark.parametrize(
    "path",
    [
        "/search?q=کیف",
        "/search?q=کیفف",  # the typo fallback ("did you mean")
        "/search?q=",
        "/search?q=چرم&sort=price_asc&page=2",
        "/api/v1/search?q=کیف",
        "/api/v1/autocomplete?q=کی",
        "/api/v1/openapi.json",
    ],
)
def test_anonymous_search_sets_no_cookie(app, shelf, path):
    client = app.test_client()
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers.getlist("Set-Cookie") == []


def test_language_switch_works_from_a_cookie_free_page(app, shelf):
    """The footer's language form on /search carries no CSRF token (that would need a session);
    a visitor without a session may switch, and her page comes back in English."""
    client = app.test_client()
    html = client.get("/search?q=کیف").get_data(as_text=True)
    footer = html.split('class="locale-switch"', 1)[1].split("</form>", 1)[0]
    assert "csrf_token" not in footer
    response = client.post("/locale", data={"locale": "en", "next": "/search?q=کیف"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/search?q=کیف").get_data(as_text=True)


def test_language_switch_checks_csrf_once_there_is_a_session(app):
    client = app.test_client()
    client.get("/login")  # the login form's CSRF token starts a session
    assert client.post("/locale", data={"locale": "en", "next": "/"}).status_code == 400
    html = client.get("/").get_data(as_text=True)
    assert 'name="csrf_token"' in html.split('class="locale-switch"', 1)[1].split("</form>", 1)[0]
