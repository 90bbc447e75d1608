"""The payment provider interface (pretix's BasePaymentProvider, cut to what Rooyesh needs).

A provider moves money; it never touches orders. Every hook below says what it may do. The flow
fits a card processor with hosted pages (Stripe Checkout) and an Iranian gateway alike:

    start()           → where to send the buyer (a redirect) or what to tell her (instructions)
    confirm_return()  → the buyer came back: ask the provider, on the server, whether she paid
    handle_webhook()  → the provider tells us, signed, what happened
    refund()          → give money back

An Iranian gateway (request → redirect → verify) maps onto the same hooks: `start` requests a
token from the gateway and redirects to its page; `confirm_return` is the gateway's "verify" call
on the callback; it has no webhook; `refund` calls its reversal API or raises `RefundByHand`.
"""

from dataclasses import dataclass, field

from flask import Flask


class ProviderError(Exception):
    """The provider could not be reached or refused the call; the message is for the log, not the buyer."""


class RefundByHand(Exception):
    """This provider cannot send money back itself: the producer or the centre returns it in person."""


@dataclass(frozen=True)
class Start:
    """What `start` hands back: a URL to send the buyer to, or instructions to show her."""

    redirect_url: str | None = None
    instructions: str = ""
    provider_ref: str | None = None
    details: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ProviderState:
    """What the provider says of a payment when asked (`confirm_return`).

    status: "paid", "pending", "failed" or "expired"; provider_payment_ref: its id of the charge
    (a Stripe PaymentIntent), used later to refund."""

    status: str
    provider_payment_ref: str | None = None


@dataclass(frozen=True)
class LineForProvider:
    """One line the provider shows the buyer on its page (name, quantity, unit amount in rial)."""

    name: str
    quantity: int
    unit_rial: int


class PaymentProvider:
    """Base class of the providers. Subclasses set `name` and `methods` and override the hooks.

    Hooks never commit: they run inside the caller's request or worker, and the caller commits.
    Hooks that call the network (`start`, `confirm_return`, `refund`) are called with no database
    transaction open that they could hold locked, and must be safe to call twice for the same
    payment (use an idempotency key derived from `payment.reference`)."""

    name = ""
    methods: tuple[str, ...] = ()

    def __init__(self, app: Flask):
        self.config = app.config

    def is_enabled(self) -> bool:
        """Whether this provider is configured and may be offered at checkout."""
        return True

    def start(self, payment, *, lines: list[LineForProvider], success_url: str, cancel_url: str) -> Start:
        """Begin paying `payment` (pending, amount fixed). May call the provider's API; must not
        change the payment's status (only the caller stores the returned `provider_ref`)."""
        raise NotImplementedError

    def confirm_return(self, payment) -> ProviderState | None:
        """Ask the provider, on the server, how `payment` stands (the buyer's return page calls
        this; never trust the query string). None when the provider has nothing to tell."""
        return None

    def refund(self, payment, amount_rial: int, *, key: str) -> None:
        """Send `amount_rial` of `payment` back to the buyer. `key` is unique per refund: the same
        key must never refund twice. The refund is recorded when the provider confirms it (a
        webhook); raise `RefundByHand` if money must be returned in person, `ProviderError` to retry."""
        raise RefundByHand()
