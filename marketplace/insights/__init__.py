"""Insights: what buyers look for, rolled up from search's query log (`/insights`, `flask insights`)."""
