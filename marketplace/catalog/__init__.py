"""Catalogue: categories, products with options and photos, listing quality, moderation, import."""
