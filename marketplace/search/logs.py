"""The search log: one anonymous row per search, written after the response in its own short
transaction, so a public page never holds a write lock while rendering (DESIGN §3) and a failed
write never breaks a search."""

import hashlib
import hmac
import logging
import secrets
from datetime import date

from flask import Flask, after_this_request, current_app, session

from ..extensions import db
from .models import SearchLog

log = logging.getLogger("marketplace.search")
SESSION_KEY = "search_sid"


def session_hash(app: Flask, sid: str, day: date | None = None) -> str:
    """An anonymous, per-day identifier of a browser session: HMAC of a random session id with a
    salt that changes every day, so one person's searches cannot be linked across days."""
    salt = hmac.new(app.config["SECRET_KEY"].encode(), f"search-log:{day or date.today()}".encode(), "sha256")
    return hmac.new(salt.digest(), sid.encode(), hashlib.sha256).hexdigest()[:32]


def log_search(query: str, raw_length: int, filters: dict, result_count: int) -> None:
    """Record this search once the response has been sent (call inside a request)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types current_app as the app, not its proxy
    if not app.config.get("SEARCH_LOG_ENABLED", True):
        return
    sid = session.get(SESSION_KEY)
    if not sid:
        sid = session[SESSION_KEY] = secrets.token_urlsafe(12)
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
