"""Staff console rules."""

from sqlalchemy import or_, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import normalize_text, to_latin_digits
from ..core.phone import PhoneError, normalize_iranian_mobile
from ..extensions import db

PAGE_SIZE = 25
# The roles the console's role form offers (every account is a buyer).
MANAGED_ROLES = ("producer", "staff", "admin")


def search_users(query: str, page: int = 1):
    """Users whose name contains `query` or whose phone matches it, newest first, paginated."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    query = normalize_text(query)
    if query:
        conditions = [User.display_name.contains(query, autoescape=True)]
        try:
            conditions.append(User.phone == normalize_iranian_mobile(query))
        except PhoneError:
            digits = to_latin_digits(query).lstrip("0").replace(" ", "")
            if digits.isdigit():
                conditions.append(User.phone.contains(digits, autoescape=True))
        statement = statement.where(or_(*conditions))
    return db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)


def roles_grantable_by(actor: User) -> set[str]:
    """Which roles `actor` may give or take: staff manage buyer/producer; admins manage all."""
    if actor.has_role("admin"):
        return {"buyer", "producer", "staff", "admin"}
    return {"buyer", "producer"}


def may_manage(actor: User, target: User) -> bool:
    """Staff may not change other staff or admins (only admins can), nor themselves."""
    if actor.id == target.id:
        return False
    if target.has_role("staff"):
        return actor.has_role("admin")
    return actor.has_role("staff")


def set_roles_by(actor: User, user: User, wanted: set[str]) -> None:
    """Give `user` the roles of `wanted` that `actor` may grant and take away the others he may;
    roles the actor may not touch stay as they were."""
    grantable = roles_grantable_by(actor)
    accounts.set_roles(user, (set(wanted) & grantable) | (user.roles - grantable))


def may_send_reset_code(actor: User, target: User) -> bool:
    """Staff send codes to buyers and producers; to staff and admins only an admin does."""
    return actor.has_role("admin") or not target.has_role("staff")


def send_reset_code(actor: User, target: User) -> None:
    """Text the target a one-time password-reset code (the same code and message as «forgot my
    password»; the outbox sends it once this commits). Refused for a deactivated account, and for a
    staff or admin account unless the actor is an admin."""
    if not target.active:
        raise RuleError("reset", _l("This account is deactivated. Activate it before sending a code."))
    if not may_send_reset_code(actor, target):
        raise RuleError("reset", _l("Only an administrator can send a code to a staff account."))
    accounts.start_password_reset(target.phone)
