"""Payments (DESIGN §6): the provider interface, the offline and Stripe providers, the Stripe
webhook, and the one `mark_paid` every path ends in. Knows nothing of orders: it announces paid,
failed and refunded through `core.events`, and orders answers."""
