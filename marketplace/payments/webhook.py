"""Stripe's webhook events applied to payments, each once. The route (`payments.routes`) verifies the
signature; this module finds the payment and calls the one service each event ends in. Events only
move a payment forward (`services.TRANSITIONS`), so a late, repeated or shuffled event cannot undo
a later state; orders answer through the payment signals and move forward only too.
"""

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from ..extensions import db
from . import services
from .models import Payment, PaymentStatus
from .stripe_provider import id_of

log = logging.getLogger("marketplace.payments.webhook")

PROVIDER = "stripe"
Obj = dict[str, Any]


def apply_stripe_event(event: Obj) -> str:
    """Apply one verified event inside the caller's transaction. Its id is recorded in the same
    transaction as its effect, so a repeat does nothing. Returns the outcome stored with it."""
    row = services.record_event(PROVIDER, event["id"], event["type"])
    if row is None:
        return "duplicate"
    handler = HANDLERS.get(event["type"])
    obj: Obj = (event.get("data") or {}).get("object") or {}
    if handler is None:
        row.outcome = "ignored"
    else:
        find, apply = handler
        payment = find(obj)
        if payment is None:
            log.warning("Stripe event %s (%s) names no payment of ours", event["id"], event["type"])
            row.outcome = "unknown payment"
        else:
            row.payment_id = payment.id
            row.outcome = apply(payment, obj)
    db.session.flush()
    return row.outcome


# --- finding the payment ------------------------------------------------------------------------


def _by_metadata(obj: Obj) -> Payment | None:
    """The payment the object's metadata names, when its reference matches too (a shared Stripe
    account may hold other sites' sessions with the same small ids)."""
    metadata = obj.get("metadata") or {}
    payment_id, reference = str(metadata.get("payment_id", "")), metadata.get("reference")
    if not payment_id.isdigit() or not reference:
        return None
    payment = db.session.get(Payment, int(payment_id))
    return payment if payment is not None and payment.reference == reference else None


def session_payment(session: Obj) -> Payment | None:
    """The payment of a Checkout Session: by the session id stored when it was created, or by its
    metadata when that store never committed (then the session id is stored now)."""
    session_id = session.get("id") or ""
    payment = services.payment_by_provider_ref(session_id) if session_id else None
    if payment is None:
        payment = _by_metadata(session)
        if payment is not None and payment.provider_ref not in (None, session_id):
            return None  # another session of the same payment: not the one we sent the buyer to
        if payment is not None:
            payment.provider_ref = session_id
    return payment


def charge_payment(charge: Obj) -> Payment | None:
    """The payment of a charge: by its PaymentIntent, or by the metadata it carries."""
    intent = id_of(charge.get("payment_intent"))
    if intent:
        payment = db.session.scalars(select(Payment).where(Payment.provider_payment_ref == intent)).first()
        if payment is not None:
            return payment
    return _by_metadata(charge)


# --- what each event does -----------------------------------------------------------------------


def _completed(payment: Payment, session: Obj) -> str:
    """Paid only when Stripe says the money is there; "unpaid" waits for the async payment events."""
    intent = id_of(session.get("payment_intent"))
    if session.get("payment_status") != "paid":
        if intent and not payment.provider_payment_ref:
            payment.provider_payment_ref = intent
        return "waiting for the money"
    return "paid" if services.mark_paid(payment, provider_payment_ref=intent) else "already paid"


def _async_succeeded(payment: Payment, session: Obj) -> str:
    intent = id_of(session.get("payment_intent"))
    return "paid" if services.mark_paid(payment, provider_payment_ref=intent) else "already paid"


def _async_failed(payment: Payment, _session: Obj) -> str:
    changed = services.record_failure(payment, PaymentStatus.FAILED, "the card payment failed")
    return "failed" if changed else "no change"


def _expired(payment: Payment, _session: Obj) -> str:
    changed = services.record_failure(payment, PaymentStatus.EXPIRED, "the Stripe session expired")
    return "expired" if changed else "no change"


def _refunded(payment: Payment, charge: Obj) -> str:
    """Record what Stripe has refunded of the charge so far, in rial (a running total, so a repeat
    or an older event changes nothing); all of the charge refunded is all of the payment."""
    amount = int(charge.get("amount") or 0)
    refunded_minor = int(charge.get("amount_refunded") or 0)
    if amount <= 0 or refunded_minor <= 0:
        return "no change"
    if payment.status != PaymentStatus.PAID and payment.status != PaymentStatus.REFUNDED:
        # a refunded charge was a paid one: its paid event is late or lost, so apply it first
        services.mark_paid(payment, provider_payment_ref=id_of(charge.get("payment_intent")))
    full = refunded_minor >= amount
    refunded_rial = payment.amount_rial if full else refunded_minor * payment.amount_rial // amount
    changed = services.record_refund(payment, refunded_rial, refunded_minor=refunded_minor)
    return ("refunded" if payment.status == PaymentStatus.REFUNDED else "partly refunded") if changed else "no change"


Handler = tuple[Callable[[Obj], Payment | None], Callable[[Payment, Obj], str]]
HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": (session_payment, _completed),
    "checkout.session.async_payment_succeeded": (session_payment, _async_succeeded),
    "checkout.session.async_payment_failed": (session_payment, _async_failed),
    "checkout.session.expired": (session_payment, _expired),
    "charge.refunded": (charge_payment, _refunded),
}
