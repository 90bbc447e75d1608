"""Bulk import for centre staff: many producers' products from one CSV file (and their photos).

Every row is checked first (photos decoded too) and every problem is reported by row and column;
nothing is written unless the whole file is right. Plain functions with explicit arguments; they
flush, never commit (the CLI command or the staff page commits once).
"""

import csv
import io
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from sqlalchemy import select

from ..accounts import services as accounts
from ..accounts.models import User
from ..catalog import services
from ..catalog.models import Category, Product
from ..core.images import ImageRejected, load_upload, read_limited, store_variants
from ..core.messages import lazy_gettext as _l
from ..core.money import RIAL_PER_TOMAN
from ..core.numbers import clean_digits, parse_whole
from ..core.persian import normalize_text
from ..core.phone import PhoneError, normalize_iranian_mobile
from ..extensions import db
from ..shops import services as shops
from ..shops.models import Shop

COLUMNS = (
    "shop_slug", "shop_name", "owner_phone", "owner_name", "neighbourhood", "title", "description",
    "category", "price_toman", "stock", "made_to_order_days", "tags", "images",
)  # fmt: skip
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif")
MAX_ROWS = 5000
MAX_CSV_BYTES = 5 * 2**20
MAX_ZIP_FILES = 2000
# Stored with the shop approvals and checklist waivers the import records.
IMPORT_REASON = "ثبت گروهی به دست کارشناس مرکز"
STAFF_ACCOUNT_MESSAGE = _l(
    "This number (or this shop's owner) is a centre staff account. "
    "Only an administrator can import products for staff accounts."
)
# A service's field name → the CSV column its message belongs to.
FIELD_COLUMNS = {"category_id": "category", "lead_time_days": "made_to_order_days", "photos": "images"}


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (the header is row 1; 0 for the file as a whole), the
    column and a lazily translated message."""

    row: int
    column: str
    message: object


class ImportFailed(Exception):
    """The file cannot be imported as it is; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass
class ImportSummary:
    """What an import did (or, for a dry run, would do)."""

    producers_created: int = 0
    shops_created: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_published: int = 0
    photos_added: int = 0
    waivers: int = 0
    dry_run: bool = False

    def lines(self) -> list[tuple[object, int]]:
        """(label, count) pairs for the CLI and the staff page."""
        return [
            (_l("Producers created"), self.producers_created),
            (_l("Shops created"), self.shops_created),
            (_l("Products created"), self.products_created),
            (_l("Products updated"), self.products_updated),
            (_l("Products published"), self.products_published),
            (_l("Photos added"), self.photos_added),
            (_l("Checklist items waived"), self.waivers),
        ]


def is_staff_account(user: User) -> bool:
    """A centre staff member's or an administrator's account."""
    return user.has_role("staff") or user.has_role("admin")


def may_import_for_staff(actor: User | None) -> bool:
    """Only an administrator's import may make a staff or admin account a producer or give it a shop
    (staff may not change other staff's accounts: staff.services.may_manage)."""
    return actor is not None and actor.has_role("admin")


# ---------------------------------------------------------------- photos


class FolderImages:
    """Photos looked up by file name in one folder (the CLI's --images DIR), never outside it."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder).resolve()

    def read(self, name: str, max_bytes: int) -> bytes | None:
        """The photo's bytes, None when there is no such file; ImageRejected when too big."""
        path = (self.folder / name).resolve()
        if path.parent != self.folder or not path.is_file():
            return None
        with path.open("rb") as source:
            return read_limited(source, max_bytes)


class ZipImages:
    """Photos from an uploaded ZIP, read in memory by their base name: nothing is extracted to
    disk (no path can escape), only image files are looked at, each read up to the size limit."""

    def __init__(self, stream: BinaryIO):
        try:
            self.archive = zipfile.ZipFile(stream)
            infos = self.archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise ImportFailed([RowError(0, "images", _l("The photos file is not a ZIP archive."))])
        if len(infos) > MAX_ZIP_FILES:
            raise ImportFailed([RowError(0, "images", _l("The ZIP has more than %(num)s files.", num=MAX_ZIP_FILES))])
        self.entries: dict[str, zipfile.ZipInfo] = {}
        self.duplicates: set[str] = set()
        for info in infos:
            path = PurePosixPath(info.filename.replace("\\", "/"))
            name = _file_name_key(path.name)
            if info.is_dir() or "__MACOSX" in path.parts or name.startswith(".") or not _is_image_name(name):
                continue
            if name in self.entries:
                self.duplicates.add(name)
            self.entries[name] = info

    def read(self, name: str, max_bytes: int) -> bytes | None:
        """The photo's bytes, None when the ZIP has no such photo; ImageRejected when too big or unreadable."""
        key = _file_name_key(name)
        info = self.entries.get(key)
        if info is None:
            return None
        if key in self.duplicates:
            raise ImageRejected("ambiguous", _l("Two files in the ZIP are named «%(name)s».", name=name))
        try:
            with self.archive.open(info) as member:
                return read_limited(member, max_bytes)
        except ImageRejected:
            raise
        except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError) as error:
            # encrypted, an unknown compression method, a broken entry…
            raise ImageRejected("corrupt", _l("«%(name)s» could not be read from the ZIP.", name=name), str(error))


def _file_name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip())


def _is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_EXTENSIONS)


def _photo_name_problem(name: str):
    if "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
        return _l("Write only the photo's file name, like jam-1.jpg.")
    if not _is_image_name(name):
        return _l("«%(name)s» is not a photo: use JPEG, PNG, WebP or HEIC files.", name=name)
    return None


# ---------------------------------------------------------------- reading and checking


def read_csv(raw: bytes) -> list[tuple[int, dict[str, str]]]:
    """The rows of a UTF-8 CSV (with or without BOM) as (spreadsheet row, {column: text}).
    Raises ImportFailed for a file that is not UTF-8, has unknown or missing columns, or no rows."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed([RowError(0, "", _l("The file is not UTF-8 text. In Excel, save it as «CSV UTF-8»."))])
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        raise ImportFailed([RowError(0, "", _l("The file could not be read as CSV."))])
    header = [normalize_text(name).lower() for name in records[0]] if records else []
    if not any(header):
        raise ImportFailed([RowError(0, "", _l("The file is empty."))])
    errors = []
    for name in dict.fromkeys(header):
        if name and name not in COLUMNS:
            errors.append(RowError(1, name, _l("Unknown column «%(name)s».", name=name)))
        elif name and header.count(name) > 1:
            errors.append(RowError(1, name, _l("The column «%(name)s» appears twice.", name=name)))
    errors += [
        RowError(1, name, _l("The column «%(name)s» is missing.", name=name)) for name in COLUMNS if name not in header
    ]
    if errors:
        raise ImportFailed(errors)
    rows = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
            errors.append(RowError(number, "", _l("This row has more cells than the header.")))
            continue
        rows.append((number, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header) if name}))
    if len(rows) > MAX_ROWS:
        errors.append(
            RowError(0, "", _l("The file has more than %(num)s rows. Split it into smaller files.", num=MAX_ROWS))
        )
    if not rows and not errors:
        errors.append(RowError(0, "", _l("The file has no products.")))
    if errors:
        raise ImportFailed(errors)
    return rows


@dataclass
class PlannedRow:
    """One checked row: where its product goes and what it becomes."""

    row: int
    shop_key: str
    phone: str
    data: services.ProductData
    images: list[str]
    product: Product | None


@dataclass
class PlannedShop:
    """A shop the rows refer to: found in the database, or to be created for its producer."""

    key: str
    shop: Shop | None
    name: str = ""
    neighbourhood: str = ""
    craft: str = ""
    phone: str = ""
    first_row: int = 0
    bad_phone: bool = False


@dataclass
class ImportPlan:
    """Everything checked, nothing written yet."""

    rows: list[PlannedRow]
    shops: dict[str, PlannedShop]
    producers: dict[str, User | None]  # phone → existing account, or None to create one
    producer_names: dict[str, str]
    publish: bool = False

    def summary(self) -> ImportSummary:
        """What applying this plan would do (the dry run's report)."""
        return ImportSummary(
            producers_created=sum(user is None for user in self.producers.values()),
            shops_created=sum(planned.shop is None for planned in self.shops.values()),
            products_created=sum(row.product is None for row in self.rows),
            products_updated=sum(row.product is not None for row in self.rows),
            products_published=sum(
                self.publish and (row.product is None or row.product.status not in ("published", "archived"))
                for row in self.rows
            ),
            dry_run=True,
        )


class _Checker:
    """Collects the problems of every row; plan_import() drives it."""

    def __init__(self, images, limits: dict, publish: bool, actor: User | None = None):
        self.images, self.limits, self.publish = images, limits, publish
        self.may_touch_staff = may_import_for_staff(actor)
        self.errors: list[RowError] = []
        self.shops: dict[str, PlannedShop] = {}
        self.producers: dict[str, User | None] = {}
        self.producer_names: dict[str, str] = {}
        self.phone_shop: dict[str, str] = {}
        self.titles: dict[tuple[str, str], int] = {}
        self.checked_photos: dict[str, object] = {}  # name → None when fine, else the message
        self.slugs: dict[str, str] = {}  # a slug a new shop will take → its key

    def error(self, row: int, column: str, message) -> None:
        self.errors.append(RowError(row, column, message))

    def check_row(self, number: int, values: dict[str, str]) -> PlannedRow | None:
        before = len(self.errors)
        key, phone = self._shop(number, values)
        category = self._category(number, values["category"])
        data = self._product_data(number, values, category)
        title = normalize_text(values["title"])
        if key and title:
            seen = self.titles.setdefault((key, title), number)
            if seen != number:
                self.error(number, "title", _l("This product is listed twice (see row %(row)s).", row=seen))
        images = self._photos(number, values["images"])
        planned = self.shops.get(key)
        product = None
        if planned is not None and planned.shop is not None and title:
            product = db.session.scalar(
                select(Product).where(Product.shop_id == planned.shop.id, Product.title == title)
            )
        if self.publish and not images and not (product and product.images):
            self.error(number, "images", _l("A product needs at least one photo to be published."))
        if len(self.errors) > before or data is None:
            return None
        return PlannedRow(number, key, phone, data, images, product)

    def _shop(self, number: int, values: dict[str, str]) -> tuple[str, str]:
        """The shop's key (its slug) and its producer's phone, checked against the database and
        against the rows before."""
        name = normalize_text(values["shop_name"])
        key = shops.slugify(values["shop_slug"] or name)
        if not key:
            self.error(number, "shop_name", _l("Write the shop's name."))
            return "", ""
        phone = self._phone(number, values["owner_phone"])
        planned = self.shops.get(key)
        if planned is None:
            shop, _moved = shops.find_by_slug(key)
            planned = self.shops[key] = PlannedShop(key, shop, first_row=number)
            if shop is None:
                self._new_shop(number, planned, name, values)
        elif planned.shop is None and name and name != planned.name:
            self.error(
                number,
                "shop_name",
                _l("Rows of the same shop must have the same shop name (see row %(row)s).", row=planned.first_row),
            )
        if planned.shop is not None:
            if phone and phone != planned.shop.owner.phone:
                self.error(number, "owner_phone", _l("This shop belongs to another producer."))
            if self.publish and not planned.shop.is_public:
                self.error(
                    number, "shop_slug", _l("This shop is not approved yet, so its products cannot be published.")
                )
            phone = planned.shop.owner.phone
        elif not values["owner_phone"].strip() and planned.phone:
            phone = planned.phone  # later rows of a new shop may leave the phone out
        elif not phone:
            if values["owner_phone"].strip():
                planned.bad_phone = True  # reported once, on its own row
            elif not planned.bad_phone:
                self.error(number, "owner_phone", _l("Write the producer's mobile number."))
            return key, ""
        elif planned.phone and phone != planned.phone:
            self.error(
                number,
                "owner_phone",
                _l("Rows of the same shop must have the same mobile number (see row %(row)s).", row=planned.first_row),
            )
            return key, phone
        planned.phone = planned.phone or phone
        self._producer(number, key, phone, values)
        return key, phone

    def _new_shop(self, number: int, planned: PlannedShop, name: str, values: dict[str, str]) -> None:
        problem = shops.name_problem(name)
        if problem:
            self.error(number, "shop_name", problem)
        name_slug = shops.slugify(name)
        for slug in {planned.key, name_slug}:
            if slug and self.slugs.setdefault(slug, planned.key) != planned.key:
                self.error(number, "shop_name", _l("Two shops in the file would get the same address."))
        neighbourhood = normalize_text(values["neighbourhood"])
        if len(neighbourhood) > 60:
            self.error(number, "neighbourhood", _l("Use at most %(num)s characters.", num=60))
        planned.name, planned.neighbourhood = name, neighbourhood

    def _phone(self, number: int, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalize_iranian_mobile(value)
        except PhoneError:
            self.error(number, "owner_phone", _l("Enter a mobile number, like 0912 123 4567."))
            return ""

    def _producer(self, number: int, key: str, phone: str, values: dict[str, str]) -> None:
        """One shop per producer: the phone's account (if any) must own this shop or none."""
        other_key = self.phone_shop.setdefault(phone, key)
        if other_key != key:
            self.error(
                number,
                "owner_phone",
                _l("This producer already has another shop in the file (%(shop)s).", shop=other_key),
            )
            return
        if phone in self.producers:
            return
        user = accounts.find_user_by_phone(phone)
        if user is not None and is_staff_account(user) and not self.may_touch_staff:
            self.error(number, "owner_phone", STAFF_ACCOUNT_MESSAGE)
            return
        self.producers[phone] = user
        planned = self.shops[key]
        if user is not None:
            owned = shops.owned_shop(user)
            if owned is not None and (planned.shop is None or owned.id != planned.shop.id):
                self.error(
                    number, "owner_phone", _l("This producer already has another shop: «%(name)s».", name=owned.name)
                )
            return
        owner_name = normalize_text(values["owner_name"])
        if not owner_name:
            self.error(number, "owner_name", _l("Write the producer's name; she has no account yet."))
        elif len(owner_name) > 80:
            self.error(number, "owner_name", _l("Use at most %(num)s characters.", num=80))
        self.producer_names[phone] = owner_name

    def _category(self, number: int, value: str) -> Category | None:
        if not value.strip():
            self.error(number, "category", _l("Choose a category."))
            return None
        category = services.find_category(value)
        if category is None:
            self.error(
                number,
                "category",
                _l(
                    "Unknown category «%(value)s». Write its slug, like pickles, or its "
                    "Persian name, like «ترشی و شور».",
                    value=normalize_text(value),
                ),
            )
        return category

    def _whole_number(self, number: int, column: str, value: str, message) -> int | None:
        """A cell read as a whole number in any digits (None when empty); the catalogue checks its range."""
        text = normalize_text(value)
        if not clean_digits(text):
            return None
        whole = parse_whole(text)  # 0 … the database range; the catalogue checks the real one
        if whole is None:
            self.error(number, column, message)
        return whole

    def _product_data(self, number: int, values: dict[str, str], category: Category | None):
        """The row's product fields, checked by the catalogue's own rules (catalog.check_product),
        every problem reported at once; only reading the cells as numbers is the importer's."""
        before = len(self.errors)
        stock = self._whole_number(number, "stock", values["stock"], _l("Enter a number between 0 and 100,000."))
        days = self._whole_number(
            number,
            "made_to_order_days",
            values["made_to_order_days"],
            _l("Write how many days it takes, from 1 to 60."),
        )
        data = services.ProductData(
            title=values["title"],
            description=values["description"],
            category_id=category.id if category else 0,
            price_toman=values["price_toman"],
            stock=stock or 0,
            made_to_order=bool(days),
            lead_time_days=days or None,
            tags=values["tags"],
        )
        try:
            checked = services.check_product(data)
        except services.ProductInvalid as invalid:
            for field, message in invalid.errors:
                column = FIELD_COLUMNS.get(field, field)
                if not any(e.row == number and e.column == column for e in self.errors):
                    self.error(number, column, message)  # an unknown category is reported once
            return None
        if len(self.errors) > before:
            return None
        data.title, data.description, data.tags = checked.title, checked.description, checked.tags
        return data

    def _photos(self, number: int, value: str) -> list[str]:
        names = list(dict.fromkeys(_file_name_key(part) for part in value.split("|") if part.strip()))
        if len(names) > services.MAX_PHOTOS:
            self.error(number, "images", _l("A product can have at most %(num)s photos.", num=services.MAX_PHOTOS))
        if names and self.images is None:
            self.error(number, "images", _l("No photos were given with the file. Add the photos folder or ZIP."))
            return []
        for name in names:
            if name not in self.checked_photos:
                self.checked_photos[name] = _photo_name_problem(name) or self._decode(name)
            if self.checked_photos[name] is not None:
                self.error(number, "images", self.checked_photos[name])
        return names

    def _decode(self, name: str):
        """None when the photo exists and decodes, else the message to show."""
        try:
            raw = self.images.read(name, self.limits["max_bytes"])
            if raw is None:
                return _l("The photo «%(name)s» was not found.", name=name)
            load_upload(
                raw,
                max_bytes=self.limits["max_bytes"],
                max_pixels=self.limits["max_pixels"],
                draft_width=max(self.limits["widths"]),
            )
        except ImageRejected as error:
            return _l("«%(name)s»: %(problem)s", name=name, problem=error.message)
        return None


def plan_import(
    rows: list[tuple[int, dict[str, str]]],
    images,
    limits: dict,
    *,
    publish: bool = False,
    actor: User | None = None,
    on_row: Callable[[], None] | None = None,
) -> ImportPlan:
    """Check every row (shops, producers, product fields, photos) without writing anything.

    `images` is a FolderImages, a ZipImages or None; `limits` is core.images.upload_limits();
    `actor` is the staff member importing (only an admin may import for staff or admin accounts;
    None counts as not an admin). Raises ImportFailed listing every problem of every row."""
    checker = _Checker(images, limits, publish, actor)
    planned = []
    for number, values in rows:
        row = checker.check_row(number, values)
        if row is not None:
            planned.append(row)
        if on_row:
            on_row()
    if checker.errors:
        raise ImportFailed(
            sorted(
                checker.errors,
                key=lambda error: (error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1),
            )
        )
    return ImportPlan(planned, checker.shops, checker.producers, checker.producer_names, publish)


# ---------------------------------------------------------------- writing


def apply_plan(
    plan: ImportPlan, images, staff: User, uploads_dir: Path, limits: dict, on_row: Callable[[], None] | None = None
) -> ImportSummary:
    """Write a checked plan: producers, approved shops, products, photos, publication. Flushes;
    the caller commits, or rolls back on ImportFailed (a rule that only the write could check)."""
    summary = ImportSummary()
    owners = _ensure_producers(plan, summary, staff)
    shops_by_key = {key: planned.shop for key, planned in plan.shops.items() if planned.shop is not None}
    photos: dict[str, tuple[dict, list[str]]] = {}
    errors = []
    for row in plan.rows:
        try:
            shop = shops_by_key.get(row.shop_key)
            if shop is None:
                shop = shops_by_key[row.shop_key] = _create_shop(
                    plan.shops[row.shop_key], owners[row.phone], row.data.category_id, staff
                )
                summary.shops_created += 1
            product = _save_product(shop, row, staff, summary)
            for name in row.images:
                if name not in photos:
                    photos[name] = _store_photo(images, name, uploads_dir, limits)
                stored, tips = photos[name]
                if stored["key"] not in {image.stored["key"] for image in product.images}:
                    services.add_photo(product, stored, tips, staff)
                    summary.photos_added += 1
            if plan.publish:
                _publish(product, staff, summary)
            db.session.flush()
        except services.CatalogError as error:
            # an option row's final price (the file has no option columns): the price is what to fix
            column = "price_toman" if error.field.startswith("variants-") else error.field
            errors.append(RowError(row.row, FIELD_COLUMNS.get(column, column), error.message))
        except ImageRejected as error:
            errors.append(RowError(row.row, "images", error.message))
        if on_row:
            on_row()
    if errors:
        raise ImportFailed(errors)
    return summary


def _ensure_producers(plan: ImportPlan, summary: ImportSummary, staff: User) -> dict[str, User]:
    owners = {}
    for phone, user in plan.producers.items():
        if user is not None and is_staff_account(user) and not may_import_for_staff(staff):
            # plan_import refuses these rows; a plan made for another importer must not slip through
            raise ImportFailed([RowError(0, "owner_phone", STAFF_ACCOUNT_MESSAGE)])
        if user is None:
            # She sets her own password with "forgot password" on her phone; nobody knows this one.
            user = accounts.create_user(
                phone, plan.producer_names[phone], secrets.token_urlsafe(24), roles={"producer", "buyer"}
            )
            summary.producers_created += 1
        elif "producer" not in user.roles:
            accounts.add_role(user, "producer")
        owners[phone] = user
    db.session.flush()
    return owners


def _create_shop(planned: PlannedShop, owner: User, category_id: int, staff: User) -> Shop:
    """A new shop for the producer, approved at once by the staff member importing it."""
    category = db.session.get(Category, category_id)
    assert category is not None  # the plan checked every row's category
    craft = category.name_fa
    shop = shops.create_shop(owner, planned.name, craft, planned.neighbourhood)
    if shop.slug != planned.key:  # the file chose the address (e.g. a Latin slug)
        shop.slug = planned.key
    shops.change_status(shop, staff, "submit")
    shops.change_status(shop, staff, "approve", IMPORT_REASON)
    db.session.flush()
    return shop


def _save_product(shop: Shop, row: PlannedRow, staff: User, summary: ImportSummary) -> Product:
    product = row.product
    if product is None:
        summary.products_created += 1
        return services.create_product(shop, row.data)
    # What the file does not carry (weight, sizes, materials, options) stays as it was.
    data = row.data
    data.weight_g, data.materials = product.weight_g, product.materials
    data.length_cm, data.width_cm, data.height_cm = product.length_cm, product.width_cm, product.height_cm
    data.option1_name, data.option2_name = product.option1_name, product.option2_name
    data.variants = [
        services.VariantData(v.value1, v.value2, v.stock, v.price_delta_rial // RIAL_PER_TOMAN)
        for v in product.variants
    ]
    services.update_product(product, data, staff)
    summary.products_updated += 1
    return product


def _store_photo(images, name: str, uploads_dir: Path, limits: dict) -> tuple[dict, list[str]]:
    """Decode, check and store one photo through the core pipeline; (stored dict, tips)."""
    raw = images.read(name, limits["max_bytes"])
    image = load_upload(
        raw, max_bytes=limits["max_bytes"], max_pixels=limits["max_pixels"], draft_width=max(limits["widths"])
    )
    tips = services.photo_tips(image)
    return store_variants(image, uploads_dir, limits["widths"]).as_dict(), tips


def _publish(product: Product, staff: User, summary: ImportSummary) -> None:
    """Publish an imported product; checklist items still missing are waived by the staff member."""
    if product.status in ("published", "archived"):
        return
    if product.status in ("draft", "changes_requested"):
        services.change_status(product, staff, "submit")
    summary.waivers += waive_missing_items(product, staff)
    services.change_status(product, staff, "publish")
    summary.products_published += 1


def waive_missing_items(product: Product, staff: User) -> int:
    """Waive the mandatory registration items that would block publishing; returns how many."""
    from ..registration import services as registration

    return registration.waive_missing(product, staff, IMPORT_REASON)


def run_import(
    raw: bytes, images, staff: User, uploads_dir: Path, limits: dict, *, publish: bool = False, dry_run: bool = False
) -> ImportSummary:
    """Read, check and (unless `dry_run`) write a whole file; raises ImportFailed with every problem."""
    plan = plan_import(read_csv(raw), images, limits, publish=publish, actor=staff)
    if dry_run:
        return plan.summary()
    return apply_plan(plan, images, staff, uploads_dir, limits)


def import_files(
    csv_stream: BinaryIO,
    zip_stream: BinaryIO | None,
    staff: User,
    uploads_dir: Path,
    limits: dict,
    *,
    publish: bool = False,
    dry_run: bool = False,
) -> ImportSummary:
    """The staff page's import: the uploaded CSV (at most 5 MB) and, optionally, a ZIP of its photos."""
    raw = csv_stream.read(MAX_CSV_BYTES + 1)
    if len(raw) > MAX_CSV_BYTES:
        raise ImportFailed(
            [
                RowError(
                    0,
                    "",
                    _l("The file is bigger than %(num)s MB. Split it into smaller files.", num=MAX_CSV_BYTES // 2**20),
                )
            ]
        )
    images = ZipImages(zip_stream) if zip_stream is not None else None
    return run_import(raw, images, staff, uploads_dir, limits, publish=publish, dry_run=dry_run)


def sample_csv() -> bytes:
    """A one-row example file for staff to fill in (with a BOM, so Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow([
        "", "ترشی خانگی زهرا", "0915 123 4567", "زهرا احمدی", "گلشهر", "ترشی لیته", "ترشی لیتهٔ خانگی با سرکهٔ انگور.",
        "ترشی و شور", "۱۲۰٬۰۰۰", "۱۰", "", "ترشی|خانگی|لیته", "litteh-1.jpg|litteh-2.jpg",
    ])  # fmt: skip
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
