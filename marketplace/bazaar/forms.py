"""Staff forms for fairs: the fair itself, and the buttons that move it or clone it."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3
from wtforms.validators import ValidationError

from ..core.dates import TEHRAN, as_utc, jalali_input_value
from ..core.errors import RuleError
from ..core.forms import JalaliDateField, WholeNumber
from ..core.messages import lazy_gettext as _l
from ..core.money import parse_toman, toman_to_rial
from ..core.numbers import clean_digits
from ..core.persian import normalize_text, to_latin_digits, whole_number_or_text
from . import planning, services
from .models import FeeMode

MAX_FEE_TOMAN = 100_000_000


def _text(value):
    return normalize_text(value)


def _whole(value, empty: int) -> int:
    """A number field's value after WholeNumber passed (an int), or `empty` when left blank."""
    return value if isinstance(value, int) else empty


class FairForm(FlaskForm):
    """A fair as staff type it: dates in the Jalali calendar, times in Tehran, the fee in toman.
    Category quotas are read from `quota-<category id>` fields (the template lists top categories)."""

    title = StringField(_l("Title"), filters=[_text])
    description = TextAreaField(_l("Description for producers and the public"), filters=[_text])
    venue_name = StringField(_l("Venue"), filters=[_text])
    venue_address = StringField(_l("Address"), filters=[_text])
    map_url = StringField(_l("Map link (https://…)"), filters=[lambda v: (v or "").strip()])
    start_date = JalaliDateField(_l("First day (year/month/day)"), filters=[_text])
    start_time = StringField(_l("Opens at (Tehran time, like 10:00)"), default="10:00", filters=[_text])
    end_date = JalaliDateField(_l("Last day (year/month/day)"), filters=[_text])
    end_time = StringField(_l("Closes at (like 18:00)"), default="18:00", filters=[_text])
    applications_open_date = JalaliDateField(_l("Applications open on"), filters=[_text])
    applications_close_date = JalaliDateField(_l("Application deadline (end of that day)"), filters=[_text])
    fee_mode = RadioField(
        _l("Booth fee"),
        choices=[
            SelectChoice(FeeMode.FIXED, _l("A fixed fee (0 for free)")),
            SelectChoice(FeeMode.FROM_SALES, _l("A share of recorded sales")),
        ],
        default=FeeMode.FIXED,
    )
    booth_fee = StringField(_l("Fixed fee (toman)"), default="0", filters=[_text])
    fee_percent = StringField(
        _l("Share of sales (percent)"), default="0", filters=[whole_number_or_text], validators=[WholeNumber(0, 1000)]
    )
    selection_criteria = TextAreaField(_l("How the jury chooses"), filters=[_text])
    places = StringField(
        _l("Places (booths) for producers"),
        default="30",
        filters=[whole_number_or_text],
        validators=[WholeNumber(0, 1000)],
    )
    first_timer_percent = StringField(
        _l("Places kept for first-time participants (percent)"),
        default="30",
        filters=[whole_number_or_text],
        validators=[WholeNumber(0, 1000)],
    )
    min_products = StringField(
        _l("Fewest products per producer"),
        default="3",
        filters=[whole_number_or_text],
        validators=[WholeNumber(0, 1000)],
    )
    max_products = StringField(
        _l("Most products per producer"),
        default="12",
        filters=[whole_number_or_text],
        validators=[WholeNumber(0, 1000)],
    )
    food_requires_verified = BooleanField(_l("Food producers need their food licences verified to apply"), default=True)
    blind_review = BooleanField(_l("Blind review: jurors do not see producers' names"))
    show_feedback = BooleanField(_l("Show every applicant her scores and the jury's comments"), default=True)

    def validate_booth_fee(self, field):
        if self.fee_mode.data == FeeMode.FIXED:
            toman = parse_toman(field.data or "0")
            if toman is None or toman > MAX_FEE_TOMAN:
                raise ValidationError(_l("Write the fee in toman with digits only, like 50000 (0 for free)."))

    def quota_values(self, formdata, categories) -> dict[int, int]:
        """The typed quota per top category (empty boxes: no quota); RuleError on a bad number."""
        quotas = {}
        for category in categories:
            raw = to_latin_digits(clean_digits((formdata.get(f"quota-{category.id}") or "").strip()))
            if not raw:
                continue
            if not raw.isdigit() or int(raw) > 100:
                raise RuleError("quotas", _l("Each category quota is a share between 0 and 100 percent."))
            quotas[category.id] = int(raw)
        return quotas

    def fair_data(self, quotas: dict[int, int]) -> planning.FairData:
        """The typed fair for the services (times combined with dates in Tehran)."""

        def moment(date_field, clock, field_name):
            if date_field.date is None:
                return None
            try:
                return services.tehran_moment(date_field.date, clock)
            except RuleError:
                raise RuleError(field_name, _l("Write the time like 17:30.")) from None

        close = self.applications_close_date.date
        return planning.FairData(
            title=self.title.data or "",
            description=self.description.data or "",
            venue_name=self.venue_name.data or "",
            venue_address=self.venue_address.data or "",
            map_url=self.map_url.data or "",
            starts_at=moment(self.start_date, self.start_time.data, "start_time"),
            ends_at=moment(self.end_date, self.end_time.data, "end_time"),
            applications_open_at=moment(self.applications_open_date, "00:00", "applications_open_date"),
            applications_close_at=services.tehran_moment(close, "23:59") if close else None,
            fee_mode=self.fee_mode.data or FeeMode.FIXED,
            booth_fee_rial=toman_to_rial(parse_toman(self.booth_fee.data or "0") or 0)
            if self.fee_mode.data == FeeMode.FIXED
            else 0,
            fee_percent=_whole(self.fee_percent.data, 0),
            selection_criteria=self.selection_criteria.data or "",
            places=_whole(self.places.data, 0),
            first_timer_percent=_whole(self.first_timer_percent.data, -1),
            min_products=_whole(self.min_products.data, 0),
            max_products=_whole(self.max_products.data, 0),
            food_requires_verified=bool(self.food_requires_verified.data),
            blind_review=bool(self.blind_review.data),
            show_feedback=bool(self.show_feedback.data),
            quotas=quotas,
        )

    @classmethod
    def for_fair(cls, data: planning.FairData) -> "FairForm":
        """The form filled with a fair's values (to edit it, or as the start of a clone)."""

        def day(value):
            return jalali_input_value(as_utc(value).astimezone(TEHRAN).date()) if value else ""

        def clock(value):
            return as_utc(value).astimezone(TEHRAN).strftime("%H:%M") if value else ""

        return cls(
            data={
                "title": data.title,
                "description": data.description,
                "venue_name": data.venue_name,
                "venue_address": data.venue_address,
                "map_url": data.map_url,
                "start_date": day(data.starts_at),
                "start_time": clock(data.starts_at),
                "end_date": day(data.ends_at),
                "end_time": clock(data.ends_at),
                "applications_open_date": day(data.applications_open_at),
                "applications_close_date": day(data.applications_close_at),
                "fee_mode": data.fee_mode,
                "booth_fee": str(data.booth_fee_rial // 10),
                "fee_percent": data.fee_percent,
                "selection_criteria": data.selection_criteria,
                "places": data.places,
                "first_timer_percent": data.first_timer_percent,
                "min_products": data.min_products,
                "max_products": data.max_products,
                "food_requires_verified": data.food_requires_verified,
                "blind_review": data.blind_review,
                "show_feedback": data.show_feedback,
            }
        )


class MoveForm(FlaskForm):
    """A fair status move (the action's name) or a clone: only the CSRF token and the action."""

    action = HiddenField()
