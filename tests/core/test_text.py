"""Persian text, phone numbers, money and dates: the helpers every form and page relies on."""

from datetime import UTC, date, datetime, timedelta

import pytest

from marketplace.core import dates, money
from marketplace.core.persian import format_number, normalize_text, to_latin_digits, to_persian_digits
from marketplace.core.phone import PhoneError, display_phone, normalize_iranian_mobile


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("علي كريمي", "علی کریمی"),  # Arabic yeh and kaf
        ("  مريم   رضايي  ", "مریم رضایی"),  # stray spaces
        ("خانه\u200cی من", "خانه\u200cی من"),  # ZWNJ kept
        ("دست\u200c\u200cساز", "دست\u200cساز"),  # doubled ZWNJ collapsed
        ("دست\u200c ساز", "دست ساز"),  # ZWNJ beside a space dropped
        ("خانۀ ما", "خانهٔ ما"),  # heh with yeh above → heh + hamza
        ("مدرسة", "مدرسه"),
        ("سطر\nدوم", "سطر دوم"),
        (None, ""),
    ],
)
def test_normalize_text(typed, stored):
    assert normalize_text(typed) == stored


def test_normalize_multiline_keeps_paragraphs():
    story = "بند اول  \r\n\r\n\r\n\r\nبند دوم\nادامه"
    assert normalize_text(story, multiline=True) == "بند اول\n\nبند دوم\nادامه"


def test_digits_both_ways():
    assert to_latin_digits("۰۹۱۲ ٣٤٥") == "0912 345"
    assert to_persian_digits(2026) == "۲۰۲۶"
    assert format_number(1234567) == "۱٬۲۳۴٬۵۶۷"
    assert format_number(1234567, persian=False) == "1,234,567"


@pytest.mark.parametrize(
    "typed",
    [
        "09121234567",
        "۰۹۱۲ ۱۲۳ ۴۵۶۷",
        "+98 912 123 4567",
        "00989121234567",
        "9121234567",
        "0912-123-4567",
        "٠٩١٢١٢٣٤٥٦٧",
        "+98 (0)912 123 4567",
        "989121234567",
    ],
)
def test_iranian_mobile_any_spelling(typed):
    assert normalize_iranian_mobile(typed) == "+989121234567"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("", "empty"),
        ("05138001234", "landline"),  # Mashhad landline
        ("+98 51 3800 1234", "landline"),
        ("0912123456", "length"),
        ("091212345678", "length"),
        ("+1 415 555 0100", "foreign"),
        ("0044 7700 900123", "foreign"),
        ("0912abc4567", "chars"),
    ],
)
def test_bad_numbers_say_why(typed, reason):
    with pytest.raises(PhoneError) as error:
        normalize_iranian_mobile(typed)
    assert error.value.reason == reason


def test_display_phone():
    assert display_phone("+989121234567") == "0912 123 4567"


def test_money_rial_toman():
    assert money.toman_to_rial(120_000) == 1_200_000
    assert money.format_toman(1_200_000) == "۱۲۰٬۰۰۰ تومان"
    assert money.format_toman(1_200_000, persian=False) == "120,000 toman"
    assert money.parse_toman("۱۲۰٬۰۰۰") == 120_000
    assert money.parse_toman("120,000") == 120_000
    assert money.parse_toman("12.5") is None
    assert money.parse_toman("") is None


def test_jalali_datetime_in_tehran_time():
    # 19 Bahman 1404 is 8 February 2026; 17:23 in Tehran (UTC+3:30) is 13:53 UTC.
    moment = datetime(2026, 2, 8, 13, 53, tzinfo=UTC)
    assert dates.format_jalali(moment) == "۱۹ بهمن ۱۴۰۴، ساعت ۱۷:۲۳"
    assert dates.format_jalali(moment, with_time=False) == "۱۹ بهمن ۱۴۰۴"
    assert dates.format_jalali(date(2026, 3, 21)) == "۱ فروردین ۱۴۰۵"
    assert dates.format_gregorian(moment) == "8 February 2026, 17:23"


def test_jalali_naive_values_are_utc():
    naive = datetime(2026, 2, 8, 13, 53)
    assert dates.format_jalali(naive) == "۱۹ بهمن ۱۴۰۴، ساعت ۱۷:۲۳"


def test_parse_jalali_date_any_digits():
    assert dates.parse_jalali_date("۱۴۰۴/۱۱/۱۹") == date(2026, 2, 8)
    assert dates.parse_jalali_date("1404-11-19") == date(2026, 2, 8)
    assert dates.parse_jalali_date("1404/13/01") is None
    assert dates.parse_jalali_date("hello") is None


def test_relative_parts():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert dates.relative_parts(now - timedelta(seconds=20), now) == ("now", 0)
    assert dates.relative_parts(now - timedelta(minutes=5), now) == ("minutes", 5)
    assert dates.relative_parts(now - timedelta(hours=3), now) == ("hours", 3)
    assert dates.relative_parts(now - timedelta(days=3), now) == ("days", 3)
    assert dates.relative_parts(now + timedelta(days=2, hours=1), now) == ("days", -2)
    assert dates.relative_parts(now - timedelta(days=400), now) == ("years", 1)
