"""Guessing is throttled, but nobody can lock the owner out (issue 10 item 12): only failures count,
per phone and address and, for browsers the phone never logged in on, per phone from anywhere; a
right reset code always works and clears the count."""

import pytest

from marketplace.accounts import services
from marketplace.extensions import db
from tests.conftest import GOOD_PASSWORD, post_form


def from_address(app, number):
    """A browser at its own address."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{number}"
    return client


def attempt(client, phone, password):
    return post_form(client, "/login", {"phone": phone, "password": password})


def attack(app, phone, times=10, first=10):
    """Wrong passwords for `phone`, each from another address: refused, then throttled."""
    limit = int(app.config["RATELIMIT_LOGIN_PHONE"].split()[0])
    for n, number in enumerate(range(first, first + times)):
        expected = 422 if n < limit else 429
        assert attempt(from_address(app, number), phone, "wrong guess here").status_code == expected


@pytest.fixture
def owner(make_user):
    return make_user(roles={"producer", "staff"})


def test_ten_addresses_do_not_lock_the_owner_out_of_her_phone(app, owner):
    her_phone = from_address(app, 1)
    assert attempt(her_phone, owner.phone, GOOD_PASSWORD).status_code == 302  # she has logged in here before
    post_form(her_phone, "/logout", {}, token_from="/account")
    attack(app, owner.phone, times=12)
    assert attempt(her_phone, owner.phone, GOOD_PASSWORD).status_code == 302


def test_guessing_from_many_addresses_is_throttled(app, owner):
    limit = int(app.config["RATELIMIT_LOGIN_PHONE"].split()[0])
    attack(app, owner.phone, times=limit)
    # an eleventh address, even with the right password, waits: it is not a known device
    response = attempt(from_address(app, 99), owner.phone, GOOD_PASSWORD)
    assert response.status_code == 429 and "تلاش‌ها زیاد شد" in response.get_data(as_text=True)


def test_an_unknown_number_is_throttled_the_same_way(app):
    limit = int(app.config["RATELIMIT_LOGIN_PHONE"].split()[0])
    attack(app, "+989121116666", times=limit)
    assert attempt(from_address(app, 99), "+989121116666", GOOD_PASSWORD).status_code == 429


def test_one_address_guessing_is_throttled_even_on_a_known_device(app, owner):
    client = from_address(app, 1)
    assert attempt(client, owner.phone, GOOD_PASSWORD).status_code == 302
    post_form(client, "/logout", {}, token_from="/account")
    limit = int(app.config["RATELIMIT_LOGIN_PHONE_IP"].split()[0])
    for _ in range(limit):
        assert attempt(client, owner.phone, "wrong guess here").status_code == 422
    assert attempt(client, owner.phone, GOOD_PASSWORD).status_code == 429


def test_only_failures_count(app, owner):
    limit = int(app.config["RATELIMIT_LOGIN_PHONE"].split()[0])
    for number in range(limit + 5):
        client = from_address(app, 10 + number)
        assert attempt(client, owner.phone, GOOD_PASSWORD).status_code == 302


def test_a_right_reset_code_works_during_an_attack_and_clears_the_count(app, owner):
    attack(app, owner.phone, times=12)
    new_browser = from_address(app, 2)
    assert attempt(new_browser, owner.phone, GOOD_PASSWORD).status_code == 429
    # the attacker also burns tries at /reset/confirm; that never blocks her right code
    for number in range(3):
        wrong = {"phone": owner.phone, "code": "000000", "new_password": "fresh words now"}
        post_form(from_address(app, 50 + number), "/reset/confirm", wrong, token_from="/reset/confirm")
    with app.app_context():
        _user, code = services.start_password_reset(owner.phone)
        db.session.commit()
    response = post_form(
        new_browser,
        "/reset/confirm",
        {"phone": owner.phone, "code": code, "new_password": "fresh words now"},
        token_from="/reset/confirm",
    )
    assert response.status_code == 302
    # the count is cleared, and this browser is now one of hers
    assert attempt(new_browser, owner.phone, "fresh words now").status_code == 302
    assert attempt(from_address(app, 3), owner.phone, "fresh words now").status_code == 302


def test_device_cookie_is_bound_to_the_phone(app, owner, make_user):
    other = make_user()
    client = from_address(app, 1)
    assert attempt(client, owner.phone, GOOD_PASSWORD).status_code == 302
    post_form(client, "/logout", {}, token_from="/account")
    cookie = client.get_cookie("device")
    assert cookie is not None and other.phone[3:] not in cookie.value and owner.phone[3:] not in cookie.value
    limit = int(app.config["RATELIMIT_LOGIN_PHONE"].split()[0])
    attack(app, other.phone, times=limit)
    # a device known to one account is not known to another
    assert attempt(client, other.phone, GOOD_PASSWORD).status_code == 429
