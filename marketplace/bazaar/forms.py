"""The bazaar's forms: the fair (staff), the application (producer), the jury's score and decision,
the booth layout and placement, check-in and recorded sales, and the button-only forms. Numbers are
typed as text in any digits; the services say what is wrong with them, next to the field."""

from typing import cast

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.dates import TEHRAN, as_utc, jalali_input_value
from ..core.errors import RuleError
from ..core.forms import JalaliDateField, WholeNumber
from ..core.messages import lazy_gettext as _l
from ..core.money import parse_toman, toman_to_rial
from ..core.numbers import clean_digits
from ..core.persian import is_digits, normalize_text, to_latin_digits, whole_number_or_text
from . import applications, planning, services
from .booths import BOOTH_SIZE_LABELS
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


class ActionForm(FlaskForm):
    """A button without fields (withdraw, confirm an offer, assign booths, take out): the CSRF token."""


# ---------------------------------------------------------------- the producer's application


class ApplicationForm(FlaskForm):
    """The application: products to bring (a discount field per product is added per request as
    `discount_<product id>`), needs and a note."""

    products = SelectMultipleField(
        _l("Products you bring"),
        coerce=int,
        validate_choice=False,  # the service says which chosen product is not allowed, and why
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    needs_power = BooleanField(_l("I need electricity (a socket)"))
    needs_table = BooleanField(_l("I need a table"))
    two_people = BooleanField(_l("Two of us will be at the booth"))
    note = TextAreaField(_l("A note for the centre (optional)"))

    def discount(self, product_id: int):
        """The discount field of one product."""
        return self[f"discount_{product_id}"]

    def data_for_service(self, product_ids: list[int]) -> applications.ApplicationData:
        return applications.ApplicationData(
            product_ids=list(self.products.data or []),
            discounts={pid: cast(int | None, self.discount(pid).data) for pid in product_ids},
            needs_power=self.needs_power.data,
            needs_table=self.needs_table.data,
            two_people=self.two_people.data,
            note=self.note.data or "",
        )


class DiscountForm(FlaskForm):
    """After the deadline: only her fair discounts (fields added per request)."""

    def discount(self, product_id: int):
        return self[f"discount_{product_id}"]


# ---------------------------------------------------------------- the jury


class ScoreForm(FlaskForm):
    """The rubric's radio buttons and comments are read from `score-<key>` / `comment-<key>`
    (the rubric is the fair's own); the form itself carries the CSRF token."""


class DecideForm(FlaskForm):
    """A message for the applicant; the decision is the button pressed (`decision`: accept,
    waitlist or reject), checked by jury.decide."""

    message = TextAreaField(
        _l("Message to the producer (she reads it when the results are published)"), filters=[normalize_text]
    )


# ---------------------------------------------------------------- booths, check-in and sales


def whole_number(text: str | None) -> int | None:
    """A whole number typed in any digits («۱۲», " 12 "), or None."""
    cleaned = to_latin_digits(text or "").strip()
    return int(cleaned) if cleaned and len(cleaned) <= 9 and is_digits(cleaned) else None


def rial_from_toman(text: str | None) -> int | None:
    """A toman amount typed in any digits and separators, as rial; None if not a whole number."""
    toman = parse_toman(text or "")
    return None if toman is None else toman_to_rial(toman)


class ZoneForm(FlaskForm):
    """A new zone: its name and grid, and the letters its booth codes start with."""

    name = StringField(_l("Zone name"), filters=[_text])
    rows = StringField(_l("Rows"), default="2")
    cols = StringField(_l("Booths in each row"), default="5")
    prefix = StringField(_l("Code starts with"), default="A")
    entrance_first_row = BooleanField(_l("The first row is near the entrance"), default=True)


class BoothForm(FlaskForm):
    """What one booth offers (made with prefix=f"b{booth.id}" so each booth's fields have their own ids)."""

    size = SelectField(
        _l("Size"), choices=[SelectChoice(str(size), label) for size, label in BOOTH_SIZE_LABELS.items()]
    )
    has_power = BooleanField(_l("Power"))
    is_corner = BooleanField(_l("Corner"))
    near_entrance = BooleanField(_l("Near the entrance"))


class PlaceForm(FlaskForm):
    """Put a producer in a booth by hand (choices filled by the view)."""

    application = SelectField(_l("Producer"), coerce=int, validate_choice=False)
    booth = SelectField(_l("Booth"), coerce=int, validate_choice=False)


class CheckinForm(FlaskForm):
    """The pass code, typed or scanned."""

    code = StringField(_l("Pass code"))


class SaleForm(FlaskForm):
    """A sale at the booth: the amount in toman and how many items."""

    amount = StringField(_l("Amount (toman)"))
    item_count = StringField(_l("Number of items"), default="1")
    note = StringField(_l("Note (optional)"), filters=[_text])

    def sale_data(self) -> tuple[int | None, int | None, str]:
        """The amount in rial, the number of items and the note, as `fairday.record_sale` takes them."""
        return rial_from_toman(self.amount.data), whole_number(self.item_count.data), self.note.data or ""


class StaffSaleForm(SaleForm):
    """A sale recorded by staff for one of the fair's producers."""

    application = SelectField(_l("Producer"), coerce=int, validate_choice=False)
