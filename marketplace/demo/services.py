"""Load the demo records into the database, idempotently."""

from datetime import timedelta

from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..branding.palette import CURATED
from ..core.phone import normalize_iranian_mobile
from ..extensions import db
from ..shops import brand
from ..shops import services as shops
from . import data


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
    shops.set_logo(shop, brand.store_logo(brand.open_image(chosen["path"])), f"{chosen['style']}:{chosen['font']}")
    shop.wizard_step = "social"
    shop.created_at = data.BASE_TIME + timedelta(days=order, hours=1)
    if status != "draft":
        shops.change_status(shop, owner, "submit")
    if status == "approved":
        shops.change_status(shop, staff, "approve")
    return True


def load_demo() -> dict[str, int]:
    """Create the demo producers (each with a shop), buyers and staff account; existing ones are
    left as they are. Returns how many of each were created."""
    created = {"producers": 0, "buyers": 0, "staff": 0, "shops": 0}
    for order, (phone, name, _neighbourhood, _craft) in enumerate(data.PRODUCERS):
        created["producers"] += _ensure_user(phone, name, {"producer"}, order)
    for order, (phone, name) in enumerate(data.BUYERS, start=len(data.PRODUCERS)):
        created["buyers"] += _ensure_user(phone, name, set(), order)
    created["staff"] += _ensure_user(data.STAFF[0], data.STAFF[1], {"staff", "admin"}, 0)
    db.session.flush()
    staff = accounts.find_user_by_phone(normalize_iranian_mobile(data.STAFF[0]))
    for order, record in enumerate(data.SHOPS):
        owner = accounts.find_user_by_phone(normalize_iranian_mobile(data.PRODUCERS[order][0]))
        created["shops"] += _ensure_shop(owner, record, staff, order)
    db.session.flush()
    return created
