"""Assisted mode's pages: staff ask for consent and start helping a producer (/staff/users/<id>/assist),
end it (/staff/assist/end), and the producer's own list of what was done for her (/account/assisted)."""

from flask import Blueprint, abort, flash, g, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ...accounts import assist
from ...accounts.access import ASSIST_KEY, end_assist_in_browser, role_required
from ...accounts.models import AssistSession, User
from ...core.dates import as_utc, utcnow
from ...core.transaction import change
from ...extensions import db
from .. import audit
from ..forms import AssistButtonForm, ConsentCodeForm, PaperConsentForm

assist_bp = Blueprint("staff_assist", __name__, url_prefix="/staff")
assisted_bp = Blueprint("assisted", __name__)


def _waiting_code(producer: User) -> AssistSession | None:
    """This staff member's latest consent code for `producer` that still waits to be typed."""
    waiting = db.session.scalar(
        select(AssistSession)
        .where(
            AssistSession.producer_id == producer.id,
            AssistSession.staff_id == current_user.id,
            AssistSession.consent_method == "sms_code",
            AssistSession.started_at.is_(None),
            AssistSession.ended_at.is_(None),
        )
        .order_by(AssistSession.id.desc())
    )
    if waiting is None or waiting.code_expires_at is None or as_utc(waiting.code_expires_at) < utcnow():
        return None
    return waiting


def _consent_page(producer: User, code_form=None, paper_form=None, status: int = 200):
    waiting = _waiting_code(producer)
    return render_template(
        "staff/assist.html",
        producer=producer,
        refusal=assist.refusal(current_user, producer),
        waiting=waiting,
        button_form=AssistButtonForm(),
        code_form=code_form or ConsentCodeForm(formdata=None),
        paper_form=paper_form or PaperConsentForm(formdata=None),
    ), status


def _start_browsing_as(started: AssistSession):
    session[ASSIST_KEY] = started.id
    flash(
        _("You are now working for %(name)s. Every change is recorded.", name=started.producer.display_name), "success"
    )
    return redirect(url_for("dashboard.home"))


@assist_bp.get("/users/<int:user_id>/assist")
@role_required("staff")
def consent(user_id: int):
    """Choose how she consents: a code texted to her phone, or a paper form."""
    return _consent_page(db.get_or_404(User, user_id))


@assist_bp.post("/users/<int:user_id>/assist/code")
@role_required("staff")
def send_code(user_id: int):
    producer = db.get_or_404(User, user_id)
    form = AssistButtonForm()
    if form.validate_on_submit():
        with change(form) as done:
            assist.send_consent_code(current_user, producer)
        if done:
            flash(_("A code is on its way to her phone. Ask her to read it to you."), "success")
            return redirect(url_for("staff_assist.consent", user_id=producer.id))
        return _consent_page(producer, status=422)
    return redirect(url_for("staff_assist.consent", user_id=producer.id))


@assist_bp.post("/users/<int:user_id>/assist/confirm")
@role_required("staff")
def confirm_code(user_id: int):
    producer = db.get_or_404(User, user_id)
    form = ConsentCodeForm()
    waiting = _waiting_code(producer)
    if form.validate_on_submit():
        if waiting is None:
            form.code.errors = [_("This code has expired or was used. Send a new code.")]
        else:
            # a wrong code still commits: the try must stay counted
            with change(form, commit_refusals={"code"}) as done:
                assist.confirm_code(waiting, current_user, form.code.data or "")
            if done:
                return _start_browsing_as(waiting)
    return _consent_page(producer, code_form=form, status=422)


@assist_bp.post("/users/<int:user_id>/assist/paper")
@role_required("staff")
def paper(user_id: int):
    producer = db.get_or_404(User, user_id)
    form = PaperConsentForm()
    if form.validate_on_submit():
        with change(form) as done:
            started = assist.start_with_paper(current_user, producer, form.reference.data or "", form.reason.data or "")
        if done:
            return _start_browsing_as(started)
    return _consent_page(producer, paper_form=form, status=422)


@assist_bp.post("/assist/end")
@login_required
def end():
    """End assisting (the banner's button): the staff member is herself again, on the producer's page."""
    if g.get("assisting") is None:
        abort(403)
    if not AssistButtonForm().validate_on_submit():
        return redirect(url_for("dashboard.home"))
    with change():
        ended = end_assist_in_browser("ended")
    assert ended is not None
    flash(_("Assisting %(name)s has ended.", name=ended.producer.display_name), "info")
    return redirect(url_for("staff.user_detail", user_id=ended.producer_id))


@assisted_bp.get("/account/assisted")
@login_required
def done_for_me():
    """What the centre's staff did in her account: each assisted session and its recorded actions."""
    return render_template("staff/assisted.html", sessions=audit.done_for(current_user), label=audit.action_label)
