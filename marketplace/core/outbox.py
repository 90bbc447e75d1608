"""Durable side effects: the transactional outbox.

A service that must cause something outside the database (a text message, later an e-mail or a
call to a payment provider) calls `enqueue()` inside its transaction. The row commits or rolls
back with the change it belongs to, so nothing is sent for a change that did not happen and
nothing committed is forgotten. A worker (`flask outbox work`, or `run-once` from cron) claims due
rows, runs the handler registered for their kind after the claim has committed, marks them done,
and retries failures with exponential back-off until it parks them as failed for staff to see.

Claims are leases: a claimed row carries a random token and a `locked_until`; a worker that dies
(even by SIGKILL) leaves its rows to be claimed again when the lease runs out. A handler can
therefore run twice for one row, so handlers are idempotent by row id: the notifier passes the id
to its backend, which drops a repeat (see core/notify.py for where a backend cannot).
"""

import logging
import random
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import JSON, DateTime, Index, String, Text, delete, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model, db
from .database import begin_write
from .dates import as_utc, utcnow

log = logging.getLogger("marketplace.outbox")

Handler = Callable[["OutboxMessage"], None]
_handlers: dict[str, Handler] = {}
# Kinds whose function changes the database: run inside the transaction that records them done.
_tasks: set[str] = set()
# What carry_out() reports for a row; run_once() and drain() count them.
OUTCOMES = ("done", "retry", "failed", "lost")


class OutboxMessage(Model):
    """One side effect to carry out after commit. Pending while `done_at` and `failed_at` are
    empty; `locked_until` is the lease of the worker that claimed it."""

    PUBLIC_FIELDS = ()

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The claim query reads only pending rows: keep that index small as done rows pile up.
        Index(
            "ix_outbox_message_due",
            "available_at",
            postgresql_where=text("done_at IS NULL AND failed_at IS NULL"),
            sqlite_where=text("done_at IS NULL AND failed_at IS NULL"),
        ),
        # Ids are the backends' idempotency keys: SQLite must never reuse one after a prune
        # (PostgreSQL's sequence never does).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claim_token: Mapped[str | None] = mapped_column(String(32))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class PermanentError(Exception):
    """Raised by a handler when trying again cannot help (a malformed number, a refused text):
    the row is parked as failed at once instead of being retried."""


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that carries out rows of `kind`. It gets a detached copy of the row,
    runs after the claim committed with no transaction open, may read the database but not write
    it (the worker records the outcome), raises to be retried later (or `PermanentError`), and
    must be idempotent by `message.id`, because a row whose worker died is carried out again."""

    def register(function: Handler) -> Handler:
        if _handlers.get(kind, function) is not function:
            raise ValueError(f"outbox kind {kind!r} already has a handler")
        _handlers[kind] = function
        return function

    return register


def task(kind: str) -> Callable[[Handler], Handler]:
    """Register a scheduled change to the database (a waitlist offer that lapses, a fair that opens
    on time). Unlike a `handler`, the function runs inside a write transaction that also records
    the row done, so its changes and the outcome commit together, exactly once; it may read,
    write and flush, never commit, and may add outbox rows of its own. Enqueue it with
    `available_at` for when it is due."""

    def register(function: Handler) -> Handler:
        handler(kind)(function)
        _tasks.add(kind)
        return function

    return register


def enqueue(
    kind: str,
    payload: dict,
    *,
    dedupe_key: str | None = None,
    delay_seconds: float = 0,
    available_at: datetime | None = None,
) -> OutboxMessage:
    """Add a side effect to the current transaction (never committed here), due now, after
    `delay_seconds`, or at `available_at`. With a `dedupe_key`, a second row with the same key is
    not added and the first one is returned."""
    if kind not in _handlers:
        raise ValueError(f"no outbox handler for kind {kind!r}")
    if dedupe_key is not None:
        existing = _by_dedupe_key(dedupe_key)
        if existing is not None:
            return existing
    message = OutboxMessage(
        kind=kind,
        payload=payload,
        dedupe_key=dedupe_key,
        available_at=available_at or utcnow() + timedelta(seconds=delay_seconds),
    )
    if dedupe_key is None:
        db.session.add(message)  # inserted with the caller's other changes, at flush or commit
        return message
    try:
        with db.session.begin_nested():  # the same key enqueued by a concurrent transaction
            db.session.add(message)
    except IntegrityError:
        existing = _by_dedupe_key(dedupe_key)
        if existing is None:
            raise
        return existing
    return message


def _by_dedupe_key(dedupe_key: str) -> OutboxMessage | None:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))


# ---------------------------------------------------------------- the worker's side


@dataclass(frozen=True)
class Claim:
    """Rows one worker may carry out until `locked_until`; `token` proves the lease is still its
    own. The rows are copies that belong to no session (handlers read them, nothing is written back)."""

    messages: list[OutboxMessage]
    token: str

    @property
    def ids(self) -> list[int]:
        return [message.id for message in self.messages]


def claim(batch: int, lease_seconds: float, now: datetime | None = None) -> Claim:
    """Lease up to `batch` due rows (oldest first) and commit the lease. Each claim counts an
    attempt, so a row that crashes its worker every time still reaches the attempt limit."""
    now = now or utcnow()
    token = secrets.token_hex(16)
    due = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.done_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.available_at <= now,
            or_(OutboxMessage.locked_until.is_(None), OutboxMessage.locked_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(batch)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite holds the write lock instead
    )
    # SQLite: BEGIN IMMEDIATE, so two workers never read the same due rows (PostgreSQL: SKIP LOCKED)
    begin_write()
    rows = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()))
        .values(
            claim_token=token,
            locked_until=now + timedelta(seconds=lease_seconds),
            attempts=OutboxMessage.attempts + 1,
        )
        .returning(
            OutboxMessage.id,
            OutboxMessage.kind,
            OutboxMessage.payload,
            OutboxMessage.attempts,
            OutboxMessage.created_at,
        )
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    messages = [OutboxMessage(**row._asdict()) for row in sorted(rows)]
    return Claim(messages=messages, token=token)


def retry_delay(attempts: int, base: float, cap: float) -> float:
    """Seconds to wait after the `attempts`-th failure: base·2^(attempts−1), at most `cap`, with
    ±20 % jitter so rows that failed together do not all come back at the same second."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * random.uniform(0.8, 1.2)


def _finish(message_id: int, token: str, **values: Any) -> bool:
    """Write the outcome if the lease is still ours; False when another worker took the row over."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claim_token == token)
        .values(claim_token=None, locked_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]  # UPDATE results have rowcount


def carry_out(message: OutboxMessage, token: str, config: dict, now: datetime | None = None) -> str:
    """Run one claimed row's handler, then record the outcome: "done", "retry", "failed" or "lost"
    (the lease had passed to another worker). No transaction is open while the handler runs, so a
    slow provider never holds a database lock; the outcome is written in a short one after."""
    if message.kind in _tasks:
        return _carry_out_task(message, token, config, now)
    values: dict[str, Any]
    function = _handlers.get(message.kind)
    try:
        if function is None:
            raise PermanentError(f"no handler for kind {message.kind!r}")
        function(message)
        if db.session.new or db.session.dirty or db.session.deleted:
            raise PermanentError(f"the handler of {message.kind!r} changed rows; handlers only act outside")
    except Exception as error:
        outcome, values = _after_failure(message, error, config, now)
    else:
        outcome, values = "done", {"done_at": now or utcnow()}
    db.session.rollback()  # whatever the handler read
    begin_write()
    return _commit_outcome(message.id, token, outcome, values)


def _carry_out_task(message: OutboxMessage, token: str, config: dict, now: datetime | None) -> str:
    """Run a `task` row: its changes and "done" commit in one transaction, or neither does."""
    db.session.rollback()
    begin_write()
    try:
        _handlers[message.kind](message)
        db.session.flush()
    except Exception as error:
        db.session.rollback()
        outcome, values = _after_failure(message, error, config, now)
        begin_write()
        return _commit_outcome(message.id, token, outcome, values)
    return _commit_outcome(message.id, token, "done", {"done_at": now or utcnow()})


def _after_failure(message: OutboxMessage, error: Exception, config: dict, now: datetime | None) -> tuple[str, dict]:
    """The outcome of a failed attempt and the columns recording it: "failed" for good (a
    `PermanentError`, or the attempts ran out), else "retry" after a growing delay."""
    error_text = f"{error.__class__.__name__}: {error}"[:2000]
    moment = now or utcnow()
    if isinstance(error, PermanentError) or message.attempts >= config["OUTBOX_MAX_ATTEMPTS"]:
        log.warning("outbox row %s (%s) failed for good: %s", message.id, message.kind, error_text)
        return "failed", {"failed_at": moment, "last_error": error_text}
    delay = retry_delay(message.attempts, config["OUTBOX_RETRY_BASE_SECONDS"], config["OUTBOX_RETRY_MAX_SECONDS"])
    log.info("outbox row %s (%s) will be retried in %.0f s: %s", message.id, message.kind, delay, error_text)
    return "retry", {"available_at": moment + timedelta(seconds=delay), "last_error": error_text}


def _commit_outcome(message_id: int, token: str, outcome: str, values: dict) -> str:
    """Record the outcome in the open write transaction and commit it, if the lease is still ours;
    "lost" (and nothing committed) when another worker took the row over."""
    if not _finish(message_id, token, **values):
        db.session.rollback()
        log.warning("outbox row %s changed hands before it was recorded", message_id)
        return "lost"
    db.session.commit()
    return outcome


def release(message_ids: list[int], token: str) -> None:
    """Give claimed rows back unprocessed (their claim does not count as an attempt)."""
    if message_ids:
        begin_write()
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.claim_token == token)
            .values(claim_token=None, locked_until=None, attempts=OutboxMessage.attempts - 1)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def run_once(app: Flask, batch: int | None = None, now: datetime | None = None) -> dict[str, int]:
    """Claim one batch of due rows and carry each out; returns how many ended in each outcome.
    Rows still waiting when half the lease has gone (slow providers) are given back, so no other
    worker takes over a row this one is about to carry out."""
    config = app.config
    counts = dict.fromkeys(OUTCOMES, 0)
    work = claim(batch or config["OUTBOX_BATCH_SIZE"], config["OUTBOX_LEASE_SECONDS"], now=now)
    give_back_at = time.monotonic() + config["OUTBOX_LEASE_SECONDS"] / 2
    for position, message in enumerate(work.messages):
        if position and time.monotonic() > give_back_at:
            release(work.ids[position:], work.token)
            break
        counts[carry_out(message, work.token, config, now=now)] += 1
    return counts


def drain(app: Flask, now: datetime | None = None, max_rounds: int = 100) -> dict[str, int]:
    """Carry out every due row until none is left (tests and `flask outbox run-once`). Rows put
    back for a later retry are not due again within this call."""
    total = dict.fromkeys(OUTCOMES, 0)
    for _ in range(max_rounds):
        counts = run_once(app, now=now)
        for outcome, count in counts.items():
            total[outcome] += count
        if not any(counts.values()):
            break
    return total


# ---------------------------------------------------------------- periodic work and the loop


def every(app: Flask, seconds: float, name: str) -> Callable[[Callable[[Flask], None]], Callable[[Flask], None]]:
    """Register `function(app)` to run in the worker loop every `seconds` (e.g. search sync). A
    failure is logged and tried again at the next turn; it never stops the worker."""

    def register(function: Callable[[Flask], None]) -> Callable[[Flask], None]:
        app.extensions.setdefault("worker_tasks", {})[name] = (seconds, function)
        return function

    return register


def _run_periodic(app: Flask, last_run: dict[str, float]) -> None:
    for name, (seconds, function) in app.extensions.get("worker_tasks", {}).items():
        if time.monotonic() - last_run.get(name, float("-inf")) < seconds:
            continue
        last_run[name] = time.monotonic()
        try:
            function(app)
        except Exception:
            db.session.rollback()
            log.exception("worker task %s failed; it runs again at its next turn", name)


def work(app: Flask, stop: threading.Event, poll_seconds: float | None = None) -> None:
    """The long-running worker: carry out due rows, run the periodic tasks, and sleep when idle,
    until `stop` is set (SIGTERM and Ctrl-C set it; the row being carried out is finished first)."""
    poll = poll_seconds if poll_seconds is not None else app.config["OUTBOX_POLL_SECONDS"]
    last_run: dict[str, float] = {}
    log.info("outbox worker started")
    while not stop.is_set():
        try:
            counts = run_once(app)
        except Exception:
            db.session.rollback()
            log.exception("outbox claim failed; trying again")
            counts = {}
        _run_periodic(app, last_run)
        db.session.remove()  # a fresh session each turn: nothing cached between turns
        if not any(counts.values()):
            stop.wait(poll)
    log.info("outbox worker stopped")


# ---------------------------------------------------------------- what staff and /healthz see


def status(now: datetime | None = None) -> dict[str, Any]:
    """Rows waiting (due now or later), the age in seconds of the oldest due one, and rows failed."""
    now = now or utcnow()
    pending = (OutboxMessage.done_at.is_(None), OutboxMessage.failed_at.is_(None))
    waiting = db.session.scalar(select(func.count(OutboxMessage.id)).where(*pending))
    oldest_due = db.session.scalar(
        select(func.min(OutboxMessage.available_at)).where(*pending, OutboxMessage.available_at <= now)
    )
    failed = db.session.scalar(select(func.count(OutboxMessage.id)).where(OutboxMessage.failed_at.is_not(None)))
    age = (now - as_utc(oldest_due)).total_seconds() if oldest_due else 0.0
    return {"waiting": waiting, "oldest_due_age_seconds": round(age, 1), "failed": failed}


def health_check() -> dict[str, Any]:
    """The outbox part of /healthz: degraded when the oldest due row has waited past
    OUTBOX_HEALTH_MAX_AGE_SECONDS (no worker running, or one that cannot keep up)."""
    report = status()
    report["ok"] = report["oldest_due_age_seconds"] <= current_app.config["OUTBOX_HEALTH_MAX_AGE_SECONDS"]
    return report


def failed_messages(limit: int = 200) -> list[OutboxMessage]:
    """Rows parked as failed, newest first, for the staff console."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.failed_at.is_not(None))
            .order_by(OutboxMessage.failed_at.desc())
            .limit(limit)
        )
    )


def retry(message: OutboxMessage) -> None:
    """Put a failed row back in the queue with a fresh set of attempts (its last error is kept)."""
    if message.failed_at is None:
        raise ValueError("only failed rows are retried")
    message.failed_at = None
    message.attempts = 0
    message.available_at = utcnow()
    message.claim_token = None
    message.locked_until = None


def prune(keep_days: int, now: datetime | None = None) -> int:
    """Delete rows done more than `keep_days` ago (failed rows stay until staff act); returns the count."""
    cutoff = (now or utcnow()) - timedelta(days=keep_days)
    result = db.session.execute(
        delete(OutboxMessage)
        .where(OutboxMessage.done_at.is_not(None), OutboxMessage.done_at < cutoff)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount  # type: ignore[attr-defined]  # DELETE results have rowcount


def init_outbox(app: Flask) -> None:
    """Report the queue in /healthz and prune old done rows from the worker every hour."""
    app.extensions.setdefault("health_checks", {})["outbox"] = health_check

    @every(app, 3600, "outbox-prune")
    def _prune(app: Flask) -> None:
        prune(app.config["OUTBOX_KEEP_DONE_DAYS"])
        db.session.commit()
