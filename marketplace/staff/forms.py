"""Staff console forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import JalaliDateField
from ..core.messages import lazy_gettext as _l
from ..core.money import parse_toman, toman_to_rial
from ..core.persian import normalize_text, to_latin_digits

# One unit of a card currency (a euro) will not cost a billion toman: more is a typo.
MAX_RATE_TOMAN = 100_000_000


def _text(value):
    return normalize_text(value)


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


class SettleForm(FlaskForm):
    """No fields: the CSRF token of a shop's "mark settled" button."""


class ExchangeRateForm(FlaskForm):
    """The card currency's price, typed in toman per unit (stored in rial)."""

    toman_per_unit = StringField(_l("Toman for one unit of the card currency"), filters=[_text])

    def validate_toman_per_unit(self, field: StringField) -> None:
        """A whole, positive number of toman, not absurdly large."""
        toman = parse_toman(field.data or "")
        if toman is None:
            raise ValidationError(_l("Write the price in toman with digits only, like 65000."))
        if toman < 1:
            raise ValidationError(_l("The rate must be more than zero."))
        if toman > MAX_RATE_TOMAN:
            raise ValidationError(_l("This rate is too high. Please check the number of zeros."))

    def rial_per_unit(self) -> int:
        """The rate as stored: rial per unit (call after validation)."""
        return toman_to_rial(parse_toman(self.toman_per_unit.data or "") or 0)


# ---------------------------------------------------------------- assisted mode


class AssistButtonForm(FlaskForm):
    """A button-only form of assisted mode (send the code, end assisting): the CSRF token."""


def _digits_only(value):
    return to_latin_digits(value or "").replace(" ", "").strip()


class ConsentCodeForm(FlaskForm):
    code = StringField(
        _l("The code she reads out"),
        validators=[DataRequired(message=_l("Enter the 6-digit code."))],
        filters=[_digits_only],
    )

    def validate_code(self, field):
        if not (field.data.isdigit() and len(field.data) == 6):
            raise ValidationError(_l("The code has 6 digits."))


class PaperConsentForm(FlaskForm):
    reference = StringField(
        _l("Consent form number"),
        validators=[DataRequired(message=_l("Write the consent form's number or reference.")), Length(max=120)],
        filters=[_text],
    )
    # named `reason`: the audit log keeps it as the reason of this action
    reason = TextAreaField(
        _l("Note: what she asked for help with"),
        validators=[DataRequired(message=_l("Write a note: what she asked for help with.")), Length(max=500)],
        filters=[_text],
    )


# ---------------------------------------------------------------- audit log


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    actor = SelectField(_l("Staff member"), coerce=str, validate_choice=False)
    action = SelectField(_l("Action"), coerce=str, validate_choice=False)
    object_type = SelectField(_l("Object"), coerce=str, validate_choice=False)
    object_id = StringField(_l("Object number"), filters=[_digits_only])
    assisted = BooleanField(_l("Only while assisting a producer"))
    since = JalaliDateField(_l("From (date)"))
    until = JalaliDateField(_l("To (date)"))

    def validate_object_id(self, field):
        if field.data and not (field.data.isdigit() and len(field.data) <= 9):
            raise ValidationError(_l("Enter a whole number."))
