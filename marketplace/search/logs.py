"""The search log: one anonymous row per search, written after the response in its own short
transaction, so a public page never holds a write lock while rendering (DESIGN §3) and a failed
write never breaks a search."""

import hashlib
import hmac
import logging
from datetime import date

from flask import Flask, after_this_request, request

from ..core.app import current_app_object
from ..extensions import db
from .models import SearchLog

log = logging.getLogger("marketplace.search")


def session_hash(app: Flask, sid: str, day: date | None = None) -> str:
    """An anonymous, per-day identifier of a visitor: HMAC of her address and browser with a salt
    that changes every day, so one person's searches cannot be linked across days."""
    salt = hmac.new(app.config["SECRET_KEY"].encode(), f"search-log:{day or date.today()}".encode(), "sha256")
    return hmac.new(salt.digest(), sid.encode(), hashlib.sha256).hexdigest()[:32]


def log_search(query: str, raw_length: int, filters: dict, result_count: int) -> None:
    """Record this search once the response has been sent (call inside a request)."""
    app = current_app_object()
    if not app.config.get("SEARCH_LOG_ENABLED", True):
        return
    # The visitor is her address and browser (hashed with the day's salt below), never a cookie:
    # anonymous searches and the API set none.
    sid = f"{request.remote_addr}|{request.user_agent.string}"
    row = {
        "query": query[:200],
        "raw_length": raw_length,
        "filters": filters,
        "result_count": result_count,
        "session_hash": session_hash(app, sid),
    }

    @after_this_request
    def _schedule(response):
        response.call_on_close(lambda: write_log(app, row))
        return response


def write_log(app: Flask, row: dict) -> None:
    """Insert one SearchLog row in its own app context and transaction; errors are logged, not raised."""
    try:
        with app.app_context():
            db.session.add(SearchLog(**row))
            db.session.commit()
    except Exception:
        log.exception("could not write the search log")
