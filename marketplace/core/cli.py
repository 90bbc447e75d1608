"""`flask outbox work|run-once|status|retry|prune`: the worker that carries out durable side effects."""

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from . import outbox
from .app import current_app_object

outbox_cli = AppGroup("outbox", help="Durable side effects (text messages …): the worker and its queue.")


@outbox_cli.command("work")
@click.option("--poll", type=float, default=None, help="Seconds to sleep when nothing is due (OUTBOX_POLL_SECONDS).")
def work_command(poll: float | None) -> None:
    """Run the worker until SIGTERM or Ctrl-C (the row in hand is finished first)."""
    app = current_app_object()
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    outbox.work(app, stop, poll_seconds=poll)


@outbox_cli.command("run-once")
def run_once_command() -> None:
    """Carry out every row due now, then exit (for cron); prints what happened."""
    app = current_app_object()
    counts = outbox.drain(app)
    click.echo(", ".join(f"{count} {outcome}" for outcome, count in counts.items()))


@outbox_cli.command("status")
def status_command() -> None:
    """How many rows wait, the age of the oldest due one, and how many failed."""
    report = outbox.status()
    click.echo(
        f"waiting {report['waiting']}, oldest due {report['oldest_due_age_seconds']} s, failed {report['failed']}"
    )


@outbox_cli.command("retry")
@click.argument("message_id", type=int)
def retry_command(message_id: int) -> None:
    """Put a failed row back in the queue."""
    message = db.session.get(outbox.OutboxMessage, message_id)
    if message is None or message.failed_at is None:
        raise click.ClickException(f"no failed outbox row {message_id}")
    outbox.retry(message)
    db.session.commit()
    click.echo(f"row {message_id} is queued again")


@outbox_cli.command("prune")
@click.option("--days", type=int, default=None, help="Keep done rows this many days (OUTBOX_KEEP_DONE_DAYS).")
def prune_command(days: int | None) -> None:
    """Delete rows done long ago (the worker also does this every hour)."""
    removed = outbox.prune(days if days is not None else current_app.config["OUTBOX_KEEP_DONE_DAYS"])
    db.session.commit()
    click.echo(f"removed {removed} done rows")
