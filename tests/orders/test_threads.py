"""An order's message thread: the services, and the three addresses (buyer, producer, staff), each
scoped to who asks."""

import re

import pytest
from sqlalchemy import select

from marketplace.core import outbox
from marketplace.core.errors import RuleError
from marketplace.extensions import db
from marketplace.orders import services, threads
from marketplace.orders.models import OrderMessage
from tests.conftest import post_form, sent_sms
from tests.orders.ordering import committed_order, notices, place

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def messages_of(order_id: int) -> list[OrderMessage]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(OrderMessage).where(OrderMessage.order_id == order_id).order_by(OrderMessage.id))
    )


# --- services -------------------------------------------------------------------------------


def test_buyer_writes_and_the_producer_is_told(app, app_ctx):
    order = place()
    buyer, owner = order.buyer, order.shop.owner
    before = len(notices(owner.id))
    message = threads.post_message(order, buyer, threads.Side.BUYER, "  سلام، رنگ آبي هم دارید؟  ")
    assert message.body == "سلام، رنگ آبی هم دارید؟"  # normalised: Persian letters, trimmed
    notice = notices(owner.id)[-1]
    assert len(notices(owner.id)) == before + 1
    assert notice.link == f"/dashboard/orders/{order.id}/messages"
    number = str(order.id).translate(FA)
    assert notice.text == f"پیام تازه دربارهٔ سفارش #{number} از زهرا کریمی: سلام، رنگ آبی هم دارید؟"
    assert notices(buyer.id) == []  # the author is not told about her own message
    db.session.commit()
    outbox.drain(app)
    assert sent_sms(app)[-1]["to"] == owner.phone


def test_producer_answers_and_the_buyer_is_told_with_a_short_preview(app_ctx):
    order = place()
    threads.post_message(order, order.shop.owner, threads.Side.PRODUCER, "بله " * 100)
    [notice] = notices(order.buyer_id)
    assert notice.link == f"/orders/{order.id}/messages"
    assert "گلدوزی مریم" in notice.text and notice.text.endswith("…") and len(notice.text) < 150


def test_empty_and_too_long_messages_are_refused(app_ctx):
    order = place()
    for text in ("", "   \n  ", None):
        with pytest.raises(RuleError) as refused:
            threads.post_message(order, order.buyer, threads.Side.BUYER, text)
        assert refused.value.field == "body"
    with pytest.raises(RuleError):
        threads.post_message(order, order.buyer, threads.Side.BUYER, "ب" * (threads.MAX_BODY + 1))
    threads.post_message(order, order.buyer, threads.Side.BUYER, "ب" * threads.MAX_BODY)
    assert len(messages_of(order.id)) == 1


def test_a_cancelled_order_keeps_its_thread_open(app_ctx):
    order = place()
    services.cancel(order, actor_id=order.buyer_id, reason="", by="buyer")
    threads.post_message(order, order.buyer, threads.Side.BUYER, "پولم کی برمی‌گردد؟")
    assert [m.body for m in threads.thread_messages(order)] == ["پولم کی برمی‌گردد؟"]


def test_thread_reads_oldest_first_and_names_each_author(app_ctx):
    order = place()
    buyer, owner = order.buyer, order.shop.owner
    first = threads.post_message(order, buyer, threads.Side.BUYER, "یک")
    second = threads.post_message(order, owner, threads.Side.PRODUCER, "دو")
    assert threads.thread_messages(order) == [first, second]
    assert str(threads.author_label(first, order, buyer.id)) == "شما"
    assert threads.author_label(second, order, buyer.id) == "گلدوزی مریم"
    assert threads.author_label(first, order, owner.id) == "زهرا کریمی"


# --- routes ---------------------------------------------------------------------------------


def thread_url(kind: str, order_id: int) -> str:
    return {
        "buyer": "/orders/{}/messages",
        "producer": "/dashboard/orders/{}/messages",
        "staff": "/staff/orders/{}/messages",
    }[kind].format(order_id)


def test_buyer_posts_from_her_page_and_reads_the_answer(app, client, login):
    placed = committed_order(app)
    login(placed.buyer)
    url = thread_url("buyer", placed.order_id)
    page = client.get(url)
    assert page.status_code == 200 and "هنوز پیامی نیست" in page.get_data(as_text=True)
    response = post_form(client, url, {"body": "کی می‌فرستید؟"}, token_from=url)
    assert response.status_code == 302
    with app.app_context():
        [message] = messages_of(placed.order_id)
        assert response.headers["Location"] == f"{url}#message-{message.id}"
        assert notices(placed.owner.id)[-1].link == thread_url("producer", placed.order_id)
        order = services.buyer_order(placed.buyer.id, placed.order_id)
        threads.post_message(order, order.shop.owner, threads.Side.PRODUCER, "فردا صبح")
        db.session.commit()
    html = client.get(url).get_data(as_text=True)
    assert re.search(r"<bdi>شما</bdi>.*کی می‌فرستید؟.*<bdi>گلدوزی مریم</bdi>.*فردا صبح", html, re.S)


def test_empty_message_is_refused_next_to_the_box_and_a_long_one_is_kept(app, client, login):
    placed = committed_order(app)
    login(placed.buyer)
    url = thread_url("buyer", placed.order_id)
    empty = post_form(client, url, {"body": "   "}, token_from=url)
    assert empty.status_code == 422
    assert 'id="body-error">اول پیامتان را بنویسید.' in empty.get_data(as_text=True)
    long_text = "خیلی طولانی " * 200
    refused = post_form(client, url, {"body": long_text}, token_from=url)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "۲۰۰۰" in html and long_text.strip() in html
    with app.app_context():
        assert messages_of(placed.order_id) == []


def test_producer_answers_from_her_desk(app, client, login):
    placed = committed_order(app)
    login(placed.owner)
    url = thread_url("producer", placed.order_id)
    assert client.get(url).status_code == 200
    assert post_form(client, url, {"body": "سلام، آماده است."}, token_from=url).status_code == 302
    with app.app_context():
        assert notices(placed.buyer.id)[-1].link == thread_url("buyer", placed.order_id)


def test_another_buyer_and_another_producer_see_no_such_order(app, client, login):
    placed = committed_order(app)
    other = committed_order(app, shop_name="سفال توس")  # another buyer, another shop
    login(other.buyer)
    mine = thread_url("buyer", placed.order_id)
    assert client.get(mine).status_code == 404
    assert post_form(client, mine, {"body": "سلام"}, token_from="/").status_code == 404
    assert client.get(thread_url("producer", placed.order_id)).status_code == 403  # not a producer
    assert client.get(thread_url("staff", placed.order_id)).status_code == 403  # a buyer on the staff URL
    other_client = app.test_client()
    login(other.owner, the_client=other_client)
    theirs = thread_url("producer", placed.order_id)
    assert other_client.get(theirs).status_code == 404
    assert post_form(other_client, theirs, {"body": "سلام"}, token_from="/").status_code == 404
    assert other_client.get(thread_url("buyer", placed.order_id)).status_code == 404  # not her order as a buyer
    assert other_client.get(thread_url("staff", placed.order_id)).status_code == 403
    with app.app_context():
        assert messages_of(placed.order_id) == []


def test_visitors_are_sent_to_log_in(app, client):
    placed = committed_order(app)
    for kind in ("buyer", "producer", "staff"):
        response = client.get(thread_url(kind, placed.order_id))
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_posting_without_the_csrf_token_is_refused(app, client, login):
    placed = committed_order(app)
    login(placed.buyer)
    response = client.post(thread_url("buyer", placed.order_id), data={"body": "سلام"})
    assert response.status_code == 400
    with app.app_context():
        assert messages_of(placed.order_id) == []


def test_staff_read_any_thread_with_the_order_summary_and_cannot_write(app, client, login, staff):
    placed = committed_order(app)
    with app.app_context():
        order = services.buyer_order(placed.buyer.id, placed.order_id)
        threads.post_message(order, order.buyer, threads.Side.BUYER, "جنس خراب رسید")
        db.session.commit()
    login(staff)
    url = thread_url("staff", placed.order_id)
    html = client.get(url).get_data(as_text=True)
    assert "جنس خراب رسید" in html and "گلدوزی مریم" in html and "زهرا کریمی" in html
    assert "<textarea" not in html  # read-only
    assert post_form(client, url, {"body": "سلام"}, token_from="/").status_code == 405
    assert client.get("/staff/orders/999999/messages").status_code == 404
