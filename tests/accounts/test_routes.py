"""Sign-up, log in/out, account page, password change and reset, through the real pages."""

import pytest
from sqlalchemy import func, select

from marketplace.accounts.models import User
from marketplace.core import outbox
from marketplace.extensions import db
from tests.conftest import GOOD_PASSWORD, post_form, sent_sms


def count_users(app, phone=None):
    with app.app_context():
        statement = select(func.count()).select_from(User)
        if phone:
            statement = statement.where(User.phone == phone)
        return db.session.scalar(statement)


def get_user(app, phone):
    with app.app_context():
        return db.session.scalar(select(User).where(User.phone == phone))


@pytest.mark.parametrize("typed", ["09121234567", "۰۹۱۲ ۱۲۳ ۴۵۶۷", "+98 912 123 4567", "00989121234567", "9121234567"])
def test_signup_any_spelling(client, app, typed):
    response = post_form(client, "/signup", {"display_name": "مریم", "phone": typed, "new_password": GOOD_PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    user = get_user(app, "+989121234567")
    assert user.roles == {"buyer"}
    assert user.last_login_at is not None
    page = client.get("/account").get_data(as_text=True)
    assert "0912 123 4567".translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")) in page


def test_signup_as_producer(client, app):
    post_form(
        client,
        "/signup",
        {"display_name": "فاطمه", "phone": "09151234567", "new_password": GOOD_PASSWORD, "is_producer": "y"},
    )
    assert get_user(app, "+989151234567").roles == {"buyer", "producer"}


@pytest.mark.parametrize(
    ("phone", "message"),
    [
        ("05138001234", "تلفن ثابت"),
        ("0912123456", "۱۱ رقم"),
        ("+1 415 555 0100", "فقط شمارهٔ موبایل ایران"),
        ("", "شمارهٔ موبایل خود را بنویسید"),
    ],
)
def test_signup_bad_phone_keeps_input(client, app, phone, message):
    before = count_users(app)
    response = post_form(
        client, "/signup", {"display_name": "مریم رضایی", "phone": phone, "new_password": GOOD_PASSWORD}
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="مریم رضایی"' in html  # what she typed is still there
    assert f'value="{phone}"' in html or not phone
    assert 'aria-invalid="true"' in html
    assert count_users(app) == before


def test_signup_duplicate_phone(client, app, make_user):
    make_user(phone="+989121112233")
    response = post_form(
        client, "/signup", {"display_name": "دیگری", "phone": "0912 111 2233", "new_password": GOOD_PASSWORD}
    )
    assert response.status_code == 422
    assert "با این شماره قبلاً حساب ساخته شده است" in response.get_data(as_text=True)
    assert count_users(app, "+989121112233") == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [("short", "دست‌کم ۸ نویسه"), ("12345678", "راحت حدس زده"), ("x" * 200, "حداکثر ۱۲۸ نویسه")],
)
def test_signup_weak_or_huge_password(client, app, password, message):
    before = count_users(app)
    response = post_form(client, "/signup", {"display_name": "مریم", "phone": "09121230000", "new_password": password})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert count_users(app) == before


def test_signup_accepts_64_character_password(client, app):
    password = "the quick brown fox jumps over the lazy dog near the old bazaar!"
    assert len(password) == 64
    response = post_form(client, "/signup", {"display_name": "م", "phone": "09121230001", "new_password": password})
    assert response.status_code == 302
    assert get_user(app, "+989121230001") is not None


def test_login_and_logout(client, make_user, login):
    user = make_user()
    response = login(user)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert user.display_name in client.get("/").get_data(as_text=True)
    response = post_form(client, "/logout", {}, token_from="/")
    assert response.status_code == 302
    assert client.get("/account").status_code == 302  # logged out


def test_logout_needs_post(client, make_user, login):
    login(make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_login_same_message_for_unknown_and_wrong(client, make_user, login):
    user = make_user()
    wrong = login(user, password="not the password")
    unknown = post_form(client, "/login", {"phone": "09129998877", "password": GOOD_PASSWORD})
    message = "شمارهٔ موبایل یا رمز عبور درست نیست."
    assert wrong.status_code == unknown.status_code == 422
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_login_with_other_spelling(client, make_user):
    make_user(phone="+989121239999")
    response = post_form(client, "/login", {"phone": "۰۹۱۲ ۱۲۳ ۹۹۹۹", "password": GOOD_PASSWORD})
    assert response.status_code == 302


def test_deactivated_user_cannot_log_in(client, make_user, login):
    user = make_user(active=False)
    response = login(user)
    assert response.status_code == 422
    assert "غیرفعال" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("next_value", "target"),
    [("/account", "/account"), ("//evil.example/x", "/"), ("https://evil.example/", "/"), ("/\\evil.example", "/")],
)
def test_next_only_on_this_site(client, make_user, next_value, target):
    user = make_user()
    response = post_form(client, "/login", {"phone": user.phone, "password": GOOD_PASSWORD, "next": next_value})
    assert response.headers["Location"] == target


def test_login_required_redirects_with_next(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=%2Faccount")


def test_logout_ends_every_session_and_copied_cookies(app, make_user, login):
    user = make_user()
    phone_a, phone_b = app.test_client(), app.test_client()
    login(user, the_client=phone_a, remember=True)
    login(user, the_client=phone_b)
    copied = phone_a.get_cookie("session").value
    assert phone_b.get("/account").status_code == 200
    post_form(phone_a, "/logout", {}, token_from="/")
    assert phone_b.get("/account").status_code == 302  # the other device is logged out
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/account").status_code == 302  # a copied cookie stops working


def test_remember_me_cookie(client, app, make_user, login):
    user = make_user()
    login(user, remember=True)
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remember.value)
    assert fresh.get("/account").status_code == 200  # the remember cookie logs in a new session


def test_change_password_ends_other_sessions(app, make_user, login):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    login(user, the_client=here)
    login(user, the_client=elsewhere, remember=True)
    remembered = elsewhere.get_cookie("remember_token").value
    bad = post_form(
        here,
        "/account/password",
        {"current_password": "wrong one", "new_password": "new words here"},
        token_from="/account/password",
    )
    assert bad.status_code == 422 and "رمز عبور فعلی درست نیست" in bad.get_data(as_text=True)
    response = post_form(
        here,
        "/account/password",
        {"current_password": GOOD_PASSWORD, "new_password": "new words here"},
        token_from="/account/password",
    )
    assert response.status_code == 302
    assert here.get("/account").status_code == 200  # this device stays in
    assert elsewhere.get("/account").status_code == 302
    stolen = app.test_client()
    stolen.set_cookie("remember_token", remembered)
    assert stolen.get("/account").status_code == 302


def test_deactivation_ends_sessions(app, make_user, login):
    user = make_user()
    browser = app.test_client()
    login(user, the_client=browser)
    assert browser.get("/account").status_code == 200
    with app.app_context():
        from marketplace.accounts import services

        services.set_active(db.session.get(User, user.id), False)
        db.session.commit()
    assert browser.get("/account").status_code == 302


def test_update_display_name(client, app, make_user, login):
    user = make_user()
    login(user)
    response = post_form(client, "/account", {"display_name": "  زهرا  محمدي "}, token_from="/account")
    assert response.status_code == 302
    assert get_user(app, user.phone).display_name == "زهرا محمدی"
    empty = post_form(client, "/account", {"display_name": ""}, token_from="/account")
    assert empty.status_code == 422 and "نام خود را بنویسید" in empty.get_data(as_text=True)


def test_become_producer_later(client, app, make_user, login):
    user = make_user()
    login(user)
    assert "چیزی برای فروش می‌سازید؟" in client.get("/account").get_data(as_text=True)
    post_form(client, "/account/producer", {}, token_from="/account")
    assert get_user(app, user.phone).roles == {"buyer", "producer"}


def test_password_reset_journey(client, app, make_user):
    user = make_user(phone="+989121237777")
    response = post_form(client, "/reset", {"phone": "0912 123 7777"}, token_from="/reset")
    assert response.status_code == 302
    assert sent_sms(app) == []  # nothing leaves the request: the worker sends it
    with app.app_context():
        assert outbox.drain(app)["done"] == 1
    [sms] = sent_sms(app)
    assert sms["to"] == "+989121237777"
    code = "".join(ch for ch in sms["text"] if ch.isdigit())[:6]
    persian_code = code.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    bad = post_form(
        client,
        "/reset/confirm",
        {"phone": "09121237777", "code": wrong, "new_password": "fresh words now"},
        token_from="/reset/confirm",
    )
    assert bad.status_code == 422 and "کد درست نیست" in bad.get_data(as_text=True)
    response = post_form(
        client,
        "/reset/confirm",
        {"phone": "09121237777", "code": persian_code, "new_password": "fresh words now"},
        token_from="/reset/confirm",
    )
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert post_form(client, "/login", {"phone": user.phone, "password": "fresh words now"}).status_code == 302


def test_reset_same_answer_for_unknown_phone(client, app):
    response = post_form(client, "/reset", {"phone": "09127776655"}, token_from="/reset")
    assert response.status_code == 302
    with app.app_context():
        assert outbox.status()["waiting"] == 1  # the same work as for a real account …
        assert outbox.drain(app)["done"] == 1
    assert sent_sms(app) == []  # … but nothing is sent


def test_login_rate_limited_per_phone_with_persian_page(client, app, make_user):
    user = make_user()
    limit = int(app.config["RATELIMIT_LOGIN_PHONE"].split()[0])
    spellings = ["0" + user.phone[3:], user.phone, user.phone[3:]]
    for attempt in range(limit):
        response = post_form(client, "/login", {"phone": spellings[attempt % 3], "password": "wrong"})
        assert response.status_code == 422
    response = post_form(client, "/login", {"phone": user.phone, "password": GOOD_PASSWORD})
    assert response.status_code == 429
    assert "تلاش‌ها زیاد شد" in response.get_data(as_text=True)
    other = make_user()
    assert post_form(client, "/login", {"phone": other.phone, "password": GOOD_PASSWORD}).status_code == 302


def test_signup_rate_limited_per_ip(client, app):
    limit = int(app.config["RATELIMIT_SIGNUP_IP"].split()[0])
    for number in range(limit):
        post_form(
            client,
            "/signup",
            {"display_name": "x", "phone": f"0912555{number:04d}", "new_password": "short"},
            token_from="/login",
        )
    response = post_form(
        client, "/signup", {"display_name": "x", "phone": "09125559999", "new_password": GOOD_PASSWORD}
    )
    assert response.status_code == 429


def test_rate_limits_can_use_redis(app_factory, make_user):
    """With RATELIMIT_STORAGE_URI=redis://… several workers share one count."""
    import redis

    url = "redis://127.0.0.1:6379/15"
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        from tests.conftest import skip_or_fail

        skip_or_fail("REDIS", "Redis is not running on 127.0.0.1:6379")
    redis.Redis.from_url(url).flushdb()
    worker_a = app_factory(RATELIMIT_STORAGE_URI=url, RATELIMIT_LOGIN_PHONE="2 per minute").test_client()
    worker_b = app_factory(RATELIMIT_STORAGE_URI=url, RATELIMIT_LOGIN_PHONE="2 per minute").test_client()
    user = make_user()
    assert post_form(worker_a, "/login", {"phone": user.phone, "password": "wrong"}).status_code == 422
    assert post_form(worker_b, "/login", {"phone": user.phone, "password": "wrong"}).status_code == 422
    assert post_form(worker_a, "/login", {"phone": user.phone, "password": "wrong"}).status_code == 429
    redis.Redis.from_url(url).flushdb()
