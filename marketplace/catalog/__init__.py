"""Catalogue: categories, products with options and photos, listing quality, moderation, import."""

from flask import Flask
from flask_babel import get_locale


def product_title(product) -> str:
    """The product's title for this request's locale (Product.display_title): English in the
    English locale when it has one, else Persian."""
    return product.display_title(get_locale())


def product_description(product) -> str:
    """The product's description for this request's locale (Product.display_description)."""
    return product.display_description(get_locale())


def init_catalog(app: Flask) -> None:
    """Register the catalogue's template filters: `{{ product | product_title }}` and
    `{{ product | product_description }}`, used wherever buyers read a product's title or text."""
    app.add_template_filter(product_title, "product_title")
    app.add_template_filter(product_description, "product_description")
