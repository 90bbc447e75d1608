"""Registration's answers to catalog's signals (contracts in core/events.py).

Connected by init_registration() at app start. They read the checklist inside the caller's
transaction and write nothing."""

from ..catalog.models import Product
from ..core import events
from . import checklist


def publish_blockers(product: Product, **_kwargs) -> list:
    """The mandatory checklist items, not yet verified or waived, that keep `product` unpublished."""
    return checklist.publish_blockers(product)


def badges(product: Product, **_kwargs) -> list[dict]:
    """The verified licences the product page shows as badges."""
    return checklist.badges(product)


def connect_receivers() -> None:
    """Connect the receivers (strong references; connecting twice changes nothing)."""
    events.product_publish_blockers.connect(publish_blockers, weak=False)
    events.product_badges.connect(badges, weak=False)


def disconnect_receivers() -> None:
    """The opposite of connect_receivers() (tests check that catalog works without registration)."""
    events.product_publish_blockers.disconnect(publish_blockers)
    events.product_badges.disconnect(badges)
