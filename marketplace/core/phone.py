"""Iranian mobile numbers, typed any way people type them, stored as E.164 (+989121234567)."""

import re

from .persian import is_digits, to_latin_digits


class PhoneError(ValueError):
    """A number that is not an Iranian mobile; `reason` is one of empty, landline, foreign, length, chars."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_SEPARATORS = re.compile(r"[\s\-\u200c\u200e\u200f().]")


def normalize_iranian_mobile(text: str | None) -> str:
    """Return the E.164 form of an Iranian mobile number or raise PhoneError.

    Accepts 09121234567, ۰۹۱۲ ۱۲۳ ۴۵۶۷, +98 912 123 4567, 00989121234567 and 9121234567.
    """
    raw = _SEPARATORS.sub("", to_latin_digits(text or ""))
    if not raw:
        raise PhoneError("empty")
    if raw.startswith("+"):
        raw = "00" + raw[1:]
    if not is_digits(raw):
        raise PhoneError("chars")
    if raw.startswith("00"):
        if not raw.startswith("0098"):
            raise PhoneError("foreign")
        national = raw[4:]
    elif raw.startswith("98") and len(raw) == 12:
        national = raw[2:]
    elif raw.startswith("0"):
        national = raw[1:]
    else:
        national = raw
    if national.startswith("0"):  # +98 0912… is a common slip
        national = national[1:]
    if not national.startswith("9"):
        raise PhoneError("landline")
    if len(national) != 10:
        raise PhoneError("length")
    return "+98" + national


def display_phone(e164: str) -> str:
    """Show a stored number the way Iranians write it: +989121234567 → 0912 123 4567."""
    if e164.startswith("+98") and len(e164) == 13:
        national = "0" + e164[3:]
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    return e164
