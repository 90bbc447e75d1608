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


def collect(signal: Signal, sender: object, **kwargs) -> list:
    """Every receiver's answer to `signal`, as one list: each receiver returns a list (or None),
    and the lists are joined in the order the receivers were connected."""
    answers: list = []
    for _receiver, answer in signal.send(sender, **kwargs):
        if answer:
            answers.extend(answer)
    return answers
