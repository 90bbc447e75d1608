"""The catalogue's blueprints: public.py (categories, products, storefronts) and producer.py (her
product pages under /dashboard/products)."""
