"""Database engine setup: SQLite made really transactional, and the health check's view of it."""

from flask import Flask
from sqlalchemy import Select, event, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from ..extensions import db


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Apply SQLAlchemy's documented recipe so SQLite transactions (and SAVEPOINTs) really work:
    pysqlite stops issuing its own BEGIN, we emit BEGIN ourselves; WAL journal, a busy
    timeout instead of instant "database is locked", and foreign keys enforced. A connection
    with the execution option `sqlite_begin="IMMEDIATE"` begins with BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # BEGIN IMMEDIATE (asked for with the `sqlite_begin` execution option) takes the write
        # lock at once: the outbox claim reads and updates rows without another writer in between.
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")


def listen_to_sessions(listeners: dict) -> None:
    """Listen to every Session with {event name: function}, once (several apps in one process
    share SQLAlchemy's Session class, and each calls this when it starts)."""
    for name, function in listeners.items():
        if not event.contains(Session, name, function):
            event.listen(Session, name, function)


def page_with_total(statement: Select, page: int, per_page: int) -> tuple[list[tuple], int]:
    """One page of `statement`'s rows and how many rows it has in all, counted by the same query (a
    window over every matching row, before the page is cut). Past the last page, one more query
    counts them, so the answer still says how many there are."""
    rows = db.session.execute(
        statement.add_columns(func.count().over()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    if rows:
        return [row[:-1] for row in rows], rows[0][-1]
    if page == 1:
        return [], 0
    return [], db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0


def begin_write() -> None:
    """On SQLite, start this session's transaction with BEGIN IMMEDIATE (the write lock at once). A
    deferred transaction that reads and then writes fails at once with "database is locked" when
    another connection wrote in between, whatever the busy timeout; taking the lock first makes two
    such transactions queue instead. Does nothing on PostgreSQL or inside a transaction already begun."""
    session = db.session()
    bind = session.get_bind()
    if isinstance(bind, Engine) and bind.dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})


def init_database(app: Flask) -> None:
    """Bind the engine options that depend on the backend; on SQLite, every request that may write
    (POST, PUT, PATCH, DELETE) begins its transaction with BEGIN IMMEDIATE (see `begin_write`)."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
            app.before_request(_begin_write_for_unsafe_methods)


def _begin_write_for_unsafe_methods() -> None:
    from flask import request

    if request.method not in ("GET", "HEAD", "OPTIONS"):
        begin_write()


def migration_heads(app: Flask) -> set[str]:
    """The newest revisions in migrations/ (read once per app: the scripts do not change while it runs)."""
    heads = app.extensions.get("migration_heads")
    if heads is None:
        heads = app.extensions["migration_heads"] = set(migration_scripts(app).get_heads())
    return heads


def migration_scripts(app: Flask):
    """Alembic's view of migrations/ (every revision the code knows)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config)


def migration_status(app: Flask) -> dict:
    """Compare the database's Alembic revision with the newest migration in migrations/."""
    heads = migration_heads(app)
    try:
        current = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except Exception:
        db.session.rollback()
        current = set()
    return {"current": sorted(current), "head": sorted(heads), "ok": current == heads}
