"""The producer's home (/dashboard): next steps, brand score, and later orders and insights."""
