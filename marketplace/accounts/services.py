"""Account rules. Plain functions with explicit arguments; they flush, the caller commits."""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.dates import as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.notify import queue_sms
from ..core.persian import normalize_text
from ..extensions import db
from .models import ROLES, PasswordReset, User, UserRole, new_session_token

# Checked against the lower-cased password; the first ones people try everywhere.
COMMON_PASSWORDS = frozenset(
    """12345678 123456789 1234567890 11111111 00000000 87654321 12341234 11223344 password
    password1 qwertyui qwerty123 1q2w3e4r 1qaz2wsx asdfghjk iloveyou abcd1234 aa123456
    123123123 09123456789 mashhad1 rooyesh1""".split()
)
# Compared against when the phone is unknown, so both failures take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password", method="pbkdf2:sha256:1000")


class AccountError(RuleError):
    """A rule said no. `field` names the form field the message belongs next to."""


def hash_password(password: str) -> str:
    """Hash with the configured Werkzeug method (scrypt by default)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def password_problem(password: str, phone_e164: str | None = None):
    """Why a new password is not acceptable (a lazy translated message), or None if it is fine."""
    config = current_app.config
    if len(password) < config["PASSWORD_MIN_LENGTH"]:
        return _l("Use at least %(num)s characters.", num=config["PASSWORD_MIN_LENGTH"])
    if len(password) > config["PASSWORD_MAX_LENGTH"]:
        return _l("Use at most %(num)s characters.", num=config["PASSWORD_MAX_LENGTH"])
    lowered = password.lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 3:
        return _l("This password is too easy to guess. Try a short sentence or several words.")
    if phone_e164 and phone_e164[3:] in password:
        return _l("Do not use your phone number in your password.")
    return None


def find_user_by_phone(phone_e164: str) -> User | None:
    """The user with this E.164 phone, or None."""
    return db.session.scalar(select(User).where(User.phone == phone_e164))


def create_user(
    phone_e164: str,
    display_name: str,
    password: str,
    roles: set[str] | frozenset[str] = frozenset({"buyer"}),
    locale: str | None = None,
) -> User:
    """Create an account. Raises AccountError on a taken phone or a bad password; writes nothing then."""
    problem = password_problem(password, phone_e164)
    if problem:
        raise AccountError("new_password", problem)
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    if find_user_by_phone(phone_e164):
        raise AccountError("phone", _l("An account with this number already exists. Log in instead."))
    user = User(
        phone=phone_e164,
        display_name=normalize_text(display_name),
        password_hash=hash_password(password),
        locale=locale,
        role_rows=[UserRole(role=role) for role in sorted(roles)],
    )
    try:
        with db.session.begin_nested():  # a sign-up racing ours for the same number
            db.session.add(user)
    except IntegrityError:
        raise AccountError("phone", _l("An account with this number already exists. Log in instead."))
    return user


def authenticate(phone_e164: str | None, password: str) -> User | None:
    """The user whose phone and password match, else None. Unknown phones cost as much time as
    wrong passwords, so the answer does not tell which one it was."""
    user = find_user_by_phone(phone_e164) if phone_e164 else None
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return user if check_password_hash(user.password_hash, password) else None


def record_login(user: User) -> None:
    """Remember when the user last logged in."""
    user.last_login_at = utcnow()


def end_all_sessions(user: User) -> None:
    """Rotate the session token: every session and remember-me cookie of the user stops working."""
    user.session_token = new_session_token()


def set_password(user: User, new_password: str) -> None:
    """Store a new password (checked against the rules) and end all sessions."""
    problem = password_problem(new_password, user.phone)
    if problem:
        raise AccountError("new_password", problem)
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)


def change_password(user: User, current_password: str, new_password: str) -> None:
    """Change the password when the current one is right."""
    if not check_password_hash(user.password_hash, current_password):
        raise AccountError("current_password", _l("The current password is not right."))
    set_password(user, new_password)


def update_profile(user: User, display_name: str) -> None:
    """Change what the user is called on the site."""
    user.display_name = normalize_text(display_name)


def set_locale(user: User, locale: str) -> None:
    """Remember the user's language."""
    if locale not in current_app.config["LOCALES"]:
        raise ValueError(f"Unknown locale {locale!r}")
    user.locale = locale


def add_role(user: User, role: str) -> None:
    """Give the user a role (no-op if held)."""
    set_roles(user, user.roles | {role})


def set_roles(user: User, roles: set[str]) -> None:
    """Replace the user's roles. Every account keeps at least the buyer role."""
    roles = set(roles) | {"buyer"}
    unknown = roles - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    user.role_rows = [row for row in user.role_rows if row.role in roles] + [
        UserRole(role=role) for role in sorted(roles - user.roles)
    ]


def set_active(user: User, active: bool) -> None:
    """Activate or deactivate an account; deactivating ends its sessions at once."""
    user.active = active
    if not active:
        end_all_sessions(user)


def start_password_reset(phone_e164: str) -> tuple[User, str] | None:
    """Make a one-time 6-digit code for the user with this phone (older codes stop working) and
    queue the text message that carries it (sent by the outbox worker once this commits).
    Returns the user and the plain code, or None when no active account has this phone."""
    user = find_user_by_phone(phone_e164)
    if user is None or not user.active:
        return None
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    code = f"{secrets.randbelow(1_000_000):06d}"
    ttl = timedelta(minutes=current_app.config["RESET_CODE_TTL_MINUTES"])
    db.session.add(
        PasswordReset(
            user_id=user.id,
            code_hash=generate_password_hash(code, method="pbkdf2:sha256:50000"),
            created_at=now,
            expires_at=now + ttl,
        )
    )
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = gettext(
            "Rooyesh Market code: %(code)s. It works for %(num)s minutes.",
            code=code,
            num=current_app.config["RESET_CODE_TTL_MINUTES"],
        )
    queue_sms(user.phone, text)
    db.session.flush()
    return user, code


def complete_password_reset(phone_e164: str, code: str, new_password: str) -> User:
    """Check the code and set the new password; the code is then used up.

    A wrong code counts an attempt (kept even though the caller reports failure: commit the
    attempt count before showing the error); too many attempts or an old code stop working.
    """
    user = find_user_by_phone(phone_e164)
    reset = None
    if user is not None:
        reset = db.session.scalar(
            select(PasswordReset)
            .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
            .order_by(PasswordReset.id.desc())
        )
    expired_message = _l("This code has expired or was used. Ask for a new code.")
    if user is None or reset is None or as_utc(reset.expires_at) < utcnow():
        raise AccountError("code", expired_message)
    if reset.attempts >= current_app.config["RESET_CODE_MAX_ATTEMPTS"]:
        raise AccountError("code", expired_message)
    if not check_password_hash(reset.code_hash, code):
        reset.attempts += 1
        raise AccountError("code", _l("The code is not right."))
    problem = password_problem(new_password, user.phone)
    if problem:
        raise AccountError("new_password", problem)
    set_password(user, new_password)
    reset.used_at = utcnow()
    return user
