"""The buyer's order pages over HTTP: her list, one order with its timeline, cancel before acceptance,
confirm delivery after sending, favourites and follows; every order URL is a 404 for anyone else."""

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from marketplace.catalog.models import Product
from marketplace.extensions import db
from marketplace.orders.models import Favourite, Follow, LedgerEntry, Order, OrderStatus
from tests.conftest import csrf_token
from tests.factories import ProductFactory, ShopFactory
from tests.orders.buyer_flow import place


@pytest.fixture
def buyer(make_user):
    return make_user(name="زهرا کریمی", locale="en")


def order_status(app, order_id):
    with app.app_context():
        return db.session.get(Order, order_id).status


def post(client, path, data=None, token_from="/orders"):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **(data or {})})


def test_guest_is_sent_to_log_in(client):
    response = client.get("/orders")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_list_shows_her_orders_newest_first_and_nobody_elses(app, client, login, buyer, make_user):
    first = place(app, buyer)
    second = place(app, buyer, "shipped")
    other = place(app, make_user())
    login(buyer)
    html = client.get("/orders").get_data(as_text=True)
    links = re.findall(r'href="/orders/(\d+)"', html)
    assert links.index(str(second.order_id)) < links.index(str(first.order_id))
    assert str(other.order_id) not in links
    assert "Waiting for the producer" in html and "Sent" in html
    assert "100,000 toman" in html  # the factory's price, pickup at the centre: no delivery fee


def test_orders_of_one_checkout_are_shown_together(app, client, login, buyer):
    from marketplace.orders import cart as carts
    from marketplace.orders import checkout

    with app.app_context():
        user = db.session.merge(buyer)
        one, two = (ProductFactory(shop=ShopFactory(status="approved"), status="published") for _ in range(2))
        cart = carts.open_cart(user_id=user.id, token=None)
        for product in (one, two):
            carts.add_item(cart, product.id, None, 1, max_line=20)
        choice = checkout.CheckoutChoice({one.shop_id: "pickup_centre", two.shop_id: "pickup_centre"}, "centre", None)
        checkout.place_order(app, user, cart, choice)
        db.session.commit()
    login(buyer)
    html = client.get("/orders").get_data(as_text=True)
    assert "Ordered together on" in html and "from 2 workshops" in html


def test_detail_shows_items_totals_delivery_payment_and_timeline(app, client, login, buyer):
    placed = place(app, buyer, "accepted")
    login(buyer)
    html = client.get(f"/orders/{placed.order_id}").get_data(as_text=True)
    assert f'href="/p/{placed.product_id}/' in html
    assert "Pick up at the Rooyesh centre" in html and "Pay at the centre" in html
    assert "Not paid yet" in html
    assert f'href="/orders/{placed.order_id}/receipt"' in html
    assert f'href="/orders/{placed.order_id}/messages"' in html
    timeline = html.split("What happened", 1)[1]
    assert "You placed the order" in timeline and "Accepted by the producer" in timeline
    assert "— you" in re.sub(r"\s+", " ", timeline)  # who: her for placing it, the shop for accepting
    assert "Cancel this order" not in html  # accepted: too late for her to cancel


def test_persian_page_uses_jalali_dates_and_persian_digits(app, client, login, make_user):
    persian = make_user(locale="fa")
    placed = place(app, persian)
    login(persian)
    html = client.get(f"/orders/{placed.order_id}").get_data(as_text=True)
    assert "۱۴۰" in html  # a Jalali year (۱۴۰۴, ۱۴۰۵…)
    assert "۱۰۰٬۰۰۰" in html


def test_another_buyer_gets_404_on_every_order_url(app, client, login, buyer, make_user):
    placed = place(app, buyer, "delivered")
    login(make_user())
    base = f"/orders/{placed.order_id}"
    assert client.get(base).status_code == 404
    assert client.get(f"{base}/items/{placed.item_id}/review").status_code == 404
    for path in (f"{base}/cancel", f"{base}/delivered", f"{base}/items/{placed.item_id}/review"):
        assert post(client, path, {"rating": "5"}).status_code == 404, path
    assert order_status(app, placed.order_id) == OrderStatus.DELIVERED


def test_an_item_of_another_order_is_404(app, client, login, buyer):
    mine, also_mine = place(app, buyer, "delivered"), place(app, buyer, "delivered")
    login(buyer)
    assert client.get(f"/orders/{mine.order_id}/items/{also_mine.item_id}/review").status_code == 404


def test_cancel_before_acceptance_gives_stock_back(app, client, login, buyer):
    placed = place(app, buyer, stock=2)
    login(buyer)
    response = post(client, f"/orders/{placed.order_id}/cancel", {"reason": "اشتباه سفارش دادم"})
    assert response.status_code == 302
    assert order_status(app, placed.order_id) == OrderStatus.CANCELLED
    with app.app_context():
        assert db.session.get(Product, placed.product_id).stock == 2
    html = client.get(f"/orders/{placed.order_id}").get_data(as_text=True)
    assert "Your order is cancelled." in html and "اشتباه سفارش دادم" in html


def test_cancel_after_acceptance_is_refused(app, client, login, buyer):
    placed = place(app, buyer, "accepted")
    login(buyer)
    response = post(client, f"/orders/{placed.order_id}/cancel")
    assert order_status(app, placed.order_id) == OrderStatus.ACCEPTED
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already accepted" in html


def test_confirm_delivery_before_sending_is_refused(app, client, login, buyer):
    placed = place(app, buyer, "accepted")
    login(buyer)
    post(client, f"/orders/{placed.order_id}/delivered")
    assert order_status(app, placed.order_id) == OrderStatus.ACCEPTED
    assert "cannot go from" in client.get(f"/orders/{placed.order_id}").get_data(as_text=True)


def test_confirm_delivery_after_sending_writes_the_ledger_with_the_commission(app, client, login, buyer):
    placed = place(app, buyer, "shipped")
    login(buyer)
    html = client.get(f"/orders/{placed.order_id}").get_data(as_text=True)
    assert "I received it" in html
    assert post(client, f"/orders/{placed.order_id}/delivered").status_code == 302
    assert order_status(app, placed.order_id) == OrderStatus.DELIVERED
    with app.app_context():
        entry = db.session.scalars(select(LedgerEntry).where(LedgerEntry.order_id == placed.order_id)).one()
        order = db.session.get(Order, placed.order_id)
        assert entry.commission_rial == order.commission_rial and order.money_received_at is not None
        events = [(event.action, event.actor_id) for event in order.events]
    assert ("deliver", placed.buyer_id) in events
    assert "Write a review" in client.get(f"/orders/{placed.order_id}").get_data(as_text=True)


def test_actions_without_csrf_token_are_refused(app, client, login, buyer):
    placed = place(app, buyer, "shipped")
    login(buyer)
    assert client.post(f"/orders/{placed.order_id}/delivered").status_code == 400
    assert client.post(f"/orders/{placed.order_id}/cancel").status_code == 400
    assert client.post(f"/favourites/{placed.product_id}").status_code == 400
    assert order_status(app, placed.order_id) == OrderStatus.SHIPPED


# --- favourites and follows -------------------------------------------------------------------


def test_favourite_toggles_and_is_listed(app, client, login, buyer, make):
    product = make(ProductFactory, shop=make(ShopFactory, status="approved"), status="published", title="شال ابریشمی")
    login(buyer)
    page = f"/p/{product.id}/{product.slug}"
    assert "Save for later" in client.get(page).get_data(as_text=True)
    response = post(client, f"/favourites/{product.id}", {"next": page}, token_from=page)
    assert response.status_code == 302 and unquote(response.headers["Location"]).endswith(page)
    html = client.get(page).get_data(as_text=True)
    assert "Saved (press to remove)" in html and "Saved to your favourites." in html
    assert "شال ابریشمی" in client.get("/favourites").get_data(as_text=True)
    post(client, f"/favourites/{product.id}", {"next": page}, token_from=page)
    with app.app_context():
        assert db.session.scalars(select(Favourite)).all() == []
    assert "شال ابریشمی" not in client.get("/favourites").get_data(as_text=True)


def test_favourite_of_a_product_that_is_not_public_is_refused(app, client, login, buyer, make):
    draft = make(ProductFactory, shop=make(ShopFactory, status="approved"), status="draft")
    login(buyer)
    post(client, f"/favourites/{draft.id}")
    post(client, "/favourites/999999")
    with app.app_context():
        assert db.session.scalars(select(Favourite)).all() == []


def test_favourite_redirect_stays_on_this_site(app, client, login, buyer, make):
    product = make(ProductFactory, shop=make(ShopFactory, status="approved"), status="published")
    login(buyer)
    response = post(client, f"/favourites/{product.id}", {"next": "https://evil.example/"})
    assert response.headers["Location"].endswith("/favourites")


def test_guest_is_sent_to_log_in_and_back(app, client, make):
    product = make(ProductFactory, shop=make(ShopFactory, status="approved"), status="published")
    page = f"/p/{product.id}/{product.slug}"
    html = client.get(page).get_data(as_text=True)
    assert f'/favourites/{product.id}"' not in html  # a guest sees a link to log in, not a form
    assert "/login?next=" in html
    response = post(client, f"/favourites/{product.id}", {"next": page}, token_from="/login")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalars(select(Favourite)).all() == []


def test_follow_toggles_on_the_storefront(app, client, login, buyer, make):
    shop = make(ShopFactory, status="approved", name="کارگاه سفال توس")
    login(buyer)
    page = f"/shop/{shop.slug}"
    assert "Follow this workshop" in client.get(page).get_data(as_text=True)
    post(client, f"/follow/{shop.id}", {"next": page}, token_from=page)
    assert "Following (press to stop)" in client.get(page).get_data(as_text=True)
    assert "کارگاه سفال توس" in client.get("/favourites").get_data(as_text=True)
    post(client, f"/follow/{shop.id}", {"next": "/favourites"}, token_from="/favourites")
    with app.app_context():
        assert db.session.scalars(select(Follow)).all() == []


def test_a_shop_that_is_not_approved_cannot_be_followed(app, client, login, buyer, make):
    draft = make(ShopFactory)
    login(buyer)
    post(client, f"/follow/{draft.id}")
    with app.app_context():
        assert db.session.scalars(select(Follow)).all() == []


def test_orders_list_runs_the_same_queries_for_two_orders_or_six(app, client, login, buyer):
    from tests.conftest import statements

    place(app, buyer)
    place(app, buyer, "shipped")
    login(buyer)
    client.get("/orders")
    with statements(app) as few:
        client.get("/orders")
    for _ in range(4):
        place(app, buyer)
    with statements(app) as many:
        client.get("/orders")
    assert len(many) == len(few)
