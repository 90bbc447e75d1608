"""Deterministic Persian demo data for trying the product locally: `flask demo load`."""
