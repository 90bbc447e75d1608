"""Numbers from the outside world (URLs, query strings, forms) kept inside what the database holds.

A number too big for a column makes the database driver raise (OverflowError on SQLite, "integer
out of range" on PostgreSQL): every id in a URL, every page number and every numeric form field is
bounded here first, so a huge number is a 404 or a form error, never a 500.
"""

from flask import abort, request
from werkzeug.routing import IntegerConverter

from .persian import MAX_DIGITS, is_digits, to_latin_digits

# PostgreSQL `integer`, the type of every id and count column (SQLite's limit is higher).
DB_INT_MAX = 2**31 - 1
# PostgreSQL `bigint` (money in rial).
DB_BIGINT_MAX = 2**63 - 1
# Listings never have more pages than this; a higher page is a 404.
MAX_PAGE = 10_000


class DatabaseIntConverter(IntegerConverter):
    """The app's `<int:…>` URL converter: like Werkzeug's, but a number above DB_INT_MAX does not
    match the route, so `/p/99999999999999999999` is a 404 before any query runs."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_numbers(app) -> None:
    """Register DatabaseIntConverter as the `int` converter (before any blueprint adds routes)."""
    app.url_map.converters["int"] = DatabaseIntConverter


def clean_digits(value: object) -> str:
    """Text of a typed number: any digits made Latin, thousands separators and spaces removed."""
    text = to_latin_digits(str(value if value is not None else "")).strip()
    return text.replace(",", "").replace("\u066c", "").replace(" ", "")


def parse_whole(value: object, low: int = 0, high: int = DB_INT_MAX) -> int | None:
    """A whole number typed in any digits, if it is one and lies in [low, high]; else None."""
    text = clean_digits(value)
    digits = text[1:] if text.startswith("-") else text
    if not is_digits(digits) or len(digits) > MAX_DIGITS:
        return None
    number = int(text)
    return number if low <= number <= high else None


def database_id(value: object) -> int | None:
    """An id typed in a form or query string (1 … DB_INT_MAX), or None: safe to pass to db.session.get()."""
    return parse_whole(value, 1, DB_INT_MAX)


def page_arg(name: str = "page") -> int:
    """The page number in the query string: 1 when missing or not a number, a 404 when it is a
    number beyond MAX_PAGE or below 1 (no listing has that page)."""
    raw = request.args.get(name, "")
    if not clean_digits(raw):
        return 1
    page = parse_whole(raw, 1, MAX_PAGE)
    if page is None:
        if is_digits(clean_digits(raw).lstrip("-")):
            abort(404)
        return 1
    return page
