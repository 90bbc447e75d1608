"""Catalogue rules: product fields, options, photos, listing quality, status changes and listings.

Plain functions with explicit arguments; they flush, never commit (the route commits once).
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PIL import Image, ImageFilter, ImageStat
from sqlalchemy import BigInteger, ColumnElement, Select, cast, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased, contains_eager, joinedload, raiseload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..core import events
from ..core.database import page_with_total
from ..core.dates import utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.money import RIAL_PER_TOMAN, parse_toman
from ..core.numbers import database_id
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from ..shops.models import Shop
from ..shops.services import slugify
from .models import Category, Product, ProductDecision, ProductImage, ProductStatus, ProductVariant

TITLE_MAX = 120
DESCRIPTION_MAX = 4000
TITLE_EN_MAX = 120
DESCRIPTION_EN_MAX = 600  # a short description: buyers abroad read the rest through the photos
MAX_TAGS = 10
MAX_PHOTOS = 8
MAX_VARIANTS = 24
PRICE_MIN_TOMAN = 1_000
PRICE_MAX_TOMAN = 500_000_000
STOCK_MAX = 100_000
PAGE_SIZE = 24
# Public pages load everything they show with the query that fetches it, and turn lazy loading off
# for the rest: a template touching a relationship nobody loaded raises (a failing test) instead of
# quietly running one more query per product. (sql_only: a relationship already in the session,
# or a missing one, such as a top category's parent, still answers.)
NO_LAZY_LOADS = raiseload("*", sql_only=True)
# Which edits send a published product back to review (DESIGN §4): every text a buyer reads on
# its page (title, description, category, materials, tags, option names and values; photos too,
# see _photos_changed). Price, stock, lead time, weight and sizes are facts she keeps current:
# they change at once. Each entry reads the field's reviewed value from a product.
REVIEWED_FIELDS = {
    "title": lambda product: product.title,
    "description": lambda product: product.description,
    "title_en": lambda product: product.title_en,
    "description_en": lambda product: product.description_en,
    "category_id": lambda product: product.category_id,
    "materials": lambda product: product.materials,
    "tags": lambda product: list(product.tags),
    "option1_name": lambda product: product.option1_name,
    "option2_name": lambda product: product.option2_name,
    "option_values": lambda product: sorted((v.value1, v.value2) for v in product.variants),
}


class CatalogError(RuleError):
    """A rule said no; `field` names the form field the message belongs next to."""


@dataclass
class VariantData:
    value1: str
    value2: str = ""
    stock: int = 0
    price_delta_toman: int = 0


@dataclass
class ProductData:
    """What a producer fills in. Prices are toman as she typed them; the service stores rial."""

    title: str
    description: str
    category_id: int
    price_toman: str | int
    stock: int | None = 0
    made_to_order: bool = False
    lead_time_days: int | None = None
    weight_g: int | None = None
    length_cm: int | None = None
    width_cm: int | None = None
    height_cm: int | None = None
    materials: str = ""
    tags: str | list[str] = ""
    option1_name: str = ""
    option2_name: str = ""
    variants: list[VariantData] = field(default_factory=list)
    title_en: str = ""
    description_en: str = ""


# ---------------------------------------------------------------- categories


def all_categories() -> list[Category]:
    """Every category, tree order (top categories each followed by their children), with each one's
    parent and children filled in from the same rows (one query; the tree is two levels deep)."""
    rows = list(db.session.scalars(select(Category).order_by(Category.position).options(NO_LAZY_LOADS)))
    by_id = {category.id: category for category in rows}
    for category in rows:
        set_committed_value(category, "parent", by_id.get(category.parent_id or 0))
        set_committed_value(category, "children", [child for child in rows if child.parent_id == category.id])
    return rows


def category_by_slug(slug: str) -> Category | None:
    """The category with this slug, or None."""
    return db.session.scalar(select(Category).where(Category.slug == slug))


def category_for_page(slug: str) -> Category | None:
    """The category with this slug, its parent and its children (what its page shows), in one query."""
    statement = (
        select(Category)
        .where(Category.slug == slug)
        .options(
            joinedload(Category.parent).raiseload("*", sql_only=True),
            joinedload(Category.children).raiseload("*", sql_only=True),
            NO_LAZY_LOADS,
        )
    )
    return db.session.scalars(statement).unique().first()


def find_category(text: str) -> Category | None:
    """A category by slug or by its Persian or English name (as typed in an import file)."""
    text = normalize_text(text)
    return db.session.scalar(
        select(Category).where(or_(Category.slug == text.lower(), Category.name_fa == text, Category.name_en == text))
    )


CATEGORY_NAME_MAX = 60


def rename_category(category: Category, name_fa: str, name_en: str) -> None:
    """Give the category new Persian and English names (normalised; each non-empty, short and not
    another category's). Search re-indexes its products and the public pages' version moves on:
    both follow from the flush (search.changes, core.pagecache)."""
    names = {"name_fa": normalize_text(name_fa), "name_en": normalize_text(name_en)}
    for field_name, name in names.items():
        if not name:
            raise CatalogError(field_name, _l("Write the name."))
        if len(name) > CATEGORY_NAME_MAX:
            raise CatalogError(field_name, _l("Use at most %(num)s characters.", num=CATEGORY_NAME_MAX))
        column = getattr(Category, field_name)
        taken = db.session.scalar(select(Category.id).where(column == name, Category.id != category.id).limit(1))
        if taken is not None:
            raise CatalogError(field_name, _l("Another category already has this name."))
    category.name_fa = names["name_fa"]
    category.name_en = names["name_en"]
    db.session.flush()


def category_and_children_ids(category: Category) -> list[int]:
    """The category's id and its children's (a listing of a top category shows its whole branch)."""
    return [category.id, *(child.id for child in category.children)]


# ---------------------------------------------------------------- validation


def parse_price(value: str | int) -> int:
    """Toman typed in any digits («۱۲۰٬۰۰۰», "120,000") → rial, or CatalogError when not sane."""
    toman = value if isinstance(value, int) else parse_toman(str(value))
    if toman is None:
        raise CatalogError("price_toman", _l("Write the price in toman with digits only, like 120000."))
    if toman < PRICE_MIN_TOMAN:
        raise CatalogError("price_toman", _l("The price must be at least %(num)s toman.", num=f"{PRICE_MIN_TOMAN:,}"))
    if toman > PRICE_MAX_TOMAN:
        raise CatalogError("price_toman", _l("This price is too high. Please check the number of zeros."))
    return toman * RIAL_PER_TOMAN


# Persian and Arabic letters (the Arabic blocks and their presentation forms)
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def _mostly_persian(text: str) -> bool:
    """Whether most of the text's letters are Persian/Arabic (an "English" field typed in Persian)."""
    letters = [char for char in text if char.isalpha()]
    persian = sum(1 for char in letters if _ARABIC_SCRIPT.match(char))
    return persian * 2 > len(letters)


def check_english(title_en: str, description_en: str) -> tuple[str, str]:
    """The optional English title and short description, cleaned (spaces collapsed, ends trimmed,
    digits 0-9) and checked: short enough and written in Latin letters. Both may be empty.
    Raises ProductInvalid listing each problem next to its field."""
    title = to_latin_digits(normalize_text(title_en))
    description = to_latin_digits(normalize_text(description_en, multiline=True))
    errors: list[tuple[str, object]] = []
    for name, value, limit in (("title_en", title, TITLE_EN_MAX), ("description_en", description, DESCRIPTION_EN_MAX)):
        if len(value) > limit:
            errors.append((name, _l("Use at most %(num)s characters.", num=limit)))
        elif _mostly_persian(value):
            errors.append((name, _l("Write this in English, in Latin letters; leave it empty if you prefer.")))
    if errors:
        raise ProductInvalid(errors)
    return title, description


def set_english(product: Product, title_en: str, description_en: str) -> None:
    """Staff set (or clear) the product's English title and short description during moderation.
    The product keeps its status: the centre's own edit needs no review."""
    product.title_en, product.description_en = check_english(title_en, description_en)
    db.session.flush()


def parse_tags(value: str | list[str]) -> list[str]:
    """Tags from «گلدوزی، روسری, هدیه» or a list: normalised, without duplicates, at most 10."""
    parts = value if isinstance(value, list) else normalize_text(value).replace("،", ",").replace("|", ",").split(",")
    tags = list(dict.fromkeys(normalize_text(part).lstrip("#") for part in parts if normalize_text(part)))
    if len(tags) > MAX_TAGS:
        raise CatalogError("tags", _l("Use at most %(num)s tags.", num=MAX_TAGS))
    if any(len(tag) > 30 for tag in tags):
        raise CatalogError("tags", _l("Each tag can have at most %(num)s characters.", num=30))
    return tags


class ProductInvalid(CatalogError):
    """Every problem of a product's data, found at once: `errors` lists (field, message) pairs in
    form order; `field` and `message` are the first, for callers that show only one."""

    def __init__(self, errors: list[tuple[str, object]]):
        super().__init__(*errors[0])
        self.errors = errors


@dataclass
class CheckedProduct:
    """A product's data after check_product(): normalised, in range, prices in rial."""

    title: str
    description: str
    category: Category
    price_rial: int
    made_to_order: bool
    lead_time_days: int | None
    stock: int
    weight_g: int | None
    sizes: dict[str, int | None]
    materials: str
    tags: list[str]
    option1_name: str
    option2_name: str
    variants: list[VariantData]
    title_en: str = ""
    description_en: str = ""


def _in_range(value: int | None, low: int, high: int) -> bool:
    return value is None or low <= value <= high


def check_product(data: ProductData) -> CheckedProduct:
    """Check every field of `data` (the producer's form and the staff import use this one set of
    rules) and return the cleaned values; raises ProductInvalid listing every problem at once."""
    errors: list[tuple[str, object]] = []

    def attempt(check, value):
        try:
            return check(value)
        except CatalogError as error:
            errors.append((error.field, error.message))
            return None

    title = normalize_text(data.title)
    description = normalize_text(data.description, multiline=True)
    if not title:
        errors.append(("title", _l("Write a title for your product.")))
    elif len(title) > TITLE_MAX:
        errors.append(("title", _l("Use at most %(num)s characters.", num=TITLE_MAX)))
    if len(description) > DESCRIPTION_MAX:
        errors.append(("description", _l("Use at most %(num)s characters.", num=DESCRIPTION_MAX)))
    category_id = database_id(data.category_id)
    category = db.session.get(Category, category_id) if category_id else None
    if category is None:
        errors.append(("category_id", _l("Choose a category.")))
    price_rial = attempt(parse_price, data.price_toman)
    lead_time = data.lead_time_days if data.made_to_order else None
    if data.made_to_order and (lead_time is None or not _in_range(lead_time, 1, 60)):
        errors.append(("lead_time_days", _l("Write how many days it takes, from 1 to 60.")))
    stock = data.stock or 0
    if not _in_range(stock, 0, STOCK_MAX):
        errors.append(("stock", _l("Enter a number between 0 and 100,000.")))
    if not _in_range(data.weight_g, 1, 100_000):
        errors.append(("weight_g", _l("Write the weight in grams, from 1 to 100,000.")))
    sizes = {name: getattr(data, name) for name in ("length_cm", "width_cm", "height_cm")}
    for name, value in sizes.items():
        if not _in_range(value, 1, 1000):
            errors.append((name, _l("Write a size in centimetres, from 1 to 1,000.")))
    materials = normalize_text(data.materials)
    if len(materials) > 200:
        errors.append(("materials", _l("Use at most %(num)s characters.", num=200)))
    tags = attempt(parse_tags, data.tags)
    option1, option2 = normalize_text(data.option1_name)[:30], normalize_text(data.option2_name)[:30]
    variants = attempt(lambda rows: _clean_variants(option1, option2, rows, price_rial), data.variants)
    try:
        title_en, description_en = check_english(data.title_en, data.description_en)
    except ProductInvalid as invalid:
        errors.extend(invalid.errors)
    if errors:
        raise ProductInvalid(errors)
    assert category is not None  # a missing category is one of the errors above
    return CheckedProduct(
        title=title,
        description=description,
        category=category,
        price_rial=price_rial,
        made_to_order=data.made_to_order,
        lead_time_days=lead_time,
        stock=stock,
        weight_g=data.weight_g,
        sizes=sizes,
        materials=materials,
        tags=tags,
        option1_name=option1,
        option2_name=option2,
        variants=variants,
        title_en=title_en,
        description_en=description_en,
    )


def _apply(product: Product, data: ProductData) -> None:
    """Validate `data` completely, then write it onto `product` (nothing is written on an error)."""
    checked = check_product(data)
    variants = checked.variants
    product.title, product.description, product.category = checked.title, checked.description, checked.category
    product.title_en, product.description_en = checked.title_en, checked.description_en
    product.slug = slugify(checked.title) or "product"
    product.price_rial = checked.price_rial
    product.made_to_order, product.lead_time_days = checked.made_to_order, checked.lead_time_days
    product.stock = sum(v.stock for v in variants) if variants else checked.stock
    product.weight_g = checked.weight_g
    for name, value in checked.sizes.items():
        setattr(product, name, value)
    product.materials, product.tags = checked.materials, checked.tags
    option1, option2 = checked.option1_name, checked.option2_name
    product.option1_name, product.option2_name = option1, option2 if option1 else ""
    _update_variants(product, variants)


def _update_variants(product: Product, variants: list[VariantData]) -> None:
    """Make the product's option rows match `variants`, updating rows in place (matched by their
    values); rows no longer wanted are deleted (delete-orphan), new combinations are added.

    Replacing the whole list would INSERT the new rows before the old ones are DELETEd, and the
    unique (product_id, value1, value2) constraint would fire for every unchanged combination."""
    existing = {(row.value1, row.value2): row for row in product.variants}
    rows = []
    for position, v in enumerate(variants):
        row = existing.get((v.value1, v.value2)) or ProductVariant(value1=v.value1, value2=v.value2)
        row.stock = v.stock
        row.price_delta_rial = v.price_delta_toman * RIAL_PER_TOMAN
        row.position = position
        rows.append(row)
    product.variants = rows


def _clean_variants(option1: str, option2: str, rows: list[VariantData], price_rial: int | None) -> list[VariantData]:
    """Option combinations, each once, with stock ≥ 0 and a final price (the product's price plus
    the row's difference) inside the allowed price range (checked when the product's own price is
    right, `price_rial` not None); rows without a first value are ignored.

    A problem with one row's price names that row's field (`variants-<n>-price_delta`), so the
    message shows next to it."""
    cleaned = []
    seen = set()
    for index, row in enumerate(rows):
        # Without a second option a typed second value is dropped here, before the duplicate check:
        # ("M", "red") and ("M", "blue") are then both "M" and must be reported, not inserted twice.
        value1, value2 = normalize_text(row.value1)[:40], normalize_text(row.value2)[:40] if option2 else ""
        if not value1:
            continue
        if not option1:
            raise CatalogError("option1_name", _l("Name the option first, like «size» or «colour»."))
        if option2 and not value2:
            raise CatalogError("variants", _l("Every row needs a value for «%(name)s».", name=option2))
        if (value1, value2) in seen:
            raise CatalogError("variants", _l("«%(value)s» is listed twice.", value=f"{value1} {value2}".strip()))
        if not 0 <= row.stock <= STOCK_MAX or abs(row.price_delta_toman) > PRICE_MAX_TOMAN:
            raise CatalogError("variants", _l("Check the stock and price difference of «%(value)s».", value=value1))
        final_toman = price_rial // RIAL_PER_TOMAN + row.price_delta_toman if price_rial is not None else None
        if final_toman is not None and final_toman < PRICE_MIN_TOMAN:
            raise CatalogError(
                f"variants-{index}-price_delta",
                _l(
                    "With this difference «%(value)s» would cost less than %(num)s toman. Make the difference smaller.",
                    value=f"{value1} {value2}".strip(),
                    num=f"{PRICE_MIN_TOMAN:,}",
                ),
            )
        if final_toman is not None and final_toman > PRICE_MAX_TOMAN:
            raise CatalogError(
                f"variants-{index}-price_delta",
                _l(
                    "With this difference «%(value)s» would cost too much. Please check the number of zeros.",
                    value=f"{value1} {value2}".strip(),
                ),
            )
        seen.add((value1, value2))
        cleaned.append(VariantData(value1, value2, row.stock, row.price_delta_toman))
    if len(cleaned) > MAX_VARIANTS:
        raise CatalogError("variants", _l("Use at most %(num)s combinations.", num=MAX_VARIANTS))
    return cleaned


# ---------------------------------------------------------------- products


def owned_product(shop: Shop | None, product_id: int) -> Product | None:
    """The product with this id if it belongs to `shop`; every producer route loads products here."""
    if shop is None:
        return None
    return db.session.scalar(select(Product).where(Product.id == product_id, Product.shop_id == shop.id))


def shop_products(shop: Shop, status: str | None = None) -> list[Product]:
    """Her products, newest first, optionally in one status."""
    statement = select(Product).where(Product.shop_id == shop.id).order_by(Product.updated_at.desc(), Product.id.desc())
    if status:
        statement = statement.where(Product.status == status)
    return list(db.session.scalars(statement))


def create_product(shop: Shop, data: ProductData) -> Product:
    """A new draft product in her shop."""
    product = Product(shop=shop, title="", slug="", price_rial=0)
    _apply(product, data)
    db.session.add(product)
    db.session.flush()
    return product


def update_product(product: Product, data: ProductData, actor: User) -> bool:
    """Save her edits. A published product whose reviewed text changed (REVIEWED_FIELDS) goes back
    to review (returns True then); price, stock and the rest change at once."""
    before = {name: read(product) for name, read in REVIEWED_FIELDS.items()}
    _apply(product, data)
    db.session.flush()
    changed = any(read(product) != before[name] for name, read in REVIEWED_FIELDS.items())
    if changed and product.status == ProductStatus.PUBLISHED:
        _move(product, actor, "resubmit")
        return True
    return False


def listed_with_photos(products: list[Product]) -> int:
    """How many of these products count for the brand score: not archived, with a photo."""
    return sum(1 for product in products if product.images and product.status != ProductStatus.ARCHIVED)


def duplicate_product(product: Product) -> Product:
    """A draft copy (photos included: they point at the same stored files)."""
    copy = Product(
        shop_id=product.shop_id,
        category_id=product.category_id,
        slug=product.slug,
        title=normalize_text(f"{product.title} (کپی)")[:TITLE_MAX],
        description=product.description,
        title_en=product.title_en,
        description_en=product.description_en,
        price_rial=product.price_rial,
        stock=product.stock,
        made_to_order=product.made_to_order,
        lead_time_days=product.lead_time_days,
        weight_g=product.weight_g,
        length_cm=product.length_cm,
        width_cm=product.width_cm,
        height_cm=product.height_cm,
        materials=product.materials,
        tags=list(product.tags),
        option1_name=product.option1_name,
        option2_name=product.option2_name,
        variants=[
            ProductVariant(
                value1=v.value1,
                value2=v.value2,
                stock=v.stock,
                price_delta_rial=v.price_delta_rial,
                position=v.position,
            )
            for v in product.variants
        ],
        images=[ProductImage(position=i.position, stored=dict(i.stored), tips=list(i.tips)) for i in product.images],
    )
    db.session.add(copy)
    db.session.flush()
    return copy


# ---------------------------------------------------------------- photos


def photo_tips(image: Image.Image) -> list[str]:
    """Friendly checks on a product photo: "small", "dark", "bright", "blurry" (low edge variance)."""
    tips = []
    if min(image.size) < 600:
        tips.append("small")
    grey = image.convert("L")
    grey.thumbnail((512, 512))
    brightness = ImageStat.Stat(grey).mean[0]
    if brightness < 60:
        tips.append("dark")
    elif brightness > 215:
        tips.append("bright")
    edges_image = grey.filter(ImageFilter.FIND_EDGES)
    width, height = edges_image.size
    # the filter lights up the image's own border; measure the inside only
    edges = ImageStat.Stat(edges_image.crop((2, 2, width - 2, height - 2))).var[0]
    if edges < 60:
        tips.append("blurry")
    return tips


def add_photo(product: Product, stored: dict, tips: list[str], actor: User) -> ProductImage:
    """Add a stored photo at the end (at most 8); on a published product this sends it to review."""
    if len(product.images) >= MAX_PHOTOS:
        raise CatalogError("photos", _l("A product can have at most %(num)s photos.", num=MAX_PHOTOS))
    image = ProductImage(stored=stored, tips=tips, position=len(product.images))
    product.images.append(image)
    _photos_changed(product, actor)
    return image


def remove_photo(product: Product, image_id: int, actor: User) -> None:
    """Delete one of her photos (the stored files stay: other products may share them)."""
    image = next((i for i in product.images if i.id == image_id), None)
    if image is None:
        raise CatalogError("photos", _l("This photo was not found."))
    product.images.remove(image)
    _renumber(product)
    _photos_changed(product, actor)


def move_photo(product: Product, image_id: int, offset: int, actor: User) -> None:
    """Move a photo earlier (-1) or later (+1); position 0 is the cover."""
    images = list(product.images)
    index = next((n for n, i in enumerate(images) if i.id == image_id), None)
    if index is None:
        raise CatalogError("photos", _l("This photo was not found."))
    target = max(0, min(len(images) - 1, index + offset))
    images.insert(target, images.pop(index))
    for position, image in enumerate(images):
        image.position = position
    product.images.sort(key=lambda i: i.position)
    _photos_changed(product, actor)


def make_cover(product: Product, image_id: int, actor: User) -> None:
    """Make this photo the cover (first)."""
    move_photo(product, image_id, -MAX_PHOTOS, actor)


def _renumber(product: Product) -> None:
    for position, image in enumerate(product.images):
        image.position = position


def _photos_changed(product: Product, actor: User) -> None:
    product.updated_at = utcnow()
    if product.status == ProductStatus.PUBLISHED:
        _move(product, actor, "resubmit")


# ---------------------------------------------------------------- listing quality

TIP_TEXTS = {
    "small": _l("This photo is small. Take it closer, or send the original from your phone's gallery."),
    "dark": _l("This photo is dark. Take it near a window in daylight, on a plain cloth."),
    "bright": _l("This photo is too bright. Avoid direct sun; daylight near a window is best."),
    "blurry": _l("This photo looks blurry. Hold the phone still, tap the product to focus, then take it."),
}


@dataclass(frozen=True)
class QualityItem:
    key: str
    label: object
    points: int
    done: bool


def completeness(product: Product) -> tuple[int, list[QualityItem]]:
    """0–100 listing completeness with what is missing, shown while she edits."""
    items = [
        QualityItem("title", _l("A clear title"), 15, len(product.title) >= 10),
        QualityItem("description", _l("A description of at least 150 characters"), 25, len(product.description) >= 150),
        QualityItem("photos", _l("At least 3 photos"), 30, len(product.images) >= 3),
        QualityItem("tags", _l("At least 3 tags"), 10, len(product.tags) >= 3),
        QualityItem("weight", _l("The weight in grams"), 10, bool(product.weight_g)),
        QualityItem("category", _l("A specific category"), 10, product.category.parent_id is not None),
    ]
    return sum(item.points for item in items if item.done), items


# ---------------------------------------------------------------- status

_S = ProductStatus
# The product's state machine (DESIGN §4), the one table of its allowed moves:
# action → (the states it may start from, the state it leads to).
TRANSITIONS: dict[str, tuple[frozenset[ProductStatus], ProductStatus]] = {
    "submit": (frozenset({_S.DRAFT, _S.CHANGES_REQUESTED}), _S.IN_REVIEW),
    "publish": (frozenset({_S.IN_REVIEW}), _S.PUBLISHED),
    "request_changes": (frozenset({_S.IN_REVIEW}), _S.CHANGES_REQUESTED),
    # a reviewed field of a published product changed: back to the queue (never chosen by a person)
    "resubmit": (frozenset({_S.PUBLISHED}), _S.IN_REVIEW),
    "archive": (frozenset({_S.DRAFT, _S.IN_REVIEW, _S.PUBLISHED, _S.CHANGES_REQUESTED}), _S.ARCHIVED),
    "restore": (frozenset({_S.ARCHIVED}), _S.DRAFT),
}
STAFF_ACTIONS = {"publish", "request_changes"}


def _move(product: Product, actor: User | None, action: str, reason: str = "") -> None:
    """Make one move of TRANSITIONS and record it; a move not in the table is refused."""
    allowed_from, target = TRANSITIONS[action]
    if product.status not in allowed_from:
        raise CatalogError("action", _l("This product cannot be changed that way now."))
    db.session.add(
        ProductDecision(
            product=product, actor=actor, action=action, from_status=product.status, to_status=target, reason=reason
        )
    )
    product.status = target
    if action in ("submit", "resubmit"):
        product.submitted_at = utcnow()
    if target == ProductStatus.PUBLISHED:
        product.published_at = product.published_at or utcnow()


def publish_blockers(product: Product) -> list:
    """Why the product cannot be published now (empty when it can): catalog's own rules, then
    every answer to the product_publish_blockers signal (registration's mandatory items)."""
    problems = []
    if not product.shop.is_public:
        problems.append(_l("The shop is not approved yet."))
    if not product.images:
        problems.append(_l("Add at least one photo."))
    return problems + events.collect(events.product_publish_blockers, product)


def change_status(product: Product, actor: User, action: str, reason: str = "") -> None:
    """Move the product along its state machine (DESIGN §4), recording who, when and why."""
    if action not in TRANSITIONS:
        raise CatalogError("action", _l("Unknown action."))
    if product.status not in TRANSITIONS[action][0]:
        raise CatalogError("action", _l("This product cannot be changed that way now."))
    reason = normalize_text(reason, multiline=True)
    if action == "submit" and not product.images:
        raise CatalogError("action", _l("Add at least one photo before sending it for review."))
    if action == "request_changes" and not reason:
        raise CatalogError("reason", _l("Write the reason; the producer will see it."))
    if action == "publish":
        blockers = publish_blockers(product)
        if blockers:
            raise CatalogError("action", blockers[0])
    _move(product, actor, action, reason)
    product.status_reason = reason if action == "request_changes" else ""


def staff_decision(product: Product, staff: User, action: str, reason: str = "") -> None:
    """A reviewer's decision from the moderation page: publish, or ask for changes with a reason."""
    if action not in STAFF_ACTIONS:
        raise CatalogError("action", _l("Unknown action."))
    change_status(product, staff, action, reason)


def review_queue() -> list[Product]:
    """Products waiting for review, oldest first."""
    return list(
        db.session.scalars(
            select(Product)
            .where(Product.status == ProductStatus.IN_REVIEW)
            .order_by(Product.submitted_at.asc(), Product.id.asc())
        )
    )


# ---------------------------------------------------------------- public listings

SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "newest": (Product.published_at.desc(), Product.id.desc()),
    "price_asc": (Product.price_rial.asc(), Product.id.desc()),
    "price_desc": (Product.price_rial.desc(), Product.id.desc()),
}


def public_products(photos=selectinload):
    """The select of products buyers may see: published, in an approved shop. Cards show the cover
    and the shop's name, so the shop is joined and the photos are loaded with the products: by one
    more query for all of them (`selectinload`), or joined to the rows (`joinedload`: one query, a
    row per photo; the caller then takes `.unique()` results). Nothing else is loaded."""
    return (
        select(Product)
        .join(Shop)
        .where(Product.is_public)
        .options(contains_eager(Product.shop).raiseload("*", sql_only=True), photos(Product.images), NO_LAZY_LOADS)
    )


@dataclass
class Listing:
    """A page of products and how many there are in all (what the category page's pager needs)."""

    items: list[Product]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def next_num(self) -> int:
        return self.page + 1


def category_listing(category: Category, sort: str, page: int) -> Listing:
    """A page of the category's (and its children's) public products, and their number."""
    return public_listing([Product.category_id.in_(category_and_children_ids(category))], sort, page)


def public_listing(where: list, sort: str, page: int, per_page: int = PAGE_SIZE) -> Listing:
    """A page of the public products meeting `where` (criteria on Product, or on Shop, which is
    joined), and their number (core.database.page_with_total). The category page and the JSON API
    list products with it."""
    order = SORTS.get(sort, SORTS["newest"])
    rows, total = page_with_total(public_products().where(*where).order_by(*order), page, per_page)
    return Listing([product for (product,) in rows], total, page, per_page)


def product_for_page(product_id: int) -> Product | None:
    """The product with everything its page shows of it but the photos (its shop, its category and
    the category's parent, its option combinations), in one query; nothing else is loaded."""
    statement = (
        select(Product)
        .where(Product.id == product_id)
        .options(
            joinedload(Product.shop, innerjoin=True).raiseload("*", sql_only=True),
            joinedload(Product.category, innerjoin=True).joinedload(Category.parent).raiseload("*", sql_only=True),
            joinedload(Product.variants),
            NO_LAZY_LOADS,
        )
    )
    return db.session.scalars(statement).unique().first()


def photos_and_more(product: Product, limit: int = 4) -> tuple[list[Product], list[Product]]:
    """Load the product's photos, and the public products its page shows under it, in one query:
    up to `limit` more of its shop, and up to `limit` of its category from other shops, newest
    first, each with its shop and photos. Returns (more from the shop, more from the category)."""

    def newest(*where) -> Select:
        chosen = select(Product.id).where(Product.is_public, *where).order_by(*SORTS["newest"]).limit(limit).subquery()
        return select(chosen.c.id)  # a limited SELECT wrapped, so that SQLite accepts it in a UNION

    shown = union_all(
        newest(Product.shop_id == product.shop_id, Product.id != product.id),
        newest(Product.category_id == product.category_id, Product.shop_id != product.shop_id),
    )
    photo = aliased(ProductImage)
    statement = (
        select(Product)
        .join(Product.shop)
        .outerjoin(Product.images.of_type(photo))
        .where(or_(Product.id == product.id, Product.id.in_(shown)))
        .order_by(*SORTS["newest"], photo.position)
        .options(
            contains_eager(Product.shop).raiseload("*", sql_only=True),
            contains_eager(Product.images.of_type(photo)),
            NO_LAZY_LOADS,
        )
    )
    products = [row for row in db.session.scalars(statement).unique() if row.id != product.id]
    more_shop = [row for row in products if row.shop_id == product.shop_id]
    return more_shop, [row for row in products if row.shop_id != product.shop_id]


def newest_products(limit: int = 8) -> list[Product]:
    """The newest public products (home page), with their shops and photos (one query: at most
    `limit` × MAX_PHOTOS rows)."""
    statement = public_products(photos=joinedload).order_by(*SORTS["newest"]).limit(limit)
    return list(db.session.scalars(statement).unique())


def featured_shops(today: date, limit: int = 6) -> list[Shop]:
    """The home page's workshops for `today` (a Tehran date): approved shops with at least one public
    product, a window of `limit` that moves on by `limit` each day, so every such shop gets its turn
    within ceil(count / limit) days and the choice stays the same all day (one query, no writes).

    The shops are put in a fixed shuffled order (by a multiplicative hash of the id, not the date,
    so the shops shown together are not simply neighbours in signup order), numbered 0…count-1 by a
    window function; today's window starts at today.toordinal() * limit, wrapping round."""
    # Knuth's multiplicative hash, the same in SQLite and PostgreSQL (in 64-bit integers)
    shuffled = (cast(Shop.id, BigInteger) * literal(2654435761, BigInteger)) % literal(4294967296, BigInteger)
    ranked = (
        select(
            Shop.id.label("id"),
            (func.row_number().over(order_by=(shuffled, Shop.id)) - 1).label("place"),
            func.count().over().label("shops"),
        )
        .where(Shop.is_public, Shop.id.in_(select(Product.shop_id).where(Product.is_public)))
        .subquery()
    )
    start = (today.toordinal() * limit) % ranked.c.shops
    turn = (ranked.c.place - start + ranked.c.shops) % ranked.c.shops
    statement = (
        select(Shop).join(ranked, ranked.c.id == Shop.id).where(turn < limit).order_by(turn).options(NO_LAZY_LOADS)
    )
    return list(db.session.scalars(statement))


def category_counts() -> dict[int, int]:
    """How many public products each category holds directly."""
    rows = db.session.execute(
        select(Product.category_id, func.count()).where(Product.is_public).group_by(Product.category_id)
    )
    return dict(rows.all())


def price_range(product: Product) -> tuple[int, int]:
    """The lowest and highest price in rial over the product's option combinations."""
    if not product.variants:
        return product.price_rial, product.price_rial
    prices = [product.price_rial + v.price_delta_rial for v in product.variants]
    return min(prices), max(prices)


def in_stock(product: Product) -> bool:
    """Can a buyer order it now: made to order (and the shop not away), or units on hand."""
    if product.made_to_order:
        return not product.shop.away
    return product.stock > 0


def shop_listing(shop: Shop, limit: int = 48) -> list[Product]:
    """The shop's public products for its storefront, newest first, with their photos (one query;
    their shop is the one the caller holds)."""
    statement = (
        select(Product)
        .where(Product.shop_id == shop.id, Product.status == ProductStatus.PUBLISHED)
        .order_by(*SORTS["newest"])
        .limit(limit)
        .options(joinedload(Product.images), NO_LAZY_LOADS)
    )
    return list(db.session.scalars(statement).unique())
