"""`flask media variants`: give stored photos and logos the image widths added since they were uploaded."""

import click
from flask import current_app
from flask.cli import AppGroup

from ..core.images import upload_dir
from ..extensions import db
from .media import fill_missing_variants

media_cli = AppGroup("media", help="Stored photos and logos.")


@media_cli.command("variants")
def variants_command() -> None:
    """Draw the missing WebP variants (IMAGE_WIDTHS; logo sizes) of every stored image; safe to run again."""
    counts = fill_missing_variants(upload_dir(current_app), tuple(current_app.config["IMAGE_WIDTHS"]))
    db.session.commit()
    click.echo("Image variants added: " + ", ".join(f"{count} {kind}" for kind, count in counts.items()))
