"""Staff fair pages: the list, the form (Jalali dates, refusals keep what was typed), moves and clone."""

from marketplace.bazaar.models import BazaarEvent, FairStatus
from marketplace.core.dates import TEHRAN
from marketplace.extensions import db
from tests.conftest import post_form
from tests.factories import FairFactory

FORM = {
    "title": "بازارچه نوروزی گلشهر",
    "description": "فروش دست‌ساخته‌های بانوان",
    "venue_name": "مرکز توانمندسازی",
    "venue_address": "مشهد، گلشهر",
    "map_url": "https://www.openstreetmap.org/#map=17/36.30/59.65",
    "start_date": "۱۴۰۵/۱۲/۲۰",
    "start_time": "۱۰:۰۰",
    "end_date": "1405/12/22",
    "end_time": "18:00",
    "applications_open_date": "1405/11/01",
    "applications_close_date": "1405/12/01",
    "fee_mode": "fixed",
    "booth_fee": "۵۰٬۰۰۰",
    "fee_percent": "0",
    "selection_criteria": "",
    "places": "۲۰",
    "first_timer_percent": "30",
    "min_products": "3",
    "max_products": "12",
    "show_feedback": "y",
}


def test_only_staff_reach_the_fair_console(client, login, producer):
    login(producer)
    assert client.get("/staff/fairs").status_code == 403
    assert client.get("/staff/fairs/new").status_code == 403


def test_staff_create_a_fair_with_jalali_dates_in_tehran_time(app, client, login, staff):
    login(staff)
    response = post_form(client, "/staff/fairs/new", FORM, token_from="/staff/fairs/new")
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        fair = db.session.query(BazaarEvent).one()
        start = fair.starts_at.astimezone(TEHRAN)
        assert (start.hour, start.minute) == (10, 0)
        assert fair.booth_fee_rial == 500_000
        assert fair.places == 20
        assert fair.status == FairStatus.DRAFT
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "بازارچه نوروزی گلشهر" in page


def test_a_refused_fair_form_keeps_what_was_typed_and_says_why_in_persian(app, client, login, staff):
    login(staff)
    response = post_form(client, "/staff/fairs/new", {**FORM, "end_date": "1405/12/19"}, token_from="/staff/fairs/new")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "بازارچه نوروزی گلشهر" in page and "1405/12/19" in page
    assert "بعد از شروع" in page  # "The fair must end after it starts."
    with app.app_context():
        assert db.session.query(BazaarEvent).count() == 0


def test_staff_move_a_fair_and_a_wrong_move_is_refused(app, client, login, staff, make):
    fair = make(FairFactory, status="draft")
    login(staff)
    post_form(client, f"/staff/fairs/{fair.id}/move", {"action": "publish"}, token_from="/staff/fairs/new")
    post_form(client, f"/staff/fairs/{fair.id}/move", {"action": "open_applications"}, token_from="/staff/fairs/new")
    with app.app_context():
        assert db.session.get(BazaarEvent, fair.id).status == FairStatus.APPLICATIONS_OPEN


def test_staff_clone_a_fair_into_a_new_draft(app, client, login, staff, make):
    fair = make(FairFactory, status="closed", booths=3)
    login(staff)
    response = post_form(client, f"/staff/fairs/{fair.id}/clone", {}, token_from="/staff/fairs/new")
    assert response.status_code == 302 and "/edit" in response.headers["Location"]
    with app.app_context():
        clone = db.session.query(BazaarEvent).filter_by(cloned_from_id=fair.id).one()
        assert clone.status == FairStatus.DRAFT and len(clone.booths) == 3
