"""Login throttling that slows password guessing without locking the owner out (issue 10 item 12).

Counting every attempt per phone let anyone lock an account: ten wrong passwords from ten
addresses kept the owner out for ten minutes. Here only *failures* are counted, in three buckets
(in the rate limiter's storage, so several workers share them; Redis in production):

- per address, every login POST (RATELIMIT_LOGIN_IP, the Flask-Limiter decorator on the route);
- per phone *and* address, failures (RATELIMIT_LOGIN_PHONE_IP): one address guessing one account;
- per phone from anywhere, failures, in windows that escalate slowly (RATELIMIT_LOGIN_PHONE, e.g.
  10 per 10 minutes, 30 per hour, 100 per day): many addresses guessing one account.

The per-phone bucket does not apply to a browser where this phone has logged in before (a signed
"known device" cookie, holding only an HMAC of the phone), so an attack from elsewhere does not
lock the owner out of her own phone. On a new device she can always reset the password: a right
reset code is never refused by these limits, and a completed reset clears the phone's failures.
The buckets count per phone whether or not the number has an account, so a 429 tells nothing.
"""

import hashlib
import hmac

from flask import current_app, request
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse_many
from werkzeug.wrappers import Response

from ..extensions import limiter

DEVICE_COOKIE_MAX_AGE = 365 * 24 * 3600
DEVICE_COOKIE_MAX_PHONES = 5  # phones remembered per browser (a shared family phone)


def _limits(setting: str) -> list[RateLimitItem]:
    return list(parse_many(current_app.config[setting]))


def _buckets(phone_e164: str, known_device: bool) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
    """(limit, identifiers) of every bucket a failure for this phone from this request counts in."""
    address = get_remote_address()
    buckets: list[tuple[RateLimitItem, tuple[str, ...]]] = [
        (item, ("login-fail-phone-ip", phone_e164, address)) for item in _limits("RATELIMIT_LOGIN_PHONE_IP")
    ]
    if not known_device:
        buckets += [(item, ("login-fail-phone", phone_e164)) for item in _limits("RATELIMIT_LOGIN_PHONE")]
    return buckets


def _enabled() -> bool:
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def login_blocked(phone_e164: str, known_device: bool) -> bool:
    """True when this phone has failed too often lately (from this address, or from anywhere for
    a browser it never logged in on): the attempt must wait, before any password is checked."""
    if not _enabled():
        return False
    return any(not limiter.limiter.test(item, *ids) for item, ids in _buckets(phone_e164, known_device))


def login_failed(phone_e164: str) -> None:
    """Count a wrong password (or unknown phone) in every bucket, the per-phone one included."""
    if _enabled():
        for item, ids in _buckets(phone_e164, known_device=False):
            limiter.limiter.hit(item, *ids)


def clear_failures(phone_e164: str, *, everywhere: bool) -> None:
    """Forget the phone's failures from this address (after a login from it) and, `everywhere`,
    from anywhere (after a completed reset: whoever holds the texted code is the owner)."""
    if _enabled():
        for item, ids in _buckets(phone_e164, known_device=not everywhere):
            limiter.limiter.clear(item, *ids)


# ---------------------------------------------------------------- known devices


def _cookie_name() -> str:
    return "__Host-device" if current_app.config["HTTPS"] else "device"


def _tag(phone_e164: str) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(key, b"known-device:" + phone_e164.encode(), hashlib.sha256).hexdigest()[:24]


def _tags() -> list[str]:
    return [tag for tag in request.cookies.get(_cookie_name(), "").split(".") if tag]


def is_known_device(phone_e164: str) -> bool:
    """Has this phone logged in (or reset its password) in this browser before?"""
    wanted = _tag(phone_e164)
    return any(hmac.compare_digest(tag, wanted) for tag in _tags())


def remember_device(response: Response, phone_e164: str) -> Response:
    """Mark this browser as one where the phone's owner proved who she is."""
    tags = [tag for tag in _tags() if tag != _tag(phone_e164)][-(DEVICE_COOKIE_MAX_PHONES - 1) :]
    response.set_cookie(
        _cookie_name(),
        ".".join([*tags, _tag(phone_e164)]),
        max_age=DEVICE_COOKIE_MAX_AGE,
        secure=current_app.config["HTTPS"],
        httponly=True,
        samesite="Lax",
    )
    return response
