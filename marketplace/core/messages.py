"""Translated messages that are safe to show in HTML, whatever values they carry.

Flask-Babel's lazy strings define `__html__` as "the whole translated text", so Jinja treats
`_l("… «%(name)s»", name=value)` as already-safe markup and a shop named `<meta http-equiv=…>`
would reach the page as a tag. Every module takes its lazy gettext from here instead: the same
lazy string (translated when shown, in the reader's language; `str()` is plain text for the CLI,
JSON and text messages), but its `__html__` escapes each interpolated value with markupsafe
before formatting. The translated sentence itself is ours and stays as it is.
"""

from flask_babel import gettext
from flask_babel.speaklater import LazyString
from markupsafe import Markup, escape


def _escaped(value):
    """A value made safe for HTML; numbers stay numbers so `%(num)d` still formats."""
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, LazyString) and not isinstance(value, Message):
        # Flask-Babel's own lazy strings would escape as themselves (raw): escape their text.
        return escape(str(value))
    return escape(value)


class Message(LazyString):
    """A lazily translated sentence whose values are escaped when it is rendered as HTML."""

    def __html__(self) -> Markup:
        values = {name: _escaped(value) for name, value in self._kwargs.items()}
        # The sentence is our own translation; every value in it was escaped just above.
        return Markup(self._func(*self._args, **values))  # noqa: S704


def lazy_gettext(string: str, **variables) -> Message:
    """Like Flask-Babel's `lazy_gettext` (imported as `_l` everywhere), escaping values in HTML."""
    return Message(gettext, string, **variables)
