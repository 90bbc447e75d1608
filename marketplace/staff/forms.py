"""Staff console forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField


class UserActiveForm(FlaskForm):
    active = HiddenField()


class UserRolesForm(FlaskForm):
    producer = BooleanField(_l("Producer"))
    staff = BooleanField(_l("Centre staff"))
    admin = BooleanField(_l("Administrator"))
