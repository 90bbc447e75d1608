"""The page cache for anonymous visitors (core/pagecache.py): what it keeps, when it must not, and
that no visitor sees a stale price, stock, status or removed product once a writing request (or
transaction) has returned — on the per-process cache and on Redis, on SQLite and PostgreSQL."""

import re

import brotli
import pytest
import redis
from sqlalchemy import select, update

from marketplace.catalog.models import Product
from marketplace.core import pagecache
from marketplace.core.pagecache import PageVersion
from marketplace.extensions import cache, db
from marketplace.orders.models import Cart
from marketplace.search import index
from marketplace.search.models import SearchLog
from tests.catalog.test_routes import product_form
from tests.conftest import post_form, skip_or_fail, statements
from tests.factories import ProductFactory, ShopFactory, UserFactory
from tests.orders.ordering import committed_order
from tests.search.conftest import search_index_folder  # noqa: F401 (autouse: a fresh index for each test)

# her edit: only the price moves (the reviewed text stays as the factory made it, so no new review)
UNREVIEWED = {
    "title": "رومیزی ستاره‌نشان",
    "description": "",
    "tags": "",
    "weight_g": "",
    "price_toman": "۱۲۵٬۰۰۰",
    "stock": "۱",
}
PUBLIC_PAGES = ("/", "/c/{category}", "/p/{id}/{slug}", "/shop/{shop}", "/search?q={word}")


@pytest.fixture
def catalogue(app):
    """An approved shop with a published product; returns the product's public addresses."""
    with app.app_context():
        shop = ShopFactory(status="approved", name="گلدوزی ستاره", branded=True)
        product = ProductFactory(shop=shop, status="published", title="رومیزی ستاره‌نشان", stock=1, photos=1)
        db.session.commit()
        addresses = {
            "id": product.id,
            "slug": product.slug,
            "category": product.category.slug,
            "shop": shop.slug,
            "word": "رومیزی",
            "owner": shop.owner,
        }
        index.rebuild(app)
        return addresses


def pages(catalogue):
    return [path.format(**catalogue) for path in PUBLIC_PAGES]


def shows_price(html: str, toman: str) -> bool:
    """Whether the page shows this price as a price (not as the end of a price filter's band)."""
    return re.search(rf">\s*{toman} تومان\s*<", html) is not None


def version(app) -> int:
    with app.app_context():
        return db.session.scalar(select(PageVersion.version).where(PageVersion.id == 1))


def test_a_kept_page_costs_one_query_and_answers_a_conditional_get_with_304(app, catalogue):
    visitor = app.test_client()
    for path in pages(catalogue):
        first = visitor.get(path, headers={"Accept-Encoding": "br"})
        assert first.status_code == 200, path
        assert first.headers["Content-Encoding"] == "br" and first.headers["Cache-Control"] == "no-cache"
        assert "Cookie" in first.headers["Vary"] and "Accept-Encoding" in first.headers["Vary"]
        assert "Set-Cookie" not in first.headers
        html = brotli.decompress(first.data).decode()
        with statements(app) as ran:
            again = visitor.get(path)  # no Accept-Encoding: the same page, not compressed
        ran = [statement for statement in ran if "SAVEPOINT" not in statement]  # (the test's own transaction)
        assert len(ran) == 1 and "page_version" in ran[0], (path, ran)  # the version, nothing else
        assert again.get_data(as_text=True) == html and "Content-Encoding" not in again.headers
        etag = first.headers["ETag"]
        assert again.headers["ETag"] == etag
        conditional = visitor.get(path, headers={"If-None-Match": etag})
        assert conditional.status_code == 304 and conditional.data == b""
        gzipped = visitor.get(path, headers={"Accept-Encoding": "gzip"})
        assert gzipped.headers["Content-Encoding"] == "gzip"


def test_price_stock_status_and_removal_are_never_stale(app, client, catalogue, login):
    """Each write is made the way it is made in real life (her edit form, a buyer's checkout, her
    archive button), and every public page is looked at right after it returns."""
    visitor = app.test_client()
    product_page = "/p/{id}/{slug}".format(**catalogue)
    for path in pages(catalogue):
        assert shows_price(visitor.get(path).get_data(as_text=True), "۱۰۰٬۰۰۰"), path  # kept now

    login(catalogue["owner"])
    edited = post_form(
        client,
        f"/dashboard/products/{catalogue['id']}",
        product_form(**UNREVIEWED, category_id=""),
        token_from=f"/dashboard/products/{catalogue['id']}",
    )
    if edited.status_code != 302:  # the form wants the category it has
        with app.app_context():
            category_id = db.session.get(Product, catalogue["id"]).category_id
        edited = post_form(
            client,
            f"/dashboard/products/{catalogue['id']}",
            product_form(**UNREVIEWED, category_id=str(category_id)),
            token_from=f"/dashboard/products/{catalogue['id']}",
        )
    assert edited.status_code == 302
    for path in pages(catalogue):
        html = visitor.get(path).get_data(as_text=True)
        assert shows_price(html, "۱۲۵٬۰۰۰") and not shows_price(html, "۱۰۰٬۰۰۰"), path

    assert "add-to-cart" in visitor.get(product_page).get_data(as_text=True)
    with app.app_context():
        shop = db.session.get(Product, catalogue["id"]).shop
    # a buyer takes the last one (a bulk conditional UPDATE of stock, not an ORM flush)
    with app.app_context():
        from marketplace.orders import cart as carts
        from marketplace.orders import checkout

        buyer = UserFactory()
        cart = carts.open_cart(user_id=buyer.id, token=None)
        carts.add_item(cart, catalogue["id"], None, 1, max_line=5)
        db.session.commit()
        checkout.place_order(app, buyer, cart, checkout.CheckoutChoice({shop.id: "pickup_centre"}, "centre", None))
        db.session.commit()
    sold_out = visitor.get(product_page).get_data(as_text=True)
    assert "add-to-cart" not in sold_out and "ناموجود" in sold_out

    archived = post_form(
        client,
        f"/dashboard/products/{catalogue['id']}/archive",
        {},
        token_from=f"/dashboard/products/{catalogue['id']}",
    )
    assert archived.status_code == 302
    assert visitor.get(product_page).status_code == 404
    for path in pages(catalogue):
        if path != product_page:
            assert "رومیزی ستاره‌نشان" not in visitor.get(path).get_data(as_text=True), path


def test_the_version_moves_with_public_writes_only_and_only_when_committed(app, catalogue):
    before = version(app)
    with app.app_context():
        db.session.get(Product, catalogue["id"]).price_rial = 2_000_000
        db.session.rollback()
    assert version(app) == before  # rolled back: nothing changed
    with app.app_context():
        db.session.add(Cart(token="a" * 32))  # a guest's cart is on no public page
        db.session.commit()
    assert version(app) == before
    with app.app_context():
        db.session.execute(update(Product).where(Product.id == catalogue["id"]).values(popularity=7))
        db.session.commit()
    assert version(app) == before + 1  # a bulk UPDATE counts
    with app.app_context():
        owner = db.session.get(type(catalogue["owner"]), catalogue["owner"].id)
        owner.last_login_at = owner.created_at  # not on any public page
        db.session.commit()
    assert version(app) == before + 1
    with app.app_context():
        owner = db.session.get(type(catalogue["owner"]), catalogue["owner"].id)
        owner.display_name = "ستاره"  # a reviewer's name is
        db.session.commit()
    assert version(app) == before + 2


def test_nothing_personal_is_kept_or_served_from_the_cache(app, client, catalogue, login, make_user):
    product_page = "/p/{id}/{slug}".format(**catalogue)
    visitor = app.test_client()
    visitor.get(product_page)  # kept
    buyer = make_user(name="نرگس حسینی")
    login(buyer)
    mine = client.get(product_page)
    assert "نرگس حسینی" in mine.get_data(as_text=True) and "ETag" not in mine.headers
    assert 'name="csrf_token"' in mine.get_data(as_text=True)
    assert "نرگس حسینی" not in visitor.get(product_page).get_data(as_text=True)

    guest = app.test_client()
    added = guest.post("/cart/add", data={"product_id": catalogue["id"], "quantity": 1})  # no session: no token needed
    assert added.status_code == 302
    with_cart = guest.get(product_page).get_data(as_text=True)
    assert 'class="count-badge"' in with_cart  # her badge, not the kept page
    assert "ETag" not in guest.get(product_page).headers
    assert 'class="count-badge"' not in visitor.get(product_page).get_data(as_text=True)

    remembered = app.test_client()
    remembered.set_cookie(app.config.get("REMEMBER_COOKIE_NAME", "remember_token"), "1:x")
    assert "ETag" not in remembered.get(product_page).headers


def test_each_locale_has_its_own_page(app, catalogue):
    visitor = app.test_client()
    assert 'lang="fa"' in visitor.get("/").get_data(as_text=True)
    visitor.set_cookie("locale", "en")
    english = visitor.get("/").get_data(as_text=True)
    assert 'lang="en"' in english and "Rooyesh Market" in english


def test_a_page_whose_render_touched_the_session_is_not_kept(app, catalogue):
    visitor = app.test_client()
    visitor.get("/login")  # a CSRF token: this visitor has a session now
    assert "ETag" not in visitor.get("/").headers
    fresh = app.test_client()
    assert "ETag" in fresh.get("/").headers
    with app.app_context():
        assert not [key for key in cache.cache._cache if "login" in str(key)]  # the login page was never kept


def test_a_search_served_from_the_cache_is_still_logged(app, catalogue):
    visitor = app.test_client()
    path = "/search?q=" + catalogue["word"]
    visitor.get(path).close()  # the log is written when the response is closed
    with statements(app) as ran:
        visitor.get(path).close()
    assert not any("search_change" in statement for statement in ran)  # answered from the cache
    with app.app_context():
        logged = db.session.scalars(select(SearchLog).where(SearchLog.query == catalogue["word"])).all()
    assert len(logged) == 2 and all(row.result_count == 1 for row in logged)


def test_add_to_cart_without_a_session_refuses_another_sites_post(app, catalogue):
    guest = app.test_client()
    cross = guest.post(
        "/cart/add", data={"product_id": catalogue["id"], "quantity": 1}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status_code == 400
    other_origin = guest.post(
        "/cart/add", data={"product_id": catalogue["id"], "quantity": 1}, headers={"Origin": "https://evil.example"}
    )
    assert other_origin.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(Cart)) is None  # nothing stored
    same = guest.post(
        "/cart/add", data={"product_id": catalogue["id"], "quantity": 1}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert same.status_code == 302
    # now she has a session: the token is required like on any other form
    tokenless = guest.post(
        "/cart/add", data={"product_id": catalogue["id"], "quantity": 1}, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert tokenless.status_code == 400


def test_switching_off_the_cache_serves_every_page_fresh(app_factory, catalogue):
    uncached = app_factory(PAGE_CACHE_ENABLED=False)
    response = uncached.test_client().get("/")
    assert response.status_code == 200 and "ETag" not in response.headers


def test_redis_backend_is_never_stale_either(app_factory, catalogue):
    url = "redis://127.0.0.1:6379/14"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        skip_or_fail("REDIS", "Redis is not running on 127.0.0.1:6379")
    shared = app_factory(CACHE_REDIS_URL=url, CACHE_KEY_PREFIX=f"test-{catalogue['id']}-{pytest.__version__}:")
    with shared.app_context():
        cache.clear()
    one, two = shared.test_client(), shared.test_client()
    product_page = "/p/{id}/{slug}".format(**catalogue)
    assert "۱۰۰٬۰۰۰ تومان" in one.get(product_page).get_data(as_text=True)
    with shared.app_context():
        keys = redis.Redis.from_url(url).keys(shared.config["CACHE_KEY_PREFIX"] + "page:*")
        assert keys  # kept in Redis, for every worker
        db.session.get(Product, catalogue["id"]).price_rial = 1_500_000
        db.session.commit()
        pagecache.current_version()
    assert "۱۵۰٬۰۰۰ تومان" in two.get(product_page).get_data(as_text=True)
    with shared.app_context():
        cache.clear()


def test_placing_an_order_moves_the_version(app):
    """Orders show publicly in two ways: stock, and her open made-to-order orders push back the
    ship date a product page promises. Placing one is a public write."""
    before = version(app)
    committed_order(app)
    assert version(app) > before


def test_a_signed_in_visitor_gets_the_kept_page_with_her_own_pieces(app, catalogue, make_user, login):
    """Two buyers, one who saved the product: each sees her own name, token and "saved" state on the
    same kept page, and the second view costs only her pieces' queries, not the page's."""
    product_page = "/p/{id}/{slug}".format(**catalogue)
    nargess, zahra = make_user(name="نرگس حسینی"), make_user(name="زهرا کریمی")
    first, second = app.test_client(), app.test_client()
    login(nargess, the_client=first)
    login(zahra, the_client=second)
    action = re.search(r'action="([^"]*favourites[^"]*)"', first.get(product_page).get_data(as_text=True)).group(1)
    saved = post_form(first, action, {"next": product_page}, token_from=product_page)
    assert saved.status_code == 302
    first.get(product_page)  # renders it with holes, keeps it, shows her flash
    with statements(app) as ran:
        mine = first.get(product_page).get_data(as_text=True)
    ran = [statement for statement in ran if "SAVEPOINT" not in statement]
    assert len(ran) <= 5, ran  # the version, her account and roles, her unread count, "saved?" — not the page's 4
    theirs = second.get(product_page).get_data(as_text=True)
    assert "نرگس حسینی" in mine and "زهرا کریمی" not in mine
    assert "زهرا کریمی" in theirs and "نرگس حسینی" not in theirs
    assert "♥" in mine and "♥" not in theirs and "♡" in theirs
    tokens = [re.findall(r'name="csrf_token" value="([^"]+)"', html) for html in (mine, theirs)]
    assert tokens[0] and tokens[1] and set(tokens[0]).isdisjoint(tokens[1])  # each her own session's token
    assert "<!--personal" not in mine + theirs
    # her token from the kept page works: she can add to cart with it
    added = first.post("/cart/add", data={"csrf_token": tokens[0][0], "product_id": catalogue["id"], "quantity": 1})
    assert added.status_code == 302
    assert 'class="count-badge"' in first.get(product_page).get_data(as_text=True)
    assert 'class="count-badge"' not in second.get(product_page).get_data(as_text=True)


def test_a_signed_in_visitor_sees_a_write_at_once_and_a_preview_is_never_kept(app, catalogue, make_user, login):
    product_page = "/p/{id}/{slug}".format(**catalogue)
    buyer = make_user()
    reader = app.test_client()
    login(buyer, the_client=reader)
    assert shows_price(reader.get(product_page).get_data(as_text=True), "۱۰۰٬۰۰۰")
    with app.app_context():
        db.session.get(Product, catalogue["id"]).price_rial = 1_750_000
        db.session.commit()
    assert shows_price(reader.get(product_page).get_data(as_text=True), "۱۷۵٬۰۰۰")

    with app.app_context():
        draft = ProductFactory(shop=db.session.get(Product, catalogue["id"]).shop, title="پیش‌نویس رومیزی")
        db.session.commit()
        draft_page = f"/p/{draft.id}/{draft.slug}"
    owner = app.test_client()
    login(catalogue["owner"], the_client=owner)
    assert "پیش‌نویس رومیزی" in owner.get(draft_page).get_data(as_text=True)  # her preview
    with statements(app) as ran:
        owner.get(draft_page)
    assert any("FROM product" in statement for statement in ran)  # rendered again: never kept
    assert reader.get(draft_page).status_code == 404
