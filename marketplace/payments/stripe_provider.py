"""Stripe Checkout for buyers abroad (being written: see the helper's branch)."""

from .models import PaymentMethod
from .providers import PaymentProvider


class StripeProvider(PaymentProvider):
    """Card payments through a Stripe Checkout Session; on when both Stripe secrets are set."""

    name = "stripe"
    methods = (PaymentMethod.CARD,)

    def is_enabled(self) -> bool:
        """On when STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET are both set."""
        return bool(self.config.get("STRIPE_SECRET_KEY") and self.config.get("STRIPE_WEBHOOK_SECRET"))
