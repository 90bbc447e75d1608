"""The online bazaar: the centre's periodic fairs from the call for applications to the report.

`services.py` holds the fair itself (its state machine and scheduled moves); the rest is split by
concept: `planning.py` (create, edit, clone), `applications.py` and `waitlist.py`, `jury.py` and
`jury_board.py`, `booths.py` and `booth_map.py`, `fairday.py`, `online.py`, `reports.py` and
`report_tables.py`. init_bazaar() connects its answers to the lower modules' questions when the
app starts."""

from flask import Flask


def init_bazaar(app: Flask) -> None:
    """Connect the bazaar's receivers (fair prices, booth pickup, search's fair filter, decisions
    announced on publishing) and register its scheduled outbox tasks."""
    from . import receivers

    receivers.connect(app)
