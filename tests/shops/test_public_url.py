"""The Host header is not trusted (issue 10 item 6): every absolute link comes from PUBLIC_URL, the
brand cache never keys on request data, and TRUSTED_HOSTS refuses other hosts."""

import re

import pytest
from PIL import Image

from marketplace.branding.palette import CURATED
from marketplace.catalog import services as catalog
from marketplace.catalog.models import Product, ProductImage
from marketplace.extensions import db
from marketplace.shops import brand, services
from marketplace.shops.models import Shop
from tests.factories import category_id

HOSTILE = "evil.example"
PUBLIC = "http://127.0.0.1:5000"


@pytest.fixture
def shop_with_logo(app, make_user):
    """An approved shop with a logo and a published product with a photo."""
    owner = make_user(roles={"producer"})
    with app.test_request_context():
        shop = services.create_shop(db.session.merge(owner), "گلیم گلشهر", "گلیم", "گلشهر")
        services.set_palette(shop, CURATED[0].palette, CURATED[0].code)
        services.set_logo(shop, brand.store_logo(Image.new("RGB", (600, 600), (30, 90, 120))), "upload")
        shop.status = "approved"
        product = catalog.create_product(
            shop,
            catalog.ProductData(
                title="گلیم کوچک", description="", category_id=category_id("carpets-kilims"), price_toman="900000"
            ),
        )
        stored = {"key": "k", "width": 640, "height": 480, "dominant_color": "#aa3322", "variants": {"640": "k.webp"}}
        product.images.append(ProductImage(stored=stored, position=0))
        product.status = "published"
        db.session.commit()
        return shop.slug, product.id, product.slug


def absolute_urls(html):
    return set(re.findall(r"https?://[^\s\"'<>]+", html))


def test_pages_never_echo_the_host(client, shop_with_logo):
    slug, product_id, product_slug = shop_with_logo
    for path in (f"/shop/{slug}", f"/p/{product_id}/{product_slug}", "/api/v1/search?q=گلیم"):
        response = client.get(path, headers={"Host": HOSTILE})
        assert response.status_code == 200, path
        body = response.get_data(as_text=True)
        assert HOSTILE not in body, path
    page = client.get(f"/shop/{slug}", headers={"Host": HOSTILE}).get_data(as_text=True)
    own = {url for url in absolute_urls(page) if "schema.org" not in url and "instagram" not in url}
    assert own and all(url.startswith(PUBLIC + "/") for url in own), own
    assert re.search(r'<link rel="canonical" href="http://127\.0\.0\.1:5000/shop/', page)
    assert 'property="og:url" content="http://127.0.0.1:5000/shop/' in page
    assert 'id="share-url" type="text" readonly value="http://127.0.0.1:5000/shop/' in page


def test_forwarded_host_behind_a_proxy_is_not_echoed_either(app_factory, shop_with_logo):
    slug, _id, _slug = shop_with_logo
    client = app_factory(PROXY_COUNT=1).test_client()
    page = client.get(f"/shop/{slug}", headers={"X-Forwarded-Host": HOSTILE}).get_data(as_text=True)
    assert HOSTILE not in page


def test_share_image_is_cached_once_whatever_the_host(app, client, shop_with_logo):
    slug, _id, _slug = shop_with_logo
    with app.app_context():
        kit_cache = brand.cache_dir() / "kit"
    before = set(kit_cache.glob("**/*.png"))
    first = client.get(f"/shop/{slug}/share.png", headers={"Host": "a.example"})
    assert first.status_code == 200
    after_first = set(kit_cache.glob("**/*.png"))
    for host in ("b.example", "c.example:8080", HOSTILE):
        response = client.get(f"/shop/{slug}/share.png", headers={"Host": host})
        assert response.status_code == 200 and response.data == first.data
    assert set(kit_cache.glob("**/*.png")) == after_first
    assert len(after_first - before) <= 1  # at most the one new file of this shop's share image


def test_public_url_setting_decides_the_links(app_factory, shop_with_logo):
    slug, product_id, product_slug = shop_with_logo
    client = app_factory(PUBLIC_URL="https://rooyesh.example/").test_client()
    page = client.get(f"/p/{product_id}/{product_slug}", headers={"Host": HOSTILE}).get_data(as_text=True)
    assert f'<link rel="canonical" href="https://rooyesh.example/p/{product_id}/' in page
    assert "https://rooyesh.example/media/k.webp" in page  # og:image and JSON-LD image
    assert HOSTILE not in page


@pytest.mark.parametrize("bad", ["rooyesh.example", "ftp://rooyesh.example", "https://", ""])
def test_bad_public_url_stops_the_app(app_factory, bad):
    with pytest.raises(ValueError):
        app_factory(PUBLIC_URL=bad)


def test_trusted_hosts_refuse_other_hosts(app_factory):
    client = app_factory(TRUSTED_HOSTS=["rooyesh.example"]).test_client()
    assert client.get("/", headers={"Host": "rooyesh.example"}).status_code == 200
    assert client.get("/", headers={"Host": HOSTILE}).status_code == 400


def test_kit_cache_key_ignores_price_for_items_without_one(app, shop_with_logo):
    slug, _id, _slug = shop_with_logo
    with app.test_request_context():
        shop = db.session.scalar(db.select(Shop).where(Shop.slug == slug))
        card = brand.kit_file(shop, "business_card")
        assert brand.kit_file(shop, "business_card", 123_456) == card
        assert brand.kit_file(shop, "square_post", 10**18) == brand.kit_file(shop, "square_post")
        assert db.session.get(Product, _id) is not None
