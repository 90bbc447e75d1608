"""Accounts: people who sign up with an Iranian mobile number, their roles and sessions."""
