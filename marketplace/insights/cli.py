"""`flask insights --roll-up [--day YYYY-MM-DD] --prune`: run daily from cron."""

import click

from ..extensions import db
from . import services as insights


@click.command("insights")
@click.option("--roll-up", "roll_up", is_flag=True, help="Fold the search log into daily counts.")
@click.option("--day", help="Only this Tehran day (YYYY-MM-DD); default: each day since the last roll-up.")
@click.option("--prune", is_flag=True, help=f"Delete raw search-log rows older than {insights.RETENTION_DAYS} days.")
def insights_command(roll_up: bool, day: str | None, prune: bool) -> None:
    """Roll the search log up into daily counts, then prune old raw rows (the roll-ups stay)."""
    if not roll_up and not prune:
        raise click.UsageError("Give --roll-up, --prune or both.")
    if day and not roll_up:
        raise click.UsageError("--day goes with --roll-up.")
    if roll_up:
        days = insights.pending_days()
        if day:
            try:
                days = [insights.clean_day(day)]
            except ValueError:
                raise click.BadParameter("use YYYY-MM-DD", param_hint="--day") from None
            if days[0] >= insights.today():
                raise click.BadParameter("roll up days that are over (before today)", param_hint="--day")
        for each in days:
            click.echo(f"{each}: {insights.roll_up(each)} queries")
    if prune:
        click.echo(f"pruned {insights.prune()} search-log rows")
    db.session.commit()
