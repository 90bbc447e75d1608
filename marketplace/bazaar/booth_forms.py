"""Forms of the booth layout, placement, check-in and recorded sales. Numbers are typed as text (any
digits); the services say what is wrong with them, next to the field."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; the stubs predate it

from ..core.messages import lazy_gettext as _l
from ..core.money import parse_toman, toman_to_rial
from ..core.persian import is_digits, normalize_text, to_latin_digits
from .booths import BOOTH_SIZE_LABELS


def _text(value):
    return normalize_text(value)


def whole_number(text: str | None) -> int | None:
    """A whole number typed in any digits («۱۲», " 12 "), or None."""
    cleaned = to_latin_digits(text or "").strip()
    return int(cleaned) if cleaned and len(cleaned) <= 9 and is_digits(cleaned) else None


def rial_from_toman(text: str | None) -> int | None:
    """A toman amount typed in any digits and separators, as rial; None if not a whole number."""
    toman = parse_toman(text or "")
    return None if toman is None else toman_to_rial(toman)


class ActionForm(FlaskForm):
    """A button without fields (assign, remove, take out): only the CSRF token."""


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
