"""The staff console's people pages: who may see them and who may change whom."""

import pytest

from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import post_form


def reload(app, user):
    with app.app_context():
        return db.session.get(User, user.id)


def test_anonymous_redirected_buyer_and_producer_forbidden(client, make_user, login):
    assert client.get("/staff/users").status_code == 302
    login(make_user(roles={"producer"}))
    assert client.get("/staff/users").status_code == 403
    assert "اجازهٔ دیدن این صفحه را ندارید" in client.get("/staff/users").get_data(as_text=True)


def test_staff_finds_people_by_phone_or_name(client, make_user, login):
    login(make_user(roles={"staff"}))
    make_user(phone="+989154440000", name="سکینه احمدی")
    html = client.get("/staff/users?q=۰۹۱۵ ۴۴۴ ۰۰۰۰").get_data(as_text=True)
    assert "سکینه احمدی" in html
    assert "سکینه احمدی" in client.get("/staff/users?q=سكينه").get_data(as_text=True)  # Arabic kaf typed
    assert "کسی با این جستجو پیدا نشد" in client.get("/staff/users?q=nobody-here").get_data(as_text=True)


def test_staff_deactivates_a_buyer_and_ends_sessions(app, client, make_user, login):
    buyer = make_user()
    buyer_browser = app.test_client()
    login(buyer, the_client=buyer_browser)
    login(make_user(roles={"staff"}))
    response = post_form(client, f"/staff/users/{buyer.id}/active", {"active": "0"}, token_from="/staff/users")
    assert response.status_code == 302
    assert not reload(app, buyer).active
    assert buyer_browser.get("/account").status_code == 302
    post_form(client, f"/staff/users/{buyer.id}/active", {"active": "1"}, token_from="/staff/users")
    assert reload(app, buyer).active


def test_staff_may_not_touch_staff_or_grant_staff(app, client, make_user, login):
    colleague = make_user(roles={"staff"})
    buyer = make_user()
    login(make_user(roles={"staff"}))
    response = post_form(client, f"/staff/users/{colleague.id}/active", {"active": "0"}, token_from="/staff/users")
    assert response.status_code == 403
    assert reload(app, colleague).active
    post_form(
        client, f"/staff/users/{buyer.id}", {"producer": "y", "staff": "y", "admin": "y"}, token_from="/staff/users"
    )
    assert reload(app, buyer).roles == {"buyer", "producer"}  # staff and admin were not theirs to give


def test_admin_grants_staff(app, client, make_user, login):
    user = make_user(roles={"producer"})
    login(make_user(roles={"admin"}))
    post_form(client, f"/staff/users/{user.id}", {"staff": "y"}, token_from="/staff/users")
    assert reload(app, user).roles == {"buyer", "staff"}


@pytest.mark.parametrize("path", ["/staff/users/{id}", "/staff/users/{id}/active"])
def test_nobody_manages_themselves(client, make_user, login, path):
    admin = make_user(roles={"admin"})
    login(admin)
    response = post_form(client, path.format(id=admin.id), {"active": "0"}, token_from="/staff/users")
    assert response.status_code == 403
