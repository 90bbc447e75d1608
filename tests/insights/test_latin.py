"""Queries typed in Latin letters (Finglish "golab", English "rosewater") are logged with their reading, the
Persian words search read them as; insights show them with their Persian equivalent as one demand."""

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from marketplace.core.dates import TEHRAN
from marketplace.extensions import db
from marketplace.insights import services as insights
from marketplace.insights.models import SearchDaily
from marketplace.shops import services as shops
from marketplace.staff import impact_tables
from tests.factories import ProductFactory, ShopFactory, category_id
from tests.insights.test_services import log

DAY = date(2026, 3, 10)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def at(day: date, hour: int = 12) -> datetime:
    """Noon (or `hour`) of a Tehran calendar day, in UTC as it is stored."""
    return datetime.combine(day, time(hour), TEHRAN).astimezone(UTC)


def rows_of(day):
    return {
        (row.query, row.category_id): row.reading
        for row in db.session.scalars(select(SearchDaily).where(SearchDaily.day == day))
    }


def shown(demands):
    return {d.query: (d.searches, d.sessions, d.also_typed_as, d.latin_searches) for d in demands}


def _rose_water(day):
    """«گلاب» typed in Persian by 2 visitors, as "golab" by 2, as "rosewater" by 3 (found nothing); "sabzi"
    that search could not read (no reading) by 2."""
    log("گلاب", at(day), times=2)
    log("golab", at(day), reading="گلاب", times=2)
    log("rosewater", at(day), reading="گلاب", results=0, times=3)
    log("sabzi", at(day), results=0, times=2)


# ---------------------------------------------------------------- the roll-up


def test_roll_up_keeps_each_querys_most_common_reading_as_an_attribute(ctx):
    jams = category_id("jams")
    log("golab", at(DAY), reading="گلاب", times=2)
    log("golab", at(DAY), reading="گلاب", category="jams")
    log("golab", at(DAY), reading="گل آب")  # read otherwise once
    log("golab", at(DAY))  # searched as typed once (no reading): not counted against the readings
    log("gol", at(DAY), reading="گول")
    log("gol", at(DAY), reading="گل")  # a tie: the first in alphabetical order, so a recount agrees
    log("گلاب", at(DAY), times=2)
    assert insights.roll_up(DAY) == 4  # still one row per (day, query, category)
    assert rows_of(DAY) == {("golab", None): "گلاب", ("golab", jams): "گلاب", ("gol", None): "گل", ("گلاب", None): ""}
    insights.roll_up(DAY)  # recomputed, not added to
    assert len(rows_of(DAY)) == 4


# ---------------------------------------------------------------- one demand


@pytest.mark.parametrize("rolled_up", [True, False], ids=["roll-ups", "raw-log"])
def test_a_query_and_the_latin_queries_read_as_it_are_one_row(ctx, rolled_up):
    _rose_water(DAY)
    if rolled_up:
        insights.roll_up(DAY)
    data = insights.insights_for(None, on=DAY)
    assert shown(data.top) == {
        "گلاب": (7, 7, ["golab", "rosewater"], 5),  # searches and visitors summed; the Latin spellings listed
        "sabzi": (2, 2, [], 0),  # no reading: a row of its own
    }
    # 3 of the 7 searches for «گلاب» found nothing: under half, so buyers mostly found it
    assert [(d.query, d.zero_results, d.also_typed_as) for d in data.unmet] == [("sabzi", 2, [])]


def test_unmet_demand_groups_the_same_way(ctx):
    log("گلاب", at(DAY), results=1, times=2)
    log("golab", at(DAY), reading="گلاب", results=0, times=2)
    log("rosewater", at(DAY - timedelta(days=1)), reading="گلاب", results=0, times=2)
    insights.roll_up(DAY - timedelta(days=1))
    (demand,) = insights.unmet_searches(on=DAY)
    assert (demand.query, demand.zero_results, demand.few_results, demand.searches) == ("گلاب", 4, 2, 6)
    assert demand.also_typed_as == ["golab", "rosewater"] and demand.latin_searches == 4
    (again,) = insights.unmet_between(DAY - timedelta(days=1), DAY)  # the impact dashboard's period
    assert again.also_typed_as == ["golab", "rosewater"]


def test_latin_queries_alone_are_headed_by_their_persian_reading(ctx):
    log("golab", at(DAY), reading="گلاب", times=2)
    log("rosewater", at(DAY), reading="گلاب", times=1)
    log("sabzi khoshk", at(DAY), reading="سبزی خشک", times=2)
    assert shown(insights.top_searches(on=DAY)) == {
        "گلاب": (3, 3, ["golab", "rosewater"], 3),
        "سبزی خشک": (2, 2, ["sabzi khoshk"], 2),
    }


def test_a_reading_that_changed_between_days_follows_most_searches(ctx):
    log("gol", at(DAY - timedelta(days=2)), reading="گل", times=3)
    log("gol", at(DAY - timedelta(days=1)), reading="گول", times=2)
    insights.roll_up(DAY - timedelta(days=2))
    insights.roll_up(DAY - timedelta(days=1))
    log("gol", at(DAY), reading="گول", times=2)  # the raw log after the roll-ups: 4 «گول» against 3 «گل»
    log("گول", at(DAY), times=2)
    assert shown(insights.top_searches(on=DAY)) == {"گول": (9, 9, ["gol"], 7)}


def test_rising_searches_group_too(ctx):
    log("گلاب", at(DAY), times=3)
    log("golab", at(DAY), reading="گلاب", times=3)  # neither spelling reaches RISING_MIN alone
    (rising,) = insights.rising_searches(on=DAY)
    assert (rising.query, rising.this_week, rising.last_week, rising.also_typed_as) == ("گلاب", 6, 0, ["golab"])


# ---------------------------------------------------------------- privacy


def test_the_visitor_threshold_counts_one_spelling_never_a_sum(ctx):
    # one person typed it both ways: two rows of one visitor each, never two visitors
    log("گلاب", at(DAY), session="same")
    log("golab", at(DAY), reading="گلاب", session="same")
    # two people, each one spelling: the roll-ups cannot tell them from the one person above, so not yet
    log("ترشی", at(DAY), session="a")
    log("torshi", at(DAY), reading="ترشی", session="b")
    assert insights.top_searches(on=DAY) == []
    insights.roll_up(DAY)
    assert insights.top_searches(on=DAY + timedelta(days=1)) == []
    # once one spelling has two visitors on one day, the row shows with every spelling's counts
    log("torshi", at(DAY + timedelta(days=1)), reading="ترشی", times=2)
    assert shown(insights.top_searches(on=DAY + timedelta(days=1))) == {"ترشی": (4, 4, ["torshi"], 3)}


def test_personal_data_never_shows_as_a_row_a_spelling_or_a_reading(ctx):
    log("گلاب", at(DAY), times=2)
    log("golab 09151234567", at(DAY), reading="گلاب", times=3)  # logged before such queries were refused
    log("ali", at(DAY), reading="علی ۰۹۱۵۱۲۳۴۵۶۷", times=3)
    for rolled_up in (False, True):
        if rolled_up:
            insights.roll_up(DAY)
        assert shown(insights.top_searches(on=DAY)) == {"گلاب": (2, 2, [], 0)}


# ---------------------------------------------------------------- the producer's scope


@pytest.fixture
def rosewater_producer(make, make_user):
    """A producer (English pages) selling rosewater («گلاب») in the jams category."""
    producer = make_user(roles={"producer"}, locale="en")
    shop = make(ShopFactory, owner=producer, name="گلاب قمصر", craft="گلاب‌گیری", neighbourhood="سجاد")
    make(ProductFactory, shop=shop, category="jams", title="گلاب دو آتشه قمصر", tags="عرق", status="published")
    return producer


def _scope_searches(day):
    _rose_water(day)
    log("golab", at(day), reading="گلاب", category="pickles", times=2)  # a category not hers
    log("araq", at(day), reading="عرق", times=2)  # her tag, reached through its reading
    log("ghomsar", at(day), times=2)  # Latin, no reading: its letters share no word with hers
    log("kif", at(day), reading="کیف", times=2)  # read as something she does not make


def test_the_producer_scope_reads_a_latin_query_by_its_reading(ctx, rosewater_producer):
    _scope_searches(DAY)
    insights.roll_up(DAY)
    scope = insights.producer_scope(shops.owned_shop(rosewater_producer))
    assert shown(insights.top_searches(scope, on=DAY)) == {
        "گلاب": (7, 7, ["golab", "rosewater"], 5),  # not the 2 "golab" searches filtered to pickles
        "عرق": (2, 2, ["araq"], 2),
    }
    everything = shown(insights.top_searches(None, on=DAY))
    assert everything["گلاب"] == (9, 9, ["golab", "rosewater"], 7) and {"ghomsar", "کیف", "sabzi"} <= set(everything)


# ---------------------------------------------------------------- the pages and the CSV file


def _heads(html: str, section: str) -> list[str]:
    """The searches a section of /insights lists, in order (the Persian head of each row)."""
    part = re.search(rf'id="{section}-title".*?</section>', html, re.S).group(0)
    return re.findall(r"<strong><bdi>([^<]*)</bdi></strong>", part)


def _spellings(html: str) -> list[str]:
    return re.findall(r'<bdi dir="ltr" class="insights-spelling">([^<]*)</bdi>', html)


def test_producer_page_shows_one_row_with_the_latin_spellings(app, client, login, rosewater_producer):
    with app.app_context():
        _scope_searches(insights.today())
        db.session.commit()
    login(rosewater_producer)
    html = client.get("/insights").get_data(as_text=True)
    assert _heads(html, "top") == ["گلاب", "عرق"]  # not "golab" nor "rosewater" apart, nor "ghomsar" nor «کیف»
    assert _heads(html, "rising") == ["گلاب"] and _heads(html, "unmet") == []
    assert _spellings(html) == ["golab, rosewater", "golab, rosewater", "araq"]  # rising, then the top
    assert html.count("also typed as:") == 3 and html.count(">in Latin letters<") == 3
    assert "7 searches" in html and "ghomsar" not in html


def test_staff_page_shows_one_row_with_the_latin_spellings(app, client, login, make_user):
    with app.app_context():
        _rose_water(insights.today())
        log("sabzi khoshk", at(insights.today()), reading="سبزی خشک", results=0, times=2)
        db.session.commit()
    login(make_user(roles={"staff"}, locale="en"))
    html = client.get("/insights").get_data(as_text=True)
    assert _heads(html, "top") == ["گلاب", "sabzi", "سبزی خشک"]
    assert _heads(html, "unmet") == ["sabzi", "سبزی خشک"]  # found nothing: grouped there too
    assert _heads(html, "rising") == ["گلاب"]
    assert _spellings(html) == ["sabzi khoshk", "golab, rosewater", "golab, rosewater", "sabzi khoshk"]


def test_the_unmet_demand_csv_lists_the_latin_spellings(app, client, login, staff):
    with app.app_context():
        log("golab", at(date(2026, 1, 6)), reading="گلاب", results=0, times=2)
        log("rosewater", at(date(2026, 1, 6)), reading="گلاب", results=0, times=1)
        db.session.commit()
    table = None
    with app.test_request_context():
        table = impact_tables.demand_table(insights.unmet_between(date(2026, 1, 1), date(2026, 1, 31)))
    assert table.rows == [["گلاب", 3, 3, 0, "golab, rosewater"]]
    login(staff)
    response = client.get("/staff/impact/unmet.csv", query_string={"from": "1404/10/11", "to": "1404/11/11"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[1][0] == "گلاب" and rows[1][-1] == "golab, rosewater"
