"""Public addresses. Every absolute URL the site hands out (canonical links, OpenGraph, JSON-LD, the
share link, QR codes on printed stickers, the JSON API) is built from the PUBLIC_URL setting, never
from the request's Host header: anyone can send any Host, and pages, caches and printed kits must
not repeat it (issue 10 item 6). TRUSTED_HOSTS (Flask's own setting) can also refuse other hosts.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app, url_for


def check_public_url(app: Flask) -> None:
    """Refuse to start with a PUBLIC_URL that is not an absolute http(s) address."""
    value = str(app.config.get("PUBLIC_URL") or "")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"PUBLIC_URL must look like https://example.org (got {value!r})")
    app.config["PUBLIC_URL"] = value.rstrip("/")
    if app.config.get("HTTPS") and parts.scheme != "https":
        app.logger.warning("HTTPS is on but PUBLIC_URL %s is http: shared links will use http", value)


def public_base() -> str:
    """The site's public address without a trailing slash, e.g. https://rooyesh.example."""
    return current_app.config["PUBLIC_URL"]


def public_host() -> str:
    """The public host (and port) people see, e.g. rooyesh.example, for addresses shown as text."""
    return urlsplit(public_base()).netloc


def public_url(endpoint: str, **values) -> str:
    """The absolute public URL of an endpoint (url_for's path under PUBLIC_URL)."""
    values.pop("_external", None)
    return public_base() + url_for(endpoint, **values)
