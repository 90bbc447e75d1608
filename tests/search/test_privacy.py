"""The search log without cookies: a visitor is a salted daily hash of address and browser, a query that
may hold personal data is never logged, and the public popular searches need several visitors too."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.core.dates import TEHRAN, utcnow
from marketplace.extensions import db
from marketplace.insights import services as insights
from marketplace.search import query
from marketplace.search.logs import visitor_hash
from marketplace.search.models import SearchLog


def logged(app) -> list[SearchLog]:
    with app.app_context():
        return db.session.scalars(select(SearchLog).order_by(SearchLog.id)).all()


def search_as(app, text: str, address: str, agent: str = "Mozilla/5.0 (Android 13)", path="/api/v1/search"):
    """One search from a new browser with no cookies at all (a fresh client each time)."""
    client = app.test_client(use_cookies=False)
    response = client.get(
        path, query_string={"q": text}, headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": address}
    )
    response.close()  # the log row is written once the response is sent
    assert response.status_code == 200
    return response


def test_cookieless_requests_of_one_visitor_count_once(app):
    for _ in range(3):
        search_as(app, "کیف چرمی قرمز", "10.0.0.1")
    with app.app_context():
        assert "کیف چرمی قرمز" not in {d.query for d in insights.top_searches(None)}
    search_as(app, "کیف چرمی قرمز", "10.0.0.1", agent="Mozilla/5.0 (iPhone)")  # another phone at the same place
    with app.app_context():
        (demand,) = [d for d in insights.top_searches(None) if d.query == "کیف چرمی قرمز"]
    assert demand.searches == 4 and demand.peak == 2
    hashes = [row.session_hash for row in logged(app)]
    assert len(set(hashes)) == 2 and all(len(value) == 32 for value in hashes)
    assert hashes[0].startswith(f"{utcnow().astimezone(TEHRAN):%Y%m%d}")


def test_the_visitor_hash_changes_every_day_and_hides_the_address(app):
    today = utcnow().astimezone(TEHRAN).date()
    first = visitor_hash(app, "10.0.0.1", "agent", today)
    assert first == visitor_hash(app, "10.0.0.1", "agent", today)
    assert first != visitor_hash(app, "10.0.0.1", "agent", today + timedelta(days=1))
    assert first != visitor_hash(app, "10.0.0.2", "agent", today)
    assert "10.0.0.1" not in first


@pytest.mark.parametrize("text", ["۰۹۱۵ ۱۰۰ ۰۰۰۲", "09151000002", "کیف ٠٩١٥١٠٠٠٠٠٢", "0915-100-0002"])
def test_a_query_holding_a_phone_number_is_not_logged(app, text):
    response = search_as(app, text, "10.0.0.7")
    search_as(app, "گلیم", "10.0.0.7", path="/search")
    assert [row.query for row in logged(app)] == ["گلیم"]
    assert "Set-Cookie" not in response.headers


def test_popular_searches_need_several_visitors_on_one_day(app):
    now = utcnow()
    today, yesterday = now.astimezone(TEHRAN).date(), (now - timedelta(days=1)).astimezone(TEHRAN).date()

    def row(text, address, day=today, when=now):
        hashed = visitor_hash(app, address, "Mozilla/5.0", day)
        db.session.add(SearchLog(query=text, result_count=3, created_at=when, session_hash=hashed))

    with app.app_context():
        row("گلیم", "10.0.0.1")
        row("گلیم", "10.0.0.2")  # two people today
        for _ in range(5):
            row("شال ابریشمی", "10.0.0.3")  # one person, five times…
        row("شال ابریشمی", "10.0.0.3", yesterday, now - timedelta(days=1))  # …and once yesterday
        for address in ("10.0.0.4", "10.0.0.5", "10.0.0.6"):
            row("09151000002", address)  # logged before such queries were refused
        db.session.commit()
        assert query.popular_searches() == ["گلیم"]
