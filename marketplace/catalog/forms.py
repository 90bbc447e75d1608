"""Catalogue forms: the product form with its option rows, photo upload and staff decisions."""

from typing import cast

from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, FieldList, Form, FormField, SelectField, StringField, TextAreaField

from ..core.forms import WholeNumber
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, whole_number_or_text
from .services import ProductData, VariantData

VARIANT_ROWS = 8


def _text(value):
    return normalize_text(value)


def _paragraphs(value):
    return normalize_text(value, multiline=True)


def _title_en_field() -> StringField:
    """The optional English title (the product form and staff moderation ask it the same way)."""
    return StringField(_l("Title in English"), filters=[_text])


def _description_en_field() -> TextAreaField:
    """The optional short English description."""
    return TextAreaField(_l("Short description in English"), filters=[_paragraphs])


def _whole(field: StringField) -> int | None:
    """A number field's value once WholeNumber passed: its filter made it an int, or None when empty."""
    return cast(int | None, field.data)


class VariantRow(Form):
    """One option combination; empty rows are ignored."""

    value1 = StringField(_l("Value"), filters=[_text])
    value2 = StringField(_l("Second value"), filters=[_text])
    stock = StringField(_l("In stock"), filters=[whole_number_or_text], validators=[WholeNumber()])
    price_delta = StringField(
        _l("Price difference (toman)"), filters=[whole_number_or_text], validators=[WholeNumber()]
    )


class ProductForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_text])
    category_id = SelectField(_l("Category"), coerce=int, validate_choice=False)
    price_toman = StringField(_l("Price (toman)"), filters=[_text])
    description = TextAreaField(_l("Description"), filters=[_paragraphs])
    made_to_order = BooleanField(_l("Made to order (I make it after the order)"))
    lead_time_days = StringField(
        _l("Days needed to make and send it"), filters=[whole_number_or_text], validators=[WholeNumber()]
    )
    stock = StringField(_l("How many are ready now?"), filters=[whole_number_or_text], validators=[WholeNumber()])
    weight_g = StringField(_l("Weight (grams)"), filters=[whole_number_or_text], validators=[WholeNumber()])
    length_cm = StringField(_l("Length (cm)"), filters=[whole_number_or_text], validators=[WholeNumber()])
    width_cm = StringField(_l("Width (cm)"), filters=[whole_number_or_text], validators=[WholeNumber()])
    height_cm = StringField(_l("Height (cm)"), filters=[whole_number_or_text], validators=[WholeNumber()])
    materials = StringField(_l("Materials or ingredients"), filters=[_text])
    tags = StringField(_l("Tags (separated by commas)"), filters=[_text])
    option1_name = StringField(_l("First option (like size)"), filters=[_text])
    option2_name = StringField(_l("Second option (like colour)"), filters=[_text])
    # For buyers abroad (optional; the English locale shows them instead of the Persian ones)
    title_en = _title_en_field()
    description_en = _description_en_field()
    variants = FieldList(FormField(VariantRow), min_entries=VARIANT_ROWS, max_entries=VARIANT_ROWS)
    # Only on the new-product form: her first photos, saved with the product (the edit page has its own)
    photos = MultipleFileField(_l("Add photos"))

    def product_data(self) -> ProductData:
        """The form's values for catalog.services."""
        return ProductData(
            title=self.title.data or "",
            description=self.description.data or "",
            category_id=self.category_id.data,
            price_toman=self.price_toman.data or "",
            stock=self.stock.data if isinstance(self.stock.data, int) else 0,
            made_to_order=self.made_to_order.data,
            lead_time_days=_whole(self.lead_time_days),
            weight_g=_whole(self.weight_g),
            length_cm=_whole(self.length_cm),
            width_cm=_whole(self.width_cm),
            height_cm=_whole(self.height_cm),
            materials=self.materials.data or "",
            tags=self.tags.data or "",
            option1_name=self.option1_name.data or "",
            option2_name=self.option2_name.data or "",
            title_en=self.title_en.data or "",
            description_en=self.description_en.data or "",
            variants=[
                VariantData(
                    row.value1.data or "", row.value2.data or "", row.stock.data or 0, row.price_delta.data or 0
                )
                for row in self.variants
            ],
        )


class PhotoForm(FlaskForm):
    photos = MultipleFileField(_l("Add photos"))


class ActionForm(FlaskForm):
    """Button-only forms (archive, duplicate, submit, photo order): just the CSRF token."""


class EnglishForm(FlaskForm):
    """Staff moderation: the product's English title and short description (both optional)."""

    title_en = _title_en_field()
    description_en = _description_en_field()


class ProductDecisionForm(FlaskForm):
    reason = TextAreaField(_l("Reason (the producer sees it)"), filters=[_paragraphs])
