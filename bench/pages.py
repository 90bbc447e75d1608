"""Public pages under gunicorn beside Flask's own ceiling: a benchmark that prints numbers, never asserts.

For each database (SQLite, PostgreSQL or both) it builds a temporary instance with the demo data
(`flask db upgrade`, `flask demo load`, `flask search sync`), then, with gunicorn (2 sync workers)
on 127.0.0.1 and wrk (`-t1 -c8 -d10s`, `Accept-Encoding: br, gzip` as a phone sends it):

- a Flask hello-world app (bench/hello.py) under the same gunicorn settings: the ceiling;
- home, a product, the biggest category, a search and the biggest storefront, anonymous, with the
  page cache on (the default) and again with it off (MARKETPLACE_PAGE_CACHE_ENABLED=false);
- a signed-in buyer's product page (logged in over HTTP, her cookies sent by wrk);
- a conditional GET of the product page (If-None-Match with the ETag of a first answer).

Each run prints requests per second, p50 and p95 latency, the answers by status, answers other
than 2xx/3xx and socket errors, and the load average before it. Then, per page, the bytes a first
and a repeat visit cost a phone (see `visit()`).

    .venv/bin/python bench/pages.py [--db sqlite|postgres|both] [--duration 10] [--connections 8]
                                    [--pages home,product,category,search,shop,buyer,conditional]

The server gets the bench's environment (so a MARKETPLACE_* setting can be tried under load), with
rate limits off: every wrk connection comes from 127.0.0.1, which a real crowd does not; and a fast
password hash for the demo accounts (as bench/checkout.py does: only the buyer's login uses it).
PostgreSQL: a fresh database `rooyesh_bench_pages` on --postgres (default
postgresql+psycopg://postgres@127.0.0.1:5432), dropped at the end; skipped when unreachable.
"""

import argparse
import datetime
import gzip
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import brotli
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
ACCEPT_ENCODING = "br, gzip"  # what a phone's browser sends
PHONE_WIDTH_PX = 390  # CSS pixels, portrait
PHONE_DPR = 2.75
BUYER_PHONE = "09152000001"  # demo data
BUYER_PASSWORD = "rooyesh-demo-1404"  # noqa: S105 (the demo's published password)
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "rooyesh_bench_pages"
DEFAULT_QUERY = "گلدوزی"  # embroidery: the demo word with the most results
ANONYMOUS_PAGES = ["home", "product", "category", "search", "shop", "fair"]
ALL_PAGES = [*ANONYMOUS_PAGES, "buyer", "conditional"]
ASSET_KINDS = {"woff2": "font", "woff": "font", "ttf": "font", "css": "css", "js": "js"}  # by extension
# scrypt for 17 demo accounts takes a quarter of the demo load; only the buyer's one login would notice
FAST_HASH = {"MARKETPLACE_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"}
LONG_TERM_SECONDS = 86_400  # a response cached at least a day is not asked for again on a repeat visit

WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH %d %d %.1f %.1f %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.status, e.connect, e.read, e.write, e.timeout))
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      io.write(string.format("STATUS %d %d\\n", status, count))
    end
  end
end
"""


def log(message: str) -> None:
    """Progress on stderr, so that stdout holds only the results."""
    print(f"  … {message}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------ the machine


def machine() -> str:
    """CPUs, load average, date, commit and tool versions: what a reader needs to compare runs."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    )
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    wrk = shutil.which("wrk")
    version = subprocess.run([wrk, "-v"], capture_output=True, text=True).stdout.split()[:2] if wrk else ["no", "wrk"]
    line = (
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {commit.stdout.strip() or '?'}"
        f"{' (uncommitted changes)' if dirty.stdout.strip() else ''}, {os.cpu_count()} CPUs, "
        f"load average {load} before the run, Python {sys.version.split()[0]}, {' '.join(version)}"
    )
    return line + busy()


def busy() -> str:
    """A warning when other processes already keep the CPUs busy ('' when not): the numbers are then low."""
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load < cpus * 0.5:
        return ""
    return f"\nWARNING: load average {load:.1f} on {cpus} CPUs: other processes share the CPUs, req/s will be low"


# ------------------------------------------------------------------ databases and servers


@contextmanager
def database(kind: str, postgres: str, name: str = POSTGRES_DATABASE) -> Iterator[str | None]:
    """The database URL for the server and the flask commands: None for SQLite (the instance's
    file), else a fresh PostgreSQL database `name`, dropped on the way out."""
    if kind == "sqlite":
        yield None
        return
    admin = sa.create_engine(f"{postgres}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield f"{postgres}/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def postgres_reachable(postgres: str) -> str | None:
    """None when PostgreSQL answers at `postgres`, else why not."""
    try:
        engine = sa.create_engine(f"{postgres}/postgres", connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as error:
        return str(error.orig).strip().splitlines()[0]
    return None


def server_env(instance: str, url: str | None, **settings: str) -> dict[str, str]:
    """The bench's environment for the app's processes, pointed at `instance` and `url`."""
    env = {**os.environ, "MARKETPLACE_INSTANCE": instance, "FLASK_APP": "wsgi", **settings}
    env.pop("DATABASE_URL", None)
    if url is not None:
        env["DATABASE_URL"] = url
    return env


def load_demo(env: dict[str, str]) -> None:
    """Migrate, load the demo data and build the search index, as `make run` does before serving."""
    flask = [sys.executable, "-m", "flask"]
    for command in (["db", "upgrade"], ["demo", "load"], ["search", "sync"]):
        subprocess.run([*flask, *command], cwd=ROOT, env=env, check=True, capture_output=True)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, chdir: Path = ROOT) -> Iterator[str]:
    """gunicorn (sync workers) serving `app` on a free port; yields its base URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "--chdir", str(chdir), app],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(300):
            try:
                get(f"http://127.0.0.1:{port}", "/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn {app} did not answer")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# ------------------------------------------------------------------ plain HTTP


@dataclass
class Answer:
    """One HTTP answer as it came over the wire: the body is still compressed."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes
    wire_bytes: int  # status line + headers + body, as sent

    def header(self, name: str) -> str:
        """A header's value, '' when absent."""
        return self.headers.get(name, "")

    def text(self) -> str:
        """The body decoded (brotli, gzip or none)."""
        encoding = self.header("Content-Encoding").strip().lower()
        body = self.body
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        return body.decode("utf-8", "replace")


def get(base: str, path: str, headers: dict[str, str] | None = None, method: str = "GET", body: str | None = None):
    """One request on a fresh connection (gunicorn's sync workers close each one); no redirects followed."""
    parsed = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.request(method, path, body, headers or {})
        response = connection.getresponse()
        content = response.read()
    finally:
        connection.close()
    head = f"HTTP/1.1 {response.status} {response.reason}\r\n"
    head += "".join(f"{name}: {value}\r\n" for name, value in response.headers.items()) + "\r\n"
    return Answer(response.status, response.headers, content, len(head.encode("latin-1", "replace")) + len(content))


class Jar:
    """A browser's cookies for one site: stores Set-Cookie, sends Cookie."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def header(self) -> dict[str, str]:
        """{'Cookie': ...} or {} when empty."""
        if not self.cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}

    def keep(self, answer: Answer) -> None:
        """Take the cookies an answer sets (and drop those it expires)."""
        for line in answer.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(line)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def browse(self, base: str, path: str, headers: dict[str, str] | None = None, **request) -> Answer:
        """A request with the jar's cookies, keeping the cookies of the answer."""
        answer = get(base, path, {**self.header(), **(headers or {})}, **request)
        self.keep(answer)
        return answer


def quoted(path: str) -> str:
    """A path with its non-ASCII characters percent-encoded (wrk and http.client send bytes as given)."""
    return urllib.parse.quote(path, safe="/?=&%")


# ------------------------------------------------------------------ which pages


@dataclass(frozen=True)
class Page:
    """A page under test: its short name and its path (percent-encoded)."""

    name: str
    path: str


def choose_pages(base: str, url: str | None, instance: str, query: str) -> list[Page]:
    """The demo pages: home, the published product with the most photos (its canonical address,
    read from the redirect of /p/<id>), the top-level category and the shop with the most published
    products, a search for `query`, and the latest public fair's page."""
    engine = sa.create_engine(url or f"sqlite:///{instance}/marketplace.db")
    with engine.connect() as connection:
        product_id = connection.execute(
            sa.text(
                "SELECT p.id FROM product p JOIN product_image i ON i.product_id = p.id"
                " WHERE p.status = 'published' GROUP BY p.id ORDER BY count(i.id) DESC, p.id LIMIT 1"
            )
        ).scalar_one()
        category = connection.execute(
            sa.text(
                "SELECT top.slug FROM category top"
                " JOIN category c ON c.id = top.id OR c.parent_id = top.id"
                " JOIN product p ON p.category_id = c.id AND p.status = 'published'"
                " WHERE top.parent_id IS NULL GROUP BY top.id, top.slug ORDER BY count(p.id) DESC, top.id LIMIT 1"
            )
        ).scalar_one()
        shop = connection.execute(
            sa.text(
                "SELECT s.slug FROM shop s JOIN product p ON p.shop_id = s.id AND p.status = 'published'"
                " GROUP BY s.id, s.slug ORDER BY count(p.id) DESC, s.id LIMIT 1"
            )
        ).scalar_one()
        fair = connection.execute(
            sa.text(
                "SELECT slug FROM bazaar_event WHERE status IN ('published', 'live', 'closed')"
                " ORDER BY starts_at DESC, id DESC LIMIT 1"
            )
        ).scalar_one()
    engine.dispose()
    redirect = get(base, f"/p/{product_id}")
    product = urllib.parse.urlsplit(redirect.header("Location")).path or f"/p/{product_id}"
    return [
        Page("home", "/"),
        Page("product", quoted(product)),
        Page("category", quoted(f"/c/{category}")),
        Page("search", "/search?q=" + urllib.parse.quote(query)),
        Page("shop", quoted(f"/shop/{shop}")),
        Page("fair", quoted(f"/bazaar/{fair}")),
    ]


def log_in(base: str) -> Jar:
    """The demo buyer, logged in over HTTP as a browser does (GET /login for the CSRF token and the
    session cookie, then POST): her cookie jar."""
    jar = Jar()
    form = jar.browse(base, "/login").text()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', form
    )
    if token is None:
        raise RuntimeError("no CSRF token on /login")
    fields = {"csrf_token": token.group(1), "phone": BUYER_PHONE, "password": BUYER_PASSWORD}
    answer = jar.browse(
        base,
        "/login",
        {"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
        body=urllib.parse.urlencode(fields),
    )
    if answer.status != 302:
        raise RuntimeError(f"the buyer's login answered {answer.status}")
    return jar


# ------------------------------------------------------------------ throughput (wrk)


@dataclass
class Run:
    """One wrk run."""

    label: str
    requests: int = 0
    seconds: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    bad: int = 0  # answers other than 2xx/3xx
    socket_errors: int = 0  # connect, read, write errors and timeouts
    statuses: Counter = field(default_factory=Counter)
    load: float = 0.0  # 1-minute load average just before
    note: str = ""

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0


def warm_up(base: str, path: str, headers: dict[str, str], times: int = 20) -> None:
    """A few requests first, so that both workers have compiled templates and filled caches."""
    for _ in range(times):
        get(base, path, headers)


def wrk(label: str, base: str, path: str, headers: dict[str, str], args: argparse.Namespace, script: str) -> Run:
    """`wrk -t{threads} -c{connections} -d{duration}s` on one path with `headers`; every answer's
    status is counted by the Lua script."""
    warm_up(base, path, headers)
    run = Run(label, load=os.getloadavg()[0])
    command = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.duration}s", "-s", script]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    log(f"wrk {label}")
    finished = subprocess.run([*command, base + path], capture_output=True, text=True, check=True)
    for line in finished.stdout.splitlines():
        words = line.split()
        if words and words[0] == "BENCH":
            requests, duration_us, p50_us, p95_us, bad, *socket_errors = words[1:]
            run.requests, run.seconds = int(requests), int(duration_us) / 1e6
            run.p50_ms, run.p95_ms = float(p50_us) / 1000, float(p95_us) / 1000
            run.bad, run.socket_errors = int(bad), sum(int(count) for count in socket_errors)
        elif words and words[0] == "STATUS":
            run.statuses[int(words[1])] += int(words[2])
    return run


def measure_server(
    base: str, pages: list[Page], args: argparse.Namespace, script: str, suffix: str, signed_in: bool
) -> list[Run]:
    """The anonymous pages, then (when `signed_in`) the buyer's product page and the conditional GET."""
    phone = {"Accept-Encoding": ACCEPT_ENCODING}
    runs = [wrk(f"{page.name} {suffix}", base, page.path, phone, args, script) for page in pages]
    product = next((page for page in pages if page.name == "product"), None)
    if not signed_in or product is None:
        return runs
    if "buyer" in args.pages:
        jar = log_in(base)
        page = get(base, product.path, {**phone, **jar.header()}).text()
        run = wrk("product, signed-in buyer", base, product.path, {**phone, **jar.header()}, args, script)
        if 'action="/logout"' not in page:
            run.note = "NOT signed in: no logout form on the page"
        runs.append(run)
    if "conditional" in args.pages:
        first = get(base, product.path, phone)
        etag = first.header("ETag")
        if etag:
            conditional = {**phone, "If-None-Match": etag}
            runs.append(wrk("product, If-None-Match", base, product.path, conditional, args, script))
        else:
            runs.append(Run("product, If-None-Match", note="no ETag sent: not run"))
    return runs


# ------------------------------------------------------------------ what a phone downloads


class Assets(HTMLParser):
    """What a page's HTML makes a browser fetch: stylesheets, scripts, preloads, icons and images
    (img: the candidate a 390-px phone at DPR 2.75 picks from srcset/sizes, else src)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, bool]] = []  # (url, kind, lazy)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Collect one tag's fetches."""
        attr = {name: value or "" for name, value in attrs}
        rel = attr.get("rel", "").lower().split()
        if tag == "link" and attr.get("href"):
            if "stylesheet" in rel:
                self.found.append((attr["href"], "css", False))
            elif "preload" in rel or "modulepreload" in rel:
                kinds = {"font": "font", "style": "css", "script": "js", "image": "img"}
                self.found.append((attr["href"], kinds.get(attr.get("as", ""), "js"), False))
            elif "icon" in rel:
                self.found.append((attr["href"], "img", False))
        elif tag == "script" and attr.get("src"):
            self.found.append((attr["src"], "js", False))
        elif tag == "img":
            chosen = pick_candidate(attr.get("srcset", ""), attr.get("sizes", "")) or attr.get("src", "")
            if chosen:
                self.found.append((chosen, "img", attr.get("loading", "").lower() == "lazy"))


def css_px(length: str) -> float | None:
    """A CSS length in px on the phone (px, rem/em at 16 px, vw), None for what this does not parse."""
    match = re.fullmatch(r"\s*([\d.]+)(px|rem|em|vw)\s*", length)
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2)
    return {"px": number, "rem": number * 16, "em": number * 16, "vw": number * PHONE_WIDTH_PX / 100}[unit]


def slot_width(sizes: str) -> float:
    """The image's width in CSS px on the phone, from `sizes` (min-/max-width conditions joined by
    'and'); 100vw when absent or not understood, as browsers do."""
    for item in sizes.split(","):
        item = item.strip()
        conditions = re.findall(r"\((min|max)-width:\s*([^)]+)\)", item)
        length = css_px(re.sub(r"\([^)]*\)|\band\b", "", item))
        if length is None:
            continue
        matches = True
        for bound, value in conditions:
            limit = css_px(value)
            too_narrow = bound == "min" and limit is not None and limit > PHONE_WIDTH_PX
            too_wide = bound == "max" and limit is not None and limit < PHONE_WIDTH_PX
            if limit is None or too_narrow or too_wide:
                matches = False
        if matches:
            return length
    return float(PHONE_WIDTH_PX)


def pick_candidate(srcset: str, sizes: str) -> str:
    """The srcset candidate a phone picks: the narrowest at least slot width × DPR wide (w
    descriptors) or at least DPR dense (x descriptors), else the largest; '' without srcset."""
    candidates = []
    for item in srcset.split(","):
        words = item.split()
        if not words:
            continue
        descriptor = words[1] if len(words) > 1 else "1x"
        if descriptor.endswith("w"):
            candidates.append((float(descriptor[:-1]) / slot_width(sizes), words[0]))
        elif descriptor.endswith("x"):
            candidates.append((float(descriptor[:-1]), words[0]))
    if not candidates:
        return ""
    candidates.sort()
    return next((url for density, url in candidates if density >= PHONE_DPR), candidates[-1][1])


def referenced_by(answer: Answer, kind: str) -> list[tuple[str, str, bool]]:
    """What a stylesheet (url(), @import) or a module script (static imports) fetches in turn."""
    text = answer.text()
    if kind == "css":
        urls = re.findall(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""", text)
        urls += re.findall(r"""@import\s+['"]([^'"]+)['"]""", text)
    else:
        urls = re.findall(r"""(?:\bimport\s*(?:[\w*{}\s,]+\bfrom\s*)?|\bimport\s*\()\s*['"]([^'"]+)['"]""", text)
    found = []
    for url in urls:
        if url.startswith("data:"):
            continue
        extension = url.split("?")[0].rsplit(".", 1)[-1].lower()
        found.append((url, ASSET_KINDS.get(extension, "img"), False))
    return found


def long_term(answer: Answer) -> bool:
    """Cached at least a day (max-age ≥ 86400 or immutable), so not asked for again on a repeat visit."""
    control = answer.header("Cache-Control").lower()
    if "no-cache" in control or "no-store" in control:
        return False
    age = re.search(r"max-age=(\d+)", control)
    return "immutable" in control or (age is not None and int(age.group(1)) >= LONG_TERM_SECONDS)


def revalidation(answer: Answer) -> dict[str, str]:
    """The conditional headers a browser sends for a copy it holds."""
    headers = {}
    if answer.header("ETag"):
        headers["If-None-Match"] = answer.header("ETag")
    if answer.header("Last-Modified"):
        headers["If-Modified-Since"] = answer.header("Last-Modified")
    return headers


@dataclass
class Visit:
    """Bytes (status line + headers + body as sent, compressed when the server compresses) and
    requests of a first and a repeat visit to one page."""

    first: Counter = field(default_factory=Counter)  # bytes by kind: html, css, js, font, img, lazy
    first_requests: int = 0
    repeat_bytes: int = 0
    repeat_requests: int = 0
    html_again: int = 0  # the status of the HTML on the repeat visit
    encodings: set[str] = field(default_factory=set)


def visit(base: str, page: Page) -> Visit:
    """A phone's first visit (the HTML, then every CSS, JS, font and image it references, each
    once, with CSS url()s and module imports followed) and its repeat visit (the HTML asked again
    with If-None-Match/If-Modified-Since, and every asset not cached long-term asked again,
    conditionally as a browser revalidates; long-term cached ones cost nothing). Cookies the site
    sets on the first visit are sent back, as a browser does."""
    jar, phone, result = Jar(), {"Accept-Encoding": ACCEPT_ENCODING}, Visit()
    html = jar.browse(base, page.path, phone)
    result.first["html"] += html.wire_bytes
    result.first_requests += 1
    result.encodings.add(html.header("Content-Encoding") or "none")
    parser = Assets()
    parser.feed(html.text())
    queue = [(urllib.parse.urljoin(page.path, url), kind, lazy) for url, kind, lazy in parser.found]
    fetched: dict[str, Answer] = {}
    while queue:
        url, kind, lazy = queue.pop(0)
        if url in fetched or urllib.parse.urlsplit(url).netloc not in ("", urllib.parse.urlsplit(base).netloc):
            continue
        path = urllib.parse.urlsplit(url).path
        answer = fetched[url] = jar.browse(base, path, phone)
        result.first[kind] += answer.wire_bytes
        result.first["lazy"] += answer.wire_bytes if lazy else 0
        result.first_requests += 1
        if kind in ("css", "js") and answer.status == 200:
            queue += [(urllib.parse.urljoin(url, ref), k, False) for ref, k, _ in referenced_by(answer, kind)]
    again = jar.browse(base, page.path, {**phone, **revalidation(html)})
    result.repeat_bytes, result.repeat_requests, result.html_again = again.wire_bytes, 1, again.status
    for url, answer in fetched.items():
        if not long_term(answer):
            path = urllib.parse.urlsplit(url).path
            result.repeat_bytes += jar.browse(base, path, {**phone, **revalidation(answer)}).wire_bytes
            result.repeat_requests += 1
    return result


# ------------------------------------------------------------------ printing


def print_runs(runs: list[Run]) -> None:
    """One line per wrk run; errors are always printed."""
    print(
        f"{'run':<34} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7}  {'answers':<24} "
        f"{'non-2xx/3xx':>11} {'socket err':>10} {'load':>5}"
    )
    for run in runs:
        answers = " ".join(f"{status}×{count}" for status, count in sorted(run.statuses.items()))
        if not run.requests:
            print(f"{run.label:<34} {run.note}")
            continue
        print(
            f"{run.label:<34} {run.rate:8.1f} {run.p50_ms:7.1f} {run.p95_ms:7.1f}  {answers:<24} "
            f"{run.bad:>11} {run.socket_errors:>10} {run.load:5.2f}" + (f"  {run.note}" if run.note else "")
        )


def print_summary(runs: list[Run], pages: list[Page]) -> None:
    """The issue's table: req/s (p95 ms) per page, page cache on and off, beside hello-world."""
    by_label = {run.label: run for run in runs}

    def cell(label: str) -> str:
        run = by_label.get(label)
        if not run or not run.requests:
            return "–"
        errors = f", {run.bad + run.socket_errors} ERRORS" if run.bad or run.socket_errors else ""
        return f"{run.rate:,.0f} req/s (p95 {run.p95_ms:.0f} ms{errors})"

    print("| page | page cache on | page cache off | Flask hello-world (ceiling) |")
    print("|---|---|---|---|")
    for number, page in enumerate(pages):
        hello = cell("hello-world") if number == 0 else ""
        print(f"| {page.name} | {cell(f'{page.name} (cache on)')} | {cell(f'{page.name} (cache off)')} | {hello} |")
    for label in ("product, signed-in buyer", "product, If-None-Match"):
        if label in by_label:
            run = by_label[label]
            statuses = ", ".join(f"{status}×{count}" for status, count in sorted(run.statuses.items()))
            print(f"| {label} | {cell(label) if run.requests else run.note} {statuses} | | |")


def print_visits(visits: dict[str, Visit]) -> None:
    """Per page, KB and requests of a first and a repeat visit."""
    print(
        "bytes a phone downloads (KB = 1024 bytes; status line + headers + body as sent, no TCP/TLS; images: the "
        f"srcset candidate for {PHONE_WIDTH_PX} px at DPR {PHONE_DPR}, lazy ones included and shown apart)"
    )
    print(
        f"{'page':<9} {'first: req':>10} {'KB':>7} {'HTML':>6} {'CSS':>6} {'JS':>6} {'font':>6} {'img':>7} "
        f"{'(lazy)':>7} {'HTML enc':>9} {'repeat: req':>12} {'KB':>6} {'HTML again':>10}"
    )
    for name, result in visits.items():
        kb = {kind: result.first[kind] / 1024 for kind in ("html", "css", "js", "font", "img", "lazy")}
        total = sum(kb[kind] for kind in ("html", "css", "js", "font", "img"))
        print(
            f"{name:<9} {result.first_requests:>10} {total:7.1f} {kb['html']:6.1f} {kb['css']:6.1f} {kb['js']:6.1f} "
            f"{kb['font']:6.1f} {kb['img']:7.1f} {kb['lazy']:7.1f} {','.join(sorted(result.encodings)):>9} "
            f"{result.repeat_requests:>12} {result.repeat_bytes / 1024:6.1f} {result.html_again:>10}"
        )


# ------------------------------------------------------------------ one database


def bench_database(kind: str, args: argparse.Namespace, script: str) -> None:
    """Everything for one database: demo instance, the runs, the visits, the tables."""
    print(f"\n## {'SQLite' if kind == 'sqlite' else 'PostgreSQL'}  (load average {os.getloadavg()[0]:.2f} before)")
    if busy():
        print(busy().strip())
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-pages-")
    try:
        with database(kind, args.postgres) as url:
            started = time.perf_counter()
            log(f"{kind}: db upgrade, demo load, search sync")
            env = server_env(instance, url, MARKETPLACE_RATELIMIT_ENABLED="false", **FAST_HASH)
            load_demo(env)
            print(f"demo data loaded in {time.perf_counter() - started:.0f} s")
            runs = []
            with gunicorn("hello:app", env, args.workers, chdir=ROOT / "bench") as base:
                runs.append(wrk("hello-world", base, "/", {"Accept-Encoding": ACCEPT_ENCODING}, args, script))
            visits: dict[str, Visit] = {}
            with gunicorn("wsgi:app", env, args.workers) as base:
                pages = [page for page in choose_pages(base, url, instance, args.query) if page.name in args.pages]
                print("pages: " + ", ".join(f"{page.name} {urllib.parse.unquote(page.path)}" for page in pages))
                runs += measure_server(base, pages, args, script, "(cache on)", signed_in=True)
                if args.bytes:
                    log("first and repeat visits")
                    visits = {page.name: visit(base, page) for page in pages}
            if args.uncached:
                off = {**env, "MARKETPLACE_PAGE_CACHE_ENABLED": "false"}
                with gunicorn("wsgi:app", off, args.workers) as base:
                    runs += measure_server(base, pages, args, script, "(cache off)", signed_in=False)
            print()
            print_runs(runs)
            print()
            print_summary(runs, pages)
            if visits:
                print()
                print_visits(visits)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


def main() -> None:
    """Parse the options, print the machine and the settings, bench each database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (default 10)")
    parser.add_argument("--connections", type=int, default=8, help="wrk -c (default 8)")
    parser.add_argument("--threads", type=int, default=1, help="wrk -t (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--pages", default=",".join(ALL_PAGES), help=f"comma-separated, of {','.join(ALL_PAGES)}")
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the search page's words")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="PostgreSQL server URL, without a database")
    parser.add_argument("--uncached", action=argparse.BooleanOptionalAction, default=True, help="page cache off runs")
    parser.add_argument("--bytes", action=argparse.BooleanOptionalAction, default=True, help="first/repeat visit bytes")
    args = parser.parse_args()
    args.pages = [name.strip() for name in args.pages.split(",") if name.strip()]
    unknown = set(args.pages) - set(ALL_PAGES)
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    print("# Public pages under gunicorn")
    print(machine())
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install wrk): nothing measured, nothing installed")
        return
    print(
        f"gunicorn {args.workers} sync workers; wrk -t{args.threads} -c{args.connections} -d{args.duration}s "
        f"with 'Accept-Encoding: {ACCEPT_ENCODING}' (as a phone sends it);\n"
        "rate limits off; fast password hash for the demo accounts; "
        "server and wrk on this machine"
    )
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    with tempfile.TemporaryDirectory(prefix="rooyesh-bench-wrk-") as folder:
        script = os.path.join(folder, "status.lua")
        Path(script).write_text(WRK_SCRIPT, encoding="utf-8")
        for kind in kinds:
            why_not = postgres_reachable(args.postgres) if kind == "postgres" else None
            if why_not:
                print(f"\n## PostgreSQL: skipped, {args.postgres} cannot be reached ({why_not})")
                continue
            bench_database(kind, args, script)


if __name__ == "__main__":
    main()
