"""/api/v1's products, shops, categories and fairs: what each shows, what it hides, paging and its
Link header, bad parameters (400), unknown ids (404), ETags (304), CORS and the rate limit (429)."""

import json
import re

import pytest

from tests.api.conftest import PHONE

PUBLIC = "http://127.0.0.1:5000"


def get(client, path, **kwargs):
    response = client.get(path, **kwargs)
    assert response.is_json, (path, response.status_code)
    return response


def links(response) -> dict[str, str]:
    """rel → URL of the Link header."""
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("Link", ""))}


# ---------------------------------------------------------------- products


def test_products_lists_only_public_products(client, market):
    body = get(client, "/api/v1/products").get_json()
    ids = {item["id"] for item in body["items"]}
    assert ids == market.public_products
    assert not ids & market.hidden_products
    assert body["total"] == 4 and body["page"] == 1 and body["pages"] == 1 and body["per_page"] == 24
    bag = next(item for item in body["items"] if item["id"] == market.bag)
    assert bag["price_rial"] == 8_500_000 and bag["available"] is True
    assert bag["shop"] == {
        "slug": "چرم-مریم",
        "name": "چرم مریم",
        "url": f"{PUBLIC}/shop/%DA%86%D8%B1%D9%85-%D9%85%D8%B1%DB%8C%D9%85",
    }
    assert bag["category"] == {"slug": "leather", "name_fa": "چرم دست‌دوز", "name_en": "Hand-stitched leather"}
    assert bag["cover"]["variants"][0]["url"].startswith(f"{PUBLIC}/media/")


def test_products_filter_by_category_and_shop(client, market):
    def ids(**args):
        return {item["id"] for item in get(client, "/api/v1/products", query_string=args).get_json()["items"]}

    assert ids(category="leather") == {market.bag, market.belt}
    assert ids(category="handicrafts") == {market.bag, market.belt}  # a top category includes its children
    assert ids(category="home-food") == {market.pickle}
    assert ids(shop=market.zahra.slug) == {market.pickle}
    assert ids(shop=market.maryam.slug, category="clothing-textiles") == {market.scarf}
    assert ids(shop=market.draft_shop.slug) == set()  # a shop that is not approved shows nothing
    assert ids(category="no-such-category") == set()


def test_products_sort(client, market):
    items = get(client, "/api/v1/products", query_string={"sort": "price_desc"}).get_json()["items"]
    prices = [item["price_rial"] for item in items]
    assert prices == sorted(prices, reverse=True) and items[0]["id"] == market.bag


def test_products_pages_and_link_header(client, market):
    response = get(client, "/api/v1/products", query_string={"per_page": "۳", "page": "2", "sort": "price_asc"})
    body = response.get_json()
    assert (body["total"], body["page"], body["pages"], body["per_page"]) == (4, 2, 2, 3)
    assert len(body["items"]) == 1 and body["items"][0]["id"] == market.bag  # the dearest, last
    rels = links(response)
    assert set(rels) == {"first", "prev", "last"}
    assert rels["prev"].startswith(f"{PUBLIC}/api/v1/products?") and "page=1" in rels["prev"]
    assert "per_page=%DB%B3" in rels["prev"] and "sort=price_asc" in rels["prev"]  # the other parameters kept
    first = get(client, "/api/v1/products", query_string={"per_page": "3"})
    assert set(links(first)) == {"first", "next", "last"} and "page=2" in links(first)["next"]
    past = get(client, "/api/v1/products", query_string={"page": "9"}).get_json()
    assert past["items"] == [] and past["total"] == 4 and past["pages"] == 1


def test_product_detail(client, market):
    body = get(client, f"/api/v1/products/{market.bag}").get_json()
    assert body["id"] == market.bag and body["title"] == "کیف چرمی" and body["kind"] == "handicraft"
    assert body["url"] == f"{PUBLIC}/p/{market.bag}/%DA%A9%DB%8C%D9%81-%DA%86%D8%B1%D9%85%DB%8C"
    assert (body["price_rial"], body["price_min_rial"], body["price_max_rial"]) == (8_500_000, 8_500_000, 9_000_000)
    assert body["stock"] == 2 and body["available"] is True and body["lead_time_days"] is None
    assert body["options"] == ["رنگ"]
    assert [(v["values"], v["price_rial"], v["stock"], v["available"]) for v in body["variants"]] == [
        (["قهوه‌ای"], 8_500_000, 2, True),
        (["مشکی"], 9_000_000, 0, False),
    ]
    assert len(body["photos"]) == 2 and body["cover"] == body["photos"][0]
    photo = body["photos"][0]
    assert (photo["width"], photo["height"]) == (800, 600)
    assert [(v["width"], v["height"]) for v in photo["variants"]] == [(320, 240), (480, 360), (640, 480), (800, 600)]
    assert all(v["url"].endswith(".webp") for v in photo["variants"])
    assert body["badges"] == [
        {"code": "HB-1", "label_fa": "دارای مجوز مشاغل خانگی", "label_en": "Licensed home business"}
    ]
    assert body["fair_price_rial"] is None  # its fair has not started


def test_products_carry_their_english_title_and_description(client, market):
    body = get(client, f"/api/v1/products/{market.bag}").get_json()
    assert body["title_en"] == "Leather Bag" and body["description_en"] == "Hand-stitched."
    listed = {item["id"]: item for item in get(client, "/api/v1/products").get_json()["items"]}
    assert listed[market.bag]["title_en"] == "Leather Bag" and "description_en" not in listed[market.bag]
    assert listed[market.belt]["title_en"] == ""  # none written: empty, never missing
    assert get(client, f"/api/v1/products/{market.belt}").get_json()["description_en"] == ""


def test_made_to_order_product(client, market):
    body = get(client, f"/api/v1/products/{market.scarf}").get_json()
    assert body["made_to_order"] is True and body["available"] is True
    assert body["stock"] == 0 and body["lead_time_days"] == 7


def test_product_detail_hides_internal_fields(client, market):
    text = get(client, f"/api/v1/products/{market.bag}").get_data(as_text=True)
    for hidden in ("یادداشت داخلی", "status", "owner", "popularity", PHONE, "+98"):
        assert hidden not in text


def test_products_that_are_not_public_are_404(client, market):
    # a draft, and published products of a draft shop and of a suspended shop
    for product_id in sorted(market.hidden_products):
        response = get(client, f"/api/v1/products/{product_id}", headers={"Accept-Language": "en"})
        assert response.status_code == 404
        assert response.get_json() == {"error": {"code": "not_found", "message": "No public product has this id."}}


def test_unknown_and_malformed_ids_are_404(client, market):
    for path in ("/api/v1/products/999999", "/api/v1/products/99999999999999999999", "/api/v1/products/abc"):
        response = get(client, path)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


# ---------------------------------------------------------------- shops


def test_shops_lists_approved_shops_with_their_product_counts(client, market):
    body = get(client, "/api/v1/shops").get_json()
    assert [(shop["slug"], shop["product_count"]) for shop in body["items"]] == [
        (market.maryam.slug, 3),  # the draft product is not counted
        (market.zahra.slug, 1),
    ]
    assert body["total"] == 2
    assert body["items"][0]["logo"]["url"].endswith(".png") and body["items"][1]["logo"] is None
    past_the_end = get(client, "/api/v1/shops", query_string={"page": "3", "per_page": "1"}).get_json()
    assert past_the_end["items"] == [] and past_the_end["total"] == 2


def test_shop_detail(client, market):
    body = get(client, f"/api/v1/shops/{market.maryam.slug}").get_json()
    assert body["name"] == "چرم مریم" and body["neighbourhood"] == "گلشهر" and body["product_count"] == 3
    assert body["story"].startswith("داستان من") and body["tagline"]
    assert body["colours"] == {"primary": "#0b6e75", "accent": "#d9a441", "background": "#f2f9f8", "text": "#13282b"}
    assert body["logo"]["width"] == 512 and [v["width"] for v in body["logo"]["variants"]] == [56, 112, 192]
    assert body["links"] == [{"platform": "instagram", "url": "https://instagram.com/charm.maryam"}]
    assert body["rating"] == {"average": None, "count": 0}


def test_shop_detail_never_shows_a_phone(client, market):
    text = get(client, f"/api/v1/shops/{market.maryam.slug}").get_data(as_text=True)
    assert PHONE not in text and "9151112233" not in text and "whatsapp" not in text and "owner" not in text


def test_shops_that_are_not_approved_are_404(client, market):
    for shop in (market.draft_shop, market.suspended):
        assert get(client, f"/api/v1/shops/{shop.slug}").status_code == 404
    assert get(client, "/api/v1/shops/no-such-shop").status_code == 404
    assert get(client, "/api/v1/shops/bad%00slug").status_code == 404  # never reaches the database


# ---------------------------------------------------------------- categories


def test_categories_tree(client, market):
    tree = get(client, "/api/v1/categories").get_json()["categories"]
    assert len(tree) == 5 and all(top["parent"] is None for top in tree)
    handicrafts = next(top for top in tree if top["slug"] == "handicrafts")
    assert handicrafts["name_fa"] == "صنایع دستی" and handicrafts["kind"] == "handicraft"
    assert handicrafts["product_count"] == 2  # its children's products count too
    leather = next(child for child in handicrafts["children"] if child["slug"] == "leather")
    assert leather["parent"] == "handicrafts" and leather["product_count"] == 2 and leather["children"] == []
    assert sum(len(top["children"]) + 1 for top in tree) == 24


# ---------------------------------------------------------------- fairs


def test_fairs_lists_public_fairs_latest_first(client, market):
    body = get(client, "/api/v1/fairs").get_json()
    assert [(fair["slug"], fair["status"], fair["phase"]) for fair in body["items"]] == [
        (market.fair.slug, "published", "upcoming"),
        (market.past.slug, "closed", "past"),
    ]
    upcoming = get(client, "/api/v1/fairs", query_string={"phase": "upcoming"}).get_json()
    assert [fair["slug"] for fair in upcoming["items"]] == [market.fair.slug] and upcoming["total"] == 1
    assert get(client, "/api/v1/fairs", query_string={"phase": "live"}).get_json()["items"] == []
    past_the_end = get(client, "/api/v1/fairs", query_string={"phase": "past", "page": "5"}).get_json()
    assert past_the_end["items"] == [] and past_the_end["total"] == 1  # still says how many there are


def test_fair_detail_with_shops_and_booths(client, market):
    body = get(client, f"/api/v1/fairs/{market.fair.slug}").get_json()
    assert body["title"] == "بازارچه بهاره" and body["description"] == "بازارچهٔ بهار در گلشهر"
    assert body["calendar_url"].endswith("/calendar.ics") and body["id"] == market.fair.id
    # the accepted, approved shop with its booth; not the rejected one, nor the suspended one
    assert [(shop["slug"], shop["booth"], shop["category"]) for shop in body["shops"]] == [
        (market.maryam.slug, "A-02", "handicrafts")
    ]


def test_fairs_that_are_not_public_are_404(client, market):
    for fair in (market.draft_fair, market.open_fair):
        assert get(client, f"/api/v1/fairs/{fair.slug}").status_code == 404
    listed = {fair["slug"] for fair in get(client, "/api/v1/fairs").get_json()["items"]}
    assert market.draft_fair.slug not in listed and market.open_fair.slug not in listed


# ---------------------------------------------------------------- bad parameters


@pytest.mark.parametrize(
    ("path", "args", "parameter"),
    [
        ("/api/v1/products", {"page": "0"}, "page"),
        ("/api/v1/products", {"page": "abc"}, "page"),
        ("/api/v1/products", {"page": "10001"}, "page"),
        ("/api/v1/products", {"per_page": "101"}, "per_page"),
        ("/api/v1/products", {"per_page": "-1"}, "per_page"),
        ("/api/v1/products", {"sort": "evil"}, "sort"),
        ("/api/v1/products", {"category": "x\x00y"}, "category"),
        ("/api/v1/shops", {"page": "9" * 5000}, "page"),
        ("/api/v1/fairs", {"phase": "soon"}, "phase"),
        ("/api/v1/search", {"q": "کیف", "page": "x"}, "page"),
        ("/api/v1/search", {"q": "کیف", "min_price": "abc"}, "min_price"),
        ("/api/v1/search", {"q": "کیف", "sort": "evil"}, "sort"),
        ("/api/v1/search", {"q": "کیف", "in_stock": "maybe"}, "in_stock"),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, market, path, args, parameter):
    response = get(client, path, query_string=args)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_parameter" and error["parameter"] == parameter and parameter in error["message"]
    assert response.headers["Cache-Control"] == "no-store" and "ETag" not in response.headers


def test_error_messages_follow_accept_language(client, market):
    persian = get(client, "/api/v1/nothing-here").get_json()["error"]["message"]
    assert persian == "صفحه پیدا نشد"  # Persian unless asked otherwise
    english = get(client, "/api/v1/nothing-here", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert english.get_json()["error"]["message"] == "Page not found"
    assert "Accept-Language" in english.headers["Vary"]
    product = get(client, "/api/v1/products/999999", headers={"Accept-Language": "en"})
    assert product.get_json()["error"]["message"] == "No public product has this id."


def test_numbers_in_any_digits_are_read(client, market):
    body = get(client, "/api/v1/products", query_string={"per_page": "۲"}).get_json()
    assert body["per_page"] == 2 and len(body["items"]) == 2


def test_unknown_paths_and_methods_answer_json(client, market):
    missing = get(client, "/api/v1/nothing-here")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"
    post = client.post("/api/v1/products")
    assert post.is_json and post.status_code == 405 and post.get_json()["error"]["code"] == "method_not_allowed"


# ---------------------------------------------------------------- caching, ETags, CORS


@pytest.mark.parametrize(
    "path", ["/api/v1/products", "/api/v1/shops", "/api/v1/categories", "/api/v1/fairs", "/api/v1/openapi.json"]
)
def test_etag_and_304(client, market, path):
    first = get(client, path)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"')
    assert first.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


def test_etag_changes_with_the_data(app, client, market):
    path = f"/api/v1/shops/{market.maryam.slug}"
    etag = get(client, path).headers["ETag"]
    from marketplace.extensions import db
    from marketplace.shops.models import Shop

    with app.app_context():
        db.session.get(Shop, market.maryam.id).tagline = "چرم طبیعی، دوخت دست"
        db.session.commit()
    response = client.get(path, headers={"If-None-Match": etag})
    assert response.status_code == 200 and response.get_json()["tagline"] == "چرم طبیعی، دوخت دست"
    assert response.headers["ETag"] != etag


def test_compressed_responses_keep_their_etag_working(client, market):
    first = client.get("/api/v1/categories", headers={"Accept-Encoding": "gzip"})
    assert first.headers["Content-Encoding"] == "gzip"
    again = client.get(
        "/api/v1/categories", headers={"Accept-Encoding": "gzip", "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_any_origin_may_read_it(client, market):
    response = get(client, "/api/v1/products", headers={"Origin": "https://example.org"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response.headers["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options("/api/v1/products", headers={"Origin": "https://example.org"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]


def test_the_api_sets_no_cookie(client, market):
    for path in ("/api/v1/products", f"/api/v1/shops/{market.maryam.slug}", "/api/v1/products/999999"):
        assert client.get(path).headers.getlist("Set-Cookie") == []


# ---------------------------------------------------------------- rate limit


def test_rate_limit_is_shared_per_address_and_answers_json(app, client, market, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_API", "3 per minute")
    assert get(client, "/api/v1/products").status_code == 200
    assert get(client, "/api/v1/shops").status_code == 200
    assert get(client, "/api/v1/categories").status_code == 200
    limited = get(client, "/api/v1/fairs")
    assert limited.status_code == 429
    assert limited.get_json()["error"]["code"] == "too_many_requests" and "Retry-After" in limited.headers
    other = client.get("/api/v1/fairs", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200  # per address
    assert get(client, "/api/v1/search", query_string={"q": "کیف"}).status_code == 200  # search counts apart


# ---------------------------------------------------------------- the document


def test_openapi_describes_every_endpoint_and_response(client):
    document = get(client, "/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    for path, item in document["paths"].items():
        responses = item["get"]["responses"]
        assert {"200", "304", "429"} <= set(responses), path
        if "{" in path:
            assert "404" in responses, path
        if any(p["name"] in ("page", "sort", "phase") for p in item["get"]["parameters"]):
            assert "400" in responses, path
    json.dumps(document)  # plain JSON all through
