"""Form fields every domain uses."""

from wtforms import StringField
from wtforms.validators import ValidationError

from .dates import parse_jalali_date
from .messages import lazy_gettext as _l
from .numbers import DB_INT_MAX, clean_digits
from .persian import is_digits


class JalaliDateField(StringField):
    """A date typed in the Jalali calendar (1403/05/20, any digits); `.date` is the Gregorian date or
    None. The field keeps what was typed, so a wrong date comes back for her to fix."""

    date = None

    def pre_validate(self, form):
        self.date = None
        if self.data:
            self.date = parse_jalali_date(self.data)
            if self.date is None:
                raise ValidationError(_l("Write the date like 1403/05/20 (year/month/day)."))


class WholeNumber:
    """Validator for a field filtered by `whole_number_or_text`: empty, or a whole number between
    `low` and `high` (by default what an integer column holds, so nothing huge reaches a query;
    the service checks the field's own range and says it in its words)."""

    def __init__(self, low: int = -DB_INT_MAX, high: int = DB_INT_MAX):
        self.low, self.high = low, high

    def __call__(self, form, field):
        if field.data is None:
            return
        if not isinstance(field.data, int):
            if is_digits(clean_digits(field.data).lstrip("-")):
                raise ValidationError(_l("This number is too big. Please check the number of zeros."))
            raise ValidationError(_l("Enter a whole number."))
        if field.data > self.high:
            raise ValidationError(_l("This number is too big. Please check the number of zeros."))
        if field.data < self.low:
            raise ValidationError(_l("This number is too small."))
