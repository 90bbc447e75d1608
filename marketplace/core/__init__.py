"""Shared building blocks: Persian text, money, dates, notifications, security, the shell pages."""
