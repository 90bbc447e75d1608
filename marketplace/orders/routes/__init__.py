"""The orders blueprints: cart.py and checkout.py (buying), buyer.py (her orders and reviews),
desk.py (the producer's order desk), messages.py (order threads)."""
