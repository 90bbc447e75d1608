"""Who is told what when an order is placed or changes status: notifications and text messages,
written in the order's transaction and sent by the outbox worker."""

from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import func, select

from marketplace.accounts.models import Notification
from marketplace.core import outbox
from marketplace.extensions import db
from marketplace.orders import services
from marketplace.orders.models import OrderStatus
from marketplace.payments import services as payments
from tests.conftest import sent_sms
from tests.factories import UserFactory
from tests.orders.ordering import notices, place

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def fa(value) -> str:
    return str(value).translate(FA)


def sms_rows() -> list[outbox.OutboxMessage]:
    return list(db.session.scalars(select(outbox.OutboxMessage).where(outbox.OutboxMessage.kind == "sms")))


def test_a_placed_order_tells_the_producer_once_and_texts_her_phone(app):
    order = place(price_toman=250_000)
    owner, buyer = order.shop.owner, order.buyer
    [notice] = notices(owner.id)
    assert notice.link == f"/dashboard/orders/{order.id}" and notice.read_at is None
    assert notice.text == f"سفارش تازهٔ #{fa(order.id)} از زهرا کریمی — جمع ۲۵۰٬۰۰۰ تومان."
    assert notices(buyer.id) == []  # she placed it herself: the confirmation page says it
    [row] = sms_rows()
    assert row.payload["to"] == owner.phone
    db.session.commit()
    assert sent_sms(app) == []  # nothing leaves the transaction: the worker sends it
    assert outbox.drain(app)["done"] == 1
    [sms] = sent_sms(app)
    assert sms["to"] == owner.phone
    assert sms["text"] == notice.text + "\n" + current_app.config["PUBLIC_URL"] + f"/dashboard/orders/{order.id}"


def test_nothing_is_sent_when_the_transaction_rolls_back(app):
    order = place()
    owner_id = order.shop.owner_id
    assert len(notices(owner_id)) == 1 and len(sms_rows()) == 1
    db.session.rollback()  # e.g. a later step of the same request failed
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert sms_rows() == []
    assert outbox.drain(app)["done"] == 0
    assert sent_sms(app) == []


def test_every_status_change_tells_the_buyer_in_her_words(app):
    order = place(delivery="post")
    owner, buyer = order.shop.owner, order.buyer
    ship_by = date.today() + timedelta(days=3)
    services.accept(order, actor_id=owner.id, expected_ship_date=ship_by, today=date.today())
    services.ship(order, actor_id=owner.id, carrier="پست پیشتاز", tracking_code="123456789")
    services.deliver(order, actor_id=owner.id)
    texts = [n.text for n in notices(buyer.id)]
    number = fa(order.id)
    assert texts[0].startswith(f"«گلدوزی مریم» سفارش #{number} را پذیرفت؛ تا ")  # with the ship date, Jalali
    assert "۱۴۰" in texts[0]
    assert texts[1] == f"سفارش #{number} با پست پیشتاز فرستاده شد؛ کد رهگیری: 123456789."
    assert texts[2].startswith(f"سفارش #{number} تحویل شد.")
    assert {n.link for n in notices(buyer.id)} == {f"/orders/{order.id}"}
    # the producer did all three herself: only her new-order notice
    assert len(notices(owner.id)) == 1
    assert [row.payload["to"] for row in sms_rows()] == [owner.phone] + [buyer.phone] * 3


def test_pickup_order_says_where_to_collect_it(app):
    order = place(delivery="pickup_centre")
    owner = order.shop.owner
    services.accept(order, actor_id=owner.id, expected_ship_date=None)
    services.ship(order, actor_id=owner.id, carrier="", tracking_code="")
    assert "مرکز رویش" in notices(order.buyer_id)[-1].text


def test_producer_cancelling_gives_the_buyer_the_reason(app):
    order = place()
    owner = order.shop.owner
    services.cancel(order, actor_id=owner.id, reason="نخ این رنگ تمام شده", by="producer")
    [notice] = notices(order.buyer_id)
    assert notice.text == f"سفارش #{fa(order.id)} لغو شد. دلیل: نخ این رنگ تمام شده"
    assert len(notices(owner.id)) == 1  # only the new order: she cancelled it herself


def test_buyer_cancelling_tells_the_producer_not_the_buyer(app):
    order = place()
    buyer, owner = order.buyer, order.shop.owner
    services.cancel(order, actor_id=buyer.id, reason="اشتباه سفارش دادم", by="buyer")
    assert notices(buyer.id) == []
    latest = notices(owner.id)[-1]
    assert latest.text == f"زهرا کریمی سفارش #{fa(order.id)} را لغو کرد. دلیل: اشتباه سفارش دادم"
    assert sms_rows()[-1].payload["to"] == owner.phone


def test_staff_cancelling_tells_both_sides(app):
    order = place()
    staff = UserFactory(roles={"staff"})
    services.cancel(order, actor_id=staff.id, reason="درخواست خریدار", by="staff")
    assert "درخواست خریدار" in notices(order.buyer_id)[-1].text
    assert "درخواست خریدار" in notices(order.shop.owner_id)[-1].text


def test_buyer_confirming_delivery_tells_the_producer_in_the_app_only(app):
    order = place()
    buyer, owner = order.buyer, order.shop.owner
    services.accept(order, actor_id=owner.id, expected_ship_date=None)
    services.ship(order, actor_id=owner.id, carrier="", tracking_code="")
    sms_before = len(sms_rows())
    services.deliver(order, actor_id=buyer.id)
    assert "تحویل گرفت" in notices(owner.id)[-1].text
    assert len(sms_rows()) == sms_before  # no text message for it
    assert not any("تحویل شد" in n.text for n in notices(buyer.id))  # she confirmed it herself


@pytest.fixture
def card_payments(app, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_x")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_x")
    payments.set_rate(app.config["STRIPE_CURRENCY"], 1_000_000, None)


def test_card_order_reaches_the_producer_only_once_paid(app, card_payments):
    order = place(payment="card")
    assert order.status == OrderStatus.PENDING_PAYMENT
    owner, buyer = order.shop.owner, order.buyer
    assert notices(owner.id) == [] and sms_rows() == []  # it may still expire unpaid
    payments.mark_paid(order.checkout.payment)
    assert order.status == OrderStatus.PAID
    assert notices(owner.id)[0].text.startswith(f"سفارش تازهٔ پرداخت‌شده #{fa(order.id)} از زهرا کریمی")
    assert notices(buyer.id)[0].text.startswith(f"پرداخت سفارش #{fa(order.id)} رسید.")  # her receipt
    assert {row.payload["to"] for row in sms_rows()} == {owner.phone, buyer.phone}


def test_an_expired_card_order_tells_only_the_buyer(app, card_payments):
    order = place(payment="card")
    payments.record_failure(order.checkout.payment, status="expired")
    assert order.status == OrderStatus.CANCELLED
    [notice] = notices(order.buyer_id)
    assert "پرداخت انجام نشد" in notice.text
    assert notices(order.shop.owner_id) == []  # she never heard of it


def test_texts_follow_each_readers_language(app):
    buyer = UserFactory(display_name="Sara", locale="en")
    order = place(buyer, price_toman=120_000)
    services.cancel(order, actor_id=order.shop.owner_id, reason="out of thread", by="producer")
    assert notices(order.shop.owner_id)[0].text.startswith("سفارش تازهٔ")  # the producer reads Persian
    [notice] = notices(buyer.id)
    assert notice.text == f"Order #{order.id} was cancelled. Reason: out of thread"


def test_a_long_reason_is_cut_to_fit(app):
    order = place()
    services.cancel(order, actor_id=order.shop.owner_id, reason="دلیل " * 200, by="producer")
    [notice] = notices(order.buyer_id)
    assert len(notice.text) < 200 and notice.text.endswith("…")
