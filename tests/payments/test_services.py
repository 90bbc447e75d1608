"""Payment services around the card path, called directly: overdue card payments expire and give
their stock back, and the provider is called with no database transaction open."""

from datetime import timedelta

import pytest
from flask import current_app

from marketplace.catalog.models import Product
from marketplace.core import outbox
from marketplace.core.dates import utcnow
from marketplace.extensions import db
from marketplace.orders import services as orders
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentStatus

from .support import place_card_checkout, start_session


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def test_expire_overdue_cancels_unpaid_card_orders_and_gives_the_stock_back(stripe_on):
    done = place_card_checkout((100_000, 4, 3))
    paid = place_card_checkout((50_000, 2, 1))
    payments.mark_paid(paid.payment, provider_payment_ref="pi_1")
    product_id = done.orders[0].items[0].product_id
    assert db.session.get(Product, product_id).stock == 1
    later = utcnow() + timedelta(minutes=31)
    assert payments.expire_overdue(utcnow()) == 0  # not overdue yet
    assert payments.expire_overdue(later) == 1
    assert payments.expire_overdue(later) == 0  # once
    db.session.expire_all()
    assert db.session.get(Payment, done.payment.id).status == PaymentStatus.EXPIRED
    order = db.session.get(Order, done.orders[0].id)
    assert order.status == OrderStatus.CANCELLED and [e.action for e in order.events] == ["placed", "payment_expired"]
    assert db.session.get(Product, product_id).stock == 4
    assert db.session.get(Payment, paid.payment.id).status == PaymentStatus.PAID  # paid ones are left alone


def test_expire_overdue_leaves_offline_payments_alone(stripe_on):
    payment = payments.create_payment(current_app, method="centre", amount_rial=1_000, reference="checkout-x")
    assert payment.expires_at is None
    assert payments.expire_overdue(utcnow() + timedelta(days=30)) == 0


def test_card_payment_needs_a_rate(stripe_on):
    with pytest.raises(ValueError):
        payments.create_payment(current_app, method="card", amount_rial=1_000, reference="checkout-y")


def _no_transaction_while_stripe_is_called(fake):
    session = db.session()
    seen: list[bool] = []
    fake.on_request = lambda: seen.append(session.in_transaction())
    return seen


def test_start_and_confirm_call_stripe_with_no_transaction_open(app, stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    seen = _no_transaction_while_stripe_is_called(stripe_on)
    session_id = start_session(done)
    stripe_on.pay(session_id)
    assert payments.refresh_from_provider(app, done.payment)
    assert done.payment.status == PaymentStatus.PAID
    assert seen == [False, False]


def test_the_refund_handler_calls_stripe_with_no_transaction_open(app, stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    session_id = start_session(done)
    stripe_on.pay(session_id)
    payments.refresh_from_provider(app, done.payment)
    db.session.commit()
    orders.cancel(db.session.get(Order, done.orders[0].id), actor_id=None, reason="no wool left", by="staff")
    db.session.commit()
    seen = _no_transaction_while_stripe_is_called(stripe_on)
    assert outbox.drain(app)["failed"] == 0  # the refund, and the texts telling buyer and producer
    assert len(stripe_on.refunds) == 1
    assert seen == [False]  # the payment was read, detached, and the read transaction ended first
    assert stripe_on.refunds[0]["amount"] == db.session.get(Payment, done.payment.id).amount_minor
