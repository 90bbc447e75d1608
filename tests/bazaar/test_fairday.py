"""Fair day: pass codes, the pass image and its QR code, checking in, and recorded sales."""

import io
from datetime import timedelta

import pytest
import zxingcpp
from PIL import Image

from marketplace.bazaar import booths, fairday
from marketplace.bazaar.models import Application, ApplicationStatus, FairStatus
from marketplace.core.dates import utcnow
from marketplace.core.errors import RuleError
from marketplace.extensions import db
from tests.conftest import post_form
from tests.factories import ApplicationFactory, FairFactory, ShopFactory, UserFactory


@pytest.fixture
def live_fair(app_ctx):
    """A published fair with one zone and a staff member."""
    fair = FairFactory(status="published")
    booths.add_zone(fair, "سالن الف", 1, 3, "A")
    return fair


def _accepted(fair, **fields):
    return ApplicationFactory(fair=fair, status="accepted", **fields)


def test_pass_codes_are_short_unambiguous_unique_and_only_for_accepted_producers(live_fair):
    first, second = _accepted(live_fair), _accepted(live_fair)
    code = fairday.ensure_pass_code(first)
    assert len(code) == 8 and set(code) <= set(fairday.PASS_ALPHABET)
    assert not set(code) & set("01OIL")
    assert fairday.ensure_pass_code(first) == code  # made once
    assert fairday.ensure_pass_code(second) != code
    waiting = ApplicationFactory(fair=live_fair, status="waitlisted")
    with pytest.raises(RuleError):
        fairday.ensure_pass_code(waiting)
    assert waiting.pass_code is None


def test_a_typed_or_scanned_code_is_read_in_any_digits_case_spacing_or_keyboard():
    assert fairday.normalize_code(" ab3d-7kq۲ ") == "AB3D7KQ2"
    assert fairday.normalize_code("ab3d 7kq2") == "AB3D7KQ2"
    assert fairday.normalize_code("https://rooyesh.example/staff/fairs/3/checkin?code=AB3D7KQ2") == "AB3D7KQ2"
    # a scanner typing on the Persian keyboard layout: ش=A ذ=B ی=D ن=K ض=Q
    assert fairday.normalize_code("شذ3ی7نض2") == "AB3D7KQ2"


def test_the_pass_png_decodes_and_its_qr_code_holds_the_pass_code(live_fair):
    shop = ShopFactory(name="گلدوزی مهتاب", status="approved")
    application = _accepted(live_fair, shop=shop)
    booths.place(application, live_fair.booths[1])
    png = fairday.pass_png(application)
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG" and image.size == fairday.PASS_SIZE
    found = zxingcpp.read_barcodes(image)
    assert [(result.format, result.text) for result in found] == [
        (zxingcpp.BarcodeFormat.QRCode, application.pass_code)
    ]
    # the QR on the pass is exactly segno's matrix for the code (module by module)
    matrix = fairday.qr_matrix(application.pass_code)
    expected = fairday._qr(application.pass_code, 520)
    left = (fairday.PASS_SIZE[0] - expected.width) // 2
    cut = image.convert("L").crop((left, 640, left + expected.width, 640 + expected.height))
    assert cut.tobytes() == expected.tobytes()
    assert len(matrix) >= 21


def test_the_pass_draws_persian_text_shaped(live_fair):
    """The shop's name is drawn with raqm: shaped Persian is narrower than its letters side by side."""
    font = fairday._font(58, 700)
    joined = font.getlength("گلدوزی مهتاب", direction="rtl", language="fa")
    apart = sum(font.getlength(letter, direction="rtl", language="fa") for letter in "گلدوزی مهتاب")
    assert joined < apart


# ---------------------------------------------------------------- check-in


def test_check_in_records_arrival_once_and_refuses_a_reused_code(live_fair):
    staff = UserFactory(roles={"staff"})
    application = _accepted(live_fair)
    code = fairday.ensure_pass_code(application)
    moment = live_fair.starts_at + timedelta(minutes=5)
    arrived = fairday.check_in(live_fair, f"{code[:4].lower()} {code[4:]}", staff, moment)
    assert arrived.id == application.id
    assert arrived.checked_in_at is not None and arrived.checked_in_by_id == staff.id
    assert fairday.arrivals(live_fair) == [application]
    with pytest.raises(RuleError) as refused:
        fairday.check_in(live_fair, code, staff, moment + timedelta(hours=1))
    assert refused.value.field == "code"
    message = str(refused.value.message)
    assert message.startswith(f"«{application.shop.name}» قبلاً با این کارت در ")
    # named when, in Jalali and Tehran time (10:05)
    assert "ساعت ۱۰:۰۵" in message and "وارد شده است" in message


def test_check_in_refuses_unknown_codes_and_codes_of_another_fair(live_fair):
    staff = UserFactory(roles={"staff"})
    with pytest.raises(RuleError) as refused:
        fairday.check_in(live_fair, "zzzz 2222", staff)
    assert str(refused.value.message) == "این کد (ZZZZ2222) پیدا نشد. آن را نگاه کنید و دوباره بنویسید."
    with pytest.raises(RuleError) as refused:
        fairday.check_in(live_fair, "  ", staff)
    assert str(refused.value.message) == "کدی را که زیر کد QR چاپ شده بنویسید یا آن را اسکن کنید."
    other_fair = FairFactory(status="published", title="بازارچه پاییزه")
    stranger = _accepted(other_fair)
    with pytest.raises(RuleError) as refused:
        fairday.check_in(live_fair, fairday.ensure_pass_code(stranger), staff)
    assert str(refused.value.message) == "این کارت ورود برای بازارچهٔ دیگری است: بازارچه پاییزه."
    gone = _accepted(live_fair)
    code = fairday.ensure_pass_code(gone)
    gone.status = ApplicationStatus.WITHDRAWN
    with pytest.raises(RuleError) as refused:
        fairday.check_in(live_fair, code, staff)
    assert "دیگر اعتبار ندارد" in str(refused.value.message)
    assert gone.checked_in_at is None and stranger.checked_in_at is None


def test_check_in_waits_for_the_fair_to_be_published(app_ctx):
    fair = FairFactory(status="jurying")
    staff = UserFactory(roles={"staff"})
    application = _accepted(fair)
    with pytest.raises(RuleError):
        fairday.check_in(fair, fairday.ensure_pass_code(application), staff)


# ---------------------------------------------------------------- sales


def test_sales_are_recorded_from_the_start_until_a_week_after_the_end(live_fair):
    application = _accepted(live_fair)
    owner = application.shop.owner
    start, end = live_fair.starts_at, live_fair.ends_at
    with pytest.raises(RuleError) as refused:
        fairday.record_sale(application, 500_000, 2, "", owner, start - timedelta(seconds=1))
    assert str(refused.value.message) == "از شروع بازارچه می‌توانید فروش را ثبت کنید."
    fairday.record_sale(application, 500_000, 2, " دو  شال ", owner, start)
    live_fair.status = FairStatus.CLOSED
    fairday.record_sale(application, 1_200_000, 3, "", owner, end + timedelta(days=7) - timedelta(seconds=1))
    with pytest.raises(RuleError) as refused:
        fairday.record_sale(application, 100_000, 1, "", owner, end + timedelta(days=7))
    assert str(refused.value.message) == "فروش را تا 7 روز بعد از پایان بازارچه می‌شود ثبت کرد."
    total = fairday.sales_total(application)
    assert (total.amount_rial, total.item_count, total.lines) == (1_700_000, 5, 2)
    assert [sale.note for sale in fairday.sales_of(application)] == ["", "دو شال"]


def test_a_sale_needs_an_amount_and_items_and_an_accepted_application(live_fair):
    application = _accepted(live_fair)
    owner = application.shop.owner
    moment = live_fair.starts_at + timedelta(hours=1)
    for amount, count, field, text in (
        (0, 1, "amount", "مبلغ را به تومان بنویسید؛ بیشتر از صفر."),
        (-10, 1, "amount", "مبلغ را به تومان بنویسید؛ بیشتر از صفر."),
        (None, 1, "amount", "مبلغ را به تومان بنویسید؛ بیشتر از صفر."),
        (10_000, 0, "item_count", "بنویسید چند تا فروختید (دست‌کم ۱)."),
    ):
        with pytest.raises(RuleError) as refused:
            fairday.record_sale(application, amount, count, "", owner, moment)
        assert (refused.value.field, str(refused.value.message)) == (field, text)
    waiting = ApplicationFactory(fair=live_fair, status="waitlisted")
    with pytest.raises(RuleError) as refused:
        fairday.record_sale(waiting, 10_000, 1, "", waiting.shop.owner, moment)
    assert "پذیرفته‌شده" in str(refused.value.message)
    assert fairday.sales_total(application).lines == 0


def test_staff_record_for_anyone_a_producer_only_for_herself(live_fair):
    application = _accepted(live_fair)
    other = _accepted(live_fair)
    moment = live_fair.starts_at + timedelta(hours=1)
    staff = UserFactory(roles={"staff"})
    sale = fairday.record_sale(application, 300_000, 1, "", staff, moment)
    assert sale.recorded_by_id == staff.id
    with pytest.raises(RuleError) as refused:
        fairday.record_sale(application, 300_000, 1, "", other.shop.owner, moment)
    assert str(refused.value.message) == "فقط فروش غرفهٔ خودتان را می‌توانید ثبت کنید."
    assert fairday.sales_total(application).amount_rial == 300_000
    assert [s.id for s in fairday.fair_sales(live_fair)] == [sale.id]
    db.session.flush()


# ---------------------------------------------------------------- pages


def _running_fair(make, **fields):
    """A live fair that started an hour ago (applications closed two days ago)."""
    now = utcnow()
    return make(
        FairFactory,
        status="live",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=6),
        applications_open_at=now - timedelta(days=10),
        applications_close_at=now - timedelta(days=2),
        **fields,
    )


def _hers(app, make, fair, owner, status="accepted"):
    shop = make(ShopFactory, owner=owner, status="approved")
    application = make(ApplicationFactory, fair=fair, shop=shop, status=status)
    with app.test_request_context():
        row = db.session.get(Application, application.id)
        booths.add_zone(row.fair, f"سالن {row.id}", 1, 1, f"Z{row.id % 100}")
        booths.place(row, row.fair.booths[-1])
        db.session.commit()
    return application


def test_she_downloads_her_pass_and_sees_her_booth_but_not_anothers(app, client, producer, make_user, login, make):
    fair = _running_fair(make)
    mine = _hers(app, make, fair, producer)
    other = _hers(app, make, fair, make_user(roles={"producer"}, name="زهره"))
    login(producer)
    response = client.get(f"/dashboard/fairs/applications/{mine.id}/pass.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(response.data))
    with app.app_context():
        code = db.session.get(Application, mine.id).pass_code
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [code]
    page = client.get(f"/dashboard/fairs/applications/{mine.id}/booth").get_data(as_text=True)
    assert "غرفهٔ شما" in page and 'role="img"' in page
    for path in ("pass.png", "booth", "sales"):
        assert client.get(f"/dashboard/fairs/applications/{other.id}/{path}").status_code == 404
    refused = post_form(
        client,
        f"/dashboard/fairs/applications/{other.id}/sales",
        {"amount": "1000", "item_count": "1"},
        token_from=f"/dashboard/fairs/applications/{mine.id}/sales",
    )
    assert refused.status_code == 404
    with app.app_context():
        assert fairday.sales_total(db.session.get(Application, other.id)).lines == 0


def test_a_waitlisted_producer_has_no_pass(app, client, producer, login, make):
    fair = _running_fair(make)
    shop = make(ShopFactory, owner=producer, status="approved")
    waiting = make(ApplicationFactory, fair=fair, shop=shop, status="waitlisted")
    login(producer)
    assert client.get(f"/dashboard/fairs/applications/{waiting.id}/pass.png").status_code == 404


def test_she_records_her_sales_from_her_phone(app, client, producer, login, make):
    fair = _running_fair(make)
    mine = _hers(app, make, fair, producer)
    login(producer)
    page = f"/dashboard/fairs/applications/{mine.id}/sales"
    html = client.get(page).get_data(as_text=True)
    assert 'inputmode="numeric"' in html and "مبلغ (تومان)" in html
    saved = post_form(client, page, {"amount": "۲۵۰٬۰۰۰", "item_count": "۲", "note": "شال"}, token_from=page)
    assert saved.status_code == 302
    refused = post_form(client, page, {"amount": "0", "item_count": "1"}, token_from=page)
    assert refused.status_code == 422
    assert "مبلغ را به تومان بنویسید؛ بیشتر از صفر." in refused.get_data(as_text=True)
    refused = post_form(client, page, {"amount": "5000", "item_count": "هیچ"}, token_from=page)
    assert "بنویسید چند تا فروختید (دست‌کم ۱)." in refused.get_data(as_text=True)
    html = client.get(page).get_data(as_text=True)
    assert "۲۵۰٬۰۰۰ تومان" in html
    with app.app_context():
        total = fairday.sales_total(db.session.get(Application, mine.id))
    assert (total.amount_rial, total.item_count, total.lines) == (2_500_000, 2, 1)


def test_staff_check_producers_in_at_the_door(app, client, staff, producer, login, make):
    fair = _running_fair(make)
    mine = _hers(app, make, fair, producer)
    with app.test_request_context():
        code = fairday.ensure_pass_code(db.session.get(Application, mine.id))
        db.session.commit()
    login(staff)
    page = f"/staff/fairs/{fair.id}/checkin"
    first = client.get(page)
    assert "camera=(self)" in first.headers["Permissions-Policy"]
    html = first.get_data(as_text=True)
    assert "checkin-scan" in html and "<script>" not in html
    unknown = post_form(client, page, {"code": "ZZZZ 2222"}, token_from=page)
    assert unknown.status_code == 422
    assert "این کد (ZZZZ۲۲۲۲) پیدا نشد." in unknown.get_data(as_text=True)
    ok = post_form(client, page, {"code": code.lower()}, token_from=page, follow_redirects=True)
    text = ok.get_data(as_text=True)
    assert "خوش آمدید" in text and "رسیده‌اند: ۱ از ۱" in text
    again = post_form(client, page, {"code": code}, token_from=page)
    assert again.status_code == 422 and "با این کارت در" in again.get_data(as_text=True)


def test_staff_record_a_sale_for_a_producer(app, client, staff, producer, login, make):
    fair = _running_fair(make)
    mine = _hers(app, make, fair, producer)
    login(staff)
    page = f"/staff/fairs/{fair.id}/sales"
    saved = post_form(client, page, {"application": mine.id, "amount": "120000", "item_count": "3"}, token_from=page)
    assert saved.status_code == 302
    assert "۱۲۰٬۰۰۰ تومان" in client.get(page).get_data(as_text=True)
    with app.app_context():
        sale = fairday.sales_of(db.session.get(Application, mine.id))[0]
        assert (sale.amount_rial, sale.item_count, sale.recorded_by_id) == (1_200_000, 3, staff.id)
