"""The /search page, the JSON API, its OpenAPI document, the search log and /healthz."""

import os
import re
import shutil

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.search import fallback, index
from marketplace.search.models import SearchLog
from tests.conftest import statements
from tests.factories import ProductFactory, ShopFactory, category_id
from tests.search.conftest import indexed_ids, synced


@pytest.fixture
def shelf(app, make):
    shop = make(ShopFactory, name="چرم مریم", neighbourhood="گلشهر", status="approved")
    ids = {
        "bag": make(
            ProductFactory,
            shop=shop,
            title="کیف چرمی دست‌دوز زنانه",
            price_toman=850_000,
            description="چرم طبیعی",
            status="published",
        ).id,
        "belt": make(ProductFactory, shop=shop, title="کمربند چرمی", price_toman=300_000, status="published").id,
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
def test_hostile_queries_answer_with_no_more_work_than_a_real_one(app, client, shelf, text):
    # The time they take is measured by bench/hostile.py; here, the database work is counted.
    # the page ignores malformed parameters; the API refuses them (400, tests/api), so it gets the text alone
    for path, junk in (
        ("/search", {"page": "x", "min_price": "abc", "sort": "evil"}),
        ("/api/v1/search", {}),
        ("/api/v1/autocomplete", {}),
    ):
        client.get(path, query_string={"q": "گلیم"})  # any catching up with the change log happens here
        with statements(app) as real:
            assert client.get(path, query_string={"q": "کیف چرمی", **junk}).status_code == 200, path
        with statements(app) as hostile:
            response = client.get(path, query_string={"q": text, **junk})
        assert response.status_code == 200, path
        assert len(hostile) <= len(real), (path, hostile)


def test_api_search_shape(client, shelf):
    response = client.get("/api/v1/search", query_string={"q": "کیف", "max_price": "۹۰۰٬۰۰۰", "sort": "price_asc"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["suggestion"] is None
    (hit,) = body["results"]
    assert set(hit) == {"id", "title", "title_en", "url", "price_rial", "shop", "thumbnail"}
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


def test_page_answers_from_the_database_without_an_index(app, client, shelf, search_index_folder):
    """A lost index: search answers from the database and /healthz reports it; neither rebuilds it
    (requests stay fast); the worker's rebuild_index_if_needed() does."""
    real = os.path.realpath(search_index_folder)
    os.unlink(search_index_folder)
    shutil.rmtree(real)
    app.extensions.pop("search_index", None)
    app.extensions.pop("search_searcher", None)
    html = client.get("/search", query_string={"q": "کیف"}).get_data(as_text=True)
    assert f"/p/{shelf['bag']}/" in html and 'class="notice"' in html
    assert client.get("/api/v1/search", query_string={"q": "کیف"}).get_json()["total"] == 1
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["checks"]["search"]["ok"] is False
    assert not os.path.lexists(search_index_folder)  # nothing in the request path rebuilt it

    with app.app_context():
        assert index.rebuild_index_if_needed(app) is True
    checks = client.get("/healthz").get_json()["checks"]
    assert checks["search"]["ok"] is True  # (search_queries stays degraded a while: queries fell back)
    assert indexed_ids(app) == {shelf["bag"], shelf["belt"]}


def test_healthz_reports_search(client, shelf):
    response = client.get("/healthz")
    assert response.status_code == 200
    check = response.get_json()["checks"]["search"]
    assert check["ok"] is True and check["documents"] == 3 and check["lag"] == 0


def test_healthz_is_degraded_while_queries_fall_back_to_the_database(app, client, shelf, search_index_folder):
    assert client.get("/healthz").get_json()["checks"]["search_queries"]["ok"] is True
    real = os.path.realpath(search_index_folder)
    os.unlink(search_index_folder)
    shutil.rmtree(real)
    app.extensions.pop("search_index", None)
    app.extensions.pop("search_searcher", None)
    with index.index_lock(app):  # another worker is rebuilding: queries answer from the database
        body = client.get("/api/v1/search", query_string={"q": "کیف"}).get_json()
        assert [hit["id"] for hit in body["results"]] == [shelf["bag"]]
        assert client.get("/api/v1/autocomplete", query_string={"q": "کمر"}).get_json()["products"] == []
    # the index is back (rebuilt by the worker), but queries fell back a moment ago
    with app.app_context():
        index.rebuild(app)
    assert client.get("/api/v1/search", query_string={"q": "کمربند"}).get_json()["total"] == 1
    health = client.get("/healthz")
    checks = health.get_json()["checks"]
    assert health.status_code == 503 and health.get_json()["status"] == "degraded"
    assert checks["search"]["ok"] is True
    queries = checks["search_queries"]
    assert queries["ok"] is False and queries["fallbacks_recently"] == 2
    assert queries["last_fallback"]["what"] == "autocomplete"
    assert queries["last_fallback"]["reason"].startswith("index ")  # "index rebuilding" or "index missing"
    # once the window has passed without another fallback, healthy again (the last one stays visible)
    times = app.extensions["search_fallbacks"]["times"]
    times.extend([moment - fallback.FALLBACK_WINDOW - 1 for moment in [times.popleft() for _ in range(len(times))]])
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["checks"]["search_queries"]["last_fallback"]["what"] == "autocomplete"


def test_a_request_that_changes_products_syncs_after_its_response(app, client, make_user, login, make):
    from marketplace.search.models import SearchChange
    from tests.conftest import post_form

    producer = make_user(roles={"producer"})
    make(ShopFactory, owner=producer, name="کارگاه تازه", craft="چرم", status="approved")
    with app.app_context():
        leather = category_id("leather")
    synced(app)
    login(producer)
    form = {"title": "کیف کوچک", "category_id": str(leather), "price_toman": "۱۵۰٬۰۰۰", "stock": "1", "description": ""}
    response = post_form(client, "/dashboard/products/new", form, token_from="/dashboard/products/new")
    assert response.status_code == 302
    response.close()  # a real server closes the response once sent: then the index catches up
    with app.app_context():
        newest = db.session.scalar(select(db.func.max(SearchChange.id)))
        assert index.status(app) == {**index.status(app), "ok": True, "lag": 0, "last_change": newest}


def test_a_failing_log_write_never_breaks_anything(app, caplog):
    from marketplace.search.logs import write_log

    def logged():
        with app.app_context():
            return db.session.execute(select(SearchLog.id, SearchLog.query).order_by(SearchLog.id)).all()

    row = {"raw_length": 4, "filters": {}, "result_count": 0, "session_hash": "s1"}
    write_log(app, {**row, "query": "کیف"})
    ((first_id, _),) = logged()
    write_log(app, {**row, "id": first_id, "query": "شال"})  # the same id again: this insert fails
    assert "could not write the search log" in caplog.text  # logged, not raised
    assert [query for _, query in logged()] == ["کیف"]  # nothing half-written
    write_log(app, {**row, "query": "گلیم"})  # the failure left no broken session behind
    assert [query for _, query in logged()] == ["کیف", "گلیم"]


def test_autocomplete_script_is_loaded_deferred(client):
    html = client.get("/search").get_data(as_text=True)
    # modules are deferred; the name carries the file's content hash (core/assets.py)
    assert re.search(r'<script type="module" src="/static/js/autocomplete\.[0-9a-f]{10}\.js"></script>', html)


def test_search_results_fetch_the_first_photo_first_sized_beside_the_facets(app, client, make):
    shop = make(ShopFactory, name="چرم مریم", status="approved")
    for n in range(5):
        make(ProductFactory, shop=shop, title=f"کیف چرمی {n + 1}", photos=1, status="published")
    synced(app)

    html = client.get("/search", query_string={"q": "کیف چرمی"}).get_data(as_text=True)

    assert 'class="search-facets"' in html
    cards = re.findall(r'<li class="product-card">.*?<img([^>]*)>', html, re.S)
    assert len(cards) == 5
    assert 'fetchpriority="high"' in cards[0] and "loading=" not in cards[0]
    assert "loading=" not in cards[3] and 'loading="lazy"' in cards[4]
    assert all("fetchpriority" not in card for card in cards[1:])
    # four columns beside the 15rem facets from 48rem; on phones the facets go below the results
    sizes = 'sizes="(min-width: 68rem) 194px, (min-width: 48rem) calc(25vw - 78px), calc(50vw - 20px)"'
    assert all(sizes in card and 'width="800" height="600"' in card for card in cards)
