"""The search log: one anonymous row per search, written after the response in its own short
transaction, so a public page never holds a write lock while rendering (DESIGN §3) and a failed
write never breaks a search. No cookie is read or set: a visitor is a salted daily hash of the
address and browser, and a query holding personal data (a phone number…) is never logged."""

import hashlib
import hmac
import logging
from datetime import date

from flask import Flask, after_this_request, request
from sqlalchemy import text

from ..core.app import current_app_object
from ..core.dates import TEHRAN, utcnow
from ..core.persian import to_latin_digits
from ..extensions import db
from .analysis import normalize_query
from .models import SearchLog

log = logging.getLogger("marketplace.search")
# A query shows in insights or popular searches only once this many different visitors typed it on one day.
MIN_VISITORS = 2
# A query with this many digits in all (however spaced) may be a phone, card, national-id or postal
# number: it is not logged, and never shown.
PERSONAL_DIGITS = 7


def looks_personal(query: str) -> bool:
    """True for a query that may hold personal data: PERSONAL_DIGITS digits or more in any script."""
    return sum(ch.isdigit() for ch in to_latin_digits(query or "")) >= PERSONAL_DIGITS


def visitor_day(day: date | None = None) -> date:
    """The day a visitor's hash is salted with: today in Tehran, as insights count days."""
    return day or utcnow().astimezone(TEHRAN).date()


def visitor_hash(app: Flask, address: str, agent: str, day: date | None = None) -> str:
    """An anonymous identifier of one visitor for one day: the day (YYYYMMDD, so visitors can be counted
    per day in SQL) and an HMAC of the address and user agent with a salt that changes every day, so one
    person's searches cannot be linked across days or traced back to an address."""
    day = visitor_day(day)
    salt = hmac.new(app.config["SECRET_KEY"].encode(), f"search-log:{day}".encode(), "sha256")
    digest = hmac.new(salt.digest(), f"{address}\n{agent}".encode(), hashlib.sha256).hexdigest()
    return f"{day:%Y%m%d}{digest[:24]}"


def log_search(query: str, raw_length: int, filters: dict, result_count: int, reading: str = "") -> None:
    """Record this search once the response has been sent (call inside a request). `reading`: the
    Persian words a query typed in Latin letters was read as (SearchResult.reading), "" if none."""
    app = current_app_object()
    reading = normalize_query(reading)
    if not app.config.get("SEARCH_LOG_ENABLED", True) or looks_personal(query) or looks_personal(reading):
        return
    row = {
        "query": query[:200],
        "reading": reading[:200],
        "raw_length": raw_length,
        "filters": filters,
        "result_count": result_count,
        "session_hash": visitor_hash(app, request.remote_addr or "", request.user_agent.string[:300]),
    }

    @after_this_request
    def _schedule(response):
        response.call_on_close(lambda: write_log(app, row))
        return response


def write_log(app: Flask, row: dict) -> None:
    """Insert one SearchLog row in its own app context and transaction; errors are logged, not raised."""
    try:
        with app.app_context():
            if db.session.get_bind().dialect.name == "postgresql":
                # a log row may be lost in a crash, never wait for the disk: no flush to disk per search
                db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            db.session.add(SearchLog(**row))
            db.session.commit()
    except Exception:
        log.exception("could not write the search log")
