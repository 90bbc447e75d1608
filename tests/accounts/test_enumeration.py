"""Which phones have accounts must not leak (issue 10 item 4): login, /reset and /reset/confirm do
the same work and say the same words for a real account and an unknown number.

"Same work" is counted, never timed: the password hashes checked or made (through a counting
wrapper around Werkzeug's own functions, which still run) and the SQL statements sent."""

import re

import pytest
import sqlalchemy as sa
from werkzeug import security

from marketplace.accounts import services
from marketplace.extensions import db
from tests.conftest import post_form

REAL, UNKNOWN = "+989121114444", "+989121115555"


class HashCalls:
    """Counts Werkzeug hash checks and hash creations made by the account services, by method."""

    def __init__(self, monkeypatch):
        self.checked, self.made = [], []
        monkeypatch.setattr(services, "check_password_hash", self._check)
        monkeypatch.setattr(services, "generate_password_hash", self._generate)

    def _check(self, pwhash, password):
        self.checked.append(pwhash.split("$", 1)[0])
        return security.check_password_hash(pwhash, password)

    def _generate(self, password, method):
        self.made.append(method)
        return security.generate_password_hash(password, method=method)

    def reset(self):
        self.checked, self.made = [], []


class Statements:
    """The SQL sent to the database (text only, parameters left out), to compare two runs."""

    def __init__(self):
        self.seen = []

    def __enter__(self):
        sa.event.listen(db.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc):
        sa.event.remove(db.engine, "before_cursor_execute", self._record)

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            self.seen.append(re.sub(r"\s+", " ", statement))


@pytest.fixture
def real(app, make_user):
    return make_user(phone=REAL)


@pytest.mark.parametrize("password", ["wrong words here", "رمز۱۲۳۴۵۶ اشتباه"])
def test_login_unknown_phone_costs_a_wrong_password(app_ctx, app, real, monkeypatch, password):
    calls = HashCalls(monkeypatch)
    services.authenticate(UNKNOWN, password)  # the dummy hash is made once per method: not counted
    calls.reset()
    with Statements() as known_sql:
        assert services.authenticate(REAL, password) is None
    for_real = list(calls.checked)
    calls.reset()
    with Statements() as unknown_sql:
        assert services.authenticate(UNKNOWN, password) is None
    assert calls.checked == for_real
    assert set(for_real) == {app.config["PASSWORD_HASH_METHOD"]}
    assert len(for_real) == (1 if password.isascii() else 2)  # normalised form, then as typed
    assert known_sql.seen == unknown_sql.seen


def test_dummy_hash_uses_the_configured_method(app_factory, make_user, monkeypatch):
    """The dummy checked for an unknown phone is made with PASSWORD_HASH_METHOD, not a cheap one."""
    slow = app_factory(PASSWORD_HASH_METHOD="pbkdf2:sha256:20000")
    with slow.test_request_context():
        calls = HashCalls(monkeypatch)
        services.authenticate(UNKNOWN, "wrong words here")
        assert calls.checked == ["pbkdf2:sha256:20000"]


def test_reset_request_does_the_same_work(app_ctx, real, monkeypatch):
    calls = HashCalls(monkeypatch)
    with Statements() as known_sql:
        assert services.start_password_reset(REAL) is not None
    for_real = list(calls.made)
    calls.reset()
    with Statements() as unknown_sql:
        assert services.start_password_reset(UNKNOWN) is None
    assert calls.made == for_real == [services.RESET_CODE_HASH_METHOD]
    assert known_sql.seen == unknown_sql.seen
    assert any(sql.startswith("INSERT INTO password_reset") for sql in unknown_sql.seen)


def test_wrong_reset_code_does_the_same_work(app_ctx, real, monkeypatch):
    services.start_password_reset(REAL)
    services.start_password_reset(UNKNOWN)
    calls = HashCalls(monkeypatch)
    answers, statements, checks = [], [], []
    for phone in (REAL, UNKNOWN):
        calls.reset()
        with Statements() as sql:
            with pytest.raises(services.AccountError) as error:
                services.complete_password_reset(phone, "000000", "fresh words now")
            db.session.flush()
        answers.append(str(error.value.message))
        statements.append(sql.seen)
        checks.append(calls.checked)
    assert answers[0] == answers[1] == "کد درست نیست."
    assert statements[0] == statements[1]
    assert checks[0] == checks[1] == [services.RESET_CODE_HASH_METHOD]


def test_unknown_number_never_resets_even_with_its_code(app_ctx):
    """The code made for a number without an account is never sent; even if guessed it does nothing."""
    services.start_password_reset(UNKNOWN)
    reset = db.session.scalar(sa.select(services.PasswordReset).where(services.PasswordReset.phone == UNKNOWN))
    reset.code_hash = security.generate_password_hash("123456", method="pbkdf2:sha256:1000")
    with pytest.raises(services.AccountError) as error:
        services.complete_password_reset(UNKNOWN, "123456", "fresh words now")
    assert str(error.value.message) == "کد درست نیست."


def _page_words(response):
    """The visible answer: the page without the CSRF token and the typed number."""
    html = response.get_data(as_text=True)
    html = re.sub(r'name="csrf_token"[^>]*>', "", html)
    return re.sub(r"(phone=|value=\")[^\"&]*", r"\1", html)


def test_same_words_on_every_page(app, client, real):
    def ask(path, phone, **fields):
        return post_form(client, path, {"phone": phone, **fields}, token_from=path)

    login_real = ask("/login", REAL, password="wrong words here")
    login_unknown = ask("/login", UNKNOWN, password="wrong words here")
    assert login_real.status_code == login_unknown.status_code == 422
    assert _page_words(login_real) == _page_words(login_unknown)

    # never asked for a code: the same "expired" answer
    fields = {"code": "123456", "new_password": "fresh words now"}
    never_real, never_unknown = ask("/reset/confirm", REAL, **fields), ask("/reset/confirm", UNKNOWN, **fields)
    assert never_real.status_code == never_unknown.status_code == 422
    assert _page_words(never_real) == _page_words(never_unknown)

    # asked for a code: the same page and message; then a wrong code: the same "not right" answer
    asked_real = post_form(client, "/reset", {"phone": REAL}, token_from="/reset", follow_redirects=True)
    asked_unknown = post_form(client, "/reset", {"phone": UNKNOWN}, token_from="/reset", follow_redirects=True)
    assert asked_real.status_code == asked_unknown.status_code == 200
    assert _page_words(asked_real) == _page_words(asked_unknown)
    wrong_real, wrong_unknown = ask("/reset/confirm", REAL, **fields), ask("/reset/confirm", UNKNOWN, **fields)
    assert wrong_real.status_code == wrong_unknown.status_code == 422
    assert "کد درست نیست" in wrong_real.get_data(as_text=True)
    assert _page_words(wrong_real) == _page_words(wrong_unknown)
