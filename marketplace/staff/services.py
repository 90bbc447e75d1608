"""Staff console rules: finding people (and the reading of a typed query that the console's one
search box shares, staff/lookup.py), and who may change whose roles."""

import re
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select

from ..accounts import services as accounts
from ..accounts.models import User
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.persian import MAX_DIGITS, is_digits, normalize_text, to_latin_digits
from ..core.phone import PhoneError, normalize_iranian_mobile
from ..extensions import db

PAGE_SIZE = 25
# The roles the console's role form offers (every account is a buyer).
MANAGED_ROLES = ("producer", "staff", "admin")
# Fewer digits than this are no part of a phone number worth looking for (they match everyone).
PHONE_MIN_DIGITS = 4
# What people put between the digits of a number, and before it («#۱۲۳», «+98 915 …», «0915-…»).
_NUMBER_NOISE = re.compile(r"[\s\-\u200c\u200e\u200f().#№]")
ZWNJ = "\u200c"


@dataclass(frozen=True)
class Query:
    """A query typed in the console, read every way it can mean something: `text` for names (its
    spaces and ZWNJs dropped, so «علی‌رضا», «علیرضا» and «علی رضا» meet), `phone` when it is a whole
    Iranian mobile (E.164), `digits` for part of one (national digits, without +98 or the leading
    0), `number` when it is an id («۱۲۳», «١٢٣», «#123»)."""

    text: str
    phone: str | None = None
    digits: str | None = None
    number: int | None = None


def read_query(typed: str) -> Query:
    """Read what staff typed into a Query (Persian letters, any digits, any phone spelling)."""
    text = normalize_text(typed)
    raw = _NUMBER_NOISE.sub("", to_latin_digits(text))
    phone = digits = number = None
    with suppress(PhoneError):
        phone = normalize_iranian_mobile(text)
    bare = raw[1:] if raw.startswith("+") else raw
    if bare and is_digits(bare) and len(bare) <= MAX_DIGITS:
        if not raw.startswith("+"):
            number = int(bare)
        national = bare[4:] if bare.startswith("0098") else bare[2:] if raw.startswith("+98") else bare
        national = national.lstrip("0")
        if len(national) >= PHONE_MIN_DIGITS and not text.lstrip().startswith(("#", "№")):
            digits = national
    return Query(text=_squeezed(text).lower(), phone=phone, digits=digits, number=number)


def _squeezed(text: str) -> str:
    return text.replace(ZWNJ, "").replace(" ", "")


def name_matches(column, query: Query) -> ColumnElement[bool]:
    """`column` contains the query's text, however the words were joined (space, ZWNJ or nothing)
    and in any letter case."""
    squeezed = func.lower(func.replace(func.replace(column, ZWNJ, ""), " ", ""))
    return squeezed.contains(query.text, autoescape=True)


def phone_matches(column, query: Query) -> list[ColumnElement[bool]]:
    """Conditions on a stored E.164 phone `column`: the whole number, or the part of it typed."""
    if query.phone:
        return [column == query.phone]
    if query.digits:
        return [column.contains(query.digits, autoescape=True)]
    return []


def user_conditions(query: Query) -> list[ColumnElement[bool]]:
    """Who a query finds among the accounts: by name, by phone (whole or part)."""
    return ([name_matches(User.display_name, query)] if query.text else []) + phone_matches(User.phone, query)


def search_users(typed: str, page: int = 1, per_page: int = PAGE_SIZE):
    """Users whose name contains what was typed or whose phone matches it (any spelling of the
    number, or part of it), newest first, paginated."""
    statement = select(User).order_by(User.created_at.desc(), User.id.desc())
    query = read_query(typed)
    if query.text:
        statement = statement.where(or_(*user_conditions(query)))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


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
