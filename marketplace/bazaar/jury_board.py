"""The jury's board: every application of a fair (withdrawn ones left out) with its per-criterion
averages, overall average, spread and number of jurors, and the fair's totals: places taken, each
category quota against the accepted applications, and the first-timer share (its target, how many
first-timers are accepted and how many wait for a decision).

A juror who has not scored an application yet, and did not ask to see every score, sees its row
without numbers (`BoardRow.hidden`): jurors score before they see the others. Averages and spread
are worked out by `jury.averages`, shares of places by `jury.share_of_places`, the same ones the
decisions and the applicant's feedback use."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..catalog.models import Category, Product
from ..extensions import db
from ..shops.models import Shop
from . import services
from .jury import averages, first_timers_short, rubric, share_of_places
from .models import Application, ApplicationProduct, ApplicationStatus, BazaarEvent

_A = ApplicationStatus


def _products(application: Application) -> list[Product]:
    return [item.product for item in application.items]


@dataclass
class BoardRow:
    """One application on the jury's board."""

    application: Application
    number: int
    readiness: services.Readiness
    criteria: dict[str, float | None]
    average: float | None
    spread: float | None
    jurors: int
    scored_by_viewer: bool = False
    # the viewer has not scored it yet and did not ask to see every score: numbers not shown
    hidden: bool = False

    @property
    def category(self) -> Category | None:
        return self.application.category

    @property
    def first_timer(self) -> bool:
        return self.application.first_timer


@dataclass
class QuotaUse:
    """A category quota against the fair's accepted applications."""

    category: Category
    max_percent: int
    limit: int
    accepted: int

    @property
    def full(self) -> bool:
        return self.accepted >= self.limit

    @property
    def used_percent(self) -> int:
        """How full the quota is, 0–100 (for its bar)."""
        return 100 if not self.limit else min(100, round(100 * self.accepted / self.limit))


@dataclass
class Board:
    """The jury's board: one row per application (withdrawn ones left out) and the fair's totals."""

    fair: BazaarEvent
    criteria: list[str]
    rows: list[BoardRow]
    quotas: list[QuotaUse]
    places: int
    accepted: int
    first_timer_target: int
    first_timers_accepted: int
    first_timers_waiting: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def places_left(self) -> int:
        return max(0, self.places - self.accepted)

    @property
    def first_timers_needed(self) -> int:
        return max(0, self.first_timer_target - self.first_timers_accepted)

    @property
    def places_used_percent(self) -> int:
        return min(100, round(100 * self.accepted / self.places)) if self.places else 100

    @property
    def first_timers_percent_of_target(self) -> int:
        if not self.first_timer_target:
            return 100
        return min(100, round(100 * self.first_timers_accepted / self.first_timer_target))

    @property
    def reserve_warning(self) -> bool:
        """Accepting anyone but a first-timer now would leave fewer places than first-timers still
        need, while first-timer applications wait for a decision."""
        return first_timers_short(self.places_left, self.first_timers_needed, self.first_timers_waiting)


SORTS = ("average", "number", "spread")


def board(fair: BazaarEvent, viewer: User | None = None, *, reveal: bool = True, sort: str = "average") -> Board:
    """The board of `fair`. With a `viewer` and `reveal` false, the numbers of applications she has
    not scored yet are hidden (jurors score before they see the others). Sorted by average (highest
    first, unscored last), by number, or by spread (largest disagreement first)."""
    keys = rubric(fair)
    applications = list(
        db.session.scalars(
            select(Application)
            .where(Application.fair_id == fair.id)
            .options(
                selectinload(Application.shop).selectinload(Shop.owner),
                selectinload(Application.category),
                selectinload(Application.items)
                .selectinload(ApplicationProduct.product)
                .options(selectinload(Product.images), selectinload(Product.category).selectinload(Category.parent)),
                selectinload(Application.scores),
            )
            .order_by(Application.id)
        )
    )
    rows = []
    counts: dict[str, int] = {}
    for number, application in enumerate(applications, start=1):
        counts[application.status] = counts.get(application.status, 0) + 1
        if application.status == _A.WITHDRAWN:
            continue
        criteria, average, spread, jurors = averages(application.scores, keys)
        scored = viewer is not None and any(row.juror_id == viewer.id for row in application.scores)
        rows.append(
            BoardRow(
                application=application,
                number=number,
                readiness=services.readiness(application.shop, _products(application)),
                criteria=criteria,
                average=average,
                spread=spread,
                jurors=jurors,
                scored_by_viewer=scored,
                hidden=viewer is not None and not reveal and not scored,
            )
        )
    _sort(rows, sort)
    accepted = [a for a in applications if a.status == _A.ACCEPTED]
    return Board(
        fair=fair,
        criteria=keys,
        rows=rows,
        quotas=_quota_use(fair, accepted),
        places=fair.places,
        accepted=len(accepted),
        first_timer_target=share_of_places(fair.places, fair.first_timer_percent),
        first_timers_accepted=sum(1 for a in accepted if a.first_timer),
        first_timers_waiting=sum(1 for a in applications if a.status == _A.SUBMITTED and a.first_timer),
        counts=counts,
    )


def _sort(rows: list[BoardRow], sort: str) -> None:
    if sort == "number":
        rows.sort(key=lambda row: row.number)
    elif sort == "spread":
        rows.sort(key=lambda row: (row.hidden or row.spread is None, -(row.spread or 0), row.number))
    else:
        rows.sort(key=lambda row: (row.hidden or row.average is None, -(row.average or 0), row.number))


def _quota_use(fair: BazaarEvent, accepted: list[Application]) -> list[QuotaUse]:
    return [
        QuotaUse(
            category=quota.category,
            max_percent=quota.max_percent,
            limit=share_of_places(fair.places, quota.max_percent),
            accepted=sum(1 for a in accepted if a.category_id == quota.category_id),
        )
        for quota in fair.quotas
    ]
