"""Search wording: "did you mean" offers whole words as products write them, sorting applies on change
(and without JavaScript by its button), and each page has one search box, named."""

import re
from pathlib import Path

import pytest

from marketplace.search import query
from marketplace.search.analysis import analyze
from marketplace.search.query import SearchParams
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def shelf(app, make):
    shop = make(ShopFactory, name="چرم مریم", status="approved")
    titles = ["روسری نخی گلدوزی", "روسری‌های ابریشمی", "کیف چرمی دست‌دوز", "کمربند چرمی", "گلیم دستباف"]
    categories = ["scarves", "scarves", "leather", "leather", "carpets-kilims"]
    for title, category in zip(titles, categories, strict=True):
        make(ProductFactory, shop=shop, title=title, category=category, tags="هدیه", status="published")
    synced(app)
    return titles


def suggestion(app, text):
    with app.test_request_context():
        return query.search(SearchParams(q=text)).suggestion


@pytest.mark.parametrize(
    ("typed", "offered"),
    [("روصری", "روسری"), ("کیف چرنی", "کیف چرمی"), ("کمربنت", "کمربند"), ("گلیمم دستباف", "گلیم دستباف")],
)
def test_did_you_mean_offers_whole_words_never_stems(app, shelf, typed, offered):
    assert suggestion(app, typed) == offered


def test_every_offered_word_is_a_word_of_a_product_or_what_was_typed(app, shelf):
    words = {word for title in shelf for word in re.split(r"\s+", title)} | {"هدیه", "روسری", "شال", "چرم"}
    for typed in ("روصری نخی", "ابریشمیی", "روسریی", "کیپ", "چرمیی", "گلدوذی", "هدیهه", "دستبافف"):
        offered = suggestion(app, typed)
        if offered is None:
            continue
        for word in offered.split():
            assert word in words or word in typed.split(), (typed, offered)
            assert analyze(word) != [word] or word in words  # never a bare stem such as «روسر»
    assert "روسر" not in words


def test_sorting_applies_on_change_and_without_javascript_by_its_button(client, shelf):
    html = client.get("/search", query_string={"q": "روسری"}).get_data(as_text=True)
    assert re.search(r'<script type="module" src="/static/js/search\.[0-9a-f]{10}\.js"></script>', html)
    form = html[html.index('<form class="search-filters"') :]
    form = form[: form.index("</form>")]
    assert re.search(r'<select id="search-sort" name="sort" data-submit-on-change>', form)
    assert re.search(r'<button type="submit"[^>]*data-without-script>', form)  # hidden by the module
    script = (ROOT / "static/js/search.js").read_text()
    assert "data-submit-on-change" in script and "requestSubmit" in script and "hidden = true" in script
    assert '<input type="hidden" name="q" value="روسری">' in form  # the order applies to the same query
    # what the button (or the module) sends: the same query, the new order, shown as chosen
    html = client.get("/search", query_string={"q": "روسری", "sort": "newest"}).get_data(as_text=True)
    assert '<option value="newest" selected>' in html


def search_forms(html: str) -> list[str]:
    return re.findall(r"<form[^>]*role=\"search\"[^>]*>", html)


@pytest.mark.parametrize("path", ["/", "/search", "/search?q=روسری", "/c/scarves"])
def test_each_page_has_one_named_search_box(client, path):
    html = client.get(path).get_data(as_text=True)
    (form,) = search_forms(html)
    assert 'aria-label="' in form
    assert html.count('id="site-search"') == 1  # where the autocomplete attaches
    assert "data-suggest=" in form


def test_home_keeps_the_hero_box_and_search_keeps_the_header_box(client):
    home = client.get("/").get_data(as_text=True)
    assert 'class="hero-search"' in search_forms(home)[0]
    assert 'class="search-box"' not in home
    page = client.get("/search", query_string={"q": "روسری"}).get_data(as_text=True)
    header = page[: page.index("</header>")]
    assert len(search_forms(header)) == 1 and 'value="روسری"' in header
