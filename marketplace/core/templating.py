"""Jinja filters and globals shared by every template."""

from flask import Flask, request, url_for
from flask_babel import get_locale, gettext, ngettext
from jinja2 import pass_context
from markupsafe import Markup

from . import dates, money
from .images import StoredImage
from .numerals import fa_digits, is_persian, number
from .pagecache import personal, style_tag
from .phone import display_phone
from .urls import public_host, public_url


def jalali(value, with_time: bool = True) -> str:
    """Jalali date (and Tehran time) in Persian; the Gregorian date in English."""
    if is_persian():
        return dates.format_jalali(value, with_time=with_time)
    return dates.format_gregorian(value, with_time=with_time)


def toman(rial: int | None) -> str:
    """Integer rial shown as toman: «۱۲۰٬۰۰۰ تومان» (or "120,000 toman" in English)."""
    return money.format_toman(rial, persian=is_persian())


def relative_time(value) -> str:
    """«۳ روز پیش» / "3 days ago"; moments ahead read «۳ روز دیگر» / "in 3 days"."""
    if value is None:
        return ""
    unit, count = dates.relative_parts(value)
    if unit == "now":
        return gettext("just now")
    past = count >= 0
    n = abs(count)
    texts = {
        "minutes": (
            ngettext("%(num)s minute ago", "%(num)s minutes ago", n),
            ngettext("in %(num)s minute", "in %(num)s minutes", n),
        ),
        "hours": (
            ngettext("%(num)s hour ago", "%(num)s hours ago", n),
            ngettext("in %(num)s hour", "in %(num)s hours", n),
        ),
        "days": (ngettext("%(num)s day ago", "%(num)s days ago", n), ngettext("in %(num)s day", "in %(num)s days", n)),
        "months": (
            ngettext("%(num)s month ago", "%(num)s months ago", n),
            ngettext("in %(num)s month", "in %(num)s months", n),
        ),
        "years": (
            ngettext("%(num)s year ago", "%(num)s years ago", n),
            ngettext("in %(num)s year", "in %(num)s years", n),
        ),
    }
    text = texts[unit][0 if past else 1]
    return fa_digits(text) if is_persian() else text


def media_url(path: str, external: bool = False) -> str:
    """The URL of a file in the uploads folder; `external`: absolute, under PUBLIC_URL."""
    return public_url("core.media", filename=path) if external else url_for("core.media", filename=path)


def media_src(stored: dict, width: int = 640, external: bool = False) -> str:
    """URL of the stored image's variant for `width` pixels (the JSON form of core.images.StoredImage)."""
    return media_url(StoredImage.from_dict(stored).url_path(width), external)


def media_srcset(stored: dict) -> str:
    """The srcset attribute for a stored image, every WebP width listed."""
    return StoredImage.from_dict(stored).srcset(media_url)


def csrf_input(form) -> Markup:
    """A form's hidden CSRF field, without an id (a page with several forms must not repeat one);
    nothing when CSRF is switched off (benchmarks post without it)."""
    token = getattr(form, "csrf_token", None)
    return token(id=False) if token is not None else Markup("")  # WTForms renders fields as Markup


def _per_render(function):
    """Wrap a locale-dependent filter so Jinja never folds it into a constant at compile time:
    `{{ 100 | fa_digits }}` must follow the locale of each request, not of the first one."""

    @pass_context  # (pass_eval_context would still be folded)
    def filter_(_context, *args, **kwargs):
        return function(*args, **kwargs)

    filter_.__name__ = function.__name__
    filter_.__doc__ = function.__doc__
    return filter_


def init_templating(app: Flask) -> None:
    """Register the filters and the globals (locale, direction, current path) on the app's Jinja env."""
    app.add_template_filter(_per_render(fa_digits), "fa_digits")
    app.add_template_filter(_per_render(number), "number")
    app.add_template_filter(_per_render(jalali), "jalali")
    app.add_template_filter(_per_render(toman), "toman")
    app.add_template_filter(_per_render(relative_time), "relative")
    app.add_template_filter(display_phone, "phone")
    app.add_template_filter(media_url)
    app.add_template_filter(media_src)
    app.add_template_filter(media_srcset)
    app.add_template_filter(style_tag)
    app.add_template_global(csrf_input)
    app.add_template_global(personal)
    app.add_template_global(public_url)
    app.add_template_global(public_host)

    @app.context_processor
    def _layout_globals():
        locale = str(get_locale() or "fa")
        return {
            "current_locale": locale,
            "text_direction": "rtl" if locale == "fa" else "ltr",
            "current_path": request.full_path.rstrip("?") if request else "/",
        }
