"""Fair tables (DESIGN §4): the fair, its category quotas, zones and booths, producers'
applications with the products they bring, jury scores, in-person sales and the fair's decision trail."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..catalog.models import Category, Product
from ..core.audit import AuditTrailMixin
from ..core.dates import utcnow
from ..extensions import Model
from ..shops.models import Shop


class FairStatus(StrEnum):
    """A fair's states (DESIGN §4). The allowed moves are `bazaar.services.FAIR_TRANSITIONS`."""

    DRAFT = "draft"
    APPLICATIONS_OPEN = "applications_open"
    JURYING = "jurying"
    PUBLISHED = "published"
    LIVE = "live"
    CLOSED = "closed"


# States in which the public sees a fair (upcoming, live or past).
PUBLIC_FAIR_STATUSES = (FairStatus.PUBLISHED, FairStatus.LIVE, FairStatus.CLOSED)
# States in which a fair can be running (it is, within its hours: `services.is_live`).
RUNNING_FAIR_STATUSES = (FairStatus.PUBLISHED, FairStatus.LIVE)


class FeeMode(StrEnum):
    """How the booth fee is paid: a fixed amount (0 allowed) or deducted from recorded sales."""

    FIXED = "fixed"
    FROM_SALES = "from_sales"


class ApplicationStatus(StrEnum):
    """An application's states (DESIGN §4). A waitlisted application may carry an open offer of a
    freed place (`offer_expires_at`); confirming it in time makes it accepted."""

    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


# The jury's rubric when a fair does not set its own: key → English title (translated in templates).
DEFAULT_RUBRIC = ["quality", "presentation", "readiness", "fit"]


class BazaarEvent(Model):
    """One of the centre's periodic fairs (بازارچه): where and when, how producers apply, how the jury
    chooses, and the fair's public page. Times are UTC; forms take Jalali dates in Asia/Tehran."""

    __tablename__ = "bazaar_event"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("applications_close_at > applications_open_at", name="window_in_order"),
        CheckConstraint("booth_fee_rial >= 0", name="fee_not_negative"),
        CheckConstraint("first_timer_percent >= 0 AND first_timer_percent <= 100", name="first_timer_percent_range"),
        CheckConstraint("places >= 1", name="places_positive"),
        CheckConstraint("min_products >= 1 AND max_products >= min_products", name="product_limits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    venue_name: Mapped[str] = mapped_column(String(120), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    map_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    applications_open_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    applications_close_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    fee_mode: Mapped[str] = mapped_column(String(12), default=FeeMode.FIXED)
    booth_fee_rial: Mapped[int] = mapped_column(BigInteger, default=0)
    # with fee_mode "from_sales": the share of recorded sales kept as the booth fee
    fee_percent: Mapped[int] = mapped_column(default=0)
    selection_criteria: Mapped[str] = mapped_column(Text, default="")
    places: Mapped[int] = mapped_column(default=30)
    first_timer_percent: Mapped[int] = mapped_column(default=30)
    min_products: Mapped[int] = mapped_column(default=3)
    max_products: Mapped[int] = mapped_column(default=12)
    food_requires_verified: Mapped[bool] = mapped_column(default=True)
    blind_review: Mapped[bool] = mapped_column(default=False)
    show_feedback: Mapped[bool] = mapped_column(default=True)
    rubric: Mapped[list] = mapped_column(JSON, default=lambda: list(DEFAULT_RUBRIC))
    status: Mapped[str] = mapped_column(String(20), default=FairStatus.DRAFT, index=True)
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("bazaar_event.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    quotas: Mapped[list["FairQuota"]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="FairQuota.id"
    )
    zones: Mapped[list["Zone"]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="Zone.position"
    )
    booths: Mapped[list["Booth"]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="Booth.code"
    )
    applications: Mapped[list["Application"]] = relationship(
        back_populates="fair", cascade="all, delete-orphan", order_by="Application.id"
    )

    def __repr__(self) -> str:
        return f"<BazaarEvent {self.slug} {self.status}>"


class FairQuota(Model):
    """At most `max_percent` of the fair's places for products of one top category (e.g. food 30 %)."""

    __table_args__ = (
        UniqueConstraint("fair_id", "category_id", name="uq_fair_quota_category"),
        CheckConstraint("max_percent >= 0 AND max_percent <= 100", name="max_percent_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("bazaar_event.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    max_percent: Mapped[int] = mapped_column()

    fair: Mapped[BazaarEvent] = relationship(back_populates="quotas")
    category: Mapped[Category] = relationship()


class Zone(Model):
    """A part of the hall (e.g. «سالن الف»); its booths form a grid of rows and columns."""

    __table_args__ = (UniqueConstraint("fair_id", "name", name="uq_zone_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("bazaar_event.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(default=0)

    fair: Mapped[BazaarEvent] = relationship(back_populates="zones")
    booths: Mapped[list["Booth"]] = relationship(back_populates="zone", order_by="(Booth.row, Booth.col)")


class BoothSize(StrEnum):
    """A booth's size; a large one takes two grid cells' worth of space on the map."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class Booth(Model):
    """One booth on the fair's grid, with its code (e.g. «A-03») and what it offers."""

    __table_args__ = (
        UniqueConstraint("fair_id", "code", name="uq_booth_code"),
        UniqueConstraint("zone_id", "row", "col", name="uq_booth_cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("bazaar_event.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zone.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    row: Mapped[int] = mapped_column()
    col: Mapped[int] = mapped_column()
    size: Mapped[str] = mapped_column(String(8), default=BoothSize.MEDIUM)
    has_power: Mapped[bool] = mapped_column(default=False)
    is_corner: Mapped[bool] = mapped_column(default=False)
    near_entrance: Mapped[bool] = mapped_column(default=False)

    fair: Mapped[BazaarEvent] = relationship(back_populates="booths")
    zone: Mapped[Zone] = relationship(back_populates="booths")


class Application(Model):
    """A producer's application to one fair: the products she brings, what she needs, the jury's
    decision, her booth, her pass and her recorded sales. One per shop and fair."""

    __table_args__ = (
        UniqueConstraint("fair_id", "shop_id", name="uq_application_shop"),
        UniqueConstraint("fair_id", "booth_id", name="uq_application_booth"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("bazaar_event.id", ondelete="CASCADE"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)
    # the top category most of her products belong to: quotas and the booth neighbours use it
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default=ApplicationStatus.SUBMITTED, index=True)
    # no accepted application of this shop at any earlier fair when she applied
    first_timer: Mapped[bool] = mapped_column(default=True)
    needs_power: Mapped[bool] = mapped_column(default=False)
    needs_table: Mapped[bool] = mapped_column(default=False)
    two_people: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    decision_message: Mapped[str] = mapped_column(Text, default="")
    # a freed place offered to this waitlisted application, to confirm before it passes on
    offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offer_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offer_lapsed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    booth_id: Mapped[int | None] = mapped_column(ForeignKey("booth.id", ondelete="SET NULL"))
    booth_locked: Mapped[bool] = mapped_column(default=False)  # placed by hand: automatic runs keep it
    pass_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    fair: Mapped[BazaarEvent] = relationship(back_populates="applications")
    shop: Mapped[Shop] = relationship()
    category: Mapped[Category | None] = relationship()
    booth: Mapped[Booth | None] = relationship()
    items: Mapped[list["ApplicationProduct"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="ApplicationProduct.id"
    )
    scores: Mapped[list["JuryScore"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="JuryScore.id"
    )
    sales: Mapped[list["InPersonSale"]] = relationship(
        back_populates="application", cascade="all, delete-orphan", order_by="InPersonSale.id"
    )

    def __repr__(self) -> str:
        return f"<Application {self.id} fair={self.fair_id} shop={self.shop_id} {self.status}>"


class ApplicationProduct(Model):
    """A published product the producer brings to the fair, with her fair-only discount (applied
    only while the fair is live)."""

    __table_args__ = (
        UniqueConstraint("application_id", "product_id", name="uq_application_product"),
        CheckConstraint("discount_percent >= 0 AND discount_percent <= 90", name="discount_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    discount_percent: Mapped[int] = mapped_column(default=0)

    application: Mapped[Application] = relationship(back_populates="items")
    product: Mapped[Product] = relationship()


class JuryScore(Model):
    """One juror's score (1–5) of one application on one rubric criterion, with a comment."""

    PUBLIC_FIELDS = ()

    __table_args__ = (
        UniqueConstraint("application_id", "juror_id", "criterion", name="uq_jury_score"),
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    score: Mapped[int] = mapped_column()
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    application: Mapped[Application] = relationship(back_populates="scores")
    juror: Mapped[User] = relationship()


class InPersonSale(Model):
    """Sales at the booth, recorded by the producer from her phone (or by staff for her)."""

    PUBLIC_FIELDS = ()

    __table_args__ = (
        CheckConstraint("amount_rial > 0", name="amount_positive"),
        CheckConstraint("item_count >= 1", name="item_count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    amount_rial: Mapped[int] = mapped_column(BigInteger)
    item_count: Mapped[int] = mapped_column()
    note: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    application: Mapped[Application] = relationship(back_populates="sales")
    recorded_by: Mapped[User | None] = relationship()


class FairOrder(Model):
    """An online order placed for pickup at a booth (or at a fair price) while the fair was live."""

    PUBLIC_FIELDS = ()

    fair_id: Mapped[int] = mapped_column(ForeignKey("bazaar_event.id", ondelete="CASCADE"), primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), primary_key=True, index=True)
    booth_code: Mapped[str] = mapped_column(String(16), default="")


class FairDecision(AuditTrailMixin, Model):
    """Audit trail of a fair's and its applications' status changes: who, when, from what to what, why."""

    fair_id: Mapped[int] = mapped_column(ForeignKey("bazaar_event.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
