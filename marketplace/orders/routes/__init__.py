"""Orders' blueprints: the buyer's orders, reviews and favourites; the producer's answers to reviews."""
