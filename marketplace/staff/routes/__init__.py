"""The staff console's blueprints: console.py (people, shops, bulk import) and products.py
(product moderation)."""
