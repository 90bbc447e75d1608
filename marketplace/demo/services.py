"""Load the demo records into the database, idempotently."""

import os
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..branding.palette import CURATED
from ..catalog import services as catalog
from ..catalog.models import Category, Product
from ..core.images import store_variants, upload_dir, upload_limits
from ..core.phone import normalize_iranian_mobile
from ..extensions import db
from ..registration import services as registration
from ..shops import brand
from ..shops import services as shops
from ..shops.models import Shop
from . import data, photos, products
from . import fairs as demo_fairs
from . import orders as demo_orders


def database_is_empty() -> bool:
    """True when no account exists yet (make run loads the demo only then)."""
    return not db.session.scalar(select(func.count()).select_from(User))


def _ensure_user(phone: str, name: str, roles: set[str], order: int) -> bool:
    """Create the demo user unless the phone exists; returns True when created."""
    e164 = normalize_iranian_mobile(phone)
    if accounts.find_user_by_phone(e164):
        return False
    user = accounts.create_user(e164, name, data.DEMO_PASSWORD, roles=roles | {"buyer"})
    user.created_at = data.BASE_TIME + timedelta(days=order)
    return True


def _demo_user(phone: str) -> User:
    """A demo account; the load makes every one of them before it is looked up."""
    user = accounts.find_user_by_phone(normalize_iranian_mobile(phone))
    assert user is not None, phone
    return user


def _demo_shop(phone: str) -> Shop:
    """A demo producer's shop; the load makes every one of them before products are added."""
    shop = shops.owned_shop(_demo_user(phone))
    assert shop is not None, phone
    return shop


def _ensure_shop(owner: User, record: tuple, staff: User, order: int) -> bool:
    """Give a demo producer her shop: story, palette, a generated logo, social page and status."""
    if shops.owned_shop(owner):
        return False
    name, tagline, what, since, teacher, special, palette_code, instagram, status = record
    neighbourhood, craft = data.PRODUCERS[order][2], data.PRODUCERS[order][3]
    shop = shops.create_shop(owner, name, craft, neighbourhood)
    answers = {"what": what, "since": since, "teacher": teacher, "special": special}
    story = shops.draft_story(answers, owner.display_name.split(" ")[0])
    story += "\n\nسفارش‌ها را با حوصله و به‌موقع آماده می‌کنم و از شنیدن نظر شما خوشحال می‌شوم."
    shops.update_story(shop, tagline, story, answers)
    curated = {item.code: item for item in CURATED}
    palette = curated.get(palette_code) or CURATED[order % len(CURATED)]
    shops.set_palette(shop, palette.palette, palette.code)
    shops.update_social(shop, {"instagram": instagram})
    db.session.flush()
    candidates = brand.logo_candidates(shop)
    chosen = candidates[order % len(candidates)]
    shops.set_logo(shop, brand.store_logo(brand.candidate_image(shop, chosen)), f"{chosen['style']}:{chosen['font']}")
    shop.wizard_step = "social"
    shop.created_at = data.BASE_TIME + timedelta(days=order, hours=1)
    if status != "draft":
        shops.change_status(shop, owner, "submit")
    if status == "approved":
        shops.change_status(shop, staff, "approve")
    return True


# ---------------------------------------------------------------- products

StoredPhoto = tuple[dict, list[str]]  # (stored dict, tips)

# Photos already rendered and stored in this process, by (uploads folder, widths, motif, colours,
# seed, view): a second load (the tests load the demo many times) only checks the files exist.
_STORED_PHOTOS: dict[tuple, StoredPhoto] = {}


def _photo(uploads: Path, widths: tuple[int, ...], motif: str, colours: tuple, seed: int, view: int) -> StoredPhoto:
    """Render one demo photo and store it through the core pipeline: (stored dict, tips)."""
    key = (str(uploads), widths, motif, colours, seed, view)
    cached = _STORED_PHOTOS.get(key)
    if cached and all((uploads / path).is_file() for path in cached[0]["variants"].values()):
        return cached
    image = photos.render(motif, colours, seed, view)
    result = store_variants(image, uploads, widths).as_dict(), catalog.photo_tips(image)
    _STORED_PHOTOS[key] = result
    return result


def _missing_products() -> list[tuple[int, products.DemoProduct]]:
    """The demo products not in the database yet (matched on their producer's phone and the title),
    with their index in products.PRODUCTS."""
    phones = [normalize_iranian_mobile(phone) for phone, *_rest in data.PRODUCERS]
    statement = (
        select(User.phone, Product.title)
        .join(Shop, Shop.owner_id == User.id)
        .join(Product, Product.shop_id == Shop.id)
        .where(User.phone.in_(phones))
    )
    existing = {tuple(row) for row in db.session.execute(statement)}
    return [
        (index, record)
        for index, record in enumerate(products.PRODUCTS)
        if (phones[record.shop], record.title) not in existing
    ]


def _start_photos(
    pool: ThreadPoolExecutor, missing: list[tuple[int, products.DemoProduct]]
) -> dict[int, list[Future[StoredPhoto]]]:
    """Queue the drawing and storing of these products' photos: {product index: [future, …]}."""
    uploads = upload_dir(current_app)
    widths = tuple(current_app.config["IMAGE_WIDTHS"])
    return {
        index: [pool.submit(_photo, uploads, widths, *record.photo, index, view) for view in range(record.photos)]
        for index, record in missing
    }


def _product_data(record: products.DemoProduct, category: Category) -> catalog.ProductData:
    option_name, values = record.option or ("", ())
    length, width, height = record.size_cm or (None, None, None)
    title_en, description_en = products.ENGLISH.get(record.title, ("", ""))
    return catalog.ProductData(
        title=record.title, description=record.description, category_id=category.id, price_toman=record.price,
        stock=record.stock, made_to_order=record.lead_days is not None, lead_time_days=record.lead_days,
        weight_g=record.weight_g, length_cm=length, width_cm=width, height_cm=height, materials=record.materials,
        tags=record.tags, option1_name=option_name,
        variants=[catalog.VariantData(value, "", stock, more) for value, stock, more in values],
        title_en=title_en, description_en=description_en,
    )  # fmt: skip


def _evidence(shop: Shop, code: str, product: Product | None, state: str, staff: User, order: int) -> None:
    """Bring one registration item to `state` the way people would: she sends evidence, staff
    verify it, or staff waive it with a reason."""
    if state == "waived":
        reason = products.WAIVER_REASONS["health" if code.startswith("FD") else code]
        registration.waive(shop, product, code, staff, reason)
        return
    today = registration.today()
    expires = today + timedelta(days=20 if state == "expiring" else 540 + order)
    fields: dict[str, Any] = {"number": f"{1403 + order % 2}/{order:04d}",
              "issued_on": today - timedelta(days=200 + order), "expires_on": expires}  # fmt: skip
    if code == "LB-1":  # a photo of the printed label is the evidence
        fields = {"document_upload": photos.label_document(photos.SURFACES[order % len(photos.SURFACES)], order)}
    record = registration.submit_evidence(
        shop, code, product, **fields, uploads_dir=upload_dir(current_app), limits=upload_limits(current_app.config),
        actor=shop.owner,
    )  # fmt: skip
    if state != "submitted":
        registration.verify(record, staff)


def _shop_checklist(shop: Shop, plan: dict[str, str], staff: User, order: int) -> None:
    """The shop's home-business licence, as planned, unless she already has a record of it."""
    rows = registration.checklist_for_shop(shop, ["food"])
    if "HB-1" in plan and any(row.item.code == "HB-1" and row.record is None for row in rows):
        _evidence(shop, "HB-1", None, plan["HB-1"], staff, order)


def _product_checklist(product: Product, plan: dict[str, str], staff: User, order: int, waiting: bool) -> None:
    """The product's own licences: as planned for its shop when it is published, sent and waiting
    when it is in review."""
    if product.kind not in ("food", "cosmetics") or not plan:
        return
    health = "FD-2" if product.kind == "cosmetics" else "FD-1"
    if waiting:
        _evidence(product.shop, health, product, "submitted", staff, order)
        return
    _evidence(product.shop, health, product, plan["health"], staff, order)
    _evidence(product.shop, "LB-1", product, plan["LB-1"], staff, order)


def _place(product: Product, record: products.DemoProduct, staff: User, plan: dict, order: int) -> None:
    """Move a new product to the state its record asks for, with the checklist to match."""
    owner = product.shop.owner
    when = data.BASE_TIME + timedelta(days=30 + order // 4, hours=order % 12)
    product.created_at = when
    if record.state == "draft":
        return
    catalog.change_status(product, owner, "submit")
    product.submitted_at = when + timedelta(hours=2)
    if record.state == "in_review":
        _product_checklist(product, plan, staff, order, waiting=True)
        return
    if record.state == "changes_requested":
        catalog.change_status(product, staff, "request_changes", record.reason)
        return
    _product_checklist(product, plan, staff, order, waiting=False)
    catalog.change_status(product, staff, "publish")
    product.published_at = when + timedelta(days=1)
    if record.state == "archived":
        catalog.change_status(product, owner, "archive")


def _ensure_products(
    staff: User, missing: list[tuple[int, products.DemoProduct]], pending: dict[int, list[Future[StoredPhoto]]]
) -> int:
    """Create the missing demo products with their photos (being drawn in `pending`), states and
    checklists; returns how many."""
    if not missing:
        return 0
    shop_by_index = {index: _demo_shop(phone) for index, (phone, *_rest) in enumerate(data.PRODUCERS)}
    categories = {category.slug: category for category in catalog.all_categories()}
    for shop_index in sorted({record.shop for _index, record in missing}):
        _shop_checklist(shop_by_index[shop_index], products.CHECKLISTS.get(shop_index, {}), staff, shop_index)
    for index, record in missing:
        shop = shop_by_index[record.shop]
        product = catalog.create_product(shop, _product_data(record, categories[record.category]))
        for future in pending[index]:
            stored, tips = future.result()
            catalog.add_photo(product, stored, tips, shop.owner)
        _place(product, record, staff, products.CHECKLISTS.get(record.shop, {}), index)
    db.session.flush()
    return len(missing)


def load_demo() -> dict[str, int]:
    """Create the demo producers (each with a shop and products), buyers and staff account; existing
    ones are left as they are. Returns how many of each were created."""
    created = {"producers": 0, "buyers": 0, "staff": 0, "shops": 0, "products": 0, "orders": 0, "fairs": 0}
    missing = _missing_products()
    # The photos are drawn and encoded on other threads (Pillow lets go of the GIL) while the
    # accounts, shops and logos are made here.
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        pending = _start_photos(pool, missing)
        try:
            _load_people_and_shops(created)
            staff = _demo_user(data.STAFF[0])
            created["products"] = _ensure_products(staff, missing, pending)
        except BaseException:
            pool.shutdown(cancel_futures=True)  # no point drawing the rest
            raise
    photos.forget_surfaces()
    buyers = [_demo_user(phone) for phone, _name in data.BUYERS]
    shops_in_order = [_demo_shop(phone) for phone, *_rest in data.PRODUCERS]
    created["orders"] = demo_orders.load_orders(current_app, buyers, shops_in_order, _demo_user(data.STAFF[0]))
    created["fairs"] = demo_fairs.load_fairs(current_app, _demo_user(data.STAFF[0]), buyers)
    return created


def _load_people_and_shops(created: dict[str, int]) -> None:
    """The producers, buyers, staff account and the producers' shops (existing ones are kept)."""
    for order, (phone, name, _neighbourhood, _craft) in enumerate(data.PRODUCERS):
        created["producers"] += _ensure_user(phone, name, {"producer"}, order)
    for order, (phone, name) in enumerate(data.BUYERS, start=len(data.PRODUCERS)):
        created["buyers"] += _ensure_user(phone, name, set(), order)
    created["staff"] += _ensure_user(data.STAFF[0], data.STAFF[1], {"staff", "admin"}, 0)
    db.session.flush()
    staff = _demo_user(data.STAFF[0])
    for order, record in enumerate(data.SHOPS):
        owner = _demo_user(data.PRODUCERS[order][0])
        created["shops"] += _ensure_shop(owner, record, staff, order)
    db.session.flush()
