"""The payments blueprint: Stripe's webhook (CSRF-exempt, signature-checked, DESIGN §8). The buyer's
pages (pay, return) belong to orders' checkout routes, which call `payments.services`."""

import logging

from flask import Blueprint, abort, current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from ..core.transaction import change
from ..extensions import csrf, limiter
from . import services, webhook
from .stripe_provider import InvalidEvent, StripeProvider

bp = Blueprint("payments", __name__, url_prefix="/payments")
log = logging.getLogger("marketplace.payments.webhook")


@bp.post("/stripe/webhook")
@csrf.exempt  # Stripe signs its body instead: the signature is checked before anything is read
@limiter.exempt  # Stripe retries what fails; a limit would only delay payments
def stripe_webhook():
    """Apply one Stripe event, once: 400 with nothing written for a bad signature or a stale
    timestamp; 200 for an event applied now, applied before, or of a kind we do not use."""
    provider = StripeProvider(current_app)
    if not provider.is_enabled():
        abort(404)
    try:
        event = provider.verify_event(request.get_data(), request.headers.get("Stripe-Signature"))
    except InvalidEvent as error:
        log.warning("refused a Stripe webhook: %s", error)
        return jsonify(error="invalid signature or payload"), 400
    try:
        with change() as done:
            outcome = webhook.apply_stripe_event(event)
    except IntegrityError:
        # the same event delivered twice at once: the other delivery committed it (change() rolled ours back)
        if not services.event_seen(webhook.PROVIDER, event["id"]):
            raise
        outcome = "duplicate"
    else:
        if not done:  # an illegal move was refused: answer an error so Stripe shows it and retries
            return jsonify(error="refused"), 409
    return jsonify(received=True, outcome=outcome)
