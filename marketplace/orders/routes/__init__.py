"""The orders blueprints: cart.py and checkout.py (buying), buyer.py (her orders and reviews),
desk.py (the producer's order desk), receipts.py (the buyer's printable receipt), messages.py
(order threads)."""
