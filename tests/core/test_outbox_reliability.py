"""The outbox with real worker processes on a database of its own (a SQLite file, or a fresh
PostgreSQL schema in the PostgreSQL pass): two workers share 1,000 rows without handling any twice,
and a worker killed with SIGKILL in the middle of a batch loses nothing and sends nothing twice."""

import json
import multiprocessing
import os
import secrets
import signal
import threading
import time

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import func, select

from marketplace import create_app
from marketplace.core import notify, outbox
from marketplace.extensions import db
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture
def backend(tmp_path):
    """Settings of an app on a database no other test uses, migrated."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path),
        "SECRET_KEY": "test-secret-key",
        "SQLITE_BUSY_TIMEOUT_MS": 30_000,
        "OUTBOX_LEASE_SECONDS": 2,
    }
    admin, schema = None, None
    if TEST_DATABASE_URL:
        url = TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        schema = f"outbox_{os.getpid()}_{secrets.token_hex(4)}"
        admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        config.update(
            SQLALCHEMY_DATABASE_URI=url,
            SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"options": f"-csearch_path={schema}"}},
        )
    else:
        config.update(SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "outbox.db"), SQLALCHEMY_ENGINE_OPTIONS={})
    app = create_app(config)
    with app.app_context():
        upgrade()
    yield app, config
    with app.app_context():
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _enqueue(app, count: int) -> list[int]:
    with app.app_context():
        messages = [notify.queue_sms(f"+98912{n:07d}", f"پیام {n}") for n in range(count)]
        db.session.commit()
        return [message.id for message in messages]


def _sent_ids(app) -> list[int]:
    path = os.path.join(app.instance_path, "outbox.log")
    with open(path, encoding="utf-8") as sms_log:
        return [json.loads(line)["id"] for line in sms_log]


def _drainer(config: dict, go) -> None:
    """Child: wait for the start signal, then carry out due rows until none is left."""
    app = create_app(config)
    go.wait(60)
    with app.app_context():
        outbox.drain(app, max_rounds=10_000)


def _long_worker(config: dict) -> None:
    """Child: the real `flask outbox work` loop (killed by the parent)."""
    app = create_app(config)
    with app.app_context():
        outbox.work(app, threading.Event(), poll_seconds=0.05)


@pytest.fixture
def spawn():
    return multiprocessing.get_context("spawn")


def test_two_workers_drain_a_thousand_rows_each_exactly_once(backend, spawn):
    app, config = backend
    # a lease long enough that no row changes hands on a busy machine (CI once saw a 2-s lease run
    # out under load): this test is about two claims never taking the same row
    config = {**config, "OUTBOX_BATCH_SIZE": 20, "OUTBOX_LEASE_SECONDS": 60}
    ids = _enqueue(app, 1000)
    go = spawn.Event()
    workers = [spawn.Process(target=_drainer, args=(config, go)) for _ in range(2)]
    for worker in workers:
        worker.start()
    go.set()
    for worker in workers:
        worker.join(180)
        assert worker.exitcode == 0
    with app.app_context():
        rows = db.session.execute(select(outbox.OutboxMessage.attempts, outbox.OutboxMessage.done_at)).all()
    assert len(rows) == 1000
    assert all(done_at is not None for _, done_at in rows)
    assert {attempts for attempts, _ in rows} == {1}  # no row was claimed twice
    sent = _sent_ids(app)
    assert sorted(sent) == ids  # every row sent, none twice


def test_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(backend, spawn):
    app, config = backend
    config = {**config, "OUTBOX_BATCH_SIZE": 200}
    ids = _enqueue(app, 1500)
    worker = spawn.Process(target=_long_worker, args=(config,))
    worker.start()
    log_path = os.path.join(app.instance_path, "outbox.log")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if os.path.exists(log_path) and os.path.getsize(log_path) > 150 * 60:  # a hundred or two sent
            break
        time.sleep(0.005)
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(10)
    assert worker.exitcode == -signal.SIGKILL

    with app.app_context():
        pending = outbox.OutboxMessage.done_at.is_(None)
        claimed_not_done = db.session.scalar(
            select(func.count()).where(pending, outbox.OutboxMessage.claim_token.is_not(None))
        )
        left = db.session.scalar(select(func.count()).where(pending))
    assert claimed_not_done > 0, "the kill should land inside a claimed batch"
    assert left > 0 and len(set(_sent_ids(app))) < len(ids)

    time.sleep(config["OUTBOX_LEASE_SECONDS"] + 0.5)  # the dead worker's lease runs out
    restarted = create_app(config)
    with restarted.app_context():
        counts = outbox.drain(restarted, max_rounds=10_000)
        assert db.session.scalar(select(func.count()).where(outbox.OutboxMessage.done_at.is_(None))) == 0
    assert counts["done"] == left and counts["failed"] == 0
    sent = _sent_ids(app)
    assert sorted(sent) == ids  # each row's message exactly once, the one in flight included
