"""Catalogue tables: the category tree, products, their option combinations, photos and decisions."""

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
    and_,
    select,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.audit import AuditTrailMixin
from ..core.dates import utcnow
from ..extensions import Model
from ..shops.models import Shop, ShopStatus

KINDS = ("handicraft", "food", "textile", "cosmetics", "general")


class ProductStatus(StrEnum):
    """A product's states (DESIGN §4); the values are what the `status` column stores. The allowed
    moves are `catalog.services.TRANSITIONS`."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    CHANGES_REQUESTED = "changes_requested"
    ARCHIVED = "archived"


PRODUCT_STATUSES = tuple(ProductStatus)


class Category(Model):
    """A category; top categories carry the regulatory kind that drives the registration checklist."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_fa: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"))
    kind: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(default=0)

    parent: Mapped["Category | None"] = relationship(remote_side="Category.id", back_populates="children")
    children: Mapped[list["Category"]] = relationship(back_populates="parent", order_by="Category.position")

    def name(self, locale: str) -> str:
        """The category's name in `locale` (fa or en)."""
        return self.name_en if locale == "en" else self.name_fa

    @property
    def top(self) -> "Category":
        """The top category above this one (itself when it is one): it carries the regulatory kind."""
        category = self
        while category.parent is not None:
            category = category.parent
        return category


class Product(Model):
    """Something a producer sells. Prices are integer rial; the UI shows and takes toman."""

    # Checkout takes stock with a conditional UPDATE; the database itself refuses to go below zero.
    __table_args__ = (CheckConstraint("stock >= 0", name="stock_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("category.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140))
    description: Mapped[str] = mapped_column(Text, default="")
    # Optional English title and short description for buyers abroad (the English locale shows them
    # when present, else the Persian ones): written by the producer or by staff during moderation.
    title_en: Mapped[str] = mapped_column(String(120), default="", server_default="")
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    price_rial: Mapped[int] = mapped_column(BigInteger)
    # stock counts units on hand; made-to-order products have none and a lead time instead
    stock: Mapped[int] = mapped_column(default=0)
    made_to_order: Mapped[bool] = mapped_column(default=False)
    lead_time_days: Mapped[int | None] = mapped_column()
    weight_g: Mapped[int | None] = mapped_column()
    length_cm: Mapped[int | None] = mapped_column()
    width_cm: Mapped[int | None] = mapped_column()
    height_cm: Mapped[int | None] = mapped_column()
    materials: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    option1_name: Mapped[str] = mapped_column(String(30), default="")
    option2_name: Mapped[str] = mapped_column(String(30), default="")
    # units sold lately and favourites, rolled up in the background by orders (never in a request)
    popularity: Mapped[int] = mapped_column(default=0)

    status: Mapped[str] = mapped_column(String(20), default=ProductStatus.DRAFT, index=True)
    status_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    shop: Mapped[Shop] = relationship()
    category: Mapped[Category] = relationship()
    variants: Mapped[list["ProductVariant"]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductVariant.position"
    )
    images: Mapped[list["ProductImage"]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductImage.position"
    )
    decisions: Mapped[list["ProductDecision"]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductDecision.id.desc()"
    )

    @hybrid_property
    def is_public(self) -> bool:
        """May buyers see it: published, in an approved shop. The one place this rule is written;
        in SQL `where(Product.is_public)` works with or without a join to the shop."""
        return self.status == ProductStatus.PUBLISHED and self.shop.status == ShopStatus.APPROVED

    @is_public.inplace.expression
    @classmethod
    def _is_public_sql(cls):
        approved_shops = select(Shop.id).where(Shop.status == ShopStatus.APPROVED)
        return and_(cls.status == ProductStatus.PUBLISHED, cls.shop_id.in_(approved_shops))

    @property
    def cover(self) -> "ProductImage | None":
        """The first photo is the cover."""
        return self.images[0] if self.images else None

    @property
    def kind(self) -> str:
        """The regulatory kind of the product's top category."""
        return self.category.top.kind

    def display_title(self, locale: object) -> str:
        """The title buyers read in `locale`: the English one in English when there is one, else the
        Persian (the Persian locale always shows the Persian title)."""
        return self.title_en if str(locale) == "en" and self.title_en else self.title

    def display_description(self, locale: object) -> str:
        """The description buyers read in `locale`, chosen as display_title() chooses the title."""
        return self.description_en if str(locale) == "en" and self.description_en else self.description

    def __repr__(self) -> str:
        return f"<Product {self.id} {self.title!r}>"


class ProductVariant(Model):
    """One combination of the product's options (e.g. size M, colour red) with its own stock and
    an optional price difference in rial."""

    __table_args__ = (
        UniqueConstraint("product_id", "value1", "value2", name="uq_product_variant_values"),
        CheckConstraint("stock >= 0", name="stock_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    value1: Mapped[str] = mapped_column(String(40))
    value2: Mapped[str] = mapped_column(String(40), default="")
    stock: Mapped[int] = mapped_column(default=0)
    price_delta_rial: Mapped[int] = mapped_column(BigInteger, default=0)
    position: Mapped[int] = mapped_column(default=0)

    product: Mapped[Product] = relationship(back_populates="variants")


class ProductImage(Model):
    """A product photo, stored by the core pipeline; position 0 is the cover."""

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    # core.images.StoredImage.as_dict(): key, width, height, dominant_color, variants
    stored: Mapped[dict] = mapped_column(JSON)
    # listing-quality tips found when the photo was uploaded (codes such as "dark", "blurry")
    tips: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    product: Mapped[Product] = relationship(back_populates="images")


class ProductDecision(AuditTrailMixin, Model):
    """Audit trail of a product's status changes: who, when, why."""

    product_id: Mapped[int] = mapped_column(ForeignKey("product.id", ondelete="CASCADE"), index=True)

    product: Mapped[Product] = relationship(back_populates="decisions")
