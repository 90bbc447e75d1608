"""Outbox speed: a benchmark that prints numbers, never asserts.

1. Rows delivered per second by one worker (the log SMS backend), on SQLite and, when
   BENCH_DATABASE_URL (or TEST_DATABASE_URL) points at PostgreSQL, on PostgreSQL too.
2. The latency a request adds by writing one outbox row: the same small transaction (a user's
   last-login time) committed with and without `queue_sms`, median and p95 of each.

    .venv/bin/python bench/outbox.py [--rows 2000] [--transactions 500]
"""

import argparse
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.accounts import services as accounts  # noqa: E402
from marketplace.core import notify, outbox  # noqa: E402
from marketplace.core.dates import utcnow  # noqa: E402
from marketplace.extensions import db  # noqa: E402


def backends(instance: str):
    """(name, settings, cleanup) for SQLite and, if configured, a throw-away PostgreSQL schema."""
    yield "SQLite", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance}/bench.db", "SQLALCHEMY_ENGINE_OPTIONS": {}}, None
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        print("PostgreSQL: skipped (set BENCH_DATABASE_URL=postgresql+psycopg://…)")
        return
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    schema = f"bench_outbox_{secrets.token_hex(4)}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    options = {"connect_args": {"options": f"-csearch_path={schema}"}}
    yield "PostgreSQL", {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options}, drop


def percentile(values: list[float], share: float) -> float:
    return sorted(values)[min(len(values) - 1, int(len(values) * share))]


def bench(name: str, settings: dict, instance: str, rows: int, transactions: int) -> None:
    folder = os.path.join(instance, name)
    os.makedirs(folder)
    app = create_app(
        {"INSTANCE_PATH": folder, "SECRET_KEY": "bench", "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **settings}
    )
    with app.app_context():
        upgrade()
        user = accounts.create_user("+989150009999", "محک", "saffron and turquoise")
        db.session.commit()
        user_id = user.id

        # 1. delivery rate of one worker
        for n in range(rows):
            notify.queue_sms(f"+98912{n:07d}", f"پیام آزمایشی {n}")
        db.session.commit()
        started = time.perf_counter()
        counts = outbox.drain(app, max_rounds=100_000)
        elapsed = time.perf_counter() - started
        rate = counts["done"] / elapsed
        print(f"{name}: one worker delivered {counts['done']} rows in {elapsed:.2f} s = {rate:,.0f} rows/s")

        # 2. what one outbox row adds to a request's transaction
        def one_transaction(with_row: bool) -> float:
            started = time.perf_counter()
            user = db.session.get(accounts.User, user_id)
            user.last_login_at = utcnow()
            if with_row:
                notify.queue_sms(user.phone, "کد ۱۲۳۴۵۶")
            db.session.commit()
            return (time.perf_counter() - started) * 1000

        for _ in range(50):  # warm up
            one_transaction(False), one_transaction(True)
        plain, with_row = [], []
        for _ in range(transactions):
            plain.append(one_transaction(False))
            with_row.append(one_transaction(True))
        added = statistics.median(with_row) - statistics.median(plain)
        print(
            f"{name}: a request's transaction: {statistics.median(plain):.3f} ms median "
            f"(p95 {percentile(plain, 0.95):.3f}) without a row, {statistics.median(with_row):.3f} ms "
            f"(p95 {percentile(with_row, 0.95):.3f}) with one → {added:.3f} ms added"
        )
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--transactions", type=int, default=500)
    args = parser.parse_args()
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-outbox-")
    try:
        for name, settings, cleanup in backends(instance):
            try:
                bench(name, settings, instance, args.rows, args.transactions)
            finally:
                if cleanup:
                    cleanup()
    finally:
        shutil.rmtree(instance, ignore_errors=True)


if __name__ == "__main__":
    main()
