"""Account rules. Plain functions with explicit arguments; they flush, the caller commits."""

import secrets
from datetime import timedelta
from functools import lru_cache

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.dates import as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.notify import queue_sms
from ..core.persian import normalize_text, to_latin_digits
from ..extensions import db
from .models import ROLES, PasswordReset, User, UserRole, new_session_token

# Checked against the lower-cased password; the first ones people try everywhere.
COMMON_PASSWORDS = frozenset(
    """12345678 123456789 1234567890 11111111 00000000 87654321 12341234 11223344 password
    password1 qwertyui qwerty123 1q2w3e4r 1qaz2wsx asdfghjk iloveyou abcd1234 aa123456
    123123123 09123456789 mashhad1 rooyesh1""".split()
)
# How reset codes are hashed (six digits need no slow hash: the tries per code are counted).
RESET_CODE_HASH_METHOD = "pbkdf2:sha256:50000"


class AccountError(RuleError):
    """A rule said no. `field` names the form field the message belongs next to."""


def normalize_password(password: str) -> str:
    """The password as it is hashed: Persian and Arabic-Indic digits become 0-9, so «۱۲۳۴۵۶۷۸» typed
    on a Persian keyboard and 12345678 typed on an English one are the same password."""
    return to_latin_digits(password)


def hash_password(password: str) -> str:
    """Hash the normalised password with the configured Werkzeug method (scrypt by default)."""
    return generate_password_hash(normalize_password(password), method=current_app.config["PASSWORD_HASH_METHOD"])


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash of a random password made with `method`: checked when the phone is unknown, so that
    failure costs exactly what a wrong password for a real account costs."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def _password_forms(password: str) -> list[str]:
    """What to check a typed password as: the normalised form, then the form as typed when it
    differs (hashes stored before digits were normalised)."""
    normalized = normalize_password(password)
    return [normalized] if normalized == password else [normalized, password]


def verify_password(user: User | None, password: str) -> bool:
    """Whether `password` is the user's. Checks the normalised form, then the form as typed; when
    only the typed form matches (an old hash), the password is rehashed in the normalised form.

    With no user the same checks run against a dummy hash made with the configured method, so an
    unknown phone costs the same work as a wrong password."""
    stored = user.password_hash if user is not None else _dummy_hash(current_app.config["PASSWORD_HASH_METHOD"])
    for position, form in enumerate(_password_forms(password)):
        if check_password_hash(stored, form) and user is not None:
            if position > 0:  # matched as typed: move the account to the normalised form
                user.password_hash = hash_password(password)
            return True
    return False


def password_problem(password: str, phone_e164: str | None = None):
    """Why a new password is not acceptable (a lazy translated message), or None if it is fine."""
    config = current_app.config
    if len(password) < config["PASSWORD_MIN_LENGTH"]:
        return _l("Use at least %(num)s characters.", num=config["PASSWORD_MIN_LENGTH"])
    if len(password) > config["PASSWORD_MAX_LENGTH"]:
        return _l("Use at most %(num)s characters.", num=config["PASSWORD_MAX_LENGTH"])
    lowered = normalize_password(password).lower()
    if lowered in COMMON_PASSWORDS or len(set(lowered)) < 3:
        return _l("This password is too easy to guess. Try a short sentence or several words.")
    if phone_e164 and phone_e164[3:] in normalize_password(password):
        return _l("Do not use your phone number in your password.")
    return None


def find_user_by_phone(phone_e164: str) -> User | None:
    """The user with this E.164 phone, or None. Roles load only when asked for, so a known and an
    unknown number cost the same queries (login and reset must not tell them apart)."""
    return db.session.scalar(select(User).where(User.phone == phone_e164).options(lazyload(User.role_rows)))


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
    display_name = _clean_name(display_name)
    if find_user_by_phone(phone_e164):
        raise AccountError("phone", _l("An account with this number already exists. Log in instead."))
    user = User(
        phone=phone_e164,
        display_name=display_name,
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
    """The user whose phone and password match, else None. Unknown phones cost the same work as
    wrong passwords (verify_password), so the answer does not tell which one it was."""
    user = find_user_by_phone(phone_e164) if phone_e164 else None
    return user if verify_password(user, password) and user is not None else None


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
    if not verify_password(user, current_password):
        raise AccountError("current_password", _l("The current password is not right."))
    set_password(user, new_password)


def _clean_name(display_name: str) -> str:
    """The name as stored; refused when nothing visible is left (e.g. only bidi or zero-width marks)."""
    name = normalize_text(display_name)
    if not name:
        raise AccountError("display_name", _l("Enter your name."))
    if len(name) > 80:
        raise AccountError("display_name", _l("Use at most %(num)s characters.", num=80))
    return name


def update_profile(user: User, display_name: str) -> None:
    """Change what the user is called on the site."""
    user.display_name = _clean_name(display_name)


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


def one_time_code() -> tuple[str, str]:
    """A fresh 6-digit code texted to someone (a password reset, a consent to be assisted), and
    the hash that alone is stored; check a typed code with werkzeug's check_password_hash."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    return code, generate_password_hash(code, method=RESET_CODE_HASH_METHOD)


def start_password_reset(phone_e164: str) -> tuple[User, str] | None:
    """Make a one-time 6-digit code for this phone (older codes stop working) and queue the text
    message that carries it (sent by the outbox worker once this commits). Returns the user and
    the plain code, or None when no active account has this phone.

    A number without an (active) account gets the same work: the same query, a hashed code and a
    row, so neither the time taken nor a later wrong code tells which numbers have accounts."""
    user = find_user_by_phone(phone_e164)
    now = utcnow()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.phone == phone_e164, PasswordReset.used_at.is_(None))
        .values(used_at=now)
    )
    code, code_hash = one_time_code()
    ttl = timedelta(minutes=current_app.config["RESET_CODE_TTL_MINUTES"])
    db.session.add(
        PasswordReset(
            phone=phone_e164,
            user_id=user.id if user is not None else None,
            code_hash=code_hash,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    receiver = user if user is not None and user.active else None
    with force_locale((receiver.locale if receiver else None) or current_app.config["BABEL_DEFAULT_LOCALE"]):
        text = gettext(
            "Rooyesh Market code: %(code)s. It works for %(num)s minutes.",
            code=code,
            num=current_app.config["RESET_CODE_TTL_MINUTES"],
        )
    # The outbox row is written either way (the same work); without an account it has no
    # recipient and the worker drops it, so nothing is sent.
    queue_sms(receiver.phone if receiver else None, text)
    db.session.flush()
    return (receiver, code) if receiver else None


def complete_password_reset(phone_e164: str, code: str, new_password: str) -> User:
    """Check the code and set the new password; the code is then used up.

    A wrong code counts an attempt (kept even though the caller reports failure: commit the
    attempt count before showing the error); too many attempts or an old code stop working.
    A number without an account answers exactly as a real one: its code (if one was asked for)
    was never sent, so every try is "not right".
    """
    user = find_user_by_phone(phone_e164)
    reset = db.session.scalar(
        select(PasswordReset)
        .where(PasswordReset.phone == phone_e164, PasswordReset.used_at.is_(None))
        .order_by(PasswordReset.id.desc())
    )
    expired_message = _l("This code has expired or was used. Ask for a new code.")
    if reset is None or as_utc(reset.expires_at) < utcnow():
        raise AccountError("code", expired_message)
    if reset.attempts >= current_app.config["RESET_CODE_MAX_ATTEMPTS"]:
        raise AccountError("code", expired_message)
    right = check_password_hash(reset.code_hash, code)
    if not right or user is None or not user.active or reset.user_id != user.id:
        reset.attempts += 1
        raise AccountError("code", _l("The code is not right."))
    problem = password_problem(new_password, user.phone)
    if problem:
        raise AccountError("new_password", problem)
    set_password(user, new_password)
    reset.used_at = utcnow()
    return user
