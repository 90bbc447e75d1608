"""Query budgets of the public catalogue pages (issue 12): the product page, a category and a
storefront each run a fixed number of SQL statements whatever the data, counted on a rich quarter
(tests/rich_store.py) and again after it grew; lazy loading is off on them, so a template that
touches a relationship the page did not load fails instead of running a query per product.

Counted with the whole-page cache off (the uncached render); transaction control (BEGIN, the
tests' SAVEPOINTs) is not counted, nor the content version (`page_version`): a request reads it once
(core.pagecache.request_version), and with the cache on the cache reads it before any render, so it
is the cache's cost, not the page's (registration's requirement edits reuse that one read)."""

import re

import pytest
from flask import render_template_string
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy.exc import InvalidRequestError

from marketplace.catalog import services
from tests.conftest import statements
from tests.rich_store import build, grow, queries

PRODUCT, CATEGORY, STOREFRONT = 4, 3, 3
# signed in: + the user with her roles and unread count (one query), whether she saved it
PRODUCT_SIGNED_IN = PRODUCT + 2
CONTENT_VERSION = "SELECT version FROM page_version"
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture(autouse=True)
def page_cache_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_CACHE_ENABLED", False)


def measure(app, client, path: str) -> tuple[list[str], str]:
    """The queries one GET of `path` runs (after a first GET), and the page."""
    client.get(path)
    with statements(app) as ran:
        response = client.get(path)
    assert response.status_code == 200, path
    assert not [statement for statement in ran if WRITES.match(statement)], path
    return [q for q in queries(ran) if not q.startswith(CONTENT_VERSION)], response.get_data(as_text=True)


def cards(html: str, section: str) -> int:
    """How many product cards the page's section (its heading id) holds."""
    found = re.search(rf'aria-labelledby="{section}".*?</section>', html, re.S)
    return found.group(0).count('class="product-card"') if found else 0


def test_public_catalogue_pages_run_the_same_few_queries_whatever_the_data(app, client):
    quarter = build(app)
    pages = {"product": quarter.product_url, "category": "/c/pickles", "top category": "/c/home-food"}
    pages["storefront"] = quarter.shop_url
    budgets = {"product": PRODUCT, "category": CATEGORY, "top category": CATEGORY, "storefront": STOREFRONT}
    before = {name: measure(app, client, path) for name, path in pages.items()}
    grow(app, quarter, by=4)
    after = {name: measure(app, client, path) for name, path in pages.items()}

    for name, budget in budgets.items():
        assert len(after[name][0]) == len(before[name][0]) <= budget, (name, before[name][0], after[name][0])

    # the rich page shows it all: options, photos, licences, reviews, both "more" lists
    small, rich = before["product"][1], after["product"][1]
    assert rich.count('class="photo-frame"') > small.count('class="photo-frame"') > 1
    assert rich.count("<option value=") > small.count("<option value=") >= 1
    assert "دارای مجوز مشاغل خانگی" in small and "دارای مجوز بهداشت" in rich
    assert rich.count('class="review"') == 5 > small.count('class="review"') >= 1
    assert cards(small, "more-shop") == 1 and cards(rich, "more-shop") == 4
    assert cards(small, "more-category") == 2 and cards(rich, "more-category") == 4
    assert after["category"][1].count('class="product-card"') > before["category"][1].count('class="product-card"')
    assert after["storefront"][1].count('class="product-card"') == 6


def test_a_signed_in_buyers_product_page_has_a_fixed_budget_too(app, client, login, make_user):
    quarter = build(app)
    login(make_user())
    ran, _page = measure(app, client, quarter.product_url)
    grow(app, quarter, by=3)
    more, _page = measure(app, client, quarter.product_url)
    assert len(more) == len(ran) <= PRODUCT_SIGNED_IN, more
    users = [statement for statement in more if re.search(r'FROM "?user"?\s', statement)]
    assert len(users) == 1 and "user_role" in users[0]  # with her roles, not a second query


def test_a_template_touching_what_a_public_page_did_not_load_raises(app):
    quarter = build(app)
    touch = "{{ product.decisions | length }}"
    with app.test_request_context():
        product = services.product_for_page(quarter.product_id)
        more_shop, more_category = services.photos_and_more(product)
        listing = services.category_listing(services.category_for_page("home-food"), "newest", 1)
        shown = [product, *more_shop, *more_category, *listing.items, *services.newest_products()]
        shown += services.shop_listing(product.shop)
        for loaded in shown:
            with pytest.raises(InvalidRequestError, match="lazy='raise"):
                render_template_string(touch, product=loaded)
        with pytest.raises(InvalidRequestError, match="lazy='raise"):
            render_template_string("{{ product.variants | length }}", product=more_shop[0])
        # a many-to-one already in the session answers without SQL (raiseload's sql_only)
        assert render_template_string("{{ product.category.slug }}", product=more_shop[0]) == "pickles"


def test_a_card_that_reads_more_than_its_page_loaded_fails_the_page(app, client, monkeypatch, caplog):
    quarter = build(app)
    loader = app.jinja_env.loader
    card = loader.get_source(app.jinja_env, "catalog/_card.html")[0]
    greedy = DictLoader({"catalog/_card.html": card + "{{ product.decisions | length }}"})
    monkeypatch.setattr(app.jinja_env, "loader", ChoiceLoader([greedy, loader]))
    app.jinja_env.cache.clear()
    try:
        for path in (quarter.product_url, "/c/pickles", quarter.shop_url, "/"):
            assert client.get(path).status_code == 500, path
        assert "is not available due to lazy='raise" in caplog.text
    finally:
        monkeypatch.undo()
        app.jinja_env.cache.clear()
    assert client.get("/c/pickles").status_code == 200
