"""Friendly error pages inside the layout, in the visitor's language."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, SecurityError

from ..extensions import db
from .messages import lazy_gettext as _l

log = logging.getLogger("marketplace")


class RuleError(Exception):
    """A domain rule said no. `field` names the form field the message belongs next to; the
    message stays lazy, so it is translated when shown, in the reader's language."""

    def __init__(self, field: str, message):
        super().__init__(field)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


ERROR_TEXTS = {
    400: (_l("Something in the request was wrong"), _l("Please go back and try again.")),
    403: (_l("You may not see this page"), _l("This page belongs to another account or needs other rights.")),
    404: (_l("Page not found"), _l("The address may be mistyped, or the page was removed.")),
    405: (_l("This action is not possible here"), _l("Please go back and use the buttons on the page.")),
    413: (_l("The file is too big"), _l("Please choose a smaller file or photo and try again.")),
    429: (_l("Too many tries"), _l("For your safety, please wait a few minutes and try again.")),
    500: (_l("Something went wrong on our side"), _l("We have been told. Please try again in a few minutes.")),
}
CSRF_TEXT = (
    _l("This page has expired"),
    _l("For your safety, forms expire. Please reload the page and send it again."),
)


def json_error(status: int, code: str, message, **details):
    """The JSON API's error response: `{"error": {"code": "not_found", "message": "…", …details}}`
    with `status`; the message is translated into the request's language. Kept from caches."""
    response = jsonify({"error": {"code": code, "message": str(message), **details}})
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Accept-Language")
    return response


def error_code(error: HTTPException) -> str:
    """A machine-readable name of an HTTP error: "Not Found" → "not_found"."""
    return error.name.lower().replace(" ", "_").replace("-", "_")


def render_error(code: int, title, message):
    """Render the shared error page with the right status code."""
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_errors(app: Flask) -> None:
    """Register handlers for the HTTP errors people can meet, and for crashes."""

    @app.errorhandler(CSRFError)
    def _csrf_error(error):
        return render_error(400, *CSRF_TEXT)

    @app.errorhandler(SecurityError)
    def _untrusted_host(error: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page with links either.
        return "Bad Request: untrusted host\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        code = error.code
        assert code is not None  # Flask hands only exceptions that have a status code to handlers
        title, message = ERROR_TEXTS.get(code, (error.name, error.description))
        if request.path.startswith("/api/") or request.path == "/healthz":
            response = json_error(code, error_code(error), title)
            if isinstance(error, MethodNotAllowed) and error.valid_methods:
                response.headers["Allow"] = ", ".join(error.valid_methods)
            return response
        response = render_error(code, title, message)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            response = (response[0], code, {"Allow": ", ".join(error.valid_methods)})
        return response

    @app.errorhandler(Exception)
    def _crash(error: Exception):
        db.session.rollback()
        log.exception("Unhandled error on %s %s", request.method, request.path)
        if request.path.startswith("/api/"):
            return json_error(500, "internal_server_error", ERROR_TEXTS[500][0])
        return render_error(500, *ERROR_TEXTS[500])
