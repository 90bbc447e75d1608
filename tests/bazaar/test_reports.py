"""Fair reports: every number of a fair's report (applications by category and first-timer,
attendance, online orders during the fair, in-person sales, totals per producer and the booth fee),
the income ledger across fairs, the SVG charts and their tables, the CSV files, and who may see what."""

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

from marketplace.bazaar import report_tables, reports
from marketplace.bazaar.models import BazaarEvent, FairOrder, FeeMode, InPersonSale
from marketplace.core import charts, tables
from marketplace.core.dates import utcnow
from marketplace.core.messages import lazy_gettext as _l
from marketplace.core.persian import to_latin_digits
from marketplace.extensions import db
from tests.factories import ApplicationFactory, FairFactory, ShopFactory, UserFactory
from tests.orders.ordering import place

SVG = "{http://www.w3.org/2000/svg}"
CHART = r'<svg xmlns="http://www.w3.org/2000/svg" class="bar-chart".*?</svg>'


def _svg(text: str) -> ET.Element:
    """Our own chart parsed as XML (it must be well-formed to parse)."""
    return ET.fromstring(text)  # noqa: S314 (the app's own output, in a test)


# ---------------------------------------------------------------- the fair the tests report on


@dataclass
class Scene:
    """Ids and numbers of the fair built by `build_fair` (plain values, usable after a commit)."""

    fair_id: int
    past_fair_id: int
    maryam_app: int  # accepted, handicraft, first-timer, checked in, sold online and in person
    zahra_app: int  # accepted, food, came before, not checked in
    maryam_shop: int
    zahra_shop: int
    maryam_phone: str
    zahra_phone: str
    handicraft: str  # top category names (Persian)
    food: str


def _window_fair(creator, *, days_ago: int, hours: int = 48, status: str = "live", **fields):
    """A fair that started `days_ago` days ago and runs `hours` hours."""
    starts = utcnow() - timedelta(days=days_ago)
    return FairFactory(
        creator=creator,
        starts_at=starts,
        ends_at=starts + timedelta(hours=hours),
        applications_open_at=starts - timedelta(days=20),
        applications_close_at=starts - timedelta(days=5),
        status=status,
        booths=4,
        **fields,
    )


def _order(shop, toman, created_at, *, status=None, fair=None, buyer=None):
    order = place(buyer, shop=shop, price_toman=toman)
    order.created_at = created_at
    if status:
        order.status = status
    if fair is not None:
        db.session.add(FairOrder(fair_id=fair.id, order_id=order.id, booth_code="A-01"))
    db.session.flush()
    return order


def build_fair(maryam_name="گلدوزی مریم") -> Scene:
    """A live fair (started a day ago, 48 hours long, booth fee 50,000 toman) with seven
    applications in two top categories, check-ins, in-person sales and orders inside and outside
    its hours; and a closed fair a month ago where Maryam sold too."""
    staff = UserFactory(roles={"staff"})
    fair = _window_fair(staff, days_ago=1, booth_fee_rial=500_000)
    booths = {booth.code: booth for booth in fair.booths}
    maryam = ShopFactory(status="approved", name=maryam_name)
    zahra = ShopFactory(status="approved", name="ترشی زهرا")
    a = ApplicationFactory(fair=fair, shop=maryam, kind="handicraft", status="accepted", first_timer=True)
    b = ApplicationFactory(fair=fair, shop=zahra, kind="food", status="accepted", first_timer=False)
    waitlisted = ApplicationFactory(fair=fair, kind="handicraft", status="waitlisted", first_timer=True)
    ApplicationFactory(fair=fair, kind="food", status="rejected", first_timer=True)
    ApplicationFactory(fair=fair, kind="handicraft", status="rejected", first_timer=False)
    ApplicationFactory(fair=fair, kind="handicraft", status="withdrawn", first_timer=True)
    a.booth, b.booth = booths["A-01"], booths["A-02"]
    a.checked_in_at = fair.starts_at + timedelta(minutes=20)
    db.session.add_all(
        [
            InPersonSale(application=a, amount_rial=1_200_000, item_count=3),
            InPersonSale(application=a, amount_rial=800_000, item_count=2),
        ]
    )
    starts, ends = fair.starts_at, fair.ends_at
    _order(maryam, 100_000, starts + timedelta(hours=1))  # counts
    _order(maryam, 50_000, starts + timedelta(hours=2), fair=fair)  # counts, pickup at the booth
    _order(maryam, 70_000, starts - timedelta(minutes=1))  # before the fair
    _order(maryam, 80_000, ends + timedelta(minutes=1))  # after the fair
    _order(maryam, 90_000, starts + timedelta(hours=3), status="cancelled")  # undone
    _order(maryam, 95_000, starts + timedelta(hours=3), status="refunded")  # undone
    _order(zahra, 30_000, starts + timedelta(hours=5))  # counts
    _order(waitlisted.shop, 40_000, starts + timedelta(hours=1))  # not an accepted shop

    past = _window_fair(staff, days_ago=30, status="closed")
    past_app = ApplicationFactory(fair=past, shop=maryam, kind="handicraft", status="accepted", first_timer=True)
    db.session.add(InPersonSale(application=past_app, amount_rial=600_000, item_count=4))
    _order(maryam, 20_000, past.starts_at + timedelta(hours=1))
    # an upcoming fair she is accepted at: nothing to count yet, so not in her ledger
    upcoming = FairFactory(creator=staff, status="published")
    ApplicationFactory(fair=upcoming, shop=maryam, status="accepted")
    db.session.flush()
    return Scene(
        fair_id=fair.id,
        past_fair_id=past.id,
        maryam_app=a.id,
        zahra_app=b.id,
        maryam_shop=maryam.id,
        zahra_shop=zahra.id,
        maryam_phone=maryam.owner.phone,
        zahra_phone=zahra.owner.phone,
        handicraft=a.items[0].product.category.top.name_fa,
        food=b.items[0].product.category.top.name_fa,
    )


def committed_scene(app, **fields) -> Scene:
    with app.app_context():
        scene = build_fair(**fields)
        db.session.commit()
        return scene


def _fair(scene):
    return db.session.get(BazaarEvent, scene.fair_id)


# ---------------------------------------------------------------- the numbers


def test_applications_and_acceptances_by_category_and_first_timer(app_ctx):
    scene = build_fair()
    report = reports.fair_report(_fair(scene))
    assert report.statuses == {"accepted": 2, "waitlisted": 1, "rejected": 2, "withdrawn": 1}
    assert report.applied == 5  # withdrawn not counted
    by_category = {tally.label: (tally.applied, tally.accepted, tally.rate) for tally in report.categories}
    assert by_category == {scene.handicraft: (3, 1, 33), scene.food: (2, 1, 50)}
    assert [tally.label for tally in report.categories] == [scene.handicraft, scene.food]  # most applied first
    newcomers = {tally.key: (tally.applied, tally.accepted, tally.rate) for tally in report.first_timers}
    assert newcomers == {"first": (3, 1, 33), "returning": (2, 1, 50)}


def test_attendance_online_orders_in_the_fair_window_and_in_person_sales(app_ctx):
    scene = build_fair()
    report = reports.fair_report(_fair(scene))
    assert (report.accepted, report.checked_in, report.attendance_rate) == (2, 1, 50)
    # Maryam 100,000 + 50,000 toman and Zahra 30,000: not the orders before or after the fair, not the
    # cancelled or refunded ones, not the waitlisted producer's
    assert (report.online_orders, report.online_rial) == (3, 1_800_000)
    assert (report.pickup_orders, report.pickup_rial) == (1, 500_000)
    assert (report.in_person_rial, report.in_person_items) == (2_000_000, 5)


def test_totals_per_producer_with_a_fixed_booth_fee(app_ctx):
    scene = build_fair()
    report = reports.fair_report(_fair(scene))
    lines = {line.shop_name: line for line in report.producers}
    assert list(lines) == ["گلدوزی مریم", "ترشی زهرا"]  # by booth code
    maryam, zahra = lines["گلدوزی مریم"], lines["ترشی زهرا"]
    assert (maryam.booth_code, maryam.checked_in, maryam.online_orders) == ("A-01", True, 2)
    assert (maryam.online_rial, maryam.in_person_rial, maryam.fee_rial, maryam.net_rial) == (
        1_500_000,
        2_000_000,
        500_000,
        3_000_000,
    )
    assert (zahra.booth_code, zahra.checked_in) == ("A-02", False)
    assert (zahra.online_rial, zahra.in_person_rial, zahra.fee_rial, zahra.net_rial) == (300_000, 0, 500_000, -200_000)
    total = report.totals
    assert (total.online_rial, total.in_person_rial, total.fee_rial, total.net_rial) == (
        1_800_000,
        2_000_000,
        1_000_000,
        2_800_000,
    )


def test_the_booth_fee_taken_from_recorded_in_person_sales(app_ctx):
    scene = build_fair()
    fair = _fair(scene)
    fair.fee_mode, fair.fee_percent, fair.booth_fee_rial = FeeMode.FROM_SALES, 10, 0
    db.session.add(InPersonSale(application_id=scene.maryam_app, amount_rial=34_560, item_count=1))
    db.session.flush()
    lines = {line.shop_name: line for line in reports.fair_report(fair).producers}
    # 10 % of 2,034,560 rial is 203,456: rounded down to a whole toman
    assert lines["گلدوزی مریم"].fee_rial == 203_450
    assert lines["گلدوزی مریم"].net_rial == 1_500_000 + 2_034_560 - 203_450
    assert lines["ترشی زهرا"].fee_rial == 0  # she recorded nothing
    assert reports.booth_fee_due(FeeMode.FIXED, 250_000, 0, 9_000_000) == 250_000


def test_a_fair_with_no_applications_reports_zeros(app_ctx):
    fair = FairFactory()
    report = reports.fair_report(fair)
    assert (report.applied, report.accepted, report.checked_in, report.attendance_rate) == (0, 0, 0, None)
    assert report.categories == [] and report.producers == []
    assert [(t.applied, t.rate) for t in report.first_timers] == [(0, None), (0, None)]
    assert report_tables.fair_tables(report)["producers"].rows == []


def test_the_ledger_lists_each_fair_she_was_accepted_at_with_a_total(app_ctx):
    scene = build_fair()
    ledger = reports.income_ledger(shop_id=scene.maryam_shop)
    assert [shop.shop_id for shop in ledger.shops] == [scene.maryam_shop]
    lines = ledger.lines
    assert [line.fair_id for line in lines] == [scene.fair_id, scene.past_fair_id]  # latest first, no upcoming
    assert [(line.online_rial, line.in_person_rial) for line in lines] == [(1_500_000, 2_000_000), (200_000, 600_000)]
    assert (ledger.total.online_rial, ledger.total.in_person_rial, ledger.total.total_rial) == (
        1_700_000,
        2_600_000,
        4_300_000,
    )
    table = report_tables.ledger_table(ledger, with_shop=False)
    assert table.total[2:4] == [1_700_000, 2_600_000]


def test_the_staff_ledger_covers_every_producer_and_filters_by_shop_name(app_ctx):
    scene = build_fair()
    everyone = reports.income_ledger()
    assert {shop.shop_id for shop in everyone.shops} == {scene.maryam_shop, scene.zahra_shop}
    assert everyone.total.total_rial == 4_300_000 + 300_000
    found = reports.income_ledger(name="ترشی")
    assert [shop.shop_name for shop in found.shops] == ["ترشی زهرا"]
    assert reports.income_ledger(name="%").shops == []  # a wildcard is a plain character


# ---------------------------------------------------------------- charts and CSV


def test_the_chart_is_valid_svg_with_escaped_labels_and_a_title(app_ctx):
    chart = charts.Chart("سهم <دسته‌ها>", ["درخواست", "پذیرفته"], [("<script>x</script>", [3, 1]), ("خوراکی", [2, 0])])
    svg = str(charts.bar_chart(chart))
    root = _svg(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "سهم <دسته‌ها>"
    assert root.find(f"{SVG}title").text == "سهم <دسته‌ها>"
    assert "<script>" not in svg
    bars = root.findall(f"{SVG}rect[@data-value]")
    assert [(bar.get("data-row"), bar.get("data-series"), bar.get("data-value")) for bar in bars] == [
        ("0", "0", "3"),
        ("0", "1", "1"),
        ("1", "0", "2"),
        ("1", "1", "0"),
    ]
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] > widths[2] > widths[1] > widths[3] == 0
    values = [text.text for text in root.iter(f"{SVG}text") if text.get("class") == "bar-chart-value"]
    assert values[:2] == ["۳", "۱"]  # Persian digits
    # right to left: the longest bar ends at the labels' edge on the right and grows leftwards
    first = bars[0]
    assert float(first.get("x")) + float(first.get("width")) == charts.WIDTH - charts.PAD - charts.LABEL_WIDTH
    ltr = _svg(str(charts.bar_chart(chart, rtl=False)))
    assert float(ltr.findall(f"{SVG}rect[@data-value]")[0].get("x")) == charts.PAD + charts.LABEL_WIDTH


def test_csv_cells_that_look_like_formulas_become_text():
    for dangerous in ("=1+1", "+98915", "-2", "@SUM(A1)", "\tx", "\rx", "  =HYPERLINK(1)"):
        assert tables.csv_text(dangerous) == "'" + dangerous
    assert tables.csv_text("گلدوزی مریم") == "گلدوزی مریم"
    assert tables.csv_cell(-200_000, "money") == "-20000"  # a number stays a number


# ---------------------------------------------------------------- the pages


class _Tables(HTMLParser):
    """Rows of each <table data-table=…> of a page, as cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list[list[str]]]] = {}
        self.current = None
        self.part = None
        self.cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.current = self.tables.setdefault(attrs["data-table"], {"thead": [], "tbody": [], "tfoot": []})
        elif self.current is not None and tag in ("thead", "tbody", "tfoot"):
            self.part = tag
        elif self.current is not None and tag == "tr":
            self.current[self.part].append([])
        elif self.current is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif tag in ("td", "th") and self.cell is not None:
            self.current[self.part][-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def _number(text: str) -> int:
    """«۱۵۰٬۰۰۰ تومان» → 150000."""
    digits = re.sub(r"[^\d-]", "", to_latin_digits(text))
    return int(digits) if digits else 0


def _charts(html: str) -> dict[str, ET.Element]:
    """Each report section's chart, parsed as XML, by the table it belongs to."""
    found = {}
    for part in html.split('aria-labelledby="report-')[1:]:
        name = part.split('"', 1)[0]
        chart = re.search(CHART, part.split("</section>", 1)[0], re.S)
        if chart:
            found[name] = _svg(chart.group(0))
    return found


def test_staff_see_the_report_with_charts_matching_their_tables(app, client, login, staff):
    scene = committed_scene(app)
    login(staff)
    response = client.get(f"/staff/fairs/{scene.fair_id}/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "<script" not in html.split("<main", 1)[-1]  # no chart script
    tables = _Tables()
    tables.feed(html)
    found = _charts(html)
    assert set(found) == {"categories", "first_timers", "producers"}
    for name, value_cells in (("categories", [1, 2]), ("first_timers", [1, 2]), ("producers", [4, 5])):
        rows = tables.tables[name]["tbody"]
        bars = found[name].findall(f"{SVG}rect[@data-value]")
        from_chart = [
            [int(bar.get("data-value")) for bar in bars if bar.get("data-row") == str(i)] for i in range(len(rows))
        ]
        from_table = [[_number(row[index]) for index in value_cells] for row in rows]
        assert from_chart == from_table, name
        assert found[name].get("role") == "img" and found[name].find(f"{SVG}title").text
    producers = tables.tables["producers"]
    assert [row[0] for row in producers["tbody"]] == ["گلدوزی مریم", "ترشی زهرا"]
    assert [_number(cell) for cell in producers["tbody"][0][3:]] == [2, 150_000, 200_000, 50_000, 300_000]
    assert _number(producers["tfoot"][0][-1]) == 280_000
    handicraft = tables.tables["categories"]["tbody"][0]
    assert handicraft[:3] == [scene.handicraft, "۳", "۱"] and _number(handicraft[3]) == 33  # Persian digits
    summary = [[_number(cell) for cell in row[1:]] for row in tables.tables["summary"]["tbody"]]
    assert summary == [
        [5, 0],
        [2, 0],
        [1, 0],
        [2, 0],
        [1, 0],
        [0, 0],
        [1, 0],
        [3, 180_000],
        [1, 50_000],
        [5, 200_000],
        [0, 100_000],
    ]


def test_report_csv_has_a_bom_toman_headers_and_escapes_formula_shop_names(app, client, login, staff):
    name = '=HYPERLINK("http://x.example","بزن")'
    scene = committed_scene(app, maryam_name=name)
    login(staff)
    response = client.get(f"/staff/fairs/{scene.fair_id}/report/producers.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    header, maryam, zahra, total = rows
    with app.test_request_context():  # the headers in the reader's language (Persian)
        online, yes = str(_l("%(column)s (Toman)", column=_l("Online during the fair"))), str(_l("Yes"))
        orders = str(_l("Online orders"))
    assert (header[3], header[4]) == (orders, online)  # amounts say they are in toman, counts do not
    assert maryam[0] == "'" + name  # never runs as a formula
    assert maryam[1:] == ["A-01", yes, "2", "150000", "200000", "50000", "300000"]
    assert zahra[-1] == "-20000"
    assert total[-1] == "280000"
    for table in report_tables.FAIR_TABLES:
        assert client.get(f"/staff/fairs/{scene.fair_id}/report/{table}.csv").status_code == 200
    assert client.get(f"/staff/fairs/{scene.fair_id}/report/secrets.csv").status_code == 404


def test_the_staff_ledger_page_and_its_csv(app, client, login, staff):
    committed_scene(app)
    login(staff)
    html = client.get("/staff/fairs/income").get_data(as_text=True)
    assert "گلدوزی مریم" in html and "ترشی زهرا" in html
    assert _svg(re.search(CHART, html, re.S).group(0)).get("role") == "img"
    html = client.get("/staff/fairs/income", query_string={"q": "ترشی"}).get_data(as_text=True)
    assert "ترشی زهرا" in html and "گلدوزی مریم" not in html
    body = client.get("/staff/fairs/income", query_string={"format": "csv"}).get_data()
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 1 + 3 + 1  # header, Maryam at two fairs and Zahra at one, total
    assert rows[-1][3:5] == ["200000", "260000"]
    assert [row[0] for row in rows[1:-1]].count("ترشی زهرا") == 1


def test_a_producer_sees_only_her_own_income(app, client, login):
    scene = committed_scene(app)
    login(_user(scene.zahra_phone))
    response = client.get("/dashboard/fairs/income")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tables = _Tables()
    tables.feed(html)
    rows = tables.tables["ledger"]["tbody"]
    assert len(rows) == 1 and [_number(cell) for cell in rows[0][2:]] == [30_000, 0, 50_000, -20_000]
    assert "گلدوزی مریم" not in html and "۱۵۰٬۰۰۰" not in html
    assert _svg(re.search(CHART, html, re.S).group(0)).find(f"{SVG}title") is not None
    body = client.get("/dashboard/fairs/income?format=csv").get_data()
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][2] == "30000"


def test_report_and_ledger_are_for_staff_only(app, client, login, producer):
    scene = committed_scene(app)
    login(producer)
    for path in (
        f"/staff/fairs/{scene.fair_id}/report",
        f"/staff/fairs/{scene.fair_id}/report/producers.csv",
        "/staff/fairs/income",
        "/staff/fairs/income?format=csv",
    ):
        assert client.get(path).status_code == 403, path


def test_a_producer_without_a_shop_or_fairs_sees_an_empty_page(client, login, producer):
    login(producer)
    response = client.get("/dashboard/fairs/income")
    assert response.status_code == 200
    assert re.search(CHART, response.get_data(as_text=True)) is None


def _user(phone):
    return SimpleNamespace(phone=phone)
