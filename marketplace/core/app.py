"""The running app as a plain object, for code that hands it to a thread, a process or a later call."""

from flask import Flask, current_app


def current_app_object() -> Flask:
    """The real app behind `current_app` (the proxy only works inside this app context)."""
    return current_app._get_current_object()  # type: ignore[attr-defined]  # Flask types the proxy as the app
