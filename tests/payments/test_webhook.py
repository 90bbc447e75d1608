"""The Stripe webhook, end to end over HTTP with events signed for real: bad signatures refused,
each event applied once, shuffled events ending in a sane state with the stock accounted for."""

import time

import pytest
from sqlalchemy import func, select

from marketplace.catalog.models import Product
from marketplace.core import outbox
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderEvent, OrderStatus
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentEvent, PaymentStatus

from .fake_stripe import signed
from .support import place_card_checkout, placed, post_event, start_session

STOCK, QUANTITY = 5, 2


@pytest.fixture
def card(app, stripe_on):
    """A card checkout of two shops (2 of one product, 1 of another), its session open at the fake."""
    with app.app_context():
        done = place_card_checkout((100_000, STOCK, QUANTITY), (40_000, 1, 1))
        ids = placed(done)
        ids.session_id = start_session(done)
    return ids


def state(app, card):
    """(payment status, order statuses, stock of each product, PaymentEvent count, timeline rows)."""
    with app.app_context():
        payment = db.session.get(Payment, card.payment_id)
        orders = [db.session.get(Order, order_id).status for order_id in card.order_ids]
        stock = [db.session.get(Product, product_id).stock for product_id in card.product_ids]
        seen = db.session.scalar(select(func.count(PaymentEvent.id)))
        timeline = db.session.scalar(
            select(func.count(OrderEvent.id)).where(
                OrderEvent.order_id.in_(card.order_ids), OrderEvent.action != "placed"
            )
        )
        return payment.status, orders, stock, seen, timeline


def test_card_checkout_takes_the_stock_and_waits(app, card):
    assert state(app, card) == (PaymentStatus.PENDING, [OrderStatus.PENDING_PAYMENT] * 2, [STOCK - QUANTITY, 0], 0, 0)


def test_bad_signature_stale_timestamp_or_no_header_is_refused_and_changes_nothing(app, client, stripe_on, card):
    event = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    before = state(app, card)
    assert post_event(client, event, secret="whsec_someone_else").status_code == 400
    assert post_event(client, event, timestamp=int(time.time()) - 301).status_code == 400
    body, headers = signed(event)
    assert (
        client.post("/payments/stripe/webhook", data=body, headers={"Content-Type": "application/json"}).status_code
        == 400
    )
    tampered = body.replace(b'"paid"', b'"PAID"', 1)
    assert client.post("/payments/stripe/webhook", data=tampered, headers=headers).status_code == 400
    assert client.post("/payments/stripe/webhook", data=b"not json", headers=headers).status_code == 400
    assert state(app, card) == before
    # a timestamp inside the tolerance is fine (and no CSRF token is asked for)
    assert post_event(client, event, timestamp=int(time.time()) - 250).status_code == 200


def test_webhook_is_off_when_stripe_is_not_configured(app, client, stripe_on, card):
    event = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    assert post_event(client, event).status_code == 404


def test_completed_sent_three_times_is_applied_once(app, client, stripe_on, card):
    event = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    answers = [post_event(client, event) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json["outcome"] for a in answers] == ["paid", "duplicate", "duplicate"]
    assert state(app, card) == (PaymentStatus.PAID, [OrderStatus.PAID] * 2, [STOCK - QUANTITY, 0], 1, 2)
    with app.app_context():
        payment = db.session.get(Payment, card.payment_id)
        assert payment.provider_payment_ref == stripe_on.sessions[card.session_id]["payment_intent"]
        row = db.session.scalars(select(PaymentEvent)).one()
        assert (row.event_id, row.payment_id, row.outcome) == (event["id"], card.payment_id, "paid")


@pytest.mark.parametrize(
    ("move", "event_type", "payment_status", "order_status", "stock_back"),
    [
        ("expire", "checkout.session.expired", PaymentStatus.EXPIRED, OrderStatus.CANCELLED, True),
        ("complete_unpaid", "checkout.session.async_payment_failed", PaymentStatus.FAILED, OrderStatus.CANCELLED, True),
        ("pay", "checkout.session.async_payment_succeeded", PaymentStatus.PAID, OrderStatus.PAID, False),
    ],
)
def test_each_event_three_times_is_applied_once(
    app, client, stripe_on, card, move, event_type, payment_status, order_status, stock_back
):
    event = stripe_on.event(event_type, getattr(stripe_on, move)(card.session_id))
    for _ in range(3):
        assert post_event(client, event).status_code == 200
    stock = [STOCK, 1] if stock_back else [STOCK - QUANTITY, 0]
    assert state(app, card) == (payment_status, [order_status] * 2, stock, 1, 2)


def test_completed_but_unpaid_waits_for_the_async_payment(app, client, stripe_on, card):
    session = stripe_on.complete_unpaid(card.session_id)
    assert post_event(client, stripe_on.event("checkout.session.completed", session)).json["outcome"] == (
        "waiting for the money"
    )
    assert state(app, card)[:2] == (PaymentStatus.PENDING, [OrderStatus.PENDING_PAYMENT] * 2)
    post_event(client, stripe_on.event("checkout.session.async_payment_succeeded", stripe_on.settle(card.session_id)))
    assert state(app, card)[:2] == (PaymentStatus.PAID, [OrderStatus.PAID] * 2)


def test_expired_after_completed_leaves_it_paid(app, client, stripe_on, card):
    paid = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    late = stripe_on.event("checkout.session.expired", dict(stripe_on.sessions[card.session_id], status="expired"))
    assert post_event(client, paid).status_code == 200
    assert post_event(client, late).json["outcome"] == "no change"
    assert state(app, card) == (PaymentStatus.PAID, [OrderStatus.PAID] * 2, [STOCK - QUANTITY, 0], 2, 2)
    with app.app_context():
        assert db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.kind == payments.REFUND)) == 0


def test_completed_after_expired_is_recorded_paid_and_refunded(app, client, stripe_on, card):
    expired = stripe_on.event("checkout.session.expired", dict(stripe_on.sessions[card.session_id], status="expired"))
    assert post_event(client, expired).json["outcome"] == "expired"
    assert state(app, card) == (PaymentStatus.EXPIRED, [OrderStatus.CANCELLED] * 2, [STOCK, 1], 1, 2)
    # the money arrived anyway (Stripe's page was still open): recorded, but the orders stay cancelled
    late = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    for _ in range(3):
        assert post_event(client, late).status_code == 200
    assert state(app, card) == (PaymentStatus.PAID, [OrderStatus.CANCELLED] * 2, [STOCK, 1], 2, 2)  # stock back once
    with app.app_context():
        queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == payments.REFUND)).all()
        assert sorted(m.payload["key"] for m in queued) == sorted(f"order-{order_id}" for order_id in card.order_ids)
        counts = outbox.drain(app)
        assert counts["failed"] == 0  # the two refunds (and any texts)
        payment = db.session.get(Payment, card.payment_id)
        amount_minor, amount_rial = payment.amount_minor, payment.amount_rial
    intent = stripe_on.sessions[card.session_id]["payment_intent"]
    assert stripe_on.refunded(intent) == sum(refund["amount"] for refund in stripe_on.refunds)
    assert len(stripe_on.refunds) == 2 and stripe_on.refunded(intent) in (amount_minor - 1, amount_minor)
    # Stripe confirms the refunds: the payment counts them, the cancelled orders stay cancelled
    post_event(client, stripe_on.event("charge.refunded", stripe_on.charge(card.session_id)))
    status, orders, stock, _seen, _timeline = state(app, card)
    assert orders == [OrderStatus.CANCELLED] * 2 and stock == [STOCK, 1]
    with app.app_context():
        payment = db.session.get(Payment, card.payment_id)
        assert payment.refunded_minor == stripe_on.refunded(intent)
        assert payment.refunded_rial >= amount_rial - amount_rial // amount_minor - 1


def test_full_charge_refunded_refunds_the_orders(app, client, stripe_on, card):
    post_event(client, stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id)))
    with app.app_context():
        payment = db.session.get(Payment, card.payment_id)
        payments.request_refund(payment, payment.amount_rial, key="staff-full")
        db.session.commit()
        outbox.drain(app)
        amount_minor = payment.amount_minor
    assert [refund["amount"] for refund in stripe_on.refunds] == [amount_minor]
    event = stripe_on.event("charge.refunded", stripe_on.charge(card.session_id))
    for _ in range(3):
        assert post_event(client, event).status_code == 200
    assert state(app, card) == (PaymentStatus.REFUNDED, [OrderStatus.REFUNDED] * 2, [STOCK - QUANTITY, 0], 2, 4)
    with app.app_context():
        payment = db.session.get(Payment, card.payment_id)
        assert (payment.refunded_rial, payment.refunded_minor) == (payment.amount_rial, amount_minor)


def test_partial_charge_refunded_is_counted_but_keeps_the_orders(app, client, stripe_on, card):
    post_event(client, stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id)))
    charge = stripe_on.charge(card.session_id)
    charge["amount_refunded"] = charge["amount"] // 2
    post_event(client, stripe_on.event("charge.refunded", charge))
    assert state(app, card)[:2] == (PaymentStatus.PAID, [OrderStatus.PAID] * 2)
    with app.app_context():
        payment = db.session.get(Payment, card.payment_id)
        assert payment.refunded_rial == charge["amount_refunded"] * payment.amount_rial // charge["amount"]
        assert payment.refunded_minor == charge["amount_refunded"]


def test_unknown_event_types_and_sessions_are_recorded_and_answered(app, client, stripe_on, card):
    assert post_event(client, stripe_on.event("customer.created", {"id": "cus_1"})).json["outcome"] == "ignored"
    stranger = stripe_on.event("checkout.session.completed", {"id": "cs_elsewhere", "payment_status": "paid"})
    assert post_event(client, stranger).json["outcome"] == "unknown payment"
    # another site's session with our small ids in its metadata is not ours either
    forged = {
        "id": "cs_other_site",
        "payment_status": "paid",
        "metadata": {"payment_id": str(card.payment_id), "reference": "x"},
    }
    assert (
        post_event(client, stripe_on.event("checkout.session.completed", forged)).json["outcome"] == "unknown payment"
    )
    assert state(app, card)[0] == PaymentStatus.PENDING and state(app, card)[3] == 3


def test_payment_found_by_metadata_when_its_session_id_was_never_stored(app, client, stripe_on, card):
    with app.app_context():
        db.session.get(Payment, card.payment_id).provider_ref = None  # the request died after calling Stripe
        db.session.commit()
    post_event(client, stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id)))
    assert state(app, card)[:2] == (PaymentStatus.PAID, [OrderStatus.PAID] * 2)
    with app.app_context():
        assert db.session.get(Payment, card.payment_id).provider_ref == card.session_id


def test_a_racing_duplicate_rolls_back_and_answers_200(app, client, stripe_on, card, monkeypatch):
    event = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    assert post_event(client, event).status_code == 200
    # the other delivery committed between our look-up and our insert: only the unique key notices
    monkeypatch.setattr(payments, "record_event", _insert_without_looking)
    answer = post_event(client, event)
    assert (answer.status_code, answer.json["outcome"]) == (200, "duplicate")
    assert state(app, card) == (PaymentStatus.PAID, [OrderStatus.PAID] * 2, [STOCK - QUANTITY, 0], 1, 2)


def _insert_without_looking(provider, event_id, event_type):
    row = PaymentEvent(provider=provider, event_id=event_id, type=event_type)
    db.session.add(row)
    db.session.flush()
    return row


def test_refused_signature_does_not_leave_a_payment_event(app, client, stripe_on, card):
    event = stripe_on.event("checkout.session.completed", stripe_on.pay(card.session_id))
    post_event(client, event, secret="whsec_wrong")
    with app.app_context():
        assert not payments.event_seen("stripe", event["id"])
