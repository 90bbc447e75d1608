"""Platform settings the centre's administrators change in the console (/staff/settings): the
commission, the card currency and the default delivery fees.

Each setting is named by its config key; the value stored in `platform_setting` wins over the
config default (config.py, instance/config.py, env). They live in core because orders and payments,
low in the module map, read them. A request reads the table at most once (`flask.g`), so a page
that asks ten times costs one query.
"""

import json
from datetime import datetime

from flask import current_app, g, has_request_context
from sqlalchemy import DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model, db
from .dates import utcnow
from .errors import RuleError
from .messages import lazy_gettext as _l

# The settings the console may change (their config keys) and how each is checked.
PLATFORM_SETTINGS = (
    "PLATFORM_COMMISSION_PERCENT",
    "STRIPE_CURRENCY",
    "DEFAULT_POST_FEE_RIAL",
    "DEFAULT_COURIER_FEE_RIAL",
)
MAX_COMMISSION_PERCENT = 50
# Currencies Stripe charges in that make sense for the centre's buyers abroad (ISO 4217, lower case).
CARD_CURRENCIES = ("eur", "usd", "gbp", "cad", "aud", "sek", "chf", "try", "aed")
# No delivery in Iran costs ten million toman: more is a typo.
MAX_FEE_RIAL = 100_000_000
_CACHE = "platform_settings"


class PlatformSetting(Model):
    """One changed setting: its config key and its value as JSON (null turns a delivery method off)."""

    __tablename__ = "platform_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


def _stored() -> dict:
    """The stored values, read once per request. Outside a request (the outbox worker, a CLI
    command: one long app context) they are read each time, so a change is never missed."""
    stored = g.get(_CACHE) if has_request_context() else None
    if stored is None:
        rows = db.session.execute(select(PlatformSetting.key, PlatformSetting.value))
        stored = {key: json.loads(value) for key, value in rows}
        if has_request_context():
            setattr(g, _CACHE, stored)
    return stored


def platform_setting(name: str):
    """The setting's value: what staff stored, else the config default."""
    if name not in PLATFORM_SETTINGS:
        raise KeyError(f"{name} is not a platform setting")
    stored = _stored()
    return stored[name] if name in stored else current_app.config[name]


def platform_settings() -> dict:
    """Every platform setting's current value, by config key."""
    return {name: platform_setting(name) for name in PLATFORM_SETTINGS}


def _check(name: str, value) -> None:
    """Refuse a value the platform cannot work with (RuleError on the form field of that name)."""
    if name == "PLATFORM_COMMISSION_PERCENT":
        if not isinstance(value, int) or not 0 <= value <= MAX_COMMISSION_PERCENT:
            raise RuleError("commission_percent", _l("The commission must be a whole number from 0 to 50 percent."))
    elif name == "STRIPE_CURRENCY":
        if value not in CARD_CURRENCIES:
            raise RuleError("card_currency", _l("Choose one of the listed currencies."))
    elif value is not None and (not isinstance(value, int) or not 0 <= value <= MAX_FEE_RIAL):
        field = "post_fee" if name == "DEFAULT_POST_FEE_RIAL" else "courier_fee"
        raise RuleError(field, _l("The fee must be zero or more, in whole toman, and not absurdly high."))


def save_platform_settings(values: dict, actor_id: int | None) -> list[str]:
    """Store the settings of `values` (config key → value) that differ from the current ones, after
    checking every one; returns the keys changed. Flushes; the caller commits."""
    for name, value in values.items():
        if name not in PLATFORM_SETTINGS:
            raise KeyError(f"{name} is not a platform setting")
        _check(name, value)
    changed = [name for name, value in values.items() if platform_setting(name) != value]
    for name in changed:
        row = db.session.get(PlatformSetting, name) or PlatformSetting(key=name)
        row.value = json.dumps(values[name])
        row.updated_by_id = actor_id
        db.session.add(row)
    db.session.flush()
    if has_request_context():
        g.pop(_CACHE, None)  # this request reads the new values from here on
    return changed
