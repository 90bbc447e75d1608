"""Dates: stored as aware UTC; shown in the Jalali calendar in Asia/Tehran, or Gregorian in English."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import jdatetime

from .persian import is_digits, to_latin_digits, to_persian_digits

TEHRAN = ZoneInfo("Asia/Tehran")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def utcnow() -> datetime:
    """The current time as an aware UTC datetime (the only kind stored)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """Treat a naive datetime read back from SQLite as UTC; convert aware ones to UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def tehran_midnight(day: date) -> datetime:
    """The UTC instant a Tehran calendar day starts. In UTC, since SQLite stores the wall-clock
    time of whatever zone it is given: a Tehran-zoned bound would be compared 3.5 hours off."""
    return datetime.combine(day, time(), TEHRAN).astimezone(UTC)


def format_jalali(value: date | datetime | None, *, with_time: bool = True) -> str:
    """«۱۹ بهمن ۱۴۰۴، ساعت ۱۷:۲۳» for a datetime (in Tehran time), «۱۹ بهمن ۱۴۰۴» for a date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = as_utc(value).astimezone(TEHRAN)
        jd = jdatetime.datetime.fromgregorian(datetime=local)
        text = f"{jd.day} {JALALI_MONTHS[jd.month - 1]} {jd.year}"
        if with_time:
            text += f"، ساعت {local.hour:02d}:{local.minute:02d}"
    else:
        jd = jdatetime.date.fromgregorian(date=value)
        text = f"{jd.day} {JALALI_MONTHS[jd.month - 1]} {jd.year}"
    return to_persian_digits(text)


def format_gregorian(value: date | datetime | None, *, with_time: bool = True) -> str:
    """The English-locale twin of format_jalali: "8 February 2026, 17:23" in Tehran time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = as_utc(value).astimezone(TEHRAN)
        text = f"{local.day} {local:%B %Y}"
        return f"{text}, {local:%H:%M}" if with_time else text
    return f"{value.day} {value:%B %Y}"


def parse_jalali_date(text: str) -> date | None:
    """Read a Jalali date typed as 1404/11/19 (any digits, / or - between parts); None if invalid."""
    parts = to_latin_digits((text or "").strip()).replace("-", "/").split("/")
    if len(parts) != 3 or not all(is_digits(p) for p in parts):
        return None
    try:
        return jdatetime.date(int(parts[0]), int(parts[1]), int(parts[2])).togregorian()
    except (ValueError, OverflowError):  # a year like 99999999999999999999
        return None


def relative_parts(value: datetime, now: datetime | None = None) -> tuple[str, int]:
    """How long ago (or ahead) a moment is, as (unit, count): unit is one of
    now, minutes, hours, days, months, years; negative counts are in the future."""
    seconds = int(((now or utcnow()) - as_utc(value)).total_seconds())
    sign = 1 if seconds >= 0 else -1
    seconds = abs(seconds)
    if seconds < 60:
        return "now", 0
    for unit, size, limit in (
        ("minutes", 60, 3600),
        ("hours", 3600, 86400),
        ("days", 86400, 86400 * 30),
        ("months", 86400 * 30, 86400 * 365),
    ):
        if seconds < limit:
            return unit, sign * (seconds // size)
    return "years", sign * (seconds // (86400 * 365))


def jalali_input_value(value: date | None) -> str:
    """A date as typed in Jalali date fields: 1404/11/19 (Latin digits; fields accept any)."""
    if value is None:
        return ""
    return jdatetime.date.fromgregorian(date=value).strftime("%Y/%m/%d")
