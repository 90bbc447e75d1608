"""Staff console forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import ValidationError

from ..core.forms import JalaliDateField
from ..core.messages import lazy_gettext as _l
from ..core.money import parse_toman, toman_to_rial
from ..core.persian import normalize_text

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


class ImpactFilterForm(FlaskForm):
    """The impact dashboard's period and filters, read from the query string (`?from=1404/01/01&to=…`).
    A GET form that changes nothing: no CSRF token. The route fills the choices."""

    class Meta:
        csrf = False

    first = JalaliDateField(_l("From day"), name="from", filters=[_text])
    last = JalaliDateField(_l("To day"), name="to", filters=[_text])
    category = SelectField(_l("Category"), choices=[], validate_choice=False)
    neighbourhood = SelectField(_l("Neighbourhood"), choices=[], validate_choice=False)

    def validate_category(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a category from the list."))

    def validate_neighbourhood(self, field):
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose a neighbourhood from the list."))
