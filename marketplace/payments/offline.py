"""The offline provider: cash on delivery, paying at the centre, paying at a fair booth. Always on.
Nothing happens online: the producer (or staff) marks the money received, and that ends in
`payments.services.mark_paid` like every other path."""

from ..core.messages import lazy_gettext as _l
from .models import PaymentMethod
from .providers import PaymentProvider, RefundByHand, Start

INSTRUCTIONS = {
    PaymentMethod.COD: _l("Pay the courier or the post office in cash when your parcel arrives."),
    PaymentMethod.CENTRE: _l("Pay at the Rooyesh centre when you pick up your order or before it is sent."),
    PaymentMethod.BOOTH: _l("Pay at the producer's booth at the fair when you pick up your order."),
}


class OfflineProvider(PaymentProvider):
    """Money changes hands in person; orders wait for the producer to confirm them."""

    name = "offline"
    methods = (PaymentMethod.COD, PaymentMethod.CENTRE, PaymentMethod.BOOTH)

    def start(self, payment, *, lines, success_url, cancel_url) -> Start:
        """No redirect: the buyer is told how and where to pay."""
        return Start(instructions=str(INSTRUCTIONS[PaymentMethod(payment.method)]))

    def refund(self, payment, amount_rial: int, *, key: str) -> None:
        """Cash goes back by hand."""
        raise RefundByHand()
