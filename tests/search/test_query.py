"""Queries on a real index: matching, Persian spellings, typos, filters, sorts, pages, facets, highlights."""

import os
import shutil

import pytest

from marketplace.search import query
from marketplace.search.query import SearchParams
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced


@pytest.fixture
def shelf(app, make):
    """A small catalogue, indexed."""
    golshahr = make(ShopFactory, name="چرم مریم", neighbourhood="گلشهر", status="approved")
    altimur = make(ShopFactory, name="سفره‌خانهٔ زهرا", neighbourhood="التیمور", status="approved")
    ids = {
        "bag": make(
            ProductFactory,
            shop=golshahr,
            title="کیف چرمی دست‌دوز زنانه",
            price_toman=850_000,
            description="چرم طبیعی گاوی",
            status="published",
        ).id,
        "wallet": make(
            ProductFactory, shop=golshahr, title="کیف پول مردانه", price_toman=250_000, stock=0, status="published"
        ).id,
        "belt": make(
            ProductFactory,
            shop=golshahr,
            title="کمربند چرمی",
            price_toman=300_000,
            made_to_order=True,
            stock=0,
            status="published",
        ).id,
        "jam": make(
            ProductFactory,
            shop=altimur,
            title="مربای هویج خانگی",
            category="jams",
            price_toman=90_000,
            status="published",
        ).id,
        "kilim": make(
            ProductFactory,
            shop=altimur,
            title="گلیم دستباف",
            category="carpets-kilims",
            price_toman=4_000_000,
            status="published",
        ).id,
    }
    synced(app)
    return ids


def run(app, **params):
    with app.test_request_context():
        result = query.search(SearchParams(**params))
        return result, [p.id for p in result.products]


def test_all_words_must_match_first(app, shelf):
    result, ids = run(app, q="کیف زنانه")
    assert ids == [shelf["bag"]] and result.mode == "all"
    _result, ids = run(app, q="کیف چرمی")  # the wallet is in the leather category: «چرم» matches there
    assert set(ids) == {shelf["bag"], shelf["wallet"]}


def test_any_word_when_all_words_find_nothing(app, shelf):
    result, ids = run(app, q="کیف هویج")
    assert set(ids) == {shelf["bag"], shelf["wallet"], shelf["jam"]} and result.mode == "any"


def test_typo_finds_the_product_and_suggests_a_correction(app, shelf):
    result, ids = run(app, q="کیپ چرمی")
    assert shelf["bag"] in ids
    assert result.suggestion and "کیف" in result.suggestion


def test_fuzzy_fallback_for_longer_words(app, shelf):
    result, ids = run(app, q="کمربنت")
    assert ids == [shelf["belt"]] and result.mode == "fuzzy"


@pytest.mark.parametrize("text", ["كيف چرمي", "کیف دستدوز", "كيف‌ها", "  کیف   چرمی  "])
def test_arabic_letters_and_spacing_variants(app, shelf, text):
    _result, ids = run(app, q=text)
    assert shelf["bag"] in ids


@pytest.mark.parametrize(
    ("title", "typed"),
    [
        ("کیف دستساز", "کیف دست ساز"),
        ("شال قهوه‌ای", "شال قهوهای"),
        ("شال قهوه ای", "شال قهوهای"),
        ("کیف دست‌دوز", "کیف دست دوز"),
        ("کیف دست دوز", "کیف دستدوز"),
    ],
)
def test_compounds_meet_however_they_are_written(app, make, title, typed):
    shop = make(ShopFactory, name="کارگاه آزمایشی", status="approved")
    product_id = make(ProductFactory, shop=shop, title=title, status="published").id
    synced(app)
    _result, ids = run(app, q=typed)
    assert product_id in ids


def test_category_filter_includes_children(app, shelf):
    _result, ids = run(app, category="handicrafts")
    assert set(ids) == {shelf["bag"], shelf["wallet"], shelf["belt"], shelf["kilim"]}
    _result, ids = run(app, q="کیف", category="jams")
    assert ids == []


def test_price_and_stock_filters(app, shelf):
    _result, ids = run(app, min_price=200_000, max_price=900_000)
    assert set(ids) == {shelf["bag"], shelf["wallet"], shelf["belt"]}
    _result, ids = run(app, q="کیف", in_stock=True)
    assert ids == [shelf["bag"]]
    _result, ids = run(app, made_to_order=True, category="leather")
    assert ids == [shelf["belt"]]


def test_neighbourhood_filter(app, shelf):
    _result, ids = run(app, neighbourhood="التیمور")
    assert set(ids) == {shelf["jam"], shelf["kilim"]}


def test_sorts(app, shelf):
    _result, ids = run(app, category="leather", sort="price_asc")
    assert ids == [shelf["wallet"], shelf["belt"], shelf["bag"]]
    _result, ids = run(app, category="leather", sort="price_desc")
    assert ids == [shelf["bag"], shelf["belt"], shelf["wallet"]]
    _result, ids = run(app, category="leather", sort="newest")
    assert ids == [shelf["belt"], shelf["wallet"], shelf["bag"]]


def test_pagination(app, make):
    shop = make(ShopFactory, status="approved")
    made = [
        make(
            ProductFactory,
            shop=shop,
            title=f"گلیم شمارهٔ {n}",
            category="carpets-kilims",
            price_toman=100_000 + n,
            status="published",
        ).id
        for n in range(23)
    ]
    synced(app)
    first, first_ids = run(app, q="گلیم", sort="price_asc")
    second, second_ids = run(app, q="گلیم", sort="price_asc", page=2)
    assert first.total == second.total == 23 and first.pages == 2
    assert first_ids + second_ids == made
    _third, third_ids = run(app, q="گلیم", page=3)
    assert third_ids == []


def test_facets_count_the_whole_result(app, shelf):
    result, _ids = run(app, q="کیف")
    facets = result.facets
    assert sum(facets["category"].values()) == 2
    assert facets["neighbourhood"] == {"گلشهر": 2}
    assert facets["availability"] == {"in_stock": 1, "unavailable": 1}
    assert facets["price"] == {"100000-500000": 1, "500000-2000000": 1}
    assert list(facets["shop"].values()) == [2]


def test_highlight_escapes_html(app, make):
    product_id = make(
        ProductFactory,
        shop=make(ShopFactory, status="approved"),
        title="<script>alert(1)</script> کیف",
        description="<b>کیف</b> زیبا",
        status="published",
    ).id
    synced(app)
    result, ids = run(app, q="کیف")
    assert ids == [product_id]
    marked = result.highlights[product_id]
    assert "<script>" not in marked["title"] and "&lt;script&gt;" in marked["title"]
    assert "<mark>کیف</mark>" in marked["title"]
    assert "&lt;b&gt;<mark>کیف</mark>&lt;/b&gt;" in marked["snippet"]


def test_empty_query_without_filters_asks_for_nothing(app, shelf):
    result, ids = run(app, q="  ")
    assert result.mode == "empty" and ids == []


def test_autocomplete_prefixes(app, shelf):
    with app.test_request_context():
        found = query.autocomplete("کی")
        assert {hit["pk"] for hit in found["products"]} == {shelf["bag"], shelf["wallet"]}
        assert query.autocomplete("مربا")["categories"][0].slug == "jams"
        assert [hit["title"] for hit in query.autocomplete("سفره")["shops"]] == ["سفره‌خانهٔ زهرا"]
        assert query.autocomplete("") == {"products": [], "categories": [], "shops": []}


def test_database_fallback_when_the_index_is_missing(app, shelf, search_index_folder):
    real = os.path.realpath(search_index_folder)
    os.unlink(search_index_folder)
    shutil.rmtree(real)
    app.extensions.pop("search_index", None)
    app.extensions.pop("search_searcher", None)
    result, ids = run(app, q="کیف چرمی")
    assert result.degraded and result.mode == "database"
    assert ids == [shelf["bag"]]
    assert not os.path.lexists(search_index_folder)  # a query never rebuilds: the worker does


def test_autocomplete_finds_a_zwnj_word_however_the_name_spells_it(app, make):
    shop = make(ShopFactory, status="approved")
    ids = {
        make(ProductFactory, shop=shop, title=title, status="published").id
        for title in ("جعبه دست‌ساز", "جعبه دستساز", "جعبه دست ساز")
    }
    make(ProductFactory, shop=shop, title="جعبه چوبی", status="published")
    synced(app)
    with app.test_request_context():
        assert {hit["pk"] for hit in query.autocomplete("دست\u200cسا")["products"]} == ids
        assert {hit["pk"] for hit in query.autocomplete("جعبه دستسا")["products"]} == ids - {min(ids) + 2}
