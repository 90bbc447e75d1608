"""Digits and numbers in the reader's locale: Persian digits in the Persian UI, Latin in English.

Its own module because both the Jinja filters (templating.py) and the messages of lower modules
(images.py, registration's documents) use it; neither of those may import the other.
"""

from flask_babel import get_locale

from .persian import format_number, to_persian_number_text


def is_persian() -> bool:
    """True while the current request is shown in Persian."""
    return str(get_locale() or "fa") == "fa"


def fa_digits(value: object) -> str:
    """Persian digits (and «٫» for a decimal point) in the Persian UI; left alone in English."""
    if value is None:
        return ""
    return to_persian_number_text(value) if is_persian() else str(value)


def number(value: int) -> str:
    """A grouped number in the current locale: «۱۲٬۰۰۰» or 12,000."""
    return format_number(int(value), persian=is_persian())
