"""Static files under content-hashed names, minified and compressed once, when the app starts.

`url_for('static', filename='css/base.css')` gives `/static/css/base.3f2a9c1b7e.css`, the first ten
hex digits of the SHA-256 of the bytes served. A hashed URL always means the same bytes, so it is
sent with a one-year `immutable` cache: a phone asks for it once. A change to the file gives a new
URL. The plain name (`/static/css/base.css`) still answers, with `no-cache` and an ETag (304 when
unchanged), and so does a hashed name this process does not know (an older or newer deploy's page):
it gets the current bytes with `no-cache`, never a year-long promise about bytes it cannot vouch for.

Each file is read once: CSS and JS are minified (rcssmin, rjsmin; the readable sources stay in git),
`url(...)` references in CSS are rewritten to the hashed names (so the font the CSS asks for is the
one base.html preloads), and text files are compressed with brotli (quality 11) and gzip (level 9)
when that makes them smaller. A request takes the encoding it accepts from memory: nothing is
compressed per request. With ASSETS_RELOAD (on when debugging) a changed file is picked up at the
next request.

Why not Flask-Static-Digest: it needs a build step that writes digested copies into static/ and its
own `static_url_for` in every template, and neither minifies nor serves with an immutable cache;
this module is one small file with no build step and keeps `url_for('static', ...)` working.
"""

import functools
import gzip
import hashlib
import mimetypes
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import brotli
import rcssmin
import rjsmin
from flask import Flask, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.wrappers import Response

HASH_LENGTH = 10
ONE_YEAR = 365 * 24 * 60 * 60
# A hashed name: the stem, a dot, ten lowercase hex digits, the extension ("css/base.3f2a9c1b7e.css").
HASHED_NAME = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$")
# Text worth compressing; fonts (WOFF2), PNG and WebP are compressed already.
COMPRESSIBLE = {".css", ".js", ".mjs", ".svg", ".json", ".webmanifest", ".txt", ".xml", ".map", ".ico"}
MINIFIERS: dict[str, Callable[[str], str]] = {
    ".css": lambda text: rcssmin.cssmin(text),
    ".js": lambda text: rjsmin.jsmin(text),
    ".mjs": lambda text: rjsmin.jsmin(text),
}
# Preferred first: brotli is 15-20 % smaller than gzip on our CSS and JS.
ENCODINGS = ("br", "gzip")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes (minified), its hashed name and its compressed forms."""

    name: str  # "css/base.css", relative to the static folder, with forward slashes
    hashed_name: str  # "css/base.3f2a9c1b7e.css"
    digest: str  # "3f2a9c1b7e", also the ETag
    body: bytes
    mimetype: str
    source_size: int  # bytes of the file in the repository, before minifying
    encodings: dict[str, bytes] = field(default_factory=dict)  # "br"/"gzip" → compressed body, when smaller


@dataclass
class Manifest:
    """Every file of the static folder by its plain name and by its hashed name."""

    folder: Path
    minify: bool = True
    by_name: dict[str, Asset] = field(default_factory=dict)
    by_hashed_name: dict[str, Asset] = field(default_factory=dict)
    signature: tuple = ()

    @classmethod
    def build(cls, folder: Path, minify: bool = True) -> "Manifest":
        manifest = cls(folder=folder, minify=minify)
        manifest.load()
        return manifest

    def files(self) -> list[Path]:
        """The folder's files (hidden ones left out), CSS last, so that its url() references find
        the hashed names of what they point at."""
        return sorted(
            (path for path in self.folder.rglob("*") if path.is_file() and not _hidden(path, self.folder)),
            key=lambda path: (path.suffix == ".css", path.as_posix()),
        )

    def load(self) -> None:
        """(Re)read every file."""
        files = self.files()
        by_name: dict[str, Asset] = {}
        for path in files:
            name = path.relative_to(self.folder).as_posix()
            by_name[name] = _asset(name, path.read_bytes(), by_name, self.minify)
        self.by_name = by_name
        self.by_hashed_name = {asset.hashed_name: asset for asset in by_name.values()}
        self.signature = _signature(files)

    def reload_if_changed(self) -> None:
        """For development: read the folder again when a file was added, removed or changed."""
        if _signature(self.files()) != self.signature:
            self.load()

    def url_name(self, name: str) -> str:
        """The hashed name for a plain one; a name the manifest does not hold is left as it is."""
        asset = self.by_name.get(name)
        return asset.hashed_name if asset else name

    def find(self, filename: str) -> tuple[Asset | None, bool]:
        """The asset a requested name means, and whether the name is its current hashed name."""
        asset = self.by_hashed_name.get(filename)
        if asset is not None:
            return asset, True
        asset = self.by_name.get(filename)
        if asset is None and (match := HASHED_NAME.match(filename)):
            asset = self.by_name.get(match["stem"] + match["ext"])  # another deploy's hash: current bytes
        return asset, False


def _hidden(path: Path, folder: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(folder).parts)


def _signature(files: list[Path]) -> tuple:
    return tuple((path.as_posix(), path.stat().st_mtime_ns, path.stat().st_size) for path in files)


def _asset(name: str, source: bytes, known: dict[str, Asset], minify: bool) -> Asset:
    extension = posixpath.splitext(name)[1].lower()
    body = source
    if extension == ".css":
        body = _rewrite_css_urls(name, body.decode("utf-8"), known).encode("utf-8")
    if minify and extension in MINIFIERS:
        body = MINIFIERS[extension](body.decode("utf-8")).encode("utf-8")
    digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
    stem, _ = posixpath.splitext(name)
    mimetype = mimetypes.guess_type(name)[0] or "application/octet-stream"
    encodings = {}
    if extension in COMPRESSIBLE:
        for encoding in ENCODINGS:
            compressed = _compress(body, encoding)
            if len(compressed) < len(body):
                encodings[encoding] = compressed
    return Asset(
        name=name,
        hashed_name=f"{stem}.{digest}{extension}",
        digest=digest,
        body=body,
        mimetype=mimetype,
        source_size=len(source),
        encodings=encodings,
    )


def _rewrite_css_urls(name: str, css: str, known: dict[str, Asset]) -> str:
    """Point url(...) references at the hashed names (still relative, so the CSS works at either URL)."""
    folder = posixpath.dirname(name)

    def replace(match: re.Match) -> str:
        reference = match[2].strip()
        if reference.startswith(("data:", "http:", "https:", "//", "/", "#")):
            return match[0]
        path, _, rest = reference.partition("?")
        path, hash_mark, fragment = path.partition("#")
        target = posixpath.normpath(posixpath.join(folder, path))
        asset = known.get(target)
        if asset is None:
            return match[0]
        new = posixpath.relpath(asset.hashed_name, folder or ".") + hash_mark + fragment
        return f'url("{new}")'

    return CSS_URL.sub(replace, css)


@functools.lru_cache(maxsize=256)
def _compress(body: bytes, encoding: str) -> bytes:
    """Compressed once per distinct content in a process (tests build many apps from the same files)."""
    if encoding == "br":
        return brotli.compress(body, quality=11)
    return gzip.compress(body, compresslevel=9, mtime=0)


def choose_encoding(available: dict[str, bytes]) -> str | None:
    """The best of the stored encodings the request accepts (brotli before gzip), or None."""
    accepted = request.accept_encodings
    for encoding in ENCODINGS:
        if encoding in available and accepted[encoding]:
            return encoding
    return None


def serve_static(filename: str) -> Response:
    """The static view: hashed names get a year's immutable cache, plain names `no-cache` and an ETag."""
    manifest: Manifest = current_app.extensions["assets"]
    if current_app.config["ASSETS_RELOAD"]:
        manifest.reload_if_changed()
    asset, exact = manifest.find(filename)
    if asset is None:
        abort(404)
    encoding = choose_encoding(asset.encodings)
    body = asset.encodings[encoding] if encoding else asset.body
    response = current_app.response_class(body, mimetype=asset.mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    if asset.encodings:
        response.vary.add("Accept-Encoding")
    # one ETag per representation: a cache must not answer a gzip request with the brotli bytes' 304
    response.set_etag(f"{asset.digest}-{encoding}" if encoding else asset.digest)
    if exact:
        response.cache_control.public = True
        response.cache_control.max_age = ONE_YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, except that a static file never saves it. Flask marks the
    session read on every request (Flask-Login looks at it after each one) and so adds
    `Vary: Cookie`; on a static file that would make the browser ask again for its year-cached CSS
    whenever the session cookie changes (a login, a cart count)."""

    def save_session(self, app, session, response) -> None:
        if request.endpoint == "static":
            return
        super().save_session(app, session, response)


def init_assets(app: Flask) -> None:
    """Read the static folder once, serve it from memory, and make url_for('static') give hashed names."""
    app.config.setdefault("ASSETS_RELOAD", None)
    if app.config["ASSETS_RELOAD"] is None:
        app.config["ASSETS_RELOAD"] = app.debug
    manifest = Manifest.build(Path(app.static_folder or "static"), minify=app.config["ASSETS_MINIFY"])
    app.extensions["assets"] = manifest
    app.view_functions["static"] = serve_static
    app.session_interface = SessionInterface()

    @app.url_defaults
    def _hashed_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            if app.config["ASSETS_RELOAD"]:
                manifest.reload_if_changed()
            values["filename"] = manifest.url_name(values["filename"])
