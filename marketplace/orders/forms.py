"""Order forms (Flask-WTF, lazy labels). The rules live in the services, which put their refusals
next to the field through `core.transaction.change`."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField

from ..core.messages import lazy_gettext as _l


class MessageForm(FlaskForm):
    """One message in an order's thread (plain text, ≤ 2,000 characters; orders.threads checks)."""

    body = TextAreaField(_l("Your message"))
