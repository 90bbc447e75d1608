"""Account rules, called directly."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from marketplace.accounts import services
from marketplace.accounts.models import PasswordReset, User
from marketplace.extensions import db
from tests.conftest import GOOD_PASSWORD


@pytest.fixture(autouse=True)
def _ctx(app_ctx):
    yield


def test_create_user_normalises_and_hashes():
    user = services.create_user("+989121110000", "  علي   كريمي ", GOOD_PASSWORD, roles={"buyer", "producer"})
    db.session.flush()
    assert user.display_name == "علی کریمی"
    assert user.password_hash != GOOD_PASSWORD and user.password_hash.startswith("pbkdf2:")
    assert user.roles == {"buyer", "producer"}
    assert user.active and user.session_token


def test_duplicate_phone_refused_and_nothing_written():
    services.create_user("+989121110001", "اول", GOOD_PASSWORD)
    db.session.flush()
    with pytest.raises(services.AccountError) as error:
        services.create_user("+989121110001", "دوم", GOOD_PASSWORD)
    assert error.value.field == "phone"
    assert db.session.scalar(select(func.count()).select_from(User).where(User.phone == "+989121110001")) == 1


@pytest.mark.parametrize(
    "password",
    ["short1", "12345678", "password", "aaaaaaaaaaaa", "x" * 129, "my9121110002pass"],
)
def test_weak_passwords_refused(password):
    assert services.password_problem(password, "+989121110002") is not None


@pytest.mark.parametrize("password", ["saffron and turquoise", "گلدوزی مشهد ۱۴۰۴", "p" * 10 + "q" * 54 + "Z" * 64])
def test_good_and_long_passwords_accepted(password):
    assert services.password_problem(password, "+989121110003") is None


def test_authenticate_same_answer_for_unknown_and_wrong():
    user = services.create_user("+989121110004", "نام", GOOD_PASSWORD)
    db.session.flush()
    assert services.authenticate("+989121110004", GOOD_PASSWORD) is user
    assert services.authenticate("+989121110004", "wrong password") is None
    assert services.authenticate("+989129999999", GOOD_PASSWORD) is None


def test_change_password_rotates_token():
    user = services.create_user("+989121110005", "نام", GOOD_PASSWORD)
    db.session.flush()
    token = user.session_token
    with pytest.raises(services.AccountError) as error:
        services.change_password(user, "not it", "a brand new secret")
    assert error.value.field == "current_password"
    services.change_password(user, GOOD_PASSWORD, "a brand new secret")
    assert user.session_token != token
    assert services.authenticate(user.phone, "a brand new secret") is user


def test_set_roles_keeps_buyer():
    user = services.create_user("+989121110006", "نام", GOOD_PASSWORD, roles={"buyer", "producer"})
    services.set_roles(user, {"staff"})
    assert user.roles == {"buyer", "staff"}
    assert user.has_role("staff") and not user.has_role("producer")
    services.set_roles(user, {"admin"})
    assert user.has_role("staff")  # admins hold staff rights
    with pytest.raises(ValueError):
        services.set_roles(user, {"wizard"})


def test_deactivate_ends_sessions():
    user = services.create_user("+989121110007", "نام", GOOD_PASSWORD)
    token = user.session_token
    services.set_active(user, False)
    assert not user.is_active and user.session_token != token


def test_reset_code_one_time_and_limited(app):
    user = services.create_user("+989121110008", "نام", GOOD_PASSWORD)
    db.session.flush()
    _, first_code = services.start_password_reset(user.phone)
    _, code = services.start_password_reset(user.phone)  # the first code stops working
    assert services.start_password_reset("+989120000000") is None
    with pytest.raises(services.AccountError):
        services.complete_password_reset(user.phone, first_code if first_code != code else "000000", "new secret words")
    services.complete_password_reset(user.phone, code, "new secret words")
    assert services.authenticate(user.phone, "new secret words") is user
    with pytest.raises(services.AccountError) as used:
        services.complete_password_reset(user.phone, code, "another secret words")
    assert "منقضی یا استفاده شده" in str(used.value.message)


def test_reset_code_locks_after_attempts(app):
    user = services.create_user("+989121110009", "نام", GOOD_PASSWORD)
    db.session.flush()
    _, code = services.start_password_reset(user.phone)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(app.config["RESET_CODE_MAX_ATTEMPTS"]):
        with pytest.raises(services.AccountError):
            services.complete_password_reset(user.phone, wrong, "new secret words")
    with pytest.raises(services.AccountError) as locked:
        services.complete_password_reset(user.phone, code, "new secret words")
    assert "منقضی یا استفاده شده" in str(locked.value.message)


def test_reset_code_expires(app):
    user = services.create_user("+989121110010", "نام", GOOD_PASSWORD)
    db.session.flush()
    _, code = services.start_password_reset(user.phone)
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.user_id == user.id))
    reset.expires_at = reset.created_at - timedelta(seconds=1)
    with pytest.raises(services.AccountError):
        services.complete_password_reset(user.phone, code, "new secret words")
