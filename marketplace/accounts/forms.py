"""Account forms. Fields keep what was typed; messages are Persian by default (lazy gettext).

Password rules live in services.password_problem and come back as AccountError on the field."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..core.phone import PhoneError, normalize_iranian_mobile

PHONE_MESSAGES = {
    "empty": _l("Enter your mobile number."),
    "chars": _l("A mobile number has only digits, like 0912 123 4567."),
    "foreign": _l("Only Iranian mobile numbers (starting with 09 or +98) can be used."),
    "landline": _l("This looks like a landline. Enter a mobile number starting with 09."),
    "length": _l("An Iranian mobile number has 11 digits, like 0912 123 4567."),
}


class PhoneField(StringField):
    """A mobile number typed any way; after validation `e164` holds the stored form (empty before)."""

    e164: str = ""

    def pre_validate(self, form):
        self.e164 = ""
        try:
            self.e164 = normalize_iranian_mobile(self.data)
        except PhoneError as error:
            raise ValidationError(PHONE_MESSAGES[error.reason])


def _display_name_field():
    return StringField(
        _l("Your name"),
        validators=[
            DataRequired(message=_l("Enter your name.")),
            Length(max=80, message=_l("Use at most %(max)d characters.")),
        ],
        filters=[normalize_text],
    )


def _password_field(label):
    return PasswordField(label, validators=[DataRequired(message=_l("Enter a password."))])


class SignupForm(FlaskForm):
    display_name = _display_name_field()
    phone = PhoneField(_l("Mobile number"))
    new_password = _password_field(_l("Password"))
    is_producer = BooleanField(_l("I make things to sell"))
    next = HiddenField()


class LoginForm(FlaskForm):
    phone = PhoneField(_l("Mobile number"))
    password = _password_field(_l("Password"))
    remember = BooleanField(_l("Keep me logged in on this phone"))
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = _password_field(_l("Current password"))
    new_password = _password_field(_l("New password"))


class ProfileForm(FlaskForm):
    display_name = _display_name_field()


class ResetRequestForm(FlaskForm):
    phone = PhoneField(_l("Mobile number"))


def _code_filter(value):
    return to_latin_digits(value or "").strip().replace(" ", "")


class ResetConfirmForm(FlaskForm):
    phone = PhoneField(_l("Mobile number"))
    code = StringField(
        _l("Code from the text message"),
        validators=[DataRequired(message=_l("Enter the 6-digit code."))],
        filters=[_code_filter],
    )
    new_password = _password_field(_l("New password"))

    def validate_code(self, field):
        if not (field.data.isdigit() and len(field.data) == 6):
            raise ValidationError(_l("The code has 6 digits."))


class ActionForm(FlaskForm):
    """A button-only form (log out, become a producer): carries just the CSRF token."""
