"""Payments fixtures: Stripe switched on against a local fake (tests/payments/fake_stripe.py)."""

import pytest

from .fake_stripe import API_KEY, WEBHOOK_SECRET, serve


@pytest.fixture
def stripe_on(app):
    """Stripe configured on the test app, its API at a fresh local fake (yielded); the settings
    are put back after the test."""
    fake, server = serve()
    settings = {"STRIPE_SECRET_KEY": API_KEY, "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET, "STRIPE_API_BASE": fake.url}
    before = {key: app.config.get(key) for key in settings}
    app.config.update(settings)
    try:
        yield fake
    finally:
        app.config.update(before)
        server.shutdown()
        server.server_close()
