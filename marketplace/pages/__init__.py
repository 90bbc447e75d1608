"""Public pages that draw on several domains (the home page). Like dashboard, nothing imports it."""
