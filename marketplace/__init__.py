"""Rooyesh Market (بازار رویش): a Persian-first marketplace for Mashhad's home workshops."""

import logging
import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from flask import Flask, current_app, request, session
from flask_login import current_user

from . import config as default_config
from .extensions import babel, compress, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping | None = None) -> Flask:
    """Build the app. Settings are layered: marketplace/config.py → instance/config.py →
    environment (DATABASE_URL, SECRET_KEY, MARKETPLACE_*) → `config` (tests pass theirs here).

    The instance folder is MARKETPLACE_INSTANCE, or `INSTANCE_PATH` in `config`, or ./instance.
    """
    config = dict(config or {})
    instance_path = (
        config.pop("INSTANCE_PATH", None) or os.environ.get("MARKETPLACE_INSTANCE") or str(PROJECT_ROOT / "instance")
    )
    app = Flask(
        __name__,
        instance_path=os.path.abspath(instance_path),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    _load_settings(app, config)
    _configure_logging(app)

    # First, so that its after_request runs last: it compresses the body every other hook has finished.
    compress.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, default_translation_directories="translations")
    limiter.init_app(app)

    from .accounts.access import init_access
    from .bazaar import init_bazaar
    from .branding.fonts import require_raqm
    from .catalog import init_catalog
    from .core import notify
    from .core.assets import init_assets
    from .core.database import init_database
    from .core.errors import init_errors
    from .core.numbers import init_numbers
    from .core.outbox import init_outbox
    from .core.pagecache import init_pagecache
    from .core.security import init_security
    from .core.templating import init_templating
    from .core.urls import check_public_url
    from .orders.services import init_orders
    from .registration import init_registration
    from .search import init_search
    from .staff import init_staff

    require_raqm()  # Persian logos and kit images need real shaping: refuse to start without it
    app.extensions["notifier"] = notify.notifier_for(app)
    init_numbers(app)  # the bounded `int` URL converter, before anything adds a route
    check_public_url(app)
    init_database(app)
    init_security(app)
    init_assets(app)  # static files: hashed names, minified, compressed once
    init_templating(app)
    init_catalog(app)
    init_errors(app)
    init_outbox(app)
    init_pagecache(app)
    init_registration(app)
    init_orders(app)
    init_search(app)
    init_bazaar(app)
    init_access(app)  # assisted mode: before init_staff, whose audit hook asks who is acting
    init_staff(app)
    _import_models()
    _register_blueprints(app)
    _register_commands(app)
    return app


def _import_models() -> None:
    """Import every domain's tables so the metadata (and Alembic's autogenerate) sees them all."""
    from .accounts import models as _accounts  # noqa: F401
    from .bazaar import models as _bazaar  # noqa: F401
    from .catalog import models as _catalog  # noqa: F401
    from .core import outbox as _outbox  # noqa: F401
    from .core import pagecache as _pagecache  # noqa: F401
    from .core import settings as _settings  # noqa: F401
    from .insights import models as _insights  # noqa: F401
    from .orders import models as _orders  # noqa: F401
    from .payments import models as _payments  # noqa: F401
    from .registration import models as _registration  # noqa: F401
    from .search import models as _search  # noqa: F401
    from .shops import models as _shops  # noqa: F401
    from .staff import models as _staff  # noqa: F401


def _load_settings(app: Flask, overrides: dict) -> None:
    app.config.from_object(default_config)
    app.config.from_pyfile("config.py", silent=True)
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config.from_prefixed_env("MARKETPLACE")
    app.config.pop("INSTANCE", None)  # MARKETPLACE_INSTANCE is read above, not a setting
    app.config.update(overrides)

    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + os.path.join(app.instance_path, "marketplace.db")
    elif uri.startswith(("postgres://", "postgresql://")):
        uri = "postgresql+psycopg://" + uri.split("://", 1)[1]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    if uri.startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            key: value for key, value in app.config["SQLALCHEMY_ENGINE_OPTIONS"].items() if key != "pool_pre_ping"
        }
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret_key(app.instance_path)


def _instance_secret_key(instance_path: str) -> str:
    """Read instance/secret_key, creating it (owner-only) with a random key on first start.

    Several gunicorn workers may start at once: the key is written to a temporary file and
    linked into place atomically, so every worker ends up reading the same complete key."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.tmp"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as new_file:
            new_file.write(secrets.token_hex(32) + "\n")
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another worker won the race; use its key
        finally:
            os.unlink(temporary)
    with open(path, encoding="ascii") as existing:
        return existing.read().strip()


def _configure_logging(app: Flask) -> None:
    logger = logging.getLogger("marketplace")
    logger.setLevel(app.config["LOG_LEVEL"])
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def _select_locale() -> str:
    """The account's language, else the cookie's, else Persian. The JSON API has no accounts or
    cookies: its (error) messages follow the Accept-Language header, Persian when it names neither."""
    locales = current_app.config["LOCALES"]
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(locales) or current_app.config["BABEL_DEFAULT_LOCALE"]
    # only a session or a remember-me cookie can hold an account: a visitor with neither costs no user loading
    signed_in = (
        "_user_id" in session or current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    )
    if signed_in and current_user.is_authenticated and current_user.locale in locales:
        return current_user.locale
    cookie = request.cookies.get(current_app.config["LOCALE_COOKIE"], "")
    return cookie if cookie in locales else current_app.config["BABEL_DEFAULT_LOCALE"]


def _register_blueprints(app: Flask) -> None:
    from .accounts import access  # noqa: F401  (registers the user loader)
    from .accounts.notification_routes import bp as notifications_bp
    from .accounts.routes import bp as accounts_bp
    from .api.routes import bp as api_bp
    from .bazaar.routes import producer_bp as fairs_bp
    from .bazaar.routes import public_bp as bazaar_bp
    from .bazaar.routes import staff_bp as staff_fairs_bp
    from .catalog.routes.producer import bp as products_bp
    from .catalog.routes.public import bp as catalog_bp
    from .core.routes import bp as core_bp
    from .dashboard.routes import bp as dashboard_bp
    from .insights.routes import bp as insights_bp
    from .orders.routes.buyer import bp as orders_bp
    from .orders.routes.cart import bp as cart_bp
    from .orders.routes.checkout import bp as checkout_bp
    from .orders.routes.desk import bp as desk_bp
    from .orders.routes.messages import bp as order_messages_bp
    from .orders.routes.receipts import bp as receipts_bp
    from .orders.routes.reviews import bp as reviews_bp
    from .pages.routes import bp as pages_bp
    from .payments.routes import bp as payments_bp
    from .registration.routes import bp as registration_bp
    from .search.routes import bp as search_bp
    from .shops.routes.settings import bp as shops_bp
    from .shops.routes.wizard import bp as wizard_bp
    from .staff.routes.assist import assist_bp, assisted_bp
    from .staff.routes.audit import bp as staff_audit_bp
    from .staff.routes.console import bp as staff_bp
    from .staff.routes.impact import bp as staff_impact_bp
    from .staff.routes.money import bp as staff_money_bp
    from .staff.routes.products import bp as staff_products_bp
    from .staff.routes.settings import bp as staff_settings_bp

    for blueprint in (
        core_bp,
        pages_bp,
        accounts_bp,
        shops_bp,
        wizard_bp,
        dashboard_bp,
        catalog_bp,
        products_bp,
        staff_bp,
        staff_products_bp,
        registration_bp,
        search_bp,
        api_bp,
        insights_bp,
        cart_bp,
        checkout_bp,
        orders_bp,
        reviews_bp,
        payments_bp,
        notifications_bp,
        order_messages_bp,
        desk_bp,
        bazaar_bp,
        fairs_bp,
        staff_fairs_bp,
        receipts_bp,
        staff_money_bp,
        staff_audit_bp,
        assist_bp,
        assisted_bp,
        staff_settings_bp,
        staff_impact_bp,
    ):
        app.register_blueprint(blueprint)


def _register_commands(app: Flask) -> None:
    from .accounts.cli import users_cli
    from .catalog.cli import media_cli
    from .core.cli import outbox_cli
    from .demo.cli import demo_cli
    from .insights.cli import insights_command
    from .orders.cli import orders_cli
    from .registration.cli import registration_cli
    from .search.cli import search_cli
    from .staff.backup_cli import backup_cli
    from .staff.cli import staff_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(registration_cli)
    app.cli.add_command(search_cli)
    app.cli.add_command(insights_command)
    app.cli.add_command(orders_cli)
    app.cli.add_command(media_cli)
    app.cli.add_command(backup_cli)
