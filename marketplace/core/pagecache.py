"""Whole-page cache for public pages: kept whole for anonymous visitors (ETags, 304s), with holes
for the pieces of a visitor who has a session.

A public page (home, category, product, storefront, search) is the same for every visitor who has
no session: no account, no cart, no flash, no CSRF token. For them `@cached_page` keeps the finished
page — compressed once with Brotli and gzip — under a key made of:

- the **content version**: one row (`page_version`) whose counter is bumped in the same transaction
  as any write to a table a public page may show (listeners below; a model opts out with
  `PUBLIC_FIELDS`). Every request reads it (one indexed SELECT), so once a writing request has
  returned, no visitor can be served a page from before it — whichever worker or cache backend;
- the locale, the Tehran date (the "workshops of the day" and made-to-order ship dates change at
  midnight) and the full path with its query string.

A stored page carries its body's ETag: a conditional GET that matches answers 304 with no body. A
page is never stored when its render touched the session (a CSRF token, a flash) or set a cookie.
Inline styles on cached pages are allowed by hash (`style_tag`), never by a per-request nonce.

A visitor who has a session (signed in, or a guest with a cart) gets the same kept page with
**holes**: the few pieces that are hers (the header's account menu and cart count, flashes, CSRF
tokens, "saved"/"following") are templates named with `{{ personal("_personal/….html", …) }}`.
Rendered for the cache, each becomes a placeholder; every request fills them in for its visitor
(a few small templates and their one or two queries instead of the whole page). Her page has no
ETag: it is hers.

Backend: Flask-Caching — a per-process SimpleCache by default, Redis when `CACHE_REDIS_URL` is set.
"""

import base64
import gzip
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import wraps
from typing import Any, cast

import brotli
from flask import Flask, Response, current_app, g, has_request_context, make_response, request, session
from flask_babel import get_locale
from markupsafe import Markup, escape
from sqlalchemy import BigInteger, DateTime, Integer, Table, insert, inspect, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import Model, cache, db
from .assets import choose_encoding
from .database import listen_to_sessions
from .dates import TEHRAN, utcnow

CHANGED_FLAG = "public_pages_changed"
PAGE_CACHE_CONTROL = "no-cache"  # a browser may keep the page but asks each time (a 304 is a few hundred bytes)
VARY = "Accept-Encoding, Cookie"


class PageVersion(Model):
    """The content version of the public pages: one row, bumped by any committed public write."""

    __tablename__ = "page_version"
    PUBLIC_FIELDS = ()  # bumping it is not itself a public change

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# --- the content version -------------------------------------------------------------------------


def shows_publicly(obj_or_class, changed_fields=None) -> bool:
    """Whether writing this row (or these of its fields) can change a public page.

    A model says what of it is never public with `PUBLIC_FIELDS`: a tuple of the only columns that
    are (empty: none of it). Without it, every column counts — a new table is safe by default."""
    cls = obj_or_class if isinstance(obj_or_class, type) else type(obj_or_class)
    public_fields = getattr(cls, "PUBLIC_FIELDS", None)
    if public_fields is None:
        return True
    if changed_fields is None:  # a row added or deleted
        return bool(public_fields)
    return any(name in public_fields for name in changed_fields)


def _changed_fields(obj) -> list[str]:
    return [attr.key for attr in inspect(obj).attrs if attr.history.has_changes()]


def _before_flush(session: Session, _context, _instances) -> None:
    if session.info.get(CHANGED_FLAG):
        return
    for obj in (*session.new, *session.deleted):
        if shows_publicly(obj):
            session.info[CHANGED_FLAG] = True
            return
    for obj in session.dirty:
        if session.is_modified(obj) and shows_publicly(obj, _changed_fields(obj)):
            session.info[CHANGED_FLAG] = True
            return


def _do_orm_execute(state) -> None:
    """A bulk ORM UPDATE or DELETE (stock taken at checkout, popularity) bypasses the flush."""
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and shows_publicly(mapper.class_):
        state.session.info[CHANGED_FLAG] = True


def _before_commit(session: Session) -> None:
    """Bump the version last, just before COMMIT: PostgreSQL holds the row lock only that long."""
    if not session.info.get(CHANGED_FLAG):
        session.flush()  # the commit's own flush comes after this hook: look at it now
    if session.info.pop(CHANGED_FLAG, False):
        table = cast(Table, PageVersion.__table__)
        connection = session.connection()
        bumped = connection.execute(
            update(table).where(table.c.id == 1).values(version=table.c.version + 1, changed_at=utcnow())
        )
        if bumped.rowcount == 0:  # a database made without the migration's row
            connection.execute(insert(table).values(id=1, version=1, changed_at=utcnow()))


def _after_rollback(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:
        session.info.pop(CHANGED_FLAG, None)


def register_listeners() -> None:
    """Listen to every Session for public writes."""
    listen_to_sessions(
        {
            "before_flush": _before_flush,
            "do_orm_execute": _do_orm_execute,
            "before_commit": _before_commit,
            "after_soft_rollback": _after_rollback,
        }
    )


def current_version() -> int:
    """The committed content version: one SELECT by primary key, sent as plain SQL on the session's
    connection (a quarter of what the ORM's select costs — it runs on every anonymous page view)."""
    statement = "SELECT version FROM page_version WHERE id = 1"
    return db.session.connection().exec_driver_sql(statement).scalar() or 0


_REQUEST_VERSION = "page_version"  # where request_version() keeps it in flask.g


def request_version() -> int:
    """The content version as this request first read it (one SELECT per request, shared by the page
    cache and anything else that keeps data per version, e.g. registration's requirement edits).
    Outside a request (the outbox worker, a CLI command: one long app context) it is read each time."""
    if not has_request_context():
        return current_version()
    version = g.get(_REQUEST_VERSION)
    if version is None:
        version = current_version()
        setattr(g, _REQUEST_VERSION, version)
    return version


def forget_request_version() -> None:
    """Make this request read the content version again at its next use (after a write moved it)."""
    if has_request_context():
        g.pop(_REQUEST_VERSION, None)


# --- inline styles by hash ---------------------------------------------------------------------------


def style_tag(css) -> Markup:
    """`{% filter style_tag %}…{% endfilter %}`: a <style> element the CSP allows by its SHA-256
    (a hash stays right when the page is served again from the cache; a nonce would not)."""
    content = escape(css)  # the block's own output is Markup already; plain text is escaped
    digest = hashlib.sha256(str(content).encode()).digest()
    g.setdefault("csp_style_hashes", []).append("sha256-" + base64.b64encode(digest).decode())
    return Markup("<style>%s</style>") % content


def style_hashes() -> list[str]:
    """The hashes of the inline styles this response carries (read by the CSP header)."""
    return list(g.get("csp_style_hashes", ()))


# --- the cache ---------------------------------------------------------------------------------------


@dataclass
class CachedPage:
    """A finished page: its body in Brotli and gzip, its ETag, and what its headers need."""

    etag: str
    encodings: dict[str, bytes]  # "br" and "gzip" → the body compressed
    content_type: str
    style_hashes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_response(cls, response: Response, extra: dict) -> "CachedPage":
        body = response.get_data()
        return cls(
            etag=hashlib.blake2b(body, digest_size=12).hexdigest(),
            encodings={"br": brotli.compress(body, quality=5), "gzip": gzip.compress(body, compresslevel=6, mtime=0)},
            content_type=response.content_type or "text/html; charset=utf-8",
            style_hashes=style_hashes(),
            extra=extra,
        )

    def response(self) -> Response:
        """This page for the current request: 304 when the browser has it, else the body in the
        best encoding it accepts."""
        g.csp_style_hashes = list(self.style_hashes)
        if request.if_none_match.contains(self.etag):
            response = Response(status=304)
        else:
            encoding = choose_encoding(self.encodings)
            body = self.encodings[encoding] if encoding else gzip.decompress(self.encodings["gzip"])
            response = Response(body, content_type=self.content_type)
            if encoding:
                response.headers["Content-Encoding"] = encoding
        response.set_etag(self.etag)
        response.headers["Cache-Control"] = PAGE_CACHE_CONTROL
        response.headers["Vary"] = VARY
        return response


def applies() -> bool:
    """Whether this request gets the page kept whole: a visitor with nothing in her session and no
    remember-me cookie (anyone else gets the page with her own pieces filled in)."""
    return not session and current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") not in request.cookies


def page_key(version: int) -> str:
    """The cache key of this request's page at `version`."""
    today = utcnow().astimezone(TEHRAN).date().isoformat()
    path = hashlib.blake2b(request.full_path.encode(), digest_size=16).hexdigest()
    return f"page:{version}:{get_locale()}:{today}:{path}"


# --- personal pieces (holes) ----------------------------------------------------------------------

HOLE = re.compile(r"<!--personal ([\w/.-]+) ([\w=-]*)-->")


def personal(template: str, **args: int | str | bool) -> Markup:
    """Template global: the visitor's own piece, rendered from `template` with `args` (ids, flags,
    short names). In a page being kept for signed-in visitors it is a placeholder instead, filled in
    for each request by `fill_holes` (the arguments travel as base64 JSON, so nothing needs escaping)."""
    if g.get("page_holes"):
        packed = base64.urlsafe_b64encode(json.dumps(args).encode()).decode()
        return Markup("<!--personal %s %s-->") % (template, packed)
    return Markup(_render_piece(template, args))  # noqa: S704 (a template's own, autoescaped output)


def fill_holes(html: str) -> str:
    """Render every personal piece of a page kept with holes, for this request's visitor."""

    def fill(match: re.Match) -> str:
        return _render_piece(match.group(1), json.loads(base64.urlsafe_b64decode(match.group(2))))

    return HOLE.sub(fill, html)


def _render_piece(template: str, args: dict) -> str:
    """Render one personal piece; the context processors run once a request, not once a piece."""
    context = g.get("piece_context")
    if context is None:
        context = g.piece_context = {}
        current_app.update_template_context(context)
    return current_app.jinja_env.get_template(template).render({**context, **args})


@dataclass
class PageWithHoles:
    """A page kept for visitors who have a session: its HTML with placeholders, and its styles' hashes."""

    html: str
    style_hashes: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    def response(self) -> Response:
        g.csp_style_hashes = list(self.style_hashes)
        return Response(fill_holes(self.html), content_type="text/html; charset=utf-8")


def remember_for_hits(**values: Any) -> None:
    """Keep `values` with the page being stored; the `on_hit` callback gets them back on a hit."""
    g.setdefault("page_cache_extra", {}).update(values)


def do_not_store() -> None:
    """Serve this response but do not keep it (e.g. a search answered from an index that is behind)."""
    g.page_cache_skip = True


def cached_page(on_hit: Callable[[dict], None] | None = None):
    """Decorate a public view: anonymous visitors get the page from the cache when it is there.

    on_hit: called with what the render passed to `remember_for_hits` when a page is served from the
    cache without running the view (search logs the query this way)."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_app.config["PAGE_CACHE_ENABLED"] or request.method not in ("GET", "HEAD"):
                return view(*args, **kwargs)
            whole = applies()
            key = ("" if whole else "holes:") + page_key(request_version())
            page = cache.get(key)
            if isinstance(page, CachedPage if whole else PageWithHoles):
                if on_hit is not None:
                    on_hit(page.extra)
                return page.response()
            if not whole:
                return _render_with_holes(key, view, args, kwargs)
            response = make_response(view(*args, **kwargs))
            if not _storable(response):
                return response
            page = CachedPage.from_response(response, g.get("page_cache_extra", {}))
            cache.set(key, page)
            return page.response()

        return wrapper

    return decorate


def _render_with_holes(key: str, view, args, kwargs) -> Response:
    """A fresh render for a visitor with a session: her pieces left as holes, the page kept under
    `key` when storable, then her pieces filled in before it is sent."""
    g.page_holes = True
    try:
        response = make_response(view(*args, **kwargs))
    finally:
        g.page_holes = False
    if response.mimetype != "text/html" or response.direct_passthrough:
        return response
    page = PageWithHoles(response.get_data(as_text=True), style_hashes(), g.get("page_cache_extra", {}))
    if response.status_code == 200 and not g.get("page_cache_skip"):
        cache.set(key, page)
    response.set_data(fill_holes(page.html))
    return response


def _storable(response: Response) -> bool:
    """Only a plain 200 HTML page whose render left the session empty and set no cookie."""
    return (
        response.status_code == 200
        and not g.get("page_cache_skip")
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not session
        and not session.modified
        and "Set-Cookie" not in response.headers
    )


def cache_config(app: Flask) -> dict:
    """Flask-Caching settings: Redis when CACHE_REDIS_URL is set, else a per-process memory cache."""
    if app.config.get("CACHE_REDIS_URL"):
        return {"CACHE_TYPE": "RedisCache"}
    return {"CACHE_TYPE": app.config.get("CACHE_TYPE") or "SimpleCache"}


def init_pagecache(app: Flask) -> None:
    """Bind the cache backend and listen for public writes."""
    cache.init_app(app, config={**app.config, **cache_config(app)})
    register_listeners()
