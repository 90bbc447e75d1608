"""People in the console: a reset code sent by staff, who may send one, what a person's page
shows, and that deactivating an account kills a copied session cookie."""

import re

from marketplace.accounts import services as accounts
from marketplace.core import outbox
from marketplace.extensions import db
from tests.conftest import post_form, sent_sms
from tests.factories import ShopFactory


def drain(app) -> dict:
    """Let the outbox worker send what is queued (the SMS log backend writes instance/outbox.log)."""
    with app.app_context():
        return outbox.drain(app)


def send_code(client, user):
    return post_form(client, f"/staff/users/{user.id}/reset-code", {"reason": "تلفنی خواست"}, token_from="/staff/users")


def test_staff_send_a_reset_code_she_can_use(app, client, make_user, login):
    producer = make_user(roles={"producer"}, phone="+989151112233")
    login(make_user(roles={"staff"}))
    client.set_cookie("locale", "en")  # new strings are asserted in English (their source text)
    page = client.get(f"/staff/users/{producer.id}").get_data(as_text=True)
    assert "Send reset code" in page
    response = send_code(client, producer)
    assert response.status_code == 302
    assert "A reset code was sent" in client.get(response.location).get_data(as_text=True)
    assert drain(app)["done"] == 1
    [sms] = sent_sms(app)
    assert sms["to"] == "+989151112233"
    code = re.search(r"\d{6}", sms["text"]).group()
    # the code is the one «forgot my password» takes
    with app.test_request_context():
        accounts.complete_password_reset("+989151112233", code, "a new long pass phrase")
        db.session.commit()
    with app.app_context():
        assert accounts.authenticate("+989151112233", "a new long pass phrase") is not None


def test_no_code_for_a_deactivated_account(app, client, make_user, login):
    gone = make_user(active=False)
    login(make_user(roles={"staff"}))
    client.set_cookie("locale", "en")
    page = client.get(f"/staff/users/{gone.id}").get_data(as_text=True)
    assert "Send reset code" not in page and "Activate it before sending a code" in page
    response = send_code(client, gone)  # the button is gone; a forged post is refused too
    assert response.status_code == 302
    assert "Activate it before sending a code" in client.get(response.location).get_data(as_text=True)
    drain(app)
    assert sent_sms(app) == []


def test_only_an_admin_sends_a_code_to_staff(app, client, make_user, login):
    colleague = make_user(roles={"staff"})
    login(make_user(roles={"staff"}))
    send_code(client, colleague)
    drain(app)
    assert sent_sms(app) == []
    admin_browser = app.test_client()
    login(make_user(roles={"admin"}), the_client=admin_browser)
    send_code(admin_browser, colleague)
    drain(app)
    assert [sms["to"] for sms in sent_sms(app)] == [colleague.phone]


def test_reset_code_needs_staff_and_csrf(app, client, make_user, login):
    buyer = make_user()
    login(make_user(roles={"producer"}))
    assert send_code(client, buyer).status_code == 403
    staff_browser = app.test_client()
    login(make_user(roles={"staff"}), the_client=staff_browser)
    assert staff_browser.post(f"/staff/users/{buyer.id}/reset-code").status_code == 400
    drain(app)
    assert sent_sms(app) == []


def test_person_page_shows_roles_last_login_and_shop(app, client, make_user, make, login):
    producer = make_user(roles={"producer"})
    shop = make(ShopFactory, owner=producer, name="کارگاه نمد")
    login(producer, the_client=app.test_client())  # records her last login
    login(make_user(roles={"staff"}))
    client.set_cookie("locale", "en")
    page = client.get(f"/staff/users/{producer.id}").get_data(as_text=True)
    assert '<span class="badge">Producer</span>' in page
    assert f"/staff/shops/{shop.id}" in page and "کارگاه نمد" in page
    last_login = page.split("Last login", 1)[1][:200]
    assert "—" not in last_login.split("</dd>")[0]


def test_deactivation_kills_a_copied_session_and_remember_cookie(app, client, make_user, login):
    buyer = make_user()
    her_browser = app.test_client()
    login(buyer, remember=True, the_client=her_browser)
    assert her_browser.get("/account").status_code == 200
    # someone copied her cookies into another browser
    copy = app.test_client()
    for cookie in her_browser._cookies.values():
        copy.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    assert copy.get("/account").status_code == 200
    login(make_user(roles={"staff"}))
    post_form(client, f"/staff/users/{buyer.id}/active", {"active": "0"}, token_from="/staff/users")
    assert copy.get("/account").status_code == 302
    assert her_browser.get("/account").status_code == 302
    # activating again does not bring the old cookies back
    post_form(client, f"/staff/users/{buyer.id}/active", {"active": "1"}, token_from="/staff/users")
    assert copy.get("/account").status_code == 302
