"""Stripe Checkout for buyers abroad (DESIGN §6): one Checkout Session per checkout, charged in
STRIPE_CURRENCY at the rate fixed on the payment, checked on the server when the buyer comes back,
refunded through the PaymentIntent. Webhooks are verified here and applied by `payments.webhook`.

Every call goes through `stripe.StripeClient` with the base address from STRIPE_API_BASE, so the
tests point it at a local fake Stripe (tests/payments/fake_stripe.py).
"""

import logging
import re
import time
from datetime import datetime
from typing import Any

import stripe

from ..core.dates import as_utc
from .models import PaymentMethod
from .providers import LineForProvider, PaymentProvider, ProviderError, ProviderState, Start

log = logging.getLogger("marketplace.payments.stripe")

# Stripe refuses a session that expires sooner than 30 minutes after it is created (or later than 24 h).
MIN_SESSION_SECONDS = 30 * 60 + 60
MAX_SESSION_SECONDS = 24 * 3600 - 60
EXPIRY_STEP_SECONDS = 600
TIMEOUT_SECONDS = 20
NETWORK_RETRIES = 1  # safe: every call that changes something carries an idempotency key
MAX_DESCRIPTION = 500


class InvalidEvent(Exception):
    """A webhook body that is not from Stripe: bad or missing signature, stale timestamp, not JSON."""


def checkout_id_of(reference: str) -> str:
    """The checkout id inside a payment reference ("checkout-12" → "12"); the reference itself otherwise."""
    match = re.fullmatch(r"checkout-(\d+)", reference)
    return match.group(1) if match else reference


def session_expiry(expires_at: datetime | None, now: float) -> int:
    """When the session expires (Unix seconds): the payment's own expiry, moved into the window
    Stripe accepts (at least 30 minutes, at most 24 hours from now). The window's edges are
    rounded inwards to whole EXPIRY_STEP_SECONDS, so a repeat a moment later (a double click)
    asks for the same expiry, which an idempotent request must."""
    wanted = int(as_utc(expires_at).timestamp()) if expires_at else 0
    earliest = -(-(int(now) + MIN_SESSION_SECONDS) // EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS
    latest = (int(now) + MAX_SESSION_SECONDS) // EXPIRY_STEP_SECONDS * EXPIRY_STEP_SECONDS
    return min(max(wanted, earliest), latest)


def order_description(lines: list[LineForProvider]) -> str:
    """What the buyer sees under the one line on Stripe's page: every item with its quantity."""
    text = " · ".join(f"{line.quantity} × {line.name}" for line in lines)
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


def minor_to_refund(
    amount_rial: int, *, amount_rial_total: int, amount_minor: int, refunded_rial: int, refunded_minor: int
) -> int:
    """The part of the charge (minor units) that gives back `amount_rial`: proportional, rounded
    down; a refund that completes the total takes whatever is left, so a full refund is exact."""
    left = amount_minor - refunded_minor
    if refunded_rial + amount_rial >= amount_rial_total:
        return max(0, left)
    return max(0, min(left, amount_rial * amount_minor // amount_rial_total))


def state_of_session(session: dict[str, Any]) -> ProviderState:
    """A Checkout Session as a ProviderState: paid once Stripe says so; expired sessions are expired;
    anything else (open, or complete with the money still on its way) is pending."""
    if session.get("payment_status") == "paid":
        return ProviderState("paid", provider_payment_ref=id_of(session.get("payment_intent")))
    if session.get("status") == "expired":
        return ProviderState("expired")
    return ProviderState("pending")


def id_of(value: Any) -> str | None:
    """An expandable field's id (a PaymentIntent's): Stripe sends either the id or the whole object."""
    if isinstance(value, dict):
        return value.get("id")
    return value or None


class StripeProvider(PaymentProvider):
    """Card payments through a Stripe Checkout Session; on when both Stripe secrets are set."""

    name = "stripe"
    methods = (PaymentMethod.CARD,)

    def is_enabled(self) -> bool:
        """On when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are both set."""
        return bool(self.config.get("STRIPE_SECRET_KEY") and self.config.get("STRIPE_WEBHOOK_SECRET"))

    def client(self) -> stripe.StripeClient:
        """A client on the configured key and base address (Stripe's own unless STRIPE_API_BASE is set)."""
        base = self.config.get("STRIPE_API_BASE")
        return stripe.StripeClient(
            self.config["STRIPE_SECRET_KEY"],
            base_addresses={"api": base} if base else None,
            http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
            max_network_retries=NETWORK_RETRIES,
        )

    def start(self, payment, *, lines: list[LineForProvider], success_url: str, cancel_url: str) -> Start:
        """Create the payment's Checkout Session: one line of exactly `payment.amount_minor` (the
        items listed in its description), so what Stripe charges is what the payment fixed, never a
        sum of separately rounded lines. The idempotency key comes from the reference: a repeat
        (a double click, a retry) gets the same session back."""
        checkout_id = checkout_id_of(payment.reference)
        metadata = {"checkout_id": checkout_id, "payment_id": str(payment.id), "reference": payment.reference}
        product: dict[str, Any] = {"name": f"Rooyesh Market order {payment.reference}"}
        description = order_description(lines)
        if description:
            product["description"] = description
        params: dict[str, Any] = {
            "mode": "payment",
            "line_items": [
                {
                    "quantity": 1,
                    "price_data": {
                        "currency": payment.currency,
                        "unit_amount": payment.amount_minor,
                        "product_data": product,
                    },
                }
            ],
            "client_reference_id": checkout_id,
            "metadata": metadata,
            "payment_intent_data": {"metadata": metadata},
            "success_url": success_url,
            "cancel_url": cancel_url,
            "expires_at": session_expiry(payment.expires_at, time.time()),
        }
        # The expiry is part of the key: a retry in a later 10-minute step asks for a new session
        # instead of being refused by Stripe for reusing a key with other parameters.
        key = f"rooyesh-session-{payment.reference}-{params['expires_at']}"
        try:
            session = self.client().v1.checkout.sessions.create(
                params=params,  # type: ignore[arg-type]  # a plain dict of Stripe's documented fields
                options={"idempotency_key": key},
            )
        except stripe.StripeError as error:
            raise ProviderError(f"Stripe refused the session for {payment.reference}: {error}") from error
        return Start(
            redirect_url=session.url,
            provider_ref=session.id,
            details={"expires_at": session.expires_at, "amount_total": session.amount_total},
        )

    def confirm_return(self, payment) -> ProviderState | None:
        """Ask Stripe how the payment's session stands (the return page never trusts its query string)."""
        if not payment.provider_ref:
            return None
        try:
            session = self.client().v1.checkout.sessions.retrieve(payment.provider_ref)
        except stripe.StripeError as error:
            raise ProviderError(f"Stripe did not answer for session {payment.provider_ref}: {error}") from error
        return state_of_session(session.to_dict())

    def refund(self, payment, amount_rial: int, *, key: str) -> None:
        """Refund the matching part of the charge through its PaymentIntent, once per `key`. A charge
        Stripe says is already refunded counts as done; any other failure is a ProviderError (retried)."""
        amount = minor_to_refund(
            amount_rial,
            amount_rial_total=payment.amount_rial,
            amount_minor=payment.amount_minor or 0,
            refunded_rial=payment.refunded_rial,
            refunded_minor=payment.refunded_minor,
        )
        if amount <= 0:
            log.info("nothing left to refund on payment %s", payment.id)
            return
        try:
            intent = payment.provider_payment_ref or self._intent_of_session(payment)
            if not intent:
                raise ProviderError(f"payment {payment.id} has no PaymentIntent to refund yet")
            self.client().v1.refunds.create(
                params={
                    "payment_intent": intent,
                    "amount": amount,
                    "metadata": {"reference": payment.reference, "key": key},
                },
                options={"idempotency_key": f"rooyesh-refund-{payment.reference}-{key}"},
            )
        except stripe.InvalidRequestError as error:
            if error.code == "charge_already_refunded":
                log.info("payment %s was already refunded at Stripe", payment.id)
                return
            raise ProviderError(f"Stripe refused the refund of payment {payment.id}: {error}") from error
        except stripe.StripeError as error:
            raise ProviderError(f"Stripe refund of payment {payment.id} failed: {error}") from error

    def _intent_of_session(self, payment) -> str | None:
        if not payment.provider_ref:
            return None
        session = self.client().v1.checkout.sessions.retrieve(payment.provider_ref)
        return id_of(session.to_dict().get("payment_intent"))

    def verify_event(self, payload: bytes, signature: str | None) -> dict[str, Any]:
        """The webhook event in `payload` as a plain dict, after checking its Stripe-Signature on the
        raw body with STRIPE_WEBHOOK_TOLERANCE_SECONDS of tolerance. Raises InvalidEvent otherwise."""
        try:
            event = stripe.Webhook.construct_event(
                payload,
                signature,
                self.config["STRIPE_WEBHOOK_SECRET"],
                tolerance=int(self.config["STRIPE_WEBHOOK_TOLERANCE_SECONDS"]),
                api_key=self.config["STRIPE_SECRET_KEY"],
            )
        except (stripe.SignatureVerificationError, ValueError) as error:
            raise InvalidEvent(str(error)) from error
        values = event.to_dict()
        if not values.get("id") or not values.get("type"):
            raise InvalidEvent("an event needs an id and a type")
        return values
