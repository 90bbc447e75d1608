"""The online bazaar: the centre's periodic fairs from the call for applications to the report.

`services.py` holds the fair itself (its state machine and scheduled moves); the rest is split by
concept: `applications.py`, `jury.py`, `booths.py`, `booth_map.py`, `fairday.py`, `online.py`, `reports.py`.
init_bazaar() connects its answers to the lower modules' questions when the app starts."""

from flask import Flask


def init_bazaar(app: Flask) -> None:
    """Connect the bazaar's receivers (fair prices, booth pickup, search's fair filter, decisions
    announced on publishing) and register its scheduled outbox tasks."""
    from . import receivers

    receivers.connect(app)
