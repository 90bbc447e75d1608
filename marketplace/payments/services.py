"""Payment rules: create a payment, and the few functions every path ends in. `mark_paid` is the
only way a payment becomes paid; `record_failure` and `record_refund` the only ways it fails or
gives money back. Each is idempotent and moves the payment forward only, then announces the change
(core.events payment_*) for orders to answer, inside the same transaction.

Services never commit; the route, webhook or CLI command commits once.
"""

import logging
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value

from ..core import events, outbox
from ..core.database import begin_write
from ..core.dates import as_utc, utcnow
from ..core.errors import RuleError
from ..core.messages import lazy_gettext as _l
from ..core.settings import platform_setting
from ..extensions import db
from .models import OFFLINE_METHODS, ExchangeRate, Payment, PaymentEvent, PaymentMethod, PaymentStatus
from .offline import OfflineProvider
from .providers import LineForProvider, PaymentProvider, ProviderError, ProviderState, RefundByHand, Start

log = logging.getLogger("marketplace.payments")

REFUND = "payments.refund"

# Forward only: a late or repeated event can never move a payment back.
TRANSITIONS = {
    PaymentStatus.PENDING: {PaymentStatus.PAID, PaymentStatus.FAILED, PaymentStatus.EXPIRED, PaymentStatus.CANCELLED},
    # money that arrives after its session expired is still money: it is recorded (and orders refund it)
    PaymentStatus.EXPIRED: {PaymentStatus.PAID},
    PaymentStatus.FAILED: {PaymentStatus.PAID},
    PaymentStatus.CANCELLED: {PaymentStatus.PAID},
    PaymentStatus.PAID: {PaymentStatus.REFUNDED},
    PaymentStatus.REFUNDED: set(),
}


def provider_classes() -> dict[str, type[PaymentProvider]]:
    """Every provider class by name. Stripe's is imported here so its module loads only with payments."""
    from .stripe_provider import StripeProvider

    return {OfflineProvider.name: OfflineProvider, StripeProvider.name: StripeProvider}


def provider_named(app: Flask, name: str) -> PaymentProvider:
    """The provider `name`, built on the app's settings."""
    return provider_classes()[name](app)


def provider_for_method(app: Flask, method: str) -> PaymentProvider | None:
    """The enabled provider that takes `method`, or None."""
    for cls in provider_classes().values():
        provider = cls(app)
        if method in provider.methods and provider.is_enabled():
            return provider
    return None


def available_methods(app: Flask) -> list[str]:
    """The payment methods some enabled provider offers, card first when it is on."""
    methods = [method for method in PaymentMethod if provider_for_method(app, method) is not None]
    return sorted(methods, key=lambda method: method != PaymentMethod.CARD)


def create_payment(
    app: Flask, *, method: str, amount_rial: int, reference: str, now: datetime | None = None
) -> Payment:
    """A pending payment of `amount_rial` for `reference`. A card payment is charged in
    CARD_CURRENCY at the newest staff-set rate, fixed now, and expires after PAYMENT_EXPIRY_MINUTES."""
    provider = provider_for_method(app, method)
    if provider is None:
        raise ValueError(f"no enabled provider takes {method!r}")
    now = now or utcnow()
    payment = Payment(
        reference=reference, provider=provider.name, method=method, amount_rial=amount_rial, created_at=now
    )
    if method == PaymentMethod.CARD:
        currency = platform_setting("STRIPE_CURRENCY").lower()
        rate = current_rate(currency)
        if rate is None:
            raise ValueError(f"no exchange rate set for {currency}")
        payment.currency = currency
        payment.rial_per_unit = rate.rial_per_unit
        payment.amount_minor = charge_in_minor_units(amount_rial, rate.rial_per_unit)
        payment.expires_at = now + timedelta(minutes=app.config["PAYMENT_EXPIRY_MINUTES"])
    db.session.add(payment)
    db.session.flush()
    return payment


def charge_in_minor_units(amount_rial: int, rial_per_unit: int) -> int:
    """What `amount_rial` costs in the card currency's minor units (cents), rounded up, at least 1."""
    return max(1, -(-amount_rial * 100 // rial_per_unit))


def current_rate(currency: str) -> ExchangeRate | None:
    """The newest exchange rate staff set for `currency`."""
    return db.session.scalars(
        select(ExchangeRate).where(ExchangeRate.currency == currency.lower()).order_by(ExchangeRate.id.desc()).limit(1)
    ).first()


def set_rate(currency: str, rial_per_unit: int, actor_id: int | None) -> ExchangeRate:
    """Record a new rate (rial per one unit of `currency`); payments started later use it."""
    rate = ExchangeRate(currency=currency.lower(), rial_per_unit=rial_per_unit, set_by_id=actor_id)
    db.session.add(rate)
    db.session.flush()
    return rate


def instructions_for(app: Flask, payment: Payment) -> str:
    """What to tell the buyer about paying (offline: how and where)."""
    if not payment.is_offline:
        return ""
    return provider_named(app, payment.provider).start(payment, lines=[], success_url="", cancel_url="").instructions


def _move(payment: Payment, to_status: PaymentStatus) -> bool:
    """Move the payment forward with one conditional UPDATE (status still what we read), so two
    transactions racing on it (the webhook and the return page, two expiry sweeps) cannot both
    apply the same change: the loser's row count is 0 and it does nothing."""
    allowed_from = [status for status, targets in TRANSITIONS.items() if to_status in targets]
    if PaymentStatus(payment.status) not in allowed_from:
        return False
    db.session.flush()
    result = db.session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == payment.status)
        .values(status=to_status)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's result has a rowcount
        db.session.refresh(payment)
        return False
    set_committed_value(payment, "status", to_status)
    return True


def mark_paid(payment: Payment, *, provider_payment_ref: str | None = None, now: datetime | None = None) -> bool:
    """The one way a payment becomes paid (webhook, return page, offline receipt alike). Idempotent:
    False, and nothing announced, when it was already paid or refunded."""
    if provider_payment_ref and not payment.provider_payment_ref:
        payment.provider_payment_ref = provider_payment_ref
    if not _move(payment, PaymentStatus.PAID):
        return False
    payment.paid_at = now or utcnow()
    db.session.flush()
    events.payment_succeeded.send(payment)
    return True


def record_failure(payment: Payment, status: PaymentStatus, reason: str = "") -> bool:
    """A pending payment failed, expired or was abandoned. False when it had already moved on."""
    if not _move(payment, status):
        return False
    payment.failure_reason = reason[:200]
    db.session.flush()
    events.payment_failed.send(payment, status=status)
    return True


def record_refund(payment: Payment, refunded_rial: int, *, refunded_minor: int | None = None) -> bool:
    """The provider says `refunded_rial` of this payment has gone back in all (a running total, so a
    repeat changes nothing). Full refunds make the payment refunded. False when nothing is new."""
    refunded_rial = min(refunded_rial, payment.amount_rial)
    if refunded_rial <= payment.refunded_rial:
        return False
    added = refunded_rial - payment.refunded_rial
    payment.refunded_rial = refunded_rial
    if refunded_minor is not None:
        payment.refunded_minor = max(payment.refunded_minor, refunded_minor)
    full = refunded_rial >= payment.amount_rial
    if full:
        _move(payment, PaymentStatus.REFUNDED)
    db.session.flush()
    events.payment_refunded.send(payment, amount_rial=added, full=full)
    return True


def record_offline_receipt(payment: Payment, amount_rial: int, *, now: datetime | None = None) -> bool:
    """A producer or staff received `amount_rial` of an offline payment in person; when what was
    received covers what is still due, the payment is paid. True when that made it paid."""
    if payment.method not in OFFLINE_METHODS:
        raise ValueError("only offline payments are received by hand")
    payment.received_rial += amount_rial
    due = payment.amount_rial - payment.refunded_rial
    if payment.received_rial >= due:
        return mark_paid(payment, now=now)
    db.session.flush()
    return False


def reduce_offline_amount(payment: Payment, amount_rial: int) -> None:
    """An order of an offline payment was cancelled before any money changed hands: less is due.
    When what was received already covers the rest, the payment is paid."""
    payment.amount_rial = max(0, payment.amount_rial - amount_rial)
    if payment.status == PaymentStatus.PENDING and payment.amount_rial == 0:
        record_failure(payment, PaymentStatus.CANCELLED, "every order cancelled")
    elif payment.status == PaymentStatus.PENDING and payment.received_rial >= payment.amount_rial:
        mark_paid(payment)
    db.session.flush()


def request_refund(payment: Payment, amount_rial: int, *, key: str) -> bool:
    """Ask the provider to send `amount_rial` back, after this transaction commits (through the
    outbox, once per `key`). Offline payments are returned in person: recorded at once. True when
    a provider refund was queued."""
    if amount_rial <= 0:
        return False
    if payment.is_offline:
        record_refund(payment, payment.refunded_rial + amount_rial)
        return False
    outbox.enqueue(
        REFUND, {"payment_id": payment.id, "amount_rial": amount_rial, "key": key}, dedupe_key=f"refund:{key}"
    )
    return True


# --- card payments: the provider's API is called with no transaction open ---------------------


def start_card_payment(
    app: Flask, payment: Payment, lines: list[LineForProvider], *, success_url: str, cancel_url: str
) -> Start:
    """Where to send the buyer to pay `payment` by card: the provider's page, made once (a repeat
    gets the stored address back) and remembered on the payment with its real expiry. Ends the
    request's transaction before calling the provider (so call it first, with nothing unsaved); the
    caller commits. A provider that does not answer gives a Start without `redirect_url` (logged);
    a payment that stopped being pending is refused (RuleError)."""
    if payment.status == PaymentStatus.PENDING and payment.provider_ref and payment.redirect_url:
        return Start(redirect_url=payment.redirect_url, provider_ref=payment.provider_ref)
    if payment.status != PaymentStatus.PENDING:
        raise RuleError("payment_method", _l("This order can no longer be paid by card."))
    provider = provider_named(app, payment.provider)
    try:
        start = provider.start(
            _outside_transaction(payment), lines=lines, success_url=success_url, cancel_url=cancel_url
        )
    except ProviderError:
        log.warning("could not start payment %s with %s", payment.id, payment.provider, exc_info=True)
        return Start()
    begin_write()
    if payment.status != PaymentStatus.PENDING:  # expired while the provider was called
        raise RuleError("payment_method", _l("This order can no longer be paid by card."))
    if payment.provider_ref is None:  # else a racing request with the same idempotency key stored the same session
        payment.provider_ref = start.provider_ref
        payment.redirect_url = start.redirect_url
        expires_at = start.details.get("expires_at")
        if expires_at:
            # the provider keeps its page open longer than asked (Stripe's minimum): expire with it
            payment.expires_at = max(as_utc(payment.expires_at or utcnow()), datetime.fromtimestamp(expires_at, UTC))
    db.session.flush()
    return start


def refresh_from_provider(app: Flask, payment: Payment) -> bool:
    """The buyer came back from the provider's page: while `payment` is pending, ask the provider
    on the server (never the query string) and apply its answer. Ends the request's transaction
    before asking (so call it first); the caller commits, and `payment` stays usable. A provider
    that does not answer changes nothing: its webhook tells us later. True when the payment moved."""
    if payment.status != PaymentStatus.PENDING or not payment.provider_ref:
        return False
    provider = provider_named(app, payment.provider)
    try:
        state = provider.confirm_return(_outside_transaction(payment))
    except ProviderError:
        log.warning("could not ask %s about payment %s", payment.provider, payment.id, exc_info=True)
        return False
    if state is None or state.status == "pending":
        return False
    begin_write()
    return apply_provider_state(payment, state)


def apply_provider_state(payment: Payment, state: ProviderState | None) -> bool:
    """Apply what the provider says of `payment`: paid → `mark_paid`, expired or failed →
    `record_failure`, pending (or nothing) → no change. Forward only and idempotent; True when it moved."""
    if state is None:
        return False
    if state.status == "paid":
        return mark_paid(payment, provider_payment_ref=state.provider_payment_ref)
    if state.status == "expired":
        return record_failure(payment, PaymentStatus.EXPIRED, "expired")
    if state.status == "failed":
        return record_failure(payment, PaymentStatus.FAILED, "failed")
    return False


def _outside_transaction(payment: Payment) -> Payment:
    """A copy of `payment`'s columns that belongs to no session, after ending the session's
    transaction: the provider reads it over the network while no transaction is open (one left open
    on SQLite would hold the write lock a POST began with). `payment` itself stays in the session
    and reloads when next read."""
    if inspect(payment).expired_attributes:
        db.session.refresh(payment)
    copy = Payment(**{column.key: getattr(payment, column.key) for column in Payment.__table__.columns})
    db.session.rollback()
    return copy


def record_event(provider: str, event_id: str, event_type: str) -> PaymentEvent | None:
    """Claim a provider event for this transaction: a new PaymentEvent row, or None when the event
    was applied before (then the caller must do nothing). The unique key settles two deliveries
    racing each other: the loser's insert fails, its transaction rolls back, and it answers 200."""
    existing = db.session.scalars(
        select(PaymentEvent).where(PaymentEvent.provider == provider, PaymentEvent.event_id == event_id)
    ).first()
    if existing is not None:
        return None
    row = PaymentEvent(provider=provider, event_id=event_id, type=event_type)
    db.session.add(row)
    db.session.flush()
    return row


def event_seen(provider: str, event_id: str) -> bool:
    """Whether the provider event was applied already (a racing delivery's commit, after ours failed)."""
    return (
        db.session.scalar(
            select(PaymentEvent.id).where(PaymentEvent.provider == provider, PaymentEvent.event_id == event_id)
        )
        is not None
    )


def payment_by_reference(reference: str) -> Payment | None:
    """The payment made for `reference` ("checkout-12")."""
    return db.session.scalars(select(Payment).where(Payment.reference == reference)).first()


def payment_by_provider_ref(provider_ref: str) -> Payment | None:
    """The payment the provider knows as `provider_ref` (a Checkout Session id)."""
    return db.session.scalars(select(Payment).where(Payment.provider_ref == provider_ref)).first()


def overdue_payments(now: datetime | None = None, limit: int = 500) -> list[Payment]:
    """Pending card payments past their expiry."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(Payment)
            .where(Payment.status == PaymentStatus.PENDING, Payment.expires_at.is_not(None), Payment.expires_at < now)
            .order_by(Payment.id)
            .limit(limit)
        )
    )


def expire_overdue(now: datetime | None = None) -> int:
    """Expire pending card payments past their expiry (orders then give the stock back). Returns how many."""
    payments = overdue_payments(now)
    return sum(record_failure(payment, PaymentStatus.EXPIRED, "expired") for payment in payments)


@outbox.handler(REFUND)
def _send_refund(message: outbox.OutboxMessage) -> None:
    """Ask the provider to refund. The refund is recorded when the provider's webhook confirms it."""
    from ..core.app import current_app_object

    app = current_app_object()
    payment = db.session.get(Payment, message.payload["payment_id"])
    if payment is None:
        raise outbox.PermanentError("payment gone")
    provider = provider_named(app, payment.provider)
    # read only: hold no transaction while the provider is called; the copy keeps the values just
    # read (after a bare rollback, reading the payment would open a new transaction)
    payment = _outside_transaction(payment)
    try:
        provider.refund(payment, int(message.payload["amount_rial"]), key=message.payload["key"])
    except RefundByHand as error:
        raise outbox.PermanentError("this provider refunds by hand") from error
    except ProviderError:
        log.warning("refund of payment %s failed; the outbox will retry", payment.id)
        raise
