"""Where the centre pays a producer: her account holder's name and Sheba number (the Iranian IBAN,
ISO 13616: «IR», two check digits, 22 more digits). Typed any way people copy it from a bank card
or an SMS (Persian digits, spaces, dashes, without «IR»), checked with the IBAN's mod-97 sum so a
mistyped digit is caught before money goes astray, and stored as «IR» and 24 Latin digits."""

import re

from sqlalchemy import select

from ..accounts.models import User
from ..core.messages import lazy_gettext as _l
from ..core.persian import is_digits, normalize_text, to_latin_digits
from ..extensions import db
from .models import Shop, ShopPayout
from .services import ShopError

SHEBA_DIGITS = 24
HOLDER_MAX = 80
# What people put between the characters of a Sheba number when they copy or type it.
_NOISE = re.compile(r"[\s\-_./\u200c\u200e\u200f\u202a-\u202e]")


class PayoutInvalid(ShopError):
    """Every problem of the payout form at once: `errors` lists (field, message) pairs, each shown
    next to its field; `field` and `message` are the first."""

    def __init__(self, errors: list[tuple[str, object]]):
        super().__init__(*errors[0])
        self.errors = errors


def sheba_checksum_ok(sheba: str) -> bool:
    """The IBAN check (ISO 13616, ISO 7064 mod 97-10): the country code and check digits moved to
    the end, letters made numbers (A=10 … Z=35), the whole number leaves 1 when divided by 97."""
    moved = sheba[4:] + sheba[:4]
    return int("".join(str(int(char, 36)) for char in moved)) % 97 == 1


def normalize_sheba(typed: str | None) -> str:
    """The Sheba number as stored («IR» and 24 digits), or ShopError on the field "sheba" saying
    what is wrong (missing, not digits, wrong length, a mistyped digit)."""
    raw = _NOISE.sub("", to_latin_digits(normalize_text(typed))).upper()
    if not raw:
        raise ShopError("sheba", _l("Enter your Sheba number. It is on your bank card's page in your bank's app."))
    if is_digits(raw) and len(raw) == SHEBA_DIGITS:
        raw = "IR" + raw  # typed without its «IR»
    digits = raw[2:]
    if not raw.startswith("IR") or not is_digits(digits):
        raise ShopError("sheba", _l("A Sheba number is IR followed by 24 digits, like IR12 3456 7890 …"))
    if len(digits) != SHEBA_DIGITS:
        raise ShopError(
            "sheba",
            _l("A Sheba number has 24 digits after IR; this one has %(num)s. Please check it.", num=len(digits)),
        )
    if not sheba_checksum_ok(raw):
        raise ShopError("sheba", _l("This Sheba number is not right: a digit is probably mistyped. Please check it."))
    return raw


def grouped(sheba: str) -> str:
    """The Sheba number in groups of four, as banks print it: IR06 0170 0000 …"""
    return " ".join(sheba[index : index + 4] for index in range(0, len(sheba), 4))


def masked(sheba: str) -> str:
    """The Sheba number for staff: every digit hidden except the last four, grouped as printed."""
    return grouped("IR" + "•" * (len(sheba) - 6) + sheba[-4:])


def shop_payout(shop: Shop) -> ShopPayout | None:
    """Where the shop is paid, or None while she has not said."""
    return db.session.get(ShopPayout, shop.id)


def payouts_for(shop_ids: list[int]) -> dict[int, ShopPayout]:
    """The payout details of several shops by shop id (one query; shops without any are absent)."""
    if not shop_ids:
        return {}
    rows = db.session.scalars(select(ShopPayout).where(ShopPayout.shop_id.in_(shop_ids)))
    return {row.shop_id: row for row in rows}


def save_payout(shop: Shop, actor: User, *, holder_name: str, sheba: str) -> ShopPayout:
    """Record (or replace) where the centre pays the shop; refuses a missing or too long name and a
    Sheba number that is not one. Nothing is written when either is refused."""
    name = normalize_text(holder_name)
    problems: list[tuple[str, object]] = []
    if not name:
        problems.append(("holder_name", _l("Enter the name the account is in, as the bank writes it.")))
    elif len(name) > HOLDER_MAX:
        problems.append(("holder_name", _l("The name is too long: at most %(num)s characters.", num=HOLDER_MAX)))
    try:
        number = normalize_sheba(sheba)
    except ShopError as error:
        problems.append(("sheba", error.message))
    if problems:
        raise PayoutInvalid(problems)
    payout = shop_payout(shop)
    if payout is None:
        payout = ShopPayout(shop_id=shop.id)
        db.session.add(payout)
    payout.holder_name, payout.sheba, payout.updated_by_id = name, number, actor.id
    db.session.flush()
    return payout
