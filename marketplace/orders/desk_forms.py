"""Forms of the producer's order desk: the actions on one order and her delivery settings."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import ValidationError

from ..core.forms import JalaliDateField
from ..core.messages import lazy_gettext as _l
from ..core.money import parse_toman, toman_to_rial
from ..core.persian import normalize_text

# A delivery fee above this is a typo (a few zeros too many), not a price.
MAX_FEE_TOMAN = 10_000_000


def _text(value):
    return normalize_text(value)


class ActionForm(FlaskForm):
    """An action without fields (delivered, money received): only the CSRF token."""


class AcceptForm(FlaskForm):
    """Accept the order and say when it will be sent."""

    expected_ship_date = JalaliDateField(_l("I will send it by (year/month/day)"), filters=[_text])


class ShipForm(FlaskForm):
    """The order is sent: with whom, and the tracking code (required for post: the service says so)."""

    carrier = StringField(_l("Sent with (post, courier…)"), filters=[_text])
    tracking_code = StringField(_l("Tracking code"), filters=[_text])


class CancelForm(FlaskForm):
    """Cancel the order; the reason is sent to the buyer."""

    reason = TextAreaField(_l("Why is it cancelled? The buyer will read this."), filters=[_text])


class DeliverySettingsForm(FlaskForm):
    """How the shop delivers and is paid. A fee is typed in toman; a method left unticked is off."""

    post = BooleanField(_l("I send by post"))
    post_fee = StringField(_l("Post fee (toman)"), filters=[_text])
    courier = BooleanField(_l("I send by courier inside Mashhad"))
    courier_fee = StringField(_l("Courier fee (toman)"), filters=[_text])
    pickup_centre = BooleanField(_l("Buyers may pick up at the Rooyesh centre"))
    allow_cod = BooleanField(_l("Buyers may pay cash on delivery"))

    def _fee(self, switch: BooleanField, field: StringField) -> None:
        if not switch.data:
            return
        toman = parse_toman(field.data or "")
        if toman is None:
            raise ValidationError(_l("Write the fee in toman with digits only, like 70000 (0 for free)."))
        if toman > MAX_FEE_TOMAN:
            raise ValidationError(_l("This fee is too high. Please check the number of zeros."))

    def validate_post_fee(self, field: StringField) -> None:
        """A whole number of toman when post is on."""
        self._fee(self.post, field)

    def validate_courier_fee(self, field: StringField) -> None:
        """A whole number of toman when the courier is on."""
        self._fee(self.courier, field)

    def fee_rial(self, switch: BooleanField, field: StringField) -> int | None:
        """The fee in rial as stored, or None when the method is off (call after validation)."""
        if not switch.data:
            return None
        return toman_to_rial(parse_toman(field.data or "") or 0)

    def settings_data(self) -> dict:
        """The form's values as `orders.checkout.save_delivery_settings` takes them."""
        return {
            "post_fee_rial": self.fee_rial(self.post, self.post_fee),
            "courier_fee_rial": self.fee_rial(self.courier, self.courier_fee),
            "pickup_centre": bool(self.pickup_centre.data),
            "allow_cod": bool(self.allow_cod.data),
        }
