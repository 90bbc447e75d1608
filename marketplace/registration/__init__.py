"""Registration: the product-registration checklist, evidence and staff verification.

It answers catalog's questions through the signals of core/events.py (catalog never imports this
package); init_registration() connects the receivers when the app starts."""

from flask import Flask


def init_registration(app: Flask) -> None:
    """Answer catalog's signals: what blocks publishing a product, which badges its page shows."""
    from .receivers import connect_receivers

    connect_receivers()
