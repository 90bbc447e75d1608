"""The cart and checkout through HTTP: guests and buyers, merge on login, prices from the database,
tampered forms, other people's ids."""

import re

import pytest

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.models import Address, Cart, Order
from marketplace.payments.models import Payment
from tests.conftest import csrf_token, post_form
from tests.factories import ProductFactory

ADDRESS = {
    "receiver_name": "زهرا کریمی",
    "receiver_phone": "۰۹۱۵۱۲۳۴۵۶۷",
    "province": "خراسان رضوی",
    "city": "مشهد",
    "line": "بلوار توس، کوچه ۱۲، پلاک ۵",
    "postal_code": "۹۱۸۷۶۵۴۳۲۱",
}


@pytest.fixture
def goods(make):
    """Two public products in two approved shops."""
    shawl = make(ProductFactory, shop__status="approved", status="published", price_toman=100_000, stock=3)
    kilim = make(ProductFactory, shop__status="approved", status="published", price_toman=250_000, stock=1)
    return shawl, kilim


def add(client, product, quantity=1, **extra):
    return post_form(client, "/cart/add", {"product_id": product.id, "quantity": quantity, **extra}, token_from="/cart")


def place(client, shops, **fields):
    data = {f"delivery_{shop_id}": method for shop_id, method in shops.items()}
    data.update({"address_id": "new", "payment_method": "centre", "place": "1", **ADDRESS})
    data.update(fields)
    return post_form(client, "/checkout", data, token_from="/cart")


def test_guest_cart_survives_login_and_checkout_makes_one_order_per_shop(app, client, goods, make_user, login):
    shawl, kilim = goods
    assert add(client, shawl, 2).status_code == 302
    add(client, kilim, 1)
    page = client.get("/cart").get_data(as_text=True)
    assert shawl.title in page and kilim.title in page
    assert client.get("/checkout").status_code == 302  # a guest logs in first
    buyer = make_user()
    login(buyer)
    response = place(client, {shawl.shop_id: "post", kilim.shop_id: "pickup_centre"})
    assert response.status_code == 302, response.get_data(as_text=True)
    checkout_id = int(re.search(r"/checkout/(\d+)/done", response.headers["Location"]).group(1))
    done = client.get(f"/checkout/{checkout_id}/done").get_data(as_text=True)
    with app.app_context():
        orders = db.session.query(Order).filter_by(buyer_id=buyer.id).all()
        assert len(orders) == 2
        assert {o.shop_id for o in orders} == {shawl.shop_id, kilim.shop_id}
        assert db.session.get(Product, kilim.id).stock == 0
        assert db.session.query(Address).filter_by(user_id=buyer.id).count() == 1
        total = db.session.get(Payment, orders[0].checkout.payment_id).amount_rial
    assert total == 2 * 1_000_000 + 2_500_000 + app.config["DEFAULT_POST_FEE_RIAL"]
    assert "۲" in done or "2" in done


def test_posted_prices_are_ignored(app, client, goods, make_user, login):
    shawl, _kilim = goods
    login(make_user())
    add(client, shawl, 1, price_rial=10, unit_price=1)
    response = place(client, {shawl.shop_id: "pickup_centre"}, total_rial=1, price="1")
    assert response.status_code == 302
    with app.app_context():
        order = db.session.query(Order).filter_by(shop_id=shawl.shop_id).one()
        assert order.total_rial == 1_000_000 and order.items[0].unit_price_rial == 1_000_000


@pytest.mark.parametrize("quantity", ["0", "-1", "4", "abc", "99999999999999999999"])
def test_quantities_outside_stock_are_refused(app, client, goods, quantity):
    shawl, _ = goods  # 3 in stock
    add(client, shawl, quantity)
    with app.app_context():
        carts = db.session.query(Cart).all()
        assert all(item.quantity <= 3 and item.quantity >= 1 for cart in carts for item in cart.items)
        if quantity == "4":
            assert not any(cart.items for cart in carts)


def test_another_users_address_is_not_used(app, client, goods, make_user, login):
    shawl, _ = goods
    other = make_user()
    with app.app_context():
        theirs = Address(
            user_id=other.id,
            receiver_name="دیگری",
            receiver_phone="+989150000000",
            province="تهران",
            city="تهران",
            line="خیابان دیگری، پلاک ۱۰۰",
            postal_code="1234567890",
        )
        db.session.add(theirs)
        db.session.commit()
        theirs_id = theirs.id
    login(make_user())
    add(client, shawl, 1)
    response = place(client, {shawl.shop_id: "post"}, address_id=str(theirs_id))
    assert response.status_code == 422
    with app.app_context():
        assert db.session.query(Order).count() == 0


def test_another_cart_line_cannot_be_changed(app, client, goods, make_user, login, make):
    shawl, kilim = goods
    other_client = app.test_client()
    add(other_client, kilim, 1)
    with app.app_context():
        their_item = db.session.query(Cart).one().items[0].id
    add(client, shawl, 1)
    post_form(client, "/cart/update", {"item_id": their_item, "quantity": "0"}, token_from="/cart")
    with app.app_context():
        assert db.session.query(Cart).count() == 2
        assert all(len(cart.items) == 1 for cart in db.session.query(Cart))


def test_sold_out_at_checkout_names_the_item_and_creates_nothing(app, client, goods, make_user, login):
    shawl, kilim = goods
    login(make_user())
    add(client, kilim, 1)
    with app.app_context():
        db.session.get(Product, kilim.id).stock = 0
        db.session.commit()
    response = place(client, {kilim.shop_id: "pickup_centre"})
    assert response.status_code == 422
    assert kilim.title in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Order).count() == 0 and db.session.query(Payment).count() == 0


def test_missing_address_keeps_what_was_typed(client, goods, make_user, login):
    shawl, _ = goods
    login(make_user())
    add(client, shawl, 1)
    response = place(client, {shawl.shop_id: "post"}, postal_code="123", receiver_name="مریم")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="مریم"' in page and 'value="123"' in page


def test_checkout_without_csrf_is_refused(client, goods, make_user, login):
    shawl, _ = goods
    login(make_user())
    add(client, shawl, 1)
    response = client.post("/checkout", data={"place": "1", f"delivery_{shawl.shop_id}": "pickup_centre"})
    assert response.status_code == 400


def test_someone_elses_checkout_is_not_found(app, client, goods, make_user, login):
    shawl, _ = goods
    buyer = make_user()
    login(buyer)
    add(client, shawl, 1)
    response = place(client, {shawl.shop_id: "pickup_centre"})
    done_url = response.headers["Location"]
    intruder = app.test_client()
    login(make_user(), the_client=intruder)
    assert intruder.get(done_url).status_code == 404
    assert csrf_token(intruder, "/cart")


def test_logout_leaves_the_cart_with_the_account(app, client, goods, make_user, login):
    shawl, _ = goods
    buyer = make_user()
    login(buyer)
    add(client, shawl, 2)
    assert "cart-link" in client.get("/cart").get_data(as_text=True)
    post_form(client, "/logout", {}, token_from="/cart")
    assert shawl.title not in client.get("/cart").get_data(as_text=True)
    login(buyer)
    assert shawl.title in client.get("/cart").get_data(as_text=True)
