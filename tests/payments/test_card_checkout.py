"""A card checkout end to end over HTTP against the fake Stripe: cart → checkout with card →
Stripe's page → webhook or the return page's server-side check → the order is paid."""

import re

import pytest

from marketplace.extensions import db
from marketplace.orders.models import Checkout, Order, OrderStatus
from marketplace.payments import services as payments
from marketplace.payments.models import Payment, PaymentStatus
from tests.conftest import post_form
from tests.factories import ProductFactory

from .support import RATE, post_event

PROCESSING = ("در حال بررسی پرداخت شما", "Processing your payment")
CONFIRMED = ("پرداخت کارتی شما تأیید شد", "Your card payment is confirmed")
REFRESH = 'http-equiv="refresh"'


@pytest.fixture
def shawl(app, make, stripe_on):
    """A public product, and the euro rate set by staff."""
    with app.app_context():
        payments.set_rate("eur", RATE, None)
        db.session.commit()
    return make(ProductFactory, shop__status="approved", status="published", price_toman=100_000, stock=3)


def order_by_card(client, product, quantity=2) -> int:
    """Put `quantity` in the cart and place the order paying by card; returns the checkout id."""
    post_form(client, "/cart/add", {"product_id": product.id, "quantity": quantity}, token_from="/cart")
    data = {f"delivery_{product.shop_id}": "pickup_centre", "payment_method": "card", "place": "1", "total_rial": "1"}
    response = post_form(client, "/checkout", {"address_id": "new", **data}, token_from="/cart")
    assert response.status_code == 302, response.get_data(as_text=True)
    match = re.search(r"/checkout/(\d+)/pay$", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def payment_of(app, checkout_id: int) -> Payment:
    with app.app_context():
        payment = db.session.get(Checkout, checkout_id).payment
        db.session.expunge(payment)
        return payment


def order_status(app, checkout_id: int) -> str:
    with app.app_context():
        return db.session.query(Order).filter_by(checkout_id=checkout_id).one().status


def shows(page: str, texts) -> bool:
    return any(text in page for text in texts)


def test_card_checkout_pays_through_the_webhook(app, client, stripe_on, shawl, make_user, login):
    login(make_user())
    checkout_id = order_by_card(client, shawl)
    pay = client.get(f"/checkout/{checkout_id}/pay")
    assert pay.status_code == 303
    session_id = pay.headers["Location"].rsplit("/", 1)[1]
    assert pay.headers["Location"] == f"{stripe_on.url}/pay/{session_id}"
    session = stripe_on.sessions[session_id]
    payment = payment_of(app, checkout_id)
    # 2 × 100,000 toman at 600,000 rial per euro, whatever the form said about the total
    assert payment.amount_rial == 2_000_000 and session["amount_total"] == payment.amount_minor == 334
    assert session["success_url"].endswith(f"/checkout/{checkout_id}/done")
    assert session["client_reference_id"] == str(checkout_id)
    # reloading the pay page sends her to the same session
    assert client.get(f"/checkout/{checkout_id}/pay").headers["Location"] == pay.headers["Location"]
    assert len(stripe_on.sessions) == 1

    # back from Stripe before the webhook: processing, the page refreshes itself
    done = client.get(f"/checkout/{checkout_id}/done").get_data(as_text=True)
    assert shows(done, PROCESSING) and REFRESH in done
    assert order_status(app, checkout_id) == OrderStatus.PENDING_PAYMENT

    event = stripe_on.event("checkout.session.completed", stripe_on.pay(session_id))
    assert post_event(client, event).status_code == 200  # the webhook pays it, before any page is seen
    assert order_status(app, checkout_id) == OrderStatus.PAID
    done = client.get(f"/checkout/{checkout_id}/done").get_data(as_text=True)
    assert shows(done, CONFIRMED) and REFRESH not in done


def test_return_page_confirms_the_payment_on_the_server(app, client, stripe_on, shawl, make_user, login):
    login(make_user())
    checkout_id = order_by_card(client, shawl, quantity=1)
    session_id = client.get(f"/checkout/{checkout_id}/pay").headers["Location"].rsplit("/", 1)[1]
    # the query string says nothing trusted: only Stripe's answer counts
    assert shows(client.get(f"/checkout/{checkout_id}/done?paid=1").get_data(as_text=True), PROCESSING)
    stripe_on.pay(session_id)  # paid at Stripe, the webhook not arrived yet
    done = client.get(f"/checkout/{checkout_id}/done").get_data(as_text=True)
    assert shows(done, CONFIRMED)
    assert order_status(app, checkout_id) == OrderStatus.PAID
    payment = payment_of(app, checkout_id)
    assert payment.status == PaymentStatus.PAID
    assert payment.provider_payment_ref == stripe_on.sessions[session_id]["payment_intent"]
    # the webhook arriving later changes nothing
    late = post_event(client, stripe_on.event("checkout.session.completed", stripe_on.sessions[session_id]))
    assert late.json["outcome"] == "already paid"


def test_someone_elses_checkout_cannot_be_paid_or_viewed(app, client, stripe_on, shawl, make_user, login):
    login(make_user())
    checkout_id = order_by_card(client, shawl, quantity=1)
    other = app.test_client()
    login(make_user(), the_client=other)
    assert other.get(f"/checkout/{checkout_id}/pay").status_code == 404
    assert other.get(f"/checkout/{checkout_id}/done").status_code == 404
    assert stripe_on.requests == []


def test_stripe_down_keeps_the_order_and_offers_to_try_again(app, client, stripe_on, shawl, make_user, login):
    login(make_user())
    checkout_id = order_by_card(client, shawl, quantity=1)
    stripe_on.fail_next.extend([500, 500])
    assert client.get(f"/checkout/{checkout_id}/pay").status_code == 502
    assert payment_of(app, checkout_id).provider_ref is None
    assert client.get(f"/checkout/{checkout_id}/pay").status_code == 303  # Stripe is back
    assert payment_of(app, checkout_id).provider_ref in stripe_on.sessions
