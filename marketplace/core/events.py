"""Domain events: the one blinker namespace through which a lower module asks and a higher one answers.

The module map (DESIGN §2) lets imports run one way only. When a lower module needs an answer only
a higher one has (catalog: "does the registration checklist block publishing?"), it sends a signal
defined here and collects the receivers' return values, as pretix's `validate_order` does; the
higher module connects its receivers explicitly when the app starts (e.g.
`registration.init_registration`), never as a side effect of being imported.

Rules for every signal here:
- The sender calls `collect(signal, sender, **kwargs)` (or `signal.send(...)`) and must work the
  same when no receiver is connected: an unanswered question means "nothing to add".
- Receivers run synchronously, in the sender's thread and inside the caller's database
  transaction: they may read and flush, never commit or roll back. Anything outside the database
  (a text message, an e-mail, a call to another service) goes through the outbox, so it happens
  only if the transaction commits.
- Receivers return plain values as each signal's docstring says; an exception in a receiver
  propagates to the sender (a broken rule must not pass silently).

Signals are defined here, in one place, so their contracts are read together; core imports
nothing of the modules that send or answer them.
"""

from blinker import Namespace, Signal

signals = Namespace()

product_publish_blockers: Signal = signals.signal(
    "catalog.product-publish-blockers",
    doc="""What blocks publishing this product, besides catalog's own rules?

    Sent by catalog (`catalog.services.publish_blockers`) before a product is published and
    when staff look at it. Sender: the `Product`; no keyword arguments.
    Receivers return a list of lazily translated messages, one per reason the product may not
    be published yet (empty or None when they see no reason). The product can be published
    only when every receiver returns nothing. Read-only: receivers must not change the product.
    Answered by registration (mandatory checklist items not yet verified or waived).""",
)

product_badges: Signal = signals.signal(
    "catalog.product-badges",
    doc="""Which badges does this product's page show?

    Sent by the public product page (`catalog.routes.public.product`). Sender: the `Product`;
    no keyword arguments. Receivers return a list of dicts `{"code": str, "label": str or lazy
    string}` (empty or None for none); the page shows every label, in the order received.
    Read-only. Answered by registration (verified licences, e.g. «دارای مجوز بهداشت»).""",
)


# Payments (lower) announce what happened to a payment; orders (higher) answers by moving its orders.
# Sender: the `Payment` (flushed, inside the transaction that changed it). Receivers may read and
# flush; they return nothing. Each is sent once per change of the payment's status.
payment_succeeded: Signal = signals.signal(
    "payments.succeeded",
    doc="""The payment is now fully paid (`payments.services.mark_paid`). Sender: the `Payment`.
    Orders moves its card orders from pending_payment to paid.""",
)
payment_failed: Signal = signals.signal(
    "payments.failed",
    doc="""The payment failed or expired before it was paid. Sender: the `Payment`; keyword
    `status` is the new status (failed, expired or cancelled). Orders cancels its unpaid orders
    and gives their stock back.""",
)
payment_refunded: Signal = signals.signal(
    "payments.refunded",
    doc="""Money went back to the buyer. Sender: the `Payment`; keyword `amount_rial` is what this
    refund returned, `full` is true when the whole payment is now refunded. Orders marks its paid
    orders refunded when the refund is full.""",
)

# Orders announce their own life to whoever listens (notifications, fairs, insights later).
order_placed: Signal = signals.signal(
    "orders.placed",
    doc="""A checkout created this order. Sender: the `Order`. Receivers may read and flush.""",
)
order_state_changed: Signal = signals.signal(
    "orders.state-changed",
    doc="""An order moved from one status to another. Sender: the `Order` (already in its new
    status); keywords `from_status`, `to_status`, `actor_id` (None for the system).""",
)


products_changed_in_bulk: Signal = signals.signal(
    "catalog.products-changed-in-bulk",
    doc="""A bulk UPDATE changed these products' rows (stock taken at checkout or given back), which
    the session's flush listeners never see. Sender: None; keyword `product_ids` (a set of ints).
    Sent inside the transaction that made the change. Answered by search, which appends its
    change-log rows in that same transaction, so the "in stock" facet is never stale.""",
)


# Catalog (lower) asks orders (higher) about buyers' reviews and saved items for its public pages.
# Receivers only read: a public page never writes while rendering (DESIGN §3).
product_reviews: Signal = signals.signal(
    "catalog.product-reviews",
    doc="""What do buyers say about this product? Sent by the public product page
    (`catalog.routes.public.product`). Sender: the `Product`; no keyword arguments.
    A receiver returns a dict `{"average": float or None, "count": int, "latest": list}`, where each
    item of `latest` is a dict `{"rating": int, "body": str, "author": str, "created_at": datetime,
    "reply": str, "replied_at": datetime or None}`, newest first; None when it has nothing to say.
    The page shows the first answer (`answer()`). Answered by orders (`orders.receivers`).""",
)
shop_rating: Signal = signals.signal(
    "catalog.shop-rating",
    doc="""What is this shop's average rating? Sent by the storefront (`catalog.routes.public.storefront`).
    Sender: the `Shop`; no keyword arguments. A receiver returns `{"average": float or None,
    "count": int}` (or None). Answered by orders (`orders.receivers`), from its buyers' reviews.""",
)
saved_by_user: Signal = signals.signal(
    "catalog.saved-by-user",
    doc="""Has this signed-in user kept this product among her favourites, or does she follow this
    shop? Sent by the product page and the storefront to draw their save/follow button. Sender: the
    `Product` or the `Shop`; keyword `user_id`. A receiver returns True or False (None: no answer;
    the page then shows the button as not saved). Answered by orders (`orders.receivers`).""",
)


# Orders and search (lower) ask the bazaar (higher) about fairs; the bazaar announces its own steps.
fair_price: Signal = signals.signal(
    "orders.fair-price",
    doc="""Is this product sold at a fair-only price right now? Sent by orders whenever it prices a
    cart line or an order line (`orders.cart.unit_price`). Sender: the `Product`; keyword `now`
    (aware UTC). A receiver returns the discounted base price in rial (before option price
    differences) while a fair the product is exhibited at is live, else None. Answered by the
    bazaar (`bazaar.online`).""",
)
booth_pickup: Signal = signals.signal(
    "orders.booth-pickup",
    doc="""Can buyers pick up this shop's order at a fair booth right now, and where? Sent by
    checkout when it lists delivery options. Sender: the `Shop`; keyword `now`. A receiver returns
    `{"fair_id": int, "fair_title": str, "booth_code": str}` while the shop has a booth at a live
    fair, else None. Answered by the bazaar (`bazaar.online`).""",
)
product_fairs: Signal = signals.signal(
    "search.product-fairs",
    doc="""Which fairs exhibit these products? Sent by search when it builds product documents.
    Sender: None; keyword `product_ids` (a list of ints). A receiver returns a dict product id →
    list of fair ids (accepted applications at fairs the public sees). Answered by the bazaar.""",
)
fair_published: Signal = signals.signal(
    "bazaar.fair-published",
    doc="""A fair's results were published. Sender: the `BazaarEvent`. Sent inside the publishing
    transaction; the jury's receiver tells every applicant her decision (through the outbox).""",
)


def answer(signal: Signal, sender: object, **kwargs):
    """The first receiver's answer that is not None, or None when nobody answers (for signals whose
    receivers return one value, not a list)."""
    for _receiver, value in signal.send(sender, **kwargs):
        if value is not None:
            return value
    return None


def collect(signal: Signal, sender: object, **kwargs) -> list:
    """Every receiver's answer to `signal`, as one list: each receiver returns a list (or None),
    and the lists are joined in the order the receivers were connected."""
    answers: list = []
    for _receiver, answer in signal.send(sender, **kwargs):
        if answer:
            answers.extend(answer)
    return answers
