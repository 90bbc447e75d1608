"""Assisted mode: consent first (a code she reads out, or a paper form), then the staff member
works as her, under a banner, every write recorded with both names, her private settings out of
reach, until ended by hand, by 30 idle minutes or by logging out; she sees what was done."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from marketplace.accounts.models import AssistSession
from marketplace.catalog.models import Product
from marketplace.core import outbox
from marketplace.core.dates import as_utc, utcnow
from marketplace.extensions import db
from marketplace.staff.models import StaffAction
from tests.catalog.test_routes import create
from tests.conftest import post_form, sent_sms
from tests.factories import ShopFactory


def consent_page(producer) -> str:
    return f"/staff/users/{producer.id}/assist"


def send_code(app, client, producer) -> str:
    """Ask for her consent code and return it as her phone received it (through the outbox)."""
    before = len(sent_sms(app))
    response = post_form(client, f"{consent_page(producer)}/code", {}, token_from=consent_page(producer))
    assert response.status_code == 302
    assert len(sent_sms(app)) == before  # the worker sends it after the commit
    with app.app_context():
        assert outbox.drain(app)["done"] >= 1
    sms = sent_sms(app)[-1]
    assert sms["to"] == producer.phone
    return re.search(r"\d{6}", sms["text"]).group(0)


def type_code(client, producer, code):
    return post_form(client, f"{consent_page(producer)}/confirm", {"code": code}, token_from=consent_page(producer))


def start_by_paper(client, producer, reference="فرم ۱۲۳", reason="برای ثبت محصول اول کمک خواست"):
    return post_form(
        client,
        f"{consent_page(producer)}/paper",
        {"reference": reference, "reason": reason},
        token_from=consent_page(producer),
    )


def assist_rows(app) -> list[AssistSession]:
    with app.app_context():
        rows = db.session.scalars(select(AssistSession).order_by(AssistSession.id)).all()
        db.session.expunge_all()
        return list(rows)


def actions(app) -> list[StaffAction]:
    with app.app_context():
        rows = db.session.scalars(select(StaffAction).order_by(StaffAction.id)).all()
        db.session.expunge_all()
        return list(rows)


@pytest.fixture
def helped(make, producer):
    """A producer with an approved shop."""
    make(ShopFactory, owner=producer, branded=True, status="approved")
    return producer


def test_consent_by_code_then_work_as_her_and_end(app, client, helped, staff, login):
    login(staff)
    assert "کمک به این تولیدکننده" in client.get(f"/staff/users/{helped.id}").get_data(as_text=True)
    code = send_code(app, client, helped)
    [waiting] = assist_rows(app)
    assert waiting.code_hash and code not in waiting.code_hash and waiting.started_at is None
    persian = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    response = type_code(client, helped, persian)
    assert response.status_code == 302 and response.headers["Location"] == "/dashboard"
    [live] = assist_rows(app)
    assert live.consent_method == "sms_code" and live.started_at and live.consented_at and live.ended_at is None
    page = client.get("/dashboard").get_data(as_text=True)
    assert "در حال کار به جای مریم رضایی" in page and "کارشناس مرکز" in page and "پایان کمک" in page
    # the banner is on every page, public ones too
    assert "در حال کار به جای مریم رضایی" in client.get("/").get_data(as_text=True)
    assert client.get("/staff/users").status_code == 403  # she is the producer now, not staff
    response = post_form(client, "/staff/assist/end", {}, token_from="/dashboard")
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/users/{helped.id}"
    assert assist_rows(app)[0].end_reason == "ended"
    assert client.get("/staff/users").status_code == 200  # herself again
    assert "در حال کار به جای" not in client.get("/dashboard").get_data(as_text=True)
    ended = actions(app)[-1]
    assert ended.action == "staff_assist.end" and ended.on_behalf_of_id == helped.id


def test_wrong_expired_and_too_many_codes(app, client, helped, staff, login):
    login(staff)
    code = send_code(app, client, helped)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    bad = type_code(client, helped, wrong)
    assert bad.status_code == 422 and "کد درست نیست" in bad.get_data(as_text=True)
    assert assist_rows(app)[0].attempts == 1  # the try is kept although the request was refused
    short = type_code(client, helped, "123")
    assert short.status_code == 422 and "کد ۶ رقم دارد" in short.get_data(as_text=True)
    for _ in range(4):
        type_code(client, helped, wrong)
    refused = type_code(client, helped, code)  # the right code, after five wrong ones
    assert refused.status_code == 422 and "کد تازه بفرستید" in refused.get_data(as_text=True)
    assert assist_rows(app)[0].started_at is None
    # a new code works; once it is older than ten minutes it does not
    code = send_code(app, client, helped)
    with app.app_context():
        waiting = db.session.scalars(select(AssistSession).order_by(AssistSession.id.desc())).first()
        waiting.code_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    expired = type_code(client, helped, code)
    assert expired.status_code == 422 and "منقضی" in expired.get_data(as_text=True)
    assert all(row.started_at is None for row in assist_rows(app))


def test_paper_consent_needs_reference_and_note(app, client, helped, staff, login):
    login(staff)
    missing = start_by_paper(client, helped, reference="", reason="")
    assert missing.status_code == 422
    html = missing.get_data(as_text=True)
    assert "شماره یا نشانی رضایت‌نامه را بنویسید" in html and "یادداشتی بنویسید" in html
    assert assist_rows(app) == []
    assert start_by_paper(client, helped).status_code == 302
    [live] = assist_rows(app)
    assert live.consent_method == "paper" and live.consent_reference == "فرم ۱۲۳" and live.started_at
    [started] = actions(app)
    assert started.action == "staff_assist.paper" and started.reason == "برای ثبت محصول اول کمک خواست"
    assert (started.object_type, started.object_id) == ("user", helped.id)


@pytest.mark.parametrize(
    ("roles", "active", "message"),
    [
        ({"producer", "staff"}, True, "کار به جای حساب کارشناس یا مدیر ممکن نیست"),
        ({"producer", "admin"}, True, "کار به جای حساب کارشناس یا مدیر ممکن نیست"),
        ({"producer"}, False, "این حساب غیرفعال است"),
        ({"buyer"}, True, "نقش تولیدکننده ندارد"),
    ],
)
def test_refusals(app, client, make_user, staff, login, roles, active, message):
    target = make_user(roles=roles, active=active, name="هدف")
    login(staff)
    page = client.get(consent_page(target)).get_data(as_text=True)
    assert message in page and "فرستادن کد" not in page
    response = start_by_paper(client, target)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    response = post_form(client, f"{consent_page(target)}/code", {}, token_from=consent_page(target))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert assist_rows(app) == [] and sent_sms(app) == []


def test_no_consent_no_assisting(app, client, helped, staff, make_user, login):
    login(staff)
    # typing a code that was never sent starts nothing
    response = type_code(client, helped, "123456")
    assert response.status_code == 422 and assist_rows(app) == []
    assert "در حال کار به جای" not in client.get("/dashboard").get_data(as_text=True)
    # only staff reach the consent pages
    buyer_browser = app.test_client()
    login(make_user(), the_client=buyer_browser)
    assert buyer_browser.get(consent_page(helped)).status_code == 403


def test_product_made_while_assisting_is_hers_and_recorded_with_both_names(app, client, helped, staff, login):
    login(staff)
    start_by_paper(client, helped)
    product_id = create(app, client)
    with app.app_context():
        product = db.session.get(Product, product_id)
        assert product.shop.owner_id == helped.id
    made = actions(app)[-1]
    assert made.action == "products.new"
    assert (made.actor_id, made.actor_name) == (staff.id, "کارشناس مرکز")
    assert (made.on_behalf_of_id, made.on_behalf_of_name) == (helped.id, "مریم رضایی")
    assert made.assist_session_id == assist_rows(app)[0].id
    assert any(row["table"] == "product" and row["id"] == product_id for row in made.summary)
    log = client.get("/staff/audit")  # not while assisting: she is the producer now
    assert log.status_code == 403


@pytest.mark.parametrize("path", ["/account/password", "/reset"])
def test_her_password_and_phone_are_out_of_reach(app, client, helped, staff, login, path):
    login(staff)
    start_by_paper(client, helped)
    page = client.get(path)
    assert page.status_code == 403 and "فقط خود او می‌تواند" in page.get_data(as_text=True)
    response = post_form(
        client, path, {"current_password": "x", "new_password": "y", "phone": helped.phone}, token_from="/dashboard"
    )
    assert response.status_code == 403
    assert "در حال کار به جای" in page.get_data(as_text=True)  # the way out is still there


def test_blocked_list_names_payout(app):
    from marketplace.accounts.assist import ASSIST_BLOCKED_ENDPOINTS

    assert {"accounts.change_password", "shops.payout"} <= ASSIST_BLOCKED_ENDPOINTS


def test_idle_for_thirty_minutes_ends_it(app, client, helped, staff, login):
    login(staff)
    start_by_paper(client, helped)
    assert "در حال کار به جای" in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        live = db.session.scalars(select(AssistSession)).one()
        live.last_seen_at = utcnow() - timedelta(minutes=29)
        db.session.commit()
    assert "در حال کار به جای" in client.get("/dashboard").get_data(as_text=True)  # 29 minutes: still on
    with app.app_context():
        live = db.session.scalars(select(AssistSession)).one()
        assert as_utc(live.last_seen_at) > utcnow() - timedelta(minutes=1)  # that request counted
        live.last_seen_at = utcnow() - timedelta(minutes=31)
        db.session.commit()
    page = client.get("/staff/users")
    assert page.status_code == 200  # herself again, on the console
    assert "کمک به مریم رضایی پایان یافت" in page.get_data(as_text=True)
    assert assist_rows(app)[0].end_reason == "idle"


def test_logging_out_ends_it_and_keeps_her_sessions(app, client, helped, staff, login):
    her_phone = app.test_client()
    login(helped, the_client=her_phone)
    login(staff)
    start_by_paper(client, helped)
    post_form(client, "/logout", {}, token_from="/dashboard")
    assert assist_rows(app)[0].end_reason == "logout"
    assert client.get("/dashboard").status_code == 302  # the staff member is logged out
    assert her_phone.get("/dashboard").status_code == 200  # her own session goes on


def test_only_one_staff_member_at_a_time(app, client, helped, staff, make_user, login):
    login(staff)
    start_by_paper(client, helped)
    colleague = app.test_client()
    login(make_user(roles={"staff"}, name="همکار"), the_client=colleague)
    page = colleague.get(consent_page(helped)).get_data(as_text=True)
    assert "کارشناس مرکز همین حالا در حال کمک" in page


def test_she_sees_what_was_done_for_her(app, client, helped, staff, login):
    login(staff)
    start_by_paper(client, helped)
    create(app, client)
    post_form(client, "/staff/assist/end", {}, token_from="/dashboard")
    her = app.test_client()
    login(helped, the_client=her)
    assert "/account/assisted" in her.get("/account").get_data(as_text=True)
    html = her.get("/account/assisted").get_data(as_text=True)
    assert "کارشناس مرکز به شما کمک کرد" in html
    assert "با رضایت‌نامهٔ کاغذی" in html and "شماره: فرم ۱۲۳" in html
    assert "ساخت محصول" in html and "پایان کمک" in html
    assert app.test_client().get("/account/assisted").status_code == 302  # her page needs her login
