"""The app factory, its settings layers, security headers, error pages and health check."""

import os
import re
import stat

import pytest
from sqlalchemy import text

from marketplace import create_app
from marketplace.extensions import db
from tests.conftest import make_config, post_form


def test_settings_layers(tmp_path, monkeypatch, database):
    """defaults → instance/config.py → environment → create_app(config)."""
    (tmp_path / "config.py").write_text('RESET_CODE_TTL_MINUTES = 7\nLOG_LEVEL = "WARNING"\nPROXY_COUNT = 2\n')
    monkeypatch.setenv("MARKETPLACE_LOG_LEVEL", "ERROR")
    monkeypatch.setenv("MARKETPLACE_PROXY_COUNT", "1")
    monkeypatch.setenv("MARKETPLACE_INSTANCE", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    application = create_app({"PROXY_COUNT": 0})
    assert application.instance_path == str(tmp_path)
    assert application.config["RESET_CODE_TTL_MINUTES"] == 7  # instance file over defaults
    assert application.config["LOG_LEVEL"] == "ERROR"  # environment over instance file
    assert application.config["PROXY_COUNT"] == 0  # create_app's mapping over everything
    assert application.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/marketplace.db"
    assert "INSTANCE" not in application.config


def test_database_url_env_switches_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://someone@db.example/market")
    application = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert application.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://someone@db.example/market"


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    key_file = tmp_path / "secret_key"
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key_file.read_text().strip()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == "from-the-environment"


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers
    assert "Set-Cookie" not in response.headers  # an anonymous visit to a page without a form sets no cookie
    cookie = client.get("/login").headers["Set-Cookie"]  # a form's CSRF token lives in the session
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie


def test_no_inline_script_or_style(client):
    html = client.get("/signup").get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S)
    assert scripts and all(body == "" for body in scripts)  # every script is a file
    # ...and an ES module, so its top-level names never become window properties (window.status)
    assert all(re.search(r'type="module"', tag) and " src=" in tag for tag in re.findall(r"<script\b[^>]*>", html))
    assert "<style" not in html and " style=" not in html
    assert " on" + "click=" not in html


def test_https_mode_secures_cookies(app_factory):
    secure_app = app_factory(HTTPS=True)
    client = secure_app.test_client()
    response = client.get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie and "Domain" not in cookie
    assert secure_app.config["REMEMBER_COOKIE_NAME"] == "__Host-remember"


def test_persian_layout(client):
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert 'class="skip-link" href="#main"' in html
    assert "بازار رویش" in html
    assert 'action="/search"' in html


@pytest.mark.parametrize(
    ("path", "status", "persian"),
    [("/no-such-page", 404, "صفحه پیدا نشد"), ("/staff/users/999999", 302, None)],
)
def test_not_found_page_in_layout(client, path, status, persian):
    response = client.get(path)
    assert response.status_code == status
    if persian:
        html = response.get_data(as_text=True)
        assert persian in html and 'dir="rtl"' in html


def test_method_not_allowed_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "این کار اینجا ممکن نیست" in response.get_data(as_text=True)


def test_missing_csrf_token_gets_reload_page(client):
    response = client.post("/login", data={"phone": "09121234567", "password": "x"})
    assert response.status_code == 400
    assert "صفحه را دوباره بارگذاری کنید" in response.get_data(as_text=True)


def test_stale_csrf_token_gets_reload_page(client, app):
    other = app.test_client()
    from tests.conftest import csrf_token

    stale = csrf_token(other)  # a token from another session
    response = client.post("/login", data={"csrf_token": stale, "phone": "09121234567", "password": "x"})
    assert response.status_code == 400
    assert "منقضی" in response.get_data(as_text=True)


def test_huge_body_gets_413(client, app):
    body = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/signup", data=body, content_type="application/octet-stream")
    assert response.status_code == 413
    assert "فایل خیلی بزرگ است" in response.get_data(as_text=True)


def test_crash_gets_friendly_500(app_factory):
    crashing = app_factory(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @crashing.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = crashing.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "مشکلی از طرف ما پیش آمد" in html and "kaboom" not in html


def test_healthz_ok(app, client):
    from marketplace.search.index import rebuild_index_if_needed

    with app.app_context():
        rebuild_index_if_needed(app)  # /healthz only reports; start-up or the worker builds the index
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"]["ok"] is True
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["head"]


def test_healthz_degraded_without_migrations(tmp_path):
    unmigrated = create_app(make_config(str(tmp_path), (f"sqlite:///{tmp_path}/empty.db", {})))
    response = unmigrated.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "degraded"
    assert body["checks"]["migrations"]["ok"] is False


def test_healthz_degraded_when_database_down(tmp_path):
    broken = create_app(make_config(str(tmp_path), (f"sqlite:///{tmp_path}/missing-dir/x.db", {})))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"]["ok"] is False


def test_locale_switch_remembered_in_cookie(client):
    response = post_form(client, "/locale", {"locale": "en", "next": "/signup"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/signup"
    html = client.get("/signup").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Create your account" in html
    post_form(client, "/locale", {"locale": "fa", "next": "/"})
    assert 'lang="fa" dir="rtl"' in client.get("/").get_data(as_text=True)


def test_locale_switch_never_redirects_off_site(client):
    response = post_form(client, "/locale", {"locale": "en", "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_sqlite_is_really_transactional(tmp_path):
    """The SQLite recipe: foreign keys, WAL, busy timeout, and BEGIN/SAVEPOINT that really roll back."""
    application = create_app(make_config(str(tmp_path), (f"sqlite:///{tmp_path}/tx.db", {})))
    with application.app_context():
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == application.config["SQLITE_BUSY_TIMEOUT_MS"]
        db.session.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES t(id))"))
        db.session.commit()
        db.session.execute(text("INSERT INTO t (id) VALUES (1)"))
        with db.session.begin_nested():
            db.session.execute(text("INSERT INTO t (id) VALUES (2)"))
        savepoint = db.session.begin_nested()
        db.session.execute(text("INSERT INTO t (id) VALUES (3)"))
        savepoint.rollback()
        assert db.session.execute(text("SELECT count(*) FROM t")).scalar() == 2
        db.session.rollback()  # the outer transaction: rows 1 and 2 go too
        assert db.session.execute(text("SELECT count(*) FROM t")).scalar() == 0
        with pytest.raises(Exception, match="FOREIGN KEY"):
            db.session.execute(text("INSERT INTO t (id, parent) VALUES (5, 99)"))
        db.session.rollback()


def _read_key(path):
    from marketplace import _instance_secret_key

    return _instance_secret_key(path)


def test_secret_key_same_for_workers_starting_together(tmp_path):
    """gunicorn workers start at once; they must all end up with the same, complete key."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=4) as pool:
        keys = set(pool.map(_read_key, [str(tmp_path)] * 16))
    assert len(keys) == 1 and len(keys.pop()) == 64
    assert [path.name for path in tmp_path.iterdir()] == ["secret_key"]  # no temporary files left
