"""Shop forms: one per wizard step, the settings page and staff decisions."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..branding.contrast import parse_hex
from ..core.forms import JalaliDateField, WholeNumber
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, whole_number_or_text
from .models import SOCIAL_PLATFORMS


def _text(value):
    return normalize_text(value)


def _multiline(value):
    return normalize_text(value, multiline=True)


class NameStepForm(FlaskForm):
    craft = StringField(_l("What do you make?"), validators=[Length(max=60)], filters=[_text])
    neighbourhood = StringField(_l("Your neighbourhood"), validators=[Length(max=60)], filters=[_text])
    name = StringField(_l("Shop name"), filters=[_text])  # rules in services.name_problem
    action = HiddenField()


class StoryStepForm(FlaskForm):
    what = StringField(_l("What do you make?"), validators=[Length(max=200)], filters=[_text])
    since = StringField(_l("Since when?"), validators=[Length(max=200)], filters=[_text])
    teacher = StringField(_l("Who taught you?"), validators=[Length(max=200)], filters=[_text])
    special = StringField(_l("What makes yours special?"), validators=[Length(max=200)], filters=[_text])
    tagline = StringField(_l("Tagline (one short line)"), filters=[_text])
    story = TextAreaField(_l("Your story"), filters=[_multiline])


class HexField(StringField):
    """A colour typed as #rrggbb (or picked with the colour input)."""

    def pre_validate(self, form):
        if parse_hex(self.data) is None:
            raise ValidationError(_l("This is not a colour. Use the picker or write it like #1f6f5c."))


class ColoursStepForm(FlaskForm):
    choice = RadioField(_l("Colours"), choices=[], validate_choice=False)
    primary = HexField(_l("Main colour"))
    accent = HexField(_l("Second colour"))
    background = HexField(_l("Background"))
    text = HexField(_l("Text"))
    photo = FileField(_l("A photo of your work (we take its colours)"))
    action = HiddenField()


class LogoStepForm(FlaskForm):
    candidate = HiddenField()
    logo_file = FileField(_l("Or upload your own logo"))
    action = HiddenField()


class KitStepForm(FlaskForm):
    photo = FileField(_l("A photo of one product for the post and story templates"))
    price = StringField(_l("Price shown on the post (toman, optional)"), filters=[_text])


class SocialStepForm(FlaskForm):
    instagram = StringField(_l("Instagram"))
    telegram = StringField(_l("Telegram"))
    eitaa = StringField(_l("Eitaa"))
    rubika = StringField(_l("Rubika"))
    bale = StringField(_l("Bale"))
    whatsapp = StringField(_l("WhatsApp number"))
    action = HiddenField()

    def handles(self) -> dict[str, str]:
        return {platform: self[platform].data or "" for platform in SOCIAL_PLATFORMS}


class SettingsForm(FlaskForm):
    contact_phone = StringField(_l("Contact number"), filters=[_text])
    show_phone = BooleanField(_l("Show this number on my shop page"))
    city = StringField(_l("City"), validators=[Length(max=40)], filters=[_text])
    weekly_capacity = StringField(
        _l("How many made-to-order pieces can you make in a week?"),
        validators=[Optional(), WholeNumber()],
        filters=[whole_number_or_text],
    )
    away = BooleanField(_l("I am away (holiday): pause made-to-order work"))
    away_until = JalaliDateField(_l("Back on (Jalali date, like 1404/12/20)"), filters=[_text])
    banner = FileField(_l("Banner photo (wide)"))


class PayoutForm(FlaskForm):
    """Where the centre pays her; the rules (Sheba checksum, lengths) are in shops.payout."""

    holder_name = StringField(_l("Account holder's name"), filters=[_text])
    sheba = StringField(_l("Sheba number"), filters=[_text])


class DecisionForm(FlaskForm):
    action = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason (the producer sees it)"), validators=[Length(max=1000)], filters=[_multiline])
