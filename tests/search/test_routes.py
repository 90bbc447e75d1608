"""The /search page, the JSON API, its OpenAPI document, the search log and /healthz."""

import os
import shutil
import time

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.search import index
from marketplace.search.models import SearchLog
from tests.search.conftest import indexed_ids, synced


@pytest.fixture
def shelf(app, make_shop, make_product):
    shop_id = make_shop("چرم مریم", neighbourhood="گلشهر")
    ids = {
        "bag": make_product(shop_id, "کیف چرمی دست‌دوز زنانه", price_toman=850_000, description="چرم طبیعی"),
        "belt": make_product(shop_id, "کمربند چرمی", price_toman=300_000),
    }
    synced(app)
    return ids


def test_search_page_lists_results_with_facets(client, shelf):
    response = client.get("/search", query_string={"q": "کیف چرمی"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>کیف</mark>" in html and f"/p/{shelf['bag']}/" in html
    assert 'class="search-facets"' in html and "گلشهر" in html
    assert 'name="sort"' in html and "<script>" not in html.split("</header>", 1)[1].split("<footer", 1)[0]


def test_search_page_without_javascript_filters_are_links(client, shelf):
    html = client.get("/search?q=چرمی").get_data(as_text=True)
    assert "/search?q=%D9%86%D8%A7" not in html  # sanity: links are built from the params
    assert "neighbourhood=%DA%AF%D9%84%D8%B4%D9%87%D8%B1" in html  # the neighbourhood facet is a link


def test_search_page_did_you_mean(client, shelf):
    html = client.get("/search", query_string={"q": "کیپ چرمی"}).get_data(as_text=True)
    assert "search-suggestion" in html


def test_empty_state_offers_categories(client, shelf):
    html = client.get("/search", query_string={"q": "هواپیما"}).get_data(as_text=True)
    assert "search-empty" in html and "/c/handicrafts" in html


def test_empty_query_page(client):
    response = client.get("/search")
    assert response.status_code == 200 and "search-empty" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text",
    ["x" * 10_000, "!!!؟؟،،...", '")(*', "AND OR NOT", "title:کیف*", "😀🧶", "\x00\x01\x1f\x7f", "%_\\", "~~~~2"],
)
def test_hostile_queries_answer_fast(client, shelf, text):
    for path in ("/search", "/api/v1/search", "/api/v1/autocomplete"):
        started = time.perf_counter()
        response = client.get(path, query_string={"q": text, "page": "x", "min_price": "abc", "sort": "evil"})
        assert response.status_code == 200, path
        assert time.perf_counter() - started < 2


def test_api_search_shape(client, shelf):
    response = client.get("/api/v1/search", query_string={"q": "کیف", "max_price": "۹۰۰٬۰۰۰", "sort": "price_asc"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["suggestion"] is None
    (hit,) = body["results"]
    assert set(hit) == {"id", "title", "url", "price_rial", "shop", "thumbnail"}
    assert hit["id"] == shelf["bag"] and hit["price_rial"] == 8_500_000
    assert hit["shop"] == {"slug": "چرم-مریم", "name": "چرم مریم"}
    assert set(body["facets"]) == {"category", "shop", "neighbourhood", "price", "availability"}


def test_api_autocomplete(client, shelf):
    body = client.get("/api/v1/autocomplete", query_string={"q": "کمر"}).get_json()
    assert [p["id"] for p in body["products"]] == [shelf["belt"]]
    assert body["products"][0]["url"].startswith(f"/p/{shelf['belt']}/")
    assert set(body) == {"products", "categories", "shops"}


def test_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert {"/search", "/autocomplete"} <= set(document["paths"])
    names = {p["name"] for p in document["paths"]["/search"]["get"]["parameters"]}
    assert {"q", "category", "neighbourhood", "min_price", "max_price", "in_stock", "sort", "page"} <= names


def test_searches_are_logged_anonymously(app, client, shelf):
    # the row is written when the server closes the response (after it was sent)
    client.get("/search", query_string={"q": "  كيف  ", "category": "leather"}).close()
    client.get("/api/v1/search", query_string={"q": "هواپیما"}).close()
    with app.app_context():
        rows = db.session.scalars(select(SearchLog).order_by(SearchLog.id)).all()
    assert [(r.query, r.result_count) for r in rows] == [("کیف", 1), ("هواپیما", 0)]
    assert rows[0].filters == {"category": "leather"} and rows[0].raw_length == 7
    assert len(rows[0].session_hash) == 32 and rows[0].session_hash == rows[1].session_hash


def test_a_change_committed_elsewhere_reaches_the_index_at_the_next_search(app, client, shelf):
    with app.app_context():
        db.session.get(Product, shelf["belt"]).status = "archived"
        db.session.commit()
    # any search catches up with changes committed elsewhere (here: outside a request)
    body = client.get("/api/v1/search", query_string={"q": "کمربند"}).get_json()
    assert body["total"] == 0
    assert indexed_ids(app) == {shelf["bag"]}


def test_page_answers_from_the_database_without_an_index(app, client, shelf, search_index_folder, monkeypatch):
    real = os.path.realpath(search_index_folder)
    os.unlink(search_index_folder)
    shutil.rmtree(real)
    app.extensions.pop("search_index", None)
    app.extensions.pop("search_searcher", None)

    def busy(*_args, **_kwargs):
        raise index.LockTimeout("another worker is rebuilding")

    monkeypatch.setattr(index, "rebuild", busy)
    monkeypatch.setattr(index, "_rebuild_locked", busy)
    html = client.get("/search", query_string={"q": "کیف"}).get_data(as_text=True)
    assert f"/p/{shelf['bag']}/" in html and 'class="notice"' in html
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["checks"]["search"]["ok"] is False


def test_healthz_reports_search(client, shelf):
    response = client.get("/healthz")
    assert response.status_code == 200
    check = response.get_json()["checks"]["search"]
    assert check["ok"] is True and check["documents"] == 3 and check["lag"] == 0


def test_a_request_that_changes_products_syncs_after_its_response(app, client, make_user, login):
    from marketplace.catalog.models import Category
    from marketplace.search.models import SearchChange
    from marketplace.shops import services as shops
    from tests.conftest import post_form

    producer = make_user(roles={"producer"})
    with app.app_context():
        shop = shops.create_shop(db.session.merge(producer), "کارگاه تازه", "چرم", "گلشهر")
        shop.status = "approved"
        db.session.commit()
        leather = db.session.scalar(select(Category.id).where(Category.slug == "leather"))
    synced(app)
    login(producer)
    form = {"title": "کیف کوچک", "category_id": str(leather), "price_toman": "۱۵۰٬۰۰۰", "stock": "1", "description": ""}
    response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
    assert response.status_code == 302
    response.close()  # a real server closes the response once sent: then the index catches up
    with app.app_context():
        newest = db.session.scalar(select(db.func.max(SearchChange.id)))
        assert index.status(app) == {**index.status(app), "ok": True, "lag": 0, "last_change": newest}


def test_a_failing_log_write_never_breaks_anything(app):
    from marketplace.search.logs import write_log

    write_log(app, {"query": None, "raw_length": 0, "filters": {}, "result_count": 0, "session_hash": ""})


def test_autocomplete_script_is_loaded_deferred(client):
    html = client.get("/search").get_data(as_text=True)
    assert '<script type="module" src="/static/js/autocomplete.js"></script>' in html  # modules are deferred
