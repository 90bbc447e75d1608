"""`flask orders popularity | expire`: the orders' background jobs, run by hand (the outbox worker
runs both on its own schedule)."""

import click
from flask.cli import AppGroup

from ..core.database import begin_write
from ..extensions import db
from ..payments import services as payments
from . import popularity

orders_cli = AppGroup("orders", help="Orders: the popularity roll-up and the expiry of unpaid card payments.")


@orders_cli.command("popularity")
def popularity_command() -> None:
    """Recompute every product's popularity now; search re-indexes the products that changed."""
    changed = popularity.refresh_popularity()
    click.echo(f"popularity changed for {changed} products")


@orders_cli.command("expire")
def expire_command() -> None:
    """Expire card payments left unpaid past their time; their orders are cancelled and the stock
    comes back."""
    begin_write()
    expired = payments.expire_overdue()
    db.session.commit()
    click.echo(f"expired {expired} overdue payments")
