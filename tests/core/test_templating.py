"""Jinja filters in both locales."""

from datetime import UTC, datetime, timedelta

from flask import render_template_string

from marketplace.core.dates import utcnow


def render(app, source, locale="fa", **context):
    headers = {"Cookie": f"locale={locale}"}
    with app.test_request_context("/", headers=headers):
        return render_template_string(source, **context)


def test_filters_in_persian(app):
    moment = datetime(2026, 2, 8, 13, 53, tzinfo=UTC)
    html = render(app, "{{ 1200000 | toman }}|{{ m | jalali }}|{{ 42 | fa_digits }}|{{ 12000 | number }}", m=moment)
    assert html == "۱۲۰٬۰۰۰ تومان|۱۹ بهمن ۱۴۰۴، ساعت ۱۷:۲۳|۴۲|۱۲٬۰۰۰"


def test_filters_in_english(app):
    moment = datetime(2026, 2, 8, 13, 53, tzinfo=UTC)
    html = render(app, "{{ 1200000 | toman }}|{{ m | jalali }}|{{ 42 | fa_digits }}", locale="en", m=moment)
    assert html == "120,000 toman|8 February 2026, 17:23|42"


def test_relative_time_both_locales(app):
    three_days_ago = utcnow() - timedelta(days=3, minutes=1)
    assert render(app, "{{ t | relative }}", t=three_days_ago) == "۳ روز پیش"
    assert render(app, "{{ t | relative }}", locale="en", t=three_days_ago) == "3 days ago"
    assert render(app, "{{ t | relative }}", locale="en", t=utcnow() + timedelta(hours=2, minutes=5)) == "in 2 hours"
    assert render(app, "{{ t | relative }}", t=utcnow()) == "همین حالا"


def test_constant_filters_follow_each_requests_locale(app):
    """Jinja folds constant expressions at compile time; locale-dependent filters must not be folded."""
    template = app.jinja_env.from_string("{{ 100 | fa_digits }}|{{ 25000 | toman }}")  # compiled once
    with app.test_request_context("/", headers={"Cookie": "locale=fa"}):
        assert template.render() == "۱۰۰|۲٬۵۰۰ تومان"
    with app.test_request_context("/", headers={"Cookie": "locale=en"}):
        assert template.render() == "100|2,500 toman"
