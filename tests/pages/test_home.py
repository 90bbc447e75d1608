"""The home page's workshops of the day: which shops may appear, the daily rotation, the cards, and
that the page stays a fixed handful of read-only queries."""

import re
from datetime import date, timedelta
from urllib.parse import quote

from marketplace.branding.palette import CURATED
from marketplace.catalog import services
from marketplace.extensions import db
from marketplace.shops import services as shops
from tests.conftest import inline_styles_allowed_by_csp, statements
from tests.factories import ProductFactory, ShopFactory

DAY = date(2026, 2, 8)


def public_shop(**fields):
    """An approved shop with one published product, in the test's session."""
    shop = ShopFactory(status="approved", **fields)
    ProductFactory(shop=shop, status="published")
    return shop


def test_only_approved_shops_with_public_products(app_ctx):
    shown = public_shop()
    only_drafts = ShopFactory(status="approved")
    ProductFactory(shop=only_drafts, status="draft")
    ProductFactory(shop=only_drafts, status="submitted")
    ShopFactory(status="approved")  # no products at all
    for status in ("draft", "submitted", "changes_requested", "suspended"):
        ProductFactory(shop=ShopFactory(status=status), status="published")
    assert services.featured_shops(DAY, 10) == [shown]


def test_a_suspended_shop_leaves_at_once(app_ctx):
    shop = public_shop()
    assert services.featured_shops(DAY, 6) == [shop]
    shop.status = "suspended"
    db.session.flush()
    assert services.featured_shops(DAY, 6) == []


def test_rotation_is_stable_within_a_day_and_gives_everyone_a_turn(app_ctx):
    everyone = {public_shop().id for _ in range(10)}
    today = [shop.id for shop in services.featured_shops(DAY, 3)]
    assert len(today) == len(set(today)) == 3
    assert [shop.id for shop in services.featured_shops(DAY, 3)] == today  # the same all day
    days = [[shop.id for shop in services.featured_shops(DAY + timedelta(days=n), 3)] for n in range(4)]
    assert days[1] != days[0]
    # ceil(10 / 3) = 4 days show every shop at least once
    assert set().union(*days) == everyone


def test_fewer_shops_than_places_shows_them_all(app_ctx):
    both = {public_shop().id, public_shop().id}
    assert {shop.id for shop in services.featured_shops(DAY, 6)} == both
    assert services.featured_shops(DAY, 6) == services.featured_shops(DAY, 6)


def test_no_shops_no_section(client):
    html = client.get("/").get_data(as_text=True)
    assert 'id="shops-heading"' not in html


def test_cards_link_to_the_storefront(app, client, make):
    with app.app_context():
        shop = ShopFactory(
            name="گلدوزی مریم", neighbourhood="طلاب", tagline="گلدوزی با نقش‌های قدیمی", palette=CURATED[0]
        )
        shops.set_logo(shop, {192: "logos/maryam-192.png", 32: "logos/maryam-32.png"}, "upload")
        shop.status = "approved"
        ProductFactory(shop=shop, status="published")
        plain = public_shop(name="سفال رضا")
        hidden = ShopFactory(name="کارگاه پنهان", status="suspended")
        ProductFactory(shop=hidden, status="published")
        db.session.commit()
        slug, plain_slug, primary = shop.slug, plain.slug, shops.shop_palette(shop).primary
        shop_id = shop.id
    response = client.get("/")
    html = response.get_data(as_text=True)
    section = html[html.index('id="shops-heading"') : html.index('id="how-heading"')]
    assert f'href="/shop/{quote(slug)}"' in section and f'href="/shop/{quote(plain_slug)}"' in section
    assert "گلدوزی مریم" in section and "گلدوزی با نقش‌های قدیمی" in section and "طلاب" in section
    assert re.search(r'<img class="shop-logo" src="/media/logos/maryam-192.png" width="56" height="56"', section)
    assert "کارگاه پنهان" not in html
    # the shop's colour comes in an inline <style> the CSP allows by its hash, only as a validated hex value
    assert re.search(rf"<style>\s*\.featured-shop-{shop_id} {{ --shop-primary: {primary};", html)
    assert inline_styles_allowed_by_csp(response) == 1


def test_english_home_page(app, client):
    with app.app_context():
        slug = public_shop(name="Saffron Jam Kitchen", tagline="Jam from grandmother's recipe").slug
        db.session.commit()
    client.set_cookie("locale", "en")
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Workshops of the day" in html
    assert f'href="/shop/{quote(slug)}"' in html and "Jam from grandmother&#39;s recipe" in html
    # the promise under "For buyers" stays
    assert "order from several workshops at once, and pay by card or in cash" in html


def test_home_page_queries_do_not_grow_with_the_shops_and_write_nothing(app, client):
    def measure():
        with statements(app) as ran:
            response = client.get("/")
        assert response.status_code == 200
        assert len(response.data) < 100_000
        return ran, response.get_data(as_text=True).count('class="featured-shop ')

    with app.app_context():
        public_shop()
        db.session.commit()
    one, cards = measure()
    assert cards == 1
    with app.app_context():
        for _ in range(8):
            shop = public_shop(palette=CURATED[1])
            shops.set_logo(shop, {192: f"logos/{shop.id}-192.png"}, "upload")
        db.session.commit()
    many, cards = measure()
    assert cards == 6
    assert len(many) == len(one)
    assert not [s for s in many if re.match(r"\s*(INSERT|UPDATE|DELETE)", s, re.IGNORECASE)]
