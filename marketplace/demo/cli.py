"""`flask demo load`: the demo data, for local use only."""

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from ..extensions import db
from .services import database_is_empty, load_demo

demo_cli = AppGroup("demo", help="Demo data for local use.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only when the database has no accounts yet.")
def load_command(if_empty):
    """Load the demo producers, buyers and staff (safe to run again)."""
    if if_empty and not database_is_empty():
        click.echo("Database has accounts; demo data not loaded.")
        return
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):  # messages of a refused rule, if any
        created = load_demo()
    db.session.commit()
    click.echo("Demo data: " + ", ".join(f"{count} {kind} created" for kind, count in created.items()))
