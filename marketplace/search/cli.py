"""`flask search sync [--watch]`, `flask search rebuild`, `flask search status`."""

import time

import click
from flask.cli import AppGroup

from ..core.app import current_app_object
from . import index

search_cli = AppGroup("search", help="The search index: apply changes, rebuild, status.")


@search_cli.command("sync")
@click.option("--watch", is_flag=True, help="Keep applying new changes every few seconds.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between syncs with --watch.")
def sync_command(watch: bool, interval: float) -> None:
    """Apply pending changes to the index (a missing or broken index is rebuilt)."""
    app = current_app_object()
    while True:
        applied = index.sync(app)
        if applied or not watch:
            click.echo(f"applied {applied} changes")
        if not watch:
            return
        time.sleep(interval)


@search_cli.command("rebuild")
def rebuild_command() -> None:
    """Build a new index from the database and swap it in."""
    app = current_app_object()
    with click.progressbar(length=1, label="indexing products") as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        documents = index.rebuild(app, progress=progress)
    click.echo(f"indexed {documents} documents")


@search_cli.command("status")
def status_command() -> None:
    """Documents, last applied change and lag."""
    app = current_app_object()
    state = index.status(app)
    for key in ("state", "documents", "last_change", "lag"):
        click.echo(f"{key}: {state.get(key)}")
    if not state["ok"]:
        raise SystemExit(1)
