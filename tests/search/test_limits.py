"""What one anonymous visitor can make the server do: typo work per query is bounded (counted, not
timed), and searches and autocomplete are rate-limited per address."""

import random

import pytest

from marketplace.search import arrays, query
from marketplace.search.analysis import analyze
from marketplace.search.query import SearchParams
from tests.factories import ProductFactory, ShopFactory
from tests.search.conftest import synced

LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"


@pytest.fixture
def shelf(app, make):
    shop = make(ShopFactory, name="چرم مریم", status="approved")
    ids = [
        make(ProductFactory, shop=shop, title="کیف چرمی دست‌دوز", description="چرم طبیعی", status="published").id,
        make(ProductFactory, shop=shop, title="کمربند چرمی", status="published").id,
        make(ProductFactory, shop=shop, title="روسری نخی گلدوزی", category="scarves", status="published").id,
    ]
    synced(app)
    return ids


@pytest.fixture
def lookups(monkeypatch):
    """Every word the index is asked for terms near it (one Levenshtein automaton each, the costly part):
    the real lookup runs, each call is recorded."""
    asked = []
    real = query._terms_within

    def counting(reader, names, word, distance, prefix=0):
        asked.append((word, distance))
        return real(reader, names, word, distance, prefix)

    monkeypatch.setattr(query, "_terms_within", counting)
    return asked


def random_words(count: int, length: int, seed: int) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choice(LETTERS) for _ in range(length)) for _ in range(count))


def search(app, text: str):
    with app.test_request_context():
        return query.search(SearchParams(q=text))


def test_long_random_words_get_no_typo_lookups(app, shelf, lookups):
    result = search(app, random_words(12, 16, seed=1))
    assert result.total == 0 and result.mode != "database"
    assert lookups == []  # 16 letters is longer than FUZZY_MAX_LENGTH: matched as typed, nothing more


def test_typo_lookups_are_bounded_in_words_and_length(app, shelf, lookups):
    text = random_words(12, query.FUZZY_MAX_LENGTH, seed=2)
    words = query.query_words(text)
    assert len(words) == 12 and all(len(word) <= query.FUZZY_MAX_LENGTH for word in words)
    search(app, text)
    looked_up = [word for word, _distance in lookups]
    assert 0 < len(looked_up) <= query.FUZZY_MAX_WORDS
    assert all(len(word) <= query.FUZZY_MAX_LENGTH for word in looked_up)
    # one automaton per word, for every field and segment (typo variants and "did you mean" share it)
    assert len(looked_up) == len(set(looked_up))


def test_the_same_words_are_looked_up_once_per_index_generation(app, shelf, lookups):
    text = random_words(3, 6, seed=3)
    search(app, text)
    first = len(lookups)
    assert first > 0
    search(app, text)
    assert len(lookups) == first


def test_the_generation_cache_is_bounded(app, shelf, monkeypatch):
    monkeypatch.setattr(arrays, "REMEMBERED", 5)
    for seed in range(6):
        search(app, random_words(3, 6, seed=10 + seed))
    with app.app_context():
        view = query._searcher(app)
    assert 0 < len(view.remembered) <= 5


def test_typo_variants_per_word_are_bounded(app, make):
    shop = make(ShopFactory, status="approved")
    # twenty indexed words one letter away from «کاسه» (which is not indexed itself)
    near = [f"کاس{letter}" for letter in "ابپتثجچحخدذرزژسشصضطظ"]
    assert all(analyze(word) == [word] for word in near)
    for word in near:
        make(ProductFactory, shop=shop, title=f"{word} مسی", status="published")
    synced(app)
    with app.app_context():
        view = query._searcher(app)
        variants = query._fuzzy_terms(view, "کاسه")
    assert len(variants) == query.FUZZY_MAX_TERMS
    result = search(app, "کاسه")
    assert result.mode == "fuzzy" and result.total == query.FUZZY_MAX_TERMS  # one product per variant


def test_a_buyers_typo_is_still_corrected(app, shelf):
    result = search(app, "کمربنت چرمی")
    assert result.total >= 1 and result.suggestion == "کمربند چرمی"


# ---------------------------------------------------------------- rate limits


def test_search_page_and_api_share_a_per_address_limit(app, client, shelf, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_SEARCH", "3 per minute")
    assert client.get("/search", query_string={"q": "کیف"}).status_code == 200
    assert client.get("/api/v1/search", query_string={"q": "کیف"}).status_code == 200
    assert client.get("/search", query_string={"q": "کمربند"}).status_code == 200
    page = client.get("/search", query_string={"q": "روسری"})
    assert page.status_code == 429 and "<html" in page.get_data(as_text=True)
    api = client.get("/api/v1/search", query_string={"q": "روسری"})
    assert api.status_code == 429 and api.is_json and api.get_json()["error"]["code"] == "too_many_requests"
    other = client.get("/api/v1/search", query_string={"q": "کیف"}, environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200  # per address
    # autocomplete has its own count
    assert client.get("/api/v1/autocomplete", query_string={"q": "کی"}).status_code == 200


def test_autocomplete_is_limited_per_address(app, client, shelf, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_AUTOCOMPLETE", "2 per minute")
    for _ in range(2):
        assert client.get("/api/v1/autocomplete", query_string={"q": "کی"}).status_code == 200
    response = client.get("/api/v1/autocomplete", query_string={"q": "کی"})
    assert response.status_code == 429 and response.get_json()["error"]["code"] == "too_many_requests"


def test_the_limits_are_generous_by_default(app):
    assert int(app.config["RATELIMIT_SEARCH"].split()[0]) >= 60
    assert int(app.config["RATELIMIT_AUTOCOMPLETE"].split()[0]) >= int(app.config["RATELIMIT_SEARCH"].split()[0])
