"""A real server (own instance folder, migrated SQLite file, demo data) and the system Chromium.

Playwright's own browser download does not work on these machines; /usr/bin/chromium does.
"""

import os
import shutil
import tempfile
import threading

import pytest
from flask_migrate import upgrade
from werkzeug.serving import make_server

from marketplace import create_app
from marketplace.demo.services import load_demo
from marketplace.extensions import db
from marketplace.search.index import rebuild_index_if_needed
from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR")  # set it to keep a PNG of each step


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_app():
    """The app behind the live server (a journey drains its outbox, as the worker would)."""
    instance = tempfile.mkdtemp(prefix="rooyesh-browser-")
    app = create_app(
        {
            "INSTANCE_PATH": instance,
            "SECRET_KEY": "browser-test-key",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/browser.db",
            # every journey logs its people in from 127.0.0.1; the login limits are tested in tests/accounts
            "RATELIMIT_LOGIN_IP": "1000 per 10 minutes",
        }
    )
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        rebuild_index_if_needed(app)  # as at start-up: requests never build the search index
    yield app
    shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server(live_app):
    app = live_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"  # the address links are built from
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        skip_or_fail("BROWSER", f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser):
    """A page the size of a cheap Android phone (390 px wide)."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


def snap(page, name):
    """Keep a screenshot when SCREENSHOT_DIR is set (for looking at the pages by eye)."""
    if SCREENSHOTS:
        os.makedirs(SCREENSHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


DEMO_PASSWORD = "rooyesh-demo-1404"


def session(browser, base, phone):
    """A new phone-sized browser (390 px), logged in as the demo account `phone`."""
    page = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    page.goto(f"{base}/login")
    page.locator("main input[name=phone]").fill(phone)
    page.locator("main input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    return page


def fits_the_phone(page):
    """Nothing on the page is wider than the phone."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
