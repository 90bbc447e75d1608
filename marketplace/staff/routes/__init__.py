"""The staff console's blueprints: console.py (the `staff` blueprint: people, shops, bulk import),
home.py (views on `staff`: the console home, search, stuck orders, an order), products.py (product
moderation) and money.py (the ledger and payments). Importing the package adds every view."""

from . import console, home  # noqa: F401
