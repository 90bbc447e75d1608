"""Order forms: add to cart, change a line, checkout (address, delivery per shop, payment)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; the stubs predate it

from ..core.forms import WholeNumber
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, whole_number_or_text
from .checkout import PROVINCES, AddressData


def _text(value):
    return normalize_text(value)


class AddToCartForm(FlaskForm):
    """The product page's "add to cart" button. Only ids and a quantity: prices are never posted."""

    product_id = HiddenField(filters=[whole_number_or_text], validators=[WholeNumber(1)])
    variant_id = SelectField(_l("Option"), coerce=str, validate_choice=False)
    quantity = StringField(
        _l("Quantity"), default="1", filters=[whole_number_or_text], validators=[WholeNumber(0, 999)]
    )


class CartLineForm(FlaskForm):
    """Change one cart line's quantity (0 removes it)."""

    item_id = HiddenField(filters=[whole_number_or_text], validators=[WholeNumber(1)])
    quantity = StringField(_l("Quantity"), filters=[whole_number_or_text], validators=[WholeNumber(0, 999)])


class CheckoutForm(FlaskForm):
    """Where to send, how to pay. The delivery method of each shop is a radio group named
    `delivery_<shop id>`, read by the route (one group per shop in the cart)."""

    address_id = RadioField(_l("Send to"), coerce=str, validate_choice=False)
    receiver_name = StringField(_l("Receiver's name"), filters=[_text])
    receiver_phone = StringField(_l("Receiver's mobile"), filters=[_text])
    province = SelectField(
        _l("Province"), choices=[SelectChoice("", "—"), *[SelectChoice(p) for p in PROVINCES]], validate_choice=False
    )
    city = StringField(_l("City"), default="مشهد", filters=[_text])
    line = TextAreaField(_l("Address"), filters=[_text])
    postal_code = StringField(_l("Postal code (10 digits)"), filters=[_text])
    payment_method = RadioField(_l("Payment"), coerce=str, validate_choice=False)
    note = TextAreaField(_l("A note for the producers (optional)"), filters=[_text])

    def new_address(self) -> AddressData:
        """The typed address, for the address book."""
        return AddressData(
            receiver_name=self.receiver_name.data or "",
            receiver_phone=self.receiver_phone.data or "",
            province=self.province.data or "",
            city=self.city.data or "",
            line=self.line.data or "",
            postal_code=self.postal_code.data or "",
        )


class ActionForm(FlaskForm):
    """A button that only needs CSRF."""
