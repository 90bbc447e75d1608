"""Persian text: normalisation on save and digit conversion for display and parsing."""

import re
import unicodedata

# Arabic letter forms that Persian keyboards and copy-paste bring in, mapped to Persian ones.
_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh → ی
        "\u0649": "\u06cc",  # ى alef maksura → ی
        "\u0643": "\u06a9",  # ك Arabic kaf → ک
        "\u0629": "\u0647",  # ة teh marbuta → ه
        "\u06c0": "\u0647\u0654",  # ۀ heh with yeh above → هٔ (same letter, decomposed form)
    }
)
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_LATIN = str.maketrans(_PERSIAN_DIGITS + _ARABIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN = str.maketrans("0123456789", _PERSIAN_DIGITS)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZWNJ_RUNS = re.compile("\u200c{2,}")
# Invisible characters that only hide or disguise text: bidi embeddings, overrides and isolates
# (U+202A–U+202E, U+2066–U+2069: «‮txt.exe» shows as «exe.txt»), zero-width space, word joiner and
# BOM (U+200B, U+2060, U+FEFF), and control characters (C0 and C1 except tab and newlines, which
# are handled below). ZWNJ (U+200C) stays: Persian needs it (می‌خواهم). LRM/RLM marks stay too.
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ZWNJ_WITH_SPACES = re.compile(" *\u200c *")


def normalize_text(text: str | None, *, multiline: bool = False) -> str:
    """Return text as it is stored: Persian letters, single spaces, ZWNJ kept, ends trimmed, and no
    invisible characters that could disguise it (bidi overrides, zero-width spaces, controls).

    Multiline text keeps its paragraphs (blank lines) but loses trailing spaces on each line.
    Every name and title (people, shops, products, options, tags, categories, import rows) is saved
    through here, so a name that is empty afterwards is refused by the caller's "required" check.
    """
    if not text:
        return ""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_LETTERS))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ZWNJ_RUNS.sub("\u200c", text)
    lines = []
    for line in text.split("\n") if multiline else [text.replace("\n", " ")]:
        line = _SPACES.sub(" ", line)
        # A ZWNJ only joins letters; beside a space it is a typing slip.
        line = _ZWNJ_WITH_SPACES.sub(lambda match: " " if " " in match.group() else "\u200c", line)
        lines.append(line.strip(" \u200c"))
    if not multiline:
        return lines[0]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def to_latin_digits(text: str) -> str:
    """Turn Persian and Arabic-Indic digits into 0-9 (for numbers typed on a Persian keyboard)."""
    return text.translate(_TO_LATIN)


def to_persian_digits(value: object) -> str:
    """Show a value with Persian digits (۰-۹); other characters stay as they are."""
    return str(value).translate(_TO_PERSIAN)


_DECIMAL_POINT = re.compile(r"(?<=[0-9۰-۹])\.(?=[0-9۰-۹])")


def to_persian_number_text(value: object) -> str:
    """Persian digits, and a point between digits written as the Persian decimal separator:
    "4.5 to 1" → «۴٫۵ to 1», so every decimal in the Persian UI is written one way."""
    return _DECIMAL_POINT.sub("\u066b", to_persian_digits(value))


def format_number(value: int, *, persian: bool = True) -> str:
    """Group thousands: 120000 → «۱۲۰٬۰۰۰» in Persian (Arabic thousands separator), 120,000 in English."""
    grouped = f"{value:,}"
    if not persian:
        return grouped
    return to_persian_digits(grouped.replace(",", "\u066c"))


# More digits than any amount or id a column holds (a bigint has 19): text that long is never made an
# int (Python refuses int() above 4,300 digits, and a visitor's text need not build huge numbers).
MAX_DIGITS = 18


def is_digits(text: str) -> bool:
    """True when `text` is one or more of 0-9 and nothing else. (str.isdigit() also says yes to «²»
    and other digits that int() refuses, which made a crash out of a typo.)"""
    return text.isascii() and text.isdigit()


def whole_number_or_text(value: object) -> int | str | None:
    """A form filter for number fields: digits in any script (with thousands separators) become an
    int, empty becomes None, and anything else stays text so the field's validator can say what is
    wrong (the form keeps what was typed)."""
    if isinstance(value, int):
        return value
    text = to_latin_digits(str(value or "")).strip().replace(",", "").replace("\u066c", "")
    if not text:
        return None
    digits = text[1:] if text.startswith("-") else text
    return int(text) if is_digits(digits) and len(digits) <= MAX_DIGITS else text  # longer stays text
