"""Reviews: one per delivered item by its buyer, the producer's single answer in her dashboard,
and the ratings catalog shows on product pages and storefronts (asked through signals)."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.core.errors import RuleError
from marketplace.extensions import db
from marketplace.orders import reviews, services
from marketplace.orders.models import Review
from tests.conftest import csrf_token, statements
from tests.factories import GOOD_PASSWORD
from tests.orders.buyer_flow import place, reviewed


@pytest.fixture
def buyer(make_user):
    return make_user(name="زهرا کریمی", locale="en")


def review_rows(app):
    with app.app_context():
        return db.session.scalars(select(Review)).all()


def post(client, path, data=None, token_from="/orders"):
    return client.post(path, data={"csrf_token": csrf_token(client, token_from), **(data or {})})


def log_in_owner(client, login, placed):
    """Log the producer of `placed` in, reading English (her account has no language of its own)."""
    client.set_cookie("locale", "en")
    return login(SimpleNamespace(phone=placed.owner.phone), password=GOOD_PASSWORD)


# --- the buyer writes ---------------------------------------------------------------------------


def test_review_a_delivered_item_with_stars_and_text(app, client, login, buyer):
    placed = place(app, buyer, "delivered")
    login(buyer)
    path = f"/orders/{placed.order_id}/items/{placed.item_id}/review"
    html = client.get(path).get_data(as_text=True)
    # five radio buttons in a fieldset with a legend: works without a script, read out one by one
    assert len(re.findall(r'type="radio" value="[1-5]"', html)) == 5 and "<legend>" in html
    response = post(client, path, {"rating": "۴", "body": "رنگ‌ها زيبا بود  و دوخت تميز"}, token_from=path)
    assert response.status_code == 302
    [review] = review_rows(app)
    assert review.rating == 4 and review.body == "رنگ‌ها زیبا بود و دوخت تمیز"  # normalised Persian
    assert review.product_id == placed.product_id and review.shop_id == placed.shop_id
    assert "Your review:" in client.get(f"/orders/{placed.order_id}").get_data(as_text=True)


def test_review_before_delivery_is_refused(app, client, login, buyer):
    placed = place(app, buyer, "shipped")
    login(buyer)
    path = f"/orders/{placed.order_id}/items/{placed.item_id}/review"
    assert "once the order has reached you" in client.get(path).get_data(as_text=True)
    response = post(client, path, {"rating": "5"}, token_from=f"/orders/{placed.order_id}")
    assert response.status_code == 422 and "once the order has reached you" in response.get_data(as_text=True)
    assert review_rows(app) == []


def test_second_review_of_the_same_item_is_refused(app, client, login, buyer):
    placed = reviewed(app, buyer, 5, "عالی")
    login(buyer)
    path = f"/orders/{placed.order_id}/items/{placed.item_id}/review"
    response = post(client, path, {"rating": "1", "body": "بد"}, token_from=f"/orders/{placed.order_id}")
    assert response.status_code == 422 and "already reviewed" in response.get_data(as_text=True)
    assert [(r.rating, r.body) for r in review_rows(app)] == [(5, "عالی")]


def test_the_database_keeps_one_review_per_item(app, app_ctx, make_user):
    placed = reviewed(app, make_user(), 5)
    order = services.buyer_order(placed.buyer_id, placed.order_id)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(Review(order_item_id=placed.item_id, shop_id=placed.shop_id, rating=3))
        db.session.flush()
    # a second tab whose item was loaded before the first review: the UNIQUE refuses it, politely
    db.session.expire_all()
    item = order.items[0]
    item.review = None  # as that tab saw it
    with pytest.raises(RuleError) as refused:
        reviews.add_review(order, item, buyer_id=placed.buyer_id, rating=2, body="")
    assert refused.value.message is reviews.ALREADY_REVIEWED


def test_too_long_text_is_kept_in_the_form_with_a_message(app, client, login, buyer):
    placed = place(app, buyer, "delivered")
    login(buyer)
    path = f"/orders/{placed.order_id}/items/{placed.item_id}/review"
    long_text = "خوب " * 300
    response = post(client, path, {"rating": "5", "body": long_text}, token_from=path)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "under 1000 characters" in html and long_text.strip() in html
    assert 'value="5" checked' in html or 'checked value="5"' in html or re.search(r'checked[^>]*value="5"', html)
    assert review_rows(app) == []


def test_stars_must_be_chosen(app, client, login, buyer):
    placed = place(app, buyer, "delivered")
    login(buyer)
    path = f"/orders/{placed.order_id}/items/{placed.item_id}/review"
    for rating in ("", "0", "6", "x"):
        response = post(client, path, {"rating": rating, "body": "متن"}, token_from=path)
        assert response.status_code == 422 and "one to five stars" in response.get_data(as_text=True)
    assert review_rows(app) == []


def test_review_without_csrf_token_is_refused(app, client, login, buyer):
    placed = place(app, buyer, "delivered")
    login(buyer)
    path = f"/orders/{placed.order_id}/items/{placed.item_id}/review"
    assert client.post(path, data={"rating": "5"}).status_code == 400
    assert review_rows(app) == []


# --- the producer answers -----------------------------------------------------------------------


def test_producer_answers_once_and_the_answer_shows_on_the_product_page(app, client, login, buyer):
    placed = reviewed(app, buyer, 4, "قشنگ بود")
    log_in_owner(client, login, placed)
    html = client.get("/dashboard/reviews").get_data(as_text=True)
    assert "قشنگ بود" in html
    [review] = review_rows(app)
    path = f"/dashboard/reviews/{review.id}/reply"
    assert post(client, path, {"reply": "ممنون از لطفتان"}, token_from="/dashboard/reviews").status_code == 302
    response = post(client, path, {"reply": "دوباره"}, token_from="/dashboard/reviews")
    assert response.status_code == 422 and "already answered" in response.get_data(as_text=True)
    [review] = review_rows(app)
    assert review.reply == "ممنون از لطفتان" and review.replied_at is not None
    page = client.get(f"/p/{placed.product_id}/{placed.product_slug}").get_data(as_text=True)
    assert "ممنون از لطفتان" in page and "قشنگ بود" in page


def test_empty_or_long_answer_is_refused_and_kept(app, client, login, buyer):
    placed = reviewed(app, buyer, 4)
    log_in_owner(client, login, placed)
    [review] = review_rows(app)
    path = f"/dashboard/reviews/{review.id}/reply"
    assert "Write your answer first" in post(client, path, {"reply": "  "}, "/dashboard/reviews").get_data(True)
    long_answer = "سپاس " * 250
    response = post(client, path, {"reply": long_answer}, token_from="/dashboard/reviews")
    assert response.status_code == 422 and long_answer.strip() in response.get_data(as_text=True)
    assert review_rows(app)[0].replied_at is None


def test_producer_sees_and_answers_only_her_shops_reviews(app, client, login, buyer, make_user):
    mine = reviewed(app, buyer, 5, "نظر برای من")
    theirs = reviewed(app, make_user(), 2, "نظر برای دیگری")
    log_in_owner(client, login, mine)
    html = client.get("/dashboard/reviews").get_data(as_text=True)
    assert "نظر برای من" in html and "نظر برای دیگری" not in html
    with app.app_context():
        other = db.session.scalars(select(Review).where(Review.shop_id == theirs.shop_id)).one()
    response = post(client, f"/dashboard/reviews/{other.id}/reply", {"reply": "نه"}, "/dashboard/reviews")
    assert response.status_code == 404
    with app.app_context():
        assert db.session.get(Review, other.id).replied_at is None


def test_a_buyer_cannot_open_the_producers_review_desk(client, login, buyer):
    login(buyer)
    assert client.get("/dashboard/reviews").status_code == 403


# --- ratings on the public pages ----------------------------------------------------------------


def test_product_page_and_storefront_show_the_average_and_the_latest_reviews(app, client, buyer, make_user):
    first = reviewed(app, buyer, 5, "عالی بود", reply="ممنونم")
    reviewed(app, make_user(name="مینا"), 4, "خوب بود", product_id=first.product_id)
    client.set_cookie("locale", "en")
    page = client.get(f"/p/{first.product_id}/{first.product_slug}").get_data(as_text=True)
    assert "Rated 4.5 out of 5" in page and "(2 reviews)" in page
    assert page.index("خوب بود") < page.index("عالی بود")  # newest first
    assert "ممنونم" in page and "زهرا" in page and "کریمی" not in page  # first names only
    assert 'role="img" aria-label="5 out of 5 stars"' in page
    storefront = client.get(f"/shop/{first.shop_slug}").get_data(as_text=True)
    assert "Rated 4.5 out of 5" in storefront and "(2 reviews)" in storefront


def test_ratings_in_persian_digits(app, client, buyer):
    placed = reviewed(app, buyer, 4)
    page = client.get(f"/p/{placed.product_id}/{placed.product_slug}").get_data(as_text=True)
    assert "۴" in re.search(r'class="rating-line".*?</p>', page, re.S).group(0)


def test_no_reviews_no_rating_line(app, client, buyer):
    placed = place(app, buyer, "delivered")
    assert 'class="rating-line"' not in client.get(f"/p/{placed.product_id}/{placed.product_slug}").get_data(True)
    assert 'class="rating-line"' not in client.get(f"/shop/{placed.shop_slug}").get_data(as_text=True)


def test_public_pages_do_not_write_and_read_reviews_in_few_queries(app, client, login, buyer):
    placed = reviewed(app, buyer, 5, "عالی")
    login(buyer)  # signed in: the favourite and follow state is asked too
    for path, most in ((f"/p/{placed.product_id}/{placed.product_slug}", 2), (f"/shop/{placed.shop_slug}", 1)):
        with statements(app) as ran:
            assert client.get(path).status_code == 200
        assert not [s for s in ran if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))], path
        assert len([s for s in ran if "FROM review" in s]) <= most, path
        assert len([s for s in ran if "FROM favourite" in s or "FROM follow" in s]) <= 1, path
