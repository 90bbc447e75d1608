"""The API's query parameters, checked strictly: a value that is not what /api/v1/openapi.json says is a
400 with a message naming the parameter (never a silent default, never a 500). Numbers may be typed in
any digits, as everywhere on the site."""

from dataclasses import dataclass

from ..core.messages import lazy_gettext as _l
from ..core.numbers import MAX_PAGE, clean_digits, parse_whole

DEFAULT_PER_PAGE = 24
MAX_PER_PAGE = 100
MAX_SLUG_CHARS = 140
TRUE, FALSE = ("1", "true"), ("0", "false")


class BadParameter(Exception):
    """A query parameter the API cannot take: `name` is the parameter, `message` says what it must be."""

    def __init__(self, name: str, message):
        super().__init__(name)
        self.name = name
        self.message = message


def whole(args, name: str, low: int, high: int, default: int | None = None) -> int | None:
    """A whole number in [low, high] (any digits), `default` when the parameter is missing or empty."""
    raw = args.get(name)
    if raw is None or not clean_digits(raw):
        return default
    number = parse_whole(raw, low, high)
    if number is None:
        raise BadParameter(
            name, _l("%(name)s must be a whole number from %(low)s to %(high)s.", name=name, low=low, high=high)
        )
    return number


def choice(args, name: str, choices, default: str) -> str:
    """One of `choices`, `default` when missing or empty."""
    value = args.get(name) or default
    if value not in choices:
        raise BadParameter(name, _l("%(name)s must be one of: %(choices)s.", name=name, choices=", ".join(choices)))
    return value


def flag(args, name: str) -> bool:
    """A yes/no parameter: 1 or true, 0 or false (missing: no)."""
    value = clean_digits(args.get(name) or "0").lower()
    if value not in TRUE + FALSE:
        raise BadParameter(name, _l("%(name)s must be true or false (or 1 or 0).", name=name))
    return value in TRUE


def slug(args, name: str) -> str:
    """A slug or similar short text ("" when missing); control characters are refused before any query."""
    value = (args.get(name) or "").strip()
    if len(value) > MAX_SLUG_CHARS or not printable(value):
        raise BadParameter(name, _l("%(name)s is not a valid name.", name=name))
    return value


def printable(text: str) -> bool:
    """No control characters (PostgreSQL refuses a NUL in a string; none belongs in a slug)."""
    return not any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in text)


@dataclass(frozen=True)
class Paging:
    """Which page of a list, and how many items a page."""

    page: int
    per_page: int

    @classmethod
    def from_args(cls, args) -> "Paging":
        """`page` (1…MAX_PAGE, default 1) and `per_page` (1…MAX_PER_PAGE, default DEFAULT_PER_PAGE)."""
        return cls(
            page=whole(args, "page", 1, MAX_PAGE, 1) or 1,
            per_page=whole(args, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE) or DEFAULT_PER_PAGE,
        )
