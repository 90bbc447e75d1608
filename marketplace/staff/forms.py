"""Staff console forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField

from ..core.messages import lazy_gettext as _l


class UserActiveForm(FlaskForm):
    active = HiddenField()


class UserRolesForm(FlaskForm):
    producer = BooleanField(_l("Producer"))
    staff = BooleanField(_l("Centre staff"))
    admin = BooleanField(_l("Administrator"))


class ImportForm(FlaskForm):
    csv_file = FileField(_l("Product file (CSV, UTF-8)"), validators=[FileRequired(_l("Choose the CSV file."))])
    photos = FileField(_l("Photos (optional): a ZIP of the photos named in the file"))
    publish = BooleanField(_l("Publish the products; checklist items still missing are waived in your name"))
    dry_run = BooleanField(_l("Only check the file and show what would change; write nothing"))


class OutboxRetryForm(FlaskForm):
    """No fields: the CSRF token of the "send again" button."""
