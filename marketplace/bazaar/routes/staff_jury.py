"""Staff: the jury's board, scoring one application on the rubric, and deciding on it. Also the
template global `fair_feedback(application)` that the producer's application page uses to show
her the jury's scores and comments (templates/bazaar/producer/_feedback.html)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from ...accounts.access import role_required
from ...core.transaction import change
from ...extensions import db
from ...shops.models import Shop
from .. import jury, jury_board, services
from ..forms import DecideForm, ScoreForm
from ..models import Application, ApplicationProduct, BazaarEvent, FairStatus
from . import producer_bp
from . import staff_bp as bp


def _application(fair: BazaarEvent, application_id: int) -> Application:
    application = db.session.scalar(
        db.select(Application)
        .where(Application.id == application_id, Application.fair_id == fair.id)
        .options(
            selectinload(Application.shop).selectinload(Shop.owner),
            selectinload(Application.items).selectinload(ApplicationProduct.product),
        )
    )
    if application is None:
        abort(404)
    return application


@bp.get("/<int:fair_id>/jury", endpoint="jury")
@role_required("staff")
def board_page(fair_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    sort = request.args.get("sort", "average")
    if sort not in jury_board.SORTS:
        sort = "average"
    reveal = request.args.get("all") == "1"
    board = jury_board.board(fair, current_user, reveal=reveal, sort=sort)
    return render_template(
        "bazaar/staff/jury.html",
        fair=fair,
        board=board,
        sort=sort,
        reveal=reveal,
        labels=jury.STATUS_LABELS,
        criterion_label=jury.criterion_label,
        jurying=fair.status == FairStatus.JURYING,
    )


@bp.route("/<int:fair_id>/jury/<int:application_id>", methods=["GET", "POST"])
@role_required("staff")
def score(fair_id: int, application_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    application = _application(fair, application_id)
    keys = jury.rubric(fair)
    form = ScoreForm()
    errors: dict[str, list] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {name: value for name, value in request.form.items() if name.startswith(("score-", "comment-"))}
        if form.validate_on_submit():
            fields = {f"score-{key}" for key in keys} | {f"comment-{key}" for key in keys}
            with change(form, form_level=fields) as done:
                jury.score(
                    application,
                    current_user,
                    {key: request.form.get(f"score-{key}") for key in keys},
                    {key: request.form.get(f"comment-{key}", "") for key in keys},
                )
            if done:
                flash(_("Your scores are saved."), "success")
                return redirect(url_for("staff_fairs.score", fair_id=fair.id, application_id=application.id))
            for name, message in getattr(done.error, "errors", None) or []:
                errors.setdefault(name, []).append(message)
    mine = jury.juror_scores(application, current_user)
    if not typed:
        typed = {f"score-{key}": str(row.score) for key, row in mine.items()}
        typed.update({f"comment-{key}": row.comment for key, row in mine.items()})
    own_shop = application.shop.owner_id == current_user.id
    everyone = jury.scores_by_juror(application, keys) if mine else []
    return render_template(
        "bazaar/staff/jury_score.html",
        fair=fair,
        application=application,
        number=jury.applicant_number(application),
        readiness=services.readiness(application.shop, [item.product for item in application.items]),
        keys=keys,
        criterion_label=jury.criterion_label,
        form=form,
        decide_form=DecideForm(data={"message": application.decision_message}),
        typed=typed,
        errors=errors,
        has_scored=bool(mine),
        others=[entry for entry in everyone if entry.juror.id != current_user.id],
        own_shop=own_shop,
        jurying=fair.status == FairStatus.JURYING,
        labels=jury.STATUS_LABELS,
        decision_labels=jury.DECISION_LABELS,
    )


@bp.post("/<int:fair_id>/jury/<int:application_id>/decide")
@role_required("staff")
def decide(fair_id: int, application_id: int):
    fair = db.get_or_404(BazaarEvent, fair_id)
    application = _application(fair, application_id)
    form = DecideForm()
    if form.validate_on_submit():
        decision = request.form.get("decision", "")
        with change(form) as done:
            warnings = jury.decide(application, current_user, decision, form.message.data or "")
        if done:
            flash(
                _(
                    "Decision saved: %(decision)s. She will be told when the results are published.",
                    decision=jury.DECISION_LABELS[decision],
                ),
                "success",
            )
            for warning in warnings:
                flash(str(warning), "warning")
            if request.form.get("back") == "board":
                return redirect(url_for("staff_fairs.jury", fair_id=fair.id))
    return redirect(url_for("staff_fairs.score", fair_id=fair.id, application_id=application.id))


@producer_bp.app_template_global()
def fair_feedback(application: Application):
    """The jury's feedback on `application` for its applicant (see jury.feedback_for), or None.
    Callers show it only to the application's own producer."""
    return jury.feedback_for(application)
