"""Security defaults: response headers (a CSP that allows inline styles only by hash), cookie
settings, safe redirects."""

from typing import TypeGuard
from urllib.parse import urlsplit

from flask import Flask, g, request
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix


def content_security_policy(style_hashes: list[str]) -> str:
    """The CSP: only our own files, no inline script, no plugins, no framing, no <base> tricks.

    An inline <style> (a shop's colours) is allowed by its SHA-256 (core.pagecache.style_tag), never
    by a nonce: a page served again from the cache keeps the same, still-correct hashes."""
    styles = " ".join(f"'{digest}'" for digest in style_hashes)
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' {styles}".rstrip(),
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "form-action 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    )


def is_safe_next(target: str | None) -> TypeGuard[str]:
    """True only for a path on this site ("/account"), never "//evil", "https://…" or "/\\evil"."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return False
    if "\\" in target or any(ord(ch) < 32 for ch in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def apply_cookie_settings(app: Flask) -> None:
    """With HTTPS on, cookies become Secure and take the __Host- prefix (no Domain, Path=/)."""
    if app.config["HTTPS"]:
        app.config.update(
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            SESSION_COOKIE_NAME="__Host-session",
            REMEMBER_COOKIE_NAME="__Host-remember",
            PREFERRED_URL_SCHEME="https",
        )


def init_security(app: Flask) -> None:
    """Install the proxy fix (when configured) and the headers added to every response."""
    apply_cookie_settings(app)
    if app.config["PROXY_COUNT"]:
        count = int(app.config["PROXY_COUNT"])
        # Flask documents wrapping wsgi_app in middleware; its annotation as a method does not allow it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_style_hashes", [])))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["HTTPS"] or request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response


def refuse_cross_site_post() -> None:
    """Refuse a POST another site made this browser send; for the few forms on cached public pages
    (add to cart, the language switch) posted by a visitor who has no session, and so no CSRF token.

    The browser says where a request comes from: `Sec-Fetch-Site` (every current browser), else
    `Origin`. A request with neither is not a browser carrying someone's cookies. (The same rule
    as Go's net/http CrossOriginProtection.)"""
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        if site not in ("same-origin", "none"):
            raise CSRFError("The request came from another site.")
        return
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc != request.host:
        raise CSRFError("The request came from another site.")
