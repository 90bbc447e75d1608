"""`flask registration expire`: mark verified items whose end date has passed (run daily)."""

import click
from flask.cli import AppGroup

from ..extensions import db
from . import services

registration_cli = AppGroup("registration", help="Registration checklist tools.")


@registration_cli.command("expire")
def expire_command() -> None:
    """Mark verified items whose end date has passed as expired (run daily)."""
    expired = services.expire_due()
    db.session.commit()
    click.echo(f"{len(expired)} registration item(s) expired")
