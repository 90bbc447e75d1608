"""Forms of the buyer's order pages and of the producer's review answers (kept apart from the
checkout's forms so each page's fields are read in one place)."""

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; the stubs predate it

from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits


def _multiline(value):
    return normalize_text(value, multiline=True)


def _stars(value):
    """A star count as typed or chosen (any digits), or None."""
    text = to_latin_digits(str(value or "")).strip()
    return int(text) if text.isdigit() else None


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why are you cancelling? (optional)"), filters=[_multiline])


class ReviewForm(FlaskForm):
    rating = RadioField(
        _l("Your rating"),
        choices=[
            SelectChoice("5", _l("5 stars: excellent")),
            SelectChoice("4", _l("4 stars: good")),
            SelectChoice("3", _l("3 stars: all right")),
            SelectChoice("2", _l("2 stars: not good")),
            SelectChoice("1", _l("1 star: bad")),
        ],
        coerce=_stars,
        validate_choice=False,
    )
    body = TextAreaField(_l("What did you think of it? (optional)"), filters=[_multiline])


class ReplyForm(FlaskForm):
    reply = TextAreaField(_l("Your answer"), filters=[_multiline])
