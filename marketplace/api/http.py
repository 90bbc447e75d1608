"""What every /api/v1 response carries, whatever the endpoint: an ETag (304 when the client has the
body), a short public Cache-Control, CORS for any origin, Link headers on lists, and errors as
`{"error": {"code", "message"}}` in the client's language (Accept-Language, else Persian).

CORS: every endpoint is read-only public data (published products of approved shops, approved shops,
categories, public fairs), answered the same for everyone (no cookie or account is read), so any site
may read it from a browser: `Access-Control-Allow-Origin: *` (which browsers never combine with
credentials)."""

import hashlib
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _

from ..core.errors import json_error
from ..core.urls import public_url
from .params import BadParameter, Paging

MAX_AGE_SECONDS = 60
T = TypeVar("T")
EXPOSED_HEADERS = "ETag, Link, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset"


class NotFound(Exception):
    """An id or slug that names nothing public: a 404 with `message`."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def install(bp: Blueprint) -> None:
    """Register the API's error handlers and response headers on its blueprint (other HTTP errors under
    /api/, such as 429 or an unknown path, get the same JSON shape from core.errors)."""

    @bp.errorhandler(BadParameter)
    def _bad_parameter(error: BadParameter):
        return json_error(400, "invalid_parameter", error.message, parameter=error.name)

    @bp.errorhandler(NotFound)
    def _not_found(error: NotFound):
        return json_error(404, "not_found", error.message)

    bp.after_request(_finish)


def _finish(response: Response) -> Response:
    """ETag and caching for successful reads; CORS on everything."""
    if request.method in ("GET", "HEAD") and response.status_code == 200 and response.is_json:
        response.set_etag(hashlib.blake2b(response.get_data(), digest_size=16).hexdigest())
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE_SECONDS
        response.make_conditional(request)  # (changes the response in place: 304 without the body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept-Language, If-None-Match"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def found_or_404(found: T | None, what: str) -> T:
    """`found`, or the 404 for an unknown product, shop or fair."""
    if found is None:
        messages = {
            "product": _("No public product has this id."),
            "shop": _("No public shop has this address."),
            "fair": _("No public fair has this address."),
        }
        raise NotFound(messages[what])
    return found


def page_response(items: list, total: int, paging: Paging, **extra: Any) -> Response:
    """A page of a list: `{"items", "total", "page", "pages", "per_page"}` and a Link header with
    first, prev, next and last (RFC 8288), built on PUBLIC_URL with the request's other parameters."""
    pages = max(1, -(-total // paging.per_page))
    response = jsonify(
        {"items": items, "total": total, "page": paging.page, "pages": pages, "per_page": paging.per_page, **extra}
    )
    response.headers["Link"] = link_header(paging.page, pages)
    return response


def link_header(page: int, pages: int) -> str:
    """The Link header of page `page` of `pages` of this request's list."""
    wanted = {"first": 1, "last": pages}
    if page > 1:
        wanted["prev"] = min(page - 1, pages)
    if page < pages:
        wanted["next"] = page + 1
    # (names starting with "_" would be url_for's own options, not query parameters)
    args = {key: value for key, value in request.args.items() if key != "page" and not key.startswith("_")}
    endpoint = request.endpoint or ""
    return ", ".join(
        f'<{public_url(endpoint, **(request.view_args or {}), **args, page=number)}>; rel="{rel}"'
        for rel, number in wanted.items()
    )
