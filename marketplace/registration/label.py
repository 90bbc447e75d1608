"""The product label (LB-1): its fields filled from the product, the shop and the verified health
licence, with what is missing flagged; the printable page renders it."""

from dataclasses import dataclass

from sqlalchemy import select

from ..catalog.models import Product
from ..core.messages import lazy_gettext as _l
from ..core.persian import to_persian_digits
from ..core.phone import display_phone
from ..extensions import db
from ..shops.models import Shop
from .checklist import record_state, requirement, today
from .models import RegistrationRecord


@dataclass(frozen=True)
class LabelField:
    """One line of the printed label: `label` in the reader's language for the screen, `label_fa`
    as printed (the label itself is always Persian), the value, and whether it is left blank on
    purpose to be written by hand on each batch."""

    key: str
    label: object
    label_fa: str
    value: str
    by_hand: bool = False

    @property
    def missing(self) -> bool:
        return not self.value and not self.by_hand


@dataclass(frozen=True)
class FoodLabel:
    fields: tuple[LabelField, ...]

    @property
    def missing(self) -> list[LabelField]:
        """The fields her product data does not fill yet."""
        return [f for f in self.fields if f.missing]

    def __getitem__(self, key: str) -> LabelField:
        return next(f for f in self.fields if f.key == key)


def _licence_numbers(product: Product) -> str:
    on = today()
    records = db.session.scalars(
        select(RegistrationRecord)
        .where(
            RegistrationRecord.product_id == product.id,
            RegistrationRecord.item_code.in_(("FD-1", "FD-2")),
            RegistrationRecord.status == "verified",
        )
        .order_by(RegistrationRecord.item_code)
    )
    return "، ".join(r.number for r in records if r.number and record_state(r, on) != "expired")


def food_label(product: Product, shop: Shop | None = None) -> FoodLabel:
    """The fields of the product label (LB-1) from her product and checklist: name and type, brand
    (the shop's name), net weight, ingredients, producer, address, phone, the verified health-licence
    number, «ساخت ایران»; batch number, dates and storage are left to write by hand."""
    shop = shop or product.shop
    weight = f"{to_persian_digits(product.weight_g)} گرم" if product.weight_g else ""
    address = "، ".join(part for part in (shop.neighbourhood, shop.city) if part) if shop.neighbourhood else ""
    phone = to_persian_digits(display_phone(shop.contact_phone)) if shop.contact_phone else ""
    values = [
        ("name", _l("Product name"), "نام فراورده", product.title, False),
        ("type", _l("Product type"), "نوع فراورده", product.category.name("fa"), False),
        ("brand", _l("Brand"), "نام تجاری", shop.name, False),
        ("weight", _l("Net weight"), "وزن خالص", weight, False),
        ("ingredients", _l("Ingredients"), "مواد تشکیل‌دهنده", product.materials, False),
        ("producer", _l("Producer"), "تولیدکننده", shop.owner.display_name, False),
        ("address", _l("Address (neighbourhood and city)"), "نشانی", address, False),
        ("phone", _l("Phone"), "تلفن", phone, False),
        ("licence", _l("Health licence number"), "شمارهٔ مجوز بهداشتی", _licence_numbers(product), False),
        ("batch", _l("Batch number"), "سری ساخت", "", True),
        ("produced", _l("Production date"), "تاریخ تولید", "", True),
        ("expires", _l("Expiry date"), "تاریخ انقضا", "", True),
        ("storage", _l("Storage conditions"), "شرایط نگهداری", "", True),
        ("origin", _l("Made in Iran"), "ساخت ایران", "ساخت ایران", False),
    ]
    return FoodLabel(tuple(LabelField(key, label, fa, value or "", hand) for key, label, fa, value, hand in values))


def label_applies(product: Product) -> bool:
    """True when the product's kind needs the label (food and cosmetics)."""
    item = requirement("LB-1")
    return item is not None and item.applies_to([product.kind])
