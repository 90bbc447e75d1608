"""Form fields every domain uses."""

from wtforms import StringField
from wtforms.validators import ValidationError

from .dates import parse_jalali_date
from .messages import lazy_gettext as _l


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
