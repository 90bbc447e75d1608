"""`flask staff import FILE.csv`: centre staff register many producers' products at once."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.models import User, UserRole
from ..core.images import upload_dir, upload_limits
from ..core.phone import PhoneError, normalize_iranian_mobile
from ..extensions import db
from . import importer

staff_cli = AppGroup("staff", help="Tools for centre staff.")


def _staff_user(phone: str | None) -> User:
    """The staff member the import is recorded under: --staff, else the first staff account."""
    if phone:
        try:
            user = accounts.find_user_by_phone(normalize_iranian_mobile(phone))
        except PhoneError as error:
            raise click.BadParameter(f"not an Iranian mobile number ({error.reason})") from error
        if user is None or not user.has_role("staff"):
            raise click.ClickException("No staff account has this phone number.")
        return user
    user = db.session.scalar(
        select(User)
        .join(UserRole)
        .where(UserRole.role.in_(("staff", "admin")), User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    if user is None:
        raise click.ClickException("No staff account exists: create one with `flask users create --role staff`.")
    return user


def _report_errors(failed: importer.ImportFailed) -> None:
    for error in failed.errors:
        if error.row:
            line = _(
                "Row %(row)s, column %(column)s: %(message)s",
                row=error.row,
                column=error.column or "—",
                message=error.message,
            )
        else:
            line = str(error.message)
        click.echo(line, err=True)
    raise click.ClickException(_("Nothing was imported: fix the file and try again."))


@staff_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--images",
    "images_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder holding the photos named in the images column.",
)
@click.option("--publish", is_flag=True, help="Publish the products (missing checklist items are waived).")
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change; write nothing.")
@click.option("--staff", "staff_phone", help="Phone of the staff member recorded as importing (default: first staff).")
def import_command(csv_file: Path, images_dir: Path | None, publish: bool, dry_run: bool, staff_phone: str | None):
    """Import products from a UTF-8 CSV file; nothing is written unless every row is right."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        staff = _staff_user(staff_phone)
        images = importer.FolderImages(images_dir) if images_dir else None
        limits = upload_limits(current_app.config)
        try:
            rows = importer.read_csv(csv_file.read_bytes())
            with click.progressbar(length=len(rows), label=_("Checking")) as bar:
                plan = importer.plan_import(
                    rows, images, limits, publish=publish, actor=staff, on_row=lambda: bar.update(1)
                )
            if dry_run:
                summary = plan.summary()
            else:
                with click.progressbar(length=len(plan.rows), label=_("Importing")) as bar:
                    summary = importer.apply_plan(
                        plan, images, staff, upload_dir(current_app), limits, on_row=lambda: bar.update(1)
                    )
        except importer.ImportFailed as failed:
            db.session.rollback()
            _report_errors(failed)
        if dry_run:
            db.session.rollback()
            click.echo(_("Checked; nothing was written. The import would do this:"))
        else:
            db.session.commit()
            click.echo(_("Imported."))
        for label, count in summary.lines():
            click.echo(f"{label}: {count}")
