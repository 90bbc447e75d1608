"""Load the demo records into the database, idempotently."""

from datetime import timedelta

from sqlalchemy import func, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.phone import normalize_iranian_mobile
from ..extensions import db
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


def load_demo() -> dict[str, int]:
    """Create the demo producers, buyers and staff account; existing ones are left as they are.
    Returns how many of each were created."""
    created = {"producers": 0, "buyers": 0, "staff": 0}
    for order, (phone, name, _neighbourhood, _craft) in enumerate(data.PRODUCERS):
        created["producers"] += _ensure_user(phone, name, {"producer"}, order)
    for order, (phone, name) in enumerate(data.BUYERS, start=len(data.PRODUCERS)):
        created["buyers"] += _ensure_user(phone, name, set(), order)
    created["staff"] += _ensure_user(data.STAFF[0], data.STAFF[1], {"staff", "admin"}, 0)
    db.session.flush()
    return created
