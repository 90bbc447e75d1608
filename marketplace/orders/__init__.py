"""Orders: the cart, checkout (stock taken with one conditional UPDATE per line), one order per shop,
the producer's order desk, the buyer's orders, reviews, favourites, order messages and the ledger
of what each producer is owed. Subscribes to the payment signals (`orders.receivers`)."""
