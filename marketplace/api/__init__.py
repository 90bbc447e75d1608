"""JSON API v1: read-only public data (search, autocomplete) and its OpenAPI document."""
