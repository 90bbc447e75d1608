"""The orders blueprints: the cart, checkout, the producer's order desk and receipts."""
