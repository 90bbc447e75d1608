"""Where the bazaar answers other modules' signals; each concept's module connects its own here."""

from flask import Flask


def connect(app: Flask) -> None:
    """Connect every receiver of the bazaar (called once by init_bazaar)."""
    from . import (
        jury,
        online,
        services,  # noqa: F401  (registers the scheduled fair tasks with the outbox)
        waitlist,  # noqa: F401  (registers the waitlist's offer-lapse task)
    )

    jury.connect()
    online.connect()
