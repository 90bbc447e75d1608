"""Where the bazaar answers other modules' signals; each concept's module connects its own here."""

from flask import Flask


def connect(app: Flask) -> None:
    """Connect every receiver of the bazaar (called once by init_bazaar)."""
    from . import (
        online,
        services,  # noqa: F401  (registers the scheduled fair tasks with the outbox)
    )

    online.connect()
