"""Checkout under load, on SQLite and PostgreSQL: a benchmark that prints numbers, never asserts.

For each database, seeds a fresh instance (a SQLite file, or a new PostgreSQL database that is
dropped afterwards) with approved shops, products with a large stock and one buyer per client
thread, starts the real app under gunicorn (2 workers), and then, for a fixed time each:

1. checkouts alone: every client thread is a signed-in buyer who, over and over, opens a product
   page, adds it to her cart (POST /cart/add), opens /checkout and places the order (POST
   /checkout: pickup at the centre, paid at the centre), with CSRF tokens read from the pages as a
   browser sends them;
2. product pages alone (/p/<id>, rotating over the products), with wrk when installed, else
   Python client threads;
3. both at once.

It prints checkouts per second, the p50/p95 latency of POST /checkout, refused checkouts, 5xx
responses of every kind of request, and "database is locked" lines in the server's log; and
product-page requests per second with p50/p95 latency.

    .venv/bin/python bench/checkout.py [--seconds 8] [--clients 8] [--workers 2] [--database both]

The server gets the bench's environment, so a MARKETPLACE_* setting can be tried under load, e.g.
MARKETPLACE_SEARCH_SYNC_AFTER_REQUEST=false (the worker then keeps the search index in step).

PostgreSQL is at BENCH_DATABASE_URL (default: TEST_DATABASE_URL, else postgres@127.0.0.1:5432);
it is skipped, with a line saying so, when it cannot be reached.
"""

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from marketplace import create_app  # noqa: E402
from marketplace.accounts import services as accounts  # noqa: E402
from marketplace.catalog import services as catalog  # noqa: E402
from marketplace.catalog.models import Category  # noqa: E402
from marketplace.extensions import db  # noqa: E402
from marketplace.search import index  # noqa: E402
from marketplace.shops import services as shops  # noqa: E402

PASSWORD = "saffron and turquoise"  # noqa: S105 (bench accounts in a temporary database)
FAST_HASH = "pbkdf2:sha256:1000"  # seeding dozens of accounts with scrypt would take longer than the run
SHOPS = 4
PRODUCTS_PER_SHOP = 10
STOCK = 100_000
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


# ------------------------------------------------------------------ seeding and the server


@dataclass(frozen=True)
class Item:
    """A product on sale: its id, its shop's id and its page's canonical address."""

    id: int
    shop_id: int
    path: str


def seed(url: str, instance: str, buyers: int) -> tuple[list[Item], list[str]]:
    """Shops, products and buyers on a migrated database, and the search index built (as `make run`
    does before serving). Returns (the products, the buyers' phones)."""
    env = {**os.environ, "MARKETPLACE_INSTANCE": instance, "DATABASE_URL": url, "FLASK_APP": "wsgi"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    app = create_app({"INSTANCE_PATH": instance, "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": FAST_HASH})
    products: list[Item] = []
    phones = []
    with app.app_context():
        category = db.session.scalar(sa.select(Category).where(Category.slug == "leather"))
        for number in range(SHOPS):
            owner = accounts.create_user(f"+98915100{number:04d}", "تولیدکننده", PASSWORD, roles={"producer"})
            shop = shops.create_shop(owner, f"کارگاه شماره {number + 1}", "چرم", "گلشهر")
            shop.status = "approved"
            for item in range(PRODUCTS_PER_SHOP):
                data = catalog.ProductData(
                    title=f"کیف چرمی دست‌دوز {number + 1}-{item + 1}",
                    description="کیف چرمی دوخته با دست، با چرم طبیعی گاوی.",
                    category_id=category.id,
                    price_toman=250_000 + 10_000 * item,
                    stock=STOCK,
                )
                product = catalog.create_product(shop, data)
                product.status = "published"
                product.published_at = sa.func.now()
                db.session.flush()
                products.append(Item(product.id, shop.id, f"/p/{product.id}/{urllib.parse.quote(product.slug)}"))
        for number in range(buyers):
            phones.append(f"+98912200{number:04d}")
            accounts.create_user(phones[-1], "خریدار", PASSWORD)
        db.session.commit()
        index.rebuild(app)
        db.session.remove()
        db.engine.dispose()  # the server's workers open their own connections
    return products, phones


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, instance: str, workers: int, log_path: str) -> tuple[subprocess.Popen, int]:
    """gunicorn on a free port, its log (and the app's) in `log_path`; returns once it answers."""
    port = free_port()
    env = {
        **os.environ,
        "MARKETPLACE_INSTANCE": instance,
        "DATABASE_URL": url,
        "MARKETPLACE_PASSWORD_HASH_METHOD": FAST_HASH,
        # every client is 127.0.0.1: per-address limits would refuse the bench, not a real crowd
        "MARKETPLACE_RATELIMIT_ENABLED": "false",
    }
    log = open(log_path, "ab")  # noqa: SIM115 (handed to the server, closed with it)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}"]
        + ["--log-level", "warning", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    log.close()
    for _ in range(300):
        try:
            Browser(port).request("GET", "/login")
            break
        except OSError:
            time.sleep(0.1)
    return server, port


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# ------------------------------------------------------------------ a buyer's browser


@dataclass
class Reply:
    status: int
    body: str
    location: str
    seconds: float


class Browser:
    """One buyer's browser: a cookie jar and one connection per request (gunicorn's sync workers
    close each connection after answering)."""

    def __init__(self, port: int, counts: "Counts | None" = None):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.counts = counts

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        if self.counts is not None:
            self.counts.count(requests=1, server_errors=int(response.status >= 500))
        return Reply(response.status, text, response.getheader("Location", ""), seconds)

    def token(self, page: Reply) -> str:
        """The CSRF token of a page's form."""
        match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.body) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page.body
        )
        if match is None:
            raise RuntimeError(f"no CSRF token on a {page.status} page")
        return match.group(1)


@dataclass
class Counts:
    """What the checkout clients saw in one phase."""

    requests: int = 0
    server_errors: int = 0
    checkouts: int = 0
    refused: int = 0
    checkout_ms: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, **added: int) -> None:
        """Add to the counters (from any client thread)."""
        with self.lock:
            for name, value in added.items():
                setattr(self, name, getattr(self, name) + value)


def log_in(port: int, phone: str) -> Browser:
    browser = Browser(port)
    page = browser.request("GET", "/login")
    reply = browser.request("POST", "/login", {"csrf_token": browser.token(page), "phone": phone, "password": PASSWORD})
    if reply.status != 302:
        raise RuntimeError(f"login of {phone} answered {reply.status}")
    return browser


def shop_til(browser: Browser, products: list[Item], deadline: float, counts: Counts, stop: threading.Event):
    """Buy one product after another until the deadline: product page, add to cart, checkout page,
    place the order. Only POST /checkout's time is recorded as the checkout's latency."""
    browser.counts = counts
    while time.perf_counter() < deadline and not stop.is_set():
        item = random.choice(products)
        page = browser.request("GET", item.path)
        added = browser.request(
            "POST", "/cart/add", {"csrf_token": browser.token(page), "product_id": item.id, "quantity": 1}
        )
        if added.status != 302:
            counts.count(refused=1)
            continue
        form = browser.request("GET", "/checkout")
        if form.status != 200:
            counts.count(refused=1)
            continue
        placed = browser.request(
            "POST",
            "/checkout",
            {
                "csrf_token": browser.token(form),
                "address_id": "new",
                f"delivery_{item.shop_id}": "pickup_centre",
                "payment_method": "centre",
                "place": "1",
            },
        )
        if placed.status == 302 and "/done" in placed.location:
            counts.count(checkouts=1)
            counts.checkout_ms.append(placed.seconds * 1000)
        else:
            counts.count(refused=1)


def run_checkouts(buyers: list[Browser], products: list[Item], seconds: float) -> tuple[Counts, float]:
    """All buyers shopping at once for `seconds`; returns what they saw and the time taken."""
    counts = Counts()
    stop = threading.Event()
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    with ThreadPoolExecutor(len(buyers)) as pool:
        futures = [pool.submit(shop_til, buyer, products, deadline, counts, stop) for buyer in buyers]
        for future in futures:
            future.result()
    return counts, time.perf_counter() - started


# ------------------------------------------------------------------ product pages


WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("BENCH %%d %%d %%.1f %%.1f %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


@dataclass
class PageLoad:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    bad: int  # answers other than 2xx/3xx
    socket_errors: int  # connections refused, reset or timed out (30 s)
    tool: str


def product_pages(port: int, products: list[Item], seconds: float, connections: int, folder: str) -> PageLoad:
    """Product pages (their canonical addresses) for `seconds`, from `connections` connections at once."""
    paths = [item.path for item in products]
    if shutil.which("wrk"):
        script = os.path.join(folder, "pages.lua")
        with open(script, "w", encoding="utf-8") as lua:
            lua.write(WRK_SCRIPT % ", ".join(f'"{path}"' for path in paths))
        finished = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{seconds:.0f}s",
                "-s",
                script,
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        line = next(line for line in finished.stdout.splitlines() if line.startswith("BENCH "))
        requests, duration_us, p50_us, p95_us, bad_status, socket_errors = line.split()[1:]
        return PageLoad(
            int(requests),
            int(duration_us) / 1e6,
            float(p50_us) / 1000,
            float(p95_us) / 1000,
            int(bad_status),
            int(socket_errors),
            "wrk",
        )
    timings: list[float] = []
    bad: list[int] = []
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        browser = Browser(port)
        turn = offset
        while time.perf_counter() < deadline:
            reply = browser.request("GET", paths[turn % len(paths)])
            timings.append(reply.seconds * 1000)
            if reply.status >= 400:
                bad.append(reply.status)
            turn += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(client, range(connections)))
    elapsed = time.perf_counter() - started
    return PageLoad(
        len(timings), elapsed, percentile(timings, 50), percentile(timings, 95), len(bad), 0, "Python threads"
    )


def percentile(values: list[float], percent: int) -> float:
    """The `percent`th percentile (nearest rank), 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, int(round(len(ordered) * percent / 100)) - 1)]


# ------------------------------------------------------------------ one database


def locked_lines(log_path: str, start: int) -> tuple[int, int]:
    """("database is locked" lines, tracebacks) written to the server's log after byte `start`."""
    with open(log_path, encoding="utf-8", errors="replace") as log:
        log.seek(start)
        text = log.read()
    return text.count("database is locked"), text.count("Traceback")


def bench_database(label: str, url: str, args) -> None:
    instance = tempfile.mkdtemp(prefix="rooyesh-bench-checkout-")
    log_path = os.path.join(instance, "server.log")
    server = None
    try:
        started = time.perf_counter()
        products, phones = seed(url, instance, args.clients)
        seeded = time.perf_counter() - started
        server, port = start_server(url, instance, args.workers, log_path)
        buyers = [log_in(port, phone) for phone in phones]
        for buyer in buyers[:4]:  # warm both workers: templates, fonts, imports
            buyer.request("GET", products[0].path)
        print(
            f"{label}: {len(products)} products in {SHOPS} shops, {len(phones)} buyers (seeded in {seeded:.1f} s, "
            f"server up and buyers signed in after {time.perf_counter() - started:.1f} s)"
        )

        def checkout_line(phase: str, counts: Counts, elapsed: float, log_start: int) -> None:
            locked, tracebacks = locked_lines(log_path, log_start)
            print(
                f"  {phase:<26} {counts.checkouts / elapsed:7.1f} checkouts/s  "
                f"p50 {statistics.median(counts.checkout_ms or [0]):7.1f} ms  "
                f"p95 {percentile(counts.checkout_ms, 95):7.1f} ms  "
                f"({counts.checkouts} placed, {counts.refused} refused, {counts.requests} requests, "
                f"{counts.server_errors} 5xx, {locked} 'database is locked', {tracebacks} tracebacks)"
            )

        def pages_line(phase: str, load: PageLoad) -> None:
            print(
                f"  {phase:<26} {load.requests / load.seconds:7.1f} pages/s      "
                f"p50 {load.p50_ms:7.1f} ms  p95 {load.p95_ms:7.1f} ms  "
                f"({load.requests} requests, {load.bad} not 2xx/3xx, {load.socket_errors} socket errors, {load.tool}, "
                f"{args.page_connections} connections)"
            )

        mark = os.path.getsize(log_path)
        counts, elapsed = run_checkouts(buyers, products, args.seconds)
        checkout_line("checkouts alone", counts, elapsed, mark)

        load = product_pages(port, products, args.seconds, args.page_connections, instance)
        pages_line("product pages alone", load)

        mark = os.path.getsize(log_path)
        with ThreadPoolExecutor(1) as background:
            pages = background.submit(product_pages, port, products, args.seconds, args.page_connections, instance)
            counts, elapsed = run_checkouts(buyers, products, args.seconds)
            load = pages.result()
        checkout_line("checkouts, pages running", counts, elapsed, mark)
        pages_line("pages, checkouts running", load)
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(instance, ignore_errors=True)


def fresh_postgres(base_url: str) -> tuple[str, sa.Engine] | None:
    """A new, empty database beside `base_url`'s (URL, admin engine), or None when unreachable."""
    url = sa.make_url(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"rooyesh_bench_{secrets.token_hex(4)}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        print(f"PostgreSQL at {base_url} not reachable, skipped: {str(error).splitlines()[0]}")
        admin.dispose()
        return None
    return url.set(database=name).render_as_string(hide_password=False), admin


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8, help="length of each phase")
    parser.add_argument("--clients", type=int, default=8, help="buyers placing orders at once")
    parser.add_argument("--page-connections", type=int, default=8, help="connections asking for product pages")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    print(
        f"checkout under load: gunicorn {args.workers} workers, {args.clients} buyers placing orders, "
        f"{args.seconds:.0f} s a phase, {os.cpu_count()} CPUs shared by clients and server, "
        f"load average {os.getloadavg()[0]:.1f} before the run"
    )
    if args.database in ("sqlite", "both"):
        folder = tempfile.mkdtemp(prefix="rooyesh-bench-sqlite-")
        try:
            bench_database("SQLite", f"sqlite:///{folder}/bench.db", args)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    if args.database in ("postgresql", "both"):
        base = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES
        fresh = fresh_postgres(base)
        if fresh is not None:
            url, admin = fresh
            try:
                bench_database("PostgreSQL", url, args)
            finally:
                with admin.connect() as connection:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{sa.make_url(url).database}" WITH (FORCE)'))
                admin.dispose()


if __name__ == "__main__":
    main()
