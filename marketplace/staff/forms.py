"""Staff console forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; the stubs predate it
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.forms import JalaliDateField
from ..core.messages import lazy_gettext as _l
from ..core.money import RIAL_PER_TOMAN, parse_toman, toman_to_rial
from ..core.persian import normalize_text, to_latin_digits
from ..core.settings import CARD_CURRENCIES
from ..registration.routes import KIND_LABELS

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


# ---------------------------------------------------------------- people and settings


def _reason_field():
    """The optional «why» every settings form carries; the audit log records it with the change."""
    return StringField(_l("Reason for the change (optional)"), filters=[_text], validators=[Length(max=300)])


class ReasonForm(FlaskForm):
    """A button with an optional reason: send a reset code, reset a requirement item."""

    reason = _reason_field()


class PlatformSettingsForm(FlaskForm):
    """Commission, card currency and default delivery fees (fees typed in toman; blank turns the
    method off). Only the format is checked here; the limits are core.settings' rules."""

    commission_percent = StringField(_l("Centre's commission (percent of the items)"), filters=[_text])
    card_currency = SelectField(
        _l("Currency card payments are charged in"),
        choices=[SelectChoice(code, code.upper()) for code in CARD_CURRENCIES],
    )
    post_fee = StringField(_l("Default post fee (toman)"), filters=[_text])
    courier_fee = StringField(_l("Default courier fee (toman)"), filters=[_text])
    reason = _reason_field()

    def validate_commission_percent(self, field: StringField) -> None:
        if not to_latin_digits(field.data or "").isdigit():
            raise ValidationError(_l("Write a whole number from 0 to 50, like 10."))

    def _fee(self, field: StringField) -> None:
        if (field.data or "").strip() and parse_toman(field.data or "") is None:
            raise ValidationError(_l("Write the fee in toman with digits only, like 70000, or leave it empty."))

    validate_post_fee = validate_courier_fee = _fee

    @classmethod
    def from_settings(cls, settings: dict) -> "PlatformSettingsForm":
        """The form filled in from the settings in force (fees shown in toman)."""
        return cls(
            data={
                "commission_percent": str(settings["PLATFORM_COMMISSION_PERCENT"]),
                "card_currency": settings["STRIPE_CURRENCY"].lower(),
                "post_fee": _fee_text(settings["DEFAULT_POST_FEE_RIAL"]),
                "courier_fee": _fee_text(settings["DEFAULT_COURIER_FEE_RIAL"]),
            }
        )

    def values(self) -> dict:
        """The settings typed, by config key (call after validation)."""
        return {
            "PLATFORM_COMMISSION_PERCENT": int(to_latin_digits(self.commission_percent.data or "0")),
            "STRIPE_CURRENCY": self.card_currency.data,
            "DEFAULT_POST_FEE_RIAL": _fee_rial(self.post_fee.data),
            "DEFAULT_COURIER_FEE_RIAL": _fee_rial(self.courier_fee.data),
        }


def _fee_text(rial: int | None) -> str:
    """A stored fee as the form shows it: whole toman, empty when the method is off."""
    return "" if rial is None else str(rial // RIAL_PER_TOMAN)


def _fee_rial(text: str | None) -> int | None:
    """A typed fee as stored: rial, None (the method off) when left empty."""
    return toman_to_rial(parse_toman(text or "") or 0) if (text or "").strip() else None


class CategoryNamesForm(FlaskForm):
    name_fa = StringField(_l("Persian name"), filters=[_text])
    name_en = StringField(_l("English name"), filters=[_text])
    reason = _reason_field()


class RequirementItemForm(FlaskForm):
    """One requirement item's editable text: titles, steps (one a line, as many in each language),
    official links (one a line: address | Persian label | English label) and, per product kind,
    how strongly it is asked (blank: it does not apply)."""

    title_fa = StringField(_l("Persian title"), filters=[_text])
    title_en = StringField(_l("English title"), filters=[_text])
    steps_fa = TextAreaField(_l("Steps in Persian, one a line"))
    steps_en = TextAreaField(_l("Steps in English, one a line, as many as in Persian"))
    links = TextAreaField(_l("Official links, one a line: address | Persian label | English label"))
    reason = _reason_field()

    # The mistakes this form can make are told here, in the reader's language; the requirements'
    # validator still checks the merged whole (prerequisites, kinds) when the edit is saved.
    def validate_title_fa(self, field: StringField) -> None:
        if not field.data:
            raise ValidationError(_l("Write the Persian title."))

    def validate_title_en(self, field: StringField) -> None:
        if not field.data:
            raise ValidationError(_l("Write the English title."))

    def validate_steps_fa(self, field: TextAreaField) -> None:
        if not _lines(field.data):
            raise ValidationError(_l("Write at least one step, one a line."))

    def validate_steps_en(self, field: TextAreaField) -> None:
        english, persian = len(_lines(field.data)), len(_lines(self.steps_fa.data))
        if english != persian:
            raise ValidationError(
                _l(
                    "Write as many English steps as Persian ones: %(persian)s in Persian, %(english)s in English.",
                    persian=persian,
                    english=english,
                )
            )

    def validate_links(self, field: TextAreaField) -> None:
        lines = _lines(field.data)
        if not lines:
            raise ValidationError(_l("Give at least one official site."))
        for line in lines:
            if line.count("|") != 2:
                raise ValidationError(
                    _l(
                        "Write each link as: address | Persian label | English label. This line is not: %(line)s",
                        line=line,
                    )
                )
            url = line.split("|", 1)[0].strip()
            if not url.startswith(("https://", "http://")):
                raise ValidationError(_l("%(url)s is not a web address: it starts with https://", url=url))

    @classmethod
    def from_item(cls, item) -> "RequirementItemForm":
        """The form filled in from a loaded item (registration.requirements.Item, edits applied)."""
        data = {
            "title_fa": item.title("fa"),
            "title_en": item.title("en"),
            "steps_fa": "\n".join(item.steps("fa")),
            "steps_en": "\n".join(item.steps("en")),
            "links": "\n".join(f"{link.url} | {link.label['fa']} | {link.label['en']}" for link in item.links),
        } | {f"applies_{kind}": level for kind, level in item.applies.items()}
        return cls(data=data)

    def fields_for_edit(self, kinds) -> dict:
        """The edit as registration.edits stores it (call after validation)."""
        links = []
        for line in _lines(self.links.data):
            url, label_fa, label_en = (normalize_text(part) for part in line.split("|"))
            links.append({"url": url, "label": {"fa": label_fa, "en": label_en}})
        return {
            "title": {"fa": self.title_fa.data, "en": self.title_en.data},
            "steps": {"fa": _lines(self.steps_fa.data), "en": _lines(self.steps_en.data)},
            "links": links,
            "applies": {kind: self[f"applies_{kind}"].data for kind in kinds if self[f"applies_{kind}"].data},
        }


def _lines(text: str | None) -> list[str]:
    """The non-empty lines of a text box, each normalised."""
    return [line for line in (normalize_text(raw) for raw in (text or "").splitlines()) if line]


# How strongly an item is asked for a kind; blank: it does not apply to that kind.
APPLIES_CHOICES = [
    SelectChoice("", _l("Does not apply")),
    SelectChoice("mandatory", _l("Mandatory: blocks publishing")),
    SelectChoice("recommended", _l("Recommended")),
    SelectChoice("optional", _l("Optional")),
]
for _kind, _label in KIND_LABELS.items():
    setattr(RequirementItemForm, f"applies_{_kind}", SelectField(_label, choices=APPLIES_CHOICES, default=""))


# ---------------------------------------------------------------- impact dashboard


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
