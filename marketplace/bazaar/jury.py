"""The jury: staff score applications on the fair's rubric and decide accept / waitlist / reject
with a message. The board they read (averages, spread, category quotas, the first-timer share) is
in `jury_board.py`.

Decisions are not told at decision time: when the fair publishes (`core.events.fair_published`),
`announce_decisions` tells every applicant hers. After publishing, and when the fair says so
(`show_feedback`), each applicant sees her own per-criterion averages and the jury's comments,
never a juror's name (`feedback_for`).

Shares of places: a share of `places` is rounded down, but a share above 0 % is always at least
one place (`share_of_places`), so a 5 % quota on a fair of ten still admits one producer. The
first-timer share is a target kept for first-time participants: accepting someone else is allowed,
with a warning, when it would leave fewer places than first-timers still need while first-timer
applications wait for a decision."""

from dataclasses import dataclass

from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..accounts.notifications import notify
from ..catalog.models import Category
from ..core import events
from ..core.dates import utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from ..shops.models import Shop
from . import services
from .models import (
    DEFAULT_RUBRIC,
    PUBLIC_FAIR_STATUSES,
    Application,
    ApplicationStatus,
    BazaarEvent,
    FairStatus,
    JuryScore,
)

_A = ApplicationStatus
SCORE_MIN, SCORE_MAX = 1, 5
COMMENT_MAX = 1000
DECISIONS = {"accept": _A.ACCEPTED, "waitlist": _A.WAITLISTED, "reject": _A.REJECTED}
DECISION_LABELS = {"accept": _l("Accept"), "waitlist": _l("Waitlist"), "reject": _l("Reject")}
STATUS_LABELS = {
    _A.SUBMITTED: _l("Waiting for a decision"),
    _A.ACCEPTED: _l("Accepted"),
    _A.WAITLISTED: _l("On the waitlist"),
    _A.REJECTED: _l("Not accepted"),
    _A.WITHDRAWN: _l("Withdrawn"),
}


class ScoreErrors(RuleError):
    """Several problems with one juror's scores, each naming its field (`score-<criterion>`)."""

    def __init__(self, errors: list[tuple[str, object]]):
        super().__init__(errors[0][0], errors[0][1])
        self.errors = errors


class _CategoryName:
    """A category's name in the reader's language when the message is shown (not when made)."""

    def __init__(self, category: Category | None):
        self.fa = category.name_fa if category is not None else "—"
        self.en = category.name_en if category is not None else "—"

    def __str__(self) -> str:
        return self.en if str(get_locale() or "fa") == "en" else self.fa


# ---------------------------------------------------------------- rubric and shares


def rubric(fair: BazaarEvent) -> list[str]:
    """The fair's rubric keys, in order (the default four when it has none)."""
    return list(fair.rubric or DEFAULT_RUBRIC)


def criterion_label(key: str):
    """A criterion's title: the translated title of a default key, the key itself otherwise."""
    return services.RUBRIC_LABELS.get(key, key)


def share_of_places(places: int, percent: int) -> int:
    """`percent` of `places`, rounded down, but at least one place for any share above 0 %."""
    if percent <= 0:
        return 0
    return max(1, places * percent // 100)


def first_timers_short(places_left: int, needed: int, waiting: int) -> bool:
    """Whether accepting one more producer who is not a first-timer would leave fewer places than
    first-timers still need (`needed`), while `waiting` first-timer applications await a decision."""
    return waiting > 0 and places_left - 1 < needed


def applicant_number(application: Application) -> int:
    """Her number within the fair («متقاضی ۷» under blind review): the order she applied in,
    counting every application of the fair (withdrawn ones too, so numbers never shift)."""
    return (
        db.session.scalar(
            select(func.count(Application.id)).where(
                Application.fair_id == application.fair_id, Application.id <= application.id
            )
        )
        or 0
    )


# ---------------------------------------------------------------- scoring


def _score_value(raw) -> int | None:
    """A score as an int 1–5 (an int, or digits in any script), None when it is not one."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    else:
        text = to_latin_digits(str(raw or "").strip())
        if not text.isdigit():
            return None
        value = int(text)
    return value if SCORE_MIN <= value <= SCORE_MAX else None


def check_juror(application: Application, juror: User) -> None:
    """RuleError unless `juror` may score this application now."""
    if not juror.has_role("staff"):
        raise RuleError("", _l("Only the centre's staff can be jurors."))
    if application.shop.owner_id == juror.id:
        raise RuleError("", _l("You cannot score an application from your own shop."))
    if application.fair.status != FairStatus.JURYING:
        raise RuleError("", _l("Scores can be given only while the fair is being juried."))
    if application.status == _A.WITHDRAWN:
        raise RuleError("", _l("This application was withdrawn."))


def score(application: Application, juror: User, scores: dict, comments: dict) -> list[JuryScore]:
    """Save one juror's scores (1–5 for every criterion of the fair's rubric) and comments on an
    application: one row per juror, application and criterion, updated when she scores again.
    Keys not in the rubric are ignored."""
    check_juror(application, juror)
    keys = rubric(application.fair)
    errors: list[tuple[str, object]] = []
    values: dict[str, int] = {}
    texts: dict[str, str] = {}
    for key in keys:
        value = _score_value(scores.get(key))
        if value is None:
            errors.append(
                (f"score-{key}", _l("Choose a score from 1 to 5 for «%(criterion)s».", criterion=criterion_label(key)))
            )
        else:
            values[key] = value
        text = normalize_text(comments.get(key) or "", multiline=True)
        if len(text) > COMMENT_MAX:
            errors.append(
                (f"comment-{key}", _l("Keep each comment under %(num)s characters.", num=COMMENT_MAX)),
            )
        texts[key] = text
    if errors:
        raise ScoreErrors(errors)
    existing = {
        row.criterion: row
        for row in db.session.scalars(
            select(JuryScore).where(JuryScore.application_id == application.id, JuryScore.juror_id == juror.id)
        )
    }
    saved = []
    for key in keys:
        row = existing.get(key)
        if row is None:
            row = JuryScore(application_id=application.id, juror_id=juror.id, criterion=key)
            db.session.add(row)
        row.score, row.comment = values[key], texts[key]
        saved.append(row)
    db.session.flush()
    return saved


def juror_scores(application: Application, juror: User) -> dict[str, JuryScore]:
    """This juror's rows for the application, by criterion (to prefill her form)."""
    return {
        row.criterion: row
        for row in db.session.scalars(
            select(JuryScore).where(JuryScore.application_id == application.id, JuryScore.juror_id == juror.id)
        )
    }


@dataclass
class JurorScores:
    """One juror's scores of one application (staff pages only)."""

    juror: User
    scores: dict[str, int]
    comments: dict[str, str]

    @property
    def average(self) -> float | None:
        return sum(self.scores.values()) / len(self.scores) if self.scores else None


def scores_by_juror(application: Application, keys: list[str]) -> list[JurorScores]:
    """Every juror's scores of the application on the rubric's criteria, in the order they scored."""
    jurors: dict[int, JurorScores] = {}
    rows = db.session.scalars(
        select(JuryScore)
        .where(JuryScore.application_id == application.id, JuryScore.criterion.in_(keys))
        .options(selectinload(JuryScore.juror))
        .order_by(JuryScore.id)
    )
    for row in rows:
        entry = jurors.setdefault(row.juror_id, JurorScores(row.juror, {}, {}))
        entry.scores[row.criterion] = row.score
        if row.comment:
            entry.comments[row.criterion] = row.comment
    return list(jurors.values())


def averages(rows: list[JuryScore], keys: list[str]) -> tuple[dict[str, float | None], float | None, float | None, int]:
    """(average per criterion, overall average, spread, number of jurors) of one application's
    scores. The overall average gives each juror the same weight (the mean of their own means);
    the spread is the highest juror mean minus the lowest (0 with one juror, None with none)."""
    per_criterion: dict[str, list[int]] = {key: [] for key in keys}
    per_juror: dict[int, list[int]] = {}
    for row in rows:
        if row.criterion not in per_criterion:
            continue
        per_criterion[row.criterion].append(row.score)
        per_juror.setdefault(row.juror_id, []).append(row.score)
    criteria = {key: (sum(values) / len(values) if values else None) for key, values in per_criterion.items()}
    means = [sum(values) / len(values) for values in per_juror.values()]
    if not means:
        return criteria, None, None, 0
    return criteria, sum(means) / len(means), max(means) - min(means), len(means)


# ---------------------------------------------------------------- deciding


def decide(application: Application, staff: User, decision: str, message: str = "") -> list:
    """Accept, waitlist or reject an application while the fair is being juried, with a message
    the applicant reads when the fair publishes (she is told nothing now). An accept that would
    exceed the fair's places or its category's quota is refused. Returns warnings (lazy messages)
    that do not stop the decision: the first-timer share running short."""
    if not staff.has_role("staff"):
        raise RuleError("", _l("Only the centre's staff can decide on applications."))
    if decision not in DECISIONS:
        raise RuleError("", _l("Choose accept, waitlist or reject."))
    fair = application.fair
    # Decisions on one fair queue behind each other (PostgreSQL row lock; SQLite holds the write
    # lock already), so two staff accepting at once cannot overfill the places or a quota.
    db.session.execute(select(BazaarEvent.id).where(BazaarEvent.id == fair.id).with_for_update())
    db.session.refresh(application)
    if fair.status != FairStatus.JURYING:
        raise RuleError("", _l("Decisions can be made only while the fair is being juried."))
    if application.status == _A.WITHDRAWN:
        raise RuleError("", _l("This application was withdrawn."))
    if application.shop.owner_id == staff.id:
        raise RuleError("", _l("You cannot decide on an application from your own shop."))
    warnings: list = []
    if decision == "accept" and application.status != _A.ACCEPTED:
        warnings = _check_accept(fair, application)
    target = DECISIONS[decision]
    from_status = application.status
    text = normalize_text(message or "", multiline=True)[:COMMENT_MAX]
    application.status = target
    application.decision_message = text
    application.decided_at = utcnow()
    if target != _A.ACCEPTED:
        application.booth_id, application.booth_locked = None, False
    db.session.flush()
    services.record_application_decision(application, staff, decision, from_status, text)
    db.session.flush()
    return warnings


def _check_accept(fair: BazaarEvent, application: Application) -> list:
    """Refuse an accept over the places or the category quota; the first-timer warning if any."""
    accepted = list(
        db.session.scalars(
            select(Application).where(
                Application.fair_id == fair.id,
                Application.status == _A.ACCEPTED,
                Application.id != application.id,
            )
        )
    )
    if len(accepted) >= fair.places:
        raise RuleError(
            "",
            _l(
                "All %(places)s places are taken. Move an accepted producer to the waitlist first, "
                "or put this one on the waitlist.",
                places=fair.places,
            ),
        )
    for quota in fair.quotas:
        if quota.category_id != application.category_id:
            continue
        limit = share_of_places(fair.places, quota.max_percent)
        taken = sum(1 for other in accepted if other.category_id == quota.category_id)
        if taken >= limit:
            raise RuleError(
                "",
                _l(
                    "The quota for «%(category)s» is full: %(taken)s of %(limit)s places "
                    "(%(percent)s%% of %(places)s) are taken.",
                    category=_CategoryName(quota.category),
                    taken=taken,
                    limit=limit,
                    percent=quota.max_percent,
                    places=fair.places,
                ),
            )
    if application.first_timer:
        return []
    target = share_of_places(fair.places, fair.first_timer_percent)
    needed = max(0, target - sum(1 for other in accepted if other.first_timer))
    places_left = fair.places - len(accepted)
    waiting = (
        db.session.scalar(
            select(func.count(Application.id)).where(
                Application.fair_id == fair.id,
                Application.status == _A.SUBMITTED,
                Application.first_timer.is_(True),
                Application.id != application.id,
            )
        )
        or 0
    )
    if first_timers_short(places_left, needed, waiting):
        return [
            _l(
                "Careful: %(target)s places are kept for first-time participants and %(needed)s of them "
                "are still free, but only %(left)s places are left now. %(waiting)s first-timers wait "
                "for a decision.",
                target=target,
                needed=needed,
                left=places_left - 1,
                waiting=waiting,
            )
        ]
    return []


# ---------------------------------------------------------------- telling the applicants


def _decision_text(application: Application, fair: BazaarEvent):
    if application.status == _A.ACCEPTED:
        text = _l("Good news! You have a place at %(fair)s. Open the page to see what comes next.", fair=fair.title)
    elif application.status == _A.WAITLISTED:
        text = _l("You are on the waitlist for %(fair)s. If a place opens, we will offer it to you.", fair=fair.title)
    elif fair.show_feedback:
        text = _l(
            "Your application to %(fair)s was not accepted this time. The jury's advice can help you next time.",
            fair=fair.title,
        )
    else:
        text = _l("Your application to %(fair)s was not accepted this time. Thank you for applying.", fair=fair.title)
    if application.decision_message:
        return _l(
            "%(decision)s Message from the centre: %(message)s", decision=text, message=application.decision_message
        )
    return text


def announce_decisions(fair: BazaarEvent, **_kwargs) -> None:
    """Receiver of `fair_published`: tell every applicant her decision (a notification and a text
    message through the outbox, in the publishing transaction), with a link to her application."""
    applications = db.session.scalars(
        select(Application)
        .where(
            Application.fair_id == fair.id,
            Application.status.in_((_A.ACCEPTED, _A.WAITLISTED, _A.REJECTED)),
        )
        .options(selectinload(Application.shop).selectinload(Shop.owner))
        .order_by(Application.id)
    )
    for application in applications:
        notify(
            application.shop.owner,
            _decision_text(application, fair),
            services.application_link(application),
        )


def connect() -> None:
    """Connect the jury's receiver (a strong reference; connecting twice changes nothing)."""
    events.fair_published.connect(announce_decisions, weak=False)


# ---------------------------------------------------------------- feedback for the applicant


@dataclass
class Feedback:
    """What an applicant sees of the jury's work on her application: no juror's name, ever."""

    criteria: list[tuple[str, object, float]]  # (key, title, average)
    comments: list[tuple[object, str]]  # (criterion title, comment)

    @property
    def average(self) -> float | None:
        return sum(value for _k, _t, value in self.criteria) / len(self.criteria) if self.criteria else None


def feedback_for(application: Application) -> Feedback | None:
    """Her per-criterion averages and the jury's comments, once the fair is published (and live or
    closed later) and when the fair shows feedback; None otherwise or when nobody scored her."""
    fair = application.fair
    if not fair.show_feedback or fair.status not in PUBLIC_FAIR_STATUSES:
        return None
    keys = rubric(fair)
    rows = list(
        db.session.scalars(
            select(JuryScore)
            .where(JuryScore.application_id == application.id, JuryScore.criterion.in_(keys))
            .order_by(JuryScore.id)
        )
    )
    if not rows:
        return None
    criteria, _average, _spread, _jurors = averages(rows, keys)
    order = {key: position for position, key in enumerate(keys)}
    comments = [
        (criterion_label(row.criterion), row.comment)
        for row in sorted(rows, key=lambda row: (order[row.criterion], row.id))
        if row.comment
    ]
    return Feedback(
        criteria=[(key, criterion_label(key), value) for key, value in criteria.items() if value is not None],
        comments=comments,
    )
