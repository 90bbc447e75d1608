"""The orders blueprints: one module per concept (cart, checkout, messages …)."""
