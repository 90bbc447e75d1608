"""Passwords typed in Persian or Arabic-Indic digits are the same password as in Latin digits
(issue 10 item 14): sign-up, login, change and reset normalise them, and hashes stored as typed
before this still work and move to the normalised form at the next login."""

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from marketplace.accounts import services
from marketplace.accounts.models import User
from marketplace.extensions import db
from tests.conftest import post_form

PERSIAN = "گلدوزی ۱۴۰۴ مریم"
ARABIC = "گلدوزی ١٤٠٤ مریم"
LATIN = "گلدوزی 1404 مریم"


def user_by_phone(app, phone):
    with app.app_context():
        return db.session.scalar(select(User).where(User.phone == phone))


def login(client, phone, password):
    return post_form(client, "/login", {"phone": phone, "password": password})


@pytest.mark.parametrize("typed", ["۱۲۳۴۵۶۷۸", "١٢٣٤٥٦٧٨", "۸۷۶۵۴۳۲۱"])
def test_common_password_in_persian_digits_is_refused(client, typed):
    response = post_form(client, "/signup", {"display_name": "مریم", "phone": "09121117777", "new_password": typed})
    assert response.status_code == 422
    assert "خیلی راحت حدس زده می‌شود" in response.get_data(as_text=True)


def test_phone_in_persian_digits_is_refused(app_ctx):
    assert services.password_problem("رمز من ۹۱۲۱۱۱۷۷۷۷ است", "+989121117777") is not None


@pytest.mark.parametrize("typed_at_login", [PERSIAN, ARABIC, LATIN])
def test_signed_up_in_persian_digits_logs_in_on_any_keyboard(app, client, typed_at_login):
    response = post_form(client, "/signup", {"display_name": "مریم", "phone": "09121117777", "new_password": PERSIAN})
    assert response.status_code == 302
    stored = user_by_phone(app, "+989121117777").password_hash
    assert check_password_hash(stored, LATIN) and not check_password_hash(stored, PERSIAN)
    post_form(client, "/logout", {}, token_from="/account")
    assert login(client, "+989121117777", typed_at_login).status_code == 302


def test_old_hash_typed_in_persian_digits_still_works_and_is_rehashed(app, client, make_user):
    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        row.password_hash = generate_password_hash(PERSIAN, method="pbkdf2:sha256:1000")  # stored as typed
        db.session.commit()
    assert login(client, user.phone, PERSIAN).status_code == 302
    stored = user_by_phone(app, user.phone).password_hash
    assert check_password_hash(stored, LATIN) and stored.startswith(app.config["PASSWORD_HASH_METHOD"])
    post_form(client, "/logout", {}, token_from="/account")
    assert login(client, user.phone, LATIN).status_code == 302


def test_change_password_normalises_both(app, client, make_user):
    user = make_user()
    with app.app_context():
        row = db.session.get(User, user.id)
        row.password_hash = generate_password_hash(PERSIAN, method="pbkdf2:sha256:1000")
        db.session.commit()
    assert login(client, user.phone, PERSIAN).status_code == 302
    response = post_form(
        client,
        "/account/password",
        {"current_password": LATIN, "new_password": "انار ۱۲ دانه سرخ"},
        token_from="/account/password",
    )
    assert response.status_code == 302
    assert check_password_hash(user_by_phone(app, user.phone).password_hash, "انار 12 دانه سرخ")


def test_reset_normalises_the_new_password(app, client, make_user):
    user = make_user()
    with app.app_context():
        _user, code = services.start_password_reset(user.phone)
        db.session.commit()
    response = post_form(
        client,
        "/reset/confirm",
        {"phone": user.phone, "code": code, "new_password": PERSIAN},
        token_from="/reset/confirm",
    )
    assert response.status_code == 302
    assert login(client, user.phone, LATIN).status_code == 302
