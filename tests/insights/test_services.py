"""What buyers look for: daily roll-ups, pruning, rising searches, the producer's scope and /insights."""

import itertools
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from marketplace.core.dates import TEHRAN, utcnow
from marketplace.extensions import db
from marketplace.insights import services as insights
from marketplace.insights.models import SearchDaily
from marketplace.search.analysis import analyze, normalize_query
from marketplace.search.logs import looks_personal
from marketplace.search.models import SearchLog
from marketplace.shops import services as shops
from tests.factories import ProductFactory, ShopFactory, category_id

DAY = date(2026, 3, 10)
_sessions = itertools.count(1)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """An instant on a Tehran calendar day, in UTC as it is stored."""
    return datetime.combine(day, time(hour, minute), TEHRAN).astimezone(UTC)


def log(query, when, results=5, category=None, session=None, times=1, reading=""):
    """Append search-log rows; each gets its own visitor unless one is given. A visitor hash starts with
    its Tehran day, as logs.visitor_hash makes them. `reading`: how a Latin query was read."""
    for _ in range(times):
        db.session.add(
            SearchLog(
                query=query,
                reading=reading,
                raw_length=len(query),
                filters={"category": category} if category else {},
                result_count=results,
                session_hash=f"{when.astimezone(TEHRAN):%Y%m%d}{session or f's{next(_sessions)}'}",
                created_at=when,
            )
        )
    db.session.flush()


def daily_rows(day):
    rows = db.session.scalars(select(SearchDaily).where(SearchDaily.day == day))
    return {
        (row.query, row.category_id): (row.searches, row.sessions, row.zero_results, row.few_results) for row in rows
    }


def test_roll_up_counts_each_tehran_day_and_is_idempotent(ctx):
    leather = category_id("leather")
    log("کیف چرمی", at(DAY, 0, 1), results=0, session="a")
    log("کیف چرمی", at(DAY, 9), results=2, session="a")
    log("کیف چرمی", at(DAY, 23, 59), results=7, session="b")
    log("کیف چرمی", at(DAY, 10), results=1, category="leather")
    log("", at(DAY, 11), results=40)  # browsing with filters only is not a search
    log("کیف چرمی", at(DAY - timedelta(days=1), 23, 59))  # the evening before, Tehran time
    log("کیف چرمی", at(DAY + timedelta(days=1), 0, 0))

    assert insights.roll_up(DAY) == 2
    expected = {("کیف چرمی", None): (3, 2, 1, 1), ("کیف چرمی", leather): (1, 1, 0, 1)}
    assert daily_rows(DAY) == expected
    log("کیف چرمی", at(DAY, 15), results=0, session="c")
    insights.roll_up(DAY)
    insights.roll_up(DAY)
    assert daily_rows(DAY) == {("کیف چرمی", None): (4, 3, 2, 1), ("کیف چرمی", leather): (1, 1, 0, 1)}
    assert daily_rows(DAY - timedelta(days=1)) == {}  # not rolled up yet


def test_roll_up_reads_category_ids_and_ignores_unknown_categories(ctx):
    log("مربا", at(DAY), category=str(category_id("jams")))
    log("مربا", at(DAY), category="no-such-category")
    insights.roll_up(DAY)
    assert daily_rows(DAY) == {("مربا", category_id("jams")): (1, 1, 0, 0), ("مربا", None): (1, 1, 0, 0)}


def test_pages_read_roll_ups_then_the_raw_log_after_them(ctx):
    log("گلیم", at(DAY - timedelta(days=3)), times=2)
    insights.roll_up(DAY - timedelta(days=3))
    log("گلیم", at(DAY), times=3)  # not rolled up: read from the raw log
    log("گلیم", at(DAY - timedelta(days=40)), times=9)  # outside the 30 days
    top = insights.top_searches(on=DAY)
    assert [(d.query, d.searches) for d in top] == [("گلیم", 5)]


def test_prune_deletes_old_raw_rows_and_keeps_roll_ups(ctx):
    old_day = (utcnow() - timedelta(days=100)).astimezone(TEHRAN).date()
    recent_day = (utcnow() - timedelta(days=10)).astimezone(TEHRAN).date()
    log("سفره قلمکار", at(old_day), times=2)
    log("سفره قلمکار", at(recent_day), times=1)
    insights.roll_up(old_day)
    insights.roll_up(recent_day)

    assert insights.prune() == 2
    assert db.session.scalar(select(func.count()).select_from(SearchLog)) == 1
    assert daily_rows(old_day) == {("سفره قلمکار", None): (2, 2, 0, 0)}
    insights.roll_up(recent_day)  # still recomputable from what is kept
    assert daily_rows(recent_day) == {("سفره قلمکار", None): (1, 1, 0, 0)}


def test_pending_days_catch_up_from_the_last_roll_up(ctx):
    assert insights.pending_days(until=DAY) == []
    log("شال", at(DAY - timedelta(days=2)))
    log("شال", at(DAY - timedelta(days=1)))
    assert insights.pending_days(until=DAY) == [DAY - timedelta(days=2), DAY - timedelta(days=1), DAY]
    insights.roll_up(DAY - timedelta(days=1))
    assert insights.pending_days(until=DAY) == [DAY]


def test_unmet_searches_are_the_ones_that_mostly_found_little(ctx):
    log("عروسک پارچه‌ای", at(DAY), results=0, times=3)
    log("عروسک پارچه‌ای", at(DAY), results=2, times=1)
    log("عروسک پارچه‌ای", at(DAY), results=9, times=1)
    log("روسری", at(DAY), results=0, times=1)
    log("روسری", at(DAY), results=30, times=4)  # usually found plenty
    unmet = insights.unmet_searches(on=DAY)
    assert [(d.query, d.zero_results, d.few_results, d.searches) for d in unmet] == [("عروسک پارچه‌ای", 3, 1, 5)]


def test_rising_searches_need_a_minimum_and_twice_last_week(ctx):
    this_week, last_week = DAY - timedelta(days=2), DAY - timedelta(days=9)
    log("کیف", at(this_week), times=6)
    log("کیف", at(last_week), times=2)  # 6 ≥ 2 × 2: rising
    log("شال", at(this_week), times=7)
    log("شال", at(last_week), times=4)  # 7 < 2 × 4: steady
    log("مربا", at(this_week), times=3)  # new, but too few to call
    log("گبه", at(this_week), times=5)  # new and enough
    insights.roll_up(last_week)  # half from roll-ups, half from the raw log
    rising = insights.rising_searches(on=DAY)
    assert [(r.query, r.this_week, r.last_week) for r in rising] == [("گبه", 5, 0), ("کیف", 6, 2)]


@pytest.fixture
def leather_producer(make, producer):
    """The shared producer, with a published leather bag (tagged «کوله») in her shop."""
    shop = make(ShopFactory, owner=producer, name="چرم نیلوفر", craft="چرم‌دوزی", neighbourhood="سجاد")
    make(
        ProductFactory,
        shop=shop,
        category="leather",
        title="کیف چرمی دست‌دوز زنانه",
        price_toman=1_200_000,
        tags="کوله",
        status="published",
    )
    return producer


def _searches_for_scope():
    today = insights.today()
    log("کیف", at(today), category="leather", times=2)  # her category
    log("کمربند", at(today), category="handicrafts", times=2)  # her category's parent
    log("مربا", at(today), category="jams", times=5)  # someone else's category
    log("کیف پول", at(today), results=0, times=3)  # no category, shares a word with her title
    log("کوله پشتی", at(today), times=2)  # no category, shares her tag
    log("ترشی", at(today), times=4)  # no category, nothing to do with her
    log("کیف ۰۹۱۵۱۲۳۴۵۶۷", at(today), session="lonely", times=3)  # one person only: private


def test_producer_scope_is_her_categories_and_words(app, ctx, leather_producer):
    _searches_for_scope()
    shop = shops.owned_shop(leather_producer)
    scope = insights.producer_scope(shop)
    assert {category_id("leather"), category_id("handicrafts")} <= scope.category_ids
    assert category_id("jams") not in scope.category_ids
    seen = {d.query for d in insights.top_searches(scope)}
    assert seen == {"کیف", "کمربند", "کیف پول", "کوله پشتی"}
    everything = {d.query for d in insights.top_searches(None)}
    assert {"مربا", "ترشی"} <= everything and "کیف ۰۹۱۵۱۲۳۴۵۶۷" not in everything
    assert insights.producer_scope(None).category_ids == set()


def test_insights_page_access(client, make_user, login):
    response = client.get("/insights")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    login(make_user())
    assert client.get("/insights").status_code == 403


def test_producer_page_shows_her_unmet_demand_in_persian(app, client, login, leather_producer):
    with app.app_context():
        _searches_for_scope()
        db.session.commit()
    login(leather_producer)
    html = client.get("/insights").get_data(as_text=True)
    shown = set(re.findall(r"<bdi>([^<]*)</bdi>", html))
    assert {"کیف", "کمربند", "کیف پول", "کوله پشتی"} <= shown
    assert not shown & {"مربا", "ترشی", "کیف ۰۹۱۵۱۲۳۴۵۶۷"}
    assert 'href="/insights"' in client.get("/dashboard").get_data(as_text=True)


def test_producer_without_products_is_told_what_to_do(client, make_user, login):
    login(make_user(roles={"producer"}, locale="en"))
    html = client.get("/insights").get_data(as_text=True)
    assert "Add your first product" in html
    assert "Searched for, but not found" not in html


def test_staff_see_every_search_more_than_one_visitor_made(app, client, make_user, login):
    with app.app_context():
        log("ترشی لیته", utcnow(), results=0, times=2)
        log("مربای انجیر", utcnow(), results=0, session="alone", times=3)  # one visitor: private for staff too
        db.session.commit()
    login(make_user(roles={"staff"}, locale="en"))
    html = client.get("/insights").get_data(as_text=True)
    assert "ترشی لیته" in html and "مربای انجیر" not in html
    assert "Searched for, but not found" in html and "2 searches" in html
    assert 'aria-current="page"' in html and 'href="/insights"' in html  # in the console's nav


def test_cli_rolls_up_a_day_then_prunes(app, ctx):
    old = (utcnow() - timedelta(days=95)).astimezone(TEHRAN).date()
    log("جاجیم", at(old), times=2)
    log("جاجیم", at(DAY), results=0, times=3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["insights", "--roll-up", "--day", "۲۰۲۶-۰۳-۱۰"])
    assert result.exit_code == 0, result.output
    assert daily_rows(DAY) == {("جاجیم", None): (3, 3, 3, 0)}
    result = runner.invoke(args=["insights", "--roll-up", "--day", str(old), "--prune"])
    assert result.exit_code == 0, result.output
    assert "pruned 5" in result.output  # DAY is long gone too
    assert daily_rows(old) == {("جاجیم", None): (2, 2, 0, 0)}
    assert daily_rows(DAY) == {("جاجیم", None): (3, 3, 3, 0)}


def test_cli_refuses_unclear_requests(app, ctx):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["insights"]).exit_code == 2
    assert runner.invoke(args=["insights", "--prune", "--day", "2026-03-10"]).exit_code == 2
    assert runner.invoke(args=["insights", "--roll-up", "--day", "yesterday"]).exit_code == 2
    today = str(insights.today())
    assert runner.invoke(args=["insights", "--roll-up", "--day", today]).exit_code == 2


def test_cli_catches_up_every_pending_day(app, ctx):
    yesterday = insights.today() - timedelta(days=1)
    log("قندان", at(yesterday - timedelta(days=1)))
    log("قندان", at(yesterday), times=2)
    result = app.test_cli_runner().invoke(args=["insights", "--roll-up"])
    assert result.exit_code == 0, result.output
    assert daily_rows(yesterday) == {("قندان", None): (2, 2, 0, 0)}
    assert daily_rows(yesterday - timedelta(days=1)) == {("قندان", None): (1, 1, 0, 0)}


# ---------------------------------------------------------------- privacy


def test_one_visitor_on_several_days_is_not_enough(ctx):
    for days_ago in range(5):
        log("کیف قرمز", at(DAY - timedelta(days=days_ago)), session="same-person", times=2)
    log("گبه", at(DAY - timedelta(days=2)), session="a")
    log("گبه", at(DAY - timedelta(days=2)), session="b")  # two people on one day
    insights.roll_up(DAY - timedelta(days=3))  # from roll-ups and from the raw log alike
    shown = {d.query: d for d in insights.top_searches(on=DAY)}
    assert set(shown) == {"گبه"} and shown["گبه"].peak == 2
    producer_view = {d.query for d in insights.top_searches(insights.Scope(words={"کیف", "گبه"}), on=DAY)}
    assert producer_view == {"گبه"}


PERSONAL = [
    "۰۹۱۵۱۲۳۴۵۶۷",
    "09151234567",
    "0915 123 4567",
    "۰۹۱۵ ۱۲۳ ۴۵ ۶۷",
    "٠٩١٥١٢٣٤٥٦٧",
    "+98 915 123 4567",
    "کیف ۰۹۱۵-۱۲۳-۴۵۶۷",
    "6037 9975 1234 5678",
    "کد ملی ۰۹۲۱۲۳۴۵۶۷",
]


@pytest.mark.parametrize("text", PERSONAL)
def test_queries_holding_a_number_like_a_phone_are_never_shown(ctx, text):
    query = normalize_query(text)
    assert looks_personal(query) and looks_personal(text)
    log(query, at(DAY), times=5)  # five visitors: popular, and still private
    log("گلیم", at(DAY), times=2)
    insights.roll_up(DAY)
    assert query not in {row[0] for row in daily_rows(DAY)}  # not even rolled up
    log(query, at(DAY + timedelta(days=1)), times=5)  # the raw log after the roll-up
    for scope in (None, insights.Scope(words=set(analyze(query)) | {"گلیم"})):
        data = insights.insights_for(scope, on=DAY + timedelta(days=1))
        assert {d.query for d in data.top} == {"گلیم"}
        assert not data.unmet and not data.rising


@pytest.mark.parametrize("text", ["کفش سایز ۳۸", "کیف زیر ۵۰۰ هزار", "قاب ۳۰ در ۴۰", "ست ۱۲ تکه ۲۴ عددی"])
def test_ordinary_numbers_in_queries_are_kept(text):
    assert not looks_personal(normalize_query(text))
