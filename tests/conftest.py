"""Shared fixtures: the app on a migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL is
set), one rolled-back transaction per test, `make` (any factory of tests/factories.py, committed),
`make_user`, a producer and a staff member, and a login helper.

REQUIRE_POSTGRES=1 / REQUIRE_BROWSER=1 / REQUIRE_REDIS=1 turn a missing service into a failure
instead of a skip (CI sets them).
"""

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import event, orm

from marketplace import create_app
from marketplace.core import notify
from marketplace.extensions import cache, db, limiter
from tests.factories import GOOD_PASSWORD, UserFactory

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


def required(service: str) -> bool:
    """True when CI demands `service` (POSTGRES, BROWSER, REDIS): then it must not be skipped."""
    return os.environ.get(f"REQUIRE_{service}") == "1"


def skip_or_fail(service: str, reason: str):
    """Skip a test for a missing service, or fail it when the service is required."""
    if required(service):
        pytest.fail(f"{reason} (REQUIRE_{service}=1)")
    pytest.skip(reason)


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + TEST_DATABASE_URL if TEST_DATABASE_URL else 'SQLite'}"


@pytest.fixture(scope="session")
def instance_dir():
    path = tempfile.mkdtemp(prefix="rooyesh-test-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def database(instance_dir):
    """(URL, engine options) of a fresh database for this run: a new PostgreSQL schema, or a SQLite file."""
    if not TEST_DATABASE_URL:
        yield "sqlite:///" + os.path.join(instance_dir, "test.db"), {}
        return
    url = TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as error:
        # Locally, a machine without PostgreSQL still gets the SQLite pass; CI demands this one.
        pytest.exit(
            f"PostgreSQL at {TEST_DATABASE_URL} is not reachable, PostgreSQL pass not run: {error}",
            returncode=1 if required("POSTGRES") else 0,
        )
    yield url, {"connect_args": {"options": f"-csearch_path={schema}"}}
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_config(instance_dir, database, **overrides):
    """Settings for a test app on the test database."""
    url, engine_options = database
    config = {
        "TESTING": True,
        "INSTANCE_PATH": instance_dir,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def app(instance_dir, database):
    """The app, with the database built by the migrations (so they are tested on both backends)."""
    application = create_app(make_config(instance_dir, database))
    with application.app_context():
        upgrade()
    return application


@pytest.fixture(scope="session")
def app_factory(instance_dir, database):
    """Build another app on the same database with other settings (HTTPS, Redis limits…)."""

    def build(**overrides):
        return create_app(make_config(instance_dir, database, **overrides))

    return build


@pytest.fixture(autouse=True)
def _transaction(request):
    """Run each test in one outer transaction that is rolled back; the app's commits become
    savepoint releases. Browser tests run against a real server and are left alone."""
    if request.node.get_closest_marker("browser") or "app" not in request.fixturenames:
        yield
        return
    application = request.getfixturevalue("app")
    original_session = db.session
    with application.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        factory = orm.sessionmaker(bind=connection, join_transaction_mode="create_savepoint")
        db.session = orm.scoped_session(factory, scopefunc=_app_ctx_id)
        limiter.reset()
        cache.clear()  # page versions repeat after a rolled-back test: no page may outlive its test
        # Outbox ids come back after a rolled-back test (SQLite): start each test with an empty
        # SMS log and a notifier that has not seen any id yet.
        sms_log = os.path.join(application.instance_path, "outbox.log")
        if os.path.exists(sms_log):
            os.remove(sms_log)
        application.extensions["notifier"] = notify.notifier_for(application)
    try:
        yield
    finally:
        with application.app_context():
            db.session.remove()
        db.session = original_session
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield


@pytest.fixture
def make(app):
    """make(Factory, **fields): one row made by a factory of tests/factories.py in its own app
    context and committed (a savepoint of the test's transaction); returned detached, columns
    loaded. For route tests, which make their rows outside any app context."""

    def build(factory, **fields):
        with app.app_context():
            row = factory(**fields)
            db.session.commit()
            db.session.refresh(row)
            return row

    return build


@pytest.fixture
def make_user(make):
    """Create and commit a user: make_user(roles={"producer"}, password=…, phone=…)."""

    def build(
        phone=None, password=GOOD_PASSWORD, roles=frozenset({"buyer"}), name="کاربر آزمایشی", active=True, locale=None
    ):
        fields = {"phone": phone} if phone else {}
        return make(
            UserFactory, password=password, roles=roles, display_name=name, active=active, locale=locale, **fields
        )

    return build


@pytest.fixture
def producer(make_user):
    """A producer (committed, detached: merge it into a service test's session)."""
    return make_user(roles={"producer"}, name="مریم رضایی")


@pytest.fixture
def staff(make_user):
    """A centre staff member, on a fixed number so a test can type it in any spelling."""
    return make_user(roles={"staff"}, name="کارشناس مرکز", phone="+989153009999")


def csrf_token(client, path="/login") -> str:
    """The CSRF token of this client's session, read from a page's form."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path, data, token_from="/login", **kwargs):
    """POST a form the way a browser does: with the session's CSRF token."""
    data = {"csrf_token": csrf_token(client, token_from), **data}
    return client.post(path, data=data, **kwargs)


@pytest.fixture
def login(client):
    """Log `user` in through the real form; returns the response."""

    def do_login(user, password=GOOD_PASSWORD, remember=False, the_client=None):
        the_client = the_client or client
        data = {"phone": user.phone, "password": password}
        if remember:
            data["remember"] = "y"
        return post_form(the_client, "/login", data)

    return do_login


@contextmanager
def statements(app):
    """Record the SQL statements run on the app's database inside the block (to assert on work
    done, never on time): `with statements(app) as ran: …` then `len(ran)`."""
    ran = []
    with app.app_context():
        engine = db.engine

    def record(_connection, _cursor, statement, *_args):
        ran.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", record)


def sent_sms(app) -> list[dict]:
    """The text messages the log backend wrote in this test (instance/outbox.log, one JSON line each)."""
    path = os.path.join(app.instance_path, "outbox.log")
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as sms_log:
        return [json.loads(line) for line in sms_log]


def inline_styles_allowed_by_csp(response) -> int:
    """How many inline <style> elements the page has, after checking that the CSP header allows
    each by its SHA-256 (and names no nonce and no 'unsafe-inline')."""
    policy = response.headers["Content-Security-Policy"]
    assert "nonce-" not in policy and "unsafe-inline" not in policy
    styles = re.findall(r"<style>(.*?)</style>", response.get_data(as_text=True), re.S)
    for css in styles:
        digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, css
    return len(styles)
