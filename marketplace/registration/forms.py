"""Registration forms: the producer's evidence form and the staff decision and waiver forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length

from ..core.forms import JalaliDateField
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text


def _text(value):
    return normalize_text(value)


def _multiline(value):
    return normalize_text(value, multiline=True)


class EvidenceForm(FlaskForm):
    number = StringField(_l("Number on the licence"), validators=[Length(max=60)], filters=[_text])
    issued_on = JalaliDateField(_l("Issue date"), filters=[_text])
    expires_on = JalaliDateField(_l("Valid until"), filters=[_text])
    document = FileField(_l("Photo or PDF of it"))


class DecisionForm(FlaskForm):
    action = HiddenField()
    reason = TextAreaField(
        _l("Reason, if you reject (the producer sees it)"), validators=[Length(max=1000)], filters=[_multiline]
    )


class WaiverForm(FlaskForm):
    item = HiddenField()
    product_id = HiddenField()
    reason = TextAreaField(_l("Why it is not needed (the producer sees it)"), filters=[_multiline])
