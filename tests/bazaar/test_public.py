"""The online bazaar's public pages: the fair list, a fair's page, its calendar file, the feed, and the
home page's next fair."""

import xml.etree.ElementTree as ET  # noqa: N817, S405 (parses our own feed)
from datetime import datetime, timedelta
from urllib.parse import quote
from zoneinfo import ZoneInfo

import icalendar
import pytest

from marketplace.core.dates import utcnow
from marketplace.extensions import db
from tests.bazaar.test_online import exhibit, fair_at, live_fair
from tests.factories import FairFactory
from tests.search.conftest import search_index_folder, synced  # noqa: F401  (each test its own index)

TEHRAN = ZoneInfo("Asia/Tehran")
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def fairs(app):
    """A live fair with one accepted shop at booth A-01 (20 % off) and one waitlisted; an upcoming
    published fair; a past one; a draft; all committed, with the index built."""
    with app.app_context():
        live = live_fair(title="بازارچه نوروزی")
        accepted = exhibit(live, discount=20)
        waitlisted = exhibit(live, status="waitlisted", booth=False)
        soon = (utcnow() + timedelta(days=20)).replace(second=0, microsecond=0)
        upcoming = fair_at(soon, soon + timedelta(days=2), title="بازارچه پاییزه")
        exhibit(upcoming, discount=10)
        past = fair_at(
            utcnow() - timedelta(days=40), utcnow() - timedelta(days=38), status="closed", title="بازارچه قدیمی"
        )
        draft = FairFactory(status="draft", title="بازارچه پیش‌نویس")
        values = {
            "live": live.slug,
            "upcoming": upcoming.slug,
            "past": past.slug,
            "draft": draft.slug,
            "accepted_shop": accepted.shop.name,
            "waitlisted_shop": waitlisted.shop.name,
            "product": accepted.items[0].product.title,
            "upcoming_start": upcoming.starts_at,
        }
        db.session.commit()
    synced(app)
    return values


def test_the_fair_list_groups_live_upcoming_and_past_and_hides_drafts(client, fairs):
    page = client.get("/bazaar").get_data(as_text=True)
    live, upcoming, past = page.index("بازارچه نوروزی"), page.index("بازارچه پاییزه"), page.index("بازارچه قدیمی")
    assert live < upcoming < past
    assert "پیش‌نویس" not in page
    assert 'rel="noopener noreferrer external"' in page  # the venue's map link
    assert "۱۴۰" in page  # Jalali years in Persian digits


def test_a_live_fair_page_shows_its_shops_booths_and_fair_prices(client, fairs):
    response = client.get(f"/bazaar/{fairs['live']}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "fair-live" in page  # the "live now" badge
    assert fairs["accepted_shop"] in page and "A-01" in page
    assert fairs["waitlisted_shop"] not in page  # only accepted applications take part
    assert fairs["product"] in page
    assert "<del" in page and ("۸۰٬۰۰۰" in page or "80,000" in page)  # 100,000 toman less 20 %
    assert 'action="/cart/add"' in page  # "add to cart" as on the product page
    assert "/calendar.ics" in page
    assert 'name="q"' in page and 'name="shop"' in page and 'name="band"' in page


def test_an_upcoming_fair_announces_its_fair_prices(client, fairs):
    page = client.get(f"/bazaar/{fairs['upcoming']}").get_data(as_text=True)
    assert "fair-live" not in page and "<del" not in page
    assert "card-fair-note" in page  # "Fair price from <date>: …"


def test_searching_a_fair_page_goes_through_the_index(client, fairs):
    page = client.get(f"/bazaar/{fairs['live']}", query_string={"q": "ناموجود‌ترین‌واژه"}).get_data(as_text=True)
    assert fairs["product"] not in page.split('id="products-heading"')[1]
    page = client.get(f"/bazaar/{fairs['live']}", query_string={"q": fairs["product"]}).get_data(as_text=True)
    assert fairs["product"] in page.split('id="products-heading"')[1]
    page = client.get(f"/bazaar/{fairs['live']}", query_string={"band": "0-100000"}).get_data(as_text=True)
    assert fairs["product"] not in page.split('id="products-heading"')[1]  # 100,000 toman is not under it


def test_draft_and_unknown_fairs_are_not_found(client, fairs):
    assert client.get(f"/bazaar/{fairs['draft']}").status_code == 404
    assert client.get(f"/bazaar/{fairs['draft']}/calendar.ics").status_code == 404
    assert client.get("/bazaar/no-such-fair").status_code == 404


def test_the_calendar_file_parses_with_the_fair_in_tehran_time(app, client, fairs):
    response = client.get(f"/bazaar/{fairs['upcoming']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.get_data()
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))  # folded at 75 octets
    calendar = icalendar.Calendar.from_ical(body)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Tehran"
    (event,) = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Asia/Tehran"
    start = event.decoded("DTSTART")
    assert start == fairs["upcoming_start"] and start.utcoffset() == timedelta(hours=3, minutes=30)
    assert str(event["SUMMARY"]) == "بازارچه پاییزه"
    assert "مرکز توانمندسازی گلشهر" in str(event["LOCATION"])
    assert "/bazaar/" in str(event["URL"]) and str(event["URL"]).startswith("http")
    uid = str(event["UID"])
    again = icalendar.Calendar.from_ical(client.get(f"/bazaar/{fairs['upcoming']}/calendar.ics").get_data())
    assert str(again.walk("VEVENT")[0]["UID"]) == uid  # stable per fair
    assert event.get("DTSTAMP") is not None


def test_the_calendar_file_escapes_and_folds_a_long_description(app, client):
    with app.app_context():
        start = datetime(2026, 6, 1, 9, 30, tzinfo=TEHRAN)
        fair = fair_at(start, start + timedelta(hours=8))
        fair.description = "غرفه‌ها، خوراکی؛ دست‌ساز, چرم; " * 12 + "\nخط دوم"
        slug = fair.slug
        db.session.commit()
    body = client.get(f"/bazaar/{slug}/calendar.ics").get_data()
    assert b"\\;" in body and b"\\," in body and b"\\n" in body
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    event = icalendar.Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).startswith("غرفه‌ها، خوراکی؛ دست‌ساز, چرم; ")
    assert b"DTSTART;TZID=Asia/Tehran:20260601T093000" in body


def test_the_feed_lists_live_and_upcoming_fairs(client, fairs):
    response = client.get("/bazaar/feed.xml")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())  # noqa: S314 (our own feed)
    assert feed.tag == f"{ATOM}feed"
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.findall(f"{ATOM}entry")]
    assert titles == ["بازارچه نوروزی", "بازارچه پاییزه"]
    assert all(entry.findtext(f"{ATOM}id") for entry in feed.findall(f"{ATOM}entry"))
    assert feed.find(f"{ATOM}link[@rel='self']") is not None


def test_the_home_page_shows_the_next_fair(client, fairs):
    page = client.get("/").get_data(as_text=True)
    assert "بازارچه نوروزی" in page and "fair-live" in page
    assert quote(f"/bazaar/{fairs['live']}") in page
    assert 'href="/bazaar"' in page  # the footer's and the card's link to all fairs


def test_the_home_page_shows_an_upcoming_fair_and_open_applications(app, client):
    with app.app_context():
        soon = utcnow() + timedelta(days=20)
        fair_at(soon, soon + timedelta(days=1), title="بازارچه زمستانه")
        FairFactory(title="بازارچه بهاره")  # taking applications now
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "بازارچه زمستانه" in page and "fair-live" not in page
    assert "بازارچه بهاره" in page and "/dashboard/fairs" in page


def test_the_home_page_without_fairs_has_no_card(client):
    page = client.get("/").get_data(as_text=True)
    assert "fair-teaser" not in page


def test_a_fair_page_rendered_after_the_start_but_before_go_live_is_not_kept(app, client, fairs):
    """The live fair is still "published" (go_live has not run): the page says live, and is not kept."""
    app.config["PAGE_CACHE_ENABLED"], before = True, app.config["PAGE_CACHE_ENABLED"]
    try:
        first = client.get(f"/bazaar/{fairs['live']}")
        assert "fair-live" in first.get_data(as_text=True) and first.headers.get("ETag") is None
        kept = client.get(f"/bazaar/{fairs['upcoming']}")
        assert kept.headers.get("ETag")  # a page whose status matches the clock is kept
    finally:
        app.config["PAGE_CACHE_ENABLED"] = before
