"""The Stripe provider against the local fake Stripe: the session it creates (amounts from the
server, metadata, idempotency key, expiry), the return check, and refunds through the outbox."""

import time
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from marketplace.core import outbox
from marketplace.core.errors import RuleError
from marketplace.extensions import db
from marketplace.orders.models import Order, OrderStatus
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentStatus
from marketplace.payments.providers import ProviderError, ProviderState
from marketplace.payments.stripe_provider import (
    StripeProvider,
    checkout_id_of,
    minor_to_refund,
    session_expiry,
    state_of_session,
)

from .support import RATE, place_card_checkout, provider_lines, start_session


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def test_stripe_is_on_only_with_both_secrets(app, stripe_on):
    assert StripeProvider(app).is_enabled()
    app.config["STRIPE_WEBHOOK_SECRET"] = None
    assert not StripeProvider(app).is_enabled()
    assert "card" not in payments.available_methods(app)


def test_session_charges_exactly_the_payment_amount_with_metadata_and_key(stripe_on):
    done = place_card_checkout((100_000, 3, 2), (45_000, 1, 1))  # 2 × 100,000 + 45,000 toman
    payment = done.payment
    assert payment.amount_rial == 2_450_000 and payment.rial_per_unit == RATE
    assert payment.amount_minor == -(-2_450_000 * 100 // RATE)  # 4.09 eur: 408.33 cents rounded up
    session_id = start_session(done)

    call = stripe_on.calls("POST", "/v1/checkout/sessions")[0]
    assert call.headers["authorization"] == "Bearer sk_test_rooyesh"
    assert call.idempotency_key == f"rooyesh-session-checkout-{done.id}-{call.params['expires_at']}"
    params = call.params
    assert params["mode"] == "payment"
    assert params["client_reference_id"] == str(done.id)
    assert params["metadata"] == {
        "checkout_id": str(done.id),
        "payment_id": str(payment.id),
        "reference": payment.reference,
    }
    assert (
        params["success_url"] == "http://shop.test/checkout/done"
        and params["cancel_url"] == "http://shop.test/checkout"
    )
    session = stripe_on.sessions[session_id]
    assert session["amount_total"] == payment.amount_minor and session["currency"] == "eur"
    assert "2 × " in params["line_items"][0]["price_data"]["product_data"]["description"]
    # Stripe's minimum is 30 minutes ahead; the payment now expires with the session
    assert int(params["expires_at"]) >= time.time() + 30 * 60
    db.session.expire_all()
    payment = db.session.get(Payment, payment.id)
    assert payment.provider_ref == session_id and payment.redirect_url == f"{stripe_on.url}/pay/{session_id}"
    assert int(payment.expires_at.timestamp()) == int(params["expires_at"])
    assert payment.status == PaymentStatus.PENDING


def test_the_session_amount_comes_from_the_database_not_the_lines(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    lines = provider_lines(done)
    tampered = [line.__class__(line.name, line.quantity, 1) for line in lines]  # "this costs 1 rial"
    start = payments.start_card_payment(
        current_app, done.payment, tampered, success_url="http://s/", cancel_url="http://c/"
    )
    assert stripe_on.sessions[start.provider_ref]["amount_total"] == done.payment.amount_minor == 167


def test_starting_twice_reuses_the_session(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    first = start_session(done)
    again = payments.start_card_payment(
        current_app, done.payment, provider_lines(done), success_url="http://s/", cancel_url="http://c/"
    )
    assert again.provider_ref == first and len(stripe_on.calls("POST", "/v1/checkout/sessions")) == 1


def test_the_same_idempotency_key_gets_the_same_session(app, stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    provider = StripeProvider(app)
    payment = done.payment
    one = provider.start(payment, lines=provider_lines(done), success_url="http://s/", cancel_url="http://c/")
    two = provider.start(payment, lines=provider_lines(done), success_url="http://s/", cancel_url="http://c/")
    assert one.provider_ref == two.provider_ref and len(stripe_on.sessions) == 1
    keys = {call.idempotency_key for call in stripe_on.calls("POST", "/v1/checkout/sessions")}
    assert len(keys) == 1 and keys.pop().startswith(f"rooyesh-session-{payment.reference}-")


def test_stripe_down_gives_no_address_and_nothing_is_stored(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    stripe_on.fail_next.extend([500, 500])  # the request and its one retry
    assert start_session(done) is None
    assert done.payment.provider_ref is None and done.payment.redirect_url is None


def test_a_closed_payment_is_not_sent_to_stripe(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    payments.record_failure(done.payment, PaymentStatus.EXPIRED, "expired")
    with pytest.raises(RuleError):
        start_session(done)
    assert stripe_on.requests == []


def test_return_page_check_marks_paid_from_the_server_not_the_query(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    session_id = start_session(done)
    payment = done.payment
    assert not payments.refresh_from_provider(current_app, payment)
    assert payment.status == PaymentStatus.PENDING  # not paid at Stripe yet
    stripe_on.pay(session_id)
    assert payments.refresh_from_provider(current_app, payment)
    db.session.commit()
    assert payment.status == PaymentStatus.PAID  # the caller's object is still the payment
    assert payment.provider_payment_ref == stripe_on.sessions[session_id]["payment_intent"]
    assert db.session.get(Order, done.orders[0].id).status == OrderStatus.PAID
    assert len(stripe_on.calls("GET", f"/v1/checkout/sessions/{session_id}")) == 2


def test_return_page_check_with_stripe_down_changes_nothing(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    start_session(done)
    stripe_on.fail_next.extend([503, 503])
    assert not payments.refresh_from_provider(current_app, done.payment)
    assert done.payment.status == PaymentStatus.PENDING


def test_session_states_map_to_provider_states():
    assert state_of_session(
        {"status": "complete", "payment_status": "paid", "payment_intent": "pi_1"}
    ) == ProviderState("paid", "pi_1")
    assert state_of_session({"status": "complete", "payment_status": "unpaid"}).status == "pending"
    assert state_of_session({"status": "open", "payment_status": "unpaid"}).status == "pending"
    assert state_of_session({"status": "expired", "payment_status": "unpaid"}).status == "expired"


def test_apply_provider_state_moves_forward_only(stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    payment = done.payment
    assert payments.apply_provider_state(payment, ProviderState("paid", "pi_9"))
    assert not payments.apply_provider_state(payment, ProviderState("expired"))
    assert not payments.apply_provider_state(payment, ProviderState("paid", "pi_other"))
    assert payment.status == PaymentStatus.PAID and payment.provider_payment_ref == "pi_9"


def test_refund_amounts_are_proportional_and_the_last_takes_the_rest():
    total = dict(amount_rial_total=3_000_000, amount_minor=1_001)
    assert minor_to_refund(1_000_000, refunded_rial=0, refunded_minor=0, **total) == 333
    assert minor_to_refund(1_000_000, refunded_rial=1_000_000, refunded_minor=333, **total) == 333
    assert minor_to_refund(1_000_000, refunded_rial=2_000_000, refunded_minor=666, **total) == 335
    assert minor_to_refund(3_000_000, refunded_rial=0, refunded_minor=0, **total) == 1_001
    assert minor_to_refund(5, refunded_rial=3_000_000, refunded_minor=1_001, **total) == 0


def test_session_expiry_stays_in_stripes_window():
    now = time.time() // 600 * 600 + 5  # early in a 10-minute step: a second later stays in it
    soonest = session_expiry(None, now)
    assert soonest % 600 == 0 and now + 31 * 60 <= soonest < now + 41 * 60
    assert session_expiry(None, now + 1) == soonest  # a double click a second later asks the same
    from marketplace.core.dates import utcnow

    assert session_expiry(utcnow() + timedelta(hours=2), now) == pytest.approx(time.time() + 7200, abs=2)
    latest = session_expiry(utcnow() + timedelta(days=3), now)
    assert latest % 600 == 0 and now + 24 * 3600 - 60 - 600 < latest <= now + 24 * 3600 - 60
    assert checkout_id_of("checkout-12") == "12"


def test_refund_through_the_outbox_reaches_stripe_with_its_key(app, stripe_on):
    done = place_card_checkout((100_000, 3, 1), (50_000, 2, 1))
    session_id = start_session(done)
    stripe_on.pay(session_id)
    payment = done.payment
    payments.refresh_from_provider(app, payment)
    db.session.commit()
    first = min(done.orders, key=lambda order: order.id)
    from marketplace.orders import services as orders

    orders.cancel(first, actor_id=None, reason="out of wool", by="staff")
    db.session.commit()
    counts = outbox.drain(app)
    assert counts["done"] >= 1 and counts["failed"] == 0
    refund = stripe_on.calls("POST", "/v1/refunds")[0]
    assert refund.idempotency_key == f"rooyesh-refund-{payment.reference}-order-{first.id}"
    assert refund.params["payment_intent"] == stripe_on.sessions[session_id]["payment_intent"]
    # 1,000,000 of 1,500,000 rial: two thirds of 250 cents, rounded down
    assert int(refund.params["amount"]) == first.total_rial * payment.amount_minor // payment.amount_rial == 166
    # the outbox drained twice changes nothing at Stripe
    outbox.drain(app)
    assert len(stripe_on.refunds) == 1


def test_refund_retries_while_stripe_is_down(app, stripe_on):
    done = place_card_checkout((100_000, 3, 1))
    session_id = start_session(done)
    stripe_on.pay(session_id)
    payments.refresh_from_provider(app, done.payment)
    db.session.commit()
    payment = db.session.get(Payment, done.payment.id)
    payments.request_refund(payment, payment.amount_rial, key="all")
    db.session.commit()
    stripe_on.fail_next.extend([500, 500])
    assert outbox.drain(app)["retry"] == 1 and stripe_on.refunds == []
    assert outbox.drain(app)["done"] == 0  # not due again yet: the back-off holds it
    unknown = Payment(
        id=999,
        reference="checkout-999",
        amount_rial=10,
        amount_minor=1,
        refunded_rial=0,
        refunded_minor=0,
        provider_payment_ref="pi_nobody",
    )
    with pytest.raises(ProviderError):  # Stripe refuses: retried, and staff see it failing
        StripeProvider(app).refund(unknown, 10, key="x")


def test_every_payment_event_row_is_unique(stripe_on):
    assert payments.record_event("stripe", "evt_1", "x") is not None
    assert payments.record_event("stripe", "evt_1", "x") is None
    assert payments.event_seen("stripe", "evt_1") and not payments.event_seen("stripe", "evt_2")
    assert db.session.scalars(select(Payment)).all() is not None
