"""The centre's impact dashboard: the producer funnel, income per Jalali month from online orders and
fair sales (what counts, where a month starts in Tehran, the filters), readiness histograms fed in
bulk to the same rules as each producer's own dashboard, unmet demand, the CSV files, who may see it
and what a wrong date does."""

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from marketplace.bazaar.models import InPersonSale
from marketplace.bazaar.services import readiness as fair_readiness
from marketplace.catalog.models import Product, ProductImage
from marketplace.core.dates import utcnow
from marketplace.core.tables import csv_text
from marketplace.extensions import db
from marketplace.insights.models import SearchDaily
from marketplace.registration.models import RegistrationRecord
from marketplace.shops.services import brand_score
from marketplace.staff import impact, impact_period, impact_readiness
from tests.conftest import statements
from tests.factories import ApplicationFactory, FairFactory, ProductFactory, ShopFactory, UserFactory, category_id
from tests.orders.ordering import place

# Dey, Bahman and Esfand 1404: 1 Dey = 22 Dec 2025, 1 Bahman = 21 Jan 2026, 1 Esfand = 20 Feb 2026.
FIRST, LAST = date(2025, 12, 22), date(2026, 3, 20)
DEY, BAHMAN, ESFAND = 0, 1, 2
# Tehran is UTC+3:30: 1 Bahman starts at 20:30 UTC on 20 January.
BAHMAN_STARTS = datetime(2026, 1, 20, 20, 30, tzinfo=UTC)
LAST_MOMENT = datetime(2026, 3, 21, 12, tzinfo=UTC)  # after the period (it ends at 20:30 UTC on 20 March)


def _at(month: int, day: int = 5) -> datetime:
    """Noon UTC on a day inside Dey (0), Bahman (1) or Esfand (2)."""
    return datetime(2025, 12, 22, 12, tzinfo=UTC) + timedelta(days=30 * month + day)


def _order(shop, toman, created_at, status="paid", buyer=None):
    order = place(buyer, shop=shop, price_toman=toman)
    order.created_at, order.status = created_at, status
    db.session.flush()
    return order


def _fair_sale(shop, toman, recorded_at, kind="handicraft"):
    application = ApplicationFactory(fair=FairFactory(), shop=shop, kind=kind, status="accepted", products=1)
    db.session.add(InPersonSale(application=application, amount_rial=toman * 10, item_count=1, recorded_at=recorded_at))
    db.session.flush()


def _user(role: str, created_at: datetime):
    user = UserFactory(roles={role})
    user.created_at = created_at
    return user


def _producer(created_at, *, approved_at=None, published_at=None, neighbourhood="گلشهر", name=None):
    """A producer who signed up at `created_at`, with a shop approved and a product published when given."""
    owner = _user("producer", created_at)
    fields = {"name": name} if name else {}
    shop = ShopFactory(
        owner=owner, status="approved" if approved_at else "draft", neighbourhood=neighbourhood, **fields
    )
    shop.approved_at = approved_at
    if published_at:
        ProductFactory(shop=shop, status="published", published_at=published_at)
    db.session.flush()
    return shop


def _funnel(the_period, filters):
    return impact.funnel(
        the_period, filters, impact.shop_sales(the_period, impact_period.Filters(neighbourhood=filters.neighbourhood))
    )


def _income(the_period, filters):
    return impact.income(the_period, filters, impact.shop_sales(the_period, filters))


# ---------------------------------------------------------------- the period


def test_the_period_is_cut_at_tehran_midnight_on_the_first_of_each_jalali_month():
    the_period = impact_period.period(FIRST, LAST)
    assert [(month.year, month.month) for month in the_period.months] == [(1404, 10), (1404, 11), (1404, 12)]
    assert the_period.months[1].start == BAHMAN_STARTS
    assert the_period.start == datetime(2025, 12, 21, 20, 30, tzinfo=UTC)
    assert the_period.end == datetime(2026, 3, 20, 20, 30, tzinfo=UTC)
    cut = impact_period.period(date(2026, 1, 25), date(2026, 2, 2))  # a period starting mid-month
    assert cut.months[0].start == datetime(2026, 1, 24, 20, 30, tzinfo=UTC)
    default = impact_period.default_period(date(2026, 1, 25))  # 5 Bahman 1404
    assert (default.months[0].year, default.months[0].month, len(default.months)) == (1403, 12, 12)
    # from the first producer's sign-up month when that is earlier: at least 12 months, at most 36
    since = impact_period.default_period(date(2026, 1, 25), first_signup=date(2024, 10, 1))  # 10 Mehr 1403
    assert (since.months[0].year, since.months[0].month, len(since.months)) == (1403, 7, 17)
    recent = impact_period.default_period(date(2026, 1, 25), first_signup=date(2025, 12, 1))
    assert len(recent.months) == 12
    capped = impact_period.default_period(date(2026, 1, 25), first_signup=date(2015, 1, 1))
    assert len(capped.months) == impact_period.MAX_MONTHS
    assert impact_period.period_problem(LAST, FIRST) is not None
    assert impact_period.period_problem(date(2020, 1, 1), LAST) is not None  # more than 36 months
    assert impact_period.period_problem(FIRST, LAST) is None


# ---------------------------------------------------------------- the funnel


def test_the_funnel_follows_the_producers_who_signed_up_in_the_period(app_ctx):
    joined = _at(DEY, 1)
    a = _producer(joined, approved_at=_at(DEY, 2), published_at=_at(DEY, 3))
    _order(a, 100_000, _at(DEY, 10))
    _fair_sale(a, 50_000, _at(BAHMAN))
    _order(a, 100_000, _at(ESFAND))  # a: sales in three months
    b = _producer(joined, approved_at=_at(DEY, 2), published_at=_at(DEY, 3))
    _order(b, 100_000, _at(BAHMAN))
    _order(b, 100_000, _at(BAHMAN, 9))  # b: two sales, one month
    _producer(joined, approved_at=_at(DEY, 2))  # c: approved, nothing published
    _user("producer", joined)  # d: no shop yet
    g = _producer(joined, approved_at=_at(DEY, 2), published_at=_at(DEY, 3))
    _order(g, 100_000, _at(BAHMAN), status="cancelled")  # g: her only order was cancelled
    _order(g, 100_000, _at(BAHMAN), status="awaiting_confirmation")  # …and one not confirmed yet
    before = _producer(_at(DEY, -40), approved_at=_at(DEY, -30), published_at=_at(DEY, -30))
    _order(before, 100_000, _at(BAHMAN))  # signed up before the period: not in it
    _user("buyer", joined)  # buyers are not producers
    late = _producer(joined, approved_at=_at(DEY, 2), published_at=LAST_MOMENT)  # published after the end

    funnel = _funnel(impact_period.period(FIRST, LAST), impact_period.Filters())
    assert funnel.counts == {"signed_up": 6, "approved": 5, "published": 3, "first_sale": 2, "three_months": 1}
    assert [share for _key, _label, _count, share in funnel.steps()] == [None, 83, 60, 67, 50]
    elsewhere = _funnel(impact_period.period(FIRST, LAST), impact_period.Filters(neighbourhood="سیدی"))
    assert elsewhere.counts["signed_up"] == 0
    late.neighbourhood = "سیدی"
    db.session.flush()
    assert _funnel(impact_period.period(FIRST, LAST), impact_period.Filters(neighbourhood="سیدی")).counts == {
        "signed_up": 1,
        "approved": 1,
        "published": 0,
        "first_sale": 0,
        "three_months": 0,
    }


# ---------------------------------------------------------------- income


def _income_scene():
    maryam = ShopFactory(status="approved", name="گلدوزی مریم", neighbourhood="گلشهر")
    zahra = ShopFactory(status="approved", name="ترشی زهرا", neighbourhood="سیدی")
    _order(maryam, 50_000, BAHMAN_STARTS - timedelta(minutes=30))  # 23:00 on the last day of Dey in Tehran
    _order(maryam, 100_000, BAHMAN_STARTS + timedelta(minutes=30))  # 00:30 on 1 Bahman in Tehran
    _order(maryam, 90_000, _at(BAHMAN), status="cancelled")
    _order(maryam, 95_000, _at(BAHMAN), status="refunded")
    _order(maryam, 70_000, _at(BAHMAN), status="pending_payment")
    _order(maryam, 80_000, _at(BAHMAN), status="awaiting_confirmation")
    _order(maryam, 60_000, _at(DEY, -10))  # before the period
    _fair_sale(maryam, 200_000, _at(BAHMAN, 3))
    pickles = _order(zahra, 30_000, _at(ESFAND), status="delivered")
    pickles.items[0].product.category_id = category_id("pickles")
    db.session.flush()
    return maryam, zahra


def test_income_adds_orders_that_went_ahead_and_fair_sales_per_jalali_month(app_ctx):
    maryam, zahra = _income_scene()
    income = _income(impact_period.period(FIRST, LAST), impact_period.Filters())
    assert income.by_shop[maryam.id].online == [500_000, 1_000_000, 0]
    assert income.by_shop[maryam.id].fair == [0, 2_000_000, 0]
    assert income.by_shop[maryam.id].orders == [1, 1, 0]
    assert income.by_shop[zahra.id].per_month == [0, 0, 300_000]
    assert income.all.per_month == [500_000, 3_000_000, 300_000]
    assert income.sellers == [1, 1, 1]
    places = income.by_neighbourhood()
    assert places["گلشهر"].total == 3_500_000 and places["سیدی"].total == 300_000
    handicrafts, food = category_id("handicrafts"), category_id("home-food")
    assert income.by_category[handicrafts].per_month == [500_000, 3_000_000, 0]
    assert income.by_category[food].per_month == [0, 0, 300_000]


def test_income_filters_by_category_neighbourhood_and_period(app_ctx):
    maryam, zahra = _income_scene()
    the_period = impact_period.period(FIRST, LAST)
    food = _income(the_period, impact_period.Filters(category_id=category_id("home-food")))
    assert set(food.by_shop) == {zahra.id} and food.all.total == 300_000
    crafts = _income(the_period, impact_period.Filters(category_id=category_id("handicrafts")))
    assert set(crafts.by_shop) == {maryam.id} and crafts.all.total == 3_500_000
    seyyedi = _income(the_period, impact_period.Filters(neighbourhood="سیدی"))
    assert set(seyyedi.by_shop) == {zahra.id}
    bahman = _income(impact_period.period(date(2026, 1, 21), date(2026, 2, 19)), impact_period.Filters())
    assert len(bahman.months) == 1 and bahman.all.total == 3_000_000


# ---------------------------------------------------------------- readiness


def test_readiness_in_bulk_matches_each_producers_own_score_and_checklist(app_ctx):
    plain = ShopFactory(status="draft")
    branded = ShopFactory(status="approved", branded=True, neighbourhood="سیدی")
    products = [ProductFactory(shop=branded, status="published", kind="food") for _ in range(3)]
    for product in products:
        db.session.add(ProductImage(product=product, position=0, stored={"key": "x"}))
    ProductFactory(shop=branded, status="archived", kind="textile")
    food = ShopFactory(status="approved")
    pickle = ProductFactory(shop=food, status="published", kind="food")
    today = utcnow().date()
    db.session.add_all(
        [
            RegistrationRecord(shop_id=food.id, item_code="HB-1", status="verified"),
            RegistrationRecord(shop_id=food.id, product_id=pickle.id, item_code="FD-1", status="waived"),
            RegistrationRecord(
                shop_id=food.id, item_code="HC-1", status="verified", expires_on=today - timedelta(days=1)
            ),  # expired: not done
            RegistrationRecord(shop_id=food.id, item_code="TM-1", status="submitted"),  # not done yet
        ]
    )
    db.session.flush()
    db.session.expire_all()
    found = impact_readiness.producer_readiness(impact_period.Filters(), today)
    for shop in (plain, branded, food):
        own = list(
            db.session.scalars(db.select(Product).where(Product.shop_id == shop.id, Product.status != "archived"))
        )
        expected = fair_readiness(shop, own)
        assert found[shop.id] == (expected.brand_score, expected.checklist_percent), shop.name
    assert found[plain.id][0] == brand_score(plain)[0] == 10  # only her name
    assert 0 < found[food.id][1] < 100
    histogram = impact_readiness.readiness(impact_period.Filters(), today)
    assert histogram.producers == 3 and sum(histogram.scores) == sum(histogram.checklist) == 3
    assert histogram.scores[0] >= 1  # the plain shop in 0–19
    only = impact_readiness.producer_readiness(impact_period.Filters(neighbourhood="سیدی"), today)
    assert set(only) == {branded.id}
    assert set(
        impact_readiness.producer_readiness(impact_period.Filters(category_id=category_id("home-food")), today)
    ) == {
        branded.id,
        food.id,
    }


def test_readiness_buckets():
    assert [impact_readiness.bucket_of(v, impact_readiness.SCORE_BUCKETS) for v in (0, 19, 20, 59, 80, 100)] == [
        0,
        0,
        1,
        2,
        4,
        4,
    ]
    assert [impact_readiness.bucket_of(v, impact_readiness.CHECKLIST_BUCKETS) for v in (0, 99, 100)] == [0, 3, 4]


# ---------------------------------------------------------------- unmet demand


def test_unmet_demand_in_the_period_from_the_search_roll_ups(app_ctx):
    pickles = category_id("pickles")
    db.session.add_all(
        [
            SearchDaily(
                day=date(2026, 1, 5), query="گلیم ترکمن", searches=6, sessions=3, zero_results=5, few_results=0
            ),
            SearchDaily(
                day=date(2026, 1, 6),
                query="ترشی لیته",
                category_id=pickles,
                searches=4,
                sessions=2,
                zero_results=1,
                few_results=2,
            ),
            SearchDaily(day=date(2026, 1, 7), query="روسری", searches=9, sessions=5, zero_results=0, few_results=0),
            SearchDaily(day=date(2025, 11, 1), query="سماور", searches=9, sessions=5, zero_results=9, few_results=0),
            SearchDaily(day=date(2026, 1, 8), query="کیف", searches=3, sessions=1, zero_results=3, few_results=0),
        ]
    )
    db.session.flush()
    the_period = impact_period.period(FIRST, LAST)
    found = impact_readiness.unmet_demand(the_period, impact_period.Filters())
    assert [(d.query, d.zero_results, d.few_results) for d in found] == [("گلیم ترکمن", 5, 0), ("ترشی لیته", 1, 2)]
    food = impact_readiness.unmet_demand(the_period, impact_period.Filters(category_id=category_id("home-food")))
    assert [d.query for d in food] == ["ترشی لیته"]


# ---------------------------------------------------------------- the page and its files


def _committed(app, build):
    with app.app_context():
        result = build()
        db.session.commit()
        return result


def test_the_dashboard_page_shows_each_section_with_its_chart_and_table(app, client, login, staff):
    _committed(app, _income_scene)
    login(staff)
    response = client.get("/staff/impact", query_string={"from": "۱۴۰۳/۰۱/۰۱", "to": "1404/12/29"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    months = re.search(r'data-table="months".*?</tbody>', html, re.S).group(0)
    assert months.count("<tr>") == 1 + 24  # the header and every month of the two years, none cut
    for name in ("funnel", "months", "producers", "neighbourhoods", "categories", "brand_scores", "checklist", "unmet"):
        assert f'data-table="{name}"' in html
        assert f"/staff/impact/{name}.csv?" in html
    assert html.count('class="bar-chart"') >= 7
    assert "گلدوزی مریم" in html and "ترشی زهرا" in html
    producers = re.search(r'data-table="producers".*?</thead>', html, re.S).group(0)
    assert producers.count('scope="col"') == 5  # shop, neighbourhood, total, online, at fairs: months in the CSV
    assert "<script" not in html.split("</header>", 1)[-1].split("<footer", 1)[0]  # no chart script
    assert len(response.data) < 100 * 1024


def test_the_csv_files_escape_formulas_and_keep_the_filters(app, client, login, staff):
    def build():
        maryam, _zahra = _income_scene()
        maryam.name = '=HYPERLINK("http://x.example","بزن")'
        return maryam.name

    name = _committed(app, build)
    login(staff)
    period = {"from": "1404/10/01", "to": "1404/12/29"}
    response = client.get("/staff/impact/producers.csv", query_string=period)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, first, second, total = rows
    assert len(header) == 2 + 3 + 3  # shop, neighbourhood, total, online, at fairs, three months
    assert first[0] == csv_text(name) == "'" + name
    assert first[2:] == ["350000", "150000", "200000", "50000", "300000", "0"]  # in all, online, fairs, each month
    assert total[2] == "380000"
    home_food = _committed(app, lambda: category_id("home-food"))
    food = client.get("/staff/impact/producers.csv", query_string={**period, "category": home_food})
    rows = list(csv.reader(io.StringIO(food.get_data().decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:-1]] == ["ترشی زهرا"]
    assert client.get("/staff/impact/secrets.csv").status_code == 404


def test_only_staff_see_the_dashboard(app, client, login, make_user, producer):
    assert client.get("/staff/impact").status_code == 302  # to the login page
    login(producer)
    assert client.get("/staff/impact").status_code == 403
    assert client.get("/staff/impact/months.csv").status_code == 403
    buyer_client = app.test_client()
    login(make_user(roles={"buyer"}), the_client=buyer_client)
    assert buyer_client.get("/staff/impact").status_code == 403


def test_a_wrong_date_or_filter_is_refused_in_persian_keeping_what_was_typed(app, client, login, staff):
    login(staff)
    response = client.get("/staff/impact", query_string={"from": "۱۴۰۴/۱۳/۰۱", "to": "1404/12/29"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "تاریخ را این‌طور بنویسید" in html
    assert 'value="۱۴۰۴/۱۳/۰۱"' in html and 'value="۱۴۰۴/۱۲/۲۹"' in html  # as typed (shown in Persian digits)
    assert 'data-table="months"' not in html
    assert client.get("/staff/impact", query_string={"from": "1404/12/01", "to": "1404/10/01"}).status_code == 422
    assert client.get("/staff/impact", query_string={"category": "99999"}).status_code == 422
    assert client.get("/staff/impact", query_string={"neighbourhood": "جای دیگر"}).status_code == 422
    assert client.get("/staff/impact/months.csv", query_string={"from": "x"}).status_code == 422


def test_the_dashboard_counts_with_a_few_queries_whatever_the_number_of_producers(app, client, login, staff):
    def build(count):
        for _ in range(count):
            shop = ShopFactory(status="approved", branded=True)
            _order(shop, 10_000, utcnow() - timedelta(days=3))

    login(staff)
    _committed(app, lambda: build(2))
    with statements(app) as few:
        assert client.get("/staff/impact").status_code == 200
    _committed(app, lambda: build(6))
    with statements(app) as more:
        assert client.get("/staff/impact").status_code == 200
    assert len(more) == len(few)


def test_each_order_falls_in_its_own_month_over_a_long_period(app_ctx):
    """The month bucket halves the months at each level: every month of a 25-month period gets
    the orders of its first and last half hour in Tehran, and no other."""
    shop = ShopFactory(status="approved")
    the_period = impact_period.period(date(2024, 11, 21), date(2026, 12, 1))  # 1 Azar 1403 … 10 Azar 1405
    assert len(the_period.months) == 25
    for index, month in enumerate(the_period.months):
        _order(shop, 1_000 * (index + 1), month.start + timedelta(minutes=30))
        _order(shop, 1_000 * (index + 1), min(month.end, the_period.end) - timedelta(minutes=30))
    sales = impact.shop_sales(the_period, impact_period.Filters())
    assert sales.by_shop[shop.id].orders == [2] * 25
    assert sales.by_shop[shop.id].online == [20_000 * (index + 1) for index in range(25)]
